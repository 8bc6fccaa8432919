// @ts-check
'use strict';
/**
 * The audio and newer image families of the simulator (kling-api-2026.md b.7–b.9, b.12–b.16, §3.1):
 * text to audio, video to audio, omni image, multi-image to image, AI multi-shot (tasks), text to speech and
 * image recognize (synchronous). Mounted by small hooks in index.js (endpoints, sync calls, results, media)
 * and validate.js (validators). Bodies and results follow Kling's documented request/response examples
 * (test/unit/fixtures/klingDocExamples.ts); where the docs do not decide, a comment says what the simulator does.
 */
const crypto = require('node:crypto');
const { FieldError, FieldErrorHelpers: V, MODELS, IMAGE_ASPECT_RATIOS, elementListOf } = require('./validate');

const ENDPOINTS = Object.freeze({
	textToAudio: { path: '/v1/audio/text-to-audio', resultKind: 'audios' },
	videoToAudio: { path: '/v1/audio/video-to-audio', resultKind: 'videos+audios' },
	omniImage: { path: '/v1/images/omni-image', resultKind: 'images' },
	multiImageToImage: { path: '/v1/images/multi-image2image', resultKind: 'images' },
	aiMultiShot: { path: '/v1/general/ai-multi-shot', resultKind: 'images' },
});

/** Synchronous: the answer is the result (no task to query, no callback). */
const SYNC_PATHS = Object.freeze({
	textToSpeech: '/v1/audio/tts',
	imageRecognize: '/v1/videos/image-recognize',
});

const IMAGE_MAX_BYTES = 10 * 1024 * 1024;
const MAX_PROMPT = 2500;
const OMNI_IMAGE_MODELS = ['kling-image-o1', 'kling-v3-omni'];
const SERIES_AMOUNTS = [2, 3, 4, 5, 6, 7, 8, 9];
const SEGMENTS = ['object_seg', 'head_seg', 'face_seg', 'cloth_seg'];

/** @typedef {Record<string, unknown>} Obj */

/**
 * These families' field tables have no watermark_info (and no legacy `model` spelling), which validate.js
 * accepts on every endpoint (COMMON_FIELDS): refused here so the simulator does not accept more than the docs.
 * @param {Obj} body
 */
function noCommonExtras(body) {
	for (const key of ['watermark_info', 'model']) if (key in body) throw new FieldError(key, 'unknown field');
}

/** @param {Obj} body @param {string} key */
function audioPrompt(body, key, required = false) {
	return V.str(body, key, '', { required, max: 200 });
}

