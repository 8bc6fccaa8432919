/**
 * Kling AI Poll Trigger on the new standard (issue #13) and its cost (issue #14): every new-standard task in
 * ONE `POST /tasks` cursor walk per poll, scanned by the same poller (shared/poller.ts) with the same
 * exactly-once keys; "Watch Task Types: Created by This Workflow" (version 2) lists only the types the
 * workflow's Kling AI nodes create. Real n8n-core TriggerContext against the simulator.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { KlingAiPollTrigger, PollTriggerRunner } from '../../nodes/KlingAi/KlingAiPollTrigger.node';
import { emitterFor, resetEmitters } from '../../nodes/KlingAi/shared/exactlyOnce';
import { TASK_TYPES } from '../../nodes/KlingAi/shared/endpoints';
import { resetLedgers } from '../../nodes/KlingAi/shared/ledger';
import { taskTypesCreatedBy } from '../../nodes/KlingAi/shared/watchedTypes';
import { DEFAULT_OPERATIONS, findCreateOperation } from '../../nodes/KlingAi/resources';
import { TEST_KEYS, simulatorCredentials, triggerContext, type ContextSetup } from '../helpers/n8n';
import { startSimulator, type KlingSimulator } from '../simulator';

jest.setTimeout(120_000);

const node = new KlingAiPollTrigger();
let sim: KlingSimulator;

beforeAll(async () => {
	sim = await startSimulator({ autoAdvance: false, callbacks: { progress: false } });
});
afterAll(async () => {
	await sim.close();
});
beforeEach(() => {
	sim.reset();
	resetLedgers();
	resetEmitters();
});

const listCallsOf = (reqs: KlingSimulator['requests']) => reqs.filter((r) => (r.method === 'GET' && r.query.pageNum !== undefined) || (r.method === 'POST' && r.path === '/tasks'));

/** One activated trigger; executions unique by de-duplication key, as n8n's database keeps them. */
class Harness {
	executions: Array<{ key?: string; data: INodeExecutionData[][] }> = [];
	refused: string[] = [];
	staticData: IDataObject = {};
	private runner?: PollTriggerRunner;
	private tick?: () => void;
	private close?: () => Promise<void>;
	constructor(
		private readonly setup: Partial<ContextSetup> & { parameters: IDataObject },
		readonly workflowId = 'wf-ns-poll',
	) {}

	async activate(): Promise<void> {
		const holder: { data?: IDataObject } = {};
		const { ctx, workflow } = triggerContext(
			{
				nodeType: node,
				credentials: simulatorCredentials(sim.url, { authType: 'apiKey', apiKey: TEST_KEYS.apiKey }),
				staticData: JSON.parse(JSON.stringify(this.staticData)) as IDataObject,
				workflowId: this.workflowId,
				...this.setup,
			},
			{
				emit: (data, _r, _d, key) => {
					this.staticData = JSON.parse(JSON.stringify(holder.data ?? {})) as IDataObject;
					if (key !== undefined && this.executions.some((e) => e.key === key)) this.refused.push(key);
					else this.executions.push({ key, data });
				},
				registerCron: (_c, onTick) => (this.tick = onTick),
			},
		);
		holder.data = workflow.staticData as IDataObject;
		const response = await node.trigger.call(ctx);
		this.staticData = JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject;
		this.close = response.closeFunction;
		this.runner = emitterFor(this.workflowId) as PollTriggerRunner;
	}

	async poll(): Promise<{ listCalls: number; emitted: string[] }> {
		if (!this.runner) await this.activate();
		const before = sim.requests.length;
		const mark = this.executions.length;
		this.tick!();
		await this.runner!.running;
		const emitted = this.executions.slice(mark).flatMap((e) => [...(e.data[0] ?? []), ...(e.data[1] ?? [])].map((i) => String(i.json.taskId)));
		return { listCalls: listCallsOf(sim.requests.slice(before)).length, emitted };
	}

