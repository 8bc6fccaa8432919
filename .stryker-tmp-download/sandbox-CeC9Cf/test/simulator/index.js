// @ts-check
'use strict';
/**
 * Kling simulator: a local Kling-compatible HTTP server (legacy `/v1/...` standard) for tests,
 * demos and the e2e run. Contract: /work/briefs/BRIEF.md "The Kling simulator"; behaviour:
 * issue 2 and reference/kling-api.md. Plain CommonJS so it runs in jest (Node 20) and as a script.
 *
 *   const { startSimulator } = require('./test/simulator');
 *   const sim = await startSimulator({ webhookSecret: 'whsec_...' });
 *   ... sim.url, sim.requests, sim.callbacks, sim.advance(id, 'succeed'), await sim.close();
 */
const http = require('node:http');
const https = require('node:https');
const crypto = require('node:crypto');
// axios' CommonJS build exports the instance with `.default` pointing to itself.
const axios = require('axios').default;
const { verifyAuthorization } = require('./auth');
const { validateCreate, FieldError, promptText, FieldErrorHelpers: V } = require('./validate');
const { webhookHeaders, signWebhook } = require('./signing');
const { makeMp4, makePng, makeMp3, makeWav, largeMp4Stream } = require('./media');
const families = require('./mediaFamilies');
const { rngFor } = require('./random');
const library = require('./library');
const { handleNewStandard, nsCallbackBody } = require('./newStandard');

/** Task type → endpoint; mirrors nodes/KlingAi/shared/endpoints.ts (a unit test keeps them equal). */
const ENDPOINTS = Object.freeze({
	textToVideo: { path: '/v1/videos/text2video', resultKind: 'videos' },
	imageToVideo: { path: '/v1/videos/image2video', resultKind: 'videos' },
	multiImageToVideo: { path: '/v1/videos/multi-image2video', resultKind: 'videos' },
	extendVideo: { path: '/v1/videos/video-extend', resultKind: 'videos' },
	lipSync: { path: '/v1/videos/lip-sync', resultKind: 'videos' },
	videoEffects: { path: '/v1/videos/effects', resultKind: 'videos' },
	imageGeneration: { path: '/v1/images/generations', resultKind: 'images' },
	imageExpand: { path: '/v1/images/editing/expand', resultKind: 'images' },
	virtualTryOn: { path: '/v1/images/kolors-virtual-try-on', resultKind: 'images' },
	omniVideo: { path: '/v1/videos/omni-video', resultKind: 'videos' },
	motionControl: { path: '/v1/videos/motion-control', resultKind: 'videos' },
	avatar: { path: '/v1/videos/avatar/image2video', resultKind: 'videos' },
	advancedLipSync: { path: '/v1/videos/advanced-lip-sync', resultKind: 'videos' },
	multiElements: { path: '/v1/videos/multi-elements', resultKind: 'videos' },
	...families.ENDPOINTS,
	...library.LIBRARY_ENDPOINTS,
	// Every new-standard task (created at the model paths of newStandard.js, read at /tasks).
	newStandard: { path: '/tasks', resultKind: 'videos' },
});
/** Synchronous calls (no task): they answer the result directly (kling-api-2026.md b.5, b.6). */
const SYNC_PATHS = Object.freeze({
	identifyFace: '/v1/videos/identify-face',
	initSelection: '/v1/videos/multi-elements/init-selection',
	addSelection: '/v1/videos/multi-elements/add-selection',
	deleteSelection: '/v1/videos/multi-elements/delete-selection',
	clearSelection: '/v1/videos/multi-elements/clear-selection',
	previewSelection: '/v1/videos/multi-elements/preview-selection',
	...families.SYNC_PATHS,
});
/** Sessions (identify-face and multi-elements selection) are valid for 24 h (DOC-26). */
const SESSION_TTL_MS = 24 * 3600 * 1000;
/** @typedef {keyof typeof ENDPOINTS} TaskType */
const TASK_TYPES = /** @type {TaskType[]} */ (Object.keys(ENDPOINTS));
const ACCOUNT_COSTS_PATH = '/account/costs';

/** Kling's create answer omits task_info on these endpoints (reference §2.2); the simulator does too. */
const CREATE_WITHOUT_TASK_INFO = ['imageGeneration', 'virtualTryOn', 'multiImageToVideo'];

/** reference §6.1: business code → HTTP status and meaning. */
const CODES = /** @type {Record<number, [number, string]>} */ ({
	1000: [401, 'Authentication failed'],
	1001: [401, 'Authorization is empty'],
	1002: [401, 'Authorization is invalid'],
	1003: [401, 'Authorization is not yet valid'],
	1004: [401, 'Authorization has expired'],
	1100: [429, 'Account exception'],
	1101: [429, 'Account in arrears (postpaid)'],
	1102: [429, 'Resource pack depleted or expired (prepaid)'],
	1103: [403, 'Unauthorized access to requested resource'],
	1200: [400, 'Invalid request parameters'],
	1201: [400, 'Invalid parameters'],
	1202: [404, 'Requested method is invalid'],
	1203: [404, 'Requested resource does not exist'],
	1300: [400, 'Platform policy triggered'],
	1301: [400, 'Content security policy triggered'],
	1302: [429, 'Request too fast, please reduce the request frequency'],
	1303: [429, 'parallel task over resource pack limit'],
	1304: [429, 'IP whitelisting policy triggered'],
	5000: [500, 'Server internal error'],
	5001: [503, 'Server temporarily unavailable'],
	5002: [504, 'Server internal timeout'],
});

const TASK_STATUSES = ['submitted', 'processing', 'succeed', 'failed'];
const MAX_BODY_BYTES = 64 * 1024 * 1024;
const FAIL_MESSAGE = 'Failure to pass the risk control system (sim:fail)';
const RANDOM_FAIL_MESSAGE = 'Task failed: internal generation error (simulated failureRate)';

