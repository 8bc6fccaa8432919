/**
 * Kling's new API standard (kling-api-2026.md §2(b) b.18, §3.2–3.3; aself101/kling-api APX-B §2–3):
 * the model is in the path (`/text-to-video/kling-3.0-turbo`), bodies are `{prompt | contents[], settings,
 * options}`, durations are integers, references are `@name` handles, tasks are read at `/tasks`, and only an
 * API key authenticates.
 *
 * The node offers these models inside the existing operations (Text to Video, Image to Video, Omni Video,
 * Motion Control): an operation builds its usual (legacy) body from its parameters, and toNewStandardBody()
 * rewrites that body for the route, checking the route's documented rules. One table row per path, one
 * translation for every family: no per-model copies.
 */
// @ts-nocheck

import type { IDataObject } from 'n8n-workflow';
import { JsonInteger } from './json';

export type NsFamily = 'textToVideo' | 'imageToVideo' | 'omniVideo' | 'motionControl';
export type NsContentType =
	| 'prompt'
	| 'first_frame'
	| 'last_frame'
	| 'refer_image'
	| 'feature_video'
	| 'base_video'
	| 'element'
	| 'voice'
	| 'image'
	| 'video';
export type NsAudio = 'native' | 'original' | 'off';

export interface NsRoute {
	family: NsFamily;
	/** Model id in the path. */
	model: string;
	/** The same model in the operation's (legacy) model list; null = only on the new standard. */
	legacyModel: string | null;
	/** Content types of `contents[]`; null = a top-level `prompt` (text to video). */
	contents: readonly NsContentType[] | null;
	resolutions: readonly string[];
	/** `settings.audio` values; null = no audio field. */
	audio: readonly NsAudio[] | null;
	/** `settings.duration` values (ints); null = no duration (motion control follows its video). */
	durations: readonly number[] | null;
	aspectRatio: boolean;
	/** `settings.multi_shot` exists (multi-shot by prompt syntax works on every 3.0 model). */
	multiShotField: boolean;
	/** Multi-shot prompt syntax "shot n, m, words;" documented for the model. */
	shotSyntax: boolean;
	/** `settings.character_orientation` (required; motion control). */
	characterOrientation: boolean;
	maxPrompt: number;
	maxElements: number;
	maxVoices: number;
	/** "When generating videos with native audio, only 1080P resolution is supported." */
	nativeAudio1080pOnly?: boolean;
	/** "First + last frame only supports 1080p resolution." */
	firstLast1080pOnly?: boolean;
	/** O1: "When using both the first and last frames, no additional reference images can be added" (nor elements). */
	firstLastExclusive?: boolean;
	/** O1: first frame without any reference image/video → 5 or 10 s only. */
	firstFrameOnly5or10?: boolean;
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, n) => from + n);
const D3_15 = range(3, 15);
const D5_10 = [5, 10];
const R720_1080 = ['720p', '1080p'];
const R_4K = ['720p', '1080p', '4k'];
const OMNI: readonly NsContentType[] = ['prompt', 'first_frame', 'last_frame', 'refer_image', 'feature_video', 'base_video', 'element'];

const route = (family: NsFamily, model: string, legacyModel: string | null, r: Partial<NsRoute>): NsRoute => ({
	family,
	model,
	legacyModel,
	contents: null,
	resolutions: R720_1080,
	audio: null,
	durations: D5_10,
	aspectRatio: false,
	multiShotField: false,
	shotSyntax: false,
	characterOrientation: false,
	maxPrompt: 2500,
	maxElements: 0,
	maxVoices: 0,
	...r,
});

