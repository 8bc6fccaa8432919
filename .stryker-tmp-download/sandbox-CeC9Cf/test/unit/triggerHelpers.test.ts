import {
	MAX_CALLBACK_BYTES,
	acceptedUrlTokens,
	ackBody,
	authenticateCallback,
	checkSize,
	confirmationTypes,
	ledgerVerdict,
	matchesFilters,
	parseCallback,
	rejectionBody,
	signedBytes,
	taskTypeFromQuery,
	type CallbackRequest,
} from '../../nodes/KlingAi/KlingAiTriggerHelpers';
import { urlTokenFromCredentials } from '../../nodes/KlingAi/shared/callback';
import { TASK_TYPES } from '../../nodes/KlingAi/shared/endpoints';
import { TaskLedger } from '../../nodes/KlingAi/shared/ledger';
import { deriveUrlToken, signStandardWebhook } from '../../nodes/KlingAi/shared/signature';
import type { KlingTaskItem } from '../../nodes/KlingAi/shared/task';

// Official Kling test vector (reference/kling-api.md §5.4).
const VECTOR = {
	secret: 'whsec_dGVzdHNlY3JldHRlc3RzZWNyZXR0ZXN0c2VjcmV0MTI=',
	id: '9876543210',
	timestamp: 1781080794,
	body: '{"id":"1234567890","status":"succeeded","message":"","create_time":1781080778802,"update_time":1781080794151}',
	signature: 'v1,UsKlJP00XoQyOn410NM9xv34sP+Gl0jnOO9Lcpr7NJ4=',
};

const BASE_CREDS = { authType: 'accessKey', accessKey: 'ak_test', secretKey: 'sk_test', region: 'custom', customBaseUrl: 'http://127.0.0.1:1' };
const SIGNED_CREDS = { ...BASE_CREDS, webhookSecret: VECTOR.secret };
const TOKEN = urlTokenFromCredentials(BASE_CREDS)!;
const SIGNED_TOKEN = urlTokenFromCredentials(SIGNED_CREDS)!;

const LEGACY = {
	task_id: 'task-1',
	task_status: 'succeed',
	task_status_msg: '',
	created_at: 1722769557708,
	updated_at: 1722769600000,
	task_info: { external_task_id: 'n8n-abc' },
	task_result: { videos: [{ id: 'v1', url: 'https://cdn.example/v1.mp4', duration: '5.1' }] },
};

function request(body: unknown, extra: Partial<CallbackRequest> = {}): CallbackRequest {
	const raw = typeof body === 'string' ? body : JSON.stringify(body);
	return { headers: { 'content-type': 'application/json' }, query: {}, rawBody: Buffer.from(raw), body: typeof body === 'string' ? {} : body, ...extra };
}

function signed(body: string, opts: { secret?: string; id?: string; ts?: number; sig?: string } = {}): CallbackRequest {
	const id = opts.id ?? 'msg_1';
	const ts = opts.ts ?? 1_800_000_000;
	const sig = opts.sig ?? signStandardWebhook(opts.secret ?? VECTOR.secret, id, ts, body);
	return {
		headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(ts), 'webhook-signature': sig },
		query: { kling_token: SIGNED_TOKEN },
		rawBody: Buffer.from(body),
		body: JSON.parse(body),
	};
}

const NO_TOKEN = { requireUrlToken: false, confirmWithApi: false };
const WITH_TOKEN = { requireUrlToken: true, confirmWithApi: false };