/**
 * @typedef {{ code?: number, http?: number, times?: number, retryAfter?: number, message?: string }} CreateErrorSpec
 *   One queued create fault: `{code}` answers that Kling code (HTTP per §6.1 unless `http` is given);
 *   `{http: 429}` alone answers HTTP 429 without a business code. `times` defaults to 1;
 *   `retryAfter` (seconds) adds a Retry-After header.
 * @typedef {object} SimulatorOptions
 * @property {number} [port] 0 = a free port; always 127.0.0.1
 * @property {string} [accessKey]
 * @property {string} [secretKey]
 * @property {string[]} [apiKeys]
 * @property {string} [webhookSecret] 'whsec_…' → callbacks carry webhook-id/-timestamp/-signature
 * @property {{ toProcessingMs?: number, toFinishMs?: number }} [timings] toFinishMs counts from creation
 * @property {boolean} [autoAdvance] false: tasks stay `submitted` until advance()
 * @property {number} [failureRate] 0..1, seeded per task
 * @property {{ progress?: boolean, drop?: number, duplicate?: number, reorder?: number, delayMs?: number, timeoutMs?: number }} [callbacks]
 * @property {{ createErrors?: CreateErrorSpec[], createTimeoutAfterAccept?: number, createHoldMs?: number }} [faults]
 * @property {number} [seed]
 * @property {number} [clockToleranceSec] JWT nbf/exp leeway (Kling's is undocumented; default 0)
 * @property {'same' | 'separate'} [mediaOrigin] 'separate' serves /media from a second port (another origin)
 *
 * @typedef {{ ok: boolean, code: number, iss: string | null, kind: string, present: boolean }} RequestAuth
 * @typedef {{ method: string, path: string, query: Record<string, string>, body: unknown, rawBody?: string, auth: RequestAuth, at: number,
 *   status?: number, code?: number | null, requestId?: string, held?: boolean }} RequestRecord
 * @typedef {{ taskId: string, status: string, url: string, delivered: boolean, statusCode: number | null,
 *   dropped: boolean, duplicate: boolean, reordered: boolean, at: number, webhookId: string,
 *   body: Record<string, any>, headers?: Record<string, string>, error?: string }} CallbackRecord
 * @typedef {{ seq: number, type: TaskType, task: Record<string, any>, body: Record<string, any> | null,
 *   callbackUrl: string | null, rng: () => number, fail: boolean, failMessage: string, largeBytes: number | null,
 *   videoIds: string[], deferred: Array<{ snapshot: Record<string, any>, plan: DeliveryPlan }>, chain: Promise<void> }} TaskRecord
 * @typedef {{ dropped: boolean, duplicate: boolean, reordered?: boolean }} DeliveryPlan
 */

/** @param {any} v @returns {any} */
const clone = (v) => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));
/** @param {unknown} v @returns {v is Record<string, any>} */
const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/** @param {SimulatorOptions} o */
function normaliseOptions(o) {
	return {
		port: o.port ?? 0,
		accessKey: o.accessKey ?? 'ak_test',
		secretKey: o.secretKey ?? 'sk_test',
		apiKeys: o.apiKeys ?? ['kling_api_key_test'],
		webhookSecret: o.webhookSecret,
		timings: { toProcessingMs: 50, toFinishMs: 150, ...(o.timings ?? {}) },
		autoAdvance: o.autoAdvance ?? true,
		failureRate: o.failureRate ?? 0,
		callbacks: { progress: true, drop: 0, duplicate: 0, reorder: 0, delayMs: 0, timeoutMs: 10_000, ...(o.callbacks ?? {}) },
		faults: {
			createErrors: normaliseCreateErrors(o.faults?.createErrors ?? []),
			createTimeoutAfterAccept: o.faults?.createTimeoutAfterAccept ?? 0,
			createHoldMs: o.faults?.createHoldMs ?? 65_000,
		},
		seed: o.seed ?? 1,
		clockToleranceSec: o.clockToleranceSec ?? 0,
		mediaOrigin: o.mediaOrigin ?? 'same',
	};
}
/** @typedef {ReturnType<typeof normaliseOptions>} ResolvedOptions */

/** @param {CreateErrorSpec[]} list */
function normaliseCreateErrors(list) {
	if (!Array.isArray(list)) throw new Error('faults.createErrors must be an array');
	return list.map((e) => {
		if (!isObj(e) || (e.code === undefined && e.http === undefined)) throw new Error('each createErrors entry needs code or http');
		return { ...e, times: e.times ?? 1 };
	});
}

class KlingSimulator {
	/** @param {SimulatorOptions} [options] */
	constructor(options = {}) {
		/** @type {ResolvedOptions} */
		this.options = normaliseOptions(options);
		/** Every request to the API and /media (never the Authorization value). */
		/** @type {RequestRecord[]} */
		this.requests = [];
		/** Every callback attempt, in the order attempted (dropped ones included, `dropped: true`). */
		/** @type {CallbackRecord[]} */
		this.callbacks = [];
		/** Base URL of the API, e.g. http://127.0.0.1:PORT (set by listen()). */
		this.url = '';
		/** Base URL result media point at: `url`, or a second origin when mediaOrigin is 'separate'. */
		this.mediaUrl = '';
		/** @type {Map<string, TaskRecord>} */
		this.byId = new Map();
		/** @type {Map<string, TaskRecord>} */
		this.byExternalId = new Map();
		/** @type {TaskRecord[]} */
		this.records = [];
		/** identify-face and multi-elements sessions by session_id. @type {Map<string, Record<string, any>>} */
		this.sessions = new Map();
		this.seq = 0;
		this.callbackSeq = 0;
		// Unique per instance so task ids never repeat across simulators in one process (ledgers are process-wide).
		this.idPrefix = String(crypto.randomInt(10_000_000, 99_999_999));
		/** @type {Set<NodeJS.Timeout>} */
		this.timers = new Set();
		/** @type {Set<http.ServerResponse>} */
		this.held = new Set();
		/** @type {Set<AbortController>} */
		this.aborts = new Set();
		/** @type {Set<Promise<void>>} */
		this.pending = new Set();
		this.closed = false;
		this.httpAgent = new http.Agent({ keepAlive: false });
		this.httpsAgent = new https.Agent({ keepAlive: false });
		this.server = http.createServer((req, res) => this.handle(req, res, false));
		/** @type {http.Server | null} */
		this.mediaServer = null;
	}

	/** @returns {Promise<this>} */
	async listen() {
		this.url = await listenOn(this.server, this.options.port);
		this.mediaUrl = this.url;
		if (this.options.mediaOrigin === 'separate') {
			this.mediaServer = http.createServer((req, res) => this.handle(req, res, true));
			this.mediaUrl = await listenOn(this.mediaServer, 0);
		}
		return this;
	}

	// ------------------------------------------------------------------ public API

	/**
	 * Change knobs at run time (deep-merges timings, callbacks, faults; createErrors is replaced).
	 * @param {SimulatorOptions} partial
	 */
	setOptions(partial) {
		const o = this.options;
		if (!isObj(partial)) throw new Error('options must be an object');
		for (const key of ['accessKey', 'secretKey', 'apiKeys', 'webhookSecret', 'autoAdvance', 'failureRate', 'seed', 'clockToleranceSec']) {
			// @ts-ignore dynamic copy of plain fields
			if (key in partial) o[key] = partial[key];
		}
		if (partial.timings) Object.assign(o.timings, partial.timings);
		if (partial.callbacks) Object.assign(o.callbacks, partial.callbacks);
		if (partial.faults) {
			const f = partial.faults;
			if (f.createErrors !== undefined) o.faults.createErrors = normaliseCreateErrors(f.createErrors);
			if (f.createTimeoutAfterAccept !== undefined) o.faults.createTimeoutAfterAccept = f.createTimeoutAfterAccept;
			if (f.createHoldMs !== undefined) o.faults.createHoldMs = f.createHoldMs;
		}
		return this.publicOptions();
	}

