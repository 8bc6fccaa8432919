/**
 * Driver for `npm run bench -- pollcost` (compiled by test/bench/pollcost.mjs with tsc, run with plain node; never
 * shipped). List calls per poll of the Kling AI Poll Trigger (real node, real n8n-core TriggerContext, real HTTP to
 * the simulator) for workflows that create one task type vs all types, with today's per-type polling (version 1,
 * Task Types left at the default = every type) as the baseline. Each scenario: activation (first scan), then
 * `polls` idle polls with `pending` unfinished tasks of the workflow's type being watched; the calls of the steady
 * polls are counted from the simulator's request log. Prints one JSON object on stdout.
 */
import type { IDataObject } from 'n8n-workflow';
import { KlingAiPollTrigger, PollTriggerRunner } from '../../nodes/KlingAi/KlingAiPollTrigger.node';
import { emitterFor, resetEmitters } from '../../nodes/KlingAi/shared/exactlyOnce';
import { TASK_TYPES } from '../../nodes/KlingAi/shared/endpoints';
import { resetLedgers } from '../../nodes/KlingAi/shared/ledger';
import { TEST_KEYS, simulatorCredentials, triggerContext, type ContextSetup } from '../helpers/n8n';

interface SimRequest {
	method: string;
	path: string;
	query: Record<string, string>;
}
interface Sim {
	url: string;
	requests: SimRequest[];
	insertTask(type: string, overrides?: IDataObject): IDataObject & { task_id: string };
	reset(): void;
	close(): Promise<void>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startSimulator } = require('../simulator') as { startSimulator: (o?: IDataObject) => Promise<Sim> };

const node = new KlingAiPollTrigger();
const kling = (parameters: IDataObject) => ({ name: `Kling AI ${JSON.stringify(parameters)}`, type: 'n8n-nodes-kling-ai.klingAi', parameters: parameters as never });
const isList = (r: SimRequest) => (r.method === 'GET' && r.query.pageNum !== undefined) || (r.method === 'POST' && r.path === '/tasks');

interface Scenario {
	label: string;
	setup: Partial<ContextSetup> & { parameters: IDataObject };
	pendingType: string;
}

async function measure(sim: Sim, s: Scenario, pending: number, polls: number): Promise<{ perPoll: number[]; types: number }> {
	sim.reset();
	resetLedgers();
	resetEmitters();
	let tick: (() => void) | undefined;
	const workflowId = `wf-bench-${s.label.replace(/\W+/g, '-')}`;
	const { ctx } = triggerContext(
		{ nodeType: node, credentials: simulatorCredentials(sim.url, { authType: 'apiKey', apiKey: TEST_KEYS.apiKey }), workflowId, ...s.setup },
		{ emit: () => undefined, registerCron: (_c, onTick) => (tick = onTick) },
	);
	const response = await node.trigger.call(ctx);
	const runner = emitterFor(workflowId) as PollTriggerRunner;
	for (let i = 0; i < pending; i++) sim.insertTask(s.pendingType, { task_status: 'processing' });
	const perPoll: number[] = [];
	for (let p = 0; p < polls; p++) {
		const before = sim.requests.length;
		tick!();
		await runner.running;
		perPoll.push(sim.requests.slice(before).filter(isList).length);
	}
	await response.closeFunction?.();
	const types = new Set(sim.requests.filter(isList).map((r) => `${r.method} ${r.path}`)).size;
	return { perPoll, types };
}

async function main(): Promise<void> {
	const pending = Number(process.argv[2] ?? 100);
	const polls = Number(process.argv[3] ?? 3);
	const sim = await startSimulator({ autoAdvance: false, callbacks: { progress: false } });
	const scenarios: Scenario[] = [
		{ label: "Today: version 1, Task Types at the default (every type, one list call per type)", setup: { typeVersion: 1, parameters: {} }, pendingType: 'textToVideo' },
		{ label: 'Created by This Workflow: one legacy type (Text to Video, kling-v2-5-turbo)', setup: { typeVersion: 2, parameters: {}, extraNodes: [kling({ operation: 'textToVideo' })] }, pendingType: 'textToVideo' },
		{ label: 'Created by This Workflow: one new-standard model (Text to Video, kling-3.0-turbo)', setup: { typeVersion: 2, parameters: {}, extraNodes: [kling({ operation: 'textToVideo', model: 'kling-3.0-turbo' })] }, pendingType: 'newStandard' },
		{
			label: 'Created by This Workflow: all four new-standard families (t2v, i2v, omni, motion; 12 model paths)',
			setup: {
				typeVersion: 2,
				parameters: {},
				extraNodes: [
					kling({ operation: 'textToVideo', model: 'kling-3.0-turbo' }),
					kling({ operation: 'imageToVideo', model: 'kling-v3', apiStandard: 'new' }),
					kling({ operation: 'omniVideo', model: 'kling-v3-omni', apiStandard: 'new' }),
					kling({ operation: 'motionControl', model: 'kling-v2-6', apiStandard: 'new' }),
				],
			},
			pendingType: 'newStandard',
		},
		{ label: 'Created by This Workflow: Text to Video with API Standard "Auto" (both standards)', setup: { typeVersion: 2, parameters: {}, extraNodes: [kling({ operation: 'textToVideo', model: 'kling-v3', apiStandard: 'auto' })] }, pendingType: 'textToVideo' },
		{ label: 'Watch Task Types: All (every type)', setup: { typeVersion: 2, parameters: { watchTaskTypes: 'all' } }, pendingType: 'textToVideo' },
	];
	const results = [];
	for (const s of scenarios) {
		process.stderr.write(`[bench pollcost] ${s.label}\n`);
		results.push({ label: s.label, ...(await measure(sim, s, pending, polls)) });
	}
	await sim.close();
	process.stdout.write(`${JSON.stringify({ pending, polls, taskTypes: TASK_TYPES.length, results })}\n`);
}

main().catch((error) => {
	process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
	process.exit(1);
});