describe('parseCallback: payload forms', () => {
	test('official bare legacy task object', () => {
		const r = parseCallback(request(LEGACY));
		expect(r.ok).toBe(true);
		if (!r.ok) return;
		expect(r.item).toMatchObject({
			taskId: 'task-1',
			externalTaskId: 'n8n-abc',
			status: 'succeeded',
			klingStatus: 'succeed',
			finished: true,
			videos: [{ id: 'v1', url: 'https://cdn.example/v1.mp4', durationSeconds: 5.1, watermarkUrl: null }],
		});
	});

	test('{code, message, data}-wrapped form', () => {
		const r = parseCallback(request({ code: 0, message: 'SUCCEED', request_id: 'r1', data: LEGACY }));
		expect(r.ok && r.item.taskId).toBe('task-1');
	});

	test('new-standard {id, status, outputs} form: succeeded and succeed both mean success', () => {
		const body = { id: '913827032734642185', status: 'succeeded', outputs: [{ type: 'video', url: 'https://cdn.example/x.mp4' }], message: '', create_time: 1, update_time: 2 };
		const a = parseCallback(request(body));
		const b = parseCallback(request({ ...body, status: 'succeed' }));
		expect(a.ok && a.item.status).toBe('succeeded');
		expect(b.ok && b.item.status).toBe('succeeded');
		expect(a.ok && a.item.videos[0].url).toBe('https://cdn.example/x.mp4');
	});

	test('the official vector body (new-standard) parses', () => {
		const r = parseCallback(request(VECTOR.body));
		expect(r.ok && r.item).toMatchObject({ taskId: '1234567890', status: 'succeeded', updatedAtMs: 1781080794151 });
	});

	test('task type comes from the kling_type query parameter; unknown values are ignored', () => {
		const typed = parseCallback(request(LEGACY, { query: { kling_type: 'imageGeneration' } }));
		expect(typed.ok && typed.item).toMatchObject({ taskType: 'imageGeneration', resultKind: 'images' });
		const unknown = parseCallback(request(LEGACY, { query: { kling_type: 'nope' } }));
		expect(unknown.ok && unknown.item.taskType).toBeNull();
		expect(taskTypeFromQuery({ kling_type: ['textToVideo', 'lipSync'] })).toBeNull();
	});

	test('parses the raw bytes that were authenticated, not the parsed body', () => {
		const r = parseCallback({ headers: {}, query: {}, rawBody: Buffer.from(JSON.stringify(LEGACY)), body: { task_id: 'forged', task_status: 'succeed' } });
		expect(r.ok && r.item.taskId).toBe('task-1');
	});

	test('falls back to the parsed body when there is no raw body; tolerates a UTF-8 BOM', () => {
		const fallback = parseCallback({ headers: {}, query: {}, body: LEGACY });
		expect(fallback.ok && fallback.item.taskId).toBe('task-1');
		const bom = parseCallback({ headers: {}, query: {}, rawBody: Buffer.from(`\ufeff${JSON.stringify(LEGACY)}`) });
		expect(bom.ok && bom.item.taskId).toBe('task-1');
	});
});

describe('parseCallback: 400 rejections with a JSON reason', () => {
	test.each([
		['not JSON', 'hello, world', 'not_json'],
		['no task id', { task_status: 'succeed' }, 'no_task_id'],
		['empty object', {}, 'no_task_id'],
		['unknown legacy status', { ...LEGACY, task_status: 'exploded' }, 'unknown_status'],
		['unknown new-standard status', { id: 'x', status: 'weird' }, 'unknown_status'],
		['a JSON array', [LEGACY], 'not_a_task'],
	])('%s → 400 %s', (_name, body, reason) => {
		const r = parseCallback(request(body));
		expect(r.ok).toBe(false);
		if (r.ok) return;
		expect(r.rejection).toMatchObject({ statusCode: 400, reason });
		expect(rejectionBody(r.rejection)).toEqual({ received: false, error: reason, message: expect.any(String) });
	});
});

describe('checkSize: 413 for oversized bodies', () => {
	test('raw body over the limit', () => {
		const big = Buffer.alloc(MAX_CALLBACK_BYTES + 1, 0x20);
		expect(checkSize({ headers: {}, query: {}, rawBody: big })).toMatchObject({ statusCode: 413, reason: 'payload_too_large' });
	});
	test('declared content-length over the limit', () => {
		expect(checkSize({ headers: { 'Content-Length': String(5 * MAX_CALLBACK_BYTES) }, query: {}, rawBody: Buffer.from('{}') })?.statusCode).toBe(413);
	});
	test('a normal callback passes', () => {
		expect(checkSize(request(LEGACY))).toBeUndefined();
		expect(checkSize({ headers: {}, query: {}, rawBody: Buffer.alloc(MAX_CALLBACK_BYTES, 0x20) })).toBeUndefined();
	});
});

