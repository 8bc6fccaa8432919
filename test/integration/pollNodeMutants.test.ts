/**
 * KlingAiPollTrigger.node.ts, its decision code (issue 16, mutation testing; TESTING.md "KlingAiPollTrigger.node.ts"):
 * settings and the fields their errors name, watched task types (version 1 and 2, the workflow's nodes), the
 * stored cursor and when the first poll runs, the poll budget and type rotation, list errors, the order of
 * emissions, the saved cursor copy (savableCursors) and the ledger copy, downloads, manual mode ("Fetch Test
 * Event"), and the runner's ticks. Each test asserts what a user sees: emitted items and their order, the keys,
 * the static data n8n saves, log lines and errors.
 *
 * Real n8n-core TriggerContext, real HTTP to the Kling simulator. A loopback gateway in front of the simulator
 * answers chosen list requests with an error, or advances the (fake) clock while a list call runs, so the
 * budget arithmetic is exact.
 */
// The node's debug lines ("poll done" and its counts) are part of what is asserted: n8n-core's logger defines
// the methods of levels it does not log as fixed no-ops, so this file's logger logs debug (set before it exists).
process.env.N8N_LOG_LEVEL = 'debug';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { NodeApiError, NodeOperationError, type IDataObject, type INodeExecutionData, type ITriggerFunctions } from 'n8n-workflow';
import {
	CURSOR_KEY,
	KlingAiPollTrigger,
	POLL_INTERVALS,
	PollTriggerRunner,
	readWatchedTypes,
	runPoll,
	workflowNodesOf,
} from '../../nodes/KlingAi/KlingAiPollTrigger.node';
import { emitterFor, resetEmitters } from '../../nodes/KlingAi/shared/exactlyOnce';
import { ENDPOINTS, TASK_TYPES } from '../../nodes/KlingAi/shared/endpoints';
import { STATIC_DATA_KEY, ledgerFor, resetLedgers } from '../../nodes/KlingAi/shared/ledger';
import { parseTaskPayload } from '../../nodes/KlingAi/shared/task';
import { initBinaryData, simulatorCredentials, triggerContext, type ContextSetup } from '../helpers/n8n';
import { startSimulator, type KlingSimulator } from '../simulator';

jest.setTimeout(30_000);

const node = new KlingAiPollTrigger();
const NODE_KEY = 'node:Kling AI Poll Trigger';
const HOUR = 3_600_000;
const WF = 'wf-mut';
const T2V = ENDPOINTS.textToVideo.path;
const IMG = ENDPOINTS.imageGeneration.path;
const AUD = ENDPOINTS.textToAudio.path;

let sim: KlingSimulator;

/** A loopback gateway in front of the simulator: `rule` may answer a request itself or advance the fake clock first. */
type Rule = { status: number; body: unknown } | { advanceMs: number } | { hang: true } | undefined;
class Gateway {
	url = '';
	rule: (r: { method: string; path: string; query: URLSearchParams }) => Rule = () => undefined;
	/** Requests left unanswered (`hang`); dropped by `release()`. */
	readonly held = new Set<http.ServerResponse>();
	private readonly server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const u = new URL(req.url ?? '/', 'http://127.0.0.1');
			const rule = this.rule({ method: req.method ?? 'GET', path: u.pathname, query: u.searchParams });
			if (rule && 'status' in rule) {
				res.writeHead(rule.status, { 'content-type': 'application/json' });
				res.end(JSON.stringify(rule.body));
				return;
			}
			if (rule && 'hang' in rule) {
				this.held.add(res);
				return;
			}
			if (rule && 'advanceMs' in rule) jest.setSystemTime(Date.now() + rule.advanceMs);
			const target = new URL(sim.url);
			const fwd = http.request(
				{ host: '127.0.0.1', port: Number(target.port), method: req.method, path: req.url, headers: req.headers },
				(up) => {
					res.writeHead(up.statusCode ?? 502, up.headers);
					up.pipe(res);
				},
			);
			fwd.on('error', () => res.destroy());
			fwd.end(Buffer.concat(chunks));
		});
	});
	async start(): Promise<void> {
		await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
		this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
	}
	release(): void {
		for (const res of this.held) res.destroy();
		this.held.clear();
	}
	async close(): Promise<void> {
		this.release();
		this.server.closeAllConnections();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}
}
const gate = new Gateway();

beforeAll(async () => {
	sim = await startSimulator({ autoAdvance: false, callbacks: { progress: false } });
	await gate.start();
	await initBinaryData();
});
afterAll(async () => {
	await gate.close();
	await sim?.close();
});

interface Logged {
	level: 'warn' | 'debug';
	message: string;
	meta: IDataObject;
}
let logs: Logged[] = [];
/** Makes the "could not download" warning throw (a broken log transport). */
let failDownloadWarning = false;
const spies: jest.SpyInstance[] = [];
const OPEN = new Set<Active>();

beforeEach(() => {
	sim.reset();
	resetLedgers();
	resetEmitters();
	gate.rule = () => undefined;
	logs = [];
	// n8n-core's logger is one instance for every context: record (and pass on) what the node logs.
	const { ctx } = triggerContext({ nodeType: node, parameters: {}, credentials: {}, workflowId: 'wf-logger' }, { emit: () => undefined, registerCron: () => undefined });
	for (const level of ['warn', 'debug'] as const) {
		const original = ctx.logger[level].bind(ctx.logger);
		spies.push(
			jest.spyOn(ctx.logger, level).mockImplementation((message: string, meta?: Parameters<typeof original>[1]) => {
				if (message.includes('Kling AI Poll Trigger')) logs.push({ level, message, meta: (meta ?? {}) as IDataObject });
				if (failDownloadWarning && message.includes('could not download')) throw new Error('log transport down');
				// Warnings go on to n8n's console output as usual; debug lines (n8n-core's too) only to this record.
				if (level === 'warn') original(message, meta);
			}),
		);
	}
});
afterEach(async () => {
	gate.release();
	for (const a of OPEN) await a.close();
	OPEN.clear();
	for (const s of spies.splice(0)) s.mockRestore();
	jest.useRealTimers();
});

