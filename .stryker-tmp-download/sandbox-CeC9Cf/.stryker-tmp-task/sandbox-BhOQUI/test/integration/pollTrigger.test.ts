/**
 * Kling AI Poll Trigger through the REAL n8n-core TriggerContext against the Kling simulator (real HTTP,
 * real credential signing). n8n's side of emit() (static data saved on every emit, executions unique by
 * de-duplication key) is modelled by FakeDb; `restart()` stands for a process restart.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { KlingAiPollTrigger, CURSOR_KEY, POLL_INTERVALS, PollTriggerRunner } from '../../nodes/KlingAi/KlingAiPollTrigger.node';
import { emitterFor, resetEmitters } from '../../nodes/KlingAi/shared/exactlyOnce';
import { KlingAiTrigger } from '../../nodes/KlingAi/KlingAiTrigger.node';
import { MAX_PAGE_SIZE } from '../../nodes/KlingAi/shared/api';
import { TASK_TYPES } from '../../nodes/KlingAi/shared/endpoints';
import { STATIC_DATA_KEY, ledgerFor, resetLedgers } from '../../nodes/KlingAi/shared/ledger';
import { parseTaskPayload } from '../../nodes/KlingAi/shared/task';
import { initBinaryData, simulatorCredentials, triggerContext, webhookContext } from '../helpers/n8n';

interface Sim {
	url: string;
	requests: Array<{ method: string; path: string; query: IDataObject }>;
	setOptions(o: IDataObject): void;
	insertTask(type: string, overrides?: IDataObject): IDataObject & { task_id: string; created_at: number };
	advance(taskId: string, status: string, message?: string): IDataObject;
	tasks(): IDataObject[];
	reset(): void;
	close(): Promise<void>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startSimulator } = require('../simulator') as { startSimulator: (o?: IDataObject) => Promise<Sim> };

jest.setTimeout(120_000);

const HOUR = 3_600_000;
const node = new KlingAiPollTrigger();
const T2V = '/v1/videos/text2video';

let sim: Sim;

beforeAll(async () => {
	sim = await startSimulator({ autoAdvance: false, callbacks: { progress: false } });
	await initBinaryData();
});
afterAll(async () => {
	await sim?.close();
});
beforeEach(() => {
	sim.reset();
	resetLedgers();
	resetEmitters();
});

interface PollRun {
	out: INodeExecutionData[][] | null;
	staticData: IDataObject;
	listCalls: number;
	succeeded: string[];
	failed: string[];
	/** Emissions n8n refused because their de-duplication key already had an execution. */
	refused: string[];
}

/**
 * What n8n keeps in its database for one workflow: the static data it saved (on every emit, whole
 * object, as trigger-execution-context.factory does) and the executions, with the unique index on the
 * de-duplication key (a second emit with a known key starts nothing, as DuplicateExecutionError does).
 */
class FakeDb {
	staticData: IDataObject = {};
	executions: Array<{ key?: string; data: INodeExecutionData[][] }> = [];
	refused: string[] = [];
	/** The process dies after n8n saved static data for the next emit, before the execution row exists. */
	crashAfterSave = false;
	crashed = false;
	/**
	 * n8n is slow to create execution rows: each emit saves static data at once, as n8n does, but its row
	 * waits in `held` until `settle()`; `crash()` kills the process with those rows never written.
	 */
	holdRows = false;
	held: Array<{ key?: string; data: INodeExecutionData[][] }> = [];
	emit(workflowStaticData: IDataObject, data: INodeExecutionData[][], key?: string): void {
		if (this.crashed) return;
		this.staticData = JSON.parse(JSON.stringify(workflowStaticData)) as IDataObject;
		if (this.crashAfterSave) {
			this.crashed = true;
			return;
		}
		if (this.holdRows) {
			this.held.push({ key, data });
			return;
		}
		this.insert(key, data);
	}
	private insert(key: string | undefined, data: INodeExecutionData[][]): void {
		if (key !== undefined && this.executions.some((e) => e.key === key)) {
			this.refused.push(key);
			return;
		}
		this.executions.push({ key, data });
	}
	settle(): void {
		for (const { key, data } of this.held.splice(0)) this.insert(key, data);
		this.holdRows = false;
	}
	crash(): void {
		this.held = [];
		this.holdRows = false;
		this.crashed = true;
	}
}