describe('authenticateCallback: URL token', () => {
	test('matching token passes and is reported', () => {
		const r = authenticateCallback(request(LEGACY, { query: { kling_token: TOKEN } }), BASE_CREDS, WITH_TOKEN, 0);
		expect(r).toEqual({ ok: true, auth: { signed: false, tokenVerified: true } });
	});
	test('missing token → 401 missing_token', () => {
		const r = authenticateCallback(request(LEGACY), BASE_CREDS, WITH_TOKEN, 0);
		expect(!r.ok && r.rejection).toMatchObject({ statusCode: 401, reason: 'missing_token' });
	});
	test('token mismatch → 401 bad_token (including a token of another credential)', () => {
		const other = urlTokenFromCredentials({ ...BASE_CREDS, secretKey: 'sk_other' })!;
		for (const token of ['x', TOKEN.slice(0, -1), `${TOKEN}x`, other, '']) {
			const r = authenticateCallback(request(LEGACY, { query: { kling_token: token } }), BASE_CREDS, WITH_TOKEN, 0);
			expect(!r.ok && r.rejection).toMatchObject({ statusCode: 401, reason: 'bad_token' });
		}
	});
	test('a repeated token parameter (array) is rejected', () => {
		const r = authenticateCallback(request(LEGACY, { query: { kling_token: [TOKEN, TOKEN] } }), BASE_CREDS, WITH_TOKEN, 0);
		expect(!r.ok && r.rejection.reason).toBe('bad_token');
	});
	test('with the option off, no token is needed', () => {
		expect(authenticateCallback(request(LEGACY), BASE_CREDS, NO_TOKEN, 0)).toEqual({ ok: true, auth: { signed: false, tokenVerified: false } });
	});
	test('the action node appends the token of the webhook secret when there is one; tokens of the same credential\'s other secrets still pass (tasks created before the secret was added)', () => {
		expect(SIGNED_TOKEN).not.toBe(TOKEN);
		expect(acceptedUrlTokens(SIGNED_CREDS)[0]).toBe(SIGNED_TOKEN);
		const opts = { requireUrlToken: true, confirmWithApi: true };
		for (const token of [SIGNED_TOKEN, TOKEN]) {
			expect(authenticateCallback(request(LEGACY, { query: { kling_token: token } }), SIGNED_CREDS, opts, 0).ok).toBe(true);
		}
		const other = urlTokenFromCredentials({ ...SIGNED_CREDS, webhookSecret: 'whsec_b3RoZXJvdGhlcm90aGVyb3RoZXI=' })!;
		const r = authenticateCallback(request(LEGACY, { query: { kling_token: other } }), SIGNED_CREDS, opts, 0);
		expect(!r.ok && r.rejection.reason).toBe('bad_token');
	});
});