/** Freeze Date.now() (only Date: timers and the network keep running). */
function freezeClock(at = Date.now()): number {
	jest.useFakeTimers({
		doNotFake: ['setTimeout', 'setInterval', 'setImmediate', 'clearImmediate', 'nextTick', 'queueMicrotask', 'clearTimeout', 'clearInterval', 'performance', 'hrtime'],
		now: at,
	});
	return at;
}
const advance = (ms: number) => jest.setSystemTime(Date.now() + ms);

interface Active {
	ctx: ITriggerFunctions;
	runner: PollTriggerRunner;
	/** Executions n8n started (unique by key), each with the static data n8n saved for its emit. */
	executions: Array<{ key?: string; data: INodeExecutionData[][]; saved: IDataObject }>;
	failures: Error[];
	cron?: string;
	staticData: IDataObject;
	tick(): Promise<void>;
	close(): Promise<void>;
}

async function activate(parameters: IDataObject, setup: Partial<ContextSetup> = {}, baseUrl = sim.url): Promise<Active> {
	const executions: Active['executions'] = [];
	const failures: Error[] = [];
	let onTick: (() => void) | undefined;
	let cron: string | undefined;
	const holder: { data?: IDataObject } = {};
	const { ctx, workflow } = triggerContext(
		{ nodeType: node, parameters, credentials: simulatorCredentials(baseUrl), workflowId: WF, ...setup },
		{
			emit: (data, _r, _d, key) => {
				const saved = JSON.parse(JSON.stringify(holder.data ?? {})) as IDataObject;
				if (key === undefined || !executions.some((e) => e.key === key)) executions.push({ key, data, saved });
			},
			registerCron: (c, tick) => {
				cron = c.expression;
				onTick = tick;
			},
			saveFailedExecution: (e) => failures.push(e),
		},
	);
	holder.data = workflow.staticData as IDataObject;
	const response = await node.trigger.call(ctx);
	const runner = emitterFor(WF) as PollTriggerRunner;
	const active: Active = {
		ctx,
		runner,
		executions,
		failures,
		cron,
		staticData: workflow.staticData as IDataObject,
		async tick() {
			onTick!();
			await runner.running;
		},
		async close() {
			OPEN.delete(active);
			await response.closeFunction?.();
			await runner?.running;
		},
	};
	OPEN.add(active);
	return active;
}

const listPaths = (since = 0) => sim.requests.slice(since).filter((r) => r.method === 'GET' && r.query.pageNum !== undefined).map((r) => r.path);
const cursorOf = (a: Active) => (a.staticData[NODE_KEY] as IDataObject)[CURSOR_KEY] as { v: number; next: number; types: Record<string, { cov: unknown[]; pend: Record<string, number> }> };
const idsOf = (a: Active, output = 0) => a.executions.flatMap((e) => (e.data[output] ?? []).map((i) => String(i.json.taskId)));
const klingLogs = (level?: Logged['level']) => logs.filter((l) => !level || l.level === level).map((l) => ({ level: l.level, message: l.message, meta: l.meta }));
const pollDone = () => logs.filter((l) => l.message === 'Kling AI Poll Trigger poll done').map((l) => l.meta);

async function rejectionOf(p: Promise<unknown>): Promise<NodeOperationError> {
	try {
		await p;
	} catch (error) {
		return error as NodeOperationError;
	}
	throw new Error('expected a rejection');
}

describe('settings: a bad field is named before any request', () => {
	const lookBack = 'Max Look-Back (Hours): must be a number of hours from 1 to 720';
	const catchUp = 'Catch Up Past (Hours): must be a number of hours from 0 to 720';
	const hoursHelp = 'Kling deletes tasks and their results 30 days (720 hours) after they were created.';
	it.each<[string, IDataObject, string, string | undefined]>([
		['an unknown task type', { taskTypes: ['textToVideo', 'bogus'] }, 'Task Types: unknown task type "bogus"', `Choose from: ${TASK_TYPES.join(', ')}`],
		['no task type', { taskTypes: [] }, 'Task Types: choose at least one task type to watch', undefined],
		['look-back 0', { taskTypes: ['textToVideo'], options: { maxLookBackHours: 0 } }, lookBack, hoursHelp],
		['look-back 0.5', { taskTypes: ['textToVideo'], options: { maxLookBackHours: 0.5 } }, lookBack, hoursHelp],
		['look-back 721', { taskTypes: ['textToVideo'], options: { maxLookBackHours: 721 } }, lookBack, hoursHelp],
		['look-back not a number', { taskTypes: ['textToVideo'], options: { maxLookBackHours: 'soon' } }, lookBack, hoursHelp],
		['catch-up -1', { taskTypes: ['textToVideo'], options: { catchUpHours: -1 } }, catchUp, hoursHelp],
		['catch-up 720.5', { taskTypes: ['textToVideo'], options: { catchUpHours: 720.5 } }, catchUp, hoursHelp],
		[
			'an unknown poll interval',
			{ taskTypes: ['textToVideo'], pollInterval: '*/7 * * * * *' },
			'Poll Every: unknown interval "*/7 * * * * *"',
			'Choose one of: Every 15 Seconds, Every 30 Seconds, Every Minute, Every 2 Minutes, Every 5 Minutes, Every 15 Minutes, Every Hour',
		],
	])('%s', async (_name, parameters, message, description) => {
		const error = await rejectionOf(activate(parameters));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe(message);
		expect(error.description ?? undefined).toBe(description);
		expect(sim.requests).toEqual([]);
		expect(emitterFor(WF)).toBeUndefined();
	});

	it('accepts the bounds (1 and 720 hours, catch-up 0 and 720) and empty options fall back to 48 h / 0', async () => {
		for (const options of [{ maxLookBackHours: 1, catchUpHours: 0 }, { maxLookBackHours: 720, catchUpHours: 720 }, { maxLookBackHours: '', catchUpHours: '' }]) {
			const a = await activate({ taskTypes: ['textToVideo'], options });
			await a.close();
		}
		// Catch-up 0 polls during activation; catch-up 720 waits for the delayed first poll (closed before it ran).
		expect(listPaths()).toEqual([T2V, T2V]);
	});

	it('every offered interval is registered as n8n cron; without one, every minute', async () => {
		for (const { value } of POLL_INTERVALS) {
			const a = await activate({ taskTypes: ['textToVideo'], pollInterval: value });
			expect(a.cron).toBe(value);
			await a.close();
		}
		const a = await activate({ taskTypes: ['textToVideo'] });
		expect(a.cron).toBe('0 * * * * *');
	});

	it('Catch Up Past is capped at Max Look-Back: the first cursor starts at now - 5 h, not now - 10 h', async () => {
		const now = freezeClock();
		const a = await activate({ taskTypes: ['textToVideo'], options: { catchUpHours: 10, maxLookBackHours: 5 } });
		// With catch-up the first poll runs just after activation.
		expect(listPaths()).toEqual([]);
		for (let i = 0; i < 100 && listPaths().length === 0; i++) await new Promise((r) => setTimeout(r, 20));
		await a.runner.running;
		expect(listPaths()).toEqual([T2V]);
		expect(cursorOf(a).types.textToVideo.cov).toEqual([[Number.MIN_SAFE_INTEGER, now - 5 * HOUR, null, []]]);
	});
});

