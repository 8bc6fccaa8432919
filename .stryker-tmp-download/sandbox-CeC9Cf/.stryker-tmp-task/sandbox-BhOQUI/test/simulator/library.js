// @ts-check
'use strict';
/**
 * The simulator's voice and element libraries and billing exports (kling-api-2026.md §2(a) rows 16, 18, 19,
 * 27, 28; b.10, b.11, b.17). Mounted by index.js with small hooks: the two task types join ENDPOINTS, their
 * validators join validate.js's table, buildResult() asks resultFor(), handle() asks route() first, and JSON
 * leaving the simulator goes through toWire().
 *
 * Held to Kling's documented examples (DOC-26 L6035–6915 for voices and advanced elements, DOC-CN
 * custom-elements.md for the older element API, DOC-NEW kling-assets-balance.md / kling-assets-package.md for
 * billing). Where the docs do not decide, the simulator says so in a comment and does not refuse.
 *
 * 64-bit element ids: Kling types element_id `long` (18-digit examples, e.g. 829836802793406551). The
 * simulator's ids are above 2^53 and are written as bare JSON integers with every digit: inside the task
 * objects they are `"__sim_int__<digits>"` strings, which toWire() turns into integer tokens.
 */
const crypto = require('node:crypto');
const { VALIDATORS, FieldError, FieldErrorHelpers: V } = require('./validate');

/** Task types of the libraries (mirrors nodes/KlingAi/shared/endpoints.ts). */
const LIBRARY_ENDPOINTS = Object.freeze({
	customVoice: { path: '/v1/general/custom-voices', resultKind: 'voices' },
	customElement: { path: '/v1/general/advanced-custom-elements', resultKind: 'elements' },
});

const PATHS = Object.freeze({
	presetVoices: '/v1/general/presets-voices',
	deleteVoices: '/v1/general/delete-voices',
	presetElements: '/v1/general/advanced-presets-elements',
	deleteElements: '/v1/general/delete-elements',
	deleteAdvancedElements: '/v1/general/delete-advanced-elements',
	legacyElements: '/v1/general/custom-elements',
	legacyPresetElements: '/v1/general/presets-elements',
	billingBalance: '/account/billing/balance',
	billingPackage: '/account/billing/package',
});

const INT_MARK = '__sim_int__';
/** A 64-bit id written as a bare JSON integer by toWire(). @param {string} digits */
const longId = (digits) => `${INT_MARK}${digits}`;
/** JSON text leaving the simulator: marked ids become integer tokens with all their digits. @param {string} json */
const toWire = (json) => json.replace(new RegExp(`"${INT_MARK}(\\d+)"`, 'g'), '$1');
/** The digits of a marked id (or the value as a string). @param {unknown} v */
const digitsOf = (v) => String(v).replace(INT_MARK, '');

const TAGS = Object.freeze({ o_101: 'Hottest', o_102: 'Character', o_103: 'Animal', o_104: 'Item', o_105: 'Costume', o_106: 'Scene', o_107: 'Effect', o_108: 'Others' });
const VOICE_EXTENSIONS = ['mp3', 'wav', 'mp4', 'mov'];
/** 2^53 < every simulated element id < 2^63. */
const ELEMENT_ID_BASE = 829836802793406551n;

/** @param {unknown} v @returns {v is Record<string, any>} */
const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
/** @param {unknown} v */
const present = (v) => v !== undefined && v !== null && v !== '';

// ---------------------------------------------------------------- create validators (join validate.js)

/** @param {Record<string, any>} b */
function checkVoice(b) {
	V.str(b, 'voice_name', '', { required: true, max: 20 });
	const url = V.media(b, 'voice_url', '', { urlOnly: true });
	V.str(b, 'video_id', '');
	// The table marks both optional; a clone needs one of them. Both at once: the docs do not decide (accepted).
	if (!present(b.voice_url) && !present(b.video_id)) throw new FieldError('voice_url', 'voice_url or video_id is required', 1200);
	if (url) {
		const ext = /\.([a-z0-9]+)$/i.exec(new URL(url).pathname)?.[1]?.toLowerCase();
		// "Supports .mp3 / .wav audio file and .mp4 / .mov video file"; a URL without an extension is not refused.
		if (ext && !VOICE_EXTENSIONS.includes(ext)) throw new FieldError('voice_url', `must be an .mp3/.wav/.mp4/.mov file (got .${ext})`);
	}
}

