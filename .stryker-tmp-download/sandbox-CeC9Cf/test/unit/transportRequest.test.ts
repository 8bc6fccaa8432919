/**
 * What the transport (nodes/KlingAi/shared/transport.ts) hands to n8n's httpRequestWithAuthentication, and how it
 * reads what n8n throws back. n8n's helper is replaced by a recorder here (the real helper, with real HTTP and the
 * credential's signing, is exercised in test/integration/transport.test.ts): these tests pin the request options
 * the integration tests cannot see, and the error shapes n8n produces that a local server cannot provoke.
 */
import type { IHttpRequestOptions, INode } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { describeCode } from '../../nodes/KlingAi/shared/errors';
import { CREDENTIAL_NAME, classifyNetworkError, classifyResponse, klingApiRequest, type RetryPolicy } from '../../nodes/KlingAi/shared/transport';

const NODE: INode = { id: 'n1', name: 'Kling AI', type: 'n8n-nodes-kling-ai.klingAi', typeVersion: 1, position: [0, 0], parameters: {} };
const POLICY: RetryPolicy = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2, maxTotalMs: 10_000, timeoutMs: 4_321, sleep: async () => undefined, random: () => 0, now: Date.now };
const okResponse = (data: unknown) => ({ statusCode: 200, headers: {}, body: JSON.stringify({ code: 0, message: 'SUCCEED', request_id: 'r1', data }) });

/** A context whose n8n helper answers with `answers` in turn (a function throws, a value is returned). */
function ctxWith(answers: Array<unknown | (() => never)>, signal?: AbortSignal) {
	const calls: Array<{ credential: string; options: IHttpRequestOptions }> = [];
	const ctx = {
		getNode: () => NODE,
		getExecutionCancelSignal: () => signal,
		helpers: {
			httpRequestWithAuthentication: async (credential: string, options: IHttpRequestOptions) => {
				calls.push({ credential, options });
				const next = answers[Math.min(calls.length, answers.length) - 1];
				if (typeof next === 'function') (next as () => never)();
				return next;
			},
		},
	};
	return { ctx, calls };
}

describe('the request options given to n8n', () => {
	test('a GET without query or body: no body, no content type, no qs; the answer asked as text, full response, status errors ignored', async () => {
		const signal = new AbortController().signal;
		const { ctx, calls } = ctxWith([okResponse({ a: 1 })], signal);
		const res = await klingApiRequest(ctx, { method: 'GET', path: '/v1/videos/text2video/t1' }, POLICY);
		expect(res).toEqual({ data: { a: 1 }, requestId: 'r1', attempts: 1 });
		expect(calls).toHaveLength(1);
		expect(calls[0].credential).toBe(CREDENTIAL_NAME);
		expect(calls[0].options).toEqual({
			method: 'GET',
			url: '/v1/videos/text2video/t1',
			json: true,
			encoding: 'text',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: 4_321,
			abortSignal: signal,
		});
		expect(calls[0].options).not.toHaveProperty('body');
		expect(calls[0].options).not.toHaveProperty('headers');
		expect(calls[0].options).not.toHaveProperty('qs');
	});

	test('a POST with a body: the JSON text we serialised, with a JSON content type; a query is passed on', async () => {
		const { ctx, calls } = ctxWith([okResponse({ task_id: 't' })]);
		await klingApiRequest(ctx, { method: 'POST', path: '/v1/images/generations', body: { prompt: 'a cat' }, qs: { x: 1 } }, POLICY);
		expect(calls[0].options).toMatchObject({
			method: 'POST',
			body: '{"prompt":"a cat"}',
			headers: { 'Content-Type': 'application/json; charset=utf-8' },
			qs: { x: 1 },
			json: true,
			encoding: 'text',
		});
	});
	test('a context without getExecutionCancelSignal (older n8n): no abort signal, failures still classified', async () => {
		const calls: IHttpRequestOptions[] = [];
		const answers = [{ statusCode: 400, headers: {}, body: { code: 1201, message: 'bad' } }, okResponse({ a: 1 })];
		const ctx = {
			getNode: () => NODE,
			helpers: { httpRequestWithAuthentication: async (_c: string, o: IHttpRequestOptions) => (calls.push(o), answers[calls.length - 1]) },
		};
		await expect(klingApiRequest(ctx, { method: 'GET', path: '/p' }, POLICY)).rejects.toThrow('Kling error 1201');
		expect(calls[0].abortSignal).toBeUndefined();
		expect(await klingApiRequest(ctx, { method: 'GET', path: '/p' }, POLICY)).toMatchObject({ data: { a: 1 } });
	});
});