describe('watched task types', () => {
	const kling = (parameters: IDataObject, name = 'Kling AI', extra: IDataObject = {}) => ({ name, type: 'n8n-nodes-kling-ai.klingAi', parameters: parameters as never, ...extra });
	const ctxOf = (parameters: IDataObject, setup: Partial<ContextSetup> = {}) =>
		triggerContext({ nodeType: node, parameters, credentials: {}, workflowId: WF, ...setup }, { emit: () => undefined, registerCron: () => undefined });

	it('version 1 keeps its list (in task type order, a single value too) and ignores Watch Task Types', () => {
		expect(readWatchedTypes(ctxOf({ taskTypes: ['textToAudio', 'imageGeneration', 'textToVideo'], watchTaskTypes: 'all' }).ctx)).toEqual(['textToVideo', 'imageGeneration', 'textToAudio']);
		expect(readWatchedTypes(ctxOf({ taskTypes: 'imageGeneration' }).ctx)).toEqual(['imageGeneration']);
		expect(readWatchedTypes(ctxOf({}).ctx)).toEqual([...TASK_TYPES]);
	});

	it('version 2: the types of this workflow\'s Kling AI nodes by default, all, or the selection', () => {
		const v2 = (parameters: IDataObject, extraNodes: ContextSetup['extraNodes'] = []) => readWatchedTypes(ctxOf(parameters, { typeVersion: 2, extraNodes }).ctx);
		expect(v2({}, [kling({ resource: 'image', operation: 'generateImage' })])).toEqual(['imageGeneration']);
		// A node left at its resource's default operation: Video → Text to Video.
		expect(v2({}, [kling({})])).toEqual(['textToVideo']);
		expect(v2({ watchTaskTypes: 'workflow', taskTypes: ['avatar'] }, [kling({ resource: 'audio', operation: 'textToAudio' })])).toEqual(['textToAudio']);
		expect(v2({ watchTaskTypes: 'all', taskTypes: ['avatar'] }, [kling({})])).toEqual([...TASK_TYPES]);
		expect(v2({ watchTaskTypes: 'selected', taskTypes: ['avatar', 'omniVideo'] }, [kling({})])).toEqual(['omniVideo', 'avatar']);
		expect(logs).toEqual([]);
	});

	it('version 2 in a workflow without a task-creating Kling AI node watches every type and says why', () => {
		const { ctx } = ctxOf({}, { typeVersion: 2, extraNodes: [kling({ operation: 'getTask' })] });
		expect(readWatchedTypes(ctx)).toEqual([...TASK_TYPES]);
		expect(klingLogs()).toEqual([
			{ level: 'debug', message: 'Kling AI Poll Trigger: no Kling AI node creating tasks found in this workflow; watching every task type', meta: { workflowId: WF } },
		]);
	});

	it('without n8n-core\'s workflow object, the nodes connected to the trigger (children and their parents), once each', () => {
		const { ctx, workflow } = ctxOf({}, {
			typeVersion: 2,
			extraNodes: [
				kling({ resource: 'image', operation: 'generateImage' }, 'Image'),
				{ name: 'Merge', type: 'n8n-nodes-base.merge', parameters: {} },
				kling({ resource: 'audio', operation: 'textToAudio' }, 'Audio'),
				kling({ operation: 'omniVideo' }, 'Off', { disabled: true }),
				kling({ operation: 'avatar' }, 'Unconnected'),
			],
		});
		const main = (to: string) => ({ main: [[{ node: to, type: 'main' as const, index: 0 }]] });
		// Trigger → Image → Merge ← Audio; Off → Merge; Unconnected stands alone.
		workflow.setConnections({ 'Kling AI Poll Trigger': main('Image'), Image: main('Merge'), Audio: main('Merge'), Off: main('Merge') });
		const view = (without: PropertyKey[]) => {
			const hidden = new Set<PropertyKey>(['workflow', ...without]);
			return new Proxy(ctx, {
				get: (t, p) => {
					if (hidden.has(p)) return undefined;
					const v = Reflect.get(t, p, t) as unknown;
					return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(t) : v;
				},
			}) as ITriggerFunctions;
		};
		const connected = view([]);
		const nodes = workflowNodesOf(connected)!;
		expect(nodes).toEqual([
			{ type: 'n8n-nodes-base.merge', disabled: false, parameters: {} },
			{ type: 'n8n-nodes-kling-ai.klingAi', disabled: false, parameters: { resource: 'image', operation: 'generateImage' } },
			{ type: 'n8n-nodes-kling-ai.klingAi', disabled: true, parameters: { operation: 'omniVideo' } },
			{ type: 'n8n-nodes-kling-ai.klingAi', disabled: false, parameters: { resource: 'audio', operation: 'textToAudio' } },
			{ type: 'test.klingAiPollTrigger', disabled: false, parameters: expect.objectContaining({ watchTaskTypes: 'workflow' }) },
		]);
		expect(readWatchedTypes(connected)).toEqual(['imageGeneration', 'textToAudio']);
		// With n8n-core's workflow object: every node, connected or not.
		expect(readWatchedTypes(ctx)).toEqual(['imageGeneration', 'avatar', 'textToAudio']);
		expect(workflowNodesOf(view(['getChildNodes']))).toBeUndefined();
		expect(readWatchedTypes(view(['getChildNodes']))).toEqual([...TASK_TYPES]);
		expect(workflowNodesOf(view(['getParentNodes']))).toBeUndefined();
	});

	it('a version 2 trigger lists only what its workflow creates', async () => {
		await activate({}, { typeVersion: 2, extraNodes: [kling({ resource: 'image', operation: 'generateImage' })] });
		expect(listPaths()).toEqual([IMG]);
	});
});