/** @param {Record<string, any>} b */
function checkElement(b) {
	V.str(b, 'element_name', '', { required: true, max: 20 });
	V.str(b, 'element_description', '', { required: true, max: 100 });
	const type = V.str(b, 'reference_type', '', { required: true, values: ['video_refer', 'image_refer'] });
	const images = isObj(b.element_image_list) ? b.element_image_list : undefined;
	if (present(b.element_image_list) && !images) throw new FieldError('element_image_list', 'must be an object');
	const videos = isObj(b.element_video_list) ? b.element_video_list : undefined;
	if (present(b.element_video_list) && !videos) throw new FieldError('element_video_list', 'must be an object');
	if (type === 'image_refer') {
		// element_video_list is "invalid when referencing images": ignored, not refused.
		if (!images) throw new FieldError('element_image_list', 'is required when reference_type is image_refer', 1200);
		V.checkKeys(images, ['frontal_image', 'refer_images'], 'element_image_list.');
		V.media(images, 'frontal_image', 'element_image_list.', { required: true, maxBytes: 10 * 1024 * 1024 });
		const refer = V.arr(images, 'refer_images', 'element_image_list.', { required: true, min: 1, max: 3 }) ?? [];
		refer.forEach((r, i) => {
			const p = `element_image_list.refer_images[${i}].`;
			if (!isObj(r)) throw new FieldError(p.slice(0, -1), 'must be an object {image_url}');
			V.checkKeys(r, ['image_url'], p);
			V.media(r, 'image_url', p, { required: true, maxBytes: 10 * 1024 * 1024 });
		});
	} else {
		if (!videos) throw new FieldError('element_video_list', 'is required when reference_type is video_refer', 1200);
		V.checkKeys(videos, ['refer_videos'], 'element_video_list.');
		const refer = V.arr(videos, 'refer_videos', 'element_video_list.', { required: true, min: 1, max: 1 }) ?? [];
		refer.forEach((r, i) => {
			const p = `element_video_list.refer_videos[${i}].`;
			if (!isObj(r)) throw new FieldError(p.slice(0, -1), 'must be an object {video_url}');
			V.checkKeys(r, ['video_url'], p);
			// "video_url must not be empty"; only a URL is described (no base64).
			V.media(r, 'video_url', p, { required: true, urlOnly: true });
		});
	}
	V.str(b, 'element_voice_id', '');
	checkTags(b);
}

/** tag_list [{tag_id: o_101…o_108}] @param {Record<string, any>} b */
function checkTags(b) {
	const tags = V.arr(b, 'tag_list', '') ?? [];
	tags.forEach((t, i) => {
		if (!isObj(t)) throw new FieldError(`tag_list[${i}]`, 'must be an object {tag_id}');
		V.checkKeys(t, ['tag_id'], `tag_list[${i}].`);
		V.str(t, 'tag_id', `tag_list[${i}].`, { required: true, values: Object.keys(TAGS) });
	});
}

/** The older synchronous create (DOC-CN): every field but tag_list is required. @param {unknown} body */
function checkLegacyElement(body) {
	if (!isObj(body)) throw new FieldError('body', 'must be a JSON object', 1200);
	V.checkKeys(body, ['element_name', 'element_description', 'element_frontal_image', 'element_refer_list', 'tag_list'], '');
	V.str(body, 'element_name', '', { required: true, max: 20 });
	V.str(body, 'element_description', '', { required: true, max: 100 });
	V.media(body, 'element_frontal_image', '', { required: true, maxBytes: 10 * 1024 * 1024 });
	const refer = V.arr(body, 'element_refer_list', '', { required: true, min: 1, max: 3 }) ?? [];
	refer.forEach((r, i) => {
		if (!isObj(r)) throw new FieldError(`element_refer_list[${i}]`, 'must be an object {image_url}');
		V.checkKeys(r, ['image_url'], `element_refer_list[${i}].`);
		V.media(r, 'image_url', `element_refer_list[${i}].`, { required: true, maxBytes: 10 * 1024 * 1024 });
	});
	checkTags(body);
	return body;
}