describe('errors n8n throws instead of answering', () => {
	test('an HTTP status n8n reports as httpCode "503" is Kling\'s 503: retried', async () => {
		const { ctx, calls } = ctxWith([
			() => {
				throw Object.assign(new Error('Service unavailable'), { httpCode: '503' });
			},
			okResponse({ ok: true }),
		]);
		const res = await klingApiRequest(ctx, { method: 'GET', path: '/p' }, POLICY);
		expect(res.attempts).toBe(2);
		expect(calls).toHaveLength(2);
	});

	test('httpCode "404" on a lookup is "not found"; on a plain request it is an API error naming HTTP 404', async () => {
		const notFound = () => {
			throw Object.assign(new Error('Not found'), { httpCode: '404' });
		};
		const lookup = ctxWith([notFound]);
		expect(await klingApiRequest(lookup.ctx, { method: 'GET', path: '/p', allowNotFound: true }, POLICY)).toMatchObject({ notFound: true, attempts: 1 });
		const plain = ctxWith([notFound]);
		await expect(klingApiRequest(plain.ctx, { method: 'GET', path: '/p' }, POLICY)).rejects.toThrow('Kling answered HTTP 404');
	});

	test('httpCode that is not exactly three digits is a network code, not a status', async () => {
		for (const httpCode of ['X503', '5031', 'ABC', '50']) {
			const { ctx, calls } = ctxWith([
				() => {
					throw Object.assign(new Error('odd'), { httpCode });
				},
			]);
			await expect(klingApiRequest(ctx, { method: 'GET', path: '/p' }, POLICY)).rejects.toThrow('Could not reach Kling (UNKNOWN)');
			expect(calls).toHaveLength(1);
		}
	});

	test('a network error is retried (not mistaken for a credential problem); a thrown undefined is an unknown network error', async () => {
		const reset = ctxWith([
			() => {
				throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
			},
			okResponse({ ok: true }),
		]);
		expect((await klingApiRequest(reset.ctx, { method: 'GET', path: '/p' }, POLICY)).attempts).toBe(2);
		const nothing = ctxWith([
			() => {
				throw undefined;
			},
		]);
		const error = await klingApiRequest(nothing.ctx, { method: 'GET', path: '/p' }, POLICY).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as Error).message).toBe('Could not reach Kling (UNKNOWN)');
	});

	test('a bad region or Custom Base URL from the credential is a NodeOperationError pointing at the credential', async () => {
		const { ctx } = ctxWith([
			() => {
				throw new Error('Custom Base URL: enter an https:// URL');
			},
		]);
		const error = await klingApiRequest(ctx, { method: 'GET', path: '/p', itemIndex: 2 }, POLICY).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as NodeOperationError).description).toBe('Fix the Region / Custom Base URL of the Kling AI API credential.');
	});

	test('allowNotFound is only for 1203 or a bare HTTP 404: any other failure still fails', async () => {
		const { ctx } = ctxWith([{ statusCode: 400, headers: {}, body: 'bad request' }]);
		await expect(klingApiRequest(ctx, { method: 'GET', path: '/p', allowNotFound: true }, POLICY)).rejects.toThrow('Kling answered HTTP 400');
	});
});

describe('classification details the users read', () => {
	const NOW = Date.parse('2026-01-01T00:00:00Z');
	const res = (statusCode: number, body: unknown, headers: Record<string, unknown> = {}) => classifyResponse({ statusCode, headers, body }, NOW);

	test('Retry-After: several digits, several decimals; digits with anything around them are not seconds', () => {
		expect(res(429, '', { 'retry-after': '12' })).toMatchObject({ retryAfterMs: 12_000 });
		expect(res(429, '', { 'retry-after': '1.25' })).toMatchObject({ retryAfterMs: 1_250 });
		expect(res(429, '', { 'retry-after': 'x7' })).toMatchObject({ retryAfterMs: null });
		expect(res(429, '', { 'retry-after': '7x' })).toMatchObject({ retryAfterMs: null });
	});

	test('descriptions: the code\'s hint alone without a request id; an object body without a code gets the generic text', () => {
		expect(res(400, { code: 1203, message: 'x' })).toMatchObject({ description: describeCode(1203).hint });
		expect(res(400, { code: 1203, message: 'x', request_id: 'r7' })).toMatchObject({ description: `${describeCode(1203).hint} Request ID: r7.` });
		expect(res(500, { message: 'boom' })).toMatchObject({ description: 'No Kling error code in the response.' });
		expect(res(400, { hello: 1 })).toMatchObject({ message: 'Kling answered HTTP 400' });
	});

	test('network errors: kind, description, and codes only at the start of the text', () => {
		expect(classifyNetworkError({ code: 'ECONNRESET' })).toMatchObject({
			kind: 'error',
			description: "A network error or timeout. Check the region / base URL of the credential and this machine's network.",
		});
		for (const code of ['SOME_CODE', 'X_UND_ERR', 'EABCx']) expect(classifyNetworkError({ code })).toMatchObject({ message: 'Could not reach Kling (UNKNOWN)' });
	});
});
