/**
 * The Kling task endpoint table: the single place that knows which task types exist,
 * where they are created, queried and listed, and what kind of result they produce.
 * Adding an endpoint = one row here + one description file under resources/.
 */
// @ts-nocheck


export type KlingResource = 'video' | 'image' | 'audio' | 'library';
/**
 * What a task type returns. 'videos+audios' = both lists at once (video to audio: the video with its new
 * sound track, and the sound track alone). Omni image series and AI multi-shot angle sets are 'images'
 * (`seriesImages`, `images[].angleUrls` in the item).
 */
export type ResultKind = 'videos' | 'images' | 'audios' | 'videos+audios' | 'voices' | 'elements';

/** File types results download as, with their MIME types (the extension is taken from the URL when Kling's name has one). */
export const FILE_TYPES = {
	mp4: 'video/mp4',
	mov: 'video/quicktime',
	png: 'image/png',
	jpg: 'image/jpeg',
	webp: 'image/webp',
	mp3: 'audio/mpeg',
	wav: 'audio/wav',
	m4a: 'audio/mp4',
} as const;
export type FileType = keyof typeof FILE_TYPES;

/** Human name of each resource (option lists, messages). */
export const RESOURCE_LABELS: Readonly<Record<KlingResource, string>> = { video: 'Video', image: 'Image', audio: 'Audio', library: 'Library' };

export interface KlingEndpoint {
	/** Stable id used in node parameters, URLs and items. */
	readonly type: KlingTaskType;
	readonly resource: KlingResource;
	/** Human label used in option lists and messages. */
	readonly label: string;
	/** POST path that creates the task; GET `${path}/{id}` queries, GET `${path}?pageNum&pageSize` lists. */
	readonly path: string;
	readonly resultKind: ResultKind;
	/** Default file extension of downloaded results. */
	readonly fileExtension: FileType;
	/** MIME type of downloaded results. */
	readonly mimeType: (typeof FILE_TYPES)[FileType];
	/**
	 * Whether the endpoint's documented field table has `external_task_id`. Kling does not document
	 * whether it rejects unknown fields, so the node sends the id only where the table lists it.
	 */
	readonly externalTaskId: boolean;
	/**
	 * 'new' = Kling's new API standard (model in the path, `/tasks` queries, API key only; shared/newStandard.ts).
	 * Absent = the legacy `/v1` standard.
	 */
	readonly standard?: 'new';
}

export const TASK_TYPES = [
	'textToVideo',
	'imageToVideo',
	'multiImageToVideo',
	'extendVideo',
	'lipSync',
	'videoEffects',
	'imageGeneration',
	'imageExpand',
	'virtualTryOn',
	'omniVideo',
	'motionControl',
	'avatar',
	'advancedLipSync',
	'multiElements',
	'textToAudio',
	'videoToAudio',
	'omniImage',
	'multiImageToImage',
	'aiMultiShot',
	'customVoice',
	'customElement',
	'newStandard',
] as const;

export type KlingTaskType = (typeof TASK_TYPES)[number];

/** What a result kind downloads as. */
export const RESULT_KINDS: Readonly<Record<ResultKind, { fileExtension: KlingEndpoint['fileExtension']; mimeType: KlingEndpoint['mimeType'] }>> = {
	videos: { fileExtension: 'mp4', mimeType: 'video/mp4' },
	images: { fileExtension: 'png', mimeType: 'image/png' },
	audios: { fileExtension: 'mp3', mimeType: 'audio/mpeg' },
	'videos+audios': { fileExtension: 'mp4', mimeType: 'video/mp4' },
	// Library results are ids, not files: a voice's trial_url is an audio preview, an element's images are its references.
	voices: { fileExtension: 'mp3', mimeType: 'audio/mpeg' },
	elements: { fileExtension: 'png', mimeType: 'image/png' },
};

const row =
	(resource: KlingResource, resultKind: ResultKind) =>
	(type: KlingTaskType, label: string, path: string, extra: Partial<Pick<KlingEndpoint, 'externalTaskId'>> = {}): KlingEndpoint => ({
		type,
		resource,
		label,
		path,
		resultKind,
		...RESULT_KINDS[resultKind],
		externalTaskId: true,
		...extra,
	});

const video = row('video', 'videos');
const image = row('image', 'images');
const audio = row('audio', 'audios');
const library = (resultKind: ResultKind) => row('library', resultKind);