describe('the stored cursor decides when the first poll runs', () => {
	const valid = { v: 1, next: 0, types: { textToVideo: { cov: [], pend: {} } } };
	it.each<[string, unknown, boolean]>([
		['no cursor', undefined, true],
		['a cursor of another version', { ...valid, v: 2 }, true],
		['a cursor without a types object', { v: 1, next: 0, types: 'textToVideo' }, true],
		['a cursor whose types are null (hand-edited static data)', { v: 1, next: 0, types: null }, true],
		['a cursor without types', { v: 1, next: 0, types: {} }, true],
		['a valid cursor', valid, false],
	])('%s (%j): first poll during activation = %s', async (_name, stored, immediate) => {
		const [old] = [sim.insertTask('textToVideo', { task_status: 'succeed', created_at: Date.now() - HOUR })];
		const a = await activate({ taskTypes: ['textToVideo'] }, { staticData: stored === undefined ? {} : { [NODE_KEY]: { [CURSOR_KEY]: stored } } });
		expect(listPaths()).toEqual(immediate ? [T2V] : []);
		if (!immediate) {
			// After a restart the first poll follows within about a second, and finds what finished meanwhile.
			for (let i = 0; i < 100 && listPaths().length === 0; i++) await new Promise((r) => setTimeout(r, 20));
			await a.runner.running;
			expect(listPaths()).toEqual([T2V]);
			expect(idsOf(a)).toEqual([old.task_id]);
		} else {
			// A first poll: history is not emitted.
			expect(a.executions).toEqual([]);
		}
	});
});

describe('poll budget and the order of task types', () => {
	it('budget 0: one list call per poll, rotating over the types in task type order; unlisted types keep their cursors', async () => {
		const now = freezeClock();
		const a = await activate({ taskTypes: ['textToAudio', 'imageGeneration', 'textToVideo'] });
		expect(listPaths()).toEqual([T2V, IMG, AUD]);
		expect(cursorOf(a).next).toBe(1);
		const [audio] = [sim.insertTask('textToAudio', { task_status: 'succeed', created_at: now + 1 })];
		a.runner.budgetMs = 0;
		const paths: string[][] = [];
		for (let i = 0; i < 4; i++) {
			const before = sim.requests.length;
			await a.tick();
			paths.push(listPaths(before));
			expect(Object.keys(cursorOf(a).types).sort()).toEqual(['imageGeneration', 'textToAudio', 'textToVideo']);
		}
		expect(paths).toEqual([[IMG], [AUD], [T2V], [IMG]]);
		expect(cursorOf(a).next).toBe(2);
		// The audio task finished after activation: found by the poll that listed audio (not lost by the polls before it).
		expect(idsOf(a)).toEqual([audio.task_id]);
		expect(pollDone().slice(-4)).toEqual([
			{ workflowId: WF, listCalls: 1, typesScanned: 1, complete: false, emitted: 0, alreadyDelivered: 0, durationMs: 0 },
			{ workflowId: WF, listCalls: 1, typesScanned: 1, complete: false, emitted: 1, alreadyDelivered: 0, durationMs: 0 },
			{ workflowId: WF, listCalls: 1, typesScanned: 1, complete: false, emitted: 0, alreadyDelivered: 0, durationMs: 0 },
			{ workflowId: WF, listCalls: 1, typesScanned: 1, complete: false, emitted: 0, alreadyDelivered: 0, durationMs: 0 },
		]);
	});

	it('another type is listed only while the slowest list call so far still fits into what is left of the budget', async () => {
		freezeClock();
		const a = await activate({ taskTypes: ['textToVideo', 'imageGeneration', 'textToAudio'] }, {}, gate.url);
		expect(listPaths()).toEqual([T2V, IMG, AUD]);
		// Each list call now takes 100 ms (of the fake clock). Budget 250: after one call 150 ms are left (> 100),
		// after two 50 ms (< 100): two types.
		gate.rule = ({ query }) => (query.get('pageNum') ? { advanceMs: 100 } : undefined);
		a.runner.budgetMs = 250;
		const before = sim.requests.length;
		await a.tick();
		expect(listPaths(before)).toEqual([IMG, AUD]);
		expect(pollDone().at(-1)).toEqual({ workflowId: WF, listCalls: 2, typesScanned: 2, complete: false, emitted: 0, alreadyDelivered: 0, durationMs: 200 });
		// Budget 300: 200 ms left after the first call, 100 after the second (not > 100): two again.
		a.runner.budgetMs = 300;
		const before2 = sim.requests.length;
		await a.tick();
		expect(listPaths(before2)).toEqual([AUD, T2V]);
		a.runner.budgetMs = 301;
		const before3 = sim.requests.length;
		await a.tick();
		expect(listPaths(before3)).toEqual([T2V, IMG, AUD]);
		expect(pollDone().at(-1)).toEqual({ workflowId: WF, listCalls: 3, typesScanned: 3, complete: true, emitted: 0, alreadyDelivered: 0, durationMs: 300 });
	});
});

