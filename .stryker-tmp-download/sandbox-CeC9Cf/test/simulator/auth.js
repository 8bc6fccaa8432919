// @ts-check
'use strict';
/**
 * Bearer verification as Kling does it: an HS256 JWT signed with the secret key whose `iss` is the
 * access key (checked with `jose`), or a static API key. Verdicts carry Kling's codes:
 * 1001 missing, 1002 invalid (malformed, wrong signature, unknown iss, wrong alg), 1003 nbf in the
 * future, 1004 expired. Never returns or stores the token itself.
 */
const { jwtVerify, decodeJwt, decodeProtectedHeader, errors } = require('jose');

/**
 * @typedef {{ ok: boolean, code: number, message: string, kind: 'jwt' | 'apiKey' | 'none' | 'invalid', iss: string | null, present: boolean }} AuthVerdict
 * @typedef {{ accessKey: string, secretKey: string, apiKeys: string[], clockToleranceSec?: number }} AuthConfig
 */

const MESSAGES = {
	1001: 'Authorization is empty',
	1002: 'Authorization is invalid',
	1003: 'Authorization is not yet valid',
	1004: 'Authorization has expired',
};

/**
 * @param {number} code @param {AuthVerdict['kind']} kind @param {string | null} iss @param {string} [detail]
 * @returns {AuthVerdict}
 */
function fail(code, kind, iss, detail) {
	// @ts-ignore index by known code
	const base = MESSAGES[code];
	return { ok: false, code, message: detail ? `${base}: ${detail}` : base, kind, iss, present: code !== 1001 };
}

/**
 * @param {string | undefined} header the raw Authorization header
 * @param {AuthConfig} config
 * @returns {Promise<AuthVerdict>}
 */
async function verifyAuthorization(header, config) {
	if (header === undefined || header.trim() === '') return fail(1001, 'none', null);
	const match = /^Bearer\s+(.*)$/i.exec(header.trim());
	if (!match) return fail(1002, 'invalid', null, 'expected "Bearer <token>"');
	const token = match[1].trim();
	if (!token) return fail(1001, 'none', null);

	if (config.apiKeys.includes(token)) {
		return { ok: true, code: 0, message: 'ok', kind: 'apiKey', iss: null, present: true };
	}

	/** @type {string | null} */
	let iss = null;
	try {
		const head = decodeProtectedHeader(token);
		const claims = decodeJwt(token);
		iss = typeof claims.iss === 'string' ? claims.iss : null;
		if (head.alg !== 'HS256') return fail(1002, 'jwt', iss, `unsupported alg ${String(head.alg)}`);
	} catch {
		// Neither a known API key nor a decodable JWT.
		return fail(1002, 'invalid', null, 'not a JWT or known API key');
	}
	if (iss === null) return fail(1002, 'jwt', null, 'iss missing');
	if (iss !== config.accessKey) return fail(1002, 'jwt', iss, 'unknown access key');

	try {
		await jwtVerify(token, new TextEncoder().encode(config.secretKey), {
			algorithms: ['HS256'],
			issuer: config.accessKey,
			requiredClaims: ['exp'],
			clockTolerance: config.clockToleranceSec ?? 0,
		});
		return { ok: true, code: 0, message: 'ok', kind: 'jwt', iss, present: true };
	} catch (error) {
		if (error instanceof errors.JWTExpired) return fail(1004, 'jwt', iss);
		if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'nbf') return fail(1003, 'jwt', iss);
		if (error instanceof errors.JWTClaimValidationFailed) return fail(1002, 'jwt', iss, `${error.claim} ${error.reason}`);
		return fail(1002, 'jwt', iss, 'signature verification failed');
	}
}

module.exports = { verifyAuthorization, AUTH_MESSAGES: MESSAGES };
