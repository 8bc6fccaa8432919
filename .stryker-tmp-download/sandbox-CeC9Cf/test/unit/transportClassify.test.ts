/**
 * The pure parts of the transport (nodes/KlingAi/shared/transport.ts): how an HTTP answer or a network error is
 * classified. The request path itself is tested end to end in test/integration/transport.test.ts.
 */
import { classifyNetworkError, classifyResponse } from '../../nodes/KlingAi/shared/transport';

const NOW = Date.parse('2026-01-01T00:00:00Z');
const res = (statusCode: number, body: unknown, headers: Record<string, unknown> = {}) => classifyResponse({ statusCode, headers, body }, NOW);

describe('classifyResponse', () => {
	test('the envelope: data and request_id of {code: 0} on 2xx; a JSON string or Buffer body is parsed', () => {
		const env = { code: 0, message: 'SUCCEED', request_id: 'r1', data: { task_id: 't' } };
		for (const body of [env, JSON.stringify(env), Buffer.from(JSON.stringify(env))]) {
			expect(res(200, body)).toEqual({ kind: 'ok', data: { task_id: 't' }, requestId: 'r1' });
		}
		expect(res(399, env).kind).toBe('ok');
		expect(res(400, env).kind).toBe('error');
	});

	test('a Kling code: meaning, Kling message (once), request id in the description, retry class', () => {
		const e = res(429, { code: 1303, message: 'parallel task over resource pack limit', request_id: 'r9' });
		expect(e).toMatchObject({
			kind: 'error',
			retry: 'backoff',
			maybeCreated: false,
			minDelayMs: 1000,
			httpCode: 429,
			code: 1303,
			message: 'Kling error 1303: Concurrency or QPS exceeds the resource pack limit (parallel task over resource pack limit)',
			requestId: 'r9',
		});
		expect(e.kind === 'error' && e.description).toMatch(/ Request ID: r9\.$/);
		// Kling's message equal to the meaning is not repeated; no request id, no "Request ID".
		const same = res(400, { code: 1203, message: 'Requested resource does not exist' });
		expect(same).toMatchObject({ message: 'Kling error 1203: Requested resource does not exist', requestId: null, minDelayMs: 0, retry: 'never' });
		expect(same.kind === 'error' && same.description).not.toMatch(/Request ID/);
		expect(res(500, { code: 5002, message: 'x' })).toMatchObject({ maybeCreated: true, retry: 'backoff' });
		expect(res(400, { code: 424242 })).toMatchObject({ message: 'Kling error 424242: Unknown Kling error', retry: 'never' });
	});

	test('no business code: the HTTP status decides', () => {
		expect(res(429, 'slow down')).toMatchObject({ retry: 'backoff', minDelayMs: 1000, maybeCreated: false, code: null, message: 'Kling answered HTTP 429', description: 'slow down' });
		for (const status of [502, 504]) expect(res(status, '')).toMatchObject({ retry: 'backoff', maybeCreated: true, minDelayMs: 0 });
		expect(res(503, '')).toMatchObject({ retry: 'backoff', maybeCreated: false, description: 'No Kling error code in the response.' });
		for (const status of [400, 401, 404, 500]) expect(res(status, '')).toMatchObject({ retry: 'never', maybeCreated: false });
		expect(res(500, { message: 'boom', request_id: 'r2' })).toMatchObject({ message: 'Kling answered HTTP 500: boom', requestId: 'r2' });
		expect(res(200, { hello: 1 })).toMatchObject({ kind: 'error', message: 'Kling answered HTTP 200 without the expected {code, data} envelope' });
		expect(res(200, [1, 2])).toMatchObject({ kind: 'error', code: null });
		expect(res(200, { code: '0', data: {} })).toMatchObject({ kind: 'error', code: null });
		// A long HTML error page is cut to 300 characters in the description.
		const page = `<html>${'x'.repeat(1000)}</html>`;
		expect(res(502, page)).toMatchObject({ description: page.slice(0, 300) });
	});

	test('Retry-After: seconds (decimals too) or an HTTP date; anything else is ignored', () => {
		expect(res(429, '', { 'retry-after': '7' })).toMatchObject({ retryAfterMs: 7000 });
		expect(res(429, '', { 'retry-after': ' 1.5 ' })).toMatchObject({ retryAfterMs: 1500 });
		expect(res(429, '', { 'retry-after': ['3', '9'] })).toMatchObject({ retryAfterMs: 3000 });
		expect(res(429, '', { 'Retry-After': '2' })).toMatchObject({ retryAfterMs: 2000 });
		expect(res(429, '', { 'retry-after': new Date(NOW + 12_000).toUTCString() })).toMatchObject({ retryAfterMs: 12_000 });
		expect(res(429, '', { 'retry-after': new Date(NOW - 12_000).toUTCString() })).toMatchObject({ retryAfterMs: 0 });
		expect(res(429, '', { 'retry-after': 'soon' })).toMatchObject({ retryAfterMs: null });
		expect(res(429, '', { 'retry-after': null })).toMatchObject({ retryAfterMs: null });
		expect(res(429, '', {})).toMatchObject({ retryAfterMs: null });
		expect(classifyResponse({ statusCode: 429, headers: undefined as never, body: '' }, NOW)).toMatchObject({ retryAfterMs: null });
	});
});

describe('classifyNetworkError', () => {
	test('the network code is found on the error, its cause or n8n\'s httpCode; timeouts by message', () => {
		expect(classifyNetworkError({ code: 'ECONNRESET' })).toMatchObject({ retry: 'backoff', maybeCreated: true, message: 'Could not reach Kling (ECONNRESET)' });
		expect(classifyNetworkError({ cause: { code: 'UND_ERR_SOCKET' } })).toMatchObject({ retry: 'backoff', message: 'Could not reach Kling (UND_ERR_SOCKET)' });
		expect(classifyNetworkError({ httpCode: 'ETIMEDOUT' })).toMatchObject({ retry: 'backoff', message: 'Could not reach Kling (ETIMEDOUT)' });
		expect(classifyNetworkError(new Error('timeout of 3000ms exceeded'))).toMatchObject({ retry: 'backoff', message: 'Could not reach Kling (ETIMEDOUT)' });
		expect(classifyNetworkError(new Error('something else'))).toMatchObject({ retry: 'never', message: 'Could not reach Kling (UNKNOWN)' });
		expect(classifyNetworkError({ code: 'not-a-code', httpCode: 500 })).toMatchObject({ message: 'Could not reach Kling (UNKNOWN)' });
		expect(classifyNetworkError(undefined)).toMatchObject({ retry: 'never', message: 'Could not reach Kling (UNKNOWN)' });
	});

	test('a refused connection or a failed DNS lookup never reached Kling; a reset or timeout may have', () => {
		expect(classifyNetworkError({ code: 'ECONNREFUSED' })).toMatchObject({ retry: 'backoff', maybeCreated: false });
		expect(classifyNetworkError({ code: 'EAI_AGAIN' })).toMatchObject({ retry: 'backoff', maybeCreated: false });
		expect(classifyNetworkError({ code: 'ETIMEDOUT' })).toMatchObject({ maybeCreated: true });
		expect(classifyNetworkError({ code: 'ECONNRESET' })).toMatchObject({ httpCode: null, code: null, requestId: null, retryAfterMs: null, minDelayMs: 0 });
	});
});
