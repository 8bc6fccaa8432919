import { NodeApiError, NodeConnectionTypes, type INodeType } from 'n8n-workflow';
import { executeContext, simulatorCredentials } from '../helpers/n8n';
import { ScriptedServer, klingError, ok, type ScriptedResponse } from '../helpers/scriptedServer';
import { backoffDelay, klingApiRequest, DEFAULT_RETRY_POLICY, type RetryPolicy } from '../../nodes/KlingAi/shared/transport';
import { createTask } from '../../nodes/KlingAi/shared/api';

const dummy: INodeType = {
	description: {
		displayName: 'Dummy', name: 'dummy', group: [], version: 1, description: '', defaults: {},
		inputs: [NodeConnectionTypes.Main], outputs: [NodeConnectionTypes.Main], properties: [],
		credentials: [{ name: 'klingAiApi', required: true }],
	},
};

const SECRET = 'sk_super_secret_value';
const API_KEY = 'kling_static_api_key_value';

function policy(overrides: Partial<RetryPolicy> = {}): RetryPolicy & { delays: number[] } {
	const delays: number[] = [];
	let clock = 1_000_000;
	return {
		...DEFAULT_RETRY_POLICY,
		timeoutMs: 2_000,
		sleep: async (ms) => {
			delays.push(ms);
			clock += ms;
		},
		random: () => 0.5,
		now: () => clock,
		...overrides,
		delays,
	};
}

let server: ScriptedServer;
async function serve(handler: (req: { method: string; url: string }, n: number) => ScriptedResponse, creds = {}) {
	server = await new ScriptedServer(handler).start();
	return executeContext({ nodeType: dummy, parameters: {}, credentials: simulatorCredentials(server.url, { secretKey: SECRET, ...creds }) });
}
afterEach(async () => server && (await server.stop()));

const task = { task_id: 't1', task_status: 'submitted', created_at: 1, updated_at: 1, task_info: { external_task_id: 'ext-1' } };

describe('envelope and errors', () => {
	test('unwraps {code:0, data}', async () => {
		const ctx = await serve(() => ok(task));
		const res = await klingApiRequest(ctx, { method: 'GET', path: '/v1/videos/text2video/t1' }, policy());
		expect(res).toEqual({ data: task, requestId: 'req-ok', attempts: 1 });
	});

	test('code != 0 becomes a NodeApiError naming the code, Kling meaning, message and request_id', async () => {
		const ctx = await serve(() => klingError(400, 1201, 'cfg_scale: must be between 0 and 1'));
		const err = await klingApiRequest(ctx, { method: 'POST', path: '/v1/videos/text2video', body: { x: 1 } }, policy()).catch((e) => e);
		expect(err).toBeInstanceOf(NodeApiError);
		expect(err.message).toBe('Kling error 1201: Invalid parameters (bad key or value) (cfg_scale: must be between 0 and 1)');
		expect(err.description).toContain('req-1201');
		expect(err.httpCode).toBe('400');
		expect(server.received).toHaveLength(1);
	});

	test('HTTP 200 with code != 0 is still an error', async () => {
		const ctx = await serve(() => ({ status: 200, body: { code: 1102, message: 'pack depleted', request_id: 'r' } }));
		await expect(klingApiRequest(ctx, { method: 'GET', path: '/x' }, policy())).rejects.toThrow(/Kling error 1102: Resource pack depleted/);
	});

	test('code 0 on HTTP >= 400 is an error, not a success (the status wins over the envelope)', async () => {
		for (const status of [400, 404, 500]) {
			const ctx = await serve(() => ({ status, body: { code: 0, message: 'SUCCEED', request_id: 'r', data: task } }));
			const err = await klingApiRequest(ctx, { method: 'GET', path: '/v1/videos/text2video/t1' }, policy({ maxAttempts: 1 })).catch((e) => e);
			expect(err).toBeInstanceOf(NodeApiError);
			expect(err.httpCode).toBe(String(status));
			await server.stop();
		}
		server = undefined as unknown as ScriptedServer;
	});

	test('no secret, API key or token in the error, whatever the failure', async () => {
		for (const creds of [{}, { authType: 'apiKey', apiKey: API_KEY }]) {
			const ctx = await serve((_r, n) => (n === 1 ? klingError(401, 1002, 'Authorization is invalid') : { reset: true }), creds);
			const e1 = await klingApiRequest(ctx, { method: 'GET', path: '/x' }, policy()).catch((e) => e);
			const e2 = await klingApiRequest(ctx, { method: 'GET', path: '/x' }, policy({ maxAttempts: 1 })).catch((e) => e);
			for (const e of [e1, e2]) {
				const dump = JSON.stringify({ e, message: e.message, description: e.description, cause: e.cause, context: e.context, stack: e.stack });
				expect(dump).not.toContain(SECRET);
				expect(dump).not.toContain(API_KEY);
				expect(dump).not.toMatch(/Bearer|eyJhbGci/);
			}
			await server.stop();
		}
		server = await new ScriptedServer(() => ok({})).start();
	});
});

