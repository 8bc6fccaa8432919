/**
 * Driver for `npm run bench -- calls` (compiled by test/bench/calls.mjs with tsc into a temp folder, then run with
 * plain node; never shipped). Counts Kling API calls per finished task from the simulator's request log, with the
 * REAL nodes in REAL n8n-core contexts (test/helpers/n8n.ts), real HTTP and the real credential:
 *
 *  A. Webhook path: the Kling AI node creates N tasks with Callback "Kling AI Trigger"; a loopback server hands the
 *     simulator's callbacks (progress, 20 % duplicated, 10 % reordered) to the Kling AI Trigger's webhook() through a
 *     WebhookContext, once with "Confirm With Kling API" off and once on.
 *  B. Poll fallback: N pending tasks (N = 10, 100, 1,000) watched by the Kling AI Poll Trigger through a TriggerContext
 *     (static data carried between polls as n8n persists it): list calls per poll while they are pending, in the poll
 *     that emits them, and afterwards; with Task Types = Text to Video only and with the default (every type).
 *
 * Prints one JSON object on stdout; progress on stderr.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { KlingAi } from '../../nodes/KlingAi/KlingAi.node';
import { KlingAiPollTrigger, PollTriggerRunner } from '../../nodes/KlingAi/KlingAiPollTrigger.node';
import { emitterFor, resetEmitters } from '../../nodes/KlingAi/shared/exactlyOnce';
import { KlingAiTrigger } from '../../nodes/KlingAi/KlingAiTrigger.node';
import { ledgerFor, resetLedgers, syncWithStaticData } from '../../nodes/KlingAi/shared/ledger';
import { executeContext, simulatorCredentials, triggerContext, webhookContext } from '../helpers/n8n';

interface SimRequest {
	method: string;
	path: string;
	query: Record<string, string>;
	status?: number;
	at: number;
}
interface SimCallback {
	taskId: string;
	status: string;
	delivered: boolean;
	statusCode: number | null;
	duplicate: boolean;
	reordered: boolean;
	dropped: boolean;
}
interface Sim {
	url: string;
	requests: SimRequest[];
	callbacks: SimCallback[];
	pending: Set<Promise<void>>;
	setOptions(o: IDataObject): void;
	insertTask(type: string, overrides?: IDataObject): IDataObject & { task_id: string };
	advance(taskId: string, status: string): IDataObject;
	tasks(): Array<IDataObject & { task_id: string; task_status: string }>;
	reset(): void;
	waitFor<T>(fn: () => T, timeoutMs?: number, intervalMs?: number): Promise<T>;
	close(): Promise<void>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startSimulator, ENDPOINTS } = require('../simulator') as {
	startSimulator: (o?: IDataObject) => Promise<Sim>;
	ENDPOINTS: Record<string, { path: string }>;
};
const BASE_PATHS = Object.values(ENDPOINTS).map((e) => e.path);

const log = (msg: string) => process.stderr.write(`[bench calls] ${msg}\n`);
function classify(requests: SimRequest[]) {
	const out = { create: 0, getById: 0, getByExternalId: 0, list: 0, media: 0, other: 0 };
	for (const r of requests) {
		if (r.path.startsWith('/media/')) out.media++;
		else if (r.method === 'POST' && r.path === '/tasks') out.list++; // the new-standard cursor list
		else if (r.method === 'POST') out.create++;
		else if (r.method === 'GET' && BASE_PATHS.includes(r.path) && r.query.external_task_id !== undefined) out.getByExternalId++;
		else if (r.method === 'GET' && BASE_PATHS.includes(r.path)) out.list++;
		else if (r.method === 'GET' && BASE_PATHS.some((b) => r.path.startsWith(`${b}/`))) out.getById++;
		else out.other++;
	}
	return out;
}

// ------------------------------------------------------------------ A. webhook path -------------------------------------

async function webhookPath(sim: Sim, n: number, confirmWithApi: boolean) {
	sim.reset();
	resetLedgers();
	const credentials = simulatorCredentials(sim.url);
	const trigger = new KlingAiTrigger();
	const parameters: IDataObject = { requireUrlToken: true, confirmWithApi, emitProgress: false, downloadResults: false, filters: {} };
	const workflowId = `wf-bench-calls-${confirmWithApi ? 'confirm' : 'plain'}`;
	const staticData: IDataObject = {};
	const emitted: string[] = [];
	const answers: number[] = [];

	const server = createServer((req, res) => void onHttp(req, res));
	async function onHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const rawBody = Buffer.concat(chunks);
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		let body: unknown = {};
		try {
			body = JSON.parse(rawBody.toString('utf8'));
		} catch {
			res.writeHead(422).end();
			return;
		}
		try {
			const { ctx, response } = webhookContext(
				{ nodeType: trigger, parameters, credentials, workflowId, staticData },
				{ body, rawBody, headers: req.headers as Record<string, string>, query: Object.fromEntries(url.searchParams) },
			);
			const result = await trigger.webhook.call(ctx);
			for (const items of result.workflowData ?? []) for (const item of items) emitted.push(String(item.json.taskId));
			const status = result.noWebhookResponse ? response.statusCode : 200;
			answers.push(status);
			res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(result.noWebhookResponse ? response.body : result.webhookResponse ?? {}));
		} catch (error) {
			answers.push(500);
			res.writeHead(500).end(String((error as Error).message));
		}
	}
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	const receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook/bench-calls/webhook`;
	try {
		const items: INodeExecutionData[] = Array.from({ length: n }, (_, i) => ({ json: { i } }));
		const ctx = executeContext(
			{
				nodeType: new KlingAi(),
				parameters: {
					resource: 'video',
					operation: 'textToVideo',
					prompt: 'Bench calls: a paper boat drifting down a river at dawn',
					model: 'kling-v2-5-turbo',
					aspectRatio: '16:9',
					callback: 'trigger',
					callbackUrl: receiverUrl,
					options: {},
				},
				credentials,
				workflowId: 'wf-bench-calls-create',
			},
			items,
			'webhook',
		);
		const created = await new KlingAi().execute.call(ctx);
		const taskIds = created[0].map((e) => String(e.json.taskId));
		if (taskIds.length !== n || taskIds.some((id) => !id || id === 'undefined')) throw new Error(`create returned ${JSON.stringify(created[0].slice(0, 2))}`);
		await sim.waitFor(
			() => sim.tasks().every((t) => t.task_status === 'succeed' || t.task_status === 'failed') && sim.pending.size === 0 && new Set(emitted).size >= n,
			120_000,
			50,
		);
		const counts = classify(sim.requests);
		const once = taskIds.filter((id) => emitted.filter((e) => e === id).length === 1).length;
		return {
			tasks: n,
			confirmWithApi,
			requests: counts,
			callbacks: {
				delivered: sim.callbacks.filter((c) => c.delivered).length,
				duplicates: sim.callbacks.filter((c) => c.duplicate).length,
				reordered: sim.callbacks.filter((c) => c.reordered).length,
				non2xx: answers.filter((s) => s < 200 || s >= 300).length,
			},
			emittedOnce: once,
			emissions: emitted.length,
		};
	} finally {
		await new Promise<void>((r) => server.close(() => r()));
	}
}

// ------------------------------------------------------------------ B. poll fallback ------------------------------------

async function pollFallback(sim: Sim, n: number, taskTypes: string[] | undefined, pendingPolls: number) {
	sim.reset();
	resetLedgers();
	resetEmitters();
	const node = new KlingAiPollTrigger();
	const parameters: IDataObject = taskTypes ? { taskTypes } : {};
	// Activated once, as n8n does for a trigger() node; each poll is one cron tick.
	let onTick: (() => void) | undefined;
	const emitted: string[] = [];
	const workflowId = `wf-bench-poll-${n}-${taskTypes ? 'one' : 'all'}`;
	const { ctx } = triggerContext(
		{ nodeType: node, parameters, credentials: simulatorCredentials(sim.url), workflowId },
		{
			emit: (data) => emitted.push(...data.flat().map((e) => String(e.json.taskId))),
			registerCron: (_cron, tick) => (onTick = tick),
		},
	);
	let activating = true;
	const poll = async () => {
		const before = sim.requests.length;
		const emittedBefore = emitted.length;
		if (activating) {
			await node.trigger.call(ctx);
			activating = false;
		} else {
			onTick!();
			await (emitterFor(workflowId) as PollTriggerRunner).running;
		}
		const calls = classify(sim.requests.slice(before));
		return { calls: calls.list + calls.getById + calls.getByExternalId, list: calls.list, emitted: emitted.slice(emittedBefore) };
	};
	const activation = await poll();
	const tasks = Array.from({ length: n }, () => sim.insertTask('textToVideo', { task_status: 'processing' }));
	const pending: number[] = [];
	for (let p = 0; p < pendingPolls; p++) {
		const r = await poll();
		if (r.emitted.length) throw new Error(`poll emitted ${r.emitted.length} task(s) while all were pending`);
		pending.push(r.calls);
	}
	for (const t of tasks) sim.advance(t.task_id, 'succeed');
	const finishing = await poll();
	const after = await poll();
	const ids = new Set(tasks.map((t) => t.task_id));
	const emittedOnce = finishing.emitted.filter((id) => ids.has(id)).length;
	return {
		n,
		taskTypes: taskTypes ?? 'default (every type)',
		activationCalls: activation.calls,
		pendingPollCalls: pending,
		finishingPollCalls: finishing.calls,
		afterPollCalls: after.calls,
		emitted: finishing.emitted.length,
		emittedOnce,
		emittedAgainLater: after.emitted.length,
	};
}

// ------------------------------------------------------------------ C. per-callback cost vs tasks seen ----------------

/**
 * CPU time of one accepted terminal callback (the trigger's webhook(), in a real WebhookContext) after the workflow
 * has already emitted `seen` tasks. Static data goes through a JSON round trip per callback, as n8n loads it from and
 * saves it to its database on every webhook request, so a ledger that grows with history would show here.
 * `route`: 'startHere' (the trigger starts the execution and mirrors its ledger into static data) or 'handOver'
 * (the Poll Trigger of the process emits it under n8n's key; the trigger writes no static data).
 */
