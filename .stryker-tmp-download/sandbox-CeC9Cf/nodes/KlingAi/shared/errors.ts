/** Kling business codes (reference §6.1) and what the transport does with them. */
// @ts-nocheck


export interface KlingCodeInfo {
	meaning: string;
	hint: string;
	retry: 'never' | 'backoff' | 'resign';
	/** Minimum first delay for backoff codes (Kling asks >= 1 s for 1303). */
	minDelayMs?: number;
}

export const KLING_CODES: Readonly<Record<number, KlingCodeInfo>> = {
	1000: { meaning: 'Authentication failed', hint: 'Check the Authorization header: access key and secret key, or API key.', retry: 'never' },
	1001: { meaning: 'Authorization is empty', hint: 'The credential sent no token. Fill in the access key and secret key (or API key).', retry: 'never' },
	1002: { meaning: 'Authorization is invalid', hint: 'Check the access key and secret key (or API key) and the region: keys of the China and Global sites differ.', retry: 'never' },
	1003: { meaning: 'Authorization is not yet valid', hint: "The token's nbf is in the future: check this machine's clock.", retry: 'resign' },
	1004: { meaning: 'Authorization has expired', hint: "The token expired: check this machine's clock.", retry: 'resign' },
	1100: { meaning: 'Account exception', hint: 'Verify the account configuration in the Kling console.', retry: 'never' },
	1101: { meaning: 'Account in arrears (postpaid)', hint: 'Recharge the account.', retry: 'never' },
	1102: { meaning: 'Resource pack depleted or expired (prepaid)', hint: 'Buy a resource pack or enable postpaid billing.', retry: 'never' },
	1103: { meaning: 'Unauthorized access to the requested resource (API or model)', hint: 'The account has no access to this API or model.', retry: 'never' },
	1200: { meaning: 'Invalid request parameters', hint: 'Check the node parameters.', retry: 'never' },
	1201: { meaning: 'Invalid parameters (bad key or value)', hint: "Kling's message names the parameter.", retry: 'never' },
	1202: { meaning: 'Requested method is invalid', hint: 'This endpoint does not accept the method.', retry: 'never' },
	1203: { meaning: 'Requested resource does not exist', hint: 'The task, model or endpoint was not found.', retry: 'never' },
	1300: { meaning: 'Platform policy triggered', hint: 'Kling refused the request under its platform policy.', retry: 'never' },
	1301: { meaning: 'Content security policy triggered', hint: 'Change the prompt or input media.', retry: 'never' },
	1302: { meaning: 'Request too fast (platform rate limit)', hint: 'Reduce the request rate.', retry: 'backoff', minDelayMs: 1000 },
	1303: { meaning: 'Concurrency or QPS exceeds the resource pack limit', hint: 'Too many tasks are running for this resource pack; retry later or lower concurrency.', retry: 'backoff', minDelayMs: 1000 },
	1304: { meaning: 'IP whitelisting policy', hint: "This machine's IP is not allowed; contact Kling support.", retry: 'never' },
	5000: { meaning: 'Server internal error', hint: 'Kling had an internal error; try again later.', retry: 'backoff' },
	5001: { meaning: 'Service temporarily unavailable (maintenance)', hint: 'Kling is under maintenance; try again later.', retry: 'backoff' },
	5002: { meaning: 'Server internal timeout', hint: 'Kling timed out internally; try again later.', retry: 'backoff' },
};

export function describeCode(code: number): KlingCodeInfo {
	return KLING_CODES[code] ?? { meaning: 'Unknown Kling error', hint: 'See the Kling error code table.', retry: 'never' };
}

/** Codes whose failed create may still have produced a task on Kling's side. */
export const MAYBE_CREATED_CODES: ReadonlySet<number> = new Set([5000, 5001, 5002]);

export const NETWORK_RETRY_CODES: ReadonlySet<string> = new Set([
	'ECONNRESET',
	'ECONNREFUSED',
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'ECONNABORTED',
	'EPIPE',
	'EAI_AGAIN',
	'ENETUNREACH',
	'EHOSTUNREACH',
	'UND_ERR_SOCKET',
]);
