/**
 * shared/wait.ts end to end in one process, on a fake clock: createAndWait (Poll, Callback, Callback then Poll) and the
 * resume webhook (handleWaitWebhook), with REAL n8n-core execute/webhook contexts, the real request path to the Kling
 * simulator and a local server standing in for n8n's resume URL. No real sleeps: a run that waits 30 fake minutes takes
 * milliseconds, so the mutation run of wait.ts (issue 16, TESTING.md "wait.ts") can afford every mutant.
 * `test/unit/actionWait.test.ts` runs the same flows through the node itself in real time.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeApiError, NodeOperationError, type IDataObject, type INodeExecutionData, type IRunExecutionData } from 'n8n-workflow';
import { executeContext, initBinaryData, simulatorCredentials, TEST_KEYS, webhookContext, type ContextSetup } from '../helpers/n8n';
import { startSimulator, signWebhook, type KlingSimulator } from '../simulator';
import { node } from '../integration/actionFixtures';
import { createTask, getTask } from '../../nodes/KlingAi/shared/api';
import type { KlingTaskItem } from '../../nodes/KlingAi/shared/task';
import {
	activeWatchers,
	createAndWait,
	handleWaitWebhook,
	resumeUrlOf,
	WAITING_TASK_KEY,
	WATCHER_HEADER,
	type Clock,
	type CreateAndWaitSettings,
	type WaitWebhookSettings,
} from '../../nodes/KlingAi/shared/wait';
import { fakeClock } from '../helpers/fakeClock';
import { ScriptedServer } from '../helpers/scriptedServer';

jest.setTimeout(30_000);

const WHSEC = 'whsec_dGVzdHNlY3JldHRlc3RzZWNyZXR0ZXN0c2VjcmV0MTI=';
const START = 1_000_000_000;

/** n8n's resume URL (the shared scripted server): records each POST with the fake time it arrived at; answers `status`. */
class ResumeUrl {
	status = 200;
	clock?: Clock;
	private readonly arrivedAt: Array<number | undefined> = [];
	private readonly server = new ScriptedServer(() => (this.arrivedAt.push(this.clock?.now()), { status: this.status, body: {} }));

	get url() {
		return `${this.server.url}/webhook-waiting`;
	}

	async start(): Promise<this> {
		await this.server.start();
		return this;
	}

	get posts(): Array<{ headers: IncomingHttpHeaders; body: IDataObject; at: number | undefined }> {
		return this.server.received.map((r, i) => ({ headers: r.headers, body: JSON.parse(r.body || '{}') as IDataObject, at: this.arrivedAt[i] }));
	}

	watcherPosts() {
		return this.posts.filter((p) => p.headers[WATCHER_HEADER] === '1');
	}

	forget() {
		this.server.received.length = 0;
		this.arrivedAt.length = 0;
	}

	async close() {
		await this.server.stop();
	}
}

/** A fake clock that runs `at` offsets' actions once the fake time reaches them (after the sleep that gets there). */
function scheduledClock(schedule: Array<{ at: number; run: () => void }> = []): Clock & { slept: number[]; elapsed(): number } {
	const c = fakeClock(START);
	const pending = [...schedule];
	return {
		slept: c.slept,
		now: c.now,
		elapsed: () => c.now() - START,
		sleep: async (ms: number) => {
			await c.sleep(ms);
			while (pending.length && c.now() - START >= pending[0].at) pending.shift()!.run();
		},
	};
}

let sim: KlingSimulator;
let resume: ResumeUrl;
let runs = 0;

beforeAll(async () => {
	await initBinaryData('filesystem', mkdtempSync(join(tmpdir(), 'kling-waitflows-bin-')));
	resume = await new ResumeUrl().start();
});
afterAll(async () => {
	await resume.close();
});
beforeEach(async () => {
	sim = await startSimulator({ autoAdvance: false, callbacks: { progress: false } });
	resume.forget();
	resume.status = 200;
});
afterEach(async () => {
	await sim.close();
});

function setupFor(extra: Partial<ContextSetup> = {}, creds: IDataObject = {}): ContextSetup {
	return {
		nodeType: node,
		parameters: { resource: 'video', operation: 'textToVideo', prompt: 'a fox' },
		credentials: simulatorCredentials(sim.url, creds),
		executionId: `exec-flow-${++runs}`,
		webhookWaitingBaseUrl: resume.url,
		...extra,
	};
}

const gets = (taskId: string) => sim.requests.filter((r) => r.method === 'GET' && r.path.includes(taskId)).length;
const runtime = (ctx: unknown) => (ctx as { runExecutionData: IRunExecutionData }).runExecutionData;