/** Every documented new-standard create path (APX-B §2.1–2.12). */
export const NS_ROUTES: readonly NsRoute[] = [
	route('textToVideo', 'kling-3.0-turbo', null, { durations: D3_15, aspectRatio: true, shotSyntax: true, maxPrompt: 3072 }),
	route('textToVideo', 'kling-3.0', 'kling-v3', { resolutions: R_4K, audio: ['native', 'off'], durations: D3_15, aspectRatio: true, multiShotField: true, shotSyntax: true, maxPrompt: 3072 }),
	route('textToVideo', 'kling-2.6', 'kling-v2-6', { audio: ['native', 'off'], aspectRatio: true, nativeAudio1080pOnly: true }),
	route('textToVideo', 'kling-2.5-turbo', 'kling-v2-5-turbo', { aspectRatio: true }),
	route('imageToVideo', 'kling-3.0-turbo', null, { contents: ['prompt', 'first_frame'], durations: D3_15, shotSyntax: true }),
	route('imageToVideo', 'kling-3.0', 'kling-v3', {
		contents: ['prompt', 'first_frame', 'last_frame', 'element'],
		resolutions: R_4K,
		audio: ['native', 'off'],
		durations: D3_15,
		multiShotField: true,
		shotSyntax: true,
		maxPrompt: 3072,
		maxElements: 3,
	}),
	route('imageToVideo', 'kling-2.6', 'kling-v2-6', {
		contents: ['prompt', 'first_frame', 'last_frame', 'voice'],
		audio: ['native', 'off'],
		maxVoices: 2,
		nativeAudio1080pOnly: true,
		firstLast1080pOnly: true,
	}),
	route('imageToVideo', 'kling-2.5-turbo', 'kling-v2-5-turbo', { contents: ['prompt', 'first_frame', 'last_frame'], firstLast1080pOnly: true }),
	route('omniVideo', 'kling-3.0-omni', 'kling-v3-omni', {
		contents: OMNI,
		resolutions: R_4K,
		audio: ['native', 'original', 'off'],
		durations: D3_15,
		aspectRatio: true,
		multiShotField: true,
		shotSyntax: true,
		maxPrompt: 3072,
		maxElements: 7,
	}),
	route('omniVideo', 'kling-o1', 'kling-video-o1', {
		contents: OMNI,
		audio: ['original', 'off'],
		durations: range(3, 10),
		aspectRatio: true,
		maxElements: 7,
		firstLastExclusive: true,
		firstFrameOnly5or10: true,
	}),
	route('motionControl', 'kling-3.0', 'kling-v3', {
		contents: ['prompt', 'image', 'video', 'element'],
		audio: ['original', 'off'],
		durations: null,
		characterOrientation: true,
		maxElements: 1,
	}),
	route('motionControl', 'kling-2.6', 'kling-v2-6', {
		contents: ['prompt', 'image', 'video'],
		audio: ['original', 'off'],
		durations: null,
		characterOrientation: true,
	}),
];

export const NS_FAMILY_PATHS: Readonly<Record<NsFamily, string>> = {
	textToVideo: '/text-to-video',
	imageToVideo: '/image-to-video',
	omniVideo: '/omni-video',
	motionControl: '/motion-control',
};

export const NS_TASKS_PATH = '/tasks';
/** `POST /tasks` limit: "Maximum value: 500". */
export const NS_MAX_LIMIT = 500;

export function nsPath(r: NsRoute): string {
	return `${NS_FAMILY_PATHS[r.family]}/${r.model}`;
}

export function isNsFamily(value: string): value is NsFamily {
	return Object.prototype.hasOwnProperty.call(NS_FAMILY_PATHS, value);
}

export function routesOf(family: NsFamily): NsRoute[] {
	return NS_ROUTES.filter((r) => r.family === family);
}

/** Operation model values that exist on both standards (the "API Standard" parameter is shown for them). */
export function dualModels(family: NsFamily): string[] {
	return routesOf(family)
		.map((r) => r.legacyModel)
		.filter((m): m is string => m !== null);
}

/** Operation model values that exist only on the new standard. */
export function newOnlyModels(family: NsFamily): string[] {
	return routesOf(family)
		.filter((r) => r.legacyModel === null)
		.map((r) => r.model);
}

export type ApiStandardChoice = 'legacy' | 'auto' | 'new';
export type CredentialMode = 'accessKey' | 'apiKey';

