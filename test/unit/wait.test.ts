/**
 * shared/wait.ts, the parts a user sees without a server: which output an item goes to, what a timed-out or
 * failed item says, how long n8n's own wait outlives the limit, the polling state machine's edges and the
 * watcher's outcomes (fake clock, no real sleeps). Written against mutation-testing survivors (issue 16).
 */
import { NodeApiError, NodeOperationError, type INode } from 'n8n-workflow';
import {
	FAILED_OUTPUT,
	SUCCEEDED_OUTPUT,
	WaitCancelledError,
	activeWatchers,
	errorJson,
	graceMs,
	outputOf,
	pollUntilFinished,
	runWatcher,
	setWaitingTask,
	sleepUnlessCancelled,
	stopWatcher,
	timedOutJson,
	toNodeError,
	waitingTaskOf,
	WAITING_TASK_KEY,
	type Clock,
	type TaskWatch,
} from '../../nodes/KlingAi/shared/wait';
import type { KlingTaskItem } from '../../nodes/KlingAi/shared/task';
import { fakeClock } from '../helpers/fakeClock';

const NODE: INode = { id: 'n1', name: 'Kling AI', type: 'klingAi', typeVersion: 1, position: [0, 0], parameters: {} };

const task = (status: KlingTaskItem['status'], updatedAtMs: number | null = 1, extra: Partial<KlingTaskItem> = {}): KlingTaskItem =>
	({ taskId: 't1', externalTaskId: 'e1', status, updatedAtMs, finished: status === 'succeeded' || status === 'failed', ...extra }) as KlingTaskItem;

describe('outputs and item texts', () => {
	test('only a succeeded task without error or timeout goes to Succeeded', () => {
		expect(SUCCEEDED_OUTPUT).toBe(0);
		expect(FAILED_OUTPUT).toBe(1);
		expect(outputOf({ itemIndex: 0, task: task('succeeded') })).toBe(0);
		expect(outputOf({ itemIndex: 0, task: task('failed') })).toBe(1);
		expect(outputOf({ itemIndex: 0, task: task('succeeded'), error: new Error('x') })).toBe(1);
		expect(outputOf({ itemIndex: 0, task: task('succeeded'), timedOut: true })).toBe(1);
		expect(outputOf({ itemIndex: 0 })).toBe(1);
	});

	test('a timed-out item keeps the task and says what to do', () => {
		const json = timedOutJson(task('processing', 1, { taskId: 'tx' }), 15);
		expect(json).toMatchObject({ taskId: 'tx', status: 'processing', waitTimedOut: true });
		expect(json.error).toBe('Kling task tx did not finish within the time limit of 15 minutes (last status: processing)');
		expect(json.errorDescription).toMatch(/Get Task.*Poll Trigger.*Time Limit \(Minutes\)/);
	});

	test('an error item carries the message, and the description only when there is one', () => {
		expect(errorJson(new Error('boom'))).toEqual({ error: 'boom' });
		expect(errorJson('plain')).toEqual({ error: 'plain' });
		expect(errorJson(Object.assign(new Error('bad'), { description: 'why' }))).toEqual({ error: 'bad', errorDescription: 'why' });
		expect(errorJson(Object.assign(new Error('bad'), { description: '' }))).toEqual({ error: 'bad' });
		expect(errorJson(Object.assign(new Error('bad'), { description: 5 }))).toEqual({ error: 'bad' });
		expect(errorJson(undefined)).toEqual({ error: 'undefined' });
	});

	test('toNodeError keeps n8n errors, names the item for anything else', () => {
		const api = new NodeApiError(NODE, { message: 'x' });
		const op = new NodeOperationError(NODE, 'y');
		expect(toNodeError(NODE, api, 3)).toBe(api);
		expect(toNodeError(NODE, op, 3)).toBe(op);
		const cancelled = toNodeError(NODE, new WaitCancelledError(), 2);
		expect(cancelled).toBeInstanceOf(NodeOperationError);
		expect(cancelled.message).toBe('The execution was cancelled while waiting for Kling');
		expect(cancelled.context.itemIndex).toBe(2);
		const wrapped = toNodeError(NODE, new Error('disk full'), 1);
		expect(wrapped).toBeInstanceOf(NodeOperationError);
		expect(wrapped.message).toBe('disk full');
		expect(wrapped.context.itemIndex).toBe(1);
		expect(toNodeError(NODE, 'text', 0).message).toBe('text');
	});

	test('n8n waits 10 % longer than the limit, at least 10 s and at most 60 s', () => {
		expect(graceMs(0)).toBe(10_000);
		expect(graceMs(100_000)).toBe(10_000);
		expect(graceMs(200_000)).toBe(20_000);
		expect(graceMs(200_004)).toBe(20_000);
		expect(graceMs(200_006)).toBe(20_001);
		expect(graceMs(600_000)).toBe(60_000);
		expect(graceMs(3_600_000)).toBe(60_000);
	});
});

