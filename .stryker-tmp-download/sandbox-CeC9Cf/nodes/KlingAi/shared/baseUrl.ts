// @ts-nocheck
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

export const REGION_BASE_URLS: Readonly<Record<string, string>> = {
	global: 'https://api-singapore.klingai.com',
	china: 'https://api-beijing.klingai.com',
	globalLegacy: 'https://api.klingai.com',
};

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export class BaseUrlError extends Error {}

/** Validate a custom base URL: https (http only on loopback), an origin with at most a path prefix, no /v1. */
export function validateCustomBaseUrl(raw: string): string {
	if (!raw.trim()) {
		throw new BaseUrlError(
			'Custom Base URL is empty: enter the https address of your Kling-compatible API (e.g. https://kling-gateway.example.com), or choose a Region instead of "Custom Base URL"',
		);
	}
	if (!URL.canParse(raw.trim())) throw new BaseUrlError(`Custom Base URL "${raw}" is not a valid URL`);
	const url = new URL(raw.trim());
	if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
		throw new BaseUrlError('Custom Base URL must use https (http is accepted only for localhost)');
	}
	if (url.search || url.hash || url.username || url.password) {
		throw new BaseUrlError('Custom Base URL must not contain a query, fragment or user info');
	}
	const path = url.pathname.replace(/\/+$/, '');
	if (/\/v1$/i.test(path) || /\/account$/i.test(path)) {
		throw new BaseUrlError('Custom Base URL must not end with /v1 or /account: the nodes add the API paths themselves');
	}
	return `${url.origin}${path}`;
}

export function resolveBaseUrl(credentials: ICredentialDataDecryptedObject): string {
	const region = String(credentials.region ?? 'global');
	if (region === 'custom') return validateCustomBaseUrl(String(credentials.customBaseUrl ?? ''));
	const url = REGION_BASE_URLS[region];
	if (!url) throw new BaseUrlError(`Unknown region "${region}"`);
	return url;
}
