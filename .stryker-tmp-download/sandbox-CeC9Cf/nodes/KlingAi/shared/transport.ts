/**
 * The one transport every node uses. Goes through `httpRequestWithAuthentication` (so n8n's proxy,
 * logging and credential handling apply), unwraps Kling's `{code, message, request_id, data}` envelope,
 * maps errors to NodeApiError with Kling's meaning, and retries what is safe to retry.
 */
// @ts-nocheck

import {
	NodeApiError,
	NodeOperationError,
	sleep as n8nSleep,
	type IDataObject,
	type IHttpRequestMethods,
	type IHttpRequestOptions,
	type INode,
	type JsonObject,
} from 'n8n-workflow';
import { describeCode, MAYBE_CREATED_CODES, NETWORK_RETRY_CODES } from './errors';
import { parseJsonLossless, serializeJsonBody } from './json';

export const CREDENTIAL_NAME = 'klingAiApi';

/** The slice of n8n's function contexts the transport needs (execute, poll, webhook, hook, load options). */
export interface KlingRequestContext {
	getNode(): INode;
	helpers: {
		httpRequestWithAuthentication(
			this: unknown,
			credentialsType: string,
			requestOptions: IHttpRequestOptions,
		): Promise<unknown>;
	};
	getExecutionCancelSignal?: () => AbortSignal | undefined;
}

export interface RetryPolicy {
	maxAttempts: number;
	baseDelayMs: number;
	maxDelayMs: number;
	/** Upper bound on all waiting done by one call, retries included. */
	maxTotalMs: number;
	timeoutMs: number;
	sleep: (ms: number) => Promise<void>;
	random: () => number;
	now: () => number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	maxAttempts: 6,
	baseDelayMs: 500,
	maxDelayMs: 20_000,
	maxTotalMs: 90_000,
	timeoutMs: 60_000,
	sleep: async (ms) => await n8nSleep(ms),
	random: Math.random,
	now: Date.now,
};

export interface KlingRequest {
	method: IHttpRequestMethods;
	path: string;
	qs?: IDataObject;
	body?: IDataObject;
	itemIndex?: number;
	/** Answer `{ notFound: true }` for code 1203 / HTTP 404 instead of throwing (lookups). */
	allowNotFound?: boolean;
}

export interface KlingResponse<T = unknown> {
	data: T;
	requestId: string | null;
	attempts: number;
	notFound?: boolean;
}

interface RawResponse {
	statusCode: number;
	headers: Record<string, unknown>;
	body: unknown;
}

type Outcome =
	| { kind: 'ok'; data: unknown; requestId: string | null }
	| {
			kind: 'error';
			retry: 'never' | 'backoff' | 'resign';
			maybeCreated: boolean;
			minDelayMs: number;
			retryAfterMs: number | null;
			httpCode: number | null;
			code: number | null;
			message: string;
			description: string;
			requestId: string | null;
	  };

function retryAfterMs(headers: Record<string, unknown>, now: number): number | null {
	const raw = headers['retry-after'] ?? headers['Retry-After'];
	if (raw === undefined || raw === null) return null;
	const value = String(Array.isArray(raw) ? raw[0] : raw).trim();
	if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
	const date = Date.parse(value);
	return Number.isNaN(date) ? null : Math.max(0, date - now);
}

function parseBody(body: unknown): unknown {
	if (typeof body === 'string') {
		try {
			// Lossless: 64-bit ids Kling sends as bare integers (element_id) keep every digit, as strings.
			return parseJsonLossless(body);
		} catch {
			return body;
		}
	}
	if (Buffer.isBuffer(body)) return parseBody(body.toString('utf8'));
	return body;
}