	async restart(): Promise<void> {
		await this.close?.();
		await this.runner?.running;
		resetLedgers();
		resetEmitters();
		this.runner = undefined;
		await this.activate();
		// A stored cursor: the first poll runs right after activation.
		const until = Date.now() + 5_000;
		while (!this.runner!.running && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
		await this.runner!.running;
	}

	async stop(): Promise<void> {
		await this.close?.();
		await this.runner?.running;
	}
}

const insertNs = (n: number, status = 'succeed', createdAt?: (i: number) => number) =>
	Array.from({ length: n }, (_, i) => sim.insertTask('newStandard', { task_status: status, ...(createdAt ? { created_at: createdAt(i) } : {}) }));

describe('new-standard tasks: one POST /tasks cursor walk per poll, exactly once', () => {
	it('emits every finished NS task once (keyed), follows unfinished ones, and costs one call per 500 tasks', async () => {
		const h = new Harness({ parameters: { taskTypes: ['newStandard'] } });
		insertNs(4, 'succeed'); // history: not emitted
		const first = await h.poll();
		expect(first).toEqual({ listCalls: 1, emitted: [] });
		const done = insertNs(3, 'succeed');
		const running = insertNs(1, 'processing');
		const second = await h.poll();
		expect(second.listCalls).toBe(1);
		expect(second.emitted.sort()).toEqual(done.map((t) => t.task_id).sort());
		expect(h.executions.map((e) => e.key).sort()).toEqual(done.map((t) => `kling:v1:wf-ns-poll:${t.task_id}:succeeded`).sort());
		const item = h.executions[0].data[0][0].json;
		expect(item).toMatchObject({ taskType: 'newStandard', status: 'succeeded', klingStatus: 'succeeded' });
		expect(item.billing).toHaveLength(2);
		sim.advance(running[0].task_id, 'succeed');
		expect((await h.poll()).emitted).toEqual([running[0].task_id]);
		expect((await h.poll()).emitted).toEqual([]);
		// 600 new finished tasks: one walk of two pages (500 + 100), each emitted once.
		// Created after everything seen so far, one ms apart, and all in the past when the poll lists (end_time = now).
		const base = Date.now() + 5;
		const many = insertNs(600, 'succeed', (i) => base + i);
		await new Promise((r) => setTimeout(r, 700));
		const big = await h.poll();
		expect(big.listCalls).toBe(2);
		expect(new Set(big.emitted).size).toBe(600);
		expect(big.emitted.sort()).toEqual(many.map((t) => t.task_id).sort());
		const walk = sim.requests.filter((r) => r.method === 'POST' && r.path === '/tasks').slice(-2);
		expect((walk[0].body as IDataObject).limit).toBe(500);
		expect((walk[1].body as IDataObject).cursor).toEqual(expect.any(String));
		await h.stop();
	});

	it('a restart re-scans without emitting twice (the de-duplication key refuses what n8n already has)', async () => {
		const h = new Harness({ parameters: { taskTypes: ['newStandard'] } });
		await h.poll();
		const done = insertNs(2, 'succeed');
		expect((await h.poll()).emitted.sort()).toEqual(done.map((t) => t.task_id).sort());
		// n8n saved static data at the last emit, i.e. the cursor from BEFORE these emissions (the poll writes its new
		// cursor after emitting, and nothing saves it until the next emit): a restart re-scans the two tasks.
		await h.restart();
		const keys = h.executions.map((e) => e.key);
		expect(new Set(keys).size).toBe(keys.length);
		expect(h.executions).toHaveLength(2);
		expect(h.refused.sort()).toEqual(done.map((t) => `kling:v1:wf-ns-poll:${t.task_id}:succeeded`).sort());
		await h.stop();
	});
});

describe('Watch Task Types (version 2): the poll lists only what this workflow creates', () => {
	const klingNode = (parameters: IDataObject, name = 'Kling AI') => ({ name, type: 'n8n-nodes-kling-ai.klingAi', parameters: parameters as never });

	it('maps the workflow\'s Kling AI nodes to task types (model → standard; get/list create nothing)', () => {
		const lookup = (r: string, o: string) => findCreateOperation(r, o)?.taskType;
		const defaults = (r: string) => DEFAULT_OPERATIONS[r as keyof typeof DEFAULT_OPERATIONS];
		expect(taskTypesCreatedBy([klingNode({ operation: 'textToVideo', model: 'kling-3.0-turbo' })], lookup, defaults)).toEqual(['newStandard']);
		expect(taskTypesCreatedBy([klingNode({ operation: 'textToVideo', model: 'kling-v3' })], lookup, defaults)).toEqual(['textToVideo']);
		expect(taskTypesCreatedBy([klingNode({ operation: 'imageToVideo', model: 'kling-v3', apiStandard: 'auto' })], lookup, defaults)).toEqual(['imageToVideo', 'newStandard']);
		expect(taskTypesCreatedBy([klingNode({ resource: 'image', operation: 'generateImage' }), klingNode({ operation: 'getTask' }, 'Get')], lookup, defaults)).toEqual(['imageGeneration']);
		expect(taskTypesCreatedBy([klingNode({ operation: '={{ $json.op }}' })], lookup, defaults)).toEqual([...TASK_TYPES]);
		expect(taskTypesCreatedBy([{ type: 'n8n-nodes-base.set', parameters: {} }], lookup, defaults)).toBeUndefined();
		// Operations left at their resource's default are not saved: Library starts on Create Voice (a task),
		// Audio on Text to Speech (synchronous, creates no task), Video on Text to Video.
		expect(taskTypesCreatedBy([klingNode({ resource: 'library' })], lookup, defaults)).toEqual(['customVoice']);
		expect(taskTypesCreatedBy([klingNode({ resource: 'audio' })], lookup, defaults)).toBeUndefined();
		expect(taskTypesCreatedBy([klingNode({})], lookup, defaults)).toEqual(['textToVideo']);
		expect(taskTypesCreatedBy([{ ...klingNode({ operation: 'omniVideo' }), disabled: true }], lookup, defaults)).toBeUndefined();
	});

	async function callsPerPoll(setup: Partial<ContextSetup> & { parameters: IDataObject }): Promise<number> {
		const h = new Harness(setup, `wf-watch-${Math.random()}`);
		await h.poll();
		const steady = await h.poll();
		await h.stop();
		return steady.listCalls;
	}

	it('one NS model in the workflow: 1 call per poll; one legacy type: 1; no Kling AI node: every type; version 1: its saved list', async () => {
		const ns = await callsPerPoll({ typeVersion: 2, parameters: {}, extraNodes: [klingNode({ operation: 'textToVideo', model: 'kling-3.0-turbo' })] });
		const legacy = await callsPerPoll({ typeVersion: 2, parameters: {}, extraNodes: [klingNode({ operation: 'textToVideo' })] });
		const none = await callsPerPoll({ typeVersion: 2, parameters: {} });
		const all = await callsPerPoll({ typeVersion: 2, parameters: { watchTaskTypes: 'all' } });
		const selected = await callsPerPoll({ typeVersion: 2, parameters: { watchTaskTypes: 'selected', taskTypes: ['omniVideo', 'avatar'] } });
		const v1Default = await callsPerPoll({ typeVersion: 1, parameters: {} });
		const v1Saved = await callsPerPoll({ typeVersion: 1, parameters: { taskTypes: ['textToVideo'] } });
		expect({ ns, legacy, none, all, selected, v1Default, v1Saved }).toEqual({
			ns: 1,
			legacy: 1,
			none: TASK_TYPES.length,
			all: TASK_TYPES.length,
			selected: 2,
			v1Default: TASK_TYPES.length,
			v1Saved: 1,
		});
		// The legacy poll listed only text to video; the NS one only /tasks.
		expect(sim.requests.some((r) => r.method === 'POST' && r.path === '/tasks')).toBe(true);
	});
});
