/**
 * "Wait for Completion": create a Kling task and leave the node only when it has finished.
 *
 * Callback (one item): callback_url = this execution's resume URL, the execution is put to wait,
 *   and the node's webhook() handles each call to that URL: non-terminal callbacks are answered and
 *   the execution KEEPS waiting (no workflowData, as n8n's send-and-wait form GET does); the terminal
 *   one resumes it on the Succeeded or Failed output.
 * Poll (and several items in a callback mode): the node polls the tasks with backoff until they
 *   finish or the time limit passes, honouring execution cancellation.
 * Callback, then poll (one item): callback as above; after "Poll After" a watcher in this n8n process
 *   polls the task and resumes the execution through the same resume URL when it finishes.
 *
 * Time limit: when n8n ends a wait by timeout it does NOT run node code (the waiting node is
 * re-run as "disabled" and its stack entry's input passes through; see n8n-core
 * WorkflowExecute.handleWaitingState / handleDisabledNode). So:
 *   1. at the limit the watcher checks the task once more and resumes the execution if it finished;
 *   2. the n8n wait itself ends a little later (limit + grace); for that case the node stages, at
 *      wait time, the item n8n will pass through: the task with `waitTimedOut: true` on the Failed
 *      output (`forwardAllOutputs`, the flag n8n sets on webhook resumes), so the task id is never lost.
 * The watcher lives in the process that ran the node: after an n8n restart only step 2 remains.
 */
