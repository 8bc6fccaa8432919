/**
 * "Wait for Completion" of the Kling AI action node: the state machine against the simulator with
 * REAL n8n-core contexts. A small local server stands in for n8n's /webhook-waiting endpoint: it
 * hands each POST to the node's webhook() in a real WebhookContext, and (like n8n) answers 409 once
 * an execution was resumed. n8n's own timeout resume is run with n8n-core's WorkflowExecute.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import { NodeOperationError, type IDataObject, type INodeExecutionData, type IRunExecutionData, type IWebhookResponseData, type IWorkflowBase } from 'n8n-workflow';
import { buildWorkflow, executeContext, initBinaryData, simulatorCredentials, webhookContext, type CapturedResponse, type ContextSetup } from '../helpers/n8n';
import { startSimulator, signWebhook, type KlingSimulator } from '../simulator';
import { node } from '../integration/actionFixtures';
import {
	WATCHER_HEADER,
	activeWatchers,
	pollUntilFinished,
	runWatcher,
	sleepUnlessCancelled,
	stopWatcher,
	WaitCancelledError,
	type Clock,
	type TaskWatch,
} from '../../nodes/KlingAi/shared/wait';
import type { KlingTaskItem } from '../../nodes/KlingAi/shared/task';
import { fakeClock } from '../helpers/fakeClock';

jest.setTimeout(60_000);

const WHSEC = 'whsec_dGVzdHNlY3JldHRlc3RzZWNyZXR0ZXN0c2VjcmV0MTI=';

/** Stands in for n8n's waiting-webhook endpoint: /webhook-waiting/<executionId> → node.webhook(). */
class FakeWaitingWebhooks {
	server!: Server;
	url = '';
	readonly calls: Array<{ executionId: string; headers: IncomingHttpHeaders; body: IDataObject; result?: IWebhookResponseData; response: CapturedResponse; status: number }> = [];
	readonly resumed = new Set<string>();
	readonly setups = new Map<string, ContextSetup>();
	/** The waiting execution's run data (n8n loads it from the DB when its resume URL is called). */
	readonly waitingData = new Map<string, IRunExecutionData>();

	async start(): Promise<this> {
		this.server = createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (c: Buffer) => chunks.push(c));
			req.on('end', () => void this.handle(req.url ?? '', req.headers, Buffer.concat(chunks), res));
		});
		await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
		this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
		return this;
	}

	private async handle(url: string, headers: IncomingHttpHeaders, raw: Buffer, res: import('node:http').ServerResponse) {
		const executionId = decodeURIComponent(new URL(url, 'http://x').pathname.split('/')[2] ?? '');
		const setup = this.setups.get(executionId);
		const body = raw.length ? (JSON.parse(raw.toString()) as IDataObject) : {};
		if (!setup || this.resumed.has(executionId)) {
			// n8n: unknown execution 404; an execution that already resumed 409
			const status = setup ? 409 : 404;
			this.calls.push({ executionId, headers, body, response: { statusCode: status, body: undefined, ended: true }, status });
			res.writeHead(status).end();
			return;
		}
		const query = Object.fromEntries(new URL(url, 'http://x').searchParams.entries());
		const flat = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, String(v)]));
		const { ctx, response } = webhookContext(setup, { body, rawBody: raw, headers: flat, query }, 'webhook', this.waitingData.get(executionId) ?? null);
		const result = await node.webhook!.call(ctx);
		if (result.workflowData) this.resumed.add(executionId);
		const status = response.ended ? response.statusCode : 200;
		this.calls.push({ executionId, headers, body, result, response, status });
		res.writeHead(status, { 'content-type': 'application/json' });
		res.end(JSON.stringify(response.ended ? response.body : (result.webhookResponse ?? { message: 'Webhook call received' })));
	}

	callsFor(executionId: string) {
		return this.calls.filter((c) => c.executionId === executionId);
	}

	async close() {
		this.server.closeAllConnections?.();
		await new Promise<void>((r) => this.server.close(() => r()));
	}
}

let sim: KlingSimulator;
let fake: FakeWaitingWebhooks;
let runs = 0;

