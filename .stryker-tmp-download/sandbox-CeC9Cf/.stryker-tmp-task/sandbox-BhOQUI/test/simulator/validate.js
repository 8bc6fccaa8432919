// @ts-check
'use strict';
/**
 * Create-body validation for every legacy endpoint, after reference/kling-api.md §3.
 * Throws FieldError; its message always starts with the offending field ("cfg_scale: must be
 * between 0 and 1"), code 1200 for a missing required field or a body that is not an object,
 * 1201 for an unknown field or a bad value. Where the reference marks a fact UNCERTAIN (or two
 * official editions disagree) both forms are accepted; each such place says so.
 */

class FieldError extends Error {
	/** @param {string} field @param {string} reason @param {1200 | 1201} [code] */
	constructor(field, reason, code = 1201) {
		super(field ? `${field}: ${reason}` : reason);
		this.name = 'FieldError';
		this.field = field;
		this.code = code;
	}
}

/**
 * Always allowed on top of each endpoint's own fields. `model` is the legacy spelling of model_name.
 * `external_task_id` is NOT common: Kling does not document whether it rejects unknown fields, so the
 * simulator must not be the only thing saying a field is fine. It is accepted only where the endpoint's
 * own field table lists it (see EXTERNAL_ID in each VALIDATORS entry); the legacy one-step lip-sync
 * table (reseller copies only, reference kling-api.md §3.5) lacks it, so it is refused there.
 */
const COMMON_FIELDS = ['callback_url', 'watermark_info', 'model'];
const EXTERNAL_ID = 'external_task_id';

const MAX_PROMPT = 2500;
const IMAGE_MAX_BYTES = 10 * 1024 * 1024;
const AUDIO_MAX_BYTES = 5 * 1024 * 1024;

const T2V_MODELS = ['kling-v1', 'kling-v1-6', 'kling-v2-master', 'kling-v2-1-master', 'kling-v2-5-turbo', 'kling-v2-6', 'kling-v3'];
const I2V_MODELS = ['kling-v1', 'kling-v1-5', 'kling-v1-6', 'kling-v2-master', 'kling-v2-1', 'kling-v2-1-master', 'kling-v2-5-turbo', 'kling-v2-6', 'kling-v3'];
const MULTI_I2V_MODELS = ['kling-v1-6'];
const OMNI_MODELS = ['kling-video-o1', 'kling-v3-omni'];
const MOTION_MODELS = ['kling-v2-6', 'kling-v3'];
const IMAGE_MODELS = ['kling-v1', 'kling-v1-5', 'kling-v2', 'kling-v2-new', 'kling-v2-1', 'kling-v3'];
const TRY_ON_MODELS = ['kolors-virtual-try-on-v1', 'kolors-virtual-try-on-v1-5'];
const DUAL_EFFECT_MODELS = ['kling-v1', 'kling-v1-5', 'kling-v1-6'];
/** The 15 dual-image scenes of the 09/2026 enum (DOC-NEW effects page) + the four 2025 ones (kling-api.md §3.6). */
const DUAL_EFFECT_SCENES = [
	'pet_skateboard', 'daily_ootd', 'toss_run', 'switch_to_silk', 'studio_look', 'french_elegance', 'finger_swipe', 'smooth_transition',
	'kiss_pro', 'snow_night_kiss', 'eternal_kiss', 'cheers_2026', 'fight_pro', 'hug_pro', 'heart_gesture_pro',
	'hug', 'kiss', 'heart_gesture', 'fight',
];
const VIDEO_ASPECT_RATIOS = ['16:9', '9:16', '1:1'];
const IMAGE_ASPECT_RATIOS = ['16:9', '9:16', '1:1', '4:3', '3:4', '3:2', '2:3', '21:9'];
const CAMERA_TYPES = ['simple', 'down_back', 'forward_up', 'right_turn_forward', 'left_turn_forward'];
const CAMERA_AXES = ['horizontal', 'vertical', 'pan', 'tilt', 'roll', 'zoom'];
const DURATIONS_CLASSIC = ['5', '10'];
const DURATIONS_V3 = ['3', '4', '5', '6', '7', '8', '9', '10', '11', '12', '13', '14', '15'];

/** @typedef {Record<string, unknown>} Obj */

/** @param {unknown} v */
const typeName = (v) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
/** @param {unknown} v @returns {v is Obj} */
const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
/**
 * Kling's own request examples send optional fields as empty strings (`"callback_url": ""`,
 * `"external_task_id": ""`, `"negative_prompt": ""`, `"video_id": ""` beside a video_url, `"prompt": ""`
 * with customised multi-shot — kling-api-2026.md sources, DOC-26 request examples), so an empty string
 * counts as "not given" everywhere; a required field that is empty is still "is required".
 * @param {unknown} v
 */
const present = (v) => v !== undefined && v !== null && v !== '';

/** @param {Obj} obj @param {readonly string[]} allowed @param {string} p */
function checkKeys(obj, allowed, p, where = '') {
	for (const key of Object.keys(obj)) {
		if (!allowed.includes(key)) throw new FieldError(p + key, `unknown field${where ? ` for ${where}` : ''}`);
	}
}

/** @param {string} field */
const missing = (field) => new FieldError(field, 'is required', 1200);

/**
 * @param {Obj} obj @param {string} key @param {string} p
 * @param {{ required?: boolean, max?: number, values?: readonly string[] }} [o]
 * @returns {string | undefined}
 */