Object.assign(VALIDATORS, {
	customVoice: { fields: ['voice_name', 'voice_url', 'video_id'], check: checkVoice },
	customElement: {
		fields: ['element_name', 'element_description', 'reference_type', 'element_image_list', 'element_video_list', 'element_voice_id', 'tag_list'],
		check: checkElement,
	},
});

// ---------------------------------------------------------------- state

/**
 * @typedef {{ deletedVoices: Set<string>, legacyElements: Array<Record<string, any>>, disabledPaths: Set<string>,
 *   billing: { balance: Array<Record<string, any>>, package: Array<Record<string, any>> },
 *   cursors: Map<string, { kind: 'balance' | 'package', items: Array<Record<string, any>>, offset: number, limit: number }>,
 *   seq: number }} LibraryState
 */

/** @param {any} sim @returns {LibraryState} */
function state(sim) {
	sim.libraryState ??= {
		deletedVoices: new Set(),
		legacyElements: [],
		// Tests disable a path to stand in for a Kling without it (the element delete path is UNCERTAIN).
		disabledPaths: new Set(),
		billing: { balance: billingRecords('balance', 3), package: billingRecords('package', 3) },
		cursors: new Map(),
		seq: 0,
	};
	return sim.libraryState;
}

/** Forget the library state (sim.reset()). @param {any} sim */
function resetLibrary(sim) {
	sim.libraryState = undefined;
}

/** @param {any} sim */
function nextElementId(sim) {
	const s = state(sim);
	s.seq++;
	return (ELEMENT_ID_BASE + BigInt(sim.idPrefix) * 1_000_000n + BigInt(s.seq) * 7n).toString();
}

/** Preset voices and elements: owned_by "kling" (DOC-26). */
const PRESET_VOICES = Array.from({ length: 5 }, (_, i) => ({
	task_id: `preset-voice-task-${i + 1}`,
	task_status: 'succeed',
	task_status_msg: '',
	created_at: 1767225600000 + i,
	updated_at: 1767225600000 + i,
	task_result: { voices: [{ voice_id: `preset_voice_${i + 1}`, voice_name: `Preset ${i + 1}`, trial_url: `https://example.com/presets/voice-${i + 1}.mp3`, owned_by: 'kling' }] },
}));

/** @param {any} sim @param {number} i */
function presetElement(sim, i) {
	return {
		element_id: longId((ELEMENT_ID_BASE + 1000n + BigInt(i)).toString()),
		element_name: `Preset ${i + 1}`,
		element_description: 'A preset element of the simulator',
		reference_type: 'image_refer',
		element_image_list: { frontal_image: `${sim.mediaUrl}/media/parent/0.png`, refer_images: [{ image_url: `${sim.mediaUrl}/media/parent/1.png` }] },
		element_video_list: {},
		element_voice_info: {},
		tag_list: [{ id: 'o_102', name: TAGS.o_102, description: '' }],
		owned_by: 'kling',
		status: 'succeed',
	};
}

// ---------------------------------------------------------------- task results

/**
 * task_result of a finished voice / element task (DOC-26 L6122–6188, L6658–6730); undefined for other types.
 * @param {any} sim @param {{ type: string, body: Record<string, any> | null, task: Record<string, any>, libraryResult?: any }} rec
 */