describe('retry policy', () => {
	test.each([1302, 1303, 5000, 5001, 5002])('GET retried on %i with backoff, then succeeds', async (code) => {
		const ctx = await serve((_r, n) => (n < 3 ? klingError(code === 5000 ? 500 : 429, code, 'busy') : ok(task)));
		const p = policy();
		const res = await klingApiRequest(ctx, { method: 'GET', path: '/x' }, p);
		expect(res.attempts).toBe(3);
		expect(p.delays).toHaveLength(2);
		if (code === 1302 || code === 1303) expect(p.delays[0]).toBeGreaterThanOrEqual(1000);
		expect(p.delays[1]).toBeGreaterThan(p.delays[0] - 1);
	});

	test('HTTP 429 without a business code is retried and Retry-After is honoured', async () => {
		const ctx = await serve((_r, n) => (n === 1 ? { status: 429, body: 'slow down', headers: { 'retry-after': '7', 'content-type': 'text/plain' } } : ok(task)));
		const p = policy();
		await klingApiRequest(ctx, { method: 'GET', path: '/x' }, p);
		expect(p.delays).toEqual([7000]);
	});

	test.each([1000, 1001, 1002, 1100, 1101, 1102, 1103, 1200, 1201, 1202, 1203, 1300, 1301, 1304])('never retries %i', async (code) => {
		const ctx = await serve(() => klingError(code < 1100 ? 401 : 400, code, 'no'));
		const p = policy();
		await expect(klingApiRequest(ctx, { method: 'GET', path: '/x' }, p)).rejects.toThrow(`Kling error ${code}`);
		expect(server.received).toHaveLength(1);
		expect(p.delays).toEqual([]);
	});

	test.each([1003, 1004])('re-signs and retries once on %i, then gives up', async (code) => {
		const ctx = await serve(() => klingError(401, code, 'token time'));
		await expect(klingApiRequest(ctx, { method: 'GET', path: '/x' }, policy())).rejects.toThrow(`Kling error ${code}`);
		expect(server.received).toHaveLength(2);
		expect(server.received.every((r) => /^Bearer ey/.test(String(r.headers.authorization)))).toBe(true);
	});

	test('connection resets on GET are retried', async () => {
		const ctx = await serve((_r, n) => (n === 1 ? { reset: true } : ok(task)));
		expect((await klingApiRequest(ctx, { method: 'GET', path: '/x' }, policy())).attempts).toBe(2);
	});

	test('bounded: gives up at maxAttempts and within maxTotalMs', async () => {
		const ctx = await serve(() => klingError(429, 1303, 'busy'));
		const p = policy({ maxAttempts: 4 });
		await expect(klingApiRequest(ctx, { method: 'GET', path: '/x' }, p)).rejects.toThrow(/gave up after 4 attempts/);
		expect(server.received).toHaveLength(4);
		const p2 = policy({ maxTotalMs: 2500 });
		await expect(klingApiRequest(ctx, { method: 'GET', path: '/x' }, p2)).rejects.toThrow(/gave up/);
		expect(p2.delays.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(2500);
	});

	test('backoff: exponential, jittered within [ceiling/2, ceiling], capped, floored by the code minimum', () => {
		const p = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 500, maxDelayMs: 20_000 };
		const none = { minDelayMs: 0, retryAfterMs: null };
		expect(backoffDelay(1, none, { ...p, random: () => 0 })).toBe(250);
		expect(backoffDelay(1, none, { ...p, random: () => 1 })).toBe(500);
		expect(backoffDelay(3, none, { ...p, random: () => 1 })).toBe(2000);
		expect(backoffDelay(20, none, { ...p, random: () => 1 })).toBe(20_000);
		expect(backoffDelay(1, { minDelayMs: 1000, retryAfterMs: null }, { ...p, random: () => 0 })).toBe(1000);
		expect(backoffDelay(2, { minDelayMs: 1000, retryAfterMs: null }, { ...p, random: () => 0 })).toBe(2000);
		expect(backoffDelay(1, { minDelayMs: 0, retryAfterMs: 9000 }, { ...p, random: () => 0 })).toBe(9000);
	});
});

