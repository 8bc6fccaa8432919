import { createHmac } from 'node:crypto';
import {
	decodeWebhookSecret,
	deriveUrlToken,
	signStandardWebhook,
	tokensMatch,
	verifyStandardWebhook,
} from '../../nodes/KlingAi/shared/signature';

// Official Kling test vector (reference/kling-api.md §5.4).
const VECTOR = {
	secret: 'whsec_dGVzdHNlY3JldHRlc3RzZWNyZXR0ZXN0c2VjcmV0MTI=',
	id: '9876543210',
	timestamp: 1781080794,
	body: '{"id":"1234567890","status":"succeeded","message":"","create_time":1781080778802,"update_time":1781080794151}',
	signature: 'v1,UsKlJP00XoQyOn410NM9xv34sP+Gl0jnOO9Lcpr7NJ4=',
};

const headers = (sig: string, ts = VECTOR.timestamp, id = VECTOR.id) => ({ 'webhook-id': id, 'webhook-timestamp': String(ts), 'webhook-signature': sig });

describe('Standard Webhooks signatures', () => {
	test('reproduces the official Kling test vector', () => {
		expect(signStandardWebhook(VECTOR.secret, VECTOR.id, VECTOR.timestamp, VECTOR.body)).toBe(VECTOR.signature);
	});

	test('verifies the official vector over the raw body', () => {
		const r = verifyStandardWebhook({ secret: VECTOR.secret, headers: headers(VECTOR.signature), rawBody: Buffer.from(VECTOR.body), nowSeconds: VECTOR.timestamp + 10 });
		expect(r).toEqual({ ok: true, webhookId: VECTOR.id });
	});

	test('rotation: any of several space-separated v1 signatures may match', () => {
		const r = verifyStandardWebhook({ secret: VECTOR.secret, headers: headers(`v1,AAAAbadbadbad= ${VECTOR.signature}`), rawBody: VECTOR.body, nowSeconds: VECTOR.timestamp });
		expect(r.ok).toBe(true);
	});

	test('header names are case-insensitive', () => {
		const r = verifyStandardWebhook({
			secret: VECTOR.secret,
			headers: { 'Webhook-Id': VECTOR.id, 'Webhook-Timestamp': String(VECTOR.timestamp), 'Webhook-Signature': VECTOR.signature },
			rawBody: VECTOR.body,
			nowSeconds: VECTOR.timestamp,
		});
		expect(r.ok).toBe(true);
	});

	test.each([
		['tampered body', headers(VECTOR.signature), VECTOR.body.replace('succeeded', 'failed'), VECTOR.timestamp, 'bad_signature'],
		['other id', headers(VECTOR.signature, VECTOR.timestamp, '1'), VECTOR.body, VECTOR.timestamp, 'bad_signature'],
		['stale timestamp (+5 min 1 s)', headers(VECTOR.signature), VECTOR.body, VECTOR.timestamp + 301, 'stale_timestamp'],
		['future timestamp (-5 min 1 s)', headers(VECTOR.signature), VECTOR.body, VECTOR.timestamp - 301, 'stale_timestamp'],
		['missing signature header', { 'webhook-id': VECTOR.id, 'webhook-timestamp': String(VECTOR.timestamp) }, VECTOR.body, VECTOR.timestamp, 'missing_headers'],
		['non-numeric timestamp', headers(VECTOR.signature, 'abc' as unknown as number), VECTOR.body, VECTOR.timestamp, 'bad_timestamp'],
		['v0 scheme only', headers(VECTOR.signature.replace('v1,', 'v0,')), VECTOR.body, VECTOR.timestamp, 'bad_signature'],
	])('rejects %s', (_name, hdrs, body, now, reason) => {
		expect(verifyStandardWebhook({ secret: VECTOR.secret, headers: hdrs, rawBody: body, nowSeconds: now })).toEqual({ ok: false, reason });
	});

	test('within the ±5 minute window passes', () => {
		for (const now of [VECTOR.timestamp - 300, VECTOR.timestamp + 300]) {
			expect(verifyStandardWebhook({ secret: VECTOR.secret, headers: headers(VECTOR.signature), rawBody: VECTOR.body, nowSeconds: now }).ok).toBe(true);
		}
	});

	test('a secret that is not base64 is reported, not thrown', () => {
		expect(decodeWebhookSecret('whsec_!!!')).toBeUndefined();
		expect(verifyStandardWebhook({ secret: 'whsec_!!!', headers: headers(VECTOR.signature), rawBody: VECTOR.body, nowSeconds: VECTOR.timestamp })).toEqual({ ok: false, reason: 'bad_secret' });
	});
});

describe('URL token', () => {
	test('derived from the secret, stable, and does not reveal it', () => {
		const t = deriveUrlToken('sk_live_secret');
		expect(t).toBe(deriveUrlToken('sk_live_secret'));
		expect(t).not.toContain('sk_live');
		expect(t).toHaveLength(32);
		expect(t).not.toBe(deriveUrlToken('sk_live_secreT'));
		expect(t).toBe(createHmac('sha256', 'sk_live_secret').update('n8n-nodes-kling-ai/callback-url-token/v1').digest('base64url').slice(0, 32));
	});

	test('comparison is exact', () => {
		const t = deriveUrlToken('x');
		expect(tokensMatch(t, t)).toBe(true);
		expect(tokensMatch(t, t.slice(0, -1))).toBe(false);
		expect(tokensMatch(t, undefined)).toBe(false);
		expect(tokensMatch(t, [t])).toBe(false);
	});
});