async function callbackCost(sim: Sim, seen: number, route: 'startHere' | 'handOver', callbacks: number) {
	resetLedgers();
	resetEmitters();
	const workflowId = `wf-bench-cost-${seen}-${route}`;
	const ledger = ledgerFor(workflowId);
	const longAgo = Date.now() - 3_600_000;
	for (let i = 0; i < seen; i++) ledger.claim({ taskId: `seen-${i}`, status: 'succeeded', updatedAtMs: 1 }, 'callback', longAgo + i);
	const globalData: IDataObject = {};
	syncWithStaticData(ledger, globalData)();
	let stored = JSON.stringify({ global: globalData });
	let emitted = 0;
	if (route === 'handOver') {
		const { ctx } = triggerContext(
			{ nodeType: new KlingAiPollTrigger(), parameters: { taskTypes: ['textToVideo'] }, credentials: simulatorCredentials(sim.url), workflowId },
			{ emit: () => void emitted++, registerCron: () => undefined },
		);
		await new KlingAiPollTrigger().trigger.call(ctx);
	}
	const trigger = new KlingAiTrigger();
	const bodies = Array.from({ length: callbacks }, (_, i) => ({ task_id: `cost-${seen}-${route}-${i}`, task_status: 'succeed', created_at: Date.now(), updated_at: Date.now(), task_result: { videos: [] } }));
	let started = 0;
	const cpu0 = process.cpuUsage();
	const t0 = process.hrtime.bigint();
	for (const body of bodies) {
		const raw = Buffer.from(JSON.stringify(body));
		const { ctx, workflow } = webhookContext(
			{
				nodeType: trigger,
				parameters: { startExecutions: route === 'handOver' ? 'auto' : 'here', requireUrlToken: false, confirmWithApi: false, emitProgress: false, downloadResults: false, filters: {} },
				credentials: simulatorCredentials(sim.url),
				workflowId,
				nodeName: 'Kling AI Trigger',
				staticData: JSON.parse(stored) as IDataObject,
			},
			{ body, rawBody: raw, headers: { 'content-type': 'application/json' }, query: { kling_type: 'textToVideo' } },
		);
		const result = await trigger.webhook.call(ctx);
		if (result.workflowData) started++;
		stored = JSON.stringify(workflow.staticData);
	}
	const wallUs = Number(process.hrtime.bigint() - t0) / 1000 / callbacks;
	const cpu = process.cpuUsage(cpu0);
	return { seen, route, callbacks, usPerCallback: (cpu.user + cpu.system) / callbacks, wallUsPerCallback: wallUs, staticDataBytes: stored.length, started, emitted };
}