describe('creates are never blindly re-sent', () => {
	const body = { prompt: 'a cat', external_task_id: 'ext-1' };

	test('5002 on create → looked up by external_task_id → found → no second create', async () => {
		const ctx = await serve((r) => (r.method === 'POST' ? klingError(504, 5002, 'timeout') : ok({ ...task, task_status: 'processing' })));
		const res = await createTask(ctx, 'textToVideo', body, policy());
		expect(res.recovered).toBe(true);
		expect(res.item).toMatchObject({ taskId: 't1', externalTaskId: 'ext-1', status: 'processing', taskType: 'textToVideo' });
		expect(server.received.map((r) => `${r.method} ${r.url}`)).toEqual(['POST /v1/videos/text2video', 'GET /v1/videos/text2video/ext-1']);
	});

	test('client timeout after the create was accepted → found by external id → no double billing', async () => {
		const ctx = await serve((r) => (r.method === 'POST' ? { delayMs: 3_000, ...ok(task) } : ok(task)));
		const res = await createTask(ctx, 'textToVideo', body, policy({ timeoutMs: 300 }));
		expect(res.recovered).toBe(true);
		expect(server.received.filter((r) => r.method === 'POST')).toHaveLength(1);
	});

	test('not found by external id (1203) → created again, once', async () => {
		const ctx = await serve((r, n) => (r.method === 'GET' ? klingError(404, 1203, 'not found') : n === 1 ? klingError(500, 5000, 'oops') : ok(task)));
		const res = await createTask(ctx, 'textToVideo', body, policy());
		expect(res.recovered).toBe(false);
		expect(server.received.map((r) => r.method)).toEqual(['POST', 'GET', 'POST']);
	});

	test('1303 on create is retried directly (Kling refused it, nothing was created)', async () => {
		const ctx = await serve((_r, n) => (n === 1 ? klingError(429, 1303, 'parallel task over resource pack limit') : ok(task)));
		const p = policy();
		await createTask(ctx, 'textToVideo', body, p);
		expect(server.received.map((r) => r.method)).toEqual(['POST', 'POST']);
		expect(p.delays[0]).toBeGreaterThanOrEqual(1000);
	});

	test('a POST that may have reached Kling is not re-sent without an external id lookup', async () => {
		const ctx = await serve(() => klingError(504, 5002, 'timeout'));
		await expect(klingApiRequest(ctx, { method: 'POST', path: '/v1/videos/text2video', body: { prompt: 'x' } }, policy())).rejects.toThrow(/may have reached Kling/);
		expect(server.received).toHaveLength(1);
	});
});

describe('cancellation', () => {
	test('a request aborted by execution cancellation fails as cancelled, not as an API error, and is not retried', async () => {
		server = await new ScriptedServer(() => ({ delayMs: 2_000, ...ok(task) })).start();
		const abort = new AbortController();
		const ctx = executeContext({ nodeType: dummy, parameters: {}, credentials: simulatorCredentials(server.url) }, [{ json: {} }], 'manual', abort.signal);
		const pending = klingApiRequest(ctx, { method: 'GET', path: '/x' }, policy({ timeoutMs: 10_000 }));
		setTimeout(() => abort.abort(), 200);
		const err = await pending.catch((e) => e);
		expect(err.constructor.name).toBe('NodeOperationError');
		expect(err.message).toMatch(/cancelled/);
		expect(server.received).toHaveLength(1);
	});
});