describe('the waited task in execution custom data', () => {
	test('recorded with the context custom data, else with $execution.customData (n8n 2.8), read back the same ways', () => {
		const store = new Map<string, string>();
		const customData = { set: (k: string, v: string) => store.set(k, v), get: (k: string) => store.get(k) };
		setWaitingTask({ customData, logger: { debug: () => undefined }, getWorkflowDataProxy: () => ({}) } as never, 'task-1');
		expect(store.get(WAITING_TASK_KEY)).toBe('task-1');
		expect(waitingTaskOf({ customData } as never)).toBe('task-1');

		const legacy = new Map<string, string>();
		setWaitingTask({ customData: undefined, logger: { debug: () => undefined }, getWorkflowDataProxy: () => ({ $execution: { customData: { set: (k: string, v: string) => legacy.set(k, v) } } }) } as never, 'task-2');
		expect(legacy.get(WAITING_TASK_KEY)).toBe('task-2');
		const expressions: string[] = [];
		expect(waitingTaskOf({ customData: undefined, evaluateExpression: (e: string) => (expressions.push(e), legacy.get(WAITING_TASK_KEY)) } as never)).toBe('task-2');
		expect(expressions[0]).toContain(`$execution.customData.get("${WAITING_TASK_KEY}")`);
	});

	test('nothing recorded, an empty value or a failing lookup: no task (never an error)', () => {
		expect(waitingTaskOf({ customData: { get: () => undefined } } as never)).toBeUndefined();
		expect(waitingTaskOf({ customData: { get: () => '' } } as never)).toBeUndefined();
		expect(waitingTaskOf({ customData: undefined, evaluateExpression: () => { throw new Error('no proxy'); } } as never)).toBeUndefined();
		const debug: string[] = [];
		setWaitingTask({ customData: { set: () => { throw new Error('read-only'); } }, logger: { debug: (m: string) => debug.push(m) }, getWorkflowDataProxy: () => ({}) } as never, 't');
		expect(debug).toEqual(["Kling AI: could not record the waited task in the execution's custom data: read-only"]);
	});
});

describe('sleepUnlessCancelled', () => {
	test('sleeps the whole time in slices, the last one shorter', async () => {
		const clock = fakeClock();
		await sleepUnlessCancelled(1_200, clock, undefined, 500);
		expect(clock.slept).toEqual([500, 500, 200]);
	});

	test('no time (or negative time) means no sleep; an aborted signal throws at once', async () => {
		const clock = fakeClock();
		await sleepUnlessCancelled(0, clock);
		await sleepUnlessCancelled(-5_000, clock);
		expect(clock.slept).toEqual([]);
		const abort = new AbortController();
		abort.abort();
		await expect(sleepUnlessCancelled(0, clock, abort.signal)).rejects.toBeInstanceOf(WaitCancelledError);
	});

	test('the default slice is 500 ms', async () => {
		const clock = fakeClock();
		await sleepUnlessCancelled(1_000, clock);
		expect(clock.slept).toEqual([500, 500]);
	});
});