/** @type {Record<string, { fields: string[], check: (body: Obj) => void }>} */
const VALIDATORS = {
	textToAudio: {
		fields: ['prompt', 'duration'],
		check(body) {
			noCommonExtras(body);
			audioPrompt(body, 'prompt', true);
			// float 3.0–10.0, "supports one decimal place precision"; the documented example sends 3 (a JSON number).
			const d = V.num(body, 'duration', '', { required: true, min: 3, max: 10 });
			if (d !== undefined && Math.abs(Math.round(d * 10) - d * 10) > 1e-9) throw new FieldError('duration', 'must have at most one decimal place');
		},
	},
	videoToAudio: {
		fields: ['video_id', 'video_url', 'sound_effect_prompt', 'bgm_prompt', 'asmr_mode'],
		check(body) {
			noCommonExtras(body);
			const videoId = V.str(body, 'video_id', '');
			// "Link for uploaded video": a URL; whether base64 is also taken is not documented (refused).
			const videoUrl = V.media(body, 'video_url', '', { urlOnly: true });
			if (!videoId && !videoUrl) throw new FieldError('video_id', 'video_id or video_url is required', 1200);
			if (videoId && videoUrl) throw new FieldError('video_url', 'cannot be combined with video_id (use exactly one)');
			audioPrompt(body, 'sound_effect_prompt');
			audioPrompt(body, 'bgm_prompt');
			V.bool(body, 'asmr_mode', '');
		},
	},
	omniImage: {
		fields: ['model_name', 'prompt', 'image_list', 'element_list', 'resolution', 'result_type', 'n', 'series_amount', 'aspect_ratio'],
		check(body) {
			const model = V.str(body, 'model_name', '', { values: OMNI_IMAGE_MODELS }) ?? 'kling-image-o1';
			const v3 = model === 'kling-v3-omni';
			V.str(body, 'prompt', '', { required: true, max: MAX_PROMPT });
			const images = V.arr(body, 'image_list', '') ?? [];
			images.forEach((e, i) => {
				if (!V.isObj(e)) throw new FieldError(`image_list[${i}]`, 'must be an object {image}');
				V.checkKeys(e, ['image'], `image_list[${i}].`);
				V.media(e, 'image', `image_list[${i}].`, { required: true, maxBytes: IMAGE_MAX_BYTES });
			});
			const elements = elementListOf(body, 10) ?? [];
			if (images.length + elements.length > 10) throw new FieldError('image_list', `reference images + elements must be at most 10 (got ${images.length + elements.length})`);
			// Capability map (DOC-NEW capability-map/image): Image O1 1K/2K, single only; 3.0 Omni 1K–4K, series.
			const resolution = V.str(body, 'resolution', '', { values: ['1k', '2k', '4k'] });
			if (resolution === '4k' && !v3) throw new FieldError('resolution', `"4k" is only supported by kling-v3-omni (got model ${model})`);
			const resultType = V.str(body, 'result_type', '', { values: ['single', 'series'] }) ?? 'single';
			if (resultType === 'series' && !v3) throw new FieldError('result_type', `"series" is only supported by kling-v3-omni (got model ${model})`);
			V.num(body, 'n', '', { int: true, min: 1, max: 9 });
			const amount = body.series_amount;
			// int 2–9 or the word "auto" (the enum lists both); "n … is invalid for series" = ignored, not refused.
			if (amount !== undefined && amount !== '' && amount !== 'auto' && !(typeof amount === 'number' && SERIES_AMOUNTS.includes(amount))) {
				throw new FieldError('series_amount', `must be an integer 2 to 9 or "auto" (got ${JSON.stringify(amount)})`);
			}
			const ratio = V.str(body, 'aspect_ratio', '', { values: [...IMAGE_ASPECT_RATIOS, 'auto'] }) ?? 'auto';
			// Capability map: 3.0 Omni text-to-image "Auto ratio is not supported".
			if (v3 && ratio === 'auto' && images.length + elements.length === 0) throw new FieldError('aspect_ratio', '"auto" is not supported by kling-v3-omni without reference images or elements');
		},
	},
	multiImageToImage: {
		// negative_prompt is not in the field table, but Kling's own request example sends "negative_prompt": "":
		// the key is accepted when empty (= not given) and refused with a value.
		fields: ['model_name', 'prompt', 'negative_prompt', 'subject_image_list', 'scene_image', 'style_image', 'n', 'aspect_ratio'],
		check(body) {
			V.str(body, 'model_name', '', { values: ['kling-v2-1'] });
			V.str(body, 'prompt', '', { max: MAX_PROMPT });
			if (V.str(body, 'negative_prompt', '') !== undefined) throw new FieldError('negative_prompt', 'is not a field of multi-image2image (only an empty value, as in the documented example, is tolerated)');
			const subjects = V.arr(body, 'subject_image_list', '', { required: true, min: 1, max: 4 }) ?? [];
			subjects.forEach((e, i) => {
				if (!V.isObj(e)) throw new FieldError(`subject_image_list[${i}]`, 'must be an object {subject_image}');
				V.checkKeys(e, ['subject_image'], `subject_image_list[${i}].`);
				V.media(e, 'subject_image', `subject_image_list[${i}].`, { required: true, maxBytes: IMAGE_MAX_BYTES });
			});
			V.media(body, 'scene_image', '', { maxBytes: IMAGE_MAX_BYTES });
			V.media(body, 'style_image', '', { maxBytes: IMAGE_MAX_BYTES });
			V.num(body, 'n', '', { int: true, min: 1, max: 9 });
			V.str(body, 'aspect_ratio', '', { values: IMAGE_ASPECT_RATIOS });
		},
	},
	aiMultiShot: {
		fields: ['element_frontal_image'],
		check(body) {
			noCommonExtras(body);
			V.media(body, 'element_frontal_image', '', { required: true, maxBytes: IMAGE_MAX_BYTES });
		},
	},
};

/**
 * Validate a synchronous call's body; throws FieldError.
 * @param {string} call @param {unknown} body
 */
function validateSync(call, body) {
	if (!V.isObj(body)) throw new FieldError('body', 'must be a JSON object', 1200);
	const b = /** @type {Obj} */ (body);
	if (call === 'textToSpeech') {
		V.checkKeys(b, ['text', 'voice_id', 'voice_language', 'voice_speed'], '');
		V.str(b, 'text', '', { required: true, max: 1000 });
		V.str(b, 'voice_id', '', { required: true });
		// Marked "Required" with "Default to zh" in the same table: a missing value is accepted as zh.
		V.str(b, 'voice_language', '', { values: ['zh', 'en'] });
		// "values outside this range will be automatically rounded": not refused, only the type is checked.
		V.num(b, 'voice_speed', '');
		return;
	}
	if (call === 'imageRecognize') {
		V.checkKeys(b, ['image'], '');
		V.media(b, 'image', '', { required: true, maxBytes: IMAGE_MAX_BYTES });
		return;
	}
	throw new FieldError('', `unknown call ${call}`, 1200);
}

/**
 * The media ids the synchronous calls produced (their files are served like task results).
 * @param {any} sim @returns {Set<string>}
 */
function syncMediaIds(sim) {
	if (!sim.syncMediaIds) sim.syncMediaIds = new Set();
	return sim.syncMediaIds;
}

/**
 * Answer a synchronous call: the data of Kling's documented response. TTS answers a finished task object
 * (DOC-26 L6000); whether it can answer `submitted` without audios is undocumented (the simulator never does).
 * Image recognize answers only task_result and the deduction (DOC-26 L6420), no task id.
 * @param {any} sim @param {string} call @param {unknown} body @returns {Record<string, any>}
 */
