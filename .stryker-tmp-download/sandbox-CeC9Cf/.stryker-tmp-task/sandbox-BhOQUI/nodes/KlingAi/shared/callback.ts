/** Callback URLs the action node gives Kling, and the rules for accepting them. */
// @ts-nocheck

import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import type { KlingTaskType } from './endpoints';
import { URL_TASK_TYPE_PARAM, URL_TOKEN_PARAM, deriveUrlToken } from './signature';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** The secret material the URL token is derived from: webhook secret, else secret key, else API key. */
export function urlTokenFromCredentials(credentials: ICredentialDataDecryptedObject): string | undefined {
	const material = [credentials.webhookSecret, credentials.secretKey, credentials.apiKey].find(
		(v) => typeof v === 'string' && v.length > 0,
	) as string | undefined;
	return material ? deriveUrlToken(material) : undefined;
}

export class CallbackUrlError extends Error {
	constructor(
		message: string,
		readonly description: string,
	) {
		super(message);
	}
}

/** Reject URLs Kling cannot or should not call: not http(s), plain http off loopback, test URLs in production. */
export function validateCallbackUrl(raw: string, opts: { productionRun: boolean }): URL {
	if (!URL.canParse(raw.trim())) {
		throw new CallbackUrlError(`Callback URL "${raw}" is not a valid URL`, 'Copy the Production URL from the Kling AI Trigger node.');
	}
	const url = new URL(raw.trim());
	if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
		throw new CallbackUrlError(
			'Callback URL must use https',
			'Kling calls back over the public internet: put n8n behind HTTPS (set WEBHOOK_URL) and use that URL. Plain http is accepted only for localhost.',
		);
	}
	if (opts.productionRun && /\/webhook-test\//.test(url.pathname)) {
		throw new CallbackUrlError(
			'Callback URL is a test URL (/webhook-test/) but this workflow runs in production',
			'Test URLs only answer while the trigger is "listening for a test event" in the editor. Use the Production URL (/webhook/...) and publish the trigger workflow.',
		);
	}
	return url;
}

/** Append the task type and, when given, the credential-derived token to a callback URL. */
export function buildCallbackUrl(base: URL | string, opts: { taskType?: KlingTaskType; token?: string }): string {
	const url = new URL(String(base));
	if (opts.taskType) url.searchParams.set(URL_TASK_TYPE_PARAM, opts.taskType);
	if (opts.token) url.searchParams.set(URL_TOKEN_PARAM, opts.token);
	return url.toString();
}