function str(obj, key, p, o = {}) {
	const v = obj[key];
	if (!present(v)) {
		if (o.required) throw missing(p + key);
		return undefined;
	}
	if (typeof v !== 'string') throw new FieldError(p + key, `must be a string, got ${typeName(v)}`);
	if (o.required && v.trim() === '') throw missing(p + key);
	if (o.max !== undefined && [...v].length > o.max) {
		throw new FieldError(p + key, `must be at most ${o.max} characters (got ${[...v].length})`);
	}
	if (o.values && !o.values.includes(v)) {
		throw new FieldError(p + key, `must be one of ${o.values.join(', ')} (got "${v}")`);
	}
	return v;
}

/**
 * @param {Obj} obj @param {string} key @param {string} p
 * @param {{ required?: boolean, min?: number, max?: number, int?: boolean }} [o]
 * @returns {number | undefined}
 */
function num(obj, key, p, o = {}) {
	const v = obj[key];
	if (!present(v)) {
		if (o.required) throw missing(p + key);
		return undefined;
	}
	if (typeof v !== 'number' || !Number.isFinite(v)) throw new FieldError(p + key, `must be a number, got ${typeName(v)}`);
	if (o.int && !Number.isInteger(v)) throw new FieldError(p + key, 'must be an integer');
	if ((o.min !== undefined && v < o.min) || (o.max !== undefined && v > o.max)) {
		throw new FieldError(p + key, `must be between ${o.min} and ${o.max}`);
	}
	return v;
}

/**
 * Field tables type these as boolean, but Kling's own image2video multi-shot example sends
 * `"multi_shot": "true"` (DOC-26 L2925): the strings "true"/"false" are accepted too (UNCERTAIN).
 * @param {Obj} obj @param {string} key @param {string} p @returns {boolean | undefined}
 */
function bool(obj, key, p) {
	const v = obj[key];
	if (!present(v)) return undefined;
	if (v === 'true' || v === 'false') return v === 'true';
	if (typeof v !== 'boolean') throw new FieldError(p + key, `must be a boolean, got ${typeName(v)}`);
	return v;
}

/** Kling types `duration` as a string ("5"); a number is the classic client bug, so say so. */
function duration(/** @type {Obj} */ obj, /** @type {string} */ key, /** @type {string} */ p, /** @type {readonly string[]} */ values, required = false) {
	const v = obj[key];
	if (typeof v === 'number') throw new FieldError(p + key, `must be a string such as "5", not a number`);
	return str(obj, key, p, { required, values });
}

/** @param {string} value */
function isHttpUrl(value) {
	try {
		const u = new URL(value);
		return u.protocol === 'http:' || u.protocol === 'https:';
	} catch {
		return false;
	}
}

/**
 * An image/video/audio input: an http(s) URL or raw base64 (no `data:` prefix).
 * @param {Obj} obj @param {string} key @param {string} p
 * @param {{ required?: boolean, maxBytes?: number, urlOnly?: boolean, base64Only?: boolean }} [o]
 */
function media(obj, key, p, o = {}) {
	const v = str(obj, key, p, { required: o.required });
	if (v === undefined) return undefined;
	const field = p + key;
	if (v.trim() === '') throw new FieldError(field, 'must not be empty');
	if (/^data:/i.test(v.trim())) {
		throw new FieldError(field, 'must be a URL or raw base64 without a "data:...;base64," prefix');
	}
	if (/^[a-z][a-z0-9+.-]*:/i.test(v) && !/^[A-Za-z0-9+/]+={0,2}$/.test(v)) {
		if (o.base64Only) throw new FieldError(field, 'must be raw base64 data, not a URL');
		if (!isHttpUrl(v)) throw new FieldError(field, 'must be an http(s) URL or raw base64');
		return v;
	}
	if (o.urlOnly) throw new FieldError(field, 'must be an http(s) URL');
	const compact = v.replace(/\s+/g, '');
	if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) throw new FieldError(field, 'must be an http(s) URL or raw base64');
	if (o.maxBytes !== undefined && Math.floor((compact.length * 3) / 4) > o.maxBytes) {
		throw new FieldError(field, `must be at most ${o.maxBytes / 1024 / 1024} MB`);
	}
	return v;
}

/** @param {Obj} obj @param {string} key @param {string} p @param {{ required?: boolean, max?: number, min?: number }} [o] */
function arr(obj, key, p, o = {}) {
	const v = obj[key];
	if (!present(v)) {
		if (o.required) throw missing(p + key);
		return undefined;
	}
	if (!Array.isArray(v)) throw new FieldError(p + key, `must be an array, got ${typeName(v)}`);
	if (o.min !== undefined && v.length < o.min) {
		throw new FieldError(p + key, o.required && v.length === 0 ? 'must not be empty' : `must have at least ${o.min} entries`);
	}
	if (o.max !== undefined && v.length > o.max) throw new FieldError(p + key, `must have at most ${o.max} entries`);
	return v;
}

/** @param {Obj} obj @param {string} key @param {string} p @param {{ required?: boolean }} [o] @returns {Obj | undefined} */
function object(obj, key, p, o = {}) {
	const v = obj[key];
	if (!present(v)) {
		if (o.required) throw missing(p + key);
		return undefined;
	}
	if (!isObj(v)) throw new FieldError(p + key, `must be an object, got ${typeName(v)}`);
	return v;
}

// ---------------------------------------------------------------- shared field groups