describe('list errors', () => {
	const refuse = (path: string) => ({ status: 400, body: { code: 1201, message: `refused ${path}`, request_id: 'req-1' } });

	it('one type failing: the others are still polled and emitted, the failure is logged by type label, and that type is retried next poll', async () => {
		const a = await activate({ taskTypes: ['textToVideo', 'imageGeneration'] }, {}, gate.url);
		const [img] = [sim.insertTask('imageGeneration', { task_status: 'succeed' })];
		const [vid] = [sim.insertTask('textToVideo', { task_status: 'succeed' })];
		gate.rule = ({ path }) => (path === T2V ? refuse(T2V) : undefined);
		logs = [];
		await a.tick();
		expect(idsOf(a)).toEqual([img.task_id]);
		expect(a.failures).toEqual([]);
		expect(klingLogs('warn')).toEqual([
			{
				level: 'warn',
				message: 'Kling AI Poll Trigger: listing Text to Video tasks failed; it is retried next poll',
				meta: { workflowId: WF, error: expect.stringContaining(`refused ${T2V}`) },
			},
		]);
		expect(pollDone().at(-1)).toMatchObject({ listCalls: 1, typesScanned: 2, complete: false, emitted: 1, alreadyDelivered: 0 });
		gate.rule = () => undefined;
		await a.tick();
		expect(idsOf(a)).toEqual([img.task_id, vid.task_id]);
	});

	it('every type failing: the poll fails with the API error itself, saved as a failed execution, and nothing changes', async () => {
		const a = await activate({ taskTypes: ['textToVideo', 'imageGeneration'] }, {}, gate.url);
		const saved = JSON.stringify(a.staticData);
		gate.rule = ({ path }) => (path === T2V || path === IMG ? refuse(path) : undefined);
		logs = [];
		await a.tick();
		expect(a.failures).toHaveLength(1);
		expect(a.failures[0]).toBeInstanceOf(NodeApiError);
		// The first error of the poll (it started with Generate Image: activation listed Text to Video first).
		expect(a.failures[0].message).toContain(`refused ${IMG}`);
		expect(klingLogs('warn').map((l) => l.message)).toEqual([
			'Kling AI Poll Trigger: listing Generate Image tasks failed; it is retried next poll',
			'Kling AI Poll Trigger: listing Text to Video tasks failed; it is retried next poll',
			`Kling AI Poll Trigger: poll failed: ${a.failures[0].message}`,
		]);
		expect(klingLogs('warn')[2].meta).toEqual({ workflowId: WF });
		expect(JSON.stringify(a.staticData)).toBe(saved);
		// The runner is free again: the next tick polls.
		gate.rule = () => undefined;
		const before = sim.requests.length;
		await a.tick();
		expect(listPaths(before)).toEqual([IMG, T2V]);
	});

	it('a list call never answered ends within the budget left (at least 1 s), not after the transport\'s 60 s', async () => {
		const a = await activate({ taskTypes: ['textToVideo'] }, {}, gate.url);
		gate.rule = ({ query }) => (query.get('pageNum') ? { hang: true } : undefined);
		a.runner.budgetMs = 0;
		const started = Date.now();
		await a.tick();
		expect(Date.now() - started).toBeLessThan(10_000);
		expect(a.failures).toHaveLength(1);
		expect(a.failures[0]).toBeInstanceOf(NodeApiError);
		expect(gate.held.size).toBe(1);
	});

	it('a credential whose base URL cannot be used fails the poll with that error as is', async () => {
		const a = await activate({ taskTypes: ['textToVideo'] }, {}, 'ftp://127.0.0.1:1');
		expect(a.failures).toHaveLength(1);
		expect(a.failures[0]).toBeInstanceOf(NodeOperationError);
		expect(a.failures[0].message).toMatch(/^Custom Base URL/);
		expect((a.failures[0] as NodeOperationError).description).toBe('Fix the Region / Custom Base URL of the Kling AI API credential.');
	});

	it('a list answer the node cannot read fails the poll naming it', async () => {
		const a = await activate({ taskTypes: ['textToVideo'] }, {}, gate.url);
		gate.rule = () => ({ status: 200, body: { code: 0, message: 'SUCCEED', request_id: 'r', data: [{ task_id: '42', task_status: 'weird', created_at: Date.now(), updated_at: Date.now() }] } });
		await a.tick();
		expect(a.failures.map((e) => [e.constructor.name, e.message])).toEqual([['NodeOperationError', 'Could not list Kling tasks: Unknown task_status "weird"']]);
	});
});