describe('pollUntilFinished edges', () => {
	const settings = (clock: Clock, over = {}) => ({ deadlineMs: clock.now() + 10_000, intervalMs: 1_000, maxIntervalMs: 1_000, backoff: 1, ...over });

	test('an answer without external id keeps the one known from the create', async () => {
		const clock = fakeClock();
		const watches: TaskWatch[] = [{ itemIndex: 0, task: task('submitted') }];
		await pollUntilFinished(async () => task('succeeded', 2, { externalTaskId: null }), watches, settings(clock), clock);
		expect(watches[0].task).toMatchObject({ status: 'succeeded', externalTaskId: 'e1' });
	});

	test('a stale answer (older state) is ignored; the same state with news replaces it', async () => {
		const clock = fakeClock();
		const answers = [task('submitted', 5, { progress: 'stale' } as never), task('processing', 1, { note: 'same' } as never), task('succeeded', 9)];
		const watches: TaskWatch[] = [{ itemIndex: 0, task: task('processing', 3) }];
		const seen: unknown[] = [];
		await pollUntilFinished(
			async (w) => {
				seen.push({ ...w.task });
				return answers.shift()!;
			},
			watches,
			settings(clock),
			clock,
		);
		expect(seen).toEqual([
			expect.objectContaining({ status: 'processing', updatedAtMs: 3 }),
			expect.objectContaining({ status: 'processing', updatedAtMs: 3 }),
			expect.objectContaining({ status: 'processing', note: 'same' }),
		]);
		expect(watches[0].task?.status).toBe('succeeded');
	});

	test('nothing to poll: no sleep; a past deadline: timed out without a query', async () => {
		const clock = fakeClock();
		const done: TaskWatch[] = [{ itemIndex: 0, task: task('succeeded') }, { itemIndex: 1, error: new Error('x') }, { itemIndex: 2 }];
		await pollUntilFinished(async () => { throw new Error('not called'); }, done, settings(clock), clock);
		expect(clock.slept).toEqual([]);
		expect(done.map((w) => w.timedOut)).toEqual([undefined, undefined, undefined]);

		let calls = 0;
		const late: TaskWatch[] = [{ itemIndex: 0, task: task('processing') }];
		await pollUntilFinished(async () => (calls++, task('succeeded')), late, settings(clock, { deadlineMs: clock.now() }), clock);
		expect(calls).toBe(0);
		expect(late[0].timedOut).toBe(true);
	});

	test('cancellation between two tasks of a round stops the wait', async () => {
		const clock = fakeClock();
		const abort = new AbortController();
		const watches: TaskWatch[] = [
			{ itemIndex: 0, task: task('processing') },
			{ itemIndex: 1, task: task('processing', 1, { taskId: 't2' }) },
		];
		const polled: string[] = [];
		const run = pollUntilFinished(
			async (w) => {
				polled.push(w.task.taskId);
				abort.abort();
				return task('processing', 2, { taskId: w.task.taskId });
			},
			watches,
			settings(clock),
			clock,
			abort.signal,
		);
		await expect(run).rejects.toBeInstanceOf(WaitCancelledError);
		expect(polled).toEqual(['t1']);
	});
});