beforeAll(async () => {
	await initBinaryData('filesystem', mkdtempSync(join(tmpdir(), 'kling-wait-bin-')));
	fake = await new FakeWaitingWebhooks().start();
});
afterAll(async () => {
	await fake.close();
});
afterEach(async () => {
	await sim?.close();
});

function setupFor(parameters: IDataObject, extraCreds: IDataObject = {}): ContextSetup {
	const executionId = `exec-wait-${++runs}`;
	const setup: ContextSetup = {
		nodeType: node,
		parameters: { resource: 'video', operation: 'textToVideo', prompt: 'a fox', ...parameters },
		credentials: simulatorCredentials(sim.url, extraCreds),
		executionId,
		webhookWaitingBaseUrl: `${fake.url}/webhook-waiting`,
	};
	fake.setups.set(executionId, setup);
	return setup;
}

function runtime(ctx: unknown) {
	return (ctx as { runExecutionData: IRunExecutionData }).runExecutionData;
}

async function executeWith(setup: ContextSetup, items: Array<{ json: IDataObject }> = [{ json: {} }], abortSignal?: AbortSignal) {
	const ctx = executeContext(setup, items as INodeExecutionData[], 'trigger', abortSignal);
	const output = await node.execute.call(ctx);
	// What n8n saves with the waiting execution (custom data included), for the resume webhook.
	fake.waitingData.set(setup.executionId!, JSON.parse(JSON.stringify(runtime(ctx))) as IRunExecutionData);
	return { ctx, output };
}

/** A resumed item is the whole task as Kling's API reports it (results, times, raw task), not the watcher's 3-field body. */
function expectFullTask(json: IDataObject): void {
	const task = sim.tasks().find((t) => t.task_id === json.taskId)!;
	const videos = (task.task_result as { videos: IDataObject[] }).videos;
	expect(videos.length).toBeGreaterThan(0);
	expect(json.videos).toEqual(videos.map((v) => expect.objectContaining({ id: v.id, url: v.url })));
	expect(json.createdAtMs).toBe(task.created_at);
	expect(json.raw).toEqual(expect.objectContaining({ task_id: task.task_id, task_result: task.task_result }));
}

const taskOf = (executionId: string) => sim.tasks().find((t) => String(t.callback_url ?? '').includes(executionId));

describe('outputs', () => {
	it('one output normally; Succeeded and Failed when waiting', () => {
		sim = undefined as never;
		const names = (parameters: IDataObject) =>
			executeContext({ nodeType: node, parameters, credentials: {} })
				.getNodeOutputs()
				.map((o) => o.displayName ?? o.type);
		expect(names({ resource: 'video', operation: 'textToVideo', prompt: 'x' })).toHaveLength(1);
		expect(names({ resource: 'video', operation: 'getTask' })).toHaveLength(1);
		expect(names({ resource: 'video', operation: 'textToVideo', prompt: 'x', waitForCompletion: 'callback' })).toEqual(['Succeeded', 'Failed']);
		expect(names({ resource: 'image', operation: 'generateImage', prompt: 'x', waitForCompletion: 'poll' })).toEqual(['Succeeded', 'Failed']);
	});
});