export type StandardDecision = { standard: 'legacy' } | { standard: 'new'; route: NsRoute; why: 'newOnly' | 'chosen' | 'auto' };

/**
 * Which standard a create uses. A model that exists only on the new standard (kling-3.0-turbo, or an NS model
 * id typed as a custom model) always uses it; a model on both follows the "API Standard" choice (Auto = the new
 * standard with an API-key credential, legacy with access/secret keys).
 */
export function decideStandard(family: NsFamily, modelValue: string, choice: ApiStandardChoice, credential: CredentialMode): StandardDecision {
	const routes = routesOf(family);
	const byNsId = routes.find((r) => r.model === modelValue && r.legacyModel !== modelValue);
	if (byNsId) return { standard: 'new', route: byNsId, why: 'newOnly' };
	const dual = routes.find((r) => r.legacyModel === modelValue);
	// The "API Standard" parameter is shown only for models on both standards: for the others it is ignored.
	if (choice === 'legacy' || !dual) return { standard: 'legacy' };
	if (choice === 'new') return { standard: 'new', route: dual, why: 'chosen' };
	return credential === 'apiKey' ? { standard: 'new', route: dual, why: 'auto' } : { standard: 'legacy' };
}

/** A new-standard rule the parameters break; `field` is the node's UI name of the parameter. */
export class NsRuleError extends Error {
	constructor(
		readonly field: string,
		readonly problem: string,
		readonly hint?: string,
	) {
		super(`"${field}" ${problem}`);
		this.name = 'NsRuleError';
	}
}

/** Legacy fields that have no new-standard counterpart (APX-B §2.13: no negative prompt, CFG, camera, masks). */
const LEGACY_ONLY: Record<string, string> = {
	negative_prompt: 'Negative Prompt',
	cfg_scale: 'CFG Scale',
	camera_control: 'Camera Control',
	static_mask: 'Motion Brush',
	dynamic_masks: 'Motion Brush',
};

const MODE_TO_RESOLUTION: Record<string, string> = { std: '720p', pro: '1080p', '4k': '4k' };

/** `<<<element_1>>>` (legacy) → `@element_1` (new standard): the same handles work on both standards. */
export function toAtHandles(text: string): string {
	return text.replace(/<<<\s*([A-Za-z0-9_]+)\s*>>>/g, '@$1');
}

const idDigits = (v: unknown): string => (v instanceof JsonInteger ? v.digits : String(v));

/** The shot syntax of the 3.0 models: "shot n, m, words; shot n, m, words;". */
function shotsToPrompt(shots: IDataObject[]): string {
	return shots
		.map((s) => {
			const words = toAtHandles(String(s.prompt ?? ''));
			if (words.includes(';')) throw new NsRuleError('Shots', 'may not contain ";" on the new standard', 'Kling separates shots with half-width semicolons in the prompt.');
			return `shot ${String(s.index)}, ${String(s.duration)}, ${words};`;
		})
		.join(' ');
}

/**
 * The new-standard body for a route, from the body the operation built for the legacy standard. Throws
 * NsRuleError naming the UI field for anything the route's documentation refuses. `options` (callback_url,
 * external_task_id) are added by the caller.
 */
