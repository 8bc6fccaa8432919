/** Callback URL rules of the action node (nodes/KlingAi/shared/callback.ts). */
import { CallbackUrlError, buildCallbackUrl, urlTokenFromCredentials, validateCallbackUrl } from '../../nodes/KlingAi/shared/callback';
import { deriveUrlToken } from '../../nodes/KlingAi/shared/signature';

const error = (raw: string, productionRun = true): CallbackUrlError => {
	try {
		validateCallbackUrl(raw, { productionRun });
	} catch (e) {
		expect(e).toBeInstanceOf(CallbackUrlError);
		return e as CallbackUrlError;
	}
	throw new Error(`${raw} was accepted`);
};

describe('validateCallbackUrl', () => {
	test('https anywhere; plain http only on loopback (localhost, 127.0.0.1, [::1])', () => {
		expect(validateCallbackUrl('https://n8n.example.com/webhook/abc/webhook', { productionRun: true }).host).toBe('n8n.example.com');
		for (const host of ['localhost:5678', '127.0.0.1:5678', '[::1]:5678']) {
			expect(validateCallbackUrl(`http://${host}/webhook/abc/webhook`, { productionRun: true }).protocol).toBe('http:');
		}
		const e = error('http://n8n.example.com/webhook/abc/webhook');
		expect(e.message).toBe('Callback URL must use https');
		expect(e.description).toMatch(/HTTPS.*WEBHOOK_URL.*localhost/);
	});

	test('other schemes are refused, on loopback too', () => {
		expect(error('ftp://localhost/webhook/abc').message).toBe('Callback URL must use https');
		expect(error('ws://127.0.0.1:5678/webhook/abc').message).toBe('Callback URL must use https');
	});

	test('not a URL: a clear error naming the value, not a bare TypeError', () => {
		const e = error('n8n.example.com/webhook/abc');
		expect(e.message).toBe('Callback URL "n8n.example.com/webhook/abc" is not a valid URL');
		expect(e.description).toMatch(/Production URL/);
	});

	test('whitespace pasted around the URL (non-breaking spaces included) is ignored', () => {
		const url = validateCallbackUrl('\u00a0 https://n8n.example.com/webhook/abc/webhook \u00a0', { productionRun: true });
		expect(url.toString()).toBe('https://n8n.example.com/webhook/abc/webhook');
	});

	test('a test URL (/webhook-test/) is refused in production runs only', () => {
		const e = error('https://n8n.example.com/webhook-test/abc/webhook');
		expect(e.message).toMatch(/test URL/);
		expect(e.description).toMatch(/listening for a test event.*Production URL/);
		expect(validateCallbackUrl('https://n8n.example.com/webhook-test/abc/webhook', { productionRun: false }).pathname).toBe('/webhook-test/abc/webhook');
	});
});

describe('buildCallbackUrl', () => {
	test('adds kling_type and kling_token, keeping existing query parameters', () => {
		const url = new URL(buildCallbackUrl('https://n8n.example.com/webhook/abc/webhook?x=1', { taskType: 'lipSync', token: 'tok' }));
		expect(Object.fromEntries(url.searchParams)).toEqual({ x: '1', kling_type: 'lipSync', kling_token: 'tok' });
		expect(buildCallbackUrl('https://n8n.example.com/webhook/abc', {})).toBe('https://n8n.example.com/webhook/abc');
	});
});

describe('urlTokenFromCredentials (mutation testing, issue 16)', () => {
	test('derived from the webhook secret, else the secret key, else the API key; empty or non-string values are skipped', () => {
		expect(urlTokenFromCredentials({ webhookSecret: 'whsec_a', secretKey: 'sk', apiKey: 'ak' })).toBe(deriveUrlToken('whsec_a'));
		expect(urlTokenFromCredentials({ webhookSecret: '', secretKey: 'sk', apiKey: 'ak' })).toBe(deriveUrlToken('sk'));
		expect(urlTokenFromCredentials({ webhookSecret: 5, secretKey: '', apiKey: 'ak' })).toBe(deriveUrlToken('ak'));
	});

	test('no secret material at all: no token (never a token of nothing)', () => {
		expect(urlTokenFromCredentials({ webhookSecret: '', secretKey: '', apiKey: '' })).toBeUndefined();
		expect(urlTokenFromCredentials({})).toBeUndefined();
	});
});

describe('callback URLs: more edges (mutation testing, issue 16)', () => {
	test('::1 written without brackets is not a URL host, so it is refused rather than taken as loopback', () => {
		expect(error('http://::1:5678/webhook/abc').message).toMatch(/not a valid URL|must use https/);
	});

	test('a /webhook-test/ segment is recognised anywhere in the path, but not in the query', () => {
		expect(error('https://n8n.example.com/base/webhook-test/abc').message).toMatch(/test URL/);
		expect(validateCallbackUrl('https://n8n.example.com/webhook/abc?from=/webhook-test/', { productionRun: true }).pathname).toBe('/webhook/abc');
		expect(validateCallbackUrl('https://n8n.example.com/webhook-testing/abc', { productionRun: true }).pathname).toBe('/webhook-testing/abc');
	});

	test('only the given parameters are added', () => {
		expect(new URL(buildCallbackUrl(new URL('https://n8n.example.com/webhook/abc'), { taskType: 'textToVideo' })).search).toBe('?kling_type=textToVideo');
		expect(new URL(buildCallbackUrl('https://n8n.example.com/webhook/abc', { token: 'tok' })).search).toBe('?kling_token=tok');
	});
});