/** @param {Obj} body */
function commonFields(body) {
	// "" = not set (Kling's own examples send "callback_url": "" and "external_task_id": "").
	const cb = str(body, 'callback_url', '');
	if (cb !== undefined && !isHttpUrl(cb)) throw new FieldError('callback_url', 'must be an http(s) URL');
	str(body, 'external_task_id', '');
	const wm = object(body, 'watermark_info', '');
	if (wm) {
		checkKeys(wm, ['enabled'], 'watermark_info.');
		bool(wm, 'enabled', 'watermark_info.');
	}
	str(body, 'model', '');
}

/** @param {Obj} body @param {string} p */
function cameraControl(body, p = '') {
	const cc = object(body, 'camera_control', p);
	if (!cc) return undefined;
	const cp = `${p}camera_control.`;
	checkKeys(cc, ['type', 'config'], cp);
	const type = str(cc, 'type', cp, { required: true, values: CAMERA_TYPES });
	if (type === 'simple') {
		const config = object(cc, 'config', cp, { required: true });
		if (!config) throw missing(`${cp}config`);
		checkKeys(config, CAMERA_AXES, `${cp}config.`);
		let nonZero = 0;
		for (const axis of CAMERA_AXES) {
			const v = num(config, axis, `${cp}config.`, { min: -10, max: 10 });
			if (v) nonZero++;
		}
		if (nonZero !== 1) {
			throw new FieldError(`${cp}config`, `exactly one of ${CAMERA_AXES.join(', ')} must be non-zero for type "simple" (got ${nonZero})`);
		}
	} else if (present(cc.config)) {
		// "config: required only for simple"; the docs say it need not be filled for the others. Accepted, not used.
		object(cc, 'config', cp);
	}
	return cc;
}

/**
 * Model-dependent options shared by text2video and image2video (§3.1, §3.2, §3.12).
 * @param {Obj} body @param {string} model
 */
function videoOptions(body, model) {
	const isV2x = model.startsWith('kling-v2');
	const isV3 = model === 'kling-v3';
	const hasAudio = model === 'kling-v2-6' || isV3;

	if (present(body.cfg_scale)) {
		num(body, 'cfg_scale', '', { min: 0, max: 1 });
		if (isV2x) throw new FieldError('cfg_scale', `is not supported by ${model} (kling-v2.x models do not support cfg_scale)`);
	}
	const mode = str(body, 'mode', '', { values: ['std', 'pro', '4k'] });
	if (mode === '4k' && !isV3) throw new FieldError('mode', `"4k" is only available for kling-v3 (got model ${model})`);
	if (model === 'kling-v2-master' && mode !== undefined && mode !== 'std') {
		throw new FieldError('mode', 'kling-v2-master does not support the mode parameter');
	}
	const dur = duration(body, 'duration', '', isV3 ? DURATIONS_V3 : DURATIONS_CLASSIC) ?? '5';

	const sound = str(body, 'sound', '', { values: ['on', 'off'] });
	if (sound === 'on' && !hasAudio) throw new FieldError('sound', `"on" is only supported by kling-v2-6 and kling-v3 (got model ${model})`);
	// Capability map (DOC-26 L894–1000): kling-v2-6 std is "only no audio"; start/end frame on v2-6 is "pro, only no audio".
	if (sound === 'on' && model === 'kling-v2-6') {
		if ((mode ?? 'std') !== 'pro') throw new FieldError('sound', '"on" needs mode "pro" on kling-v2-6 (std makes silent videos only)');
		if (present(body.image_tail)) throw new FieldError('sound', '"on" cannot be combined with image_tail on kling-v2-6 (start/end frame is silent only)');
	}

	const multiShot = bool(body, 'multi_shot', '');
	const shotType = str(body, 'shot_type', '', { values: ['customize', 'intelligence'] });
	if (multiShot && !isV3) throw new FieldError('multi_shot', `is only supported by kling-v3 (got model ${model})`);
	multiShotFields(body, multiShot, shotType, dur);

	const voices = arr(body, 'voice_list', '', { max: 2 });
	// Voice control: kling-v2-6 pro only in the capability map (kling-v3 "❌").
	if (voices && voices.length && model !== 'kling-v2-6') throw new FieldError('voice_list', `is only supported by kling-v2-6 (got model ${model})`);
	if (voices) {
		voices.forEach((v, i) => {
			if (!isObj(v)) throw new FieldError(`voice_list[${i}]`, 'must be an object');
			checkKeys(v, ['voice_id'], `voice_list[${i}].`);
			str(v, 'voice_id', `voice_list[${i}].`, { required: true });
		});
		if (voices.length && sound !== 'on') throw new FieldError('voice_list', 'requires sound "on"');
	}
	return { mode, duration: dur };
}

/**
 * multi_shot / shot_type / multi_prompt (DOC-26 t2v, i2v, omni): ≤6 shots, each ≥1 s, sum = duration.
 * @param {Obj} body @param {boolean | undefined} multiShot @param {string | undefined} shotType @param {string} dur
 */