describe('authenticateCallback: Standard Webhooks signatures', () => {
	const vectorRequest = (sig = VECTOR.signature): CallbackRequest => ({
		headers: { 'webhook-id': VECTOR.id, 'webhook-timestamp': String(VECTOR.timestamp), 'webhook-signature': sig },
		query: { kling_token: SIGNED_TOKEN },
		rawBody: Buffer.from(VECTOR.body),
		body: JSON.parse(VECTOR.body),
	});

	test('the official Kling test vector is accepted', () => {
		const r = authenticateCallback(vectorRequest(), SIGNED_CREDS, WITH_TOKEN, VECTOR.timestamp + 10);
		expect(r).toEqual({ ok: true, auth: { signed: true, tokenVerified: true, webhookId: VECTOR.id } });
	});

	test('header names are matched case-insensitively', () => {
		const req = vectorRequest();
		req.headers = { 'Webhook-Id': VECTOR.id, 'WEBHOOK-TIMESTAMP': String(VECTOR.timestamp), 'Webhook-Signature': VECTOR.signature };
		expect(authenticateCallback(req, SIGNED_CREDS, WITH_TOKEN, VECTOR.timestamp).ok).toBe(true);
	});

	test('rotation: two signatures, one valid → accepted; none valid → 401', () => {
		const old = signStandardWebhook('whsec_b2xkc2VjcmV0b2xkc2VjcmV0b2xkc2VjcmV0MTI=', VECTOR.id, VECTOR.timestamp, VECTOR.body);
		expect(authenticateCallback(vectorRequest(`${old} ${VECTOR.signature}`), SIGNED_CREDS, WITH_TOKEN, VECTOR.timestamp).ok).toBe(true);
		expect(authenticateCallback(vectorRequest(`${VECTOR.signature} ${old}`), SIGNED_CREDS, WITH_TOKEN, VECTOR.timestamp).ok).toBe(true);
		const r = authenticateCallback(vectorRequest(`${old} v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=`), SIGNED_CREDS, WITH_TOKEN, VECTOR.timestamp);
		expect(!r.ok && r.rejection).toMatchObject({ statusCode: 401, reason: 'bad_signature' });
	});

	test('stale timestamp (more than 5 minutes either way) → 401 stale_timestamp', () => {
		for (const now of [VECTOR.timestamp + 301, VECTOR.timestamp - 301]) {
			const r = authenticateCallback(vectorRequest(), SIGNED_CREDS, WITH_TOKEN, now);
			expect(!r.ok && r.rejection).toMatchObject({ statusCode: 401, reason: 'stale_timestamp' });
		}
		expect(authenticateCallback(vectorRequest(), SIGNED_CREDS, WITH_TOKEN, VECTOR.timestamp + 300).ok).toBe(true);
	});

	test('a body changed by one byte fails', () => {
		const req = vectorRequest();
		req.rawBody = Buffer.from(VECTOR.body.replace('succeeded', 'succeedeD'));
		const r = authenticateCallback(req, SIGNED_CREDS, WITH_TOKEN, VECTOR.timestamp);
		expect(!r.ok && r.rejection.reason).toBe('bad_signature');
	});

	test('verifies the raw bytes: a pretty-printed body is accepted when that is what was signed', () => {
		const pretty = JSON.stringify(JSON.parse(VECTOR.body), null, 2);
		expect(authenticateCallback(signed(pretty), SIGNED_CREDS, WITH_TOKEN, 1_800_000_000).ok).toBe(true);
	});

	test('without a raw body, falls back to the re-serialised JSON (compact bodies only)', () => {
		const req = vectorRequest();
		delete req.rawBody;
		expect(signedBytes(req)).toBe(VECTOR.body);
		expect(authenticateCallback(req, SIGNED_CREDS, WITH_TOKEN, VECTOR.timestamp).ok).toBe(true);
		const pretty = signed(JSON.stringify(JSON.parse(VECTOR.body), null, 2));
		delete pretty.rawBody;
		const r = authenticateCallback(pretty, SIGNED_CREDS, WITH_TOKEN, 1_800_000_000);
		expect(!r.ok && r.rejection.reason).toBe('bad_signature');
	});

	test('missing signature headers while a secret is set → 401 missing_signature', () => {
		const r = authenticateCallback(request(LEGACY, { query: { kling_token: SIGNED_TOKEN } }), SIGNED_CREDS, WITH_TOKEN, 0);
		expect(!r.ok && r.rejection).toMatchObject({ statusCode: 401, reason: 'missing_signature' });
	});

	test('... unless Confirm With Kling API is on: accepted as unsigned (the trigger then confirms)', () => {
		const r = authenticateCallback(request(LEGACY, { query: { kling_token: SIGNED_TOKEN } }), SIGNED_CREDS, { requireUrlToken: true, confirmWithApi: true }, 0);
		expect(r).toEqual({ ok: true, auth: { signed: false, tokenVerified: true } });
	});

	test('incomplete signature headers → 401 missing_headers, even with confirmation on', () => {
		const req = vectorRequest();
		delete req.headers['webhook-timestamp'];
		const r = authenticateCallback(req, SIGNED_CREDS, { requireUrlToken: true, confirmWithApi: true }, VECTOR.timestamp);
		expect(!r.ok && r.rejection).toMatchObject({ statusCode: 401, reason: 'missing_headers' });
	});

	test('a bad signature is rejected even with confirmation on', () => {
		const r = authenticateCallback(vectorRequest('v1,Zm9yZ2Vk'), SIGNED_CREDS, { requireUrlToken: true, confirmWithApi: true }, VECTOR.timestamp);
		expect(!r.ok && r.rejection.reason).toBe('bad_signature');
	});

	test('a non-numeric timestamp → 401 bad_timestamp', () => {
		const req = vectorRequest();
		req.headers['webhook-timestamp'] = '2026-08-07T00:00:00Z';
		const r = authenticateCallback(req, SIGNED_CREDS, WITH_TOKEN, VECTOR.timestamp);
		expect(!r.ok && r.rejection).toMatchObject({ statusCode: 401, reason: 'bad_timestamp' });
	});

	test('signature headers are ignored when the credential has no webhook secret', () => {
		const r = authenticateCallback({ ...vectorRequest('v1,garbage'), query: { kling_token: TOKEN } }, BASE_CREDS, WITH_TOKEN, 0);
		expect(r).toEqual({ ok: true, auth: { signed: false, tokenVerified: true } });
	});

	test('rejections carry no secret, token or signature', () => {
		const cases = [
			authenticateCallback(vectorRequest('v1,Zm9yZ2Vk'), SIGNED_CREDS, WITH_TOKEN, VECTOR.timestamp),
			authenticateCallback({ ...vectorRequest(), query: { kling_token: 'wrong' } }, SIGNED_CREDS, WITH_TOKEN, VECTOR.timestamp),
			authenticateCallback(vectorRequest(), SIGNED_CREDS, WITH_TOKEN, 0),
			authenticateCallback(vectorRequest(), { ...SIGNED_CREDS, webhookSecret: 'whsec_not base64!' }, WITH_TOKEN, VECTOR.timestamp),
		];
		for (const r of cases) {
			expect(r.ok).toBe(false);
			const text = JSON.stringify(r.ok ? {} : rejectionBody(r.rejection));
			for (const secret of [VECTOR.secret, VECTOR.secret.slice(6), SIGNED_TOKEN, TOKEN, VECTOR.signature.slice(3), 'sk_test', 'Zm9yZ2Vk']) {
				expect(text).not.toContain(secret);
			}
		}
	});
});