	/** Options without secrets (for /__sim/state). */
	publicOptions() {
		const { secretKey, apiKeys, webhookSecret, ...rest } = this.options;
		return { ...clone(rest), secretKeySet: Boolean(secretKey), apiKeyCount: apiKeys.length, webhookSecretSet: Boolean(webhookSecret) };
	}

	/** All task objects (Kling legacy shape), newest first. */
	tasks() {
		return this.sortedRecords().map((r) => clone(r.task));
	}

	/**
	 * One task by task id or external task id, with its type and create body; undefined if unknown.
	 * @param {string} id
	 */
	task(id) {
		const r = this.byId.get(id) ?? this.byExternalId.get(id);
		const ns = /** @type {any} */ (r);
		return r ? { type: r.type, task: clone(r.task), body: clone(ns.nsBody ?? r.body), callbackUrl: r.callbackUrl, path: ns.nsPath } : undefined;
	}

	/**
	 * Put a task directly into the store (no lifecycle timers, no callbacks). Defaults to a
	 * succeeded task with results; `overrides` are task-object fields (plus `external_task_id` and
	 * `callback_url` shortcuts). Returns the task object.
	 * @param {TaskType} type @param {Record<string, any>} [overrides]
	 */
	insertTask(type, overrides = {}) {
		if (!(type in ENDPOINTS)) throw new Error(`unknown task type ${type}`);
		const { external_task_id: extShortcut, callback_url: callbackUrl, ...fields } = overrides;
		const status = fields.task_status ?? 'succeed';
		if (!TASK_STATUSES.includes(status)) throw new Error(`unknown task_status ${status}`);
		const externalId = extShortcut ?? fields.task_info?.external_task_id;
		const rec = this.newRecord(type, null, {
			externalId,
			callbackUrl: callbackUrl ?? null,
			taskId: fields.task_id,
			createdAt: fields.created_at,
		});
		const t = rec.task;
		t.task_status = status;
		t.updated_at = fields.updated_at ?? t.created_at;
		if (status === 'succeed') {
			t.task_result = this.buildResult(rec);
			t.final_unit_deduction = this.unitsFor(rec);
		} else if (status === 'failed') {
			t.task_status_msg = 'Task failed (inserted by the simulator)';
			t.final_unit_deduction = '0';
		}
		for (const [k, v] of Object.entries(fields)) {
			if (k === 'task_info' && isObj(v)) t.task_info = { ...t.task_info, ...clone(v) };
			else t[k] = clone(v);
		}
		this.store(rec);
		return clone(t);
	}

	/**
	 * Move a task to `status` now (sends callbacks per the knobs). Accepts task id or external id.
	 * @param {string} taskId @param {'processing' | 'succeed' | 'failed' | 'succeeded'} status @param {string} [message] failure message
	 */
	advance(taskId, status, message) {
		const rec = this.byId.get(taskId) ?? this.byExternalId.get(taskId);
		if (!rec) throw new Error(`unknown task ${taskId}`);
		const s = status === 'succeeded' ? 'succeed' : status;
		if (!['processing', 'succeed', 'failed'].includes(s)) throw new Error(`cannot advance to "${status}" (processing | succeed | failed)`);
		this.transition(rec, s, message);
		return clone(rec.task);
	}