export function classifyResponse(res: RawResponse, now: number): Outcome {
	const body = parseBody(res.body);
	const env = body && typeof body === 'object' && !Array.isArray(body) ? (body as IDataObject) : undefined;
	const code = env && typeof env.code === 'number' ? env.code : null;
	const requestId = env && typeof env.request_id === 'string' ? env.request_id : null;
	const klingMessage = env && typeof env.message === 'string' ? env.message : '';
	if (code === 0 && res.statusCode < 400) return { kind: 'ok', data: env?.data, requestId };
	const after = retryAfterMs(res.headers ?? {}, now);
	if (code !== null) {
		const info = describeCode(code);
		return {
			kind: 'error',
			retry: info.retry,
			maybeCreated: MAYBE_CREATED_CODES.has(code),
			minDelayMs: info.minDelayMs ?? 0,
			retryAfterMs: after,
			httpCode: res.statusCode,
			code,
			message: `Kling error ${code}: ${info.meaning}${klingMessage && klingMessage !== info.meaning ? ` (${klingMessage})` : ''}`,
			description: `${info.hint}${requestId ? ` Request ID: ${requestId}.` : ''}`,
			requestId,
		};
	}
	// No business code: decide on the HTTP status alone.
	const status = res.statusCode;
	const retryable = status === 429 || status === 502 || status === 503 || status === 504;
	return {
		kind: 'error',
		retry: retryable ? 'backoff' : 'never',
		maybeCreated: status === 502 || status === 504,
		minDelayMs: status === 429 ? 1000 : 0,
		retryAfterMs: after,
		httpCode: status,
		code: null,
		message:
			status < 400
				? `Kling answered HTTP ${status} without the expected {code, data} envelope`
				: `Kling answered HTTP ${status}${klingMessage ? `: ${klingMessage}` : ''}`,
		description: typeof body === 'string' && body.length ? body.slice(0, 300) : 'No Kling error code in the response.',
		requestId,
	};
}

function networkCode(error: unknown): string | undefined {
	const e = error as { code?: unknown; httpCode?: unknown; cause?: { code?: unknown }; message?: unknown };
	const code = [e?.cause?.code, e?.code, e?.httpCode].find((c): c is string => typeof c === 'string' && /^E[A-Z_]+$|^UND_ERR/.test(c));
	if (code) return code;
	if (typeof e?.message === 'string' && /timeout/i.test(e.message)) return 'ETIMEDOUT';
	return undefined;
}

export function classifyNetworkError(error: unknown): Outcome {
	const code = networkCode(error) ?? 'UNKNOWN';
	const retryable = NETWORK_RETRY_CODES.has(code);
	return {
		kind: 'error',
		retry: retryable ? 'backoff' : 'never',
		// A request that timed out or whose connection dropped may have reached Kling.
		maybeCreated: code !== 'ECONNREFUSED' && code !== 'EAI_AGAIN',
		minDelayMs: 0,
		retryAfterMs: null,
		httpCode: null,
		code: null,
		message: `Could not reach Kling (${code})`,
		description: 'A network error or timeout. Check the region / base URL of the credential and this machine\'s network.',
		requestId: null,
	};
}

/** Exponential backoff with full jitter, floored by the code's minimum and by Retry-After. */
export function backoffDelay(attempt: number, outcome: { minDelayMs: number; retryAfterMs: number | null }, policy: RetryPolicy): number {
	const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
	const jittered = ceiling / 2 + policy.random() * (ceiling / 2);
	const codeFloor = Math.min(policy.maxDelayMs, outcome.minDelayMs * 2 ** (attempt - 1));
	const floor = Math.max(codeFloor, outcome.retryAfterMs ?? 0);
	return Math.round(Math.max(jittered, floor));
}

function toApiError(node: INode, o: Extract<Outcome, { kind: 'error' }>, itemIndex?: number, extra = ''): NodeApiError {
	const payload: JsonObject = { code: o.code, message: o.message, request_id: o.requestId };
	return new NodeApiError(node, payload, {
		message: o.message + extra,
		description: o.description,
		httpCode: o.httpCode === null ? undefined : String(o.httpCode),
		itemIndex,
	});
}