function settings(over: Partial<CreateAndWaitSettings> & Pick<CreateAndWaitSettings, 'create'>): CreateAndWaitSettings {
	return {
		mode: 'poll',
		taskType: 'textToVideo',
		itemCount: 1,
		limitMinutes: 30,
		pollAfterMinutes: 5,
		pollIntervalSeconds: 20,
		download: { enabled: false, binaryProperty: 'data', watermarked: false },
		...over,
	};
}

/** The real create path: POST to the simulator (with the callback URL createAndWait hands over). */
function creator(ctx: Parameters<typeof createTask>[0], seen: Array<string | null> = []) {
	return async (i: number, callbackUrl: string | null) => {
		seen.push(callbackUrl);
		const body: IDataObject = { model_name: 'kling-v1', prompt: `item ${i}`, external_task_id: `flow-${runs}-${i}` };
		if (callbackUrl) body.callback_url = callbackUrl;
		return (await createTask(ctx, 'textToVideo', body)).item;
	};
}

const taskIdOf = (i: number) => sim.task(`flow-${runs}-${i}`)!.task.task_id as string;

describe('Poll: the node waits in the execution', () => {
	test('two items in a callback mode are polled (no resume URL, no n8n wait) with backoff from the Poll Interval, capped at 60 s; each item goes to its output', async () => {
		const setup = setupFor();
		const ctx = executeContext(setup, [{ json: {} }, { json: {} }], 'trigger');
		const clock = scheduledClock([
			{ at: 50_000, run: () => sim.advance(taskIdOf(0), 'succeed') },
			{ at: 200_000, run: () => sim.advance(taskIdOf(1), 'failed', 'no fox today') },
		]);
		const callbackUrls: Array<string | null> = [];
		const out = await createAndWait(ctx, settings({ mode: 'callback', itemCount: 2, clock, create: creator(ctx, callbackUrls) }));
		expect(callbackUrls).toEqual([null, null]);
		expect(runtime(ctx).waitTill).toBeUndefined();
		// rounds at 20 s, 50 s, 95 s, 155 s (60 s cap, not 67.5 s), 215 s
		expect(clock.elapsed()).toBe(215_000);
		expect(gets(taskIdOf(0))).toBe(2);
		expect(gets(taskIdOf(1))).toBe(5);
		const [succeeded, failed] = out;
		expect(succeeded.map((e) => [e.json.taskId, e.json.status, e.pairedItem])).toEqual([[taskIdOf(0), 'succeeded', { item: 0 }]]);
		expect(failed.map((e) => [e.json.taskId, e.json.status, e.json.statusMessage, e.pairedItem])).toEqual([[taskIdOf(1), 'failed', 'no fox today', { item: 1 }]]);
		expect(succeeded[0].binary).toBeUndefined();
	});

	test('at the time limit the node checks once more, then sends the unfinished task to Failed with waitTimedOut', async () => {
		const ctx = executeContext(setupFor(), [{ json: {} }], 'trigger');
		const clock = scheduledClock();
		const [succeeded, failed] = await createAndWait(ctx, settings({ limitMinutes: 1, clock, create: creator(ctx) }));
		expect(clock.elapsed()).toBe(60_000); // 20 s, 50 s, and the last check at the limit (60 s)
		expect(gets(taskIdOf(0))).toBe(3);
		expect(succeeded).toEqual([]);
		expect(failed).toHaveLength(1);
		expect(failed[0].json).toMatchObject({
			taskId: taskIdOf(0),
			waitTimedOut: true,
			error: `Kling task ${taskIdOf(0)} did not finish within the time limit of 1 minutes (last status: submitted)`,
		});
		expect(failed[0].pairedItem).toEqual({ item: 0 });
	});

	test('a task already finished when created is routed at once: no poll, no wait (also in Callback mode)', async () => {
		const done = sim.insertTask('textToVideo', { task_status: 'succeed' });
		const ctx = executeContext(setupFor(), [{ json: {} }], 'trigger');
		const clock = scheduledClock();
		const out = await createAndWait(ctx, settings({ mode: 'callback', clock, create: async () => await getTask(ctx, 'textToVideo', done.task_id) }));
		expect(out[0].map((e) => e.json.taskId)).toEqual([done.task_id]);
		expect(out[1]).toEqual([]);
		expect(clock.slept).toEqual([]);
		expect(runtime(ctx).waitTill).toBeUndefined();
		expect(gets(done.task_id)).toBe(1); // the create stand-in's own GET only
	});

	test('a failed create fails the node naming its item; with Continue On Fail it goes to Failed and the other items are still waited for', async () => {
		const failing = (ctx: Parameters<typeof createTask>[0]) => {
			const real = creator(ctx);
			return async (i: number, url: string | null) => {
				if (i === 1) throw new Error('prompt refused');
				return await real(i, url);
			};
		};
		const strict = executeContext(setupFor(), [{ json: {} }, { json: {} }, { json: {} }], 'trigger');
		const error = await createAndWait(strict, settings({ itemCount: 3, clock: scheduledClock(), create: failing(strict) })).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as NodeOperationError).message).toBe('prompt refused');
		expect((error as NodeOperationError).context.itemIndex).toBe(1);
		expect(sim.tasks()).toHaveLength(1); // item 2 was never created

		sim.reset();
		const lenient = executeContext(setupFor({ onError: 'continueRegularOutput' }), [{ json: {} }, { json: {} }, { json: {} }], 'trigger');
		const clock = scheduledClock([{ at: 20_000, run: () => [0, 2].forEach((i) => sim.advance(taskIdOf(i), 'succeed')) }]);
		const [succeeded, failed] = await createAndWait(lenient, settings({ itemCount: 3, clock, create: failing(lenient) }));
		expect(succeeded.map((e) => e.pairedItem)).toEqual([{ item: 0 }, { item: 2 }]);
		expect(failed).toEqual([{ json: { error: 'prompt refused' }, pairedItem: { item: 1 } }]);
		expect(clock.elapsed()).toBe(20_000);
	});

	test('a failing status query fails the node naming its item; with Continue On Fail the task goes to Failed with the error', async () => {
		const unknownSecond = (ctx: Parameters<typeof createTask>[0]) => {
			const real = creator(ctx);
			return async (i: number, url: string | null) => {
				const item = await real(i, url);
				return i === 1 ? { ...item, taskId: 'no-such-task' } : item;
			};
		};
		const strict = executeContext(setupFor(), [{ json: {} }, { json: {} }], 'trigger');
		const clock = scheduledClock([{ at: 20_000, run: () => sim.advance(taskIdOf(0), 'succeed') }]);
		const error = await createAndWait(strict, settings({ itemCount: 2, clock, create: unknownSecond(strict) })).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as NodeApiError).context.itemIndex).toBe(1);

		sim.reset();
		const lenient = executeContext(setupFor({ onError: 'continueErrorOutput' }), [{ json: {} }, { json: {} }], 'trigger');
		const clock2 = scheduledClock([{ at: 20_000, run: () => sim.advance(taskIdOf(0), 'succeed') }]);
		const [succeeded, failed] = await createAndWait(lenient, settings({ itemCount: 2, clock: clock2, create: unknownSecond(lenient) }));
		expect(succeeded.map((e) => e.pairedItem)).toEqual([{ item: 0 }]);
		expect(failed).toHaveLength(1);
		expect(failed[0].json).toMatchObject({ taskId: 'no-such-task', status: 'submitted', error: expect.stringMatching(/\S/) });
		expect(failed[0].pairedItem).toEqual({ item: 1 });
	});

	test('cancelling the execution while it waits fails the node with "cancelled" and stops polling', async () => {
		const abort = new AbortController();
		const ctx = executeContext(setupFor(), [{ json: {} }], 'trigger', abort.signal);
		const clock = scheduledClock([{ at: 30_000, run: () => abort.abort() }]);
		const error = await createAndWait(ctx, settings({ clock, create: creator(ctx) })).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as NodeOperationError).message).toBe('The execution was cancelled while waiting for Kling');
		expect((error as NodeOperationError).context.itemIndex).toBe(0);
		expect(gets(taskIdOf(0))).toBe(1); // the round at 20 s only
		expect(clock.elapsed()).toBe(30_000);
	});

	test('results are downloaded for Succeeded; a failed download fails the node, or with Continue On Fail goes to Failed marked downloadFailed', async () => {
		const download = { enabled: true, binaryProperty: 'clip', watermarked: false };
		const ctx = executeContext(setupFor(), [{ json: {} }], 'trigger');
		const clock = scheduledClock([{ at: 20_000, run: () => sim.advance(taskIdOf(0), 'succeed') }]);
		const [[ok]] = await createAndWait(ctx, settings({ clock, download, create: creator(ctx) }));
		expect(ok.binary?.clip).toMatchObject({ mimeType: 'video/mp4', fileName: `${taskIdOf(0)}.mp4` });

		const broken = sim.insertTask('textToVideo', { task_status: 'succeed', task_result: { videos: [{ id: 'v1', url: 'http://127.0.0.1:1/gone.mp4', duration: '5' }] } });
		const strict = executeContext(setupFor(), [{ json: {} }], 'trigger');
		const error = await createAndWait(strict, settings({ clock: scheduledClock(), download, create: async () => await getTask(strict, 'textToVideo', broken.task_id) })).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as NodeOperationError).message).toMatch(new RegExp(`^Could not download result 1 of task ${broken.task_id}: \\S`));
		expect((error as NodeOperationError).context.itemIndex).toBe(0);

		const lenient = executeContext(setupFor({ onError: 'continueRegularOutput' }), [{ json: {} }], 'trigger');
		const [succeeded, failed] = await createAndWait(lenient, settings({ clock: scheduledClock(), download, create: async () => await getTask(lenient, 'textToVideo', broken.task_id) }));
		expect(succeeded).toEqual([]);
		expect(failed[0].json).toMatchObject({ taskId: broken.task_id, status: 'succeeded', downloadFailed: true, error: expect.stringContaining(`Could not download result 1 of task ${broken.task_id}`), errorDescription: 'The result URL did not answer. Try again later.' });
		expect(failed[0].binary).toBeUndefined();
	});
});