function multiShotFields(body, multiShot, shotType, dur) {
	const prompts = arr(body, 'multi_prompt', '', { max: 6 });
	if (multiShot) {
		if (!shotType) throw missing('shot_type');
	} else {
		if (shotType !== undefined) throw new FieldError('shot_type', 'requires multi_shot: true');
		if (prompts !== undefined) throw new FieldError('multi_prompt', 'requires multi_shot: true');
	}
	if (multiShot && shotType === 'customize') {
		if (!prompts || prompts.length === 0) throw missing('multi_prompt');
		let total = 0;
		prompts.forEach((shot, i) => {
			const sp = `multi_prompt[${i}].`;
			if (!isObj(shot)) throw new FieldError(`multi_prompt[${i}]`, 'must be an object');
			checkKeys(shot, ['index', 'prompt', 'duration'], sp);
			num(shot, 'index', sp, { int: true, min: 1, max: 6 });
			// The field table says ≤512 characters per shot, but Kling's own omni multi-shot example
			// (DOC-26 L1751) sends 514: the docs disagree, so only the overall prompt limit is enforced.
			str(shot, 'prompt', sp, { required: true, max: MAX_PROMPT });
			const d = duration(shot, 'duration', sp, DURATIONS_V3.concat(['1', '2']), true);
			total += Number(d);
		});
		if (total !== Number(dur)) {
			throw new FieldError('multi_prompt', `shot durations must add up to duration ${dur} (got ${total})`);
		}
	}
}

/**
 * `element_list[{element_id}]`. The docs type element_id `long` (18-digit examples); whether Kling also
 * takes a quoted id is UNCERTAIN (kling-api-2026.md §4.2.3, §6 q3), so the simulator refuses a string:
 * a client must send the bare integer with every digit (checked byte for byte against `rawBody`).
 * @param {Obj} body @param {number} max
 */
function elementListOf(body, max) {
	const elements = arr(body, 'element_list', '', { max });
	if (!elements) return undefined;
	elements.forEach((e, i) => {
		const ep = `element_list[${i}].`;
		if (!isObj(e)) throw new FieldError(`element_list[${i}]`, 'must be an object');
		checkKeys(e, ['element_id'], ep);
		const id = e.element_id;
		if (!present(id)) throw missing(`${ep}element_id`);
		if (typeof id === 'string') throw new FieldError(`${ep}element_id`, 'must be a JSON integer (long), not a string');
		if (!Number.isInteger(id) || /** @type {number} */ (id) < 0) throw new FieldError(`${ep}element_id`, 'must be an integer id');
	});
	return elements;
}

/** The prompt string the lifecycle scans for `sim:` markers. */
const promptText = (/** @type {Obj} */ body) => {
	const parts = [body.prompt, body.negative_prompt, body.external_task_id];
	if (isObj(body.input)) parts.push(body.input.text);
	if (Array.isArray(body.multi_prompt)) for (const s of body.multi_prompt) if (isObj(s)) parts.push(s.prompt);
	return parts.filter((x) => typeof x === 'string').join('\n');
};

// ---------------------------------------------------------------- endpoints

/**
 * `externalTaskId: false` = the endpoint's field table has no external_task_id row (refused, see COMMON_FIELDS).
 * @type {Record<string, { fields: string[], externalTaskId?: false, check: (body: Obj) => void }>}
 */