describe('transport edges (mutation testing, issue 16)', () => {
	test.each([
		[{ region: 'mars' }, 'Unknown region "mars"'],
		[{ customBaseUrl: 'http://gw.example.com' }, 'Custom Base URL must use https (http is accepted only for localhost)'],
	])('a credential with a bad region / base URL (%j) fails as a configuration error naming it, without a request', async (creds, message) => {
		const ctx = await serve(() => ok(task), creds);
		const err = await klingApiRequest(ctx, { method: 'GET', path: '/x', itemIndex: 2 }, policy()).catch((e) => e);
		expect(err.constructor.name).toBe('NodeOperationError');
		expect(err.message).toBe(message);
		expect(err.description).toBe('Fix the Region / Custom Base URL of the Kling AI API credential.');
		expect(err.context.itemIndex).toBe(2);
		expect(server.received).toHaveLength(0);
	});

	test('a network failure is an API error without an HTTP status, carrying the code and the item index', async () => {
		// n8n's NodeApiError shows its own text for connection errors (the message names ECONNRESET); ours stays in the details.
		const ctx = await serve(() => ({ reset: true }));
		const err = await klingApiRequest(ctx, { method: 'GET', path: '/x', itemIndex: 1 }, policy({ maxAttempts: 1 })).catch((e) => e);
		expect(err).toBeInstanceOf(NodeApiError);
		expect(err.httpCode).toBeNull();
		expect(err.context.itemIndex).toBe(1);
		expect(err.errorResponse).toEqual({ code: null, message: 'Could not reach Kling (ECONNRESET)', request_id: null });
	});

	test('giving up after a single attempt says "1 attempt"', async () => {
		const ctx = await serve(() => klingError(500, 5000, 'oops'));
		await expect(klingApiRequest(ctx, { method: 'GET', path: '/x' }, policy({ maxAttempts: 1 }))).rejects.toThrow(/\(oops\) — gave up after 1 attempt$/);
	});

	test('a Kling error keeps its code, message and request id in the error details', async () => {
		const ctx = await serve(() => klingError(400, 1201, 'bad key'));
		const err = await klingApiRequest(ctx, { method: 'GET', path: '/x', itemIndex: 4 }, policy()).catch((e) => e);
		expect(err.errorResponse).toMatchObject({ code: 1201, message: 'Kling error 1201: Invalid parameters (bad key or value) (bad key)', request_id: 'req-1201' });
		expect(err.context.itemIndex).toBe(4);
	});

	test('allowNotFound: HTTP 404 without a business code is "not found"; without allowNotFound it is an error', async () => {
		const ctx = await serve(() => ({ status: 404, body: 'no such route', headers: { 'content-type': 'text/plain' } }));
		const res = await klingApiRequest(ctx, { method: 'GET', path: '/v1/videos/text2video/x', allowNotFound: true }, policy());
		expect(res).toMatchObject({ notFound: true, attempts: 1 });
		const err = await klingApiRequest(ctx, { method: 'GET', path: '/v1/videos/text2video/x' }, policy()).catch((e) => e);
		expect(err).toBeInstanceOf(NodeApiError);
		expect(err.message).toBe('Kling answered HTTP 404');
		expect(err.httpCode).toBe('404');
	});

	test('allowNotFound: a 404 with another business code is still that error', async () => {
		const ctx = await serve(() => klingError(404, 1201, 'bad id'));
		await expect(klingApiRequest(ctx, { method: 'GET', path: '/x', allowNotFound: true }, policy())).rejects.toThrow('Kling error 1201');
	});

	test('the total time budget: a retry that lands exactly on it is still made, the next one is not', async () => {
		// delay = 1000 ms on every attempt (random 1, base = max = 1000); the clock moves only by the sleeps.
		const ctx = await serve(() => klingError(500, 5000, 'oops'));
		const p = policy({ baseDelayMs: 1000, maxDelayMs: 1000, random: () => 1, maxTotalMs: 2000, maxAttempts: 10 });
		await expect(klingApiRequest(ctx, { method: 'GET', path: '/x' }, p)).rejects.toThrow(/gave up after 3 attempts$/);
		expect(p.delays).toEqual([1000, 1000]);
		expect(server.received).toHaveLength(3);
	});

	test('cancellation names the item', async () => {
		server = await new ScriptedServer(() => ({ delayMs: 2_000, ...ok(task) })).start();
		const abort = new AbortController();
		const ctx = executeContext({ nodeType: dummy, parameters: {}, credentials: simulatorCredentials(server.url) }, [{ json: {} }], 'manual', abort.signal);
		const pending = klingApiRequest(ctx, { method: 'GET', path: '/x', itemIndex: 3 }, policy({ timeoutMs: 10_000 }));
		setTimeout(() => abort.abort(), 100);
		const err = await pending.catch((e) => e);
		expect(err.message).toBe('The execution was cancelled while waiting for Kling');
		expect(err.context.itemIndex).toBe(3);
	});
});