import {
	NodeApiError,
	NodeConnectionTypes,
	NodeOperationError,
	sleep as n8nSleep,
	type IDataObject,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type IWebhookDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';
import { getTask } from './api';
import { downloadResults } from './download';
import type { KlingTaskType } from './endpoints';
import { verifyStandardWebhook } from './signature';
import { KlingPayloadError, isNewerState, isTerminal, parseTaskPayload, type KlingTaskItem } from './task';
import { CREDENTIAL_NAME } from './transport';

export type WaitMode = 'dontWait' | 'callback' | 'poll' | 'callbackThenPoll';
export const WAIT_MODES: readonly WaitMode[] = ['dontWait', 'callback', 'poll', 'callbackThenPoll'];
export const SUCCEEDED_OUTPUT = 0;
export const FAILED_OUTPUT = 1;

/** Header the in-process watcher sets when it resumes the execution itself. */
export const WATCHER_HEADER = 'x-kling-n8n-watcher';

/**
 * Execution custom data key naming the task the execution currently waits for. n8n gives one resume URL
 * per execution, so a late callback of an earlier wait (or anything else holding the URL) would
 * otherwise resume a later wait with the wrong task. Custom data is saved with the waiting execution
 * and read back by whichever process serves the resume URL.
 */
export const WAITING_TASK_KEY = 'kling_waiting_task';

/**
 * Record the task this execution now waits for (a no-op where n8n keeps no custom data). n8n 2.40 offers
 * `customData` on the context; older lines (2.8) only `$execution.customData` on the data proxy.
 */
export function setWaitingTask(ctx: Pick<IExecuteFunctions, 'customData' | 'logger' | 'getWorkflowDataProxy'>, taskId: string): void {
	try {
		if (ctx.customData) ctx.customData.set(WAITING_TASK_KEY, taskId);
		else (ctx.getWorkflowDataProxy(0).$execution as { customData?: { set(k: string, v: string): void } } | undefined)?.customData?.set(WAITING_TASK_KEY, taskId);
	} catch (error) {
		ctx.logger.debug(`Kling AI: could not record the waited task in the execution's custom data: ${(error as Error).message}`);
	}
}

/** The task the waiting execution waits for, or undefined where it was not recorded. */
export function waitingTaskOf(ctx: Pick<IWebhookFunctions, 'customData' | 'evaluateExpression'>): string | undefined {
	try {
		const value = ctx.customData
			? ctx.customData.get(WAITING_TASK_KEY)
			: ctx.evaluateExpression(`{{ $execution.customData ? $execution.customData.get("${WAITING_TASK_KEY}") : "" }}`);
		return typeof value === 'string' && value ? value : undefined;
	} catch {
		return undefined;
	}
}

/**
 * The resume webhook (like n8n's GitHub "dispatch and wait"): path '' so `$execution.resumeUrl`
 * itself is the callback URL. Never registered on activation (restartWebhook).
 */
export const WAIT_WEBHOOKS: IWebhookDescription[] = [
	{
		name: 'default',
		httpMethod: 'POST',
		path: '',
		restartWebhook: true,
		responseMode: 'onReceived',
		ndvHideUrl: true,
		ndvHideMethod: true,
	},
];

const MAIN = NodeConnectionTypes.Main;
/** One output normally; Succeeded + Failed when the create waits for completion. */
export const WAIT_OUTPUTS_EXPRESSION: `={{${string}}}` = `={{ ["callback", "poll", "callbackThenPoll"].includes($parameter["waitForCompletion"]) ? [{ "type": "${MAIN}", "displayName": "Succeeded" }, { "type": "${MAIN}", "displayName": "Failed" }] : ["${MAIN}"] }}`;

// ------------------------------------------------------------------ clock and cancellation

export interface Clock {
	now(): number;
	sleep(ms: number): Promise<void>;
}

export const REAL_CLOCK: Clock = { now: () => Date.now(), sleep: async (ms) => await n8nSleep(ms) };

/** Longest single sleep, so cancellation is noticed promptly. */
export const SLEEP_SLICE_MS = 500;

export class WaitCancelledError extends Error {
	constructor() {
		super('The execution was cancelled while waiting for Kling');
		this.name = 'WaitCancelledError';
	}
}

/** Sleep `ms` in slices; throws WaitCancelledError as soon as `signal` aborts. */
export async function sleepUnlessCancelled(ms: number, clock: Clock, signal?: AbortSignal, sliceMs = SLEEP_SLICE_MS): Promise<void> {
	const until = clock.now() + Math.max(0, ms);
	for (;;) {
		if (signal?.aborted) throw new WaitCancelledError();
		const left = until - clock.now();
		if (left <= 0) return;
		await clock.sleep(Math.min(left, sliceMs));
	}
}

// ------------------------------------------------------------------ polling state machine

export interface PollSettings {
	/** Absolute time (clock ms) after which no further poll round starts; the last round happens at the deadline. */
	deadlineMs: number;
	intervalMs: number;
	maxIntervalMs: number;
	backoff: number;
}

export interface TaskWatch {
	itemIndex: number;
	task?: KlingTaskItem;
	error?: unknown;
	timedOut?: boolean;
}

/**
 * Poll every unfinished task until all are terminal or the deadline passes. The interval grows by
 * `backoff` up to `maxIntervalMs`; the last poll round happens at the deadline ("check once more").
 * A task whose query fails keeps that error and is not polled again.
 */
export async function pollUntilFinished(
	fetch: (watch: TaskWatch & { task: KlingTaskItem }) => Promise<KlingTaskItem>,
	watches: TaskWatch[],
	settings: PollSettings,
	clock: Clock,
	signal?: AbortSignal,
	onRound?: (round: number) => void,
): Promise<TaskWatch[]> {
	const pending = () => watches.filter((w): w is TaskWatch & { task: KlingTaskItem } => !!w.task && !w.error && !isTerminal(w.task.status));
	let interval = settings.intervalMs;
	for (let round = 1; pending().length > 0; round++) {
		const now = clock.now();
		if (now >= settings.deadlineMs) break;
		await sleepUnlessCancelled(Math.min(interval, settings.deadlineMs - now), clock, signal);
		onRound?.(round);
		for (const watch of pending()) {
			if (signal?.aborted) throw new WaitCancelledError();
			try {
				const next = await fetch(watch);
				if (isNewerState(watch.task, next) || next.status === watch.task.status) watch.task = { ...next, externalTaskId: next.externalTaskId ?? watch.task.externalTaskId };
			} catch (error) {
				watch.error = error;
			}
		}
		interval = Math.min(settings.maxIntervalMs, Math.round(interval * settings.backoff));
	}
	for (const watch of pending()) watch.timedOut = true;
	return watches;
}

// ------------------------------------------------------------------ routing and items

/** NodeApiError/NodeOperationError as they are; anything else wrapped in a NodeOperationError. */
export function toNodeError(node: INode, error: unknown, itemIndex: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(node, error instanceof Error ? error : String(error), { itemIndex });
}

export function outputOf(watch: TaskWatch): 0 | 1 {
	return !watch.error && !watch.timedOut && watch.task?.status === 'succeeded' ? SUCCEEDED_OUTPUT : FAILED_OUTPUT;
}

export function timedOutJson(task: KlingTaskItem, limitMinutes: number): IDataObject {
	return {
		...task,
		waitTimedOut: true,
		error: `Kling task ${task.taskId} did not finish within the time limit of ${limitMinutes} minutes (last status: ${task.status})`,
		errorDescription:
			'The task may still finish: look it up with Get Task (task ID or external task ID), or let the Kling AI Poll Trigger pick it up. Raise "Time Limit (Minutes)" for long tasks.',
	};
}

export function errorJson(error: unknown): IDataObject {
	const message = error instanceof Error ? error.message : String(error);
	const description = (error as { description?: unknown })?.description;
	return { error: message, ...(typeof description === 'string' && description ? { errorDescription: description } : {}) };
}

export interface DownloadSettings {
	enabled: boolean;
	binaryProperty: string;
	watermarked: boolean;
	/** 'route': a failed download sends the task to Failed (with the error); 'throw': fails the node. */
	onError?: 'throw' | 'route';
}

type DownloadCapable = Parameters<typeof downloadResults>[0];

/** Route finished watches to [Succeeded, Failed]; downloads succeeded results when asked to. */
export async function routeWatches(
	ctx: DownloadCapable,
	watches: TaskWatch[],
	limitMinutes: number,
	download: DownloadSettings,
): Promise<INodeExecutionData[][]> {
	const outputs: INodeExecutionData[][] = [[], []];
	for (const watch of watches) {
		const pairedItem = { item: watch.itemIndex };
		if (watch.error || !watch.task) {
			outputs[FAILED_OUTPUT].push({ json: { ...(watch.task ?? {}), ...errorJson(watch.error) }, pairedItem });
			continue;
		}
		if (watch.timedOut) {
			outputs[FAILED_OUTPUT].push({ json: timedOutJson(watch.task, limitMinutes), pairedItem });
			continue;
		}
		const output = outputOf(watch);
		if (output === SUCCEEDED_OUTPUT && download.enabled) {
			try {
				const binary = await downloadResults(ctx, watch.task, { binaryProperty: download.binaryProperty, watermarked: download.watermarked, itemIndex: watch.itemIndex });
				outputs[output].push({ json: watch.task, binary, pairedItem });
			} catch (error) {
				if (download.onError === 'throw') throw toNodeError(ctx.getNode(), error, watch.itemIndex);
				outputs[FAILED_OUTPUT].push({ json: { ...watch.task, downloadFailed: true, ...errorJson(error) }, pairedItem });
			}
		} else {
			outputs[output].push({ json: watch.task, pairedItem });
		}
	}
	return outputs;
}

// ------------------------------------------------------------------ watchers (in-process)

const watchers = new Map<string, AbortController>();

/** Stop the watcher of a task (its execution was resumed by a callback). */
export function stopWatcher(taskId: string): void {
	watchers.get(taskId)?.abort();
	watchers.delete(taskId);
}

export function activeWatchers(): number {
	return watchers.size;
}

export interface WatcherPlan {
	taskId: string;
	/** When the watcher starts checking (callback: the limit; callback then poll: "Poll After"). */
	checkAtMs: number;
	/** Last moment it polls (the limit). */
	pollUntilMs: number;
	intervalMs: number;
	maxIntervalMs: number;
}

/**
 * Check (and, for Callback then Poll, poll) a waiting task from this process; when it finished,
 * resume the waiting execution by POSTing to its resume URL. Never throws.
 */
export async function runWatcher(
	plan: WatcherPlan,
	deps: {
		fetch: () => Promise<KlingTaskItem>;
		/** 'alreadyResumed' when n8n answers 409: a callback resumed the execution first. */
	resume: (task: KlingTaskItem) => Promise<'resumed' | 'alreadyResumed'>;
		clock: Clock;
		log?: (message: string) => void;
	},
): Promise<'resumed' | 'stopped' | 'unfinished' | 'error'> {
	// In queue mode this runs in the worker that created the task; a callback served by another process
	// cannot stop it (stopWatcher there is a no-op), so a 409 at the end is the normal "already done".
	const controller = new AbortController();
	stopWatcher(plan.taskId);
	watchers.set(plan.taskId, controller);
	try {
		await sleepUnlessCancelled(plan.checkAtMs - deps.clock.now(), deps.clock, controller.signal, 1000);
		const watch: TaskWatch & { task: KlingTaskItem } = { itemIndex: 0, task: await deps.fetch() };
		// Polls only while the task is unfinished and the limit has not passed (Callback: checkAt = the limit, no poll).
		await pollUntilFinished(async () => await deps.fetch(), [watch], { deadlineMs: plan.pollUntilMs, intervalMs: plan.intervalMs, maxIntervalMs: plan.maxIntervalMs, backoff: 1.5 }, deps.clock, controller.signal);
		if (watch.error) throw watch.error;
		if (!isTerminal(watch.task.status)) return 'unfinished';
		if (controller.signal.aborted) return 'stopped';
		return (await deps.resume(watch.task)) === 'resumed' ? 'resumed' : 'stopped';
	} catch (error) {
		if (error instanceof WaitCancelledError) return 'stopped';
		deps.log?.(`Kling AI: checking task ${plan.taskId} after the wait failed: ${error instanceof Error ? error.message : String(error)}`);
		return 'error';
	} finally {
		if (watchers.get(plan.taskId) === controller) watchers.delete(plan.taskId);
	}
}

// ------------------------------------------------------------------ create and wait (execute side)

export interface CreateAndWaitSettings {
	mode: Exclude<WaitMode, 'dontWait'>;
	taskType: KlingTaskType;
	itemCount: number;
	limitMinutes: number;
	pollAfterMinutes: number;
	pollIntervalSeconds: number;
	download: DownloadSettings;
	/** Create the task of item i with this callback_url (null = none). */
	create: (itemIndex: number, callbackUrl: string | null) => Promise<KlingTaskItem>;
	clock?: Clock;
}

export const MAX_POLL_INTERVAL_MS = 60_000;

/** How long after the limit n8n's own wait ends (the watcher's final check comes first). */
export function graceMs(limitMs: number): number {
	return Math.min(60_000, Math.max(10_000, Math.round(limitMs * 0.1)));
}

/**
 * This execution's resume URL, from `$execution.resumeUrl` (carries n8n's resume token when the host
 * has one). Not getSignedResumeUrl(): n8n 2.40 only accepts those signatures for nodes whose operation
 * is "sendAndWait"; for every other node it compares `signature` with the execution's resume token.
 */
export function resumeUrlOf(ctx: IExecuteFunctions): string {
	const url = ctx.getWorkflowDataProxy(0).$execution?.resumeUrl;
	if (typeof url !== 'string' || !url) {
		throw new NodeOperationError(ctx.getNode(), 'This n8n version gives the node no resume URL', {
			description: 'Set "Wait for Completion" to Poll.',
		});
	}
	return url;
}

function asError(ctx: IExecuteFunctions, error: unknown, itemIndex: number): Error {
	return toNodeError(ctx.getNode(), error, itemIndex);
}

/** Create the tasks of all items, then wait for them: by callback (one item) or by polling. */
export async function createAndWait(ctx: IExecuteFunctions, s: CreateAndWaitSettings): Promise<INodeExecutionData[][]> {
	const clock = s.clock ?? REAL_CLOCK;
	const started = clock.now();
	const limitMs = Math.round(s.limitMinutes * 60_000);
	const byCallback = (s.mode === 'callback' || s.mode === 'callbackThenPoll') && s.itemCount === 1;
	const resumeUrl = byCallback ? resumeUrlOf(ctx) : null;

	const watches: TaskWatch[] = [];
	for (let i = 0; i < s.itemCount; i++) {
		try {
			watches.push({ itemIndex: i, task: await s.create(i, resumeUrl) });
		} catch (error) {
			if (!ctx.continueOnFail()) throw toNodeError(ctx.getNode(), error, i);
			watches.push({ itemIndex: i, error });
		}
	}

	// (a watch has either a task or, after a failed create, an error)
	const waiting = watches.find((w) => w.task && !isTerminal(w.task.status));
	if (byCallback && waiting?.task) {
		const task = waiting.task;
		// What n8n passes on if its wait ends by timeout (it runs no node code then).
		ctx.getExecuteData().data = { main: [[], [{ json: timedOutJson(task, s.limitMinutes), pairedItem: { item: 0 } }]] };
		ctx.setMetadata({ forwardAllOutputs: true });
		setWaitingTask(ctx, task.taskId);
		await ctx.putExecutionToWait(new Date(started + limitMs + graceMs(limitMs)));
		const pollAfterMs = s.mode === 'callbackThenPoll' ? Math.min(limitMs, Math.round(s.pollAfterMinutes * 60_000)) : limitMs;
		void runWatcher(
			{
				taskId: task.taskId,
				checkAtMs: started + pollAfterMs,
				pollUntilMs: started + limitMs,
				intervalMs: s.pollIntervalSeconds * 1000,
				maxIntervalMs: MAX_POLL_INTERVAL_MS,
			},
			{
				clock,
				fetch: async () => await getTask(ctx, task.taskType ?? s.taskType, task.taskId),
				resume: async (finished) => {
					const res = (await ctx.helpers.httpRequest({
						method: 'POST',
						url: resumeUrl as string,
						headers: { [WATCHER_HEADER]: '1' },
						body: { task_id: finished.taskId, task_status: finished.klingStatus, watcher: true },
						json: true,
						returnFullResponse: true,
						ignoreHttpStatusErrors: true,
					})) as { statusCode?: number };
					const status = Number(res?.statusCode ?? 200);
					if (status === 409) return 'alreadyResumed';
					if (status >= 400) throw new Error(`n8n answered the resume request with HTTP ${status}`);
					return 'resumed';
				},
				log: (message) => ctx.logger.warn(message),
			},
		);
		return [[], []];
	}

	try {
		await pollUntilFinished(
			async (w) => await getTask(ctx, w.task.taskType ?? s.taskType, w.task.taskId, undefined, w.itemIndex),
			watches,
			{ deadlineMs: started + limitMs, intervalMs: s.pollIntervalSeconds * 1000, maxIntervalMs: MAX_POLL_INTERVAL_MS, backoff: 1.5 },
			clock,
			ctx.getExecutionCancelSignal(),
		);
	} catch (error) {
		throw asError(ctx, error, 0);
	}
	for (const w of watches) {
		if (w.error && !ctx.continueOnFail()) throw asError(ctx, w.error, w.itemIndex);
	}
	return await routeWatches(ctx, watches, s.limitMinutes, { ...s.download, onError: ctx.continueOnFail() ? 'route' : 'throw' });
}

// ------------------------------------------------------------------ the resume webhook

export interface WaitWebhookSettings {
	taskType: KlingTaskType;
	confirmWithApi: boolean;
	limitMinutes: number;
	download: DownloadSettings;
	nowSeconds?: number;
}

function headerValue(headers: Record<string, unknown>, name: string): string | undefined {
	const found = Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1];
	return found === undefined || found === null ? undefined : String(Array.isArray(found) ? found[0] : found);
}