describe('ordering rules', () => {
	const s = (status: KlingTaskItem['status'], updatedAtMs: number | null) => ({ status, updatedAtMs });

	test('ledgerVerdict', () => {
		expect(ledgerVerdict(undefined, s('processing', 1))).toBe('new');
		expect(ledgerVerdict(s('submitted', 1), s('processing', 2))).toBe('new');
		expect(ledgerVerdict(s('processing', 1), s('succeeded', 2))).toBe('new');
		expect(ledgerVerdict(s('processing', 1), s('processing', 5))).toBe('new');
		expect(ledgerVerdict(s('processing', 5), s('processing', 5))).toBe('duplicate');
		expect(ledgerVerdict(s('succeeded', 9), s('succeeded', 9))).toBe('duplicate');
		expect(ledgerVerdict(s('succeeded', 9), s('succeeded', 10))).toBe('duplicate');
		expect(ledgerVerdict(s('succeeded', 9), s('processing', 10))).toBe('stale');
		expect(ledgerVerdict(s('succeeded', 9), s('failed', 10))).toBe('stale');
		expect(ledgerVerdict(s('processing', 5), s('processing', 4))).toBe('stale');
		expect(ledgerVerdict(s('processing', 5), s('submitted', 6))).toBe('stale');
	});

	test('duplicated and reordered deliveries through the ledger: each state at most once, terminal exactly once', () => {
		const ledger = new TaskLedger();
		const deliveries = [
			s('processing', 2),
			s('submitted', 1), // late
			s('succeeded', 3),
			s('processing', 2), // late, after terminal
			s('succeeded', 3), // duplicate
			s('failed', 4), // conflicting terminal
		];
		const emitted: string[] = [];
		const verdicts: string[] = [];
		for (const d of deliveries) {
			const prev = ledger.get('t');
			if (ledger.claim({ taskId: 't', ...d }, 'callback')) emitted.push(d.status);
			else verdicts.push(ledgerVerdict(prev, d));
		}
		expect(emitted).toEqual(['processing', 'succeeded']);
		expect(verdicts).toEqual(['stale', 'stale', 'duplicate', 'stale']);
	});
});