describe('Callback (one item): the execution waits on its resume URL', () => {
	it('non-terminal callbacks keep it waiting; the terminal one resumes it on Succeeded', async () => {
		sim = await startSimulator({ autoAdvance: false });
		const setup = setupFor({ waitForCompletion: 'callback', waitTimeLimit: 30 });
		const before = Date.now();
		const { ctx, output } = await executeWith(setup);
		expect(output).toEqual([[], []]);
		const waitTill = runtime(ctx).waitTill as Date;
		expect(waitTill.getTime()).toBeGreaterThanOrEqual(before + 30 * 60_000);
		// n8n's timeout path: the staged item and the flag n8n uses to forward all outputs
		expect(ctx.getExecuteData().metadata).toMatchObject({ forwardAllOutputs: true });
		const task = sim.task(String((ctx.getExecuteData().data.main[1] as INodeExecutionData[])[0].json.taskId))!;
		expect(task.callbackUrl).toBe(`${fake.url}/webhook-waiting/${setup.executionId}`);
		expect(activeWatchers()).toBeGreaterThan(0);

		sim.advance(task.task.task_id, 'processing');
		await sim.waitFor(() => fake.callsFor(setup.executionId!).length >= 1, 5000);
		const progress = fake.callsFor(setup.executionId!)[0];
		expect(progress.result?.workflowData).toBeUndefined();
		expect(progress.result?.webhookResponse).toMatchObject({ waiting: true, status: 'processing' });
		expect(progress.status).toBe(200);

		sim.advance(task.task.task_id, 'succeed');
		await sim.waitFor(() => fake.resumed.has(setup.executionId!), 5000);
		const final = fake.callsFor(setup.executionId!).find((c) => c.result?.workflowData)!;
		const [succeeded, failed] = final.result!.workflowData!;
		expect(failed).toEqual([]);
		expect(succeeded).toHaveLength(1);
		expect(succeeded[0].json).toMatchObject({ taskId: task.task.task_id, status: 'succeeded', finished: true, taskType: 'textToVideo' });
		expect(succeeded[0].pairedItem).toEqual({ item: 0 });
		expect(final.response.body).toMatchObject({ resumed: true });
		expect(final.result!.noWebhookResponse).toBe(true);
		expect(activeWatchers()).toBe(0);
	});

	it('two waits in one execution: a late callback of the first task reaching the shared resume URL is ignored; the second resumes only with its own task', async () => {
		sim = await startSimulator({ autoAdvance: false, callbacks: { progress: false } });
		const setup = setupFor({ waitForCompletion: 'callback' });
		const resumeUrl = `${fake.url}/webhook-waiting/${setup.executionId}`;
		const first = await executeWith(setup);
		const firstId = String((first.ctx.getExecuteData().data.main[1] as INodeExecutionData[])[0].json.taskId);
		expect(first.ctx.customData.get('kling_waiting_task')).toBe(firstId);
		sim.advance(firstId, 'succeed');
		await sim.waitFor(() => fake.resumed.has(setup.executionId!), 5000);

		// The execution goes on to a second Kling AI node that waits (same execution, same resume URL).
		const secondNode: ContextSetup = { ...setup, nodeName: 'Kling AI (second)', nodeId: 'second-kling-node' };
		fake.setups.set(setup.executionId!, secondNode);
		fake.resumed.delete(setup.executionId!);
		const second = await executeWith(secondNode);
		const secondId = String((second.ctx.getExecuteData().data.main[1] as INodeExecutionData[])[0].json.taskId);
		expect(secondId).not.toBe(firstId);
		const callsBefore = fake.callsFor(setup.executionId!).length;

		// Kling repeats the first task's final callback late.
		const late = await fetch(resumeUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(sim.tasks().find((t) => t.task_id === firstId)) });
		expect(late.status).toBe(200);
		expect(await late.json()).toMatchObject({ received: true, taskId: firstId, ignored: 'other_task', waiting: true });
		expect(fake.resumed.has(setup.executionId!)).toBe(false);

		sim.advance(secondId, 'succeed');
		await sim.waitFor(() => fake.resumed.has(setup.executionId!), 5000);
		const resumedWith = fake.callsFor(setup.executionId!).slice(callsBefore).find((c) => c.result?.workflowData)!;
		expect(resumedWith.result!.workflowData![0].map((e) => e.json.taskId)).toEqual([secondId]);
	});

	it('a failed task resumes it on Failed; results are downloaded (streamed) when asked to', async () => {
		sim = await startSimulator({ timings: { toProcessingMs: 20, toFinishMs: 80 } });
		const failing = setupFor({ prompt: 'sim:fail please', waitForCompletion: 'callback' });
		await executeWith(failing);
		await sim.waitFor(() => fake.resumed.has(failing.executionId!), 5000);
		const [ok, failed] = fake.callsFor(failing.executionId!).find((c) => c.result?.workflowData)!.result!.workflowData!;
		expect(ok).toEqual([]);
		expect(failed[0].json).toMatchObject({ status: 'failed', statusMessage: expect.stringContaining('sim:fail') });

		const downloading = setupFor({ waitForCompletion: 'callback', downloadResults: true, binaryPropertyName: 'video' });
		await executeWith(downloading);
		await sim.waitFor(() => fake.resumed.has(downloading.executionId!), 5000);
		const [[item]] = fake.callsFor(downloading.executionId!).find((c) => c.result?.workflowData)!.result!.workflowData!;
		expect(item.binary?.video).toMatchObject({ mimeType: 'video/mp4', fileName: `${String(item.json.taskId)}.mp4` });
	});

	it('with a webhook secret: signed callbacks pass, a bad signature is refused (401) and an unsigned one is confirmed with the API', async () => {
		sim = await startSimulator({ autoAdvance: false, webhookSecret: WHSEC });
		const setup = setupFor({ waitForCompletion: 'callback' }, { webhookSecret: WHSEC });
		const { ctx } = await executeWith(setup);
		const taskId = String((ctx.getExecuteData().data.main[1] as INodeExecutionData[])[0].json.taskId);
		const resumeUrl = `${fake.url}/webhook-waiting/${setup.executionId}`;
		const forged = JSON.stringify({ task_id: taskId, task_status: 'succeed', task_result: { videos: [{ id: 'v', url: 'https://evil.example/x.mp4' }] } });
		const ts = Math.floor(Date.now() / 1000);
		const bad = await fetch(resumeUrl, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'webhook-id': 'w1', 'webhook-timestamp': String(ts), 'webhook-signature': 'v1,AAAA' },
			body: forged,
		});
		expect(bad.status).toBe(401);
		expect(await bad.json()).toMatchObject({ reason: 'bad_signature' });
		const gets = sim.requests.filter((r) => r.method === 'GET').length;
		const unsigned = await fetch(resumeUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: forged });
		expect(unsigned.status).toBe(200);
		expect(await unsigned.json()).toMatchObject({ waiting: true, status: 'submitted' });
		expect(sim.requests.filter((r) => r.method === 'GET').length).toBe(gets + 1);
		expect(fake.resumed.has(setup.executionId!)).toBe(false);
		// a correctly signed but stale callback is refused too
		const stale = ts - 3600;
		const staleRes = await fetch(resumeUrl, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'webhook-id': 'w2', 'webhook-timestamp': String(stale), 'webhook-signature': signWebhook(WHSEC, 'w2', stale, forged) },
			body: forged,
		});
		expect(staleRes.status).toBe(401);

		sim.advance(taskId, 'succeed');
		await sim.waitFor(() => fake.resumed.has(setup.executionId!), 5000);
		const final = fake.callsFor(setup.executionId!).find((c) => c.result?.workflowData)!;
		expect(final.headers['webhook-signature']).toMatch(/^v1,/);
		expect(final.result!.workflowData![0][0].json).toMatchObject({ taskId, status: 'succeeded' });
		stopWatcher(taskId);
	});

	it('a body that is not a Kling task is refused with 400 and a reason; the execution keeps waiting', async () => {
		sim = await startSimulator({ autoAdvance: false });
		const setup = setupFor({ waitForCompletion: 'callback' });
		const { ctx } = await executeWith(setup);
		const res = await fetch(`${fake.url}/webhook-waiting/${setup.executionId}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"hello":1}' });
		expect(res.status).toBe(400);
		expect(await res.json()).toMatchObject({ reason: 'no_task_id' });
		expect(fake.resumed.has(setup.executionId!)).toBe(false);
		stopWatcher(String((ctx.getExecuteData().data.main[1] as INodeExecutionData[])[0].json.taskId));
	});
});

describe('time limit', () => {
	it('n8n ends a timed-out wait without running the node: the staged item leaves on Failed with the task id (n8n-core WorkflowExecute)', async () => {
		sim = await startSimulator({ autoAdvance: false });
		const setup = setupFor({ waitForCompletion: 'callback', waitTimeLimit: 0.05 });
		const { workflow, node: n, additionalData } = buildWorkflow(setup);
		const workflowData = { id: workflow.id, name: 'w', nodes: [n], connections: {}, active: false, settings: {}, createdAt: new Date(), updatedAt: new Date() } as unknown as IWorkflowBase;
		(additionalData as { hooks?: unknown }).hooks = new ExecutionLifecycleHooks('trigger', setup.executionId!, workflowData);
		const first = await new WorkflowExecute(additionalData, 'trigger').run({ workflow, startNode: n });
		expect(first.status).toBe('waiting');
		const taskId = String(((first.data.executionData!.nodeExecutionStack[0].data.main[1] ?? []) as INodeExecutionData[])[0].json.taskId);
		// the watcher checks once more at the limit: still running, so it does not resume anything
		await sim.waitFor(() => activeWatchers() === 0, 10_000);
		expect(fake.callsFor(setup.executionId!)).toHaveLength(0);
		expect(sim.requests.some((r) => r.method === 'GET' && r.path.endsWith(`/${taskId}`))).toBe(true);
		// what n8n's WaitTracker does when waitTill has passed
		first.data.waitTill = new Date(Date.now() - 1000);
		const resumed = await new WorkflowExecute(additionalData, 'trigger', first.data).processRunExecutionData(workflow);
		expect(resumed.status).toBe('success');
		const [ok, failed] = resumed.data.resultData.runData[n.name][0].data!.main as INodeExecutionData[][];
		expect(ok).toEqual([]);
		expect(failed).toHaveLength(1);
		expect(failed[0].json).toMatchObject({ taskId, waitTimedOut: true, status: 'submitted', error: expect.stringContaining(taskId) });
		// n8n re-stamps forwarded stack data with {item, input: <output index>}, as for any webhook-resumed node
		expect(failed[0].pairedItem).toMatchObject({ item: 0 });
	});

	it('at the limit the node checks the task once more: a finished task whose callbacks were lost is routed', async () => {
		sim = await startSimulator({ timings: { toProcessingMs: 20, toFinishMs: 60 }, callbacks: { drop: 1 } });
		const setup = setupFor({ waitForCompletion: 'callback', waitTimeLimit: 0.05 });
		await executeWith(setup);
		await sim.waitFor(() => fake.resumed.has(setup.executionId!), 15_000);
		const calls = fake.callsFor(setup.executionId!);
		expect(calls).toHaveLength(1);
		expect(calls[0].headers[WATCHER_HEADER]).toBe('1');
		expect(calls[0].result!.workflowData![0][0].json).toMatchObject({ status: 'succeeded' });
		// The watcher's POST carries only the id and status: the item is Kling's full task, read from the API.
		expectFullTask(calls[0].result!.workflowData![0][0].json);
		expect(sim.callbacks.every((c) => c.dropped)).toBe(true);
	});

	it('Callback, Then Poll: no callback arrives, the watcher polls after "Poll After" and resumes the execution', async () => {
		sim = await startSimulator({ autoAdvance: false, callbacks: { drop: 1 } });
		const setup = setupFor({ waitForCompletion: 'callbackThenPoll', pollAfterMinutes: 0.01, pollIntervalSeconds: 1, waitTimeLimit: 1 });
		const { ctx } = await executeWith(setup);
		const taskId = String((ctx.getExecuteData().data.main[1] as INodeExecutionData[])[0].json.taskId);
		await sim.waitFor(() => sim.requests.filter((r) => r.method === 'GET' && r.path.endsWith(`/${taskId}`)).length >= 2, 10_000);
		sim.advance(taskId, 'succeed');
		await sim.waitFor(() => fake.resumed.has(setup.executionId!), 10_000);
		const call = fake.callsFor(setup.executionId!).find((c) => c.result?.workflowData)!;
		expect(call.headers[WATCHER_HEADER]).toBe('1');
		expect(call.result!.workflowData![0][0].json).toMatchObject({ taskId, status: 'succeeded' });
		expect(Object.keys(call.body).sort()).toEqual(['task_id', 'task_status', 'watcher']);
		expectFullTask(call.result!.workflowData![0][0].json);
	});
});

describe('Poll', () => {
	it('several items: every item gets its task and its result on the right output', async () => {
		sim = await startSimulator({ timings: { toProcessingMs: 20, toFinishMs: 100 } });
		const setup = setupFor({ prompt: '={{ $json.prompt }}', waitForCompletion: 'poll', pollIntervalSeconds: 1, downloadResults: true });
		const { ctx, output } = await executeWith(setup, [{ json: { prompt: 'first fox' } }, { json: { prompt: 'sim:fail fox' } }, { json: { prompt: 'third fox' } }]);
		expect(runtime(ctx).waitTill).toBeUndefined();
		const [ok, failed] = output;
		expect(ok.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 2 }]);
		expect(failed.map((o) => o.pairedItem)).toEqual([{ item: 1 }]);
		expect(ok.every((o) => o.json.status === 'succeeded' && o.binary?.data?.mimeType === 'video/mp4')).toBe(true);
		expect(failed[0].json.status).toBe('failed');
		expect(sim.task(String(ok[1].json.taskId))!.body?.prompt).toBe('third fox');
	});

	it('Callback with several items polls instead: no resume URL is sent and the execution does not wait', async () => {
		sim = await startSimulator({ timings: { toProcessingMs: 20, toFinishMs: 60 } });
		const setup = setupFor({ waitForCompletion: 'callback', pollIntervalSeconds: 1 });
		const { ctx, output } = await executeWith(setup, [{ json: {} }, { json: {} }]);
		expect(runtime(ctx).waitTill).toBeUndefined();
		expect(output[0]).toHaveLength(2);
		expect(sim.tasks().every((t) => !t.callback_url)).toBe(true);
	});

	it('the time limit sends unfinished tasks to Failed with waitTimedOut and the task id', async () => {
		sim = await startSimulator({ autoAdvance: false });
		const setup = setupFor({ waitForCompletion: 'poll', pollIntervalSeconds: 1, waitTimeLimit: 0.05 });
		const { output } = await executeWith(setup);
		const [ok, failed] = output;
		expect(ok).toEqual([]);
		expect(failed[0].json).toMatchObject({ waitTimedOut: true, status: 'submitted', taskId: expect.any(String) });
		expect(String(failed[0].json.error)).toContain(String(failed[0].json.taskId));
		expect(sim.requests.filter((r) => r.method === 'GET').length).toBeGreaterThanOrEqual(2);
	});

	it('cancelling the execution stops polling', async () => {
		sim = await startSimulator({ autoAdvance: false });
		const setup = setupFor({ waitForCompletion: 'poll', pollIntervalSeconds: 1, waitTimeLimit: 30 });
		const abort = new AbortController();
		const running = executeWith(setup, undefined, abort.signal);
		await sim.waitFor(() => sim.requests.some((r) => r.method === 'GET'), 10_000);
		abort.abort();
		await expect(running).rejects.toThrow(NodeOperationError);
		await expect(running).rejects.toThrow(/cancelled/);
		const gets = sim.requests.filter((r) => r.method === 'GET').length;
		await new Promise((r) => setTimeout(r, 1500));
		expect(sim.requests.filter((r) => r.method === 'GET').length).toBe(gets);
	});

	it('a bad parameter with continueOnFail goes to Failed as {error} with its pairedItem', async () => {
		sim = await startSimulator({ timings: { toProcessingMs: 10, toFinishMs: 40 } });
		const setup = setupFor({ prompt: '={{ $json.prompt }}', waitForCompletion: 'poll', pollIntervalSeconds: 1 });
		const ctx = executeContext(setup, [{ json: { prompt: 'p'.repeat(3000) } }, { json: { prompt: 'fine' } }] as INodeExecutionData[], 'trigger');
		(ctx as unknown as { node: { onError: string } }).node.onError = 'continueRegularOutput';
		const [ok, failed] = await node.execute.call(ctx);
		expect(ok.map((o) => o.pairedItem)).toEqual([{ item: 1 }]);
		expect(failed).toEqual([{ json: expect.objectContaining({ error: expect.stringMatching(/"Prompt" is too long/) }), pairedItem: { item: 0 } }]);
	});
});

describe('state machine with a fake clock', () => {
	const task = (status: KlingTaskItem['status'], updatedAtMs = 1): KlingTaskItem =>
		({ taskId: 't1', externalTaskId: 'e1', status, updatedAtMs, finished: status === 'succeeded' || status === 'failed' }) as KlingTaskItem;

	it('polls with backoff up to the cap, the last round at the deadline, then marks the task timed out', async () => {
		const clock = fakeClock();
		const rounds: number[] = [];
		const watches: TaskWatch[] = [{ itemIndex: 0, task: task('submitted') }];
		await pollUntilFinished(async () => task('processing', clock.now()), watches, { deadlineMs: clock.now() + 20_000, intervalMs: 2000, maxIntervalMs: 5000, backoff: 1.5 }, { now: clock.now, sleep: clock.sleep }, undefined, (r) => rounds.push(clock.now()));
		expect(watches[0]).toMatchObject({ timedOut: true, task: { status: 'processing' } });
		const gaps = rounds.map((t, i) => t - (i ? rounds[i - 1] : 1_000_000));
		expect(gaps).toEqual([2000, 3000, 4500, 5000, 5000, 500]);
		expect(rounds[rounds.length - 1]).toBe(1_000_000 + 20_000);
	});

	it('stops as soon as the task is terminal; a query error ends that task only', async () => {
		const clock = fakeClock();
		const answers = [task('processing', 2), task('succeeded', 3)];
		const watches: TaskWatch[] = [
			{ itemIndex: 0, task: task('submitted') },
			{ itemIndex: 1, task: { ...task('submitted'), taskId: 't2' } },
		];
		await pollUntilFinished(
			async (w) => {
				if (w.task.taskId === 't2') throw new Error('boom');
				return answers.shift()!;
			},
			watches,
			{ deadlineMs: clock.now() + 60_000, intervalMs: 1000, maxIntervalMs: 1000, backoff: 1 },
			clock,
		);
		expect(watches[0].task?.status).toBe('succeeded');
		expect(watches[0].timedOut).toBeUndefined();
		expect((watches[1].error as Error).message).toBe('boom');
		expect(clock.now()).toBe(1_000_000 + 2000);
	});

	it('cancellation is noticed within one sleep slice', async () => {
		const clock = fakeClock();
		const abort = new AbortController();
		const sleeping = sleepUnlessCancelled(60_000, { now: clock.now, sleep: async (ms) => { await clock.sleep(ms); if (clock.slept.length === 3) abort.abort(); } }, abort.signal, 500);
		await expect(sleeping).rejects.toBeInstanceOf(WaitCancelledError);
		expect(clock.slept).toEqual([500, 500, 500]);
	});

	it('the watcher resumes a finished task, leaves an unfinished one, and stops when the callback came first', async () => {
		const clock = fakeClock();
		const resumed: string[] = [];
		const plan = { taskId: 'w1', checkAtMs: clock.now() + 10_000, pollUntilMs: clock.now() + 10_000, intervalMs: 1000, maxIntervalMs: 1000 };
		expect(await runWatcher(plan, { clock, fetch: async () => task('succeeded'), resume: async (t) => { resumed.push(t.taskId); return 'resumed'; } })).toBe('resumed');
		expect(resumed).toEqual(['t1']);
		expect(await runWatcher({ ...plan, taskId: 'w2', checkAtMs: clock.now() + 1000, pollUntilMs: clock.now() + 1000 }, { clock, fetch: async () => task('processing'), resume: async () => { resumed.push('no'); return 'resumed'; } })).toBe('unfinished');
		const stopping = runWatcher(
			{ ...plan, taskId: 'w3', checkAtMs: clock.now() + 10_000, pollUntilMs: clock.now() + 10_000 },
			{ clock: { now: clock.now, sleep: async (ms) => { await clock.sleep(ms); stopWatcher('w3'); } }, fetch: async () => task('succeeded'), resume: async () => { resumed.push('no'); return 'resumed'; } },
		);
		expect(await stopping).toBe('stopped');
		expect(resumed).toEqual(['t1']);
		expect(activeWatchers()).toBe(0);
	});

	it('a 409 from n8n (a callback in another process resumed it first) ends the watcher quietly, without an error log', async () => {
		const clock = fakeClock();
		const logs: string[] = [];
		const plan = { taskId: 'w9', checkAtMs: clock.now() + 1000, pollUntilMs: clock.now() + 1000, intervalMs: 1000, maxIntervalMs: 1000 };
		expect(await runWatcher(plan, { clock, fetch: async () => task('succeeded'), resume: async () => 'alreadyResumed', log: (m) => logs.push(m) })).toBe('stopped');
		expect(logs).toEqual([]);
		expect(activeWatchers()).toBe(0);
	});
});