function reject(ctx: IWebhookFunctions, status: number, reason: string, message: string): IWebhookResponseData {
	ctx.logger.warn(`Kling AI: callback to the resume URL rejected (${reason}); the execution keeps waiting`);
	ctx.getResponseObject().status(status).json({ error: message, reason });
	return { noWebhookResponse: true };
}

/**
 * A call to this execution's resume URL. n8n has already checked the URL's resume token. Returns
 * no workflowData (the execution keeps waiting) unless the task reached a terminal state.
 */
export async function handleWaitWebhook(ctx: IWebhookFunctions, s: WaitWebhookSettings): Promise<IWebhookResponseData> {
	const req = ctx.getRequestObject() as unknown as { rawBody?: Buffer; body?: unknown; headers: Record<string, unknown> };
	const headers = req.headers ?? {};
	const fromWatcher = headerValue(headers, WATCHER_HEADER) === '1';
	const credentials = await ctx.getCredentials(CREDENTIAL_NAME);
	const secret = typeof credentials.webhookSecret === 'string' ? credentials.webhookSecret.trim() : '';
	const signed = headerValue(headers, 'webhook-signature') !== undefined;
	let confirm = s.confirmWithApi || fromWatcher;
	if (secret && signed) {
		const raw = req.rawBody ?? Buffer.from(JSON.stringify(req.body ?? ctx.getBodyData()));
		const verdict = verifyStandardWebhook({ secret, headers, rawBody: raw, nowSeconds: s.nowSeconds ?? Math.floor(Date.now() / 1000) });
		if (!verdict.ok) return reject(ctx, 401, verdict.reason, 'Invalid webhook signature');
	} else if (secret && !fromWatcher) {
		// A webhook secret is set but this callback is unsigned: believe only Kling's API.
		confirm = true;
	}

	let task: KlingTaskItem;
	try {
		task = parseTaskPayload(ctx.getBodyData(), s.taskType);
	} catch (error) {
		if (error instanceof KlingPayloadError) return reject(ctx, 400, error.reason, error.message);
		return reject(ctx, 400, 'not_a_task', 'Body is not a Kling task');
	}
	// Bound to its task: a call for any other task (a late callback of an earlier wait in this
	// execution) is acknowledged and ignored, and the execution keeps waiting.
	const waitedFor = waitingTaskOf(ctx);
	if (waitedFor !== undefined && task.taskId !== waitedFor) {
		ctx.logger.warn(`Kling AI: a callback for task ${task.taskId} reached the resume URL of a wait for task ${waitedFor}; ignored`);
		return { webhookResponse: { received: true, taskId: task.taskId, ignored: 'other_task', waiting: true } };
	}
	if (confirm) {
		try {
			task = await getTask(ctx, task.taskType ?? s.taskType, task.taskId);
		} catch (error) {
			ctx.logger.warn(`Kling AI: could not confirm task ${task.taskId} with the API: ${error instanceof Error ? error.message : String(error)}`);
			return { webhookResponse: { received: true, taskId: task.taskId, confirmed: false, waiting: true } };
		}
	}
	if (!isTerminal(task.status)) {
		return { webhookResponse: { received: true, taskId: task.taskId, status: task.status, waiting: true } };
	}

	stopWatcher(task.taskId);
	// Answer Kling now: a download may take longer than it waits for the 2xx.
	ctx.getResponseObject().status(200).json({ received: true, taskId: task.taskId, status: task.status, resumed: true });
	const workflowData = await routeWatches(ctx, [{ itemIndex: 0, task }], s.limitMinutes, { ...s.download, onError: 'route' });
	return { noWebhookResponse: true, workflowData };
}