export const ENDPOINTS: Readonly<Record<KlingTaskType, KlingEndpoint>> = {
	textToVideo: video('textToVideo', 'Text to Video', '/v1/videos/text2video'),
	imageToVideo: video('imageToVideo', 'Image to Video', '/v1/videos/image2video'),
	multiImageToVideo: video('multiImageToVideo', 'Multi-Image to Video', '/v1/videos/multi-image2video'),
	extendVideo: video('extendVideo', 'Extend Video', '/v1/videos/video-extend'),
	// The one-step lip-sync is in no 2026 official copy; its (reseller) field table has no external_task_id.
	lipSync: video('lipSync', 'Lip Sync (Legacy)', '/v1/videos/lip-sync', { externalTaskId: false }),
	videoEffects: video('videoEffects', 'Apply Effect', '/v1/videos/effects'),
	imageGeneration: image('imageGeneration', 'Generate Image', '/v1/images/generations'),
	imageExpand: image('imageExpand', 'Expand Image', '/v1/images/editing/expand'),
	virtualTryOn: image('virtualTryOn', 'Virtual Try-On', '/v1/images/kolors-virtual-try-on'),
	omniVideo: video('omniVideo', 'Omni Video', '/v1/videos/omni-video'),
	motionControl: video('motionControl', 'Motion Control', '/v1/videos/motion-control'),
	avatar: video('avatar', 'Avatar', '/v1/videos/avatar/image2video'),
	advancedLipSync: video('advancedLipSync', 'Lip Sync', '/v1/videos/advanced-lip-sync'),
	multiElements: video('multiElements', 'Multi-Element Edit', '/v1/videos/multi-elements'),
	textToAudio: audio('textToAudio', 'Text to Audio', '/v1/audio/text-to-audio'),
	videoToAudio: row('audio', 'videos+audios')('videoToAudio', 'Video to Audio', '/v1/audio/video-to-audio'),
	omniImage: image('omniImage', 'Omni Image', '/v1/images/omni-image'),
	multiImageToImage: image('multiImageToImage', 'Multi-Image to Image', '/v1/images/multi-image2image'),
	// DOC-NEW documents the query of this path by task_id only (no external_task_id row), but the create
	// takes external_task_id; whether GET {path}/{external id} finds the task is undocumented.
	aiMultiShot: image('aiMultiShot', 'AI Multi-Shot', '/v1/general/ai-multi-shot'),
	// Voice clone and advanced element: async tasks (query {path}/{id}, list {path}?pageNum&pageSize) (kling-api-2026.md b.10, b.11).
	customVoice: library('voices')('customVoice', 'Create Voice', '/v1/general/custom-voices'),
	customElement: library('elements')('customElement', 'Create Element', '/v1/general/advanced-custom-elements'),
	// Every new-standard task (model in the path): one type, because `POST /tasks` lists them all together and
	// does not say which path created a task. Created at the paths of shared/newStandard.ts; read at /tasks.
	newStandard: { ...video('newStandard', 'New Standard (Model in Path)', '/tasks'), standard: 'new' },
};

/**
 * Synchronous Kling calls: they answer their result at once (no task, no query, no callback).
 * identify-face feeds advanced lip-sync; the selection calls build a multi-elements session.
 */
export const SYNC_PATHS = {
	identifyFace: '/v1/videos/identify-face',
	initSelection: '/v1/videos/multi-elements/init-selection',
	addSelection: '/v1/videos/multi-elements/add-selection',
	deleteSelection: '/v1/videos/multi-elements/delete-selection',
	clearSelection: '/v1/videos/multi-elements/clear-selection',
	previewSelection: '/v1/videos/multi-elements/preview-selection',
	// Text to speech answers audios[] in its create response, with no query, list or callback (kling-api-2026.md b.7).
	textToSpeech: '/v1/audio/tts',
	imageRecognize: '/v1/videos/image-recognize',
} as const;

export type KlingSyncCall = keyof typeof SYNC_PATHS;

export const ACCOUNT_COSTS_PATH = '/account/costs';

/** The voice and element libraries beside their create tasks (kling-api-2026.md b.10, b.11; DOC-26 L6035–6915). */
export const LIBRARY_PATHS = {
	presetVoices: '/v1/general/presets-voices',
	deleteVoices: '/v1/general/delete-voices',
	presetElements: '/v1/general/advanced-presets-elements',
	/**
	 * Element delete: DOC-26, the DOC-NEW image pages and DOC-CN name delete-elements; the DOC-NEW video pages
	 * name delete-advanced-elements. The node sends the first and falls back to the second on a 404 (path unknown).
	 */
	deleteElements: '/v1/general/delete-elements',
	deleteElementsAlternative: '/v1/general/delete-advanced-elements',
	/** The older synchronous element API (DOC-CN custom-elements.md): create answers the element itself. */
	legacyElements: '/v1/general/custom-elements',
	legacyPresetElements: '/v1/general/presets-elements',
} as const;

/** Billing exports, cursor-paged (kling-api-2026.md b.17). */
export const BILLING_PATHS = { balance: '/account/billing/balance', package: '/account/billing/package' } as const;

export function isTaskType(value: unknown): value is KlingTaskType {
	return typeof value === 'string' && (TASK_TYPES as readonly string[]).includes(value);
}

export function endpointsOf(resource: KlingResource): KlingEndpoint[] {
	return TASK_TYPES.map((t) => ENDPOINTS[t]).filter((e) => e.resource === resource);
}

export function queryPath(type: KlingTaskType, id: string): string {
	return `${ENDPOINTS[type].path}/${encodeURIComponent(id)}`;
}

/** Option list for n8n multiOptions/options parameters. */
export function taskTypeOptions(resource?: KlingResource): Array<{ name: string; value: string }> {
	return TASK_TYPES.map((t) => ENDPOINTS[t])
		.filter((e) => !resource || e.resource === resource)
		.map((e) => ({ name: `${RESOURCE_LABELS[e.resource]}: ${e.label}`, value: e.type }));
}
