/**
 * Request authentication and parsing for the Kling AI Trigger (the counterpart of n8n's
 * StripeTriggerHelpers.ts / GithubTriggerHelpers.ts). Pure functions over a small request shape, so
 * every rejection and every ordering rule is unit-tested without an n8n instance.
 *
 * Order of checks in the trigger: size (413) → URL token (401) → signature (401) → body (400) →
 * filters → confirmation with the API (404 / 502) → exactly-once ledger → answer and emit.
 */
// @ts-nocheck

import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';
import { urlTokenFromCredentials } from './shared/callback';
import { TASK_TYPES, isTaskType, type KlingTaskType } from './shared/endpoints';
import type { LedgerEntry } from './shared/ledger';
import {
	URL_TASK_TYPE_PARAM,
	URL_TOKEN_PARAM,
	deriveUrlToken,
	tokensMatch,
	verifyStandardWebhook,
	type SignatureFailure,
} from './shared/signature';
import { KlingPayloadError, isNewerState, isTerminal, parseTaskPayload, withTaskType, type KlingTaskItem } from './shared/task';

/** Kling callbacks are a few KB; anything above this is not a task object. */
export const MAX_CALLBACK_BYTES = 1024 * 1024;

const SIGNATURE_HEADERS = ['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const;

/** What the trigger needs from the incoming request (a slice of express's Request). */
export interface CallbackRequest {
	headers: Record<string, unknown>;
	query: Record<string, unknown>;
	/** The exact bytes that were sent (and signed). n8n's body parser sets `req.rawBody`. */
	rawBody?: Buffer | string | null;
	/** The parsed body; used only when there is no raw body. */
	body?: unknown;
}

export type RejectReason =
	| 'payload_too_large'
	| 'missing_token'
	| 'bad_token'
	| 'no_token_material'
	| 'missing_signature'
	| SignatureFailure
	| KlingPayloadError['reason']
	| 'unknown_task';

export interface Rejection {
	statusCode: 400 | 401 | 404 | 413;
	reason: RejectReason;
	/** Safe to return to the caller and to log: never contains a token, secret or signature. */
	message: string;
}

export interface AuthOptions {
	requireUrlToken: boolean;
	confirmWithApi: boolean;
}

export interface CallbackAuth {
	/** A Standard Webhooks signature was verified with the credential's webhook secret. */
	signed: boolean;
	/** The `kling_token` query parameter matched the credential-derived token. */
	tokenVerified: boolean;
	/** `webhook-id` of a verified signed callback. */
	webhookId?: string;
}

export type AuthResult = { ok: true; auth: CallbackAuth } | { ok: false; rejection: Rejection };

export type ParseResult = { ok: true; item: KlingTaskItem } | { ok: false; rejection: Rejection };

export interface CallbackFilters {
	/** Empty = all task types. */
	taskTypes: KlingTaskType[];
	/** Empty = any external task id. */
	externalTaskIdPrefix: string;
}

export type LedgerVerdict = 'new' | 'duplicate' | 'stale';

function headerValue(headers: Record<string, unknown>, name: string): string | undefined {
	const entry = Object.entries(headers).find(([k]) => k.toLowerCase() === name);
	const value = entry?.[1];
	if (Array.isArray(value)) return value.length ? String(value[0]) : undefined;
	return value === undefined || value === null || value === '' ? undefined : String(value);
}

function queryString(query: Record<string, unknown>, name: string): string | undefined {
	const value = query[name];
	if (value === undefined || value === null) return undefined;
	// A repeated parameter arrives as an array; it is never a valid token or type.
	return typeof value === 'string' ? value : '';
}

const reject = (statusCode: Rejection['statusCode'], reason: RejectReason, message: string): { ok: false; rejection: Rejection } => ({
	ok: false,
	rejection: { statusCode, reason, message },
});

/**
 * The bytes the signature covers. n8n keeps the request body as received in `req.rawBody` (a Buffer).
 * Fallback: when a proxy or harness provides no raw body we re-serialise the parsed JSON. That only
 * matches what Kling signed if Kling serialised compactly with the same key order; if it does not, the
 * signature check fails closed (the callback is rejected, never wrongly accepted).
 */
export function signedBytes(req: CallbackRequest): Buffer | string {
	if (req.rawBody !== undefined && req.rawBody !== null && req.rawBody.length > 0) return req.rawBody;
	if (typeof req.body === 'string') return req.body;
	return req.body === undefined ? '' : JSON.stringify(req.body);
}

export function bodySize(req: CallbackRequest): number {
	const raw = signedBytes(req);
	const measured = typeof raw === 'string' ? Buffer.byteLength(raw) : raw.length;
	const declared = Number(headerValue(req.headers, 'content-length') ?? 0);
	return Math.max(measured, Number.isFinite(declared) ? declared : 0);
}

/** 413 for bodies over the limit; checked before anything else is computed over the body. */
export function checkSize(req: CallbackRequest, limit = MAX_CALLBACK_BYTES): Rejection | undefined {
	const size = bodySize(req);
	if (size <= limit) return undefined;
	return { statusCode: 413, reason: 'payload_too_large', message: `Body of ${size} bytes exceeds the ${limit}-byte limit for Kling callbacks` };
}

/**
 * URL tokens this credential accepts. The action node appends `urlTokenFromCredentials()` (derived from the
 * webhook secret if set, else the secret key, else the API key). Tokens derived from the credential's other
 * secrets are accepted too, so tasks created before a webhook secret was added (or removed) still get in.
 */
export function acceptedUrlTokens(credentials: ICredentialDataDecryptedObject): string[] {
	const primary = urlTokenFromCredentials(credentials);
	const others = [credentials.webhookSecret, credentials.secretKey, credentials.apiKey]
		.filter((v): v is string => typeof v === 'string' && v.length > 0)
		.map((material) => deriveUrlToken(material));
	return [...new Set([...(primary ? [primary] : []), ...others])];
}

function hasAnySignatureHeader(headers: Record<string, unknown>): boolean {
	return SIGNATURE_HEADERS.some((h) => headerValue(headers, h) !== undefined);
}

/**
 * Is this request from Kling?
 * - URL token (option, default on): `kling_token` must equal the token derived from the credential's
 *   secret material (the action node appends the same token), compared in constant time.
 * - Webhook secret in the credential: the Standard Webhooks signature over the raw body must verify
 *   (±5 min, any of several `v1,` values during a rotation). A callback without signature headers is
 *   rejected, unless "Confirm With Kling API" is on: then the trigger emits Kling's own copy of the task
 *   instead of the body, so an unsigned body is never trusted as is. A callback that carries signature
 *   headers must verify, confirmation or not.
 */
export function authenticateCallback(
	req: CallbackRequest,
	credentials: ICredentialDataDecryptedObject,
	options: AuthOptions,
	nowSeconds: number,
): AuthResult {
	let tokenVerified = false;
	if (options.requireUrlToken) {
		const accepted = acceptedUrlTokens(credentials);
		if (!accepted.length) {
			return reject(401, 'no_token_material', 'The credential has no secret to derive the URL token from');
		}
		const actual = queryString(req.query, URL_TOKEN_PARAM);
		if (actual === undefined) return reject(401, 'missing_token', `Missing ${URL_TOKEN_PARAM} query parameter`);
		// Compare against every candidate (no early exit), each in constant time.
		let matched = false;
		for (const expected of accepted) matched = tokensMatch(expected, actual) || matched;
		if (!matched) return reject(401, 'bad_token', `Invalid ${URL_TOKEN_PARAM}`);
		tokenVerified = true;
	}

	const secret = typeof credentials.webhookSecret === 'string' ? credentials.webhookSecret.trim() : '';
	if (!secret) return { ok: true, auth: { signed: false, tokenVerified } };

	if (!hasAnySignatureHeader(req.headers)) {
		if (options.confirmWithApi) return { ok: true, auth: { signed: false, tokenVerified } };
		return reject(
			401,
			'missing_signature',
			'Unsigned callback, but the credential has a webhook signing secret (turn on "Confirm With Kling API" to accept unsigned callbacks after checking them with the API)',
		);
	}
	const verified = verifyStandardWebhook({ secret, headers: req.headers, rawBody: signedBytes(req), nowSeconds });
	if (!verified.ok) return reject(401, verified.reason, SIGNATURE_MESSAGES[verified.reason]);
	return { ok: true, auth: { signed: true, tokenVerified, webhookId: verified.webhookId } };
}

const SIGNATURE_MESSAGES: Record<SignatureFailure, string> = {
	missing_headers: 'Incomplete signature headers (webhook-id, webhook-timestamp and webhook-signature are all required)',
	bad_timestamp: 'webhook-timestamp is not a Unix timestamp in seconds',
	stale_timestamp: 'webhook-timestamp is more than 5 minutes away from now',
	bad_signature: 'Signature does not match',
	bad_secret: 'The webhook signing secret in the credential is not a valid whsec_ secret',
};

function stripBom(text: string): string {
	return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Task type the action node put into the callback URL (`kling_type`), if it is a known type. */
export function taskTypeFromQuery(query: Record<string, unknown>): KlingTaskType | null {
	const value = queryString(query, URL_TASK_TYPE_PARAM);
	return isTaskType(value) ? value : null;
}

/**
 * Parse the body (bare legacy task, `{code,message,data}`-wrapped or new-standard `{id,status,outputs}`)
 * from the same bytes that were authenticated, and give it the task type from `kling_type`.
 */
export function parseCallback(req: CallbackRequest): ParseResult {
	const raw = req.rawBody !== undefined && req.rawBody !== null && req.rawBody.length > 0 ? req.rawBody : undefined;
	const body: unknown = raw === undefined ? req.body : stripBom(typeof raw === 'string' ? raw : raw.toString('utf8'));
	try {
		const item = parseTaskPayload(body ?? '', null);
		return { ok: true, item: withTaskType(item, taskTypeFromQuery(req.query)) };
	} catch (error) {
		if (error instanceof KlingPayloadError) return reject(400, error.reason, error.message);
		return reject(400, 'not_a_task', 'Body is not a Kling task object');
	}
}

/** Task-type and external-id-prefix filters. A task of unknown type does not pass a type filter. */
export function matchesFilters(item: Pick<KlingTaskItem, 'taskType' | 'externalTaskId'>, filters: CallbackFilters): boolean {
	if (filters.taskTypes.length && (!item.taskType || !filters.taskTypes.includes(item.taskType))) return false;
	if (filters.externalTaskIdPrefix && !(item.externalTaskId ?? '').startsWith(filters.externalTaskIdPrefix)) return false;
	return true;
}

/**
 * Why a state was not claimed: the same state again (`duplicate`) or an older / conflicting one
 * (`stale`: a late `processing` after a terminal state, `failed` after `succeeded`, an older updated_at).
 */
export function ledgerVerdict(
	previous: Pick<LedgerEntry, 'status' | 'updatedAtMs'> | undefined,
	item: Pick<KlingTaskItem, 'status' | 'updatedAtMs'>,
): LedgerVerdict {
	if (isNewerState(previous, item)) return 'new';
	if (previous && previous.status === item.status && (isTerminal(item.status) || (previous.updatedAtMs ?? 0) === (item.updatedAtMs ?? 0))) {
		return 'duplicate';
	}
	return 'stale';
}

/** Endpoints to ask when confirming a task with the API: the known type, else the filtered types, else all. */
export function confirmationTypes(item: Pick<KlingTaskItem, 'taskType'>, filters: CallbackFilters): readonly KlingTaskType[] {
	if (item.taskType) return [item.taskType];
	return filters.taskTypes.length ? filters.taskTypes : TASK_TYPES;
}

export function rejectionBody(rejection: Rejection): IDataObject {
	return { received: false, error: rejection.reason, message: rejection.message };
}

export type IgnoreReason = LedgerVerdict | 'progress' | 'filtered' | 'not_final';

export function ackBody(item: Pick<KlingTaskItem, 'taskId' | 'status'>, ignored?: Exclude<IgnoreReason, 'new'>): IDataObject {
	return ignored
		? { received: true, ignored, taskId: item.taskId, status: item.status }
		: { received: true, taskId: item.taskId, status: item.status };
}