describe('runWatcher outcomes', () => {
	const plan = (clock: Clock, taskId: string, over = {}) => ({ taskId, checkAtMs: clock.now() + 1_000, pollUntilMs: clock.now() + 1_000, intervalMs: 500, maxIntervalMs: 500, ...over });

	test('a failing task lookup ends the watcher with "error" and a log line naming the task', async () => {
		const clock = fakeClock();
		const logs: string[] = [];
		const out = await runWatcher(plan(clock, 'we1'), { clock, fetch: async () => { throw new Error('HTTP 500'); }, resume: async () => 'resumed', log: (m) => logs.push(m) });
		expect(out).toBe('error');
		expect(logs).toEqual(['Kling AI: checking task we1 after the wait failed: HTTP 500']);
		expect(activeWatchers()).toBe(0);
	});

	test('a failing poll during Callback-then-Poll is an error too, and a failing resume is logged', async () => {
		const clock = fakeClock();
		const logs: string[] = [];
		let n = 0;
		const fetch = async () => {
			if (++n === 1) return task('processing');
			throw new Error('gone');
		};
		expect(await runWatcher(plan(clock, 'we2', { pollUntilMs: clock.now() + 5_000 }), { clock, fetch, resume: async () => 'resumed', log: (m) => logs.push(m) })).toBe('error');
		expect(logs).toEqual(['Kling AI: checking task we2 after the wait failed: gone']);
		expect(await runWatcher(plan(clock, 'we3'), { clock, fetch: async () => task('succeeded'), resume: async () => { throw 'refused'; }, log: (m) => logs.push(m) })).toBe('error');
		expect(logs[1]).toBe('Kling AI: checking task we3 after the wait failed: refused');
	});

	test('Callback then Poll: polls until the limit and resumes with the finished task', async () => {
		const clock = fakeClock();
		const answers = [task('processing', 1), task('processing', 2), task('succeeded', 3)];
		const resumed: KlingTaskItem[] = [];
		const out = await runWatcher(plan(clock, 'wp', { pollUntilMs: clock.now() + 10_000 }), { clock, fetch: async () => answers.shift()!, resume: async (t) => (resumed.push(t), 'resumed') });
		expect(out).toBe('resumed');
		expect(resumed.map((t) => t.updatedAtMs)).toEqual([3]);
	});

	test('the check waits until checkAtMs (in 1 s slices), then checks once', async () => {
		const clock = fakeClock();
		const start = clock.now();
		let checkedAt = 0;
		await runWatcher(plan(clock, 'wt', { checkAtMs: start + 2_500, pollUntilMs: start + 2_500 }), { clock, fetch: async () => ((checkedAt = clock.now()), task('processing')), resume: async () => 'resumed' });
		expect(checkedAt).toBe(start + 2_500);
		expect(clock.slept).toEqual([1_000, 1_000, 500]);
	});

	test('a newer watcher for the same task replaces the older one, which then stops; the newer one stays registered until it ends', async () => {
		const clock = fakeClock();
		let release!: () => void;
		const gate = new Promise<void>((r) => (release = r));
		const slowClock: Clock = { now: clock.now, sleep: async (ms) => { await gate; await clock.sleep(ms); } };
		const first = runWatcher(plan(clock, 'dup'), { clock: slowClock, fetch: async () => task('succeeded'), resume: async () => 'resumed' });
		const second = runWatcher(plan(clock, 'dup'), { clock: slowClock, fetch: async () => task('succeeded'), resume: async () => 'resumed' });
		expect(activeWatchers()).toBe(1);
		release();
		expect(await first).toBe('stopped');
		expect(await second).toBe('resumed');
		expect(activeWatchers()).toBe(0);
		stopWatcher('none');
	});
});

