// @ts-check
'use strict';
/**
 * Kling's new API standard in the simulator (kling-api-2026.md §2(b) b.18, §3.2–3.3; aself101/kling-api
 * APX-B §2–3), written from the docs independently of nodes/**:
 * - create paths with the model in the path; API key only (a valid JWT gets Kling's auth error 1002);
 * - bodies `{prompt | contents[], settings, options}` validated per path;
 * - tasks kept in the simulator's store (type `newStandard`) and shown in the new shape `{id, status, outputs[],
 *   billing[]}`; `GET /tasks?task_ids=|external_task_ids=` and the `POST /tasks` cursor list;
 * - callbacks in the new shape, signed like every callback (signing.js) when a webhook secret is set.
 * Mounted from index.js with one hook (handleNewStandard) and one shape hook (nsCallbackBody).
 */
const { FieldError } = require('./validate');

const D3_15 = [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];
const R2 = ['720p', '1080p'];
const R3 = ['720p', '1080p', '4k'];
const OMNI = ['prompt', 'first_frame', 'last_frame', 'refer_image', 'feature_video', 'base_video', 'element'];

/**
 * Per path: the `contents[]` types (null = top-level `prompt`), settings enums, limits. From APX-B §2.1–2.12.
 * @typedef {{ contents: string[] | null, resolution: string[], audio?: string[], duration?: number[], aspect?: boolean,
 *   multiShot?: boolean, orientation?: boolean, maxPrompt: number, maxElements?: number, maxVoices?: number,
 *   nativeAudio1080p?: boolean, firstLast1080p?: boolean }} Route
 * @type {Record<string, Route>}
 */
const ROUTES = {
	'/text-to-video/kling-3.0-turbo': { contents: null, resolution: R2, duration: D3_15, aspect: true, maxPrompt: 3072 },
	'/text-to-video/kling-3.0': { contents: null, resolution: R3, audio: ['native', 'off'], duration: D3_15, aspect: true, multiShot: true, maxPrompt: 3072 },
	'/text-to-video/kling-2.6': { contents: null, resolution: R2, audio: ['native', 'off'], duration: [5, 10], aspect: true, maxPrompt: 2500, nativeAudio1080p: true },
	'/text-to-video/kling-2.5-turbo': { contents: null, resolution: R2, duration: [5, 10], aspect: true, maxPrompt: 2500 },
	'/image-to-video/kling-3.0-turbo': { contents: ['prompt', 'first_frame'], resolution: R2, duration: D3_15, maxPrompt: 2500 },
	'/image-to-video/kling-3.0': { contents: ['prompt', 'first_frame', 'last_frame', 'element'], resolution: R3, audio: ['native', 'off'], duration: D3_15, multiShot: true, maxPrompt: 3072, maxElements: 3 },
	'/image-to-video/kling-2.6': { contents: ['prompt', 'first_frame', 'last_frame', 'voice'], resolution: R2, audio: ['native', 'off'], duration: [5, 10], maxPrompt: 2500, maxVoices: 2, nativeAudio1080p: true, firstLast1080p: true },
	'/image-to-video/kling-2.5-turbo': { contents: ['prompt', 'first_frame', 'last_frame'], resolution: R2, duration: [5, 10], maxPrompt: 2500, firstLast1080p: true },
	'/omni-video/kling-3.0-omni': { contents: OMNI, resolution: R3, audio: ['native', 'original', 'off'], duration: D3_15, aspect: true, multiShot: true, maxPrompt: 3072, maxElements: 7 },
	'/omni-video/kling-o1': { contents: OMNI, resolution: R2, audio: ['original', 'off'], duration: [3, 4, 5, 6, 7, 8, 9, 10], aspect: true, maxPrompt: 2500, maxElements: 7 },
	'/motion-control/kling-3.0': { contents: ['prompt', 'image', 'video', 'element'], resolution: R2, audio: ['original', 'off'], orientation: true, maxPrompt: 2500, maxElements: 1 },
	'/motion-control/kling-2.6': { contents: ['prompt', 'image', 'video'], resolution: R2, audio: ['original', 'off'], orientation: true, maxPrompt: 2500 },
};