/**
 * One n8n process running one activated poll trigger, through the real n8n-core TriggerContext: n8n's
 * emit and cron registration are modelled by FakeDb and a tick the test fires. `restart()` drops the
 * process (in-process ledgers and emitters) and activates again from what the DB holds.
 */
const OPEN = new Set<{ close(): Promise<void> }>();
afterEach(async () => {
	for (const h of OPEN) await h.close();
	OPEN.clear();
});

class Harness {
	db = new FakeDb();
	/** What the trigger reported through saveFailedExecution (a failed poll). */
	failures: Error[] = [];
	private emittedMark = 0;
	private refusedMark = 0;
	parameters: IDataObject;
	budgetMs?: number;
	workflowId = 'wf-poll';
	private active?: { runner: PollTriggerRunner; onTick: () => void; close?: () => Promise<void>; workflowStaticData: IDataObject };

	constructor(parameters: IDataObject = {}) {
		this.parameters = { taskTypes: ['textToVideo'], ...parameters };
	}

	get staticData(): IDataObject {
		return this.db.staticData;
	}

	async activate(): Promise<void> {
		let onTick: (() => void) | undefined;
		const holder: { staticData?: IDataObject } = {};
		const { ctx, workflow } = triggerContext(
			{
				nodeType: node,
				parameters: this.parameters,
				credentials: simulatorCredentials(sim.url),
				staticData: JSON.parse(JSON.stringify(this.db.staticData)) as IDataObject,
				workflowId: this.workflowId,
			},
			{
				emit: (data, _r, _d, key) => this.db.emit(holder.staticData ?? {}, data, key),
				registerCron: (cron, tick) => {
					expect(POLL_INTERVALS.map((o) => o.value)).toContain(cron.expression);
					onTick = tick;
				},
				saveFailedExecution: (error) => this.failures.push(error),
			},
		);
		holder.staticData = workflow.staticData as IDataObject;
		const nodeData = this.db.staticData['node:Kling AI Poll Trigger'] as IDataObject | undefined;
		const delayedFirstPoll = !!nodeData?.[CURSOR_KEY] || !!(this.parameters.options as IDataObject | undefined)?.catchUpHours;
		const response = await node.trigger.call(ctx);
		OPEN.add(this);
		// n8n saves static data when activation ends.
		this.db.staticData = JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject;
		const runner = emitterFor(this.workflowId) as PollTriggerRunner;
		expect(runner).toBeInstanceOf(PollTriggerRunner);
		this.active = { runner, onTick: onTick!, close: response.closeFunction, workflowStaticData: workflow.staticData as IDataObject };
		if (delayedFirstPoll) {
			// With a stored cursor the first poll starts just after activation: let it finish first.
			const until = Date.now() + 5_000;
			while (!runner.running && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
			await runner.running;
		}
	}

	async close(): Promise<void> {
		await this.active?.close?.();
		await this.active?.runner.running;
		this.active = undefined;
	}

	async restart(): Promise<void> {
		this.db.crashed = false;
		this.db.crashAfterSave = false;
		await this.close();
		resetLedgers();
		resetEmitters();
		await this.activate();
	}

	async poll(mode: 'trigger' | 'manual' = 'trigger'): Promise<PollRun> {
		if (mode === 'manual') return await this.manual();
		// Emissions count from the end of the previous poll(): a first poll right after a restart's
		// activation belongs to this one. List calls count for this tick only.
		const executionsBefore = this.emittedMark;
		const refusedBefore = this.refusedMark;
		// Activation scans once when no cursor is stored yet (so the starting cursor is saved).
		if (!this.active) await this.activate();
		const before = sim.requests.length;
		const { runner, onTick } = this.active!;
		if (this.budgetMs !== undefined) runner.budgetMs = this.budgetMs;
		onTick();
		await runner.running;
		// Legacy lists (GET ?pageNum) and the new-standard cursor list (POST /tasks).
		const listCalls = sim.requests.slice(before).filter((r) => (r.method === 'GET' && r.query.pageNum !== undefined) || (r.method === 'POST' && r.path === '/tasks')).length;
		const emitted = this.db.executions.slice(executionsBefore);
		this.emittedMark = this.db.executions.length;
		this.refusedMark = this.db.refused.length;
		const out: INodeExecutionData[][] | null = emitted.length
			? [emitted.flatMap((e) => e.data[0] ?? []), emitted.flatMap((e) => e.data[1] ?? [])]
			: null;
		const ids = (i: number) => (out?.[i] ?? []).map((e) => String(e.json.taskId));
		return { out, staticData: this.active!.workflowStaticData, listCalls, succeeded: ids(0), failed: ids(1), refused: this.db.refused.slice(refusedBefore) };
	}

	private async manual(): Promise<PollRun> {
		const emitted: INodeExecutionData[][][] = [];
		const { ctx } = triggerContext(
			{ nodeType: node, parameters: this.parameters, credentials: simulatorCredentials(sim.url), workflowId: this.workflowId },
			{ emit: (data) => emitted.push(data), registerCron: () => undefined },
			'manual',
			'manual',
		);
		const response = await node.trigger.call(ctx);
		await response.manualTriggerFunction!();
		const out = emitted[0] ?? null;
		const ids = (i: number) => (out?.[i] ?? []).map((e) => String(e.json.taskId));
		return { out, staticData: {}, listCalls: 0, succeeded: ids(0), failed: ids(1), refused: [] };
	}
}

const insert = (n: number, status = 'succeed', type = 'textToVideo', overrides: IDataObject = {}) =>
	Array.from({ length: n }, () => sim.insertTask(type, { task_status: status, ...overrides }));

const dupes = (ids: string[]) => ids.filter((id, i) => ids.indexOf(id) !== i);

describe('Kling AI Poll Trigger (real n8n TriggerContext + simulator)', () => {
	it('does not flood history on the first poll (one list call of 500, newest first)', async () => {
		insert(30, 'succeed');
		insert(5, 'failed');
		const h = new Harness();
		const first = await h.poll();
		expect(first.out).toBeNull();
		expect(first.listCalls).toBe(1);
		const call = sim.requests.find((r) => r.path === T2V && r.query.pageNum !== undefined)!;
		expect(call.query).toMatchObject({ pageNum: '1', pageSize: String(MAX_PAGE_SIZE) });
		expect((await h.poll()).out).toBeNull();
		// The cursor lives in node static data, the ledger in global static data.
		const nodeData = h.staticData['node:Kling AI Poll Trigger'] as IDataObject;
		expect(nodeData[CURSOR_KEY]).toBeDefined();
	});

	it('emits each finished task once, on the right output, with the Get Task item shape', async () => {
		const h = new Harness();
		await h.poll();
		const ok = insert(3, 'succeed');
		const bad = insert(2, 'failed');
		const run = await h.poll();
		expect(run.succeeded.sort()).toEqual(ok.map((t) => t.task_id).sort());
		expect(run.failed.sort()).toEqual(bad.map((t) => t.task_id).sort());
		const item = run.out![0][0].json;
		expect(item).toMatchObject({ status: 'succeeded', klingStatus: 'succeed', finished: true, taskType: 'textToVideo', resultKind: 'videos' });
		expect((item.videos as IDataObject[])[0].url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/media\//);
		expect(run.out![1][0].json).toMatchObject({ status: 'failed', finished: true });
		expect((await h.poll()).out).toBeNull();
		expect((await h.poll()).out).toBeNull();
	});

	it('emits a task that was unfinished when seen, once it finishes', async () => {
		const h = new Harness();
		await h.poll();
		const [task] = insert(1, 'processing');
		expect((await h.poll()).out).toBeNull();
		sim.advance(task.task_id, 'succeed');
		expect((await h.poll()).succeeded).toEqual([task.task_id]);
		expect((await h.poll()).out).toBeNull();
	});

	it('emits all of 650 tasks that finish at once, each once', async () => {
		const h = new Harness();
		await h.poll();
		const tasks = insert(650, 'submitted');
		const watching = await h.poll();
		expect(watching.out).toBeNull();
		expect(watching.listCalls).toBe(2);
		tasks.forEach((t, i) => sim.advance(t.task_id, i % 10 === 0 ? 'failed' : 'succeed'));
		const run = await h.poll();
		const all = [...run.succeeded, ...run.failed];
		expect([...all].sort()).toEqual(tasks.map((t) => t.task_id).sort());
		expect(dupes(all)).toEqual([]);
		expect([...run.failed].sort()).toEqual(tasks.filter((_t, i) => i % 10 === 0).map((t) => t.task_id).sort());
		expect((await h.poll()).out).toBeNull();
	});

	it('finds an old task deep in the list (1,200 newer tasks) when it finishes', async () => {
		const h = new Harness();
		await h.poll();
		const [old] = insert(1, 'processing');
		await h.poll();
		const newer = insert(1200, 'succeed');
		const burst = await h.poll();
		expect([...burst.succeeded].sort()).toEqual(newer.map((t) => t.task_id).sort());
		expect(burst.listCalls).toBe(3);
		sim.advance(old.task_id, 'succeed');
		const found = await h.poll();
		expect(found.succeeded).toEqual([old.task_id]);
		expect(found.listCalls).toBe(3);
		// Nothing left to watch: one page per poll again.
		const idle = await h.poll();
		expect(idle.out).toBeNull();
		expect(idle.listCalls).toBe(1);
	});

	it('keeps its cursor across a restart (static data only, fresh in-process ledger)', async () => {
		const h = new Harness();
		await h.poll();
		const [slow] = insert(1, 'processing');
		const done = insert(2, 'succeed');
		expect((await h.poll()).succeeded.sort()).toEqual(done.map((t) => t.task_id).sort());
		await h.restart();
		sim.advance(slow.task_id, 'failed', 'content risk');
		const afterRestart = await h.poll();
		expect(afterRestart.failed).toEqual([slow.task_id]);
		// The saved cursor lags one poll behind: the two tasks are scanned again and n8n's key refuses them.
		expect(afterRestart.succeeded).toEqual([]);
		await h.restart();
		expect((await h.poll()).out).toBeNull();
		expect(h.db.executions.map((e) => e.key).sort()).toEqual(
			[...done.map((t) => `kling:v1:wf-poll:${t.task_id}:succeeded`), `kling:v1:wf-poll:${slow.task_id}:failed`].sort(),
		);
	});

	/** A callback for `taskId` to a Kling AI Trigger of the harness's workflow, in this process. */
	const callback = async (h: Harness, taskId: string, startExecutions = 'auto') => {
		const trigger = new KlingAiTrigger();
		const body = sim.tasks().find((t) => t.task_id === taskId)!;
		const raw = Buffer.from(JSON.stringify(body));
		const { ctx, response } = webhookContext(
			{
				nodeType: trigger,
				parameters: { startExecutions, requireUrlToken: false, confirmWithApi: false, emitProgress: false, downloadResults: false, filters: {} },
				credentials: simulatorCredentials(sim.url),
				workflowId: h.workflowId,
				nodeName: 'Kling AI Trigger',
			},
			{ body, rawBody: raw, headers: { 'content-type': 'application/json' }, query: { kling_type: 'textToVideo' } },
		);
		const result = await trigger.webhook.call(ctx);
		return { result, response };
	};

	it('saves its starting cursor at activation: tasks that finish while n8n is down are emitted after the restart', async () => {
		const h = new Harness();
		await h.activate();
		const [a] = insert(1, 'processing');
		await h.poll();
		// Nothing was emitted yet, so only the activation save holds a cursor. n8n goes down.
		sim.advance(a.task_id, 'succeed');
		const [b] = insert(1, 'succeed');
		await h.restart();
		expect((await h.poll()).succeeded.sort()).toEqual([a.task_id, b.task_id].sort());
	});

	it('a crash after n8n saved static data for an emit, before the execution existed, loses nothing and repeats nothing', async () => {
		const h = new Harness();
		await h.poll();
		const tasks = insert(3, 'succeed');
		h.db.crashAfterSave = true;
		await h.poll();
		expect(h.db.executions).toEqual([]);
		await h.restart();
		expect((await h.poll()).succeeded.sort()).toEqual(tasks.map((t) => t.task_id).sort());
		await h.restart();
		expect((await h.poll()).out).toBeNull();
		expect(h.db.executions).toHaveLength(3);
	});

	it('a crash before the executions of a poll exist loses none of them, though a later hand-over already saved the cursor past them', async () => {
		// Seen in CI (exactlyOnce.e2e): a cron poll emitted tasks that were also being called back; a hand-over emit
		// right after it made n8n save static data with the poll's new cursor; n8n was killed before any execution row
		// existed, and after the restart the poll never looked at those tasks again.
		const h = new Harness();
		await h.poll();
		const [handedOver] = insert(1, 'processing');
		await h.poll();
		const polled = insert(3, 'succeed');
		h.db.holdRows = true;
		expect((await h.poll()).out).toBeNull();
		expect(h.db.held.map((r) => r.key).sort()).toEqual(polled.map((t) => `kling:v1:wf-poll:${t.task_id}:succeeded`).sort());
		sim.advance(handedOver.task_id, 'succeed');
		const { response } = await callback(h, handedOver.task_id);
		expect(response.body).toMatchObject({ startedBy: 'pollTrigger' });
		h.db.crash();
		await h.restart();
		const all = [...polled, handedOver].map((t) => t.task_id).sort();
		expect((await h.poll()).succeeded.sort()).toEqual(all);
		await h.restart();
		expect((await h.poll()).out).toBeNull();
		expect(h.db.executions.map((e) => e.key).sort()).toEqual(all.map((id) => `kling:v1:wf-poll:${id}:succeeded`).sort());
	});

	it('a crash long after the executions of a poll exist repeats nothing: the lag ends', async () => {
		const h = new Harness();
		await h.poll();
		const polled = insert(3, 'succeed');
		const run = await h.poll();
		expect(run.succeeded).toHaveLength(3);
		h.db.settle();
		// The copy n8n may save keeps the emitted tasks watched for a while ...
		expect(JSON.stringify((run.staticData['node:Kling AI Poll Trigger'] as IDataObject)[CURSOR_KEY])).toContain(polled[0].task_id);
		// ... and drops them once their executions surely exist.
		jest.useFakeTimers({ doNotFake: ['setTimeout', 'setInterval', 'setImmediate', 'nextTick', 'queueMicrotask', 'clearTimeout', 'clearInterval', 'performance', 'hrtime'] });
		try {
			jest.setSystemTime(Date.now() + 10 * 60_000);
			const [another] = insert(1, 'succeed');
			const later = await h.poll();
			expect(later.succeeded).toEqual([another.task_id]);
			expect(later.refused).toEqual([]);
			expect(JSON.stringify((later.staticData['node:Kling AI Poll Trigger'] as IDataObject)[CURSOR_KEY])).not.toContain(polled[0].task_id);
			// The next emit saves that copy; after a restart only the newest poll's tasks are looked at again.
			const [last] = insert(1, 'succeed');
			expect((await h.poll()).succeeded).toEqual([last.task_id]);
		} finally {
			jest.useRealTimers();
		}
		await h.restart();
		expect((await h.poll()).out).toBeNull();
		expect(h.db.refused.filter((k) => polled.some((t) => k.includes(t.task_id)))).toEqual([]);
	});

	it('a callback in the process of the Poll Trigger is handed to it: one keyed execution, never again from the poll', async () => {
		const h = new Harness();
		await h.poll();
		const [viaCallback, viaPoll] = insert(2, 'processing');
		await h.poll();
		sim.advance(viaCallback.task_id, 'succeed');
		sim.advance(viaPoll.task_id, 'succeed');

		const { result, response } = await callback(h, viaCallback.task_id);
		// The trigger starts nothing itself; the Poll Trigger emitted the task under its key.
		expect(result.workflowData).toBeUndefined();
		expect(response.statusCode).toBe(200);
		expect(response.body).toMatchObject({ received: true, taskId: viaCallback.task_id, startedBy: 'pollTrigger' });
		expect(h.db.executions.map((e) => e.key)).toEqual([`kling:v1:wf-poll:${viaCallback.task_id}:succeeded`]);
		expect(h.db.executions[0].data[0][0].json).toMatchObject({ taskId: viaCallback.task_id, status: 'succeeded', taskType: 'textToVideo' });

		const run = await h.poll();
		// (poll() reports everything emitted since the last poll: the handed-over task, then viaPoll.)
		expect(run.succeeded).toEqual([viaCallback.task_id, viaPoll.task_id]);
		expect(run.refused).toEqual([]);
		expect(h.db.executions.map((e) => e.key)).toEqual([
			`kling:v1:wf-poll:${viaCallback.task_id}:succeeded`,
			`kling:v1:wf-poll:${viaPoll.task_id}:succeeded`,
		]);

		// A repeated or late callback starts nothing.
		await callback(h, viaPoll.task_id);
		await callback(h, viaCallback.task_id);
		expect(h.db.executions).toHaveLength(2);

		// After a restart the lagging cursor re-scans; n8n's key refuses whatever was emitted already.
		await h.restart();
		const afterRestart = await h.poll();
		expect(afterRestart.out).toBeNull();
		expect(h.db.executions.map((e) => e.key).sort()).toEqual(
			[`kling:v1:wf-poll:${viaCallback.task_id}:succeeded`, `kling:v1:wf-poll:${viaPoll.task_id}:succeeded`].sort(),
		);
	});

	it('"Always From This Trigger": the trigger starts the execution and the Poll Trigger of the process skips the task', async () => {
		const h = new Harness();
		await h.poll();
		const [a] = insert(1, 'processing');
		await h.poll();
		sim.advance(a.task_id, 'succeed');
		const { result } = await callback(h, a.task_id, 'here');
		expect(result.workflowData?.[0]?.map((e) => e.json.taskId)).toEqual([a.task_id]);
		expect((await h.poll()).out).toBeNull();
		expect(h.db.executions).toEqual([]);
	});

	it('"Only Through the Poll Trigger" in a process without it (queue-mode webhook process): acknowledged, emitted once by the poll', async () => {
		const h = new Harness();
		await h.poll();
		const [a] = insert(1, 'processing');
		await h.poll();
		sim.advance(a.task_id, 'succeed');
		// Another process: no Poll Trigger registered there, its own in-process ledger.
		const leader = emitterFor(h.workflowId);
		resetEmitters();
		resetLedgers();
		const { result, response } = await callback(h, a.task_id, 'pollTrigger');
		expect(result.workflowData).toBeUndefined();
		expect(result.webhookResponse).toMatchObject({ received: true, taskId: a.task_id, deferred: true, startedBy: 'pollTrigger' });
		expect(response.statusCode).toBe(200);
		const { result: again } = await callback(h, a.task_id, 'pollTrigger');
		expect(again.workflowData).toBeUndefined();
		// Back on the leader: its next poll emits the task, once.
		expect(leader).toBeDefined();
		const run = await h.poll();
		expect(run.succeeded).toEqual([a.task_id]);
		expect((await h.poll()).out).toBeNull();
		expect(h.db.executions).toHaveLength(1);
	});

	it('"Exactly Once Where Possible" in a process without the Poll Trigger starts the execution itself (never lost)', async () => {
		const h = new Harness();
		await h.poll();
		const [a] = insert(1, 'processing');
		await h.poll();
		sim.advance(a.task_id, 'succeed');
		resetEmitters();
		const { result } = await callback(h, a.task_id, 'auto');
		expect(result.workflowData?.[0]?.map((e) => e.json.taskId)).toEqual([a.task_id]);
	});

	it('skips a task claimed by a callback in the shared ledger (ledger API)', async () => {
		const h = new Harness();
		await h.poll();
		const [a, b] = insert(2, 'succeed');
		const item = parseTaskPayload(sim.tasks().find((t) => t.task_id === a.task_id), 'textToVideo');
		expect(ledgerFor(h.workflowId).claim(item, 'callback')).toBe(true);
		const run = await h.poll();
		expect(run.succeeded).toEqual([b.task_id]);
		expect(ledgerFor(h.workflowId).get(b.task_id)?.via).toBe('poll');
	});

	it('respects the poll budget: stops early and resumes next poll without losing or repeating tasks', async () => {
		const h = new Harness();
		await h.poll();
		const [old] = insert(1, 'processing');
		await h.poll();
		const burst = insert(1200, 'succeed');
		sim.advance(old.task_id, 'succeed');
		h.budgetMs = 0;
		const emitted: string[] = [];
		const calls: number[] = [];
		const late: string[] = [];
		for (let i = 0; i < 8; i++) {
			const run = await h.poll();
			calls.push(run.listCalls);
			emitted.push(...run.succeeded, ...run.failed);
			if (i === 1) late.push(...insert(3, 'succeed').map((t) => t.task_id));
		}
		// Budget 0: exactly one list request per poll.
		expect(calls.every((c) => c === 1)).toBe(true);
		expect(dupes(emitted)).toEqual([]);
		expect(emitted.sort()).toEqual([...burst.map((t) => t.task_id), old.task_id, ...late].sort());
	});

	it('with the default task types reads every type once per idle poll', async () => {
		const h = new Harness({ taskTypes: undefined });
		delete h.parameters.taskTypes;
		const first = await h.poll();
		expect(first.listCalls).toBe(TASK_TYPES.length);
		const [img] = insert(1, 'succeed', 'imageGeneration');
		const run = await h.poll();
		expect(run.succeeded).toEqual([img.task_id]);
		expect(run.out![0][0].json).toMatchObject({ taskType: 'imageGeneration', resultKind: 'images' });
		expect(run.listCalls).toBe(TASK_TYPES.length);
	});

	it('catches up past hours on the first poll when asked', async () => {
		const now = Date.now();
		const [recent] = insert(1, 'succeed', 'textToVideo', { created_at: now - 2 * HOUR, updated_at: now - HOUR });
		insert(1, 'succeed', 'textToVideo', { created_at: now - 10 * HOUR });
		const [running] = insert(1, 'processing', 'textToVideo', { created_at: now - 20 * HOUR });
		const h = new Harness({ options: { catchUpHours: 3 } });
		expect((await h.poll()).succeeded).toEqual([recent.task_id]);
		sim.advance(running.task_id, 'succeed');
		// The first poll watches every unfinished task it reads, even one older than the catch-up window.
		expect((await h.poll()).succeeded).toEqual([running.task_id]);
	});

	it('filters by external task id prefix', async () => {
		const h = new Harness({ filters: { externalTaskIdPrefix: 'wf-a-' } });
		await h.poll();
		const [mine] = insert(1, 'succeed', 'textToVideo', { external_task_id: 'wf-a-1' });
		insert(1, 'succeed', 'textToVideo', { external_task_id: 'wf-b-1' });
		// The prefix text elsewhere in the id is not a match.
		insert(1, 'succeed', 'textToVideo', { external_task_id: 'x-wf-a-1' });
		insert(1, 'succeed');
		const run = await h.poll();
		expect(run.succeeded).toEqual([mine.task_id]);
		expect(run.out![0][0].json.externalTaskId).toBe('wf-a-1');
	});

	it('leaves tasks waited for by a Kling AI node (n8n-wait- ids) to that execution, unless asked to include them', async () => {
		const h = new Harness();
		const hAll = new Harness({ filters: { includeWaitedTasks: true } });
		hAll.workflowId = 'wf-poll-all';
		await h.poll();
		await hAll.poll();
		insert(1, 'succeed', 'textToVideo', { external_task_id: 'n8n-wait-0123456789abcdef01234567' });
		const [plain] = insert(1, 'succeed', 'textToVideo', { external_task_id: 'n8n-0123456789abcdef01234567' });
		expect((await h.poll()).succeeded).toEqual([plain.task_id]);
		expect((await hAll.poll()).succeeded).toHaveLength(2);
	});

	it('downloads results into binary data when asked', async () => {
		const h = new Harness({ downloadResults: true, binaryPropertyName: 'video' });
		await h.poll();
		const [task] = insert(1, 'succeed');
		const run = await h.poll();
		const entry = run.out![0][0];
		expect(entry.json.taskId).toBe(task.task_id);
		expect(entry.binary?.video).toMatchObject({ mimeType: 'video/mp4', fileName: `${task.task_id}.mp4` });
	});

	it('a failure while preparing the items releases every claim and keeps the cursor: the next poll emits them', async () => {
		const h = new Harness({ downloadResults: true });
		await h.poll();
		// Result URLs nobody answers: the download fails and the node logs a warning. A log transport that
		// throws is the one failure left in the preparation (download errors themselves are kept in the item).
		const broken = { task_result: { videos: [{ id: 'v1', url: 'http://127.0.0.1:9/x.mp4', duration: '5' }] } };
		const tasks = insert(2, 'succeed', 'textToVideo', broken);
		const persisted = JSON.stringify(h.staticData);
		// n8n-core's logger is one instance for every context: spy on it through any context.
		const { ctx: any } = triggerContext({ nodeType: node, parameters: h.parameters, credentials: {}, workflowId: 'wf-other' }, { emit: () => undefined, registerCron: () => undefined });
		const spy = jest.spyOn(any.logger, 'warn').mockImplementation((message: string) => {
			if (message.includes('could not download')) throw new Error('log transport down');
		});
		const failed = await h.poll();
		spy.mockRestore();
		expect(failed.out).toBeNull();
		expect(h.failures.map((e) => e.message)).toEqual([expect.stringMatching(/Could not prepare finished task \d+: .*log transport down/)]);
		// Nothing claimed in memory; the static data n8n saved is as it was.
		for (const t of tasks) expect(ledgerFor(h.workflowId).get(t.task_id)).toBeUndefined();
		expect(JSON.stringify(h.staticData)).toBe(persisted);
		const retry = await h.poll();
		expect([...retry.succeeded].sort()).toEqual(tasks.map((t) => t.task_id).sort());
		expect(retry.out![0].every((e) => typeof e.json.downloadError === 'string')).toBe(true);
		expect((await h.poll()).out).toBeNull();
	});

	it('manual mode returns the most recent finished task as a sample and changes no state', async () => {
		insert(2, 'succeed');
		const [latest] = insert(1, 'failed');
		insert(1, 'processing');
		const h = new Harness();
		const run = await h.poll('manual');
		expect(run.failed).toEqual([latest.task_id]);
		expect(run.succeeded).toEqual([]);
		expect(h.db.staticData).toEqual({});
		expect(h.db.executions).toEqual([]);
		expect(emitterFor(h.workflowId)).toBeUndefined();
		expect(ledgerFor(h.workflowId).size).toBe(0);
	});

	it('manual mode without any finished task explains what to do', async () => {
		insert(1, 'processing');
		const h = new Harness();
		await expect(h.poll('manual')).rejects.toThrow('No finished task found to use as a test event');
	});

	it('a failing poll is saved as a failed execution naming the API error and changes no state', async () => {
		const h = new Harness();
		const failures: Error[] = [];
		const { ctx, workflow } = triggerContext(
			{ nodeType: node, parameters: h.parameters, credentials: simulatorCredentials(sim.url, { secretKey: 'wrong' }), workflowId: h.workflowId },
			{ emit: () => undefined, registerCron: () => undefined, saveFailedExecution: (e) => failures.push(e) },
		);
		await node.trigger.call(ctx);
		expect(failures.map((e) => e.message)).toEqual([expect.stringMatching(/Kling error 100\d/)]);
		const persisted = JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject;
		expect(persisted.global ?? {}).toEqual({});
		expect(persisted['node:Kling AI Poll Trigger'] ?? {}).toEqual({});
	});

	it('does not run two polls of the same node at once (a tick due while one runs is skipped)', async () => {
		const h = new Harness();
		await h.poll();
		const tasks = insert(2, 'succeed');
		const runner = emitterFor(h.workflowId) as PollTriggerRunner;
		const before = sim.requests.length;
		const first = runner.tick();
		const second = runner.tick();
		await Promise.all([first, second]);
		expect(sim.requests.slice(before).filter((r) => r.query.pageNum !== undefined)).toHaveLength(1);
		expect(h.db.executions.map((e) => String(e.data[0][0].json.taskId)).sort()).toEqual(tasks.map((t) => t.task_id).sort());
	});

	it('rejects an empty task type list naming the field', async () => {
		const h = new Harness({ taskTypes: [] });
		await expect(h.poll()).rejects.toThrow('Task Types');
	});
});

describe('Kling AI Poll Trigger: list calls per poll (cost figure for BENCHMARKS.md)', () => {
	const rows: string[] = [];
	afterAll(() => {
		// eslint-disable-next-line no-console
		console.log(
			['Poll trigger cost: N unfinished tasks watched (one task type; the default 9 types add 8 calls)', ...rows].join('\n'),
		);
	});

	it.each([10, 100, 1000])('N = %i pending tasks: list calls per poll grow with pages, not tasks', async (n) => {
		const h = new Harness();
		await h.poll();
		insert(n, 'processing');
		await h.poll();
		const steady = await h.poll();
		expect(steady.out).toBeNull();
		const expected = Math.max(1, Math.ceil(n / MAX_PAGE_SIZE));
		expect(steady.listCalls).toBe(expected);
		h.parameters = {};
		await h.restart();
		const allTypes = await h.poll();
		rows.push(
			`N=${n}: ${steady.listCalls} list call(s)/poll for one type, ${allTypes.listCalls} with all ${TASK_TYPES.length} types; one GET per task would be ${n}/poll`,
		);
	});
});
