/**
 * Kling AI Poll Trigger through the REAL n8n-core PollContext against the Kling simulator (real HTTP,
 * real credential signing). Between polls the test carries `workflow.staticData` through a JSON round trip,
 * which is what n8n persists in its database, and `resetLedgers()` stands for a process restart.
 */
import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';
import { KlingAiPollTrigger, CURSOR_KEY } from '../../nodes/KlingAi/KlingAiPollTrigger.node';
import { KlingAiTrigger } from '../../nodes/KlingAi/KlingAiTrigger.node';
import { MAX_PAGE_SIZE } from '../../nodes/KlingAi/shared/api';
import { TASK_TYPES } from '../../nodes/KlingAi/shared/endpoints';
import { STATIC_DATA_KEY, ledgerFor, resetLedgers } from '../../nodes/KlingAi/shared/ledger';
import { parseTaskPayload } from '../../nodes/KlingAi/shared/task';
import { initBinaryData, pollContext, simulatorCredentials, webhookContext } from '../helpers/n8n';

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
});

interface PollRun {
	out: INodeExecutionData[][] | null;
	staticData: IDataObject;
	listCalls: number;
	succeeded: string[];
	failed: string[];
}

/**
 * One n8n "process" running one poll trigger. `poll()` builds a fresh PollContext from the persisted
 * static data (as n8n's durable scheduler does per poll) and persists it afterwards.
 */
class Harness {
	staticData: IDataObject = {};
	parameters: IDataObject;
	budgetMs?: number;
	workflowId = 'wf-poll';
	/** Called with each poll's context before poll() runs (to break a collaborator for one poll). */
	beforePoll?: (ctx: IPollFunctions) => void;

	constructor(parameters: IDataObject = {}) {
		this.parameters = { taskTypes: ['textToVideo'], ...parameters };
	}

	async poll(mode: 'trigger' | 'manual' = 'trigger'): Promise<PollRun> {
		const { ctx, workflow } = pollContext(
			{
				nodeType: node,
				parameters: this.parameters,
				credentials: simulatorCredentials(sim.url),
				staticData: JSON.parse(JSON.stringify(this.staticData)) as IDataObject,
				workflowId: this.workflowId,
			},
			mode,
		);
		if (this.budgetMs !== undefined) {
			const budget = this.budgetMs;
			(ctx as unknown as { getPollBudgetMs: () => number }).getPollBudgetMs = () => budget;
		}
		this.beforePoll?.(ctx);
		const before = sim.requests.length;
		const out = await node.poll.call(ctx);
		// What n8n writes to the database after the poll.
		if (mode === 'trigger') this.staticData = JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject;
		const listCalls = sim.requests.slice(before).filter((r) => r.method === 'GET' && r.query.pageNum !== undefined).length;
		const ids = (i: number) => (out?.[i] ?? []).map((e) => String(e.json.taskId));
		return { out, staticData: workflow.staticData as IDataObject, listCalls, succeeded: ids(0), failed: ids(1) };
	}
}

const insert = (n: number, status = 'succeed', type = 'textToVideo', overrides: IDataObject = {}) =>
	Array.from({ length: n }, () => sim.insertTask(type, { task_status: status, ...overrides }));

const dupes = (ids: string[]) => ids.filter((id, i) => ids.indexOf(id) !== i);