function resultFor(sim, rec) {
	if (!(rec.type in LIBRARY_ENDPOINTS)) return undefined;
	if (rec.libraryResult) return rec.libraryResult;
	const b = rec.body ?? {};
	const taskId = rec.task.task_id;
	if (rec.type === 'customVoice') {
		rec.libraryResult = {
			voices: [
				{
					voice_id: `${taskId}1`,
					voice_name: b.voice_name ?? 'Inserted voice',
					// Not served by /media (previews are not results the node downloads).
					trial_url: `${sim.mediaUrl}/media/${encodeURIComponent(taskId)}/trial.mp3`,
					// "kling is the official voice library, and others are the creator's ID"
					owned_by: '10001',
				},
			],
		};
	} else {
		const voice = present(b.element_voice_id) ? findVoice(sim, String(b.element_voice_id)) : undefined;
		rec.libraryResult = {
			elements: [
				{
					element_id: longId(nextElementId(sim)),
					element_name: b.element_name ?? 'Inserted element',
					element_description: b.element_description ?? '',
					reference_type: b.reference_type ?? 'image_refer',
					element_image_list: isObj(b.element_image_list) ? b.element_image_list : {},
					element_video_list: isObj(b.element_video_list) ? b.element_video_list : {},
					element_voice_info: voice ?? {},
					tag_list: (Array.isArray(b.tag_list) ? b.tag_list : []).map((/** @type {any} */ t) => ({ id: t.tag_id, name: TAGS[/** @type {keyof typeof TAGS} */ (t.tag_id)] ?? '', description: '' })),
					owned_by: '10001',
					status: 'succeed',
				},
			],
		};
	}
	return rec.libraryResult;
}

/** A custom (not deleted) or preset voice by id. @param {any} sim @param {string} voiceId */
function findVoice(sim, voiceId) {
	for (const rec of sim.records) {
		for (const v of rec.task.task_result?.voices ?? []) if (v.voice_id === voiceId && !state(sim).deletedVoices.has(voiceId)) return { ...v };
	}
	for (const t of PRESET_VOICES) for (const v of t.task_result.voices) if (v.voice_id === voiceId) return { ...v };
	return undefined;
}

// ---------------------------------------------------------------- routes

/**
 * Handle a library / billing request; returns true when it did.
 * @param {any} sim @param {string} method @param {string} path @param {Record<string, string>} query @param {unknown} body
 * @param {import('node:http').ServerResponse} res @param {any} entry
 */