const VALIDATORS = {
	textToVideo: {
		fields: ['model_name', 'prompt', 'negative_prompt', 'cfg_scale', 'mode', 'camera_control', 'aspect_ratio', 'duration', 'sound', 'multi_shot', 'shot_type', 'multi_prompt', 'voice_list'],
		check(body) {
			const model = str(body, 'model_name', '', { values: T2V_MODELS }) ?? 'kling-v1';
			// DOC-25: prompt required; DOC-26: optional when multi_shot uses customized shots. Both accepted.
			const customShots = (body.multi_shot === true || body.multi_shot === 'true') && body.shot_type === 'customize';
			str(body, 'prompt', '', { required: !customShots, max: MAX_PROMPT });
			str(body, 'negative_prompt', '', { max: MAX_PROMPT });
			str(body, 'aspect_ratio', '', { values: VIDEO_ASPECT_RATIOS });
			videoOptions(body, model);
			cameraControl(body);
		},
	},
	imageToVideo: {
		fields: ['model_name', 'image', 'image_tail', 'prompt', 'negative_prompt', 'cfg_scale', 'mode', 'static_mask', 'dynamic_masks', 'camera_control', 'duration', 'sound', 'multi_shot', 'shot_type', 'multi_prompt', 'element_list', 'voice_list'],
		check(body) {
			const model = str(body, 'model_name', '', { values: I2V_MODELS }) ?? 'kling-v1';
			// DOC-25: image required; DOC-26: image optional but "at least one of image or image_tail". Accept both.
			const image = media(body, 'image', '', { maxBytes: IMAGE_MAX_BYTES });
			const tail = media(body, 'image_tail', '', { maxBytes: IMAGE_MAX_BYTES });
			if (!image && !tail) throw new FieldError('image', 'is required (at least one of image or image_tail must be provided)', 1200);
			str(body, 'prompt', '', { max: MAX_PROMPT });
			str(body, 'negative_prompt', '', { max: MAX_PROMPT });
			videoOptions(body, model);
			const staticMask = media(body, 'static_mask', '', { maxBytes: IMAGE_MAX_BYTES });
			const masks = arr(body, 'dynamic_masks', '', { max: 6 });
			if (masks) {
				masks.forEach((m, i) => {
					const mp = `dynamic_masks[${i}].`;
					if (!isObj(m)) throw new FieldError(`dynamic_masks[${i}]`, 'must be an object');
					checkKeys(m, ['mask', 'trajectories'], mp);
					media(m, 'mask', mp, { required: true, maxBytes: IMAGE_MAX_BYTES });
					const traj = arr(m, 'trajectories', mp, { required: true, min: 2, max: 77 }) ?? [];
					traj.forEach((pt, j) => {
						const tp = `${mp}trajectories[${j}].`;
						if (!isObj(pt)) throw new FieldError(`${mp}trajectories[${j}]`, 'must be an object {x, y}');
						checkKeys(pt, ['x', 'y'], tp);
						num(pt, 'x', tp, { required: true, int: true });
						num(pt, 'y', tp, { required: true, int: true });
					});
				});
			}
			const camera = cameraControl(body);
			// "image+image_tail, dynamic_masks/static_mask, and camera_control cannot be used at the same time".
			const groups = [
				tail && image ? 'image_tail' : null,
				staticMask || (masks && masks.length) ? (staticMask ? 'static_mask' : 'dynamic_masks') : null,
				camera ? 'camera_control' : null,
			].filter(Boolean);
			if (groups.length > 1) {
				throw new FieldError(String(groups[1]), `cannot be combined with ${groups[0]} (image+image_tail, static_mask/dynamic_masks and camera_control are mutually exclusive)`);
			}
			const elements = elementListOf(body, 3);
			// Element control: kling-v3 only in the capability map.
			if (elements && elements.length && model !== 'kling-v3') throw new FieldError('element_list', `is only supported by kling-v3 (got model ${model})`);
			if (elements) {
				if (elements.length && Array.isArray(body.voice_list) && body.voice_list.length) {
					throw new FieldError('element_list', 'cannot be combined with voice_list');
				}
			}
		},
	},
	multiImageToVideo: {
		fields: ['model_name', 'image_list', 'prompt', 'negative_prompt', 'mode', 'duration', 'aspect_ratio'],
		check(body) {
			str(body, 'model_name', '', { values: MULTI_I2V_MODELS });
			const list = arr(body, 'image_list', '', { required: true, min: 1, max: 4 }) ?? [];
			list.forEach((entry, i) => {
				if (!isObj(entry)) throw new FieldError(`image_list[${i}]`, 'must be an object {image}');
				checkKeys(entry, ['image'], `image_list[${i}].`);
				media(entry, 'image', `image_list[${i}].`, { required: true, maxBytes: IMAGE_MAX_BYTES });
			});
			str(body, 'prompt', '', { required: true, max: MAX_PROMPT });
			str(body, 'negative_prompt', '', { max: MAX_PROMPT });
			str(body, 'mode', '', { values: ['std', 'pro'] });
			duration(body, 'duration', '', DURATIONS_CLASSIC);
			str(body, 'aspect_ratio', '', { values: VIDEO_ASPECT_RATIOS });
		},
	},
	extendVideo: {
		fields: ['video_id', 'prompt', 'negative_prompt', 'cfg_scale'],
		check(body) {
			str(body, 'video_id', '', { required: true });
			str(body, 'prompt', '', { max: MAX_PROMPT });
			// The capability map says extension ignores negative_prompt/cfg_scale; the field table lists them. Accepted.
			str(body, 'negative_prompt', '', { max: MAX_PROMPT });
			num(body, 'cfg_scale', '', { min: 0, max: 1 });
		},
	},
	lipSync: {
		fields: ['input'],
		// Not in any 2026 official copy; the reseller table mirroring the old page lists input + callback_url only.
		externalTaskId: false,
		check(body) {
			const input = object(body, 'input', '', { required: true });
			if (!input) throw missing('input');
			const p = 'input.';
			checkKeys(input, ['video_id', 'video_url', 'mode', 'text', 'voice_id', 'voice_language', 'voice_speed', 'audio_type', 'audio_file', 'audio_url'], p);
			const mode = str(input, 'mode', p, { required: true, values: ['text2video', 'audio2video'] });
			const videoId = str(input, 'video_id', p);
			const videoUrl = media(input, 'video_url', p, { urlOnly: true });
			if (!videoId && !videoUrl) throw new FieldError('input.video_id', 'video_id or video_url is required', 1200);
			if (videoId && videoUrl) throw new FieldError('input.video_url', 'cannot be combined with input.video_id (use exactly one)');
			str(input, 'voice_language', p, { values: ['zh', 'en'] });
			num(input, 'voice_speed', p, { min: 0.8, max: 2.0 });
			if (mode === 'text2video') {
				str(input, 'text', p, { required: true, max: 120 });
				str(input, 'voice_id', p, { required: true });
			} else {
				const audioType = str(input, 'audio_type', p, { required: true, values: ['file', 'url'] });
				if (audioType === 'file') media(input, 'audio_file', p, { required: true, base64Only: true, maxBytes: AUDIO_MAX_BYTES });
				else media(input, 'audio_url', p, { required: true, urlOnly: true });
			}
		},
	},
	videoEffects: {
		fields: ['effect_scene', 'input'],
		check(body) {
			// 219 scenes in the 09/2026 enum and growing: any non-empty string. Two-image scenes (the 15 of
			// the current enum, plus the four 2025 ones Kling retired or still documents) take `images`.
			const scene = str(body, 'effect_scene', '', { required: true });
			const input = object(body, 'input', '', { required: true });
			if (!input || !scene) throw missing('input');
			const p = 'input.';
			// Three documented input shapes (kling-api-2026.md §4.6, UNCERTAIN which extra keys Kling still
			// tolerates): 09/2026 single {image} / dual {images}; 02/2026 adds duration ("5"|"10" single,
			// "5" dual); 2025 dual {model_name, mode, images, duration}. All three are accepted.
			// A scene outside both lists (Kling keeps adding them) is judged by its input: `images` = two-image
			// (UNCERTAIN: the simulator cannot know a new scene's kind; Kling decides).
			if (DUAL_EFFECT_SCENES.includes(scene) || present(input.images)) {
				checkKeys(input, ['model_name', 'mode', 'images', 'image', 'duration'], p, `effect_scene "${scene}"`);
				const model = str(input, 'model_name', p, { values: DUAL_EFFECT_MODELS });
				if (scene === 'fight' && model && model !== 'kling-v1-6') {
					throw new FieldError('input.model_name', 'effect_scene "fight" only supports kling-v1-6');
				}
				str(input, 'mode', p, { values: ['std', 'pro'] });
				// The 2025 field table names it `image` (array), every example `images`: both accepted (UNCERTAIN).
				const key = present(input.images) ? 'images' : 'image';
				if (present(input.images) && present(input.image)) throw new FieldError('input.image', 'use either images or image, not both');
				const images = arr(input, key, p, { required: true });
				if (!images) throw missing('input.images');
				if (images.length !== 2) throw new FieldError(`input.${key}`, `must contain exactly 2 images (got ${images.length})`);
				images.forEach((img, i) => media({ [i]: img }, String(i), `input.${key}.`, { required: true, maxBytes: IMAGE_MAX_BYTES }));
				duration(input, 'duration', p, DURATIONS_CLASSIC);
			} else {
				// ComfyUI sends model_name here too (third party); accepted as a plain string.
				checkKeys(input, ['image', 'duration', 'model_name'], p, `effect_scene "${scene}"`);
				str(input, 'model_name', p);
				if (Array.isArray(input.image)) throw new FieldError('input.image', `must be a single image for effect_scene "${scene}"`);
				media(input, 'image', p, { required: true, maxBytes: IMAGE_MAX_BYTES });
				duration(input, 'duration', p, DURATIONS_CLASSIC);
			}
		},
	},
	// ---- 2026 video families (kling-api-2026.md §2(b) b.2–b.6; DOC-26 field tables) ----
	omniVideo: {
		fields: ['model_name', 'multi_shot', 'shot_type', 'prompt', 'multi_prompt', 'image_list', 'element_list', 'video_list', 'sound', 'mode', 'aspect_ratio', 'duration'],
		check(body) {
			const model = str(body, 'model_name', '', { values: OMNI_MODELS }) ?? 'kling-video-o1';
			const isV3 = model === 'kling-v3-omni';
			const multiShot = bool(body, 'multi_shot', '');
			const shotType = str(body, 'shot_type', '', { values: ['customize', 'intelligence'] });
			// DOC-26: prompt must not be empty unless multi_shot with shot_type customize.
			str(body, 'prompt', '', { required: !(multiShot && shotType === 'customize'), max: MAX_PROMPT });
			const mode = str(body, 'mode', '', { values: ['std', 'pro', '4k'] }) ?? 'pro';
			const images = arr(body, 'image_list', '') ?? [];
			let first = false;
			let end = false;
			images.forEach((e, i) => {
				const ip = `image_list[${i}].`;
				if (!isObj(e)) throw new FieldError(`image_list[${i}]`, 'must be an object {image_url, type?}');
				checkKeys(e, ['image_url', 'type'], ip);
				media(e, 'image_url', ip, { required: true, maxBytes: IMAGE_MAX_BYTES });
				const type = str(e, 'type', ip, { values: ['first_frame', 'end_frame'] });
				if (type === 'first_frame') first = true;
				if (type === 'end_frame') end = true;
			});
			if (end && !first) throw new FieldError('image_list', 'an end_frame needs a first_frame (end frame alone is not supported)');
			const elements = elementListOf(body, 7) ?? [];
			const videos = arr(body, 'video_list', '', { max: 1 }) ?? [];
			let base = false;
			videos.forEach((v, i) => {
				const vp = `video_list[${i}].`;
				if (!isObj(v)) throw new FieldError(`video_list[${i}]`, 'must be an object {video_url, refer_type?, keep_original_sound?}');
				checkKeys(v, ['video_url', 'refer_type', 'keep_original_sound'], vp);
				media(v, 'video_url', vp, { required: true, urlOnly: true });
				base = (str(v, 'refer_type', vp, { values: ['feature', 'base'] }) ?? 'base') === 'base';
				str(v, 'keep_original_sound', vp, { values: ['yes', 'no'] });
			});
			const refs = images.length + elements.length;
			if (videos.length ? refs > 4 : refs > 7) {
				throw new FieldError('image_list', `images + elements must be at most ${videos.length ? 4 : 7} ${videos.length ? 'with' : 'without'} a reference video (got ${refs})`);
			}
			if (first && elements.length > 3) throw new FieldError('element_list', 'at most 3 elements with a first frame');
			if (base && (first || end)) throw new FieldError('image_list', 'first/end frames cannot be combined with a base (edit) video');
			if (mode === '4k' && !isV3) throw new FieldError('mode', '"4k" is only available for kling-v3-omni');
			if (mode === '4k' && videos.length) throw new FieldError('mode', '"4k" is not available with a reference video');
			const sound = str(body, 'sound', '', { values: ['on', 'off'] });
			if (sound === 'on' && videos.length) throw new FieldError('sound', 'can only be "off" with a reference video');
			// "required when NOT using first-frame reference or video editing" (DOC-26): refused when missing.
			const ratio = str(body, 'aspect_ratio', '', { values: VIDEO_ASPECT_RATIOS });
			if (!ratio && !first && !base) throw new FieldError('aspect_ratio', 'is required without a first frame or a base video', 1200);
			const dur = duration(body, 'duration', '', isV3 ? DURATIONS_V3 : DURATIONS_V3.slice(0, 8)) ?? '5';
			if (multiShot && !isV3) throw new FieldError('multi_shot', `is only supported by kling-v3-omni (got model ${model})`);
			multiShotFields(body, multiShot, shotType, dur);
		},
	},
	motionControl: {
		fields: ['model_name', 'prompt', 'image_url', 'video_url', 'element_list', 'keep_original_sound', 'character_orientation', 'mode'],
		check(body) {
			const model = str(body, 'model_name', '', { values: MOTION_MODELS }) ?? 'kling-v2-6';
			str(body, 'prompt', '', { max: MAX_PROMPT });
			media(body, 'image_url', '', { required: true, maxBytes: IMAGE_MAX_BYTES });
			media(body, 'video_url', '', { required: true, urlOnly: true });
			const elements = elementListOf(body, 1);
			if (elements && elements.length && model !== 'kling-v3') throw new FieldError('element_list', `is only supported by kling-v3 (got model ${model})`);
			str(body, 'keep_original_sound', '', { values: ['yes', 'no'] });
			str(body, 'character_orientation', '', { required: true, values: ['image', 'video'] });
			str(body, 'mode', '', { required: true, values: ['std', 'pro'] });
		},
	},
	avatar: {
		fields: ['image', 'audio_id', 'sound_file', 'prompt', 'mode'],
		check(body) {
			media(body, 'image', '', { required: true, maxBytes: IMAGE_MAX_BYTES });
			const audioId = str(body, 'audio_id', '');
			const sound = media(body, 'sound_file', '', { maxBytes: AUDIO_MAX_BYTES });
			if (!audioId && !sound) throw new FieldError('audio_id', 'audio_id or sound_file is required', 1200);
			if (audioId && sound) throw new FieldError('sound_file', 'cannot be combined with audio_id (use exactly one)');
			str(body, 'prompt', '', { max: MAX_PROMPT });
			str(body, 'mode', '', { values: ['std', 'pro'] });
		},
	},
	advancedLipSync: {
		fields: ['session_id', 'face_choose'],
		check(body) {
			str(body, 'session_id', '', { required: true });
			// "face_choose … currently only one face" (DOC-26 L4930).
			const faces = arr(body, 'face_choose', '', { required: true, min: 1, max: 1 }) ?? [];
			faces.forEach((f, i) => {
				const fp = `face_choose[${i}].`;
				if (!isObj(f)) throw new FieldError(`face_choose[${i}]`, 'must be an object');
				checkKeys(f, ['face_id', 'audio_id', 'sound_file', 'sound_start_time', 'sound_end_time', 'sound_insert_time', 'sound_volume', 'original_audio_volume'], fp);
				str(f, 'face_id', fp, { required: true });
				const audioId = str(f, 'audio_id', fp);
				const sound = media(f, 'sound_file', fp, { maxBytes: AUDIO_MAX_BYTES });
				if (!audioId && !sound) throw new FieldError(`${fp}audio_id`, 'audio_id or sound_file is required', 1200);
				if (audioId && sound) throw new FieldError(`${fp}sound_file`, 'cannot be combined with audio_id (use exactly one)');
				const start = num(f, 'sound_start_time', fp, { required: true, int: true, min: 0, max: Number.MAX_SAFE_INTEGER });
				const end = num(f, 'sound_end_time', fp, { required: true, int: true, min: 0, max: Number.MAX_SAFE_INTEGER });
				num(f, 'sound_insert_time', fp, { required: true, int: true, min: 0, max: Number.MAX_SAFE_INTEGER });
				// "the cropped audio must be 2 seconds or longer" (DOC-26); the audio itself is 2–60 s.
				if (start !== undefined && end !== undefined && end - start < 2000) throw new FieldError(`${fp}sound_end_time`, 'the cropped audio (sound_end_time - sound_start_time) must be at least 2000 ms');
				num(f, 'sound_volume', fp, { min: 0, max: 2 });
				num(f, 'original_audio_volume', fp, { min: 0, max: 2 });
			});
		},
	},
	multiElements: {
		// model_name: DOC-CN lists it (default kling-v1-6), DOC-26 example sends it, DOC-NEW has none: accepted.
		fields: ['model_name', 'session_id', 'edit_mode', 'image_list', 'prompt', 'negative_prompt', 'mode', 'duration'],
		check(body) {
			str(body, 'model_name', '', { values: ['kling-v1-6'] });
			str(body, 'session_id', '', { required: true });
			const editMode = str(body, 'edit_mode', '', { required: true, values: ['addition', 'swap', 'removal'] });
			const images = arr(body, 'image_list', '') ?? [];
			images.forEach((e, i) => {
				if (!isObj(e)) throw new FieldError(`image_list[${i}]`, 'must be an object {image}');
				checkKeys(e, ['image'], `image_list[${i}].`);
				media(e, 'image', `image_list[${i}].`, { required: true, maxBytes: IMAGE_MAX_BYTES });
			});
			const [min, max] = editMode === 'addition' ? [1, 2] : editMode === 'swap' ? [1, 1] : [0, 0];
			if (images.length < min || images.length > max) throw new FieldError('image_list', `must have ${min === max ? min : `${min} to ${max}`} image(s) for edit_mode "${editMode}" (got ${images.length})`);
			str(body, 'prompt', '', { required: true, max: MAX_PROMPT });
			str(body, 'negative_prompt', '', { max: MAX_PROMPT });
			str(body, 'mode', '', { values: ['std', 'pro'] });
			duration(body, 'duration', '', DURATIONS_CLASSIC);
		},
	},
	imageGeneration: {
		fields: ['model_name', 'prompt', 'negative_prompt', 'image', 'image_reference', 'image_fidelity', 'human_fidelity', 'element_list', 'resolution', 'n', 'aspect_ratio'],
		check(body) {
			const model = str(body, 'model_name', '', { values: IMAGE_MODELS });
			str(body, 'prompt', '', { required: true, max: MAX_PROMPT });
			const image = media(body, 'image', '', { maxBytes: IMAGE_MAX_BYTES });
			// element_list: kling-v3 (DOC-NEW generation page); elements + reference images at most 10. Without
			// model_name the default is disputed (kling-v3 in the table, V1 in the text), so only another explicit model is refused.
			const elements = elementListOf(body, 10);
			if (elements && elements.length && model !== undefined && model !== 'kling-v3') throw new FieldError('element_list', `is only supported by kling-v3 (got model ${model})`);
			if (elements && elements.length + (image ? 1 : 0) > 10) throw new FieldError('element_list', 'elements + reference image must be at most 10');
			const negative = str(body, 'negative_prompt', '', { max: MAX_PROMPT });
			if (negative && image) throw new FieldError('negative_prompt', 'is not supported when image is set');
			const reference = str(body, 'image_reference', '', { values: ['subject', 'face'] });
			if (reference && !image) throw new FieldError('image', `is required when image_reference is "${reference}"`, 1200);
			num(body, 'image_fidelity', '', { min: 0, max: 1 });
			const human = num(body, 'human_fidelity', '', { min: 0, max: 1 });
			if (human !== undefined && reference !== 'subject') {
				throw new FieldError('human_fidelity', 'is only allowed when image_reference is "subject"');
			}
			// Which models allow 2k differs between editions (UNCERTAIN): any model accepted.
			str(body, 'resolution', '', { values: ['1k', '2k'] });
			num(body, 'n', '', { int: true, min: 1, max: 9 });
			const ratio = str(body, 'aspect_ratio', '', { values: IMAGE_ASPECT_RATIOS });
			// 21:9 is not available on kling-v1; the default model is disputed (UNCERTAIN), so only an explicit kling-v1 is refused.
			if (ratio === '21:9' && model === 'kling-v1') throw new FieldError('aspect_ratio', '21:9 is not supported by kling-v1');
		},
	},
	imageExpand: {
		fields: ['image', 'up_expansion_ratio', 'down_expansion_ratio', 'left_expansion_ratio', 'right_expansion_ratio', 'prompt', 'n'],
		check(body) {
			media(body, 'image', '', { required: true, maxBytes: IMAGE_MAX_BYTES });
			// Marked "Required" with default 0 in the same table: missing ratios are accepted as 0.
			const r = (/** @type {string} */ k) => num(body, k, '', { min: 0, max: 2 }) ?? 0;
			const up = r('up_expansion_ratio');
			const down = r('down_expansion_ratio');
			const left = r('left_expansion_ratio');
			const right = r('right_expansion_ratio');
			const area = (1 + up + down) * (1 + left + right);
			if (area > 3 + 1e-9) {
				throw new FieldError('up_expansion_ratio', `the expanded image (up/down/left/right_expansion_ratio) must be at most 3x the original area (got ${area.toFixed(2)}x)`);
			}
			str(body, 'prompt', '', { max: MAX_PROMPT });
			num(body, 'n', '', { int: true, min: 1, max: 9 });
		},
	},
	virtualTryOn: {
		fields: ['model_name', 'human_image', 'cloth_image'],
		check(body) {
			str(body, 'model_name', '', { values: TRY_ON_MODELS });
			media(body, 'human_image', '', { required: true, maxBytes: IMAGE_MAX_BYTES });
			media(body, 'cloth_image', '', { maxBytes: IMAGE_MAX_BYTES });
		},
	},
};