describe('Callback (one item): the execution waits for its resume URL', () => {
	async function waitForWatcher() {
		await sim.waitFor(() => activeWatchers() === 0, 5_000);
	}

	test('the task gets the resume URL; n8n waits until limit + grace; the timeout item and the waited task are staged; at the limit the watcher checks once and resumes a finished task', async () => {
		const setup = setupFor();
		const ctx = executeContext(setup, [{ json: {} }], 'trigger');
		const clock = scheduledClock([{ at: 300_000, run: () => sim.advance(taskIdOf(0), 'succeed') }]);
		resume.clock = clock;
		const callbackUrls: Array<string | null> = [];
		const out = await createAndWait(ctx, settings({ mode: 'callback', limitMinutes: 10, clock, create: creator(ctx, callbackUrls) }));
		expect(out).toEqual([[], []]);
		const resumeUrl = `${resume.url}/${setup.executionId}`;
		expect(callbackUrls).toEqual([resumeUrl]);
		expect(sim.task(taskIdOf(0))!.callbackUrl).toBe(resumeUrl);
		expect((runtime(ctx).waitTill as Date).getTime()).toBe(START + 600_000 + 60_000);
		expect(ctx.getExecuteData().data).toEqual({
			main: [[], [{ json: expect.objectContaining({ taskId: taskIdOf(0), waitTimedOut: true, status: 'submitted' }), pairedItem: { item: 0 } }]],
		});
		expect((ctx.getExecuteData().data.main[1] as INodeExecutionData[])[0].json.error).toContain('time limit of 10 minutes');
		expect(ctx.getExecuteData().metadata).toMatchObject({ forwardAllOutputs: true });
		expect(ctx.customData.get(WAITING_TASK_KEY)).toBe(taskIdOf(0));

		await sim.waitFor(() => resume.watcherPosts().length === 1, 5_000);
		await waitForWatcher();
		const [post] = resume.watcherPosts();
		expect(post.at).toBe(START + 600_000);
		expect(post.body).toEqual({ task_id: taskIdOf(0), task_status: 'succeed', watcher: true });
		expect(gets(taskIdOf(0))).toBe(1);
	});

	test('Callback: a task unfinished at the limit is left to n8n (no resume)', async () => {
		const ctx = executeContext(setupFor(), [{ json: {} }], 'trigger');
		const clock = scheduledClock();
		await createAndWait(ctx, settings({ mode: 'callback', limitMinutes: 10, clock, create: creator(ctx) }));
		await waitForWatcher();
		expect(gets(taskIdOf(0))).toBe(1);
		expect(clock.elapsed()).toBe(600_000);
		expect(resume.posts).toEqual([]);
	});

	test('Callback then Poll: the watcher starts at Poll After, polls with backoff from the Poll Interval and resumes when the task finishes', async () => {
		const ctx = executeContext(setupFor(), [{ json: {} }], 'trigger');
		const clock = scheduledClock([
			{ at: 60_000, run: () => sim.advance(taskIdOf(0), 'processing') },
			{ at: 360_000, run: () => sim.advance(taskIdOf(0), 'succeed') },
		]);
		resume.clock = clock;
		await createAndWait(ctx, settings({ mode: 'callbackThenPoll', limitMinutes: 30, pollAfterMinutes: 5, pollIntervalSeconds: 15, clock, create: creator(ctx) }));
		await waitForWatcher();
		// check at 300 s (processing), polls at 315 s, 337.5 s, 371.25 s (succeeded)
		expect(resume.watcherPosts().map((p) => p.at)).toEqual([START + 371_250]);
		expect(gets(taskIdOf(0))).toBe(4);
		expect((runtime(ctx).waitTill as Date).getTime()).toBe(START + 1_800_000 + 60_000);
	});

	test('Callback then Poll with Poll After beyond the limit: the watcher checks at the limit', async () => {
		const ctx = executeContext(setupFor(), [{ json: {} }], 'trigger');
		const clock = scheduledClock([{ at: 1_000, run: () => sim.advance(taskIdOf(0), 'failed') }]);
		resume.clock = clock;
		await createAndWait(ctx, settings({ mode: 'callbackThenPoll', limitMinutes: 2, pollAfterMinutes: 60, clock, create: creator(ctx) }));
		await waitForWatcher();
		expect(resume.watcherPosts().map((p) => [p.at, p.body.task_status])).toEqual([[START + 120_000, 'failed']]);
		expect((runtime(ctx).waitTill as Date).getTime()).toBe(START + 120_000 + 12_000);
	});

	test("n8n's 409 (a callback resumed it first) is quiet; any other error answer is logged with its status", async () => {
		for (const [status, logged] of [
			[409, []],
			[500, ['n8n answered the resume request with HTTP 500']],
			[404, ['n8n answered the resume request with HTTP 404']],
			[400, ['n8n answered the resume request with HTTP 400']],
			[399, []],
			[200, []],
		] as Array<[number, string[]]>) {
			resume.status = status;
			const ctx = executeContext(setupFor(), [{ json: {} }], 'trigger');
			const warnings: string[] = [];
			const spy = jest.spyOn(ctx.logger, 'warn').mockImplementation((m: string) => void warnings.push(m));
			try {
				const clock = scheduledClock([{ at: 10, run: () => sim.advance(taskIdOf(0), 'succeed') }]);
				await createAndWait(ctx, settings({ mode: 'callback', limitMinutes: 1, clock, create: creator(ctx) }));
				await waitForWatcher();
				expect(warnings).toEqual(logged.map((m) => `Kling AI: checking task ${taskIdOf(0)} after the wait failed: ${m}`));
			} finally {
				spy.mockRestore();
			}
		}
	});

	test('Callback, one item whose create failed (Continue On Fail): nothing to wait for, the item goes to Failed at once', async () => {
		const ctx = executeContext(setupFor({ onError: 'continueRegularOutput' }), [{ json: {} }], 'trigger');
		const out = await createAndWait(ctx, settings({ mode: 'callback', clock: scheduledClock(), create: async () => { throw new Error('quota exceeded'); } }));
		expect(out).toEqual([[], [{ json: { error: 'quota exceeded' }, pairedItem: { item: 0 } }]]);
		expect(runtime(ctx).waitTill).toBeUndefined();
		expect(activeWatchers()).toBe(0);
	});

	test('no resume URL (an n8n without one): the node says to use Poll', () => {
		const fake = { getWorkflowDataProxy: () => ({ $execution: { resumeUrl: '' } }), getNode: () => ({ name: 'Kling AI' }) };
		const error = (() => {
			try {
				resumeUrlOf(fake as never);
			} catch (e) {
				return e as NodeOperationError;
			}
			return undefined;
		})();
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error?.message).toBe('This n8n version gives the node no resume URL');
		expect(error?.description).toBe('Set "Wait for Completion" to Poll.');
		expect(() => resumeUrlOf({ ...fake, getWorkflowDataProxy: () => ({}) } as never)).toThrow('no resume URL');
		expect(() => resumeUrlOf({ ...fake, getWorkflowDataProxy: () => ({ $execution: { resumeUrl: 42 } }) } as never)).toThrow('no resume URL');
		expect(resumeUrlOf({ ...fake, getWorkflowDataProxy: () => ({ $execution: { resumeUrl: 'http://x/1' } }) } as never)).toBe('http://x/1');
	});
});