function route(sim, method, path, query, body, res, entry) {
	const s = state(sim);
	const known = Object.values(PATHS).includes(/** @type {any} */ (path));
	if (known && s.disabledPaths.has(path)) {
		// How Kling answers a path it does not have: HTTP 404 with code 1202 ("The requested method is invalid").
		sim.fail(res, 1202, `${method} ${path}: no such endpoint`, entry);
		return true;
	}
	const methodIs = (/** @type {string} */ m) => {
		if (method === m) return true;
		sim.fail(res, 1202, `${method} ${path}: method not allowed`, entry);
		return false;
	};
	try {
		if (path === LIBRARY_ENDPOINTS.customVoice.path && method === 'GET' && query.external_task_id === undefined) {
			// Deleted voices leave the custom list (legacy voices carry no status; the docs do not say whether a
			// deleted one is still listed). The create task itself stays queryable by id.
			const tasks = sim
				.sortedRecords()
				.filter((/** @type {any} */ r) => r.type === 'customVoice')
				.map((/** @type {any} */ r) => JSON.parse(JSON.stringify(r.task)))
				.map((/** @type {any} */ t) => (t.task_result ? { ...t, task_result: { voices: t.task_result.voices.filter((/** @type {any} */ v) => !s.deletedVoices.has(v.voice_id)) } } : t))
				.filter((/** @type {any} */ t) => !t.task_result || t.task_result.voices.length);
			sim.ok(res, page(tasks, query, 1000), entry);
			return true;
		}
		if (path === PATHS.presetVoices) {
			if (methodIs('GET')) sim.ok(res, page(PRESET_VOICES, query, 1000), entry);
			return true;
		}
		if (path === PATHS.presetElements) {
			if (!methodIs('GET')) return true;
			const tasks = Array.from({ length: 3 }, (_, i) => ({
				task_id: `preset-element-task-${i + 1}`,
				task_status: 'succeed',
				task_status_msg: '',
				task_info: { external_task_id: '' },
				task_result: { elements: [presetElement(sim, i)] },
				final_unit_deduction: '0',
				created_at: 1767225600000 + i,
				updated_at: 1767225600000 + i,
			}));
			sim.ok(res, page(tasks, query, 500), entry);
			return true;
		}
		if (path === PATHS.deleteVoices) {
			if (!methodIs('POST')) return true;
			const b = object(body);
			V.checkKeys(b, ['voice_id'], '');
			const voiceId = V.str(b, 'voice_id', '', { required: true });
			if (PRESET_VOICES.some((t) => t.task_result.voices.some((v) => v.voice_id === voiceId))) {
				throw new FieldError('voice_id', 'only custom voices can be deleted');
			}
			// Unknown ids: Kling's answer is undocumented; the simulator answers 1201 naming the field.
			if (!findVoice(sim, String(voiceId))) throw new FieldError('voice_id', `no custom voice ${voiceId}`);
			s.deletedVoices.add(String(voiceId));
			sim.ok(res, deleteTask(sim), entry);
			return true;
		}
		if (path === PATHS.deleteElements || path === PATHS.deleteAdvancedElements) {
			if (!methodIs('POST')) return true;
			const b = object(body);
			V.checkKeys(b, ['element_id'], '');
			// Typed `string` in every delete table. A bare integer is not refused (the docs do not say it is),
			// but the id is compared by its digits, so one that lost digits finds nothing.
			const raw = typeof b.element_id === 'number' ? rawElementId(entry) : b.element_id;
			if (!present(raw)) throw new FieldError('element_id', 'is required', 1200);
			const id = String(raw);
			const advanced = findAdvancedElement(sim, id);
			// delete-elements is documented for both APIs (DOC-26 for advanced, DOC-CN for the older one);
			// delete-advanced-elements only on the advanced element pages (DOC-NEW video docs).
			const legacy = path === PATHS.deleteElements ? s.legacyElements.find((e) => digitsOf(e.element_id) === id) : undefined;
			if (!advanced && !legacy) throw new FieldError('element_id', `no custom element ${id}`);
			if (advanced) advanced.status = 'deleted';
			if (legacy) s.legacyElements.splice(s.legacyElements.indexOf(legacy), 1);
			sim.ok(res, deleteTask(sim), entry);
			return true;
		}
		if (path === PATHS.legacyElements) {
			if (method === 'GET') {
				sim.ok(res, page(s.legacyElements, query, 500), entry);
				return true;
			}
			if (!methodIs('POST')) return true;
			const b = checkLegacyElement(body);
			// The older API answers the element itself (DOC-CN): no task, no callback.
			const element = {
				element_id: longId(nextElementId(sim)),
				element_name: b.element_name,
				element_description: b.element_description,
				element_frontal_image: b.element_frontal_image,
				element_refer_list: b.element_refer_list,
				tag_list: (b.tag_list ?? []).map((/** @type {any} */ t) => ({ id: t.tag_id, name: TAGS[/** @type {keyof typeof TAGS} */ (t.tag_id)], description: '' })),
				owned_by: '10001',
			};
			s.legacyElements.unshift(element);
			sim.ok(res, element, entry);
			return true;
		}
		if (path === PATHS.legacyPresetElements) {
			if (!methodIs('GET')) return true;
			const presets = Array.from({ length: 2 }, (_, i) => {
				const p = presetElement(sim, 10 + i);
				return { element_id: p.element_id, element_name: p.element_name, element_description: p.element_description, element_frontal_image: p.element_image_list.frontal_image, element_refer_list: p.element_image_list.refer_images, tag_list: p.tag_list, final_unit_deduction: '0', owned_by: 'kling' };
			});
			sim.ok(res, page(presets, query, 500), entry);
			return true;
		}
		if (path === PATHS.billingBalance || path === PATHS.billingPackage) {
			if (methodIs('POST')) sim.ok(res, billing(sim, path === PATHS.billingBalance ? 'balance' : 'package', body), entry);
			return true;
		}
	} catch (error) {
		if (error instanceof FieldError) {
			sim.fail(res, error.code, error.message, entry);
			return true;
		}
		throw error;
	}
	return false;
}