describe('signature edge cases (mutation testing survivors)', () => {
	const verify = (hdrs: Record<string, unknown>, extra: Partial<{ secret: string; nowSeconds: number; toleranceSeconds: number }> = {}) =>
		verifyStandardWebhook({ secret: VECTOR.secret, headers: hdrs, rawBody: VECTOR.body, nowSeconds: VECTOR.timestamp, ...extra });

	test('a secret without the whsec_ prefix, or with surrounding spaces, is the same secret', () => {
		const bare = VECTOR.secret.slice('whsec_'.length);
		expect(signStandardWebhook(bare, VECTOR.id, VECTOR.timestamp, VECTOR.body)).toBe(VECTOR.signature);
		expect(signStandardWebhook(`  ${VECTOR.secret}\n`, VECTOR.id, VECTOR.timestamp, VECTOR.body)).toBe(VECTOR.signature);
		expect(verify(headers(VECTOR.signature), { secret: ` ${bare} ` })).toEqual({ ok: true, webhookId: VECTOR.id });
	});

	test.each([
		['characters outside base64 in the middle', 'whsec_dGVzd!HNlY3JldA=='],
		['a trailing non-base64 character', 'whsec_dGVzdHNlY3JldA==!'],
		['a leading non-base64 character', 'whsec_!dGVzdHNlY3JldA=='],
		['three padding characters', 'whsec_dGVzdA==='],
		['a key that decodes to no bytes', 'whsec_A'],
		['an empty secret', ''],
	])('a secret with %s is not a secret', (_name, secret) => {
		expect(decodeWebhookSecret(secret)).toBeUndefined();
		expect(() => signStandardWebhook(secret, VECTOR.id, VECTOR.timestamp, VECTOR.body)).toThrow('Webhook secret is not valid base64 (expected whsec_...)');
		expect(verify(headers(VECTOR.signature), { secret })).toEqual({ ok: false, reason: 'bad_secret' });
	});

	test('url-safe base64 secrets are accepted', () => {
		expect(decodeWebhookSecret('whsec_ab-_cd==')).toEqual(Buffer.from('ab-_cd==', 'base64'));
	});

	test('rotation: a matching signature followed by a non-matching one still passes', () => {
		expect(verify(headers(`${VECTOR.signature} v1,AAAAbadbadbad=`)).ok).toBe(true);
		expect(verify(headers(`  ${VECTOR.signature}  `)).ok).toBe(true);
		expect(verify(headers('v1,AAAAbadbadbad= v1,BBBBbad='))).toEqual({ ok: false, reason: 'bad_signature' });
	});

	test('array header values: the first value counts; an empty array is a missing header', () => {
		expect(verify({ 'webhook-id': [VECTOR.id], 'webhook-timestamp': [String(VECTOR.timestamp)], 'webhook-signature': [VECTOR.signature, 'v1,x'] })).toEqual({ ok: true, webhookId: VECTOR.id });
		expect(verify({ 'Webhook-Id': [VECTOR.id], 'webhook-timestamp': String(VECTOR.timestamp), 'webhook-signature': [] })).toEqual({ ok: false, reason: 'missing_headers' });
		expect(verify({ 'webhook-id': null, 'webhook-timestamp': String(VECTOR.timestamp), 'webhook-signature': VECTOR.signature })).toEqual({ ok: false, reason: 'missing_headers' });
		expect(verify({ 'webhook-id': VECTOR.id, 'webhook-timestamp': '', 'webhook-signature': VECTOR.signature })).toEqual({ ok: false, reason: 'missing_headers' });
	});

	test('the timestamp: whole seconds, up to 12 digits, spaces around allowed', () => {
		expect(verify(headers(VECTOR.signature, ` ${VECTOR.timestamp} ` as unknown as number)).ok).toBe(true);
		for (const ts of ['1781080794.5', '1781080794abc', 'abc1781080794', '-1781080794', '1781080794000'])
			expect(verify(headers(VECTOR.signature, ts as unknown as number))).toEqual({ ok: false, reason: 'bad_timestamp' });
	});

	test('a custom tolerance replaces the default 5 minutes', () => {
		expect(verify(headers(VECTOR.signature), { nowSeconds: VECTOR.timestamp + 10, toleranceSeconds: 10 }).ok).toBe(true);
		expect(verify(headers(VECTOR.signature), { nowSeconds: VECTOR.timestamp + 11, toleranceSeconds: 10 })).toEqual({ ok: false, reason: 'stale_timestamp' });
		expect(verify(headers(VECTOR.signature), { nowSeconds: VECTOR.timestamp + 301, toleranceSeconds: 600 }).ok).toBe(true);
	});
});