export function toNewStandardBody(r: NsRoute, legacy: IDataObject): IDataObject {
	for (const [key, field] of Object.entries(LEGACY_ONLY)) {
		if (legacy[key] !== undefined) throw new NsRuleError(field, `is not available on Kling's new standard (model ${r.model})`, 'Describe it in the prompt instead, or use the legacy API standard.');
	}
	// ---- prompt (multi-shot by prompt syntax)
	let prompt = typeof legacy.prompt === 'string' ? toAtHandles(legacy.prompt) : undefined;
	let multiShot: boolean | undefined;
	if (legacy.multi_shot === true) {
		if (legacy.shot_type === 'customize') {
			if (!r.shotSyntax) throw new NsRuleError('Multi-Shot', `is not available on model ${r.model}`);
			prompt = shotsToPrompt((legacy.multi_prompt as IDataObject[]) ?? []);
		} else if (!r.multiShotField) {
			throw new NsRuleError('Multi-Shot', `"Intelligent" is not available on model ${r.model}`, r.shotSyntax ? 'Use "Custom Shots": they are sent in the prompt syntax "shot n, m, words;".' : undefined);
		}
		multiShot = true;
	} else if (r.multiShotField) {
		// The field defaults to true on Kling's side; "Off" means one continuous shot.
		multiShot = false;
	}
	if (prompt !== undefined && [...prompt].length > r.maxPrompt) {
		throw new NsRuleError('Prompt', `is too long: ${[...prompt].length} characters, model ${r.model} accepts at most ${r.maxPrompt}`);
	}

	// ---- contents
	const contents: IDataObject[] = [];
	const add = (type: NsContentType, field: string, entry: IDataObject) => {
		if (!r.contents?.includes(type)) throw new NsRuleError(field, `is not available on model ${r.model} (new standard)`);
		contents.push({ type, ...entry });
	};
	if (r.contents && prompt !== undefined) add('prompt', 'Prompt', { text: prompt });
	if (legacy.image !== undefined) add('first_frame', 'Start Frame Image', { url: legacy.image });
	if (legacy.image_tail !== undefined) add('last_frame', 'End Frame Image', { url: legacy.image_tail });
	const images = (legacy.image_list as IDataObject[] | undefined) ?? [];
	images.forEach((im, n) => {
		const type = im.type === 'first_frame' ? 'first_frame' : im.type === 'end_frame' ? 'last_frame' : 'refer_image';
		add(type, 'Images', { url: im.image_url, id: `image_${n + 1}` });
	});
	const videos = (legacy.video_list as IDataObject[] | undefined) ?? [];
	videos.forEach((v, n) => add(v.refer_type === 'base' ? 'base_video' : 'feature_video', 'Reference Video', { url: v.video_url, id: `video_${n + 1}` }));
	if (legacy.image_url !== undefined) add('image', 'Character Image', { url: legacy.image_url });
	if (legacy.video_url !== undefined) add('video', 'Motion Video', { url: legacy.video_url });
	const elements = (legacy.element_list as IDataObject[] | undefined) ?? [];
	const elementField = r.family === 'motionControl' ? 'Element ID' : 'Element IDs';
	if (elements.length > r.maxElements) {
		throw new NsRuleError(elementField, r.maxElements ? `has ${elements.length} IDs; model ${r.model} accepts at most ${r.maxElements}` : `are not available on model ${r.model} (new standard)`);
	}
	elements.forEach((e, n) => add('element', elementField, { element_id: idDigits(e.element_id), id: `element_${n + 1}` }));
	const voices = (legacy.voice_list as IDataObject[] | undefined) ?? [];
	if (voices.length > r.maxVoices) throw new NsRuleError('Voice IDs', r.maxVoices ? `has ${voices.length} IDs; model ${r.model} accepts at most ${r.maxVoices}` : `are not available on model ${r.model}`);
	voices.forEach((v, n) => add('voice', 'Voice IDs', { voice_id: String(v.voice_id), id: `voice_${n + 1}` }));

	const types = contents.map((c) => c.type);
	const hasFirst = types.includes('first_frame');
	const hasLast = types.includes('last_frame');
	const hasVideo = types.includes('feature_video') || types.includes('base_video');
	if (hasLast && !hasFirst) throw new NsRuleError('Start Frame Image', 'is required with an end frame: last-frame-only is not supported on the new standard');
	if (r.family === 'imageToVideo' && !hasFirst) throw new NsRuleError('Start Frame Image', `is required by model ${r.model} on the new standard`);
	if (r.family === 'motionControl' && !(types.includes('image') && types.includes('video'))) throw new NsRuleError('Character Image', 'and Motion Video are both required');
	if (r.family === 'textToVideo' && !prompt) throw new NsRuleError('Prompt', 'is required');
	if (r.firstLastExclusive && hasFirst && hasLast && (types.includes('refer_image') || types.includes('element'))) {
		throw new NsRuleError('Images', `cannot add reference images or elements to a first + last frame on model ${r.model}`);
	}

	// ---- settings
	const settings: IDataObject = {};
	const resolution = legacy.mode === undefined ? undefined : MODE_TO_RESOLUTION[String(legacy.mode)];
	if (legacy.mode !== undefined && (!resolution || !r.resolutions.includes(resolution))) {
		throw new NsRuleError('Mode', `"${String(legacy.mode)}" has no resolution on model ${r.model}: it offers ${r.resolutions.join(', ')}`);
	}
	let audio: NsAudio | undefined;
	let audioField = 'Generate Sound';
	if (legacy.sound !== undefined) audio = legacy.sound === 'on' ? 'native' : 'off';
	const keep = legacy.keep_original_sound ?? videos[0]?.keep_original_sound;
	if (keep !== undefined && (r.family === 'motionControl' || hasVideo) && audio !== 'native') {
		audio = keep === 'yes' ? 'original' : 'off';
		audioField = r.family === 'motionControl' ? 'Keep Original Sound' : 'Keep Reference Video Sound';
	}
	if (audio !== undefined) {
		if (!r.audio) {
			if (audio !== 'off') throw new NsRuleError(audioField, `is not available on model ${r.model} (new standard)`);
		} else if (!r.audio.includes(audio)) {
			throw new NsRuleError(audioField, `"${audio}" audio is not available on model ${r.model}: it accepts ${r.audio.join(', ')}`);
		} else {
			settings.audio = audio;
		}
	}
	if (audio === 'native' && hasVideo) throw new NsRuleError('Generate Sound', 'must be off with a reference video (new standard)');
	if (voices.length && audio !== 'native') throw new NsRuleError('Voice IDs', 'need Generate Sound on: "When specifying a voice, the sound parameter audio cannot be off"');
	if (resolution) settings.resolution = resolution;
	const effectiveResolution = resolution ?? '720p';
	if (r.nativeAudio1080pOnly && audio === 'native' && effectiveResolution !== '1080p') {
		throw new NsRuleError('Mode', `must be Professional (1080p) with sound on model ${r.model}: native audio is 1080p only`);
	}
	if (r.firstLast1080pOnly && hasFirst && hasLast && effectiveResolution !== '1080p') {
		throw new NsRuleError('Mode', `must be Professional (1080p) with a start and end frame on model ${r.model}`);
	}
	if (r.aspectRatio && legacy.aspect_ratio !== undefined) settings.aspect_ratio = legacy.aspect_ratio;
	if (legacy.duration !== undefined) {
		const duration = Number(legacy.duration);
		if (!r.durations) throw new NsRuleError('Duration', `is not available on model ${r.model}`);
		if (!r.durations.includes(duration)) throw new NsRuleError('Duration', `${duration} s is not available on model ${r.model}: it accepts ${r.durations.join(', ')} s`);
		const referenced = types.includes('refer_image') || hasVideo;
		if (r.firstFrameOnly5or10 && hasFirst && !referenced && duration !== 5 && duration !== 10) {
			throw new NsRuleError('Duration', `must be 5 or 10 s on model ${r.model} with a first frame and no reference image or video`);
		}
		settings.duration = duration;
	}
	if (multiShot !== undefined && r.multiShotField && !types.includes('base_video')) settings.multi_shot = multiShot;
	if (r.characterOrientation) settings.character_orientation = legacy.character_orientation;

	const body: IDataObject = {};
	if (r.contents) body.contents = contents;
	else body.prompt = prompt;
	if (Object.keys(settings).length) body.settings = settings;
	const options: IDataObject = {};
	if (legacy.watermark_info !== undefined) options.watermark_info = legacy.watermark_info;
	body.options = options;
	return body;
}