/** The element_id digits as sent (the request log's parsed body has lost them). @param {any} entry */
function rawElementId(entry) {
	return /"element_id"\s*:\s*(\d+)/.exec(entry.rawBody ?? '')?.[1];
}

/** @param {any} sim @param {string} id */
function findAdvancedElement(sim, id) {
	for (const rec of sim.records) {
		if (rec.type !== 'customElement') continue;
		for (const e of rec.task.task_result?.elements ?? []) if (digitsOf(e.element_id) === id) return e;
	}
	return undefined;
}

/** Deletes answer `data {task_id, task_status}` (DOC-26 L6356–6380); the simulator's delete finishes at once. @param {any} sim */
function deleteTask(sim) {
	return { task_id: `${sim.idPrefix}-delete-${crypto.randomUUID().slice(0, 8)}`, task_status: 'succeed' };
}

/** @param {unknown} body @returns {Record<string, any>} */
function object(body) {
	if (!isObj(body)) throw new FieldError('body', 'must be a JSON object', 1200);
	return body;
}

/**
 * pageNum [1, 1000], pageSize [1, max] (voices 1000, elements 500 — DOC-26).
 * @param {any[]} all @param {Record<string, string>} query @param {number} max
 */
function page(all, query, max) {
	/** @param {string} name @param {number} def @param {number} top */
	const int = (name, def, top) => {
		const raw = query[name];
		if (raw === undefined || raw === '') return def;
		if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > top) throw new FieldError(name, `must be an integer between 1 and ${top}`);
		return Number(raw);
	};
	const pageNum = int('pageNum', 1, 1000);
	const pageSize = int('pageSize', 30, max);
	return JSON.parse(JSON.stringify(all.slice((pageNum - 1) * pageSize, pageNum * pageSize)));
}

// ---------------------------------------------------------------- billing exports

/**
 * `count` deterministic deduction records, newest first, one minute apart (fields of the documented examples).
 * @param {'balance' | 'package'} kind @param {number} count @param {number} [now]
 */
function billingRecords(kind, count, now = Date.now()) {
	return Array.from({ length: count }, (_, i) => {
		const common = {
			task_id: `sim-billing-${kind}-${i + 1}`,
			api_key_name: i % 2 ? 'ci' : 'default',
			product_function: i % 3 ? 'Image to Video' : 'Text to Video',
			model_name: 'kling-v2-6',
			resolution: '1080p',
			duration: '5.04',
			refer_video_input: false,
			video_sound: 'native',
			voice_control: false,
			deduction_time: String(now - i * 60_000),
		};
		return kind === 'balance'
			? { ...common, cash_type: 'balance', balance_before_deduction: 1000 - i * 5, deduction_amount: 5.0, balance_after_deduction: 995 - i * 5, list_price: 5.0, currency: 'USD' }
			: {
					package_id: i % 2 ? 'sim-image-pack-1' : 'sim-video-pack-1',
					product_type: i % 2 ? 'image' : 'video',
					...common,
					unit_before_deduction: 1000 - i * 5,
					deduction_amount: 5.0,
					unit_after_deduction: 995 - i * 5,
				};
	});
}

const FILTER_KEYS = { balance: ['api_key_name'], package: ['api_key_name', 'product_type', 'package_name', 'package_id'] };

/**
 * One page of a billing export (DOC-NEW kling-assets-balance.md / -package.md). A cursor "overrides all other
 * parameters"; without one, start_time and end_time (ms) are required and start < end.
 * @param {any} sim @param {'balance' | 'package'} kind @param {unknown} body
 */
