// @ts-nocheck
import { createHmac } from 'node:crypto';
import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';
import { resolveBaseUrl } from '../nodes/KlingAi/shared/baseUrl';

const b64url = (value: string): string => Buffer.from(value).toString('base64url');

/** HS256 JWT exactly as Kling documents it: header {alg,typ}, claims {iss, exp=now+1800, nbf=now-5}. */
export function signKlingJwt(accessKey: string, secretKey: string, nowSeconds: number): string {
	const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
	const payload = b64url(JSON.stringify({ iss: accessKey, exp: nowSeconds + 1800, nbf: nowSeconds - 5 }));
	const signature = createHmac('sha256', secretKey).update(`${header}.${payload}`).digest('base64url');
	return `${header}.${payload}.${signature}`;
}

/** Kling's authentication and account codes, so a failed test shows Kling's reason, not a bare 401. */
const AUTH_FAILURES: Array<[number, string]> = [
	[1000, 'Kling error 1000: Authentication failed. Check the access key and secret key, or the API key.'],
	[1001, 'Kling error 1001: Authorization is empty. Fill in the access key and secret key, or the API key.'],
	[1002, 'Kling error 1002: Authorization is invalid. Check the keys and the region (China and Global keys differ).'],
	[1003, "Kling error 1003: Authorization is not yet valid. Check this machine's clock."],
	[1004, "Kling error 1004: Authorization has expired. Check this machine's clock."],
	[1100, 'Kling error 1100: Account exception. Verify the account in the Kling console.'],
	[1101, 'Kling error 1101: Account in arrears. Recharge the account.'],
	[1102, 'Kling error 1102: Resource pack depleted or expired.'],
	[1103, 'Kling error 1103: Unauthorized access to the requested resource.'],
	[1304, "Kling error 1304: IP whitelisting policy. This machine's IP is not allowed."],
];

export class KlingAiApi implements ICredentialType {
	name = 'klingAiApi';

	displayName = 'Kling AI API';

	icon: Icon = { light: 'file:../nodes/KlingAi/kling.svg', dark: 'file:../nodes/KlingAi/kling.dark.svg' };

	documentationUrl = 'https://app.klingai.com/global/dev/document-api/apiReference/commonInfo';

	properties: INodeProperties[] = [
		{
			displayName: 'Authentication',
			name: 'authType',
			type: 'options',
			options: [
				{
					name: 'Access Key + Secret Key',
					value: 'accessKey',
					description: 'Signs a fresh 30-minute JWT for every request (legacy and current endpoints)',
				},
				{
					name: 'API Key',
					value: 'apiKey',
					description: 'A static API key from the Kling console, sent as a bearer token',
				},
			],
			default: 'accessKey',
		},
		{
			displayName: 'Access Key',
			name: 'accessKey',
			type: 'string',
			default: '',
			required: true,
			displayOptions: { show: { authType: ['accessKey'] } },
		},
		{
			displayName: 'Secret Key',
			name: 'secretKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: { show: { authType: ['accessKey'] } },
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: { show: { authType: ['apiKey'] } },
		},
		{
			displayName: 'Region',
			name: 'region',
			type: 'options',
			options: [
				{ name: 'Global (api-singapore.klingai.com)', value: 'global' },
				{ name: 'China (api-beijing.klingai.com)', value: 'china' },
				{ name: 'Global Legacy (api.klingai.com)', value: 'globalLegacy' },
				{ name: 'Custom Base URL', value: 'custom' },
			],
			default: 'global',
			description: 'Keys work only on the site that issued them',
		},
		{
			displayName: 'Custom Base URL',
			name: 'customBaseUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://kling-gateway.example.com',
			description: 'HTTPS origin of a Kling-compatible API, without /v1 (http is accepted only for localhost)',
			displayOptions: { show: { region: ['custom'] } },
		},
		{
			displayName: 'Webhook Signing Secret (Optional)',
			name: 'webhookSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			placeholder: 'whsec_...',
			description:
				'Optional. From Kling console → Basic Settings → Webhook. When set, the Kling AI Trigger verifies the signature of every callback.',
			hint: 'Optional: leave empty unless you turned on webhook signatures in the Kling console (Basic Settings → Webhook), which shows the secret. With it, the Kling AI Trigger checks the signature of every callback.',
		},
	];

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const token =
			credentials.authType === 'apiKey'
				? String(credentials.apiKey ?? '')
				: signKlingJwt(
						String(credentials.accessKey ?? ''),
						String(credentials.secretKey ?? ''),
						Math.floor(Date.now() / 1000),
					);
		const apiBase = resolveBaseUrl(credentials);
		const absolute = /^https?:\/\//i.test(requestOptions.url);
		if (!requestOptions.baseURL && !absolute) requestOptions.baseURL = apiBase;
		// Result downloads also go through this credential (for n8n's proxy and logging), but the token
		// is only sent to the Kling API origin, never to a CDN or any other host.
		const target = absolute ? requestOptions.url : `${requestOptions.baseURL ?? apiBase}`;
		if (new URL(target).origin !== new URL(apiBase).origin) return requestOptions;
		requestOptions.headers = { ...(requestOptions.headers ?? {}), Authorization: `Bearer ${token}` };
		return requestOptions;
	}

	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{ $credentials.region === "custom" ? String($credentials.customBaseUrl).replace(/\\/+$/, "") : ({ global: "https://api-singapore.klingai.com", china: "https://api-beijing.klingai.com", globalLegacy: "https://api.klingai.com" })[$credentials.region] }}',
			url: '/account/costs',
			method: 'GET',
			qs: {
				start_time: '={{ Date.now() - 3600000 }}',
				end_time: '={{ Date.now() }}',
			},
			ignoreHttpStatusErrors: true,
		},
		rules: AUTH_FAILURES.map(([code, message]) => ({
			type: 'responseSuccessBody' as const,
			properties: { key: 'code', value: code, message },
		})),
	};
}