async function sendOnce(ctx: KlingRequestContext, req: KlingRequest, policy: RetryPolicy): Promise<Outcome> {
	const options: IHttpRequestOptions = {
		method: req.method,
		url: req.path,
		qs: req.qs,
		// Serialised here (not by axios) so 64-bit ids marked with jsonInteger() keep every digit; a JSON
		// string body with a JSON content type is sent byte for byte.
		body: req.body ? serializeJsonBody(req.body) : undefined,
		headers: req.body ? { 'Content-Type': 'application/json; charset=utf-8' } : undefined,
		json: true,
		// The answer as text, parsed by parseBody(): axios' own JSON.parse would round 64-bit ids (element_id).
		encoding: 'text',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: policy.timeoutMs,
		abortSignal: ctx.getExecutionCancelSignal?.(),
	};
	if (!req.body) {
		delete options.body;
		delete options.headers;
	}
	if (!req.qs) delete options.qs;
	try {
		const res = (await ctx.helpers.httpRequestWithAuthentication.call(ctx, CREDENTIAL_NAME, options)) as RawResponse;
		return classifyResponse(res, policy.now());
	} catch (error) {
		// Never pass the original error on: its request config carries the Authorization header.
		const message = (error as { message?: unknown })?.message;
		if (typeof message === 'string' && /Custom Base URL|Unknown region/.test(message)) {
			throw new NodeOperationError(ctx.getNode(), message, {
				itemIndex: req.itemIndex,
				description: 'Fix the Region / Custom Base URL of the Kling AI API credential.',
			});
		}
		// n8n wraps network failures in a NodeApiError whose httpCode is the network code (ECONNRESET, ...).
		const httpCode = (error as { httpCode?: unknown })?.httpCode;
		if (typeof httpCode === 'string' && /^\d{3}$/.test(httpCode)) {
			return classifyResponse({ statusCode: Number(httpCode), headers: {}, body: undefined }, policy.now());
		}
		return classifyNetworkError(error);
	}
}

export interface RequestHooks {
	/**
	 * Called before re-sending a request whose previous attempt may have reached Kling.
	 * Returns a result to use instead of re-sending (the task already exists), or undefined to re-send.
	 */
	beforeResend?: () => Promise<KlingResponse | undefined>;
}

/** Send one Kling API request with the retry policy. Throws NodeApiError with Kling's meaning. */
export async function klingApiRequest<T = unknown>(
	ctx: KlingRequestContext,
	req: KlingRequest,
	policy: RetryPolicy = DEFAULT_RETRY_POLICY,
	hooks: RequestHooks = {},
): Promise<KlingResponse<T>> {
	const started = policy.now();
	let resigned = false;
	let maybeReached = false;
	for (let attempt = 1; ; attempt++) {
		if (maybeReached && hooks.beforeResend) {
			const existing = await hooks.beforeResend();
			if (existing) return existing as KlingResponse<T>;
		}
		const outcome = await sendOnce(ctx, req, policy);
		if (outcome.kind === 'ok') return { data: outcome.data as T, requestId: outcome.requestId, attempts: attempt };
		if (req.allowNotFound && (outcome.code === 1203 || (outcome.code === null && outcome.httpCode === 404))) {
			return { data: undefined as T, requestId: outcome.requestId, attempts: attempt, notFound: true };
		}
		if (ctx.getExecutionCancelSignal?.()?.aborted) {
			// A cancelled execution is not an API failure: say so, whatever the aborted request answered.
			throw new NodeOperationError(ctx.getNode(), 'The execution was cancelled while waiting for Kling', { itemIndex: req.itemIndex });
		}
		if (outcome.retry === 'never') throw toApiError(ctx.getNode(), outcome, req.itemIndex);
		if (outcome.retry === 'resign') {
			// authenticate() signs a fresh JWT for every request, so re-sending re-signs.
			if (resigned) throw toApiError(ctx.getNode(), outcome, req.itemIndex);
			resigned = true;
			continue;
		}
		if (outcome.maybeCreated && req.method === 'POST' && !hooks.beforeResend) {
			throw toApiError(
				ctx.getNode(),
				outcome,
				req.itemIndex,
				' — the request may have reached Kling, so it was not re-sent',
			);
		}
		maybeReached = maybeReached || outcome.maybeCreated;
		const delay = backoffDelay(attempt, outcome, policy);
		const elapsed = policy.now() - started;
		if (attempt >= policy.maxAttempts || elapsed + delay > policy.maxTotalMs) {
			throw toApiError(ctx.getNode(), outcome, req.itemIndex, ` — gave up after ${attempt} attempt${attempt > 1 ? 's' : ''}`);
		}
		await policy.sleep(delay);
	}
}