describe('filters and confirmation targets', () => {
	const item = (taskType: KlingTaskItem['taskType'], externalTaskId: string | null) => ({ taskType, externalTaskId });
	test('empty filters match everything', () => {
		expect(matchesFilters(item(null, null), { taskTypes: [], externalTaskIdPrefix: '' })).toBe(true);
	});
	test('task types', () => {
		const f = { taskTypes: ['textToVideo' as const, 'lipSync' as const], externalTaskIdPrefix: '' };
		expect(matchesFilters(item('lipSync', null), f)).toBe(true);
		expect(matchesFilters(item('imageGeneration', null), f)).toBe(false);
		expect(matchesFilters(item(null, null), f)).toBe(false);
	});
	test('external task id prefix', () => {
		const f = { taskTypes: [], externalTaskIdPrefix: 'wf42-' };
		expect(matchesFilters(item(null, 'wf42-001'), f)).toBe(true);
		expect(matchesFilters(item(null, 'wf43-001'), f)).toBe(false);
		expect(matchesFilters(item(null, null), f)).toBe(false);
		// A prefix, not a substring: the same text later in the id does not match.
		expect(matchesFilters(item(null, 'x-wf42-001'), f)).toBe(false);
		expect(matchesFilters(item(null, 'wf42'), f)).toBe(false);
		expect(matchesFilters(item(null, 'WF42-001'), f)).toBe(false);
	});
	test('confirmationTypes: known type, else filtered types, else all', () => {
		expect(confirmationTypes({ taskType: 'lipSync' }, { taskTypes: [], externalTaskIdPrefix: '' })).toEqual(['lipSync']);
		expect(confirmationTypes({ taskType: null }, { taskTypes: ['imageExpand'], externalTaskIdPrefix: '' })).toEqual(['imageExpand']);
		expect(confirmationTypes({ taskType: null }, { taskTypes: [], externalTaskIdPrefix: '' })).toEqual(TASK_TYPES);
	});
	test('ack bodies are small JSON', () => {
		expect(ackBody({ taskId: 't', status: 'succeeded' })).toEqual({ received: true, taskId: 't', status: 'succeeded' });
		expect(ackBody({ taskId: 't', status: 'processing' }, 'progress')).toEqual({ received: true, ignored: 'progress', taskId: 't', status: 'processing' });
	});
});