describe('emissions: order, keys, the saved cursor copy and the ledger copy', () => {
	it('emits the finished tasks of every type oldest update first, each under its key, on its output', async () => {
		const now = freezeClock();
		const a = await activate({ taskTypes: ['textToVideo', 'imageGeneration'] });
		const t = (type: 'textToVideo' | 'imageGeneration', status: string, created: number, updated?: number) =>
			sim.insertTask(type, { task_status: status, created_at: now + created, updated_at: updated === undefined ? undefined : now + updated });
		const late = t('textToVideo', 'succeed', 1, 40);
		const early = t('imageGeneration', 'failed', 2, 10);
		const noUpdate = t('textToVideo', 'succeed', 30); // no updated_at: its created_at (30) places it
		const mid = t('imageGeneration', 'succeed', 3, 20);
		advance(1000);
		await a.tick();
		expect(a.executions.map((e) => e.key)).toEqual([
			`kling:v1:${WF}:${early.task_id}:failed`,
			`kling:v1:${WF}:${mid.task_id}:succeeded`,
			`kling:v1:${WF}:${noUpdate.task_id}:succeeded`,
			`kling:v1:${WF}:${late.task_id}:succeeded`,
		]);
		expect(a.executions.map((e) => [e.data[0].length, e.data[1].length])).toEqual([[0, 1], [1, 0], [1, 0], [1, 0]]);
		// What n8n saved with these emits is the previous cursor; the runner's own cursor moved on, and the saved
		// copy keeps the four tasks watched (their executions may not exist yet) under their created_at.
		const saved = cursorOf(a);
		expect(saved.next).toBe(0);
		expect(saved.types.textToVideo.pend).toEqual({ [late.task_id]: now + 1, [noUpdate.task_id]: now + 30 });
		expect(saved.types.imageGeneration.pend).toEqual({ [early.task_id]: now + 2, [mid.task_id]: now + 3 });
		expect(a.runner.working!.types.textToVideo!.pend).toEqual({});
		expect([...a.runner.passed.entries()]).toEqual([
			[early.task_id, { type: 'imageGeneration', createdAt: now + 2, claimedAt: now + 1000 }],
			[mid.task_id, { type: 'imageGeneration', createdAt: now + 3, claimedAt: now + 1000 }],
			[noUpdate.task_id, { type: 'textToVideo', createdAt: now + 30, claimedAt: now + 1000 }],
			[late.task_id, { type: 'textToVideo', createdAt: now + 1, claimedAt: now + 1000 }],
		]);
		// The next poll scans with the runner's cursor: nothing is found again.
		await a.tick();
		expect(pollDone().at(-1)).toMatchObject({ emitted: 0, alreadyDelivered: 0 });
		// 5 s after their claims the saved copy lets them go.
		advance(5000);
		await a.tick();
		expect(cursorOf(a).types.textToVideo.pend).toEqual({});
		expect(a.runner.passed.size).toBe(0);
	});

	it('a task a callback claimed 10 s ago counts as already delivered and is not kept watched in the saved copy', async () => {
		const now = freezeClock();
		const a = await activate({ taskTypes: ['textToVideo'] });
		const [byCallback, byPoll] = [1, 2].map((i) => sim.insertTask('textToVideo', { task_status: 'succeed', created_at: now + i }));
		ledgerFor(WF).claim(parseTaskPayload(sim.tasks().find((x) => x.task_id === byCallback.task_id), 'textToVideo'), 'callback');
		advance(10_000);
		await a.tick();
		expect(idsOf(a)).toEqual([byPoll.task_id]);
		expect([ledgerFor(WF).get(byCallback.task_id)?.via, ledgerFor(WF).get(byPoll.task_id)?.via]).toEqual(['callback', 'poll']);
		expect(pollDone().at(-1)).toEqual({ workflowId: WF, listCalls: 1, typesScanned: 1, complete: true, emitted: 1, alreadyDelivered: 1, durationMs: 0 });
		expect(a.runner.passed.get(byCallback.task_id)).toBeUndefined();
		expect(cursorOf(a).types.textToVideo.pend).toEqual({ [byPoll.task_id]: now + 2 });
	});

	it('the ledger copy n8n saves with an emit holds the tasks claimed more than 5 s before it', async () => {
		const now = freezeClock();
		const a = await activate({ taskTypes: ['textToVideo'] });
		const [first] = [sim.insertTask('textToVideo', { task_status: 'succeed', created_at: now + 1 })];
		await a.tick();
		advance(6000);
		const [second] = [sim.insertTask('textToVideo', { task_status: 'succeed', created_at: now + 2 })];
		await a.tick();
		expect(idsOf(a)).toEqual([first.task_id, second.task_id]);
		const ledgerCopy = JSON.stringify((a.executions[1].saved.global as IDataObject)[STATIC_DATA_KEY]);
		expect(ledgerCopy).toContain(first.task_id);
		expect(ledgerCopy).not.toContain(second.task_id);
	});
});

describe('watched tasks given up', () => {
	it('a task past Max Look-Back is dropped with a warning; polls that drop nothing warn nothing', async () => {
		const now = freezeClock();
		const a = await activate({ taskTypes: ['textToVideo'], options: { maxLookBackHours: 1 } });
		sim.insertTask('textToVideo', { task_status: 'processing', created_at: now + 1 });
		await a.tick();
		expect(Object.keys(cursorOf(a).types.textToVideo.pend)).toHaveLength(1);
		advance(HOUR + 10);
		await a.tick();
		expect(cursorOf(a).types.textToVideo.pend).toEqual({});
		expect(klingLogs('warn')).toEqual([
			{ level: 'warn', message: 'Kling AI Poll Trigger stopped watching some tasks', meta: { workflowId: WF, tooOld: 1, missing: 0, overLimit: 0, closedHoles: 0 } },
		]);
	});
});

describe('watched tasks given up, two reasons in one poll', () => {
	it('one too old and one missing from three complete scans: one warning with both counts', async () => {
		const now = freezeClock();
		const a = await activate({ taskTypes: ['textToVideo'], options: { maxLookBackHours: 1 } });
		const old = sim.insertTask('textToVideo', { task_status: 'processing', created_at: now + 1 });
		const newer = sim.insertTask('textToVideo', { task_status: 'processing', created_at: now + HOUR / 2 });
		await a.tick();
		expect(Object.keys(cursorOf(a).types.textToVideo.pend).sort()).toEqual([old.task_id, newer.task_id].sort());
		// Both disappear from Kling's list.
		sim.reset();
		await a.tick();
		await a.tick();
		expect(klingLogs('warn')).toEqual([]);
		advance(HOUR + 10);
		await a.tick();
		expect(cursorOf(a).types.textToVideo.pend).toEqual({});
		expect(klingLogs('warn')).toEqual([
			{ level: 'warn', message: 'Kling AI Poll Trigger stopped watching some tasks', meta: { workflowId: WF, tooOld: 1, missing: 1, overLimit: 0, closedHoles: 0 } },
		]);
	});
});

