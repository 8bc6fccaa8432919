/**
 * Callback authenticity: Standard Webhooks signatures (Kling "Webhook Signature", opt-in since
 * 2026-08-07) and the credential-derived URL token for accounts that do not sign.
 */
// @ts-nocheck

import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_TOLERANCE_SECONDS = 5 * 60;
export const URL_TOKEN_PARAM = 'kling_token';
export const URL_TASK_TYPE_PARAM = 'kling_type';

export type SignatureFailure = 'missing_headers' | 'bad_timestamp' | 'stale_timestamp' | 'bad_signature' | 'bad_secret';
export type SignatureResult = { ok: true; webhookId: string } | { ok: false; reason: SignatureFailure };

function header(headers: Record<string, unknown>, name: string): string | undefined {
	const direct = headers[name] ?? headers[name.toLowerCase()];
	const value =
		direct ??
		Object.entries(headers).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
	if (Array.isArray(value)) return value.length ? String(value[0]) : undefined;
	return value === undefined || value === null ? undefined : String(value);
}

export function decodeWebhookSecret(secret: string): Buffer | undefined {
	const trimmed = secret.trim();
	const b64 = trimmed.startsWith('whsec_') ? trimmed.slice('whsec_'.length) : trimmed;
	if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(b64)) return undefined;
	const key = Buffer.from(b64, 'base64');
	return key.length ? key : undefined;
}

/** `v1,<base64>` signature of `${id}.${timestamp}.${body}`. */
export function signStandardWebhook(secret: string, webhookId: string, timestamp: number | string, rawBody: string | Buffer): string {
	const key = decodeWebhookSecret(secret);
	if (!key) throw new Error('Webhook secret is not valid base64 (expected whsec_...)');
	const mac = createHmac('sha256', key)
		.update(`${webhookId}.${timestamp}.`)
		.update(rawBody)
		.digest('base64');
	return `v1,${mac}`;
}

function safeEqual(a: string, b: string): boolean {
	const ab = Buffer.from(a);
	const bb = Buffer.from(b);
	return ab.length === bb.length && timingSafeEqual(ab, bb);
}

export function verifyStandardWebhook(options: {
	secret: string;
	headers: Record<string, unknown>;
	rawBody: string | Buffer;
	nowSeconds: number;
	toleranceSeconds?: number;
}): SignatureResult {
	const id = header(options.headers, 'webhook-id');
	const ts = header(options.headers, 'webhook-timestamp');
	const sig = header(options.headers, 'webhook-signature');
	if (!id || !ts || !sig) return { ok: false, reason: 'missing_headers' };
	if (!/^\d{1,12}$/.test(ts.trim())) return { ok: false, reason: 'bad_timestamp' };
	const timestamp = Number(ts.trim());
	if (Math.abs(options.nowSeconds - timestamp) > (options.toleranceSeconds ?? SIGNATURE_TOLERANCE_SECONDS)) {
		return { ok: false, reason: 'stale_timestamp' };
	}
	let expected: string;
	try {
		expected = signStandardWebhook(options.secret, id, ts.trim(), options.rawBody);
	} catch {
		return { ok: false, reason: 'bad_secret' };
	}
	// Several space-separated signatures during a secret rotation; any v1 match is enough.
	const candidates = sig.split(' ').map((p) => p.trim()).filter((p) => p.startsWith('v1,'));
	let matched = false;
	for (const candidate of candidates) matched = safeEqual(candidate, expected) || matched;
	return matched ? { ok: true, webhookId: id } : { ok: false, reason: 'bad_signature' };
}

/**
 * Token appended to callback URLs as `?kling_token=`; derived from the credential's secret so
 * every node using the same credential computes the same value and the secret itself never leaves.
 */
export function deriveUrlToken(secretMaterial: string): string {
	return createHmac('sha256', secretMaterial).update('n8n-nodes-kling-ai/callback-url-token/v1').digest('base64url').slice(0, 32);
}

export function tokensMatch(expected: string, actual: unknown): boolean {
	return typeof actual === 'string' && safeEqual(expected, actual);
}