const STATUS_NS = { submitted: 'submitted', processing: 'processing', succeed: 'succeeded', failed: 'failed' };
const isObj = (/** @type {unknown} */ v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/** @param {Record<string, any>} o @param {string[]} allowed @param {string} at */
function keys(o, allowed, at) {
	for (const k of Object.keys(o)) if (!allowed.includes(k)) throw new FieldError(`${at}${k}`, 'is not a field of this endpoint');
}

/** @param {string} path @param {unknown} body */
function validateNsCreate(path, body) {
	const r = ROUTES[path];
	if (!isObj(body)) throw new FieldError('body', 'must be a JSON object', 1200);
	const b = /** @type {Record<string, any>} */ (body);
	keys(b, r.contents ? ['contents', 'settings', 'options'] : ['prompt', 'settings', 'options'], '');
	/** @type {string[]} */
	const types = [];
	let promptLength = 0;
	if (r.contents) {
		if (!Array.isArray(b.contents) || !b.contents.length) throw new FieldError('contents', 'is required (a non-empty array)', 1200);
		b.contents.forEach((/** @type {any} */ c, /** @type {number} */ i) => {
			const at = `contents[${i}].`;
			if (!isObj(c) || typeof c.type !== 'string') throw new FieldError(`${at}type`, 'is required');
			if (!r.contents?.includes(c.type)) throw new FieldError(`${at}type`, `"${c.type}" is not accepted here (${r.contents?.join(', ')})`);
			types.push(c.type);
			if (c.type === 'prompt') {
				keys(c, ['type', 'text'], at);
				if (typeof c.text !== 'string' || !c.text) throw new FieldError(`${at}text`, 'is required');
				promptLength = [...c.text].length;
			} else if (c.type === 'element' || c.type === 'voice') {
				const idKey = c.type === 'element' ? 'element_id' : 'voice_id';
				keys(c, ['type', idKey, 'id'], at);
				// Documented as strings. A bare integer element_id (legacy `long`) is refused: the new docs type it string.
				if (typeof c[idKey] !== 'string' || !c[idKey]) throw new FieldError(`${at}${idKey}`, 'is required (string)');
				if (typeof c.id !== 'string' || !c.id) throw new FieldError(`${at}id`, 'is required (the @handle used in the prompt)');
			} else {
				// `id` is documented (optional) on omni-video content objects only.
				keys(c, path.startsWith('/omni-video/') ? ['type', 'url', 'id'] : ['type', 'url'], at);
				if (typeof c.url !== 'string' || !c.url) throw new FieldError(`${at}url`, 'is required');
				if (/video/.test(c.type) && !/^https?:\/\//.test(c.url)) throw new FieldError(`${at}url`, 'must be a URL (videos are passed by URL)');
			}
		});
		const count = (/** @type {string} */ t) => types.filter((x) => x === t).length;
		for (const t of ['prompt', 'first_frame', 'last_frame', 'image', 'video']) if (count(t) > 1) throw new FieldError('contents', `at most one ${t}`);
		if (count('feature_video') + count('base_video') > 1) throw new FieldError('contents', 'at most one reference video');
		if (count('element') > (r.maxElements ?? 0)) throw new FieldError('contents', `at most ${r.maxElements ?? 0} element(s)`);
		if (count('voice') > (r.maxVoices ?? 0)) throw new FieldError('contents', `at most ${r.maxVoices ?? 0} voice(s)`);
		if (count('last_frame') && !count('first_frame')) throw new FieldError('contents', 'last-frame-only is not supported');
		if (path.startsWith('/image-to-video/') && !count('first_frame')) throw new FieldError('contents', 'first_frame is required', 1200);
		if (path.startsWith('/motion-control/') && (!count('image') || !count('video'))) throw new FieldError('contents', 'image and video are required', 1200);
		if (path.startsWith('/omni-video/') && !count('prompt')) throw new FieldError('contents', 'a prompt is required', 1200);
		const handles = b.contents.filter((/** @type {any} */ c) => typeof c.id === 'string').map((/** @type {any} */ c) => c.id);
		if (new Set(handles).size !== handles.length) throw new FieldError('contents', 'ids must not be duplicated');
	} else {
		if (typeof b.prompt !== 'string' || !b.prompt) throw new FieldError('prompt', 'is required', 1200);
		promptLength = [...b.prompt].length;
	}
	if (promptLength > r.maxPrompt) throw new FieldError(r.contents ? 'contents[].text' : 'prompt', `at most ${r.maxPrompt} characters`);

	const s = b.settings === undefined ? {} : b.settings;
	if (!isObj(s)) throw new FieldError('settings', 'must be an object');
	const allowed = ['resolution'];
	if (r.audio) allowed.push('audio');
	if (r.duration) allowed.push('duration');
	if (r.aspect) allowed.push('aspect_ratio');
	if (r.multiShot) allowed.push('multi_shot');
	if (r.orientation) allowed.push('character_orientation');
	keys(s, allowed, 'settings.');
	if (s.resolution !== undefined && !r.resolution.includes(s.resolution)) throw new FieldError('settings.resolution', `must be one of ${r.resolution.join(', ')}`);
	if (s.audio !== undefined && !r.audio?.includes(s.audio)) throw new FieldError('settings.audio', `must be one of ${r.audio?.join(', ')}`);
	// "settings.duration is an int": a string "5" (the legacy form) is refused.
	if (s.duration !== undefined && (typeof s.duration !== 'number' || !r.duration?.includes(s.duration))) throw new FieldError('settings.duration', `must be an integer, one of ${r.duration?.join(', ')}`);
	if (s.aspect_ratio !== undefined && !['16:9', '9:16', '1:1'].includes(s.aspect_ratio)) throw new FieldError('settings.aspect_ratio', 'must be 16:9, 9:16 or 1:1');
	if (s.multi_shot !== undefined && typeof s.multi_shot !== 'boolean') throw new FieldError('settings.multi_shot', 'must be a boolean');
	if (r.orientation && !['image', 'video'].includes(s.character_orientation)) throw new FieldError('settings.character_orientation', 'is required: image or video', 1200);
	const resolution = s.resolution ?? '720p';
	if (r.nativeAudio1080p && s.audio === 'native' && resolution !== '1080p') throw new FieldError('settings.resolution', 'native audio supports 1080p only');
	if (r.firstLast1080p && types.includes('last_frame') && resolution !== '1080p') throw new FieldError('settings.resolution', 'first + last frame supports 1080p only');
	if (types.includes('voice') && s.audio !== 'native') throw new FieldError('settings.audio', 'cannot be off when a voice is specified');
	if ((types.includes('feature_video') || types.includes('base_video')) && s.audio === 'native') throw new FieldError('settings.audio', 'native audio is not supported with a reference video');

	const o = b.options === undefined ? {} : b.options;
	if (!isObj(o)) throw new FieldError('options', 'must be an object');
	keys(o, ['callback_url', 'external_task_id', 'watermark_info'], 'options.');
	if (o.callback_url !== undefined && typeof o.callback_url !== 'string') throw new FieldError('options.callback_url', 'must be a string');
	if (o.external_task_id !== undefined && typeof o.external_task_id !== 'string') throw new FieldError('options.external_task_id', 'must be a string');
	if (o.watermark_info !== undefined && !(isObj(o.watermark_info) && typeof o.watermark_info.enabled === 'boolean')) throw new FieldError('options.watermark_info', 'must be {enabled: boolean}');
}

/**
 * The new-standard view of a stored task (its record keeps the legacy fields the lifecycle code uses).
 * @param {Record<string, any>} t legacy-shaped task object
 */
function nsTask(t) {
	/** @type {Record<string, any>} */
	const out = {
		id: t.task_id,
		status: STATUS_NS[/** @type {keyof STATUS_NS} */ (t.task_status)] ?? t.task_status,
		message: t.task_status_msg ?? '',
		create_time: t.created_at,
		update_time: t.updated_at,
		external_id: t.task_info?.external_task_id ?? '',
		outputs: [],
		billing: [],
	};
	for (const v of t.task_result?.videos ?? []) out.outputs.push({ type: 'video', id: v.id, url: v.url, watermark_url: v.watermark_url ?? '', duration: String(v.duration ?? '') });
	for (const im of t.task_result?.images ?? []) out.outputs.push({ type: 'image', url: im.url, watermark_url: im.watermark_url ?? '' });
	if (t.task_status === 'succeed') {
		// A unit (resource pack) line and a cash line, so clients must not add them up.
		out.billing.push({ charge_type: 'unit', amount: String(t.final_unit_deduction ?? '1'), package_type: 'video' });
		out.billing.push({ charge_type: 'cash', cash_type: 'balance', amount: '0.35', currency: 'USD', list_price: '0.50' });
	}
	return out;
}

/** Callback body hook: new-standard records post the new shape. @param {{ type: string }} rec @param {Record<string, any>} snapshot */
function nsCallbackBody(rec, snapshot) {
	return rec.type === 'newStandard' ? nsTask(snapshot) : snapshot;
}

/** A `start_time`/`end_time`: the docs type it long (3.0 Turbo pages) or string (the other twelve): both accepted (UNCERTAIN). */
function timeParam(/** @type {unknown} */ v, /** @type {string} */ name) {
	if (v === undefined || v === '' || v === null) return undefined;
	if (typeof v === 'number' && Number.isInteger(v)) return v;
	if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
	throw new FieldError(name, 'must be a Unix time in ms (number or digit string)');
}

/** Opaque cursor: the (created_at, seq) of the last task of the page; the next page starts strictly after it. */
const encodeCursor = (/** @type {any} */ rec) => Buffer.from(JSON.stringify([rec.task.created_at, rec.seq])).toString('base64url');
function decodeCursor(/** @type {string} */ c) {
	try {
		const v = JSON.parse(Buffer.from(c, 'base64url').toString('utf8'));
		if (Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number')) return v;
	} catch {
		// fall through
	}
	throw new FieldError('cursor', 'is not a cursor returned by this API');
}

/**
 * Handles a new-standard request; returns false when the path is not a new-standard one.
 * @param {any} sim the KlingSimulator @param {{ method: string, path: string, query: Record<string, string>, body: unknown, verdict: { ok: boolean, kind: string, code?: number, message?: string } }} req
 * @param {import('node:http').ServerResponse} res @param {any} entry
 */
async function handleNewStandard(sim, req, res, entry) {
	const { method, path, query, body, verdict } = req;
	const isTasks = path === '/tasks';
	if (!isTasks && !ROUTES[path]) return false;
	if (!verdict.ok) return sim.fail(res, verdict.code ?? 1002, verdict.message, entry), true;
	// "The new API supports authentication via API Key only": a valid AK/SK JWT is not accepted here. Which code
	// Kling answers is undocumented; 1002 "Authorization is invalid" is the closest documented one.
	if (verdict.kind !== 'apiKey') return sim.fail(res, 1002, 'Authorization is invalid: new-standard endpoints accept an API key only', entry), true;
	try {
		if (isTasks && method === 'GET') {
			const ids = query.task_ids;
			const ext = query.external_task_ids;
			if (ids !== undefined && ext !== undefined) throw new FieldError('task_ids', 'cannot be combined with external_task_ids');
			if (!ids && !ext) throw new FieldError('task_ids', 'task_ids or external_task_ids is required', 1200);
			const wanted = String(ids ?? ext).split(',').map((x) => x.trim()).filter(Boolean);
			const found = wanted
				.map((id) => (ids ? sim.byId.get(id) : sim.byExternalId.get(id)))
				.filter((/** @type {any} */ r) => r && r.type === 'newStandard');
			// Unknown ids are left out of data[] (what Kling does for them is undocumented).
			return sim.ok(res, found.map((/** @type {any} */ r) => nsTask(r.task)), entry), true;
		}
		if (isTasks && method === 'POST') return listTasks(sim, body, res, entry), true;
		if (method !== 'POST') return sim.fail(res, 1202, `${method} ${path}: method not allowed`, entry), true;
		return (await create(sim, path, body, res, entry)), true;
	} catch (error) {
		if (error instanceof FieldError) return sim.fail(res, error.code, error.message, entry), true;
		throw error;
	}
}

/** @param {any} sim @param {unknown} body @param {import('node:http').ServerResponse} res @param {any} entry */
function listTasks(sim, body, res, entry) {
	const b = /** @type {Record<string, any>} */ (isObj(body) ? body : {});
	keys(b, ['start_time', 'end_time', 'cursor', 'limit', 'filters'], '');
	const limit = b.limit === undefined ? 100 : b.limit;
	if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new FieldError('limit', 'must be an integer from 1 to 500');
	const now = Date.now();
	let end = timeParam(b.end_time, 'end_time') ?? now;
	let start = timeParam(b.start_time, 'start_time') ?? end - 30 * 24 * 3600 * 1000;
	if (start >= end) throw new FieldError('start_time', 'must be earlier than end_time');
	/** @type {[number, number] | null} */
	let after = null;
	if (typeof b.cursor === 'string' && b.cursor !== '') {
		// "When cursor is not empty, start_time and end_time are ignored."
		after = /** @type {[number, number]} */ (decodeCursor(b.cursor));
		start = Number.MIN_SAFE_INTEGER;
		end = Number.MAX_SAFE_INTEGER;
	}
	/** @type {Record<string, string[]>} */
	const filters = {};
	for (const f of Array.isArray(b.filters) ? b.filters : []) {
		if (!isObj(f) || !['status', 'product_type'].includes(f.key) || !Array.isArray(f.values)) throw new FieldError('filters', 'entries are {key: status | product_type, values: [...]}');
		filters[f.key] = f.values;
	}
	// Newest first, like the legacy lists (the order of POST /tasks is not stated in the docs: UNCERTAIN).
	const all = sim
		.sortedRecords()
		.filter((/** @type {any} */ r) => r.type === 'newStandard')
		.filter((/** @type {any} */ r) => r.task.created_at >= start && r.task.created_at <= end)
		.filter((/** @type {any} */ r) => !after || r.task.created_at < after[0] || (r.task.created_at === after[0] && r.seq < after[1]))
		.filter((/** @type {any} */ r) => !filters.status || filters.status.includes(nsTask(r.task).status))
		.filter((/** @type {any} */ r) => !filters.product_type || filters.product_type.includes('video'));
	const page = all.slice(0, limit);
	const hasMore = all.length > limit;
	return sim.ok(res, { result: page.map((/** @type {any} */ r) => nsTask(r.task)), count: page.length, next_cursor: hasMore ? encodeCursor(page[page.length - 1]) : '', has_more: hasMore }, entry);
}

/** @param {any} sim @param {string} path @param {unknown} body @param {import('node:http').ServerResponse} res @param {any} entry */
async function create(sim, path, body, res, entry) {
	const fault = sim.takeCreateError();
	if (fault) return sim.fail(res, fault.code ?? 5000, fault.message, entry, { http: fault.http });
	validateNsCreate(path, body);
	const b = /** @type {Record<string, any>} */ (body);
	const o = b.options ?? {};
	const externalId = typeof o.external_task_id === 'string' && o.external_task_id !== '' ? o.external_task_id : undefined;
	if (externalId !== undefined && sim.byExternalId.has(externalId)) {
		throw new FieldError('options.external_task_id', `"${externalId}" already exists (must be unique within the account); external_task_id already exists`);
	}
	const s = b.settings ?? {};
	const text = b.prompt ?? (b.contents ?? []).filter((/** @type {any} */ c) => c.type === 'prompt').map((/** @type {any} */ c) => c.text).join('\n');
	// The record keeps legacy-named fields for the shared lifecycle (duration, units, sim: markers, watermark).
	const view = {
		prompt: text,
		duration: String(s.duration ?? 5),
		mode: s.resolution === '1080p' || s.resolution === '4k' ? 'pro' : 'std',
		watermark_info: o.watermark_info,
		external_task_id: externalId,
	};
	const rec = sim.newRecord('newStandard', view, { externalId, callbackUrl: typeof o.callback_url === 'string' && o.callback_url !== '' ? o.callback_url : null });
	rec.nsPath = path;
	rec.nsBody = JSON.parse(JSON.stringify(b));
	sim.store(rec);
	sim.scheduleLifecycle(rec);
	const t = nsTask(rec.task);
	return sim.ok(res, { id: t.id, status: t.status, create_time: t.create_time, update_time: t.update_time, external_id: t.external_id }, entry);
}

module.exports = { handleNewStandard, nsCallbackBody, nsTask, validateNsCreate, NS_ROUTES: ROUTES };
