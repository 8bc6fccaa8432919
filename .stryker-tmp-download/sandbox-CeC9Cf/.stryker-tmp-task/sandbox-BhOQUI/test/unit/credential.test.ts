import { decodeProtectedHeader, jwtVerify } from 'jose';
import type { IHttpRequestOptions } from 'n8n-workflow';
import { KlingAiApi } from '../../credentials/KlingAiApi.credentials';
import { resolveBaseUrl, validateCustomBaseUrl } from '../../nodes/KlingAi/shared/baseUrl';

const cred = new KlingAiApi();
const base = { authType: 'accessKey', accessKey: 'ak_live_123', secretKey: 'sk_live_secret', region: 'global' };

async function auth(extra: Record<string, unknown> = {}, opts: Partial<IHttpRequestOptions> = {}) {
	return await cred.authenticate({ ...base, ...extra }, { url: '/v1/videos/text2video', method: 'POST', ...opts } as IHttpRequestOptions);
}

const bearer = (out: IHttpRequestOptions) => String(out.headers?.Authorization).replace(/^Bearer /, '');

describe('JWT (verified independently with jose)', () => {
	test('header, claims and signature are exactly as Kling documents', async () => {
		const before = Math.floor(Date.now() / 1000);
		const out = await auth();
		const token = String(out.headers?.Authorization).replace(/^Bearer /, '');
		expect(decodeProtectedHeader(token)).toEqual({ alg: 'HS256', typ: 'JWT' });
		const { payload } = await jwtVerify(token, new TextEncoder().encode('sk_live_secret'), { algorithms: ['HS256'], issuer: 'ak_live_123' });
		expect(Object.keys(payload).sort()).toEqual(['exp', 'iss', 'nbf']);
		expect(payload.exp! - before).toBeGreaterThanOrEqual(1800);
		expect(payload.exp! - before).toBeLessThanOrEqual(1801);
		expect(before - payload.nbf!).toBeGreaterThanOrEqual(5);
		expect(before - payload.nbf!).toBeLessThanOrEqual(6);
	});

	test('the token is signed with the credential\'s secret key: another secret does not verify it', async () => {
		const token = bearer(await auth({ secretKey: 'sk_right' }));
		await expect(jwtVerify(token, new TextEncoder().encode('sk_right'), { issuer: 'ak_live_123' })).resolves.toBeDefined();
		await expect(jwtVerify(token, new TextEncoder().encode('sk_live_secret'))).rejects.toThrow(/signature/);
		// Nor is it a token of another access key.
		await expect(jwtVerify(token, new TextEncoder().encode('sk_right'), { issuer: 'ak_other' })).rejects.toThrow(/iss/);
	});

	test('a fresh token per request: authenticate() twice, each token valid from its own request time', async () => {
		const realNow = Date.now.bind(Date);
		const start = realNow();
		let offset = 0;
		const clock = jest.spyOn(Date, 'now').mockImplementation(() => start + offset);
		try {
			const first = bearer(await auth());
			offset = 7_000;
			const second = bearer(await auth());
			expect(second).not.toBe(first);
			const key = new TextEncoder().encode('sk_live_secret');
			const at = (ms: number) => ({ algorithms: ['HS256'], issuer: 'ak_live_123', currentDate: new Date(ms) });
			const p1 = (await jwtVerify(first, key, at(start))).payload;
			const p2 = (await jwtVerify(second, key, at(start + offset))).payload;
			expect(p2.exp! - p1.exp!).toBe(7);
			expect(p2.nbf! - p1.nbf!).toBe(7);
			expect(p2.exp).toBe(Math.floor((start + offset) / 1000) + 1800);
		} finally {
			clock.mockRestore();
		}
	});

	test('API key mode sends the static key', async () => {
		const out = await auth({ authType: 'apiKey', apiKey: 'kling-api-key-1' });
		expect(out.headers?.Authorization).toBe('Bearer kling-api-key-1');
	});
});

describe('region and base URL', () => {
	test.each([
		['global', 'https://api-singapore.klingai.com'],
		['china', 'https://api-beijing.klingai.com'],
		['globalLegacy', 'https://api.klingai.com'],
	])('%s → %s', async (region, url) => {
		expect(resolveBaseUrl({ region })).toBe(url);
		expect((await auth({ region })).baseURL).toBe(url);
	});

	test('custom base URL: https origin, trailing slash removed, path prefix kept', () => {
		expect(validateCustomBaseUrl('https://gw.example.com/')).toBe('https://gw.example.com');
		expect(validateCustomBaseUrl('https://gw.example.com/kling/')).toBe('https://gw.example.com/kling');
		expect(validateCustomBaseUrl('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080');
	});

	test.each([
		['http://gw.example.com', /https/],
		['https://gw.example.com/v1', /\/v1/],
		['https://gw.example.com/?x=1', /query/],
		['not a url', /not a valid URL/],
	])('custom base URL %s is rejected', (url, message) => {
		expect(() => validateCustomBaseUrl(url)).toThrow(message);
	});

	test('the token is only sent to the Kling API origin, never to other hosts (result CDNs)', async () => {
		const api = await auth({}, { url: 'https://api-singapore.klingai.com/v1/videos/text2video/1' });
		expect(api.headers?.Authorization).toMatch(/^Bearer /);
		const cdn = await auth({}, { url: 'https://cdn.klingai.example/video.mp4' });
		expect(cdn.headers?.Authorization).toBeUndefined();
		const apiKeyCdn = await auth({ authType: 'apiKey', apiKey: 'kling-api-key-1' }, { url: 'https://evil.example/x' });
		expect(JSON.stringify(apiKeyCdn)).not.toContain('kling-api-key-1');
	});
});

describe('credential test request', () => {
	test('asks /account/costs with a small window and maps Kling auth codes to Kling reasons', () => {
		expect(cred.test.request.url).toBe('/account/costs');
		expect(cred.test.request.qs).toHaveProperty('start_time');
		expect(cred.test.request.qs).toHaveProperty('end_time');
		expect(cred.test.request.ignoreHttpStatusErrors).toBe(true);
		const rule1002 = cred.test.rules?.find((r) => r.type === 'responseSuccessBody' && r.properties.value === 1002);
		expect(rule1002?.properties.message).toMatch(/1002.*Authorization is invalid/);
	});

	test('secret fields are password fields', () => {
		for (const name of ['secretKey', 'apiKey', 'webhookSecret']) {
			expect(cred.properties.find((p) => p.name === name)?.typeOptions?.password).toBe(true);
		}
	});
});
