/**
 * The Kling task endpoint table: the single place that knows which task types exist,
 * where they are created, queried and listed, and what kind of result they produce.
 * Adding an endpoint = one row here + one description file under resources/.
 */

export type KlingResource = 'video' | 'image';
export type ResultKind = 'videos' | 'images';

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
	readonly fileExtension: 'mp4' | 'png';
	/** MIME type of downloaded results. */
	readonly mimeType: 'video/mp4' | 'image/png';
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
	'newStandard',
] as const;

export type KlingTaskType = (typeof TASK_TYPES)[number];

/** What a result kind downloads as. */
export const RESULT_KINDS: Readonly<Record<ResultKind, { fileExtension: KlingEndpoint['fileExtension']; mimeType: KlingEndpoint['mimeType'] }>> = {
	videos: { fileExtension: 'mp4', mimeType: 'video/mp4' },
	images: { fileExtension: 'png', mimeType: 'image/png' },
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
} as const;

export type KlingSyncCall = keyof typeof SYNC_PATHS;

export const ACCOUNT_COSTS_PATH = '/account/costs';

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
		.map((e) => ({ name: `${e.resource === 'video' ? 'Video' : 'Image'}: ${e.label}`, value: e.type }));
}