/**
 * Validate a create body for `type`; throws FieldError.
 * @param {string} type @param {unknown} body
 */
function validateCreate(type, body) {
	const v = VALIDATORS[type];
	if (!v) throw new FieldError('', `unknown task type ${type}`, 1200);
	if (!isObj(body)) throw new FieldError('body', `must be a JSON object, got ${typeName(body)}`, 1200);
	checkKeys(body, v.fields.concat(COMMON_FIELDS, v.externalTaskId === false ? [] : [EXTERNAL_ID]), '');
	commonFields(body);
	v.check(body);
}

module.exports = {
	validateCreate,
	FieldError,
	promptText,
	isHttpUrl,
	VALIDATORS,
	COMMON_FIELDS,
	MODELS: { T2V_MODELS, I2V_MODELS, MULTI_I2V_MODELS, IMAGE_MODELS, TRY_ON_MODELS, DUAL_EFFECT_MODELS, OMNI_MODELS, MOTION_MODELS },
	// Helpers for the synchronous calls (identify-face, multi-elements selection) in index.js.
	FieldErrorHelpers: { str, num, arr, media, checkKeys, isObj, missing, bool },
	DUAL_EFFECT_SCENES,
	IMAGE_ASPECT_RATIOS,
	elementListOf,
};
// Audio and newer image families (test/simulator/mediaFamilies.js), after the exports it uses.
Object.assign(VALIDATORS, require('./mediaFamilies').VALIDATORS);

// The voice and element create validators live in library.js and join VALIDATORS when it loads (after the exports above).
require('./library');