describe('downloads', () => {
	it('into "data" when the property name is empty, the watermarked file when asked, never for failed tasks or tasks without files', async () => {
		const now = freezeClock();
		const a = await activate({ taskTypes: ['textToVideo'], downloadResults: true, binaryPropertyName: '', downloadWatermarked: true });
		const ok = sim.insertTask('textToVideo', { task_status: 'succeed', created_at: now + 1 });
		const wm = { ...(ok.task_result as { videos: IDataObject[] }).videos[0] };
		wm.watermark_url = String(wm.url).replace('/0.mp4', '/0-wm.mp4');
		sim.insertTask('textToVideo', { task_status: 'succeed', created_at: now + 2, task_id: `${ok.task_id}9`, task_result: { videos: [wm] } });
		// A failed task is never downloaded, even one that lists files.
		const failed = sim.insertTask('textToVideo', { task_status: 'failed', created_at: now + 3, task_result: ok.task_result });
		const empty = sim.insertTask('textToVideo', { task_status: 'succeed', created_at: now + 4, task_result: { videos: [] } });
		await a.tick();
		const items = a.executions.map((e) => [...e.data[0], ...e.data[1]][0]);
		expect(items.map((i) => [i.json.taskId, Object.keys(i.binary ?? {}), i.json.downloadError])).toEqual([
			[ok.task_id, ['data'], undefined],
			[`${ok.task_id}9`, ['data'], undefined],
			[failed.task_id, [], undefined],
			[empty.task_id, [], undefined],
		]);
		const media = sim.requests.filter((r) => r.path.startsWith('/media/')).map((r) => r.path);
		expect(media.sort()).toEqual([`/media/${ok.task_id}/0.mp4`, `/media/${ok.task_id}/0-wm.mp4`].sort());
	});

	it('no downloads unless asked (property name and watermark ignored)', async () => {
		const a = await activate({ taskTypes: ['textToVideo'], binaryPropertyName: 'video', downloadWatermarked: true });
		sim.insertTask('textToVideo', { task_status: 'succeed', created_at: Date.now() + 1 });
		await a.tick();
		expect(a.executions[0].data[0][0].binary).toBeUndefined();
		expect(sim.requests.filter((r) => r.path.startsWith('/media/'))).toEqual([]);
	});

	it('a failed download still emits the task, with the reason in downloadError and a warning naming the task', async () => {
		const a = await activate({ taskTypes: ['textToVideo'], downloadResults: true, binaryPropertyName: 'video' });
		const t = sim.insertTask('textToVideo', { task_status: 'succeed', created_at: Date.now() + 1, task_result: { videos: [{ id: 'v', url: 'http://127.0.0.1:9/x.mp4', duration: '5' }] } });
		logs = [];
		await a.tick();
		const item = a.executions[0].data[0][0];
		expect(item.binary).toBeUndefined();
		expect(typeof item.json.downloadError).toBe('string');
		expect(klingLogs('warn')).toEqual([
			{ level: 'warn', message: 'Kling AI Poll Trigger could not download the results of a task', meta: { workflowId: WF, taskId: t.task_id, error: item.json.downloadError } },
		]);
	});
});

describe('a failure while preparing an item', () => {
	it('releases its claim, keeps the saved cursor, names the task; the next poll emits it', async () => {
		const a = await activate({ taskTypes: ['textToVideo'], downloadResults: true });
		const t = sim.insertTask('textToVideo', { task_status: 'succeed', created_at: Date.now() + 1, task_result: { videos: [{ id: 'v', url: 'http://127.0.0.1:9/x.mp4', duration: '5' }] } });
		const saved = JSON.stringify(a.staticData);
		// The one failure left in preparing an item (download errors are kept in it): the log transport throws.
		failDownloadWarning = true;
		await a.tick();
		failDownloadWarning = false;
		expect(a.failures.map((e) => [e.constructor.name, e.message])).toEqual([['NodeOperationError', `Could not prepare finished task ${t.task_id}: log transport down`]]);
		expect(a.executions).toEqual([]);
		expect(ledgerFor(WF).get(t.task_id)).toBeUndefined();
		expect(JSON.stringify(a.staticData)).toBe(saved);
		await a.tick();
		expect(idsOf(a)).toEqual([t.task_id]);
	});
});