describe('the resume webhook (a call to the waiting execution resume URL)', () => {
	const hook = (over: Partial<WaitWebhookSettings> = {}): WaitWebhookSettings => ({
		taskType: 'textToVideo',
		confirmWithApi: false,
		limitMinutes: 30,
		download: { enabled: false, binaryProperty: 'data', watermarked: false },
		...over,
	});

	function call(body: unknown, opts: { headers?: Record<string, unknown>; raw?: Buffer | null; creds?: IDataObject; waiting?: IRunExecutionData | null } = {}) {
		const raw = opts.raw === null ? undefined : (opts.raw ?? Buffer.from(JSON.stringify(body)));
		const { ctx, response } = webhookContext(
			setupFor({}, opts.creds ?? {}),
			{ body, rawBody: raw as Buffer, headers: (opts.headers ?? {}) as Record<string, string>, query: {} },
			'webhook',
			opts.waiting ?? null,
		);
		const warnings: string[] = [];
		jest.spyOn(ctx.logger, 'warn').mockImplementation((m: string) => void warnings.push(m));
		return { ctx, response, warnings };
	}

	afterEach(() => jest.restoreAllMocks());

	/** A task body as Kling posts it, but claiming `status` (the API may say otherwise). */
	const claim = (taskId: string, status = 'succeed') => ({ task_id: taskId, task_status: status, task_result: { videos: [{ id: 'claimed', url: 'https://evil.example/x.mp4', duration: '5' }] } });

	test('unsigned and no secret: the body is believed as it is; a non-terminal one keeps the execution waiting', async () => {
		const t = sim.insertTask('textToVideo', { task_status: 'processing' });
		const progress = call(claim(t.task_id, 'processing'));
		expect(await handleWaitWebhook(progress.ctx, hook())).toEqual({ webhookResponse: { received: true, taskId: t.task_id, status: 'processing', waiting: true } });
		const done = call(claim(t.task_id));
		const res = await handleWaitWebhook(done.ctx, hook());
		expect(gets(t.task_id)).toBe(0);
		expect(res.noWebhookResponse).toBe(true);
		expect(done.response).toEqual({ statusCode: 200, body: { received: true, taskId: t.task_id, status: 'succeeded', resumed: true }, ended: true });
		expect(res.workflowData?.[0].map((e) => [e.json.taskType, (e.json.videos as IDataObject[])[0].id, e.pairedItem])).toEqual([['textToVideo', 'claimed', { item: 0 }]]);
		expect(res.workflowData?.[1]).toEqual([]);
	});

	test("the watcher's call (header in any case, or as a list) is always confirmed with the API: the item is the API's task", async () => {
		const t = sim.insertTask('textToVideo', { task_status: 'succeed' });
		for (const headers of [{ 'content-type': 'application/json', [WATCHER_HEADER]: '1' }, { 'X-Kling-N8n-Watcher': '1' }, { 'user-agent': '1', [WATCHER_HEADER]: ['1'] }]) {
			const before = gets(t.task_id);
			const { ctx } = call({ task_id: t.task_id, task_status: 'succeed', watcher: true }, { headers });
			const res = await handleWaitWebhook(ctx, hook());
			expect(gets(t.task_id)).toBe(before + 1);
			expect(res.workflowData?.[0][0].json).toMatchObject({ taskId: t.task_id, videos: [expect.objectContaining({ id: t.task_result.videos[0].id })] });
		}
		// a header with another value is no watcher, nor is another header with the value 1
		const { ctx } = call(claim(t.task_id), { headers: { [WATCHER_HEADER]: '0' } });
		await handleWaitWebhook(ctx, hook());
		const other = call(claim(t.task_id), { headers: { 'x-other': '1' } });
		await handleWaitWebhook(other.ctx, hook());
		expect(gets(t.task_id)).toBe(3);
	});

	test('Confirm With Kling API: the API decides; a task the API says is still running keeps the execution waiting', async () => {
		const t = sim.insertTask('textToVideo', { task_status: 'processing' });
		const { ctx } = call(claim(t.task_id));
		expect(await handleWaitWebhook(ctx, hook({ confirmWithApi: true }))).toEqual({ webhookResponse: { received: true, taskId: t.task_id, status: 'processing', waiting: true } });
		expect(gets(t.task_id)).toBe(1);
	});

	test('a confirmation that fails keeps the execution waiting and is logged', async () => {
		const { ctx, warnings } = call(claim('unknown-task'));
		expect(await handleWaitWebhook(ctx, hook({ confirmWithApi: true }))).toEqual({ webhookResponse: { received: true, taskId: 'unknown-task', confirmed: false, waiting: true } });
		expect(warnings).toHaveLength(1);
		expect(warnings[0]).toMatch(/^Kling AI: could not confirm task unknown-task with the API: \S/);
	});

	test('with a webhook secret: a valid signature is believed without a query; a bad one is refused 401; an unsigned call is confirmed with the API', async () => {
		const t = sim.insertTask('textToVideo', { task_status: 'processing' });
		const body = claim(t.task_id);
		const raw = Buffer.from(JSON.stringify(body));
		const now = 1_800_000_000;
		const signed = (b: Buffer, ts = now) => ({ 'webhook-id': 'msg_1', 'webhook-timestamp': String(ts), 'webhook-signature': signWebhook(WHSEC, 'msg_1', ts, b) });

		const good = call(body, { raw, headers: signed(raw), creds: { webhookSecret: ` ${WHSEC} ` } });
		const ok = await handleWaitWebhook(good.ctx, hook({ nowSeconds: now }));
		expect(ok.workflowData?.[0][0].json.taskId).toBe(t.task_id);
		expect(gets(t.task_id)).toBe(0);

		// no raw body kept by n8n: the JSON of the parsed body is what was signed
		const noRaw = call(body, { raw: null, headers: signed(raw), creds: { webhookSecret: WHSEC } });
		expect((await handleWaitWebhook(noRaw.ctx, hook({ nowSeconds: now }))).workflowData).toBeDefined();

		const bad = call(body, { raw, headers: { ...signed(raw), 'webhook-signature': 'v1,AAAA' }, creds: { webhookSecret: WHSEC } });
		expect(await handleWaitWebhook(bad.ctx, hook({ nowSeconds: now }))).toEqual({ noWebhookResponse: true });
		expect(bad.response).toEqual({ statusCode: 401, body: { error: 'Invalid webhook signature', reason: 'bad_signature' }, ended: true });
		expect(bad.warnings).toEqual(['Kling AI: callback to the resume URL rejected (bad_signature); the execution keeps waiting']);

		// the signature's time is checked against nowSeconds (or the real clock): an hour off is stale
		const stale = call(body, { raw, headers: signed(raw), creds: { webhookSecret: WHSEC } });
		await handleWaitWebhook(stale.ctx, hook({ nowSeconds: now + 3_600 }));
		expect(stale.response.statusCode).toBe(401);
		const realClock = call(body, { raw, headers: signed(raw, Math.floor(Date.now() / 1000)), creds: { webhookSecret: WHSEC } });
		expect((await handleWaitWebhook(realClock.ctx, hook())).workflowData).toBeDefined();

		const unsigned = call(body, { raw, headers: { 'content-type': 'application/json' }, creds: { webhookSecret: WHSEC } });
		expect(await handleWaitWebhook(unsigned.ctx, hook())).toEqual({ webhookResponse: { received: true, taskId: t.task_id, status: 'processing', waiting: true } });
		expect(gets(t.task_id)).toBe(1);

		// a credential saved without the field (no secret) believes unsigned calls
		const legacyCreds = call(body, { raw, creds: { webhookSecret: undefined } });
		expect((await handleWaitWebhook(legacyCreds.ctx, hook())).workflowData).toBeDefined();
		expect(gets(t.task_id)).toBe(1);

		// a secret of blanks is no secret, and a signature without a secret is not checked
		const blank = call(body, { raw, headers: { ...signed(raw), 'webhook-signature': 'v1,AAAA' }, creds: { webhookSecret: '   ' } });
		expect((await handleWaitWebhook(blank.ctx, hook())).workflowData).toBeDefined();
		expect(gets(t.task_id)).toBe(1);
	});

	test('a body that is not a task is refused 400 with its reason; the execution keeps waiting', async () => {
		for (const [body, reason] of [
			[[1, 2], 'not_a_task'],
			[{ hello: 'world' }, 'no_task_id'],
			['{not json', 'not_json'],
		] as Array<[unknown, string]>) {
			const { ctx, response, warnings } = call(body);
			expect(await handleWaitWebhook(ctx, hook())).toEqual({ noWebhookResponse: true });
			expect(response.statusCode).toBe(400);
			expect(response.body).toMatchObject({ reason, error: expect.stringMatching(/^Body /) });
			expect(warnings).toEqual([`Kling AI: callback to the resume URL rejected (${reason}); the execution keeps waiting`]);
		}
	});

	test('a call for another task than the waited one is acknowledged and ignored; the waited one resumes', async () => {
		const waited = sim.insertTask('textToVideo', { task_status: 'succeed' });
		const other = sim.insertTask('textToVideo', { task_status: 'succeed' });
		const waiting = { resultData: { runData: {}, metadata: { [WAITING_TASK_KEY]: waited.task_id } } } as unknown as IRunExecutionData;
		const late = call(other, { waiting });
		expect(await handleWaitWebhook(late.ctx, hook({ confirmWithApi: true }))).toEqual({ webhookResponse: { received: true, taskId: other.task_id, ignored: 'other_task', waiting: true } });
		expect(late.warnings).toEqual([`Kling AI: a callback for task ${other.task_id} reached the resume URL of a wait for task ${waited.task_id}; ignored`]);
		expect(gets(other.task_id)).toBe(0);
		const own = call(waited, { waiting });
		expect((await handleWaitWebhook(own.ctx, hook())).workflowData?.[0][0].json.taskId).toBe(waited.task_id);
	});

	test('a failed task resumes on Failed; a succeeded one is downloaded, and a failed download goes to Failed (the webhook never throws for it)', async () => {
		const failed = sim.insertTask('textToVideo', { task_status: 'failed' });
		const download = { enabled: true, binaryProperty: 'clip', watermarked: false };
		const f = call(failed);
		// (Download Results on: a failed task is not downloaded — no binary at all, not even an empty one)
		expect((await handleWaitWebhook(f.ctx, hook({ download }))).workflowData).toEqual([[], [{ json: expect.objectContaining({ taskId: failed.task_id, status: 'failed' }), pairedItem: { item: 0 } }]]);

		const good = sim.insertTask('textToVideo', { task_status: 'succeed' });
		const g = call(good);
		const [[item]] = (await handleWaitWebhook(g.ctx, hook({ download }))).workflowData!;
		expect(item.binary?.clip).toMatchObject({ mimeType: 'video/mp4' });

		const broken = { ...good, task_result: { videos: [{ id: 'v', url: 'http://127.0.0.1:1/gone.mp4', duration: '5' }] } };
		const b = call(broken);
		const res = await handleWaitWebhook(b.ctx, hook({ download }));
		expect(b.response.body).toMatchObject({ resumed: true });
		expect(res.workflowData?.[0]).toEqual([]);
		expect(res.workflowData?.[1][0].json).toMatchObject({ taskId: good.task_id, downloadFailed: true });
	});

	test('a terminal call stops the watcher of its task', async () => {
		const ctx = executeContext(setupFor(), [{ json: {} }], 'trigger');
		let release!: () => void;
		const gate = new Promise<void>((r) => (release = r));
		const slow: Clock = { now: () => START, sleep: async () => await gate };
		await createAndWait(ctx, settings({ mode: 'callback', clock: slow, create: creator(ctx) }));
		expect(activeWatchers()).toBe(1);
		sim.advance(taskIdOf(0), 'succeed');
		const { ctx: hookCtx } = call(sim.task(taskIdOf(0))!.task);
		await handleWaitWebhook(hookCtx, hook());
		expect(activeWatchers()).toBe(0);
		release();
		await new Promise((r) => setTimeout(r, 50));
		expect(resume.watcherPosts()).toEqual([]);
	});
});