describe('Kling AI Poll Trigger (real n8n PollContext + simulator)', () => {
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
		resetLedgers();
		sim.advance(slow.task_id, 'failed', 'content risk');
		const afterRestart = await h.poll();
		expect(afterRestart.failed).toEqual([slow.task_id]);
		expect(afterRestart.succeeded).toEqual([]);
		resetLedgers();
		expect((await h.poll()).out).toBeNull();
	});

	it('does not emit a task the Kling AI Trigger already delivered in the same workflow, and vice versa', async () => {
		const h = new Harness();
		await h.poll();
		const [viaCallback, viaPoll] = insert(2, 'processing');
		await h.poll();
		sim.advance(viaCallback.task_id, 'succeed');
		sim.advance(viaPoll.task_id, 'succeed');

		// The webhook trigger of the same workflow receives viaCallback's callback first.
		const trigger = new KlingAiTrigger();
		const deliver = async (taskId: string) => {
			const body = sim.tasks().find((t) => t.task_id === taskId)!;
			const raw = Buffer.from(JSON.stringify(body));
			const { ctx } = webhookContext(
				{
					nodeType: trigger,
					parameters: { requireUrlToken: false, confirmWithApi: false, emitProgress: false, downloadResults: false, filters: {} },
					credentials: simulatorCredentials(sim.url),
					workflowId: h.workflowId,
					nodeName: 'Kling AI Trigger',
				},
				{ body, rawBody: raw, headers: { 'content-type': 'application/json' }, query: { kling_type: 'textToVideo' } },
			);
			return await trigger.webhook.call(ctx);
		};
		const delivered = await deliver(viaCallback.task_id);
		expect(delivered.workflowData?.[0]?.map((e) => e.json.taskId)).toEqual([viaCallback.task_id]);

		const run = await h.poll();
		expect(run.succeeded).toEqual([viaPoll.task_id]);

		// A late callback for the task the poll emitted starts nothing.
		const late = await deliver(viaPoll.task_id);
		expect(late.workflowData).toBeUndefined();

		// The poll wrote both claims to global static data: after a restart neither comes back.
		const ledger = (h.staticData.global as IDataObject)[STATIC_DATA_KEY] as { tasks: IDataObject };
		expect(Object.keys(ledger.tasks).sort()).toEqual([viaCallback.task_id, viaPoll.task_id].sort());
		resetLedgers();
		const afterRestart = await h.poll();
		expect(afterRestart.out).toBeNull();
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
		let spy: jest.SpyInstance | undefined;
		h.beforePoll = (ctx) => {
			spy = jest.spyOn(ctx.logger, 'warn').mockImplementation(() => {
				throw new Error('log transport down');
			});
		};
		await expect(h.poll()).rejects.toThrow(/Could not prepare the finished tasks: log transport down/);
		// n8n-core's logger is one instance for every context: restore it.
		spy!.mockRestore();
		// Nothing claimed in memory; the static data n8n would save is as it was (n8n saves none after an error).
		for (const t of tasks) expect(ledgerFor(h.workflowId).get(t.task_id)).toBeUndefined();
		expect(JSON.stringify(h.staticData)).toBe(persisted);
		h.beforePoll = undefined;
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
		const { ctx, workflow } = pollContext(
			{ nodeType: node, parameters: h.parameters, credentials: simulatorCredentials(sim.url), workflowId: h.workflowId },
			'manual',
			'manual',
		);
		const out = await node.poll.call(ctx);
		expect(out![1].map((e) => e.json.taskId)).toEqual([latest.task_id]);
		expect(out![0]).toEqual([]);
		expect(JSON.parse(JSON.stringify(workflow.staticData))).toEqual({});
		expect(ledgerFor(h.workflowId).size).toBe(0);
	});

	it('manual mode without any finished task explains what to do', async () => {
		insert(1, 'processing');
		const h = new Harness();
		await expect(h.poll('manual')).rejects.toThrow('No finished task found to use as a test event');
	});

	it('a failing first request raises the API error and changes no state', async () => {
		const h = new Harness();
		const { ctx, workflow } = pollContext({
			nodeType: node,
			parameters: h.parameters,
			credentials: simulatorCredentials(sim.url, { secretKey: 'wrong' }),
			workflowId: h.workflowId,
		});
		await expect(node.poll.call(ctx)).rejects.toThrow(/Kling error 100\d/);
		const persisted = JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject;
		expect(persisted.global).toBeUndefined();
		expect(persisted['node:Kling AI Poll Trigger'] ?? {}).toEqual({});
	});

	it('does not run two polls of the same node at once (the second one returns null)', async () => {
		const h = new Harness();
		await h.poll();
		insert(2, 'succeed');
		const make = () =>
			pollContext({
				nodeType: node,
				parameters: h.parameters,
				credentials: simulatorCredentials(sim.url),
				staticData: JSON.parse(JSON.stringify(h.staticData)) as IDataObject,
				workflowId: h.workflowId,
			}).ctx;
		const [first, second] = await Promise.all([node.poll.call(make()), node.poll.call(make())]);
		expect(first?.[0]).toHaveLength(2);
		expect(second).toBeNull();
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
		const allTypes = await h.poll();
		rows.push(
			`N=${n}: ${steady.listCalls} list call(s)/poll for one type, ${allTypes.listCalls} with all ${TASK_TYPES.length} types; one GET per task would be ${n}/poll`,
		);
	});
});