function billing(sim, kind, body) {
	const s = state(sim);
	const b = object(body);
	V.checkKeys(b, ['start_time', 'end_time', 'limit', 'filters', 'cursor'], '');
	const cursor = V.str(b, 'cursor', '');
	let view;
	if (cursor) {
		view = s.cursors.get(cursor);
		// An unknown cursor's answer is undocumented: 1201 naming the field.
		if (!view || view.kind !== kind) throw new FieldError('cursor', 'is unknown or expired');
		s.cursors.delete(cursor);
	} else {
		const start = V.num(b, 'start_time', '', { required: true, int: true, min: 0 });
		const end = V.num(b, 'end_time', '', { required: true, int: true, min: 0 });
		if (/** @type {number} */ (start) < 1e11 || /** @type {number} */ (end) < 1e11) throw new FieldError('start_time', 'must be Unix time in milliseconds');
		if (/** @type {number} */ (start) >= /** @type {number} */ (end)) throw new FieldError('end_time', 'must be later than start_time');
		const limit = V.num(b, 'limit', '', { int: true, min: 1, max: 500 }) ?? 500;
		const filters = V.arr(b, 'filters', '') ?? [];
		/** @type {Record<string, string[]>} */
		const by = {};
		filters.forEach((f, i) => {
			const p = `filters[${i}].`;
			if (!isObj(f)) throw new FieldError(`filters[${i}]`, 'must be an object {key, values}');
			V.checkKeys(f, ['key', 'values'], p);
			const key = /** @type {string} */ (V.str(f, 'key', p, { required: true, values: FILTER_KEYS[kind] }));
			const values = V.arr(f, 'values', p) ?? [];
			values.forEach((v, j) => {
				if (typeof v !== 'string') throw new FieldError(`${p}values[${j}]`, 'must be a string');
			});
			// Same-type filters are OR'ed; an empty values list (as in Kling's own example) filters nothing.
			if (values.length) by[key] = [...(by[key] ?? []), ...values];
		});
		// "package_name and package_id are mutually exclusive": Kling's own example sends both keys with empty
		// values, so only both non-empty is refused.
		if (by.package_name && by.package_id) throw new FieldError('filters', 'package_name and package_id cannot be combined');
		const packageNames = { 'sim-video-pack-1': 'Video Generation - 1000 Units', 'sim-image-pack-1': 'Image Generation - 5000 Units' };
		const items = s.billing[kind].filter((r) => {
			const t = Number(r.deduction_time);
			if (t < /** @type {number} */ (start) || t > /** @type {number} */ (end)) return false;
			if (by.api_key_name && !by.api_key_name.includes(r.api_key_name)) return false;
			if (by.product_type && !by.product_type.includes(r.product_type)) return false;
			if (by.package_id && !by.package_id.includes(r.package_id)) return false;
			if (by.package_name && !by.package_name.includes(packageNames[/** @type {keyof typeof packageNames} */ (r.package_id)])) return false;
			return true;
		});
		view = { kind, items, offset: 0, limit };
	}
	const detail = view.items.slice(view.offset, view.offset + view.limit);
	const nextOffset = view.offset + detail.length;
	const hasMore = nextOffset < view.items.length;
	let nextCursor = '';
	if (hasMore) {
		nextCursor = crypto.randomUUID();
		s.cursors.set(nextCursor, { ...view, offset: nextOffset });
	}
	return { result: { detail: JSON.parse(JSON.stringify(detail)), count: detail.length }, next_cursor: nextCursor, has_more: hasMore };
}

/** Replace the billing records a test pages through. @param {any} sim @param {'balance' | 'package'} kind @param {number} count */
function setBillingRecords(sim, kind, count) {
	state(sim).billing[kind] = billingRecords(kind, count);
}

module.exports = {
	LIBRARY_ENDPOINTS,
	LIBRARY_PATHS: PATHS,
	route,
	resultFor,
	resetLibrary,
	toWire,
	longId,
	state,
	setBillingRecords,
	billingRecords,
};