describe('a task is looked up with its own type, not the operation that created it (a new-standard model behind Text to Video)', () => {
	const apiKey = { authType: 'apiKey', apiKey: TEST_KEYS.apiKey };

	async function createNs(): Promise<KlingTaskItem> {
		const ctx = executeContext({ ...setupFor({}, apiKey), parameters: { resource: 'video', operation: 'textToVideo', model: 'kling-3.0-turbo', prompt: 'a fox' } }, [{ json: {} }], 'trigger');
		const [[created]] = await node.execute!.call(ctx);
		expect(created.json.taskType).toBe('newStandard');
		return created.json as unknown as KlingTaskItem;
	}
	const nsGets = (id: string) => sim.requests.filter((r) => r.method === 'GET' && r.path === '/tasks' && (r.query.task_ids === id || r.query.external_task_ids === id)).length;

	test('Poll: the node polls GET /tasks and routes the finished task', async () => {
		const created = await createNs();
		const ctx = executeContext(setupFor({}, apiKey), [{ json: {} }], 'trigger');
		const clock = scheduledClock([{ at: 20_000, run: () => sim.advance(created.taskId, 'succeed') }]);
		const [[done]] = await createAndWait(ctx, settings({ taskType: 'textToVideo', clock, create: async () => created }));
		expect(done.json).toMatchObject({ taskId: created.taskId, status: 'succeeded', taskType: 'newStandard' });
		expect(nsGets(created.taskId)).toBe(1);
	});

	test('Callback: the watcher checks with GET /tasks and resumes', async () => {
		const created = await createNs();
		const ctx = executeContext(setupFor({}, apiKey), [{ json: {} }], 'trigger');
		const clock = scheduledClock([{ at: 1_000, run: () => sim.advance(created.taskId, 'succeed') }]);
		resume.clock = clock;
		await createAndWait(ctx, settings({ mode: 'callback', taskType: 'textToVideo', limitMinutes: 1, clock, create: async () => created }));
		await sim.waitFor(() => activeWatchers() === 0, 5_000);
		expect(resume.watcherPosts().map((p) => p.body.task_id)).toEqual([created.taskId]);
		expect(nsGets(created.taskId)).toBe(1);
	});

	test('the resume webhook confirms a new-standard callback with GET /tasks', async () => {
		const created = await createNs();
		sim.advance(created.taskId, 'succeed');
		const ctx = executeContext(setupFor({}, apiKey), [{ json: {} }], 'trigger');
		const finished = await getTask(ctx, 'newStandard', created.taskId);
		const before = nsGets(created.taskId);
		const { ctx: hookCtx } = webhookContext(setupFor({}, apiKey), { body: finished.raw, rawBody: Buffer.from(JSON.stringify(finished.raw)), headers: {}, query: {} }, 'webhook', null);
		const res = await handleWaitWebhook(hookCtx, { taskType: 'textToVideo', confirmWithApi: true, limitMinutes: 30, download: { enabled: false, binaryProperty: 'data', watermarked: false } });
		expect(res.workflowData?.[0][0].json).toMatchObject({ taskId: created.taskId, status: 'succeeded', taskType: 'newStandard' });
		expect(nsGets(created.taskId)).toBe(before + 1);
	});
});