	/**
	 * Resolve with fn()'s first truthy value; reject after timeoutMs.
	 * @template T @param {() => T | Promise<T>} fn @param {number} [timeoutMs] @param {number} [intervalMs]
	 * @returns {Promise<T>}
	 */
	async waitFor(fn, timeoutMs = 5000, intervalMs = 10) {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const v = await fn();
			if (v) return v;
			if (Date.now() >= deadline) throw new Error(`sim.waitFor: condition not met within ${timeoutMs} ms`);
			await new Promise((r) => setTimeout(r, intervalMs));
		}
	}

	/** Forget all tasks, requests and callbacks; stop timers, holds and deliveries. Options stay. */
	reset() {
		this.stopActivity();
		this.byId.clear();
		this.byExternalId.clear();
		this.records = [];
		this.sessions.clear();
		library.resetLibrary(this);
		this.requests.length = 0;
		this.callbacks.length = 0;
	}

	/** Stop timers, pending holds, callback deliveries and the server(s). */
	async close() {
		if (this.closed) return;
		this.closed = true;
		this.stopActivity();
		await Promise.allSettled([...this.pending]);
		await Promise.all([closeServer(this.server), this.mediaServer ? closeServer(this.mediaServer) : undefined]);
		this.httpAgent.destroy();
		this.httpsAgent.destroy();
	}

	// ------------------------------------------------------------------ internals: plumbing

	stopActivity() {
		for (const t of this.timers) clearTimeout(t);
		this.timers.clear();
		for (const res of this.held) res.destroy();
		this.held.clear();
		for (const ac of this.aborts) ac.abort();
		this.aborts.clear();
		for (const r of this.records) r.deferred = [];
	}

	/** @param {() => void} fn @param {number} ms */
	later(fn, ms) {
		const t = setTimeout(() => {
			this.timers.delete(t);
			if (!this.closed) fn();
		}, Math.max(0, ms));
		this.timers.add(t);
		return t;
	}

	/** @param {number} ms */
	sleep(ms) {
		return new Promise((resolve) => {
			// stopActivity clears the timer and aborts; resolve either way so the awaiting delivery can finish.
			const ac = new AbortController();
			const done = () => {
				this.timers.delete(t);
				this.aborts.delete(ac);
				resolve(undefined);
			};
			const t = setTimeout(done, ms);
			this.timers.add(t);
			this.aborts.add(ac);
			ac.signal.addEventListener('abort', done);
		});
	}

	/**
	 * @param {http.ServerResponse} res @param {number} status @param {unknown} payload
	 * @param {RequestRecord | null} entry @param {Record<string, string>} [headers]
	 */
	send(res, status, payload, entry, headers = {}) {
		if (entry) {
			entry.status = status;
			entry.code = isObj(payload) && typeof payload.code === 'number' ? payload.code : null;
		}
		if (res.headersSent || res.destroyed) return;
		const body = library.toWire(JSON.stringify(payload));
		res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(body)), ...headers });
		res.end(body);
	}

	/** @param {http.ServerResponse} res @param {unknown} data @param {RequestRecord | null} entry */
	ok(res, data, entry) {
		const requestId = crypto.randomUUID();
		if (entry) entry.requestId = requestId;
		this.send(res, 200, { code: 0, message: 'SUCCEED', request_id: requestId, data }, entry);
	}

	/**
	 * Error envelope `{code, message, request_id}` (no `data`, as in Kling's documented error example).
	 * @param {http.ServerResponse} res @param {number} code @param {string | undefined} message
	 * @param {RequestRecord | null} entry @param {{ http?: number, headers?: Record<string, string> }} [o]
	 */
	fail(res, code, message, entry, o = {}) {
		const requestId = crypto.randomUUID();
		if (entry) entry.requestId = requestId;
		const [status, meaning] = CODES[code] ?? [400, 'Error'];
		this.send(res, o.http ?? status, { code, message: message ?? meaning, request_id: requestId }, entry, o.headers);
	}

	// ------------------------------------------------------------------ request handling

	/** @param {http.IncomingMessage} req @param {http.ServerResponse} res @param {boolean} mediaOnly */
	async handle(req, res, mediaOnly) {
		/** @type {RequestRecord | null} */
		let entry = null;
		try {
			const url = new URL(req.url ?? '/', 'http://127.0.0.1');
			const path = url.pathname;
			/** @type {Record<string, string>} */
			const query = {};
			for (const [k, v] of url.searchParams) if (!(k in query)) query[k] = v;
			const method = (req.method ?? 'GET').toUpperCase();

			if (path.startsWith('/media/')) {
				entry = { method, path, query, body: null, auth: mediaAuth(req), at: Date.now() };
				this.requests.push(entry);
				return this.serveMedia(req, res, path, entry);
			}
			if (mediaOnly) return this.fail(res, 1202, 'Not found', null);
			if (path.startsWith('/__sim/')) return await this.control(req, res, method, path);

			let rawBody = '';
			if (method !== 'GET' && method !== 'HEAD') rawBody = await readBody(req);
			const authHeader = req.headers.authorization;
			const verdict = await verifyAuthorization(authHeader, {
				accessKey: this.options.accessKey,
				secretKey: this.options.secretKey,
				apiKeys: this.options.apiKeys,
				clockToleranceSec: this.options.clockToleranceSec,
			});
			/** @type {unknown} */
			let body = null;
			let badJson = false;
			if (rawBody) {
				try {
					body = JSON.parse(rawBody);
				} catch {
					badJson = true;
					body = rawBody.slice(0, 200);
				}
			}
			entry = {
				method,
				path,
				query,
				body,
				// The exact bytes received, up to 256 KB (JSON.parse above loses digits of 64-bit ids; tests compare this).
				rawBody: rawBody.length <= 256 * 1024 ? rawBody : undefined,
				auth: { ok: verdict.ok, code: verdict.code, iss: verdict.iss, kind: verdict.kind, present: verdict.present },
				at: Date.now(),
			};
			this.requests.push(entry);
			if (await handleNewStandard(this, { method, path, query, body, verdict }, res, entry)) return;
			if (!verdict.ok) return this.fail(res, verdict.code, verdict.message, entry);
			if (badJson) return this.fail(res, 1200, 'body: is not valid JSON', entry);

			if (library.route(this, method, path, query, body, res, entry)) return;
			if (path === ACCOUNT_COSTS_PATH) {
				if (method !== 'GET') return this.fail(res, 1202, `${method} ${path}: method not allowed`, entry);
				return this.accountCosts(res, query, entry);
			}
			const sync = Object.entries(SYNC_PATHS).find(([, p]) => p === path);
			if (sync) {
				if (method !== 'POST') return this.fail(res, 1202, `${method} ${path}: method not allowed`, entry);
				return this.syncCall(sync[0], body, res, entry);
			}
			for (const type of TASK_TYPES) {
				const base = ENDPOINTS[type].path;
				if (path === base) {
					if (method === 'POST') return await this.create(type, body, res, entry);
					if (method === 'GET') {
						if (query.external_task_id !== undefined) return this.getOne(type, query.external_task_id, res, entry);
						return this.list(type, query, res, entry);
					}
					return this.fail(res, 1202, `${method} ${path}: method not allowed`, entry);
				}
				if (path.startsWith(`${base}/`) && !path.slice(base.length + 1).includes('/')) {
					if (method !== 'GET') return this.fail(res, 1202, `${method} ${path}: method not allowed`, entry);
					return this.getOne(type, decodeURIComponent(path.slice(base.length + 1)), res, entry);
				}
			}
			return this.fail(res, 1202, `${method} ${path}: no such endpoint`, entry);
		} catch (error) {
			if (error instanceof BodyTooLarge) return this.fail(res, 1200, 'body: larger than 64 MB', entry);
			return this.fail(res, 5000, `Server internal error: ${/** @type {Error} */ (error).message}`, entry);
		}
	}

	/** @param {TaskType} type @param {unknown} body @param {http.ServerResponse} res @param {RequestRecord} entry */
	async create(type, body, res, entry) {
		const fault = this.takeCreateError();
		if (fault) {
			/** @type {Record<string, string>} */
			const headers = {};
			if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
			if (fault.code === undefined) {
				// HTTP-level throttling without a Kling business code.
				return this.send(res, fault.http ?? 429, { message: fault.message ?? 'Too Many Requests', request_id: crypto.randomUUID() }, entry, headers);
			}
			return this.fail(res, fault.code, fault.message, entry, { http: fault.http, headers });
		}
		try {
			validateCreate(type, body);
		} catch (error) {
			if (error instanceof FieldError) return this.fail(res, error.code, error.message, entry);
			throw error;
		}
		const b = /** @type {Record<string, any>} */ (body);
		const sessionError = this.checkSession(type, b);
		if (sessionError) return this.fail(res, 1201, sessionError, entry);
		// "" = not set: Kling's own request examples send "external_task_id": "" and "callback_url": "".
		const externalId = typeof b.external_task_id === 'string' && b.external_task_id !== '' ? b.external_task_id : undefined;
		// Kling only says external_task_id "must be unique within a single user account"; the code of
		// the refusal is undocumented (reference §5.5, §8.7). The simulator answers 1201 naming the field,
		// across all endpoints, so clients must look the task up instead of re-creating it.
		if (externalId !== undefined && this.byExternalId.has(externalId)) {
			return this.fail(res, 1201, `external_task_id: "${externalId}" already exists (must be unique within the account)`, entry);
		}
		const rec = this.newRecord(type, b, { externalId, callbackUrl: typeof b.callback_url === 'string' && b.callback_url !== '' ? b.callback_url : null });
		this.store(rec);
		this.scheduleLifecycle(rec);

		const t = rec.task;
		/** @type {Record<string, any>} */
		const data = { task_id: t.task_id, task_status: t.task_status };
		if (!CREATE_WITHOUT_TASK_INFO.includes(type)) data.task_info = clone(t.task_info);
		data.created_at = t.created_at;
		data.updated_at = t.updated_at;

		if (this.options.faults.createTimeoutAfterAccept > 0) {
			// Accepted and stored; the answer is held past any sane client timeout (default 65 s).
			this.options.faults.createTimeoutAfterAccept--;
			entry.held = true;
			this.held.add(res);
			res.on('close', () => this.held.delete(res));
			this.later(() => {
				this.held.delete(res);
				this.ok(res, data, entry);
			}, this.options.faults.createHoldMs);
			return;
		}
		this.ok(res, data, entry);
	}

	/**
	 * A create that uses a session: the session must exist (and not be older than 24 h); advanced
	 * lip-sync's face_id must be one identify-face returned. Returns an error message or undefined.
	 * @param {TaskType} type @param {Record<string, any>} b
	 */
	checkSession(type, b) {
		if (type !== 'advancedLipSync' && type !== 'multiElements') return undefined;
		const s = this.sessions.get(String(b.session_id));
		const kind = type === 'advancedLipSync' ? 'face' : 'selection';
		if (!s || s.kind !== kind || Date.now() - s.createdAt > SESSION_TTL_MS) return `session_id: ${b.session_id} is not a valid ${kind === 'face' ? 'identify-face' : 'multi-elements'} session (expired or unknown)`;
		if (type === 'advancedLipSync') {
			const faceId = String(b.face_choose[0].face_id);
			if (!s.faces.some((/** @type {any} */ f) => f.face_id === faceId)) return `face_choose[0].face_id: "${faceId}" is not a face of session ${b.session_id}`;
		} else if (b.edit_mode !== 'addition' && !s.frames.size) {
			return `session_id: mark the element to ${b.edit_mode === 'swap' ? 'swap' : 'remove'} first (add-selection)`;
		}
		return undefined;
	}

	/**
	 * The synchronous calls: identify-face and the multi-elements selection session. They answer their
	 * result directly in `data` (no task, no callback). Bodies per DOC-26 L3806–4250, L4830–4898.
	 * @param {string} call @param {unknown} body @param {http.ServerResponse} res @param {RequestRecord} entry
	 */
	syncCall(call, body, res, entry) {
		try {
			if (call in families.SYNC_PATHS) return this.ok(res, families.syncAnswer(this, call, body), entry);
			if (!isObj(body)) throw new FieldError('body', 'must be a JSON object', 1200);
			const b = /** @type {Record<string, any>} */ (body);
			if (call === 'identifyFace' || call === 'initSelection') {
				V.checkKeys(b, ['video_id', 'video_url'], '');
				const videoId = V.str(b, 'video_id', '');
				const videoUrl = V.media(b, 'video_url', '', { urlOnly: true });
				if (!videoId && !videoUrl) throw new FieldError('video_id', 'video_id or video_url is required', 1200);
				if (videoId && videoUrl) throw new FieldError('video_url', 'cannot be combined with video_id (use exactly one)');
				const sessionId = `${this.idPrefix}${String(++this.seq).padStart(10, '0')}`;
				const source = videoId ? this.parentVideo(videoId) : { id: '', url: videoUrl, duration: '5' };
				if (call === 'identifyFace') {
					// `sim:noface` in the URL/id: no face found (Kling answers an empty face_data).
					const faces = /sim:noface/.test(String(videoId ?? videoUrl))
						? []
						: [
								{ face_id: '0', face_image: `${this.mediaUrl}/media/parent/0.png`, start_time: 0, end_time: 5200 },
								{ face_id: '1', face_image: `${this.mediaUrl}/media/parent/1.png`, start_time: 1200, end_time: 4800 },
							];
					this.sessions.set(sessionId, { kind: 'face', createdAt: Date.now(), faces, source });
					return this.ok(res, { session_id: sessionId, final_unit_deduction: '0.1', face_data: faces }, entry);
				}
				this.sessions.set(sessionId, { kind: 'selection', createdAt: Date.now(), frames: new Map(), source });
				return this.ok(res, { status: 0, session_id: sessionId, fps: 30, original_duration: 5000, width: 1280, height: 720, total_frame: 150, normalized_video: source.url }, entry);
			}
			V.str(b, 'session_id', '', { required: true });
			const s = this.sessions.get(String(b.session_id));
			if (!s || s.kind !== 'selection' || Date.now() - s.createdAt > SESSION_TTL_MS) throw new FieldError('session_id', `${b.session_id} is not a valid multi-elements session (expired or unknown)`);
			if (call === 'clearSelection' || call === 'previewSelection') {
				V.checkKeys(b, ['session_id'], '');
				if (call === 'clearSelection') {
					s.frames.clear();
					return this.ok(res, { status: 0, session_id: b.session_id }, entry);
				}
				// What Kling answers for a preview of an empty selection is undocumented: the simulator does not
				// refuse it (the docs' own example order previews right after clear-selection).
				const base = `${this.mediaUrl}/media/parent`;
				return this.ok(res, { status: 0, session_id: b.session_id, res: { video: `${base}/0.mp4`, video_cover: `${base}/0.png`, tracking_output: `${base}/1.mp4` } }, entry);
			}
			V.checkKeys(b, ['session_id', 'frame_index', 'points'], '');
			const frame = V.num(b, 'frame_index', '', { required: true, int: true, min: 0, max: 149 });
			const points = V.arr(b, 'points', '', { required: true, min: 1, max: 10 }) ?? [];
			points.forEach((pt, i) => {
				if (!V.isObj(pt)) throw new FieldError(`points[${i}]`, 'must be an object {x, y}');
				V.checkKeys(pt, ['x', 'y'], `points[${i}].`);
				V.num(pt, 'x', `points[${i}].`, { required: true, min: 0, max: 1 });
				V.num(pt, 'y', `points[${i}].`, { required: true, min: 0, max: 1 });
			});
			const key = /** @type {number} */ (frame);
			const marked = s.frames.get(key) ?? [];
			if (call === 'addSelection') {
				if (!s.frames.has(key) && s.frames.size >= 10) throw new FieldError('frame_index', 'at most 10 frames can be marked');
				if (marked.length + points.length > 10) throw new FieldError('points', 'at most 10 points per frame');
				s.frames.set(key, marked.concat(points.map((/** @type {any} */ pt) => `${pt.x},${pt.y}`)));
			} else {
				// delete-selection must repeat the exact points that were added (DOC-26).
				for (const pt of /** @type {any[]} */ (points)) {
					const at = marked.indexOf(`${pt.x},${pt.y}`);
					if (at < 0) throw new FieldError('points', `(${pt.x}, ${pt.y}) is not a marked point of frame ${key}`);
					marked.splice(at, 1);
				}
				if (marked.length) s.frames.set(key, marked);
				else s.frames.delete(key);
			}
			const masks = (s.frames.get(key) ?? []).length ? [{ object_id: 0, rle_mask: { size: [720, 1280], counts: 'sim' }, png_mask: { size: [720, 1280], base64: '' } }] : [];
			return this.ok(res, { status: 0, session_id: b.session_id, res: { frame_index: key, rle_mask_list: masks } }, entry);
		} catch (error) {
			if (error instanceof FieldError) return this.fail(res, error.code, error.message, entry);
			throw error;
		}
	}

	takeCreateError() {
		const next = this.options.faults.createErrors.find((e) => (e.times ?? 0) > 0);
		if (!next) return undefined;
		next.times = (next.times ?? 1) - 1;
		return next;
	}

	/** @param {TaskType} type @param {string} id @param {http.ServerResponse} res @param {RequestRecord} entry */
	getOne(type, id, res, entry) {
		const rec = this.byId.get(id) ?? this.byExternalId.get(id);
		if (!rec || rec.type !== type) return this.fail(res, 1203, `task not found: ${id}`, entry);
		return this.ok(res, clone(rec.task), entry);
	}

	/** @param {TaskType} type @param {Record<string, string>} query @param {http.ServerResponse} res @param {RequestRecord} entry */
	list(type, query, res, entry) {
		/** @param {string} name @param {number} def @param {number} max */
		const intParam = (name, def, max) => {
			const raw = query[name];
			if (raw === undefined || raw === '') return def;
			if (!/^\d+$/.test(raw)) throw new FieldError(name, `must be an integer between 1 and ${max}`);
			const n = Number(raw);
			if (n < 1 || n > max) throw new FieldError(name, `must be between 1 and ${max}`);
			return n;
		};
		let pageNum;
		let pageSize;
		try {
			pageNum = intParam('pageNum', 1, 1000);
			pageSize = intParam('pageSize', 30, 500);
		} catch (error) {
			return this.fail(res, 1201, /** @type {Error} */ (error).message, entry);
		}
		const all = this.sortedRecords().filter((r) => r.type === type);
		const page = all.slice((pageNum - 1) * pageSize, pageNum * pageSize).map((r) => clone(r.task));
		return this.ok(res, page, entry);
	}

	/** @param {http.ServerResponse} res @param {Record<string, string>} query @param {RequestRecord} entry */
	accountCosts(res, query, entry) {
		for (const name of ['start_time', 'end_time']) {
			const v = query[name];
			if (v === undefined || v === '') return this.fail(res, 1200, `${name}: is required (Unix time in ms)`, entry);
			if (!/^\d+$/.test(v)) return this.fail(res, 1201, `${name}: must be an integer Unix time in milliseconds`, entry);
			// A seconds value here is the classic bug (JWT claims are seconds, this API is ms).
			if (Number(v) < 1e11) return this.fail(res, 1201, `${name}: must be in milliseconds, got what looks like seconds`, entry);
		}
		if (Number(query.end_time) < Number(query.start_time)) {
			return this.fail(res, 1201, 'end_time: must not be before start_time', entry);
		}
		const used = { video: 0, image: 0 };
		for (const r of this.records) {
			const units = Number(r.task.final_unit_deduction ?? 0) || 0;
			used[ENDPOINTS[r.type].resultKind === 'videos' ? 'video' : 'image'] += units;
		}
		const day = 24 * 3600 * 1000;
		const start = Date.UTC(2026, 0, 1);
		let packs = [
			{
				resource_pack_name: 'Video Generation - 1000 Units',
				resource_pack_id: 'sim-video-pack-1',
				resource_pack_type: 'decreasing_total',
				total_quantity: 1000.0,
				remaining_quantity: Math.max(0, 1000 - used.video),
				purchase_time: start,
				effective_time: start,
				invalid_time: start + 365 * day,
				status: 'online',
			},
			{
				resource_pack_name: 'Image Generation - 5000 Units',
				resource_pack_id: 'sim-image-pack-1',
				resource_pack_type: 'constant_period',
				total_quantity: 5000.0,
				remaining_quantity: Math.max(0, 5000 - used.image),
				purchase_time: start,
				effective_time: start,
				invalid_time: start + 30 * day,
				status: 'online',
			},
		];
		if (query.resource_pack_name) packs = packs.filter((p) => p.resource_pack_name === query.resource_pack_name);
		return this.ok(res, { code: 0, msg: 'success', resource_pack_subscribe_infos: packs }, entry);
	}

	/** @param {http.IncomingMessage} req @param {http.ServerResponse} res @param {string} path @param {RequestRecord} entry */
	serveMedia(req, res, path, entry) {
		const head = req.method === 'HEAD';
		const large = /^\/media\/large\/(\d+)\.mp4$/.exec(path);
		if (large) {
			const size = Number(large[1]);
			entry.status = 200;
			res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': String(size) });
			if (head) {
				res.end();
				return;
			}
			const stream = largeMp4Stream(size);
			res.on('close', () => stream.destroy());
			stream.pipe(res);
			return;
		}
		const m = /^\/media\/([^/]+)\/([a-z]?\d+)(-wm)?\.(mp4|png|mp3|wav)$/.exec(path);
		const known = m && (m[1] === 'parent' || families.isKnownMedia(this, decodeURIComponent(m[1]), m[2], m[4]) || (this.byId.has(decodeURIComponent(m[1])) && /^(mp4|png)$/.test(m[4])));
		if (!m || !known) {
			entry.status = 404;
			res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
			res.end('Not found');
			return;
		}
		const label = `${decodeURIComponent(m[1])}/${m[2]}${m[3] ?? ''}`;
		/** @type {Record<string, [() => Buffer, string]>} */
		const kinds = { mp4: [() => makeMp4(label), 'video/mp4'], png: [() => makePng(label), 'image/png'], mp3: [() => makeMp3(label), 'audio/mpeg'], wav: [() => makeWav(label), 'audio/wav'] };
		const [make, type] = kinds[m[4]];
		const data = make();
		entry.status = 200;
		res.writeHead(200, { 'content-type': type, 'content-length': String(data.length) });
		res.end(head ? undefined : data);
	}

	/** @param {http.IncomingMessage} req @param {http.ServerResponse} res @param {string} method @param {string} path */
	async control(req, res, method, path) {
		/** @type {any} */
		let body = {};
		if (method === 'POST') {
			const raw = await readBody(req);
			try {
				body = raw ? JSON.parse(raw) : {};
			} catch {
				return this.fail(res, 1200, 'body: is not valid JSON', null);
			}
		}
		try {
			if (method === 'GET' && path === '/__sim/state') {
				return this.ok(res, { url: this.url, mediaUrl: this.mediaUrl, options: this.publicOptions(), tasks: this.tasks(), requests: this.requests, callbacks: this.callbacks }, null);
			}
			if (method === 'POST' && path === '/__sim/options') return this.ok(res, this.setOptions(body), null);
			if (method === 'POST' && path === '/__sim/reset') {
				this.reset();
				return this.ok(res, { reset: true }, null);
			}
			if (method === 'POST' && path === '/__sim/tasks') return this.ok(res, this.insertTask(body.type, body.overrides ?? {}), null);
			const adv = /^\/__sim\/tasks\/([^/]+)\/advance$/.exec(path);
			if (method === 'POST' && adv) return this.ok(res, this.advance(decodeURIComponent(adv[1]), body.status, body.message), null);
		} catch (error) {
			return this.fail(res, 1201, /** @type {Error} */ (error).message, null);
		}
		return this.fail(res, 1202, `${method} ${path}: no such control endpoint`, null);
	}

	// ------------------------------------------------------------------ tasks and lifecycle

	sortedRecords() {
		return [...this.records].sort((a, b) => b.task.created_at - a.task.created_at || b.seq - a.seq);
	}

	/**
	 * @param {TaskType} type @param {Record<string, any> | null} body
	 * @param {{ externalId?: string, callbackUrl: string | null, taskId?: string, createdAt?: number }} o
	 * @returns {TaskRecord}
	 */
	newRecord(type, body, o) {
		const seq = ++this.seq;
		const rng = rngFor(this.options.seed, seq);
		const text = body ? promptText(body) : '';
		const failRoll = rng();
		const marked = /sim:fail/i.test(text);
		const fail = marked || failRoll < this.options.failureRate;
		const largeMatch = /sim:large=(\d+)/i.exec(text);
		const taskId = o.taskId ?? `${this.idPrefix}${String(seq).padStart(10, '0')}`;
		if (this.byId.has(taskId)) throw new Error(`task_id ${taskId} already exists`);
		if (o.externalId !== undefined && this.byExternalId.has(o.externalId)) throw new Error(`external_task_id ${o.externalId} already exists`);
		const now = o.createdAt ?? Date.now();
		/** @type {Record<string, any>} */
		const taskInfo = {};
		if (o.externalId !== undefined) taskInfo.external_task_id = o.externalId;
		if (body && type === 'extendVideo') taskInfo.parent_video = this.parentVideo(String(body.video_id));
		if (body && type === 'lipSync' && isObj(body.input) && typeof body.input.video_id === 'string') {
			taskInfo.parent_video = this.parentVideo(body.input.video_id);
		}
		if (body) Object.assign(taskInfo, families.taskInfoFor(this, type, body));
		if (body && type === 'advancedLipSync') {
			const session = this.sessions.get(String(body.session_id));
			if (session) taskInfo.parent_video = clone(session.source);
		}
		/** @type {Record<string, any>} */
		const task = {
			task_id: taskId,
			task_status: 'submitted',
			task_status_msg: '',
			task_info: taskInfo,
			created_at: now,
			updated_at: now,
		};
		if (body && isObj(body.watermark_info)) task.watermark_info = { enabled: Boolean(body.watermark_info.enabled) };
		return {
			seq,
			type,
			task,
			body: body ? clone(body) : null,
			callbackUrl: o.callbackUrl,
			rng,
			fail,
			failMessage: marked ? FAIL_MESSAGE : RANDOM_FAIL_MESSAGE,
			largeBytes: largeMatch && ENDPOINTS[type].resultKind === 'videos' ? Number(largeMatch[1]) : null,
			videoIds: [],
			deferred: [],
			chain: Promise.resolve(),
		};
	}

	/** @param {TaskRecord} rec */
	store(rec) {
		this.records.push(rec);
		this.byId.set(rec.task.task_id, rec);
		const ext = rec.task.task_info?.external_task_id;
		if (typeof ext === 'string') this.byExternalId.set(ext, rec);
	}

	/** @param {string} videoId */
	parentVideo(videoId) {
		for (const r of this.records) {
			const v = (r.task.task_result?.videos ?? []).find((/** @type {any} */ x) => x.id === videoId);
			if (v) return { id: v.id, url: v.url, duration: v.duration };
		}
		return { id: videoId, url: `${this.mediaUrl}/media/parent/0.mp4`, duration: '5' };
	}

	/** @param {TaskRecord} rec */
	scheduleLifecycle(rec) {
		if (!this.options.autoAdvance) return;
		const { toProcessingMs, toFinishMs } = this.options.timings;
		this.later(() => {
			if (rec.task.task_status === 'submitted') this.transition(rec, 'processing');
		}, toProcessingMs);
		this.later(() => {
			const s = rec.task.task_status;
			if (s === 'succeed' || s === 'failed') return;
			if (s === 'submitted') this.transition(rec, 'processing');
			this.transition(rec, rec.fail ? 'failed' : 'succeed');
		}, Math.max(toFinishMs, toProcessingMs));
	}

	/** @param {TaskRecord} rec @param {string} status @param {string} [message] */
	transition(rec, status, message) {
		const t = rec.task;
		t.task_status = status;
		t.updated_at = Math.max(Date.now(), (t.updated_at ?? 0) + 1);
		if (status === 'succeed') {
			t.task_status_msg = '';
			t.task_result = this.buildResult(rec);
			t.final_unit_deduction = this.unitsFor(rec);
		} else if (status === 'failed') {
			t.task_status_msg = message ?? rec.failMessage;
			t.final_unit_deduction = '0';
			delete t.task_result;
		}
		this.emitCallback(rec, clone(t));
	}

	/** @param {TaskRecord} rec */
	buildResult(rec) {
		const libraryResult = library.resultFor(this, rec);
		if (libraryResult) return libraryResult;
		const body = rec.body ?? {};
		const id = rec.task.task_id;
		const wm = Boolean(body.watermark_info?.enabled);
		const base = `${this.mediaUrl}/media/${encodeURIComponent(id)}`;
		const own = families.buildResult(this, rec);
		if (own) return own;
		if (ENDPOINTS[rec.type].resultKind === 'videos') {
			if (!rec.videoIds.length) rec.videoIds.push(crypto.randomUUID());
			const duration = String(body.duration ?? (isObj(body.input) ? body.input.duration : undefined) ?? '5');
			/** @type {Record<string, any>} */
			const video = {
				id: rec.videoIds[0],
				url: rec.largeBytes !== null ? `${this.mediaUrl}/media/large/${rec.largeBytes}.mp4` : `${base}/0.mp4`,
				duration,
			};
			if (wm) video.watermark_url = `${base}/0-wm.mp4`;
			// Multi-elements results carry the session (DOC-26 L4479); effects results have no duration (DOC-NEW).
			if (rec.type === 'multiElements' && body.session_id) video.session_id = String(body.session_id);
			if (rec.type === 'videoEffects') delete video.duration;
			return { videos: [video] };
		}
		const n = typeof body.n === 'number' ? body.n : 1;
		return {
			images: Array.from({ length: n }, (_, index) => {
				/** @type {Record<string, any>} */
				const image = { index, url: `${base}/${index}.png` };
				if (wm) image.watermark_url = `${base}/${index}-wm.png`;
				return image;
			}),
		};
	}

	/** Units charged: videos 1 (std) / 2 (pro, 4k) per 5 s; images 1 per image. @param {TaskRecord} rec */
	unitsFor(rec) {
		const body = rec.body ?? {};
		if (ENDPOINTS[rec.type].resultKind === 'images') return String(typeof body.n === 'number' ? body.n : 1);
		const perFive = body.mode === 'pro' || body.mode === '4k' ? 2 : 1;
		const seconds = Number(body.duration ?? (isObj(body.input) ? body.input.duration : undefined) ?? 5) || 5;
		return String((perFive * seconds) / 5);
	}

	// ------------------------------------------------------------------ callbacks

	/**
	 * Official behaviour: "notify you when the task status changes" with the bare task object.
	 * Sends processing (unless callbacks.progress is false) and the terminal status; `submitted` is
	 * the initial state, not a change, so it is never sent.
	 * @param {TaskRecord} rec @param {Record<string, any>} snapshot
	 */
	emitCallback(rec, snapshot) {
		if (!rec.callbackUrl) return;
		const terminal = snapshot.task_status === 'succeed' || snapshot.task_status === 'failed';
		const cb = this.options.callbacks;
		if (!terminal && !cb.progress) return;
		// Always three draws per status change, so each task's fault pattern depends only on (seed, task).
		const dropRoll = rec.rng();
		const duplicateRoll = rec.rng();
		const reorderRoll = rec.rng();
		/** @type {DeliveryPlan} */
		const plan = { dropped: dropRoll < cb.drop, duplicate: duplicateRoll < cb.duplicate };
		if (!terminal && reorderRoll < cb.reorder) {
			// Held back and delivered right after the terminal callback (stale update arriving late).
			rec.deferred.push({ snapshot, plan: { ...plan, reordered: true } });
			return;
		}
		this.enqueue(rec, snapshot, plan);
		if (terminal) for (const d of rec.deferred.splice(0)) this.enqueue(rec, d.snapshot, d.plan);
	}

	/** Deliveries of one task are sequential, in emission order. @param {TaskRecord} rec @param {Record<string, any>} snapshot @param {DeliveryPlan} plan */
	enqueue(rec, snapshot, plan) {
		const url = /** @type {string} */ (rec.callbackUrl);
		const p = rec.chain.then(() => this.deliver(url, nsCallbackBody(rec, snapshot), plan)).catch(() => undefined);
		rec.chain = p;
		this.pending.add(p);
		p.finally(() => this.pending.delete(p));
	}

	/** @param {string} url @param {Record<string, any>} snapshot @param {DeliveryPlan} plan */
	async deliver(url, snapshot, plan) {
		if (this.closed) return;
		if (this.options.callbacks.delayMs > 0) {
			await this.sleep(this.options.callbacks.delayMs);
			if (this.closed) return;
		}
		const body = library.toWire(JSON.stringify(snapshot));
		/** @type {CallbackRecord} */
		const entry = {
			taskId: snapshot.task_id ?? snapshot.id,
			status: snapshot.task_status ?? snapshot.status,
			url,
			delivered: false,
			statusCode: null,
			dropped: plan.dropped,
			duplicate: false,
			reordered: Boolean(plan.reordered),
			at: Date.now(),
			webhookId: `msg_${this.idPrefix}_${++this.callbackSeq}`,
			body: snapshot,
		};
		this.callbacks.push(entry);
		if (plan.dropped) return;
		await this.post(entry, body);
		if (plan.duplicate && !this.closed) {
			// A re-delivery of the same message: same webhook-id and body, fresh timestamp/signature.
			/** @type {CallbackRecord} */
			const again = { ...entry, duplicate: true, delivered: false, statusCode: null, at: Date.now(), error: undefined };
			delete again.error;
			this.callbacks.push(again);
			await this.post(again, body);
		}
	}

	/** @param {CallbackRecord} entry @param {string} body */
	async post(entry, body) {
		/** @type {Record<string, string>} */
		const headers = { 'Content-Type': 'application/json; charset=utf-8' };
		const secret = this.options.webhookSecret;
		if (secret) Object.assign(headers, webhookHeaders(secret, entry.webhookId, Math.floor(Date.now() / 1000), body));
		entry.headers = { ...headers };
		const ac = new AbortController();
		this.aborts.add(ac);
		try {
			const r = await axios.post(entry.url, body, {
				headers,
				timeout: this.options.callbacks.timeoutMs,
				signal: ac.signal,
				proxy: false,
				maxRedirects: 0,
				validateStatus: () => true,
				transformRequest: [(d) => d],
				responseType: 'text',
				httpAgent: this.httpAgent,
				httpsAgent: this.httpsAgent,
			});
			entry.statusCode = r.status;
			entry.delivered = r.status >= 200 && r.status < 300;
		} catch (error) {
			entry.error = /** @type {Error} */ (error).message;
		} finally {
			this.aborts.delete(ac);
		}
	}
}