describe('manual mode ("Fetch Test Event")', () => {
	async function fetchTestEvent(parameters: IDataObject): Promise<{ out: INodeExecutionData[][][]; cron: boolean }> {
		const out: INodeExecutionData[][][] = [];
		let cron = false;
		const { ctx } = triggerContext(
			{ nodeType: node, parameters, credentials: simulatorCredentials(sim.url), workflowId: WF },
			{ emit: (data) => out.push(data), registerCron: () => (cron = true) },
			'manual',
			'manual',
		);
		const response = await node.trigger.call(ctx);
		expect(response.closeFunction).toBeUndefined();
		await response.manualTriggerFunction!();
		return { out, cron };
	}

	it('the most recently updated finished task over every chosen type (first listed wins a tie), 50 per type from page 1', async () => {
		const now = Date.now();
		const older = sim.insertTask('textToVideo', { task_status: 'succeed', created_at: now - 50, updated_at: now - 10 });
		sim.insertTask('textToVideo', { task_status: 'processing', created_at: now - 5, updated_at: now });
		sim.insertTask('textToVideo', { task_status: 'succeed', created_at: now - 4, updated_at: now, external_task_id: 'n8n-wait-0123456789abcdef01234567' });
		const newest = sim.insertTask('imageGeneration', { task_status: 'failed', created_at: now - 40, updated_at: now - 5 });
		const tie = sim.insertTask('textToAudio', { task_status: 'succeed', created_at: now - 30, updated_at: now - 5 });
		const { out, cron } = await fetchTestEvent({ taskTypes: ['textToVideo', 'imageGeneration', 'textToAudio'] });
		expect(out.map((o) => o.map((list) => list.map((e) => e.json.taskId)))).toEqual([[[], [newest.task_id]]]);
		expect(cron).toBe(false);
		expect(sim.requests.filter((r) => r.query.pageNum !== undefined).map((r) => [r.path, r.query.pageNum, r.query.pageSize])).toEqual([
			[T2V, '1', '50'],
			[IMG, '1', '50'],
			[AUD, '1', '50'],
		]);
		void older;
		void tie;
		// A task without updated_at is placed by its created_at.
		const undated = sim.insertTask('textToVideo', { task_status: 'succeed', created_at: now + 1, updated_at: undefined });
		const again = await fetchTestEvent({ taskTypes: ['textToVideo', 'imageGeneration'], filters: { externalTaskIdPrefix: '' } });
		expect(again.out[0][0].map((e) => e.json.taskId)).toEqual([undated.task_id]);
	});

	it('filters apply; with Include Tasks Waited For the waited task counts; without any match it says what to do', async () => {
		const now = Date.now();
		const mine = sim.insertTask('textToVideo', { task_status: 'succeed', created_at: now - 20, external_task_id: 'wf-a-1' });
		sim.insertTask('textToVideo', { task_status: 'succeed', created_at: now - 10, external_task_id: 'wf-b-1' });
		const waited = sim.insertTask('textToVideo', { task_status: 'succeed', created_at: now - 5, external_task_id: 'n8n-wait-0123456789abcdef01234567' });
		expect((await fetchTestEvent({ taskTypes: ['textToVideo'], filters: { externalTaskIdPrefix: 'wf-a-' } })).out[0][0].map((e) => e.json.taskId)).toEqual([mine.task_id]);
		expect((await fetchTestEvent({ taskTypes: ['textToVideo'], filters: { includeWaitedTasks: true } })).out[0][0].map((e) => e.json.taskId)).toEqual([waited.task_id]);
		const withPrefix = await rejectionOf(fetchTestEvent({ taskTypes: ['textToVideo'], filters: { externalTaskIdPrefix: 'wf-c-' } }));
		expect([withPrefix.message, withPrefix.description]).toEqual([
			'No finished task found to use as a test event',
			'None of the 50 newest tasks of each chosen task type has finished with an external task ID starting with "wf-c-". Create a task with the Kling AI node, wait until it finishes, and fetch again.',
		]);
		const none = await rejectionOf(fetchTestEvent({ taskTypes: ['imageGeneration'] }));
		expect(none.description).toBe('None of the 50 newest tasks of each chosen task type has finished. Create a task with the Kling AI node, wait until it finishes, and fetch again.');
	});

	it('downloads the sample\'s files when asked', async () => {
		const t = sim.insertTask('textToVideo', { task_status: 'succeed' });
		const video = { ...(t.task_result as { videos: IDataObject[] }).videos[0] };
		video.watermark_url = String(video.url).replace('/0.mp4', '/0-wm.mp4');
		sim.insertTask('textToVideo', { task_status: 'succeed', task_id: `${t.task_id}7`, created_at: t.created_at + 1, task_result: { videos: [video] } });
		const { out } = await fetchTestEvent({ taskTypes: ['textToVideo'], downloadResults: true, binaryPropertyName: 'clip' });
		expect(Object.keys(out[0][0][0].binary ?? {})).toEqual(['clip']);
		expect(out[0][0][0].json.taskId).toBe(`${t.task_id}7`);
		// Without Download Watermarked: the file without the watermark.
		expect(sim.requests.filter((r) => r.path.startsWith('/media/')).map((r) => r.path)).toEqual([`/media/${t.task_id}/0.mp4`]);
	});
});

describe('the runner', () => {
	it('skips a tick while a poll runs (and says so), polls again afterwards, and never after the trigger is closed', async () => {
		const a = await activate({ taskTypes: ['textToVideo'] });
		logs = [];
		const before = sim.requests.length;
		const first = a.tick();
		await a.runner.tick();
		expect(klingLogs()).toEqual([{ level: 'debug', message: 'Kling AI Poll Trigger: the previous poll is still running; skipping this one', meta: { workflowId: WF } }]);
		await first;
		await a.tick();
		expect(listPaths(before)).toEqual([T2V, T2V]);
		await a.close();
		expect(a.runner.closed).toBe(true);
		expect(emitterFor(WF)).toBeUndefined();
		await a.runner.tick();
		expect(listPaths(before)).toEqual([T2V, T2V]);
	});

	it('runPoll reports what it emitted and how many list calls it made', async () => {
		const now = freezeClock();
		const a = await activate({ taskTypes: ['textToVideo', 'imageGeneration'] });
		sim.insertTask('textToVideo', { task_status: 'succeed', created_at: now + 1 });
		sim.insertTask('imageGeneration', { task_status: 'succeed', created_at: now + 1 });
		const settings = { taskTypes: ['textToVideo', 'imageGeneration'] as const, externalTaskIdPrefix: '', includeWaited: false, catchUpMs: 0, maxLookBackMs: 48 * HOUR, downloadResults: false, binaryPropertyName: 'data', downloadWatermarked: false };
		const result = await runPoll(a.ctx, { ...settings, taskTypes: [...settings.taskTypes] }, a.runner, 120_000, a.runner);
		expect(result).toEqual({ emitted: 2, listCalls: 2 });
		expect(await runPoll(a.ctx, { ...settings, taskTypes: [...settings.taskTypes] }, a.runner, 120_000, a.runner)).toEqual({ emitted: 0, listCalls: 2 });
	});
});