async function main(): Promise<void> {
	const n = Number(process.argv[2] ?? 50);
	const pendingPolls = Number(process.argv[3] ?? 3);
	const sizes = (process.argv[4] ?? '10,100,1000').split(',').map(Number);
	const sim = await startSimulator({
		port: 0,
		timings: { toProcessingMs: 50, toFinishMs: 400 },
		callbacks: { progress: true, duplicate: 0.2, reorder: 0.1 },
		seed: 8,
	});
	try {
		const webhook = [];
		for (const confirm of [false, true]) {
			log(`webhook path: ${n} tasks, Confirm With Kling API ${confirm ? 'on' : 'off'}`);
			webhook.push(await webhookPath(sim, n, confirm));
		}
		sim.setOptions({ autoAdvance: false, callbacks: { progress: false, duplicate: 0, reorder: 0 } });
		const poll = [];
		for (const size of sizes) {
			for (const types of [['textToVideo'], undefined]) {
				log(`poll fallback: ${size} pending tasks, task types ${types ? types.join(',') : 'default'}`);
				poll.push(await pollFallback(sim, size, types, pendingPolls));
			}
		}
		const cost = [];
		for (const route of ['startHere', 'handOver'] as const) {
			for (const seen of [100, 1_000, 10_000]) {
				log(`per-callback cost: ${seen} tasks seen, ${route}`);
				await callbackCost(sim, seen, route, 300); // warm-up (JIT), not reported
				cost.push(await callbackCost(sim, seen, route, 1_000));
			}
		}
		process.stdout.write(`${JSON.stringify({ webhook, poll, pendingPolls, cost })}\n`);
	} finally {
		await sim.close();
	}
}

main().catch((error) => {
	process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
	process.exit(1);
});