class BodyTooLarge extends Error {}

/** @param {http.IncomingMessage} req @returns {Promise<string>} */
function readBody(req) {
	return new Promise((resolve, reject) => {
		/** @type {Buffer[]} */
		const chunks = [];
		let size = 0;
		req.on('data', (c) => {
			size += c.length;
			if (size > MAX_BODY_BYTES) {
				reject(new BodyTooLarge());
				req.destroy();
				return;
			}
			chunks.push(c);
		});
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		req.on('error', reject);
	});
}

/** @param {http.IncomingMessage} req @returns {RequestAuth} */
function mediaAuth(req) {
	const present = Boolean(req.headers.authorization);
	return { ok: true, code: 0, iss: null, kind: present ? 'sent' : 'none', present };
}

/** @param {http.Server} server @param {number} port @returns {Promise<string>} */
function listenOn(server, port) {
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => {
			server.off('error', reject);
			const addr = /** @type {import('node:net').AddressInfo} */ (server.address());
			resolve(`http://127.0.0.1:${addr.port}`);
		});
	});
}

/** @param {http.Server} server @returns {Promise<void>} */
function closeServer(server) {
	return new Promise((resolve) => {
		if (!server.listening) return resolve();
		server.close(() => resolve());
		server.closeAllConnections();
	});
}

/**
 * Start a simulator on 127.0.0.1 (port 0 = free port).
 * @param {SimulatorOptions} [options]
 * @returns {Promise<KlingSimulator>}
 */
async function startSimulator(options = {}) {
	const sim = new KlingSimulator(options);
	await sim.listen();
	return sim;
}

module.exports = {
	startSimulator,
	KlingSimulator,
	ENDPOINTS,
	TASK_TYPES,
	SYNC_PATHS,
	ACCOUNT_COSTS_PATH,
	CODES,
	signWebhook,
	webhookHeaders,
	validateCreate,
	FieldError,
};