describe('request edges (mutation testing survivors)', () => {
	test('empty or null headers count as absent: an unsigned callback with blank signature headers is confirmed, not verified', () => {
		for (const blank of ['', null, undefined, []]) {
			const headers = { 'webhook-id': blank, 'webhook-timestamp': blank, 'webhook-signature': blank };
			const r = authenticateCallback(request(LEGACY, { headers, query: { kling_token: SIGNED_TOKEN } }), SIGNED_CREDS, { requireUrlToken: true, confirmWithApi: true }, 0);
			expect(r).toEqual({ ok: true, auth: { signed: false, tokenVerified: true } });
		}
	});

	test('a null kling_token is a missing token; the rejection messages name the parameter', () => {
		const missing = authenticateCallback(request(LEGACY, { query: { kling_token: null } }), BASE_CREDS, WITH_TOKEN, 0);
		expect(!missing.ok && missing.rejection).toEqual({ statusCode: 401, reason: 'missing_token', message: 'Missing kling_token query parameter' });
		const bad = authenticateCallback(request(LEGACY, { query: { kling_token: 'nope' } }), BASE_CREDS, WITH_TOKEN, 0);
		expect(!bad.ok && bad.rejection).toEqual({ statusCode: 401, reason: 'bad_token', message: 'Invalid kling_token' });
	});

	test('a credential without any secret cannot check URL tokens: 401 no_token_material', () => {
		const creds = { authType: 'accessKey', accessKey: 'ak', secretKey: '', apiKey: '', webhookSecret: '' };
		expect(acceptedUrlTokens(creds)).toEqual([]);
		const r = authenticateCallback(request(LEGACY, { query: { kling_token: 'anything' } }), creds, WITH_TOKEN, 0);
		expect(!r.ok && r.rejection).toMatchObject({ statusCode: 401, reason: 'no_token_material', message: expect.stringMatching(/no secret/) });
	});

	test('empty secrets derive no token (a token of the empty string would be public)', () => {
		const tokens = acceptedUrlTokens({ ...BASE_CREDS, webhookSecret: '', apiKey: '' });
		expect(tokens).toEqual([TOKEN]);
		expect(tokens).not.toContain(deriveUrlToken(''));
	});

	test('a webhook secret of only whitespace is no secret: unsigned callbacks pass without confirmation', () => {
		const creds = { ...BASE_CREDS, webhookSecret: '   ' };
		const r = authenticateCallback(request(LEGACY, { query: {} }), creds, NO_TOKEN, 0);
		expect(r).toEqual({ ok: true, auth: { signed: false, tokenVerified: false } });
	});

	test('unsigned while a secret is set: the 401 message says how to accept unsigned callbacks', () => {
		const r = authenticateCallback(request(LEGACY, { query: { kling_token: SIGNED_TOKEN } }), SIGNED_CREDS, WITH_TOKEN, 0);
		expect(!r.ok && r.rejection).toMatchObject({ reason: 'missing_signature', message: expect.stringContaining('Confirm With Kling API') });
	});

	test('signedBytes: an empty raw body falls back to the parsed body; no body at all is the empty string', () => {
		expect(signedBytes({ headers: {}, query: {}, rawBody: Buffer.alloc(0), body: { a: 1 } })).toBe('{"a":1}');
		expect(signedBytes({ headers: {}, query: {}, rawBody: '', body: 'text' })).toBe('text');
		expect(signedBytes({ headers: {}, query: {} })).toBe('');
	});

	test('checkSize counts bytes, not characters, and says both numbers', () => {
		const body = 'é'.repeat(600); // 1,200 bytes in UTF-8
		expect(checkSize({ headers: {}, query: {}, body }, 1_199)).toEqual({
			statusCode: 413,
			reason: 'payload_too_large',
			message: 'Body of 1200 bytes exceeds the 1199-byte limit for Kling callbacks',
		});
		expect(checkSize({ headers: {}, query: {}, body }, 1_200)).toBeUndefined();
	});

	test('parseCallback: an empty raw body falls back to the parsed body; nothing at all is not JSON', () => {
		const r = parseCallback({ headers: {}, query: {}, rawBody: Buffer.alloc(0), body: LEGACY });
		expect(r.ok && r.item.taskId).toBe('task-1');
		const none = parseCallback({ headers: {}, query: {} });
		expect(!none.ok && none.rejection).toMatchObject({ statusCode: 400, reason: 'not_json' });
	});
});