// Survivors of the mutation run on wait.ts (TESTING.md, "wait.ts"): each test names what a mutant broke.
describe('wait.ts details a user or an operator sees', () => {
	test('without custom data anywhere (no context custom data, no $execution or no customData on it) recording is a silent no-op', () => {
		for (const proxy of [{}, { $execution: {} }, { $execution: { customData: undefined } }]) {
			const debug: string[] = [];
			setWaitingTask({ customData: undefined, logger: { debug: (m: string) => debug.push(m) }, getWorkflowDataProxy: () => proxy } as never, 't');
			expect(debug).toEqual([]);
		}
	});

	test('a recorded value that is not a string (an expression can give a number or an object) is no task', () => {
		expect(waitingTaskOf({ customData: undefined, evaluateExpression: () => 42 } as never)).toBeUndefined();
		expect(waitingTaskOf({ customData: undefined, evaluateExpression: () => ({ id: 't' }) } as never)).toBeUndefined();
		expect(waitingTaskOf({ customData: { get: () => 7 } } as never)).toBeUndefined();
	});

	test('a cancelled wait is a NodeOperationError whose cause is named WaitCancelledError (as logged by n8n)', () => {
		const err = toNodeError(NODE, new WaitCancelledError(), 0) as NodeOperationError & { cause?: Error };
		expect(err.cause?.name).toBe('WaitCancelledError');
		expect(new WaitCancelledError().name).toBe('WaitCancelledError');
	});

	test('rounds are numbered 1, 2, 3; the last sleep is cut to end at the deadline; the interval grows by the backoff up to its maximum', async () => {
		const clock = fakeClock(0);
		const rounds: Array<[number, number]> = [];
		const watches: TaskWatch[] = [{ itemIndex: 0, task: task('processing') }];
		// 1 000 → 1 500 → 2 000 (cap) → 2 000 …; deadline at 6 800: rounds at 1 000, 2 500, 4 500, 6 500, 6 800
		await pollUntilFinished(async (w) => w.task, watches, { deadlineMs: 6_800, intervalMs: 1_000, maxIntervalMs: 2_000, backoff: 1.5 }, clock, undefined, (r) => rounds.push([r, clock.now()]));
		expect(rounds).toEqual([
			[1, 1_000],
			[2, 2_500],
			[3, 4_500],
			[4, 6_500],
			[5, 6_800],
		]);
		expect(watches[0].timedOut).toBe(true);
	});

	test('a watcher whose task is still unfinished at the limit ends "unfinished" and resumes nothing', async () => {
		const clock = fakeClock();
		const resumed: string[] = [];
		const plan = { taskId: 'wu', checkAtMs: clock.now() + 1_000, pollUntilMs: clock.now() + 3_000, intervalMs: 1_000, maxIntervalMs: 1_000 };
		let fetches = 0;
		const out = await runWatcher(plan, { clock, fetch: async () => (fetches++, task('processing', fetches)), resume: async (t) => (resumed.push(t.taskId), 'resumed') });
		expect(out).toBe('unfinished');
		expect(resumed).toEqual([]);
		expect(fetches).toBe(3); // at 1 000 (the check), 2 000 and 3 000 (the limit)
	});

	test('a check at the limit that finds the task finished resumes once, without polling; n8n answering 409 (already resumed) is "stopped"', async () => {
		const clock = fakeClock();
		let fetches = 0;
		const resumed: number[] = [];
		const plan = { taskId: 'wl', checkAtMs: clock.now() + 1_000, pollUntilMs: clock.now() + 1_000, intervalMs: 500, maxIntervalMs: 500 };
		expect(await runWatcher(plan, { clock, fetch: async () => (fetches++, task('failed', 4)), resume: async (t) => (resumed.push(t.updatedAtMs!), 'alreadyResumed') })).toBe('stopped');
		expect(fetches).toBe(1);
		expect(resumed).toEqual([4]);
	});

	test('a watcher stopped while it fetches (a callback resumed the execution meanwhile) does not resume', async () => {
		const clock = fakeClock();
		const resumed: string[] = [];
		const plan = { taskId: 'ws', checkAtMs: clock.now(), pollUntilMs: clock.now(), intervalMs: 500, maxIntervalMs: 500 };
		const out = await runWatcher(plan, {
			clock,
			fetch: async () => {
				stopWatcher('ws');
				return task('succeeded');
			},
			resume: async (t) => (resumed.push(t.taskId), 'resumed'),
		});
		expect(out).toBe('stopped');
		expect(resumed).toEqual([]);
	});

	test('a failing watcher without a log function still ends with "error" (it never throws)', async () => {
		const clock = fakeClock();
		const plan = { taskId: 'wn', checkAtMs: clock.now(), pollUntilMs: clock.now(), intervalMs: 500, maxIntervalMs: 500 };
		await expect(runWatcher(plan, { clock, fetch: async () => { throw new Error('down'); }, resume: async () => 'resumed' })).resolves.toBe('error');
	});

	test('when an older watcher of the same task ends, the newer one stays registered', async () => {
		const clock = fakeClock();
		let releaseOld!: () => void;
		const oldGate = new Promise<void>((r) => (releaseOld = r));
		let releaseNew!: () => void;
		const newGate = new Promise<void>((r) => (releaseNew = r));
		const plan = { taskId: 'wr', checkAtMs: clock.now() + 500, pollUntilMs: clock.now() + 500, intervalMs: 500, maxIntervalMs: 500 };
		const older = runWatcher(plan, { clock: { now: clock.now, sleep: async (ms) => { await oldGate; await clock.sleep(ms); } }, fetch: async () => task('succeeded'), resume: async () => 'resumed' });
		const newer = runWatcher({ ...plan, checkAtMs: clock.now() }, { clock, fetch: async () => (await newGate, task('succeeded')), resume: async () => 'resumed' });
		releaseOld();
		expect(await older).toBe('stopped');
		expect(activeWatchers()).toBe(1);
		releaseNew();
		expect(await newer).toBe('resumed');
		expect(activeWatchers()).toBe(0);
	});
});