function syncAnswer(sim, call, body) {
	validateSync(call, body);
	const b = /** @type {Record<string, any>} */ (body);
	const id = `${sim.idPrefix}${String(++sim.seq).padStart(10, '0')}`;
	syncMediaIds(sim).add(id);
	const base = `${sim.mediaUrl}/media/${id}`;
	const now = Date.now();
	if (call === 'textToSpeech') {
		// About 15 characters per second at speed 1 (the real rate is undocumented).
		const seconds = Math.max(1, Math.round(([...String(b.text)].length / 15 / (typeof b.voice_speed === 'number' && b.voice_speed > 0 ? b.voice_speed : 1)) * 10) / 10);
		return {
			task_id: id,
			task_status: 'succeed',
			task_status_msg: '',
			task_result: { audios: [{ id: crypto.randomUUID(), url: `${base}/0.mp3`, duration: String(seconds) }] },
			final_unit_deduction: '0.1',
			created_at: now,
			updated_at: now,
		};
	}
	return {
		final_unit_deduction: '0.1',
		task_result: { images: SEGMENTS.map((type, k) => ({ type, is_contain: true, url: `${base}/g${k}.png` })) },
	};
}

/**
 * Extra task_info of a new task: video to audio names its source video (parent_video, DOC-26 L5820).
 * @param {any} sim @param {string} type @param {Record<string, any> | null} body
 */
function taskInfoFor(sim, type, body) {
	if (!body || type !== 'videoToAudio') return {};
	if (typeof body.video_id === 'string' && body.video_id) return { parent_video: sim.parentVideo(body.video_id) };
	return { parent_video: { id: '', url: body.video_url, duration: '5' } };
}

/**
 * The task_result of a finished task of these families; undefined for the others (index.js builds those).
 * @param {any} sim @param {{ type: string, body: Record<string, any> | null, task: Record<string, any>, videoIds: string[] }} rec
 */
function buildResult(sim, rec) {
	if (!(rec.type in ENDPOINTS)) return undefined;
	const body = rec.body ?? {};
	const base = `${sim.mediaUrl}/media/${encodeURIComponent(rec.task.task_id)}`;
	const wm = Boolean(body.watermark_info?.enabled);
	const audio = (/** @type {string} */ duration) => ({
		id: crypto.randomUUID(),
		url_mp3: `${base}/0.mp3`,
		url_wav: `${base}/0.wav`,
		duration_mp3: duration,
		duration_wav: duration,
	});
	if (rec.type === 'textToAudio') return { audios: [audio(String(body.duration ?? 5))] };
	if (rec.type === 'videoToAudio') {
		if (!rec.videoIds.length) rec.videoIds.push(crypto.randomUUID());
		const duration = String(rec.task.task_info?.parent_video?.duration ?? '5');
		// The documented result has videos without watermark_url (v2a takes no watermark_info).
		return { videos: [{ id: rec.videoIds[0], url: `${base}/0.mp4`, duration }], audios: [audio(duration)] };
	}
	/** @param {number} index @param {string} name */
	const image = (index, name) => ({ index, url: `${base}/${name}.png`, ...(wm ? { watermark_url: `${base}/${name}-wm.png` } : {}) });
	if (rec.type === 'omniImage') {
		const series = body.result_type === 'series';
		// What `images` holds for a series (and how many images "auto" makes) is undocumented: the simulator
		// answers images: [] and series_amount images (4 for auto, the documented default) in series_images.
		const amount = typeof body.series_amount === 'number' ? body.series_amount : 4;
		const n = typeof body.n === 'number' ? body.n : 1;
		return {
			result_type: series ? 'series' : 'single',
			images: series ? [] : Array.from({ length: n }, (_, i) => image(i, String(i))),
			series_images: series ? Array.from({ length: amount }, (_, i) => image(i, `s${i}`)) : [],
		};
	}
	if (rec.type === 'aiMultiShot') {
		// "index 0-2" with url_1..url_3 per entry: the docs do not say how many sets come back; the simulator answers one.
		return { images: [{ index: 0, url_1: `${base}/a1.png`, url_2: `${base}/a2.png`, url_3: `${base}/a3.png` }] };
	}
	return undefined; // multiImageToImage: plain images, built by index.js
}

/**
 * The file a /media/{id}/{name}.{ext} path names, for the extensions and ids of these families; undefined otherwise.
 * @param {any} sim @param {string} id @param {string} name @param {string} ext
 */
function isKnownMedia(sim, id, name, ext) {
	if (syncMediaIds(sim).has(id)) return true;
	return (ext === 'mp3' || ext === 'wav') && sim.byId.has(id) && /^\d+$/.test(name);
}

module.exports = { ENDPOINTS, SYNC_PATHS, VALIDATORS, validateSync, syncAnswer, taskInfoFor, buildResult, isKnownMedia, SEGMENTS };
