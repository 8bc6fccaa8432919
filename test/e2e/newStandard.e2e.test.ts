/**
 * Real n8n, issue 13 "Must show": kling-3.0-turbo text to video (new standard, API-key credential)
 * 1. via the Kling AI Trigger: the new-standard callback (options.callback_url = the trigger's production URL +
 *    token) lands on Succeeded once;
 * 2. via create-and-wait (Wait for Completion: Callback): the new-standard callback resumes the execution, Succeeded
 *    once with the video downloaded;
 * 3. the Poll Trigger (version 2, "Watch Task Types: Created by This Workflow") recovers a task whose callback was
 *    dropped, once, with the de-duplication key `kling:v1:<workflow>:<task>:succeeded`; its polls are one
 *    `POST /tasks` each (the workflow creates new-standard tasks only).
 *
 * One n8n instance. Workflow "both": Kling AI Trigger + Kling AI Poll Trigger (every 15 s) → recorders, and a Webhook →
 * Kling AI (kling-3.0-turbo, status updates to the trigger) branch that creates the tasks. Workflow "wait": Webhook →
 * Kling AI (kling-3.0-turbo, Wait for Completion) → recorders. In one n8n process the Kling AI Trigger hands callbacks
 * to the Poll Trigger of its workflow, so results come out of the Poll Trigger's outputs whichever path found them.
 */
import { startSimulator } from '../simulator';
import * as harness from './harness/n8n';
import { connect, klingNode, recorderNode, uuidFor, webhookNode, workflow, type NodeJson } from './fixtures/build';

jest.setTimeout(20 * 60_000);

const API_KEY = 'kling_api_key_e2e_ns';
const CRED = { id: 'klingE2eCredNs001', name: 'Kling simulator (API key)' };
const WF = { both: 'klingE2eNsBoth001', wait: 'klingE2eNsWait001' };
const TRIGGER_WEBHOOK_ID = uuidFor('webhook:ns-trigger');
const NS_PATH = '/text-to-video/kling-3.0-turbo';
const LABELS = ['callback-succeeded', 'callback-failed', 'poll-succeeded', 'poll-failed', 'wait-ok', 'wait-fail'] as const;
type Item = { taskId: string; status: string; taskType: string; finished: boolean; billing?: unknown[] };

const T2V_TURBO = { resource: 'video', operation: 'textToVideo', model: 'kling-3.0-turbo', duration: '5', aspectRatio: '16:9', options: {} };

function bothWorkflow(recorderUrl: string, triggerUrl: string): Record<string, unknown> {
	const nodes: NodeJson[] = [
		{
			id: uuidFor('node:ns trigger'),
			name: 'Kling AI Trigger',
			type: harness.NODE_TYPES.trigger,
			typeVersion: 1,
			position: [0, -200],
			webhookId: TRIGGER_WEBHOOK_ID,
			parameters: { requireUrlToken: true, confirmWithApi: false, emitProgress: false, downloadResults: false, filters: {} },
			credentials: { klingAiApi: CRED },
		},
		{
			id: uuidFor('node:ns poll'),
			name: 'Kling AI Poll Trigger',
			type: harness.NODE_TYPES.pollTrigger,
			typeVersion: 2,
			position: [0, 200],
			// watchTaskTypes left at its default: "Created by This Workflow".
			parameters: { pollInterval: '*/15 * * * * *', downloadResults: false, filters: {}, options: {} },
			credentials: { klingAiApi: CRED },
		},
		recorderNode('Record callback succeeded', recorderUrl, 'callback-succeeded', [300, -300]),
		recorderNode('Record callback failed', recorderUrl, 'callback-failed', [300, -100]),
		recorderNode('Record poll succeeded', recorderUrl, 'poll-succeeded', [300, 100]),
		recorderNode('Record poll failed', recorderUrl, 'poll-failed', [300, 300]),
		webhookNode('Create', 'e2e-ns-create', [0, 500]),
		klingNode('Kling AI (turbo)', { ...T2V_TURBO, prompt: '={{ $json.body.prompt }}', callback: 'trigger', callbackUrl: triggerUrl }, CRED, [300, 500]),
	];
	const connections = {};
	connect(connections, 'Kling AI Trigger', 'Record callback succeeded', 'Record callback failed');
	connect(connections, 'Kling AI Poll Trigger', 'Record poll succeeded', 'Record poll failed');
	connect(connections, 'Create', 'Kling AI (turbo)');
	return workflow(WF.both, 'E2E: new standard - trigger + poll trigger + create', nodes, connections);
}

function waitWorkflow(recorderUrl: string): Record<string, unknown> {
	const nodes: NodeJson[] = [
		webhookNode('Start', 'e2e-ns-wait', [0, 0]),
		klingNode('Kling AI (turbo, wait)', { ...T2V_TURBO, prompt: '={{ $json.body.prompt }}', waitForCompletion: 'callback', waitTimeLimit: 2, pollIntervalSeconds: 1, downloadResults: true, binaryPropertyName: 'video' }, CRED, [260, 0]),
		recorderNode('Record ok', recorderUrl, 'wait-ok', [520, -80]),
		recorderNode('Record fail', recorderUrl, 'wait-fail', [520, 80]),
	];
	const connections = {};
	connect(connections, 'Start', 'Kling AI (turbo, wait)');
	connect(connections, 'Kling AI (turbo, wait)', 'Record ok', 'Record fail');
	return workflow(WF.wait, 'E2E: new standard - create and wait', nodes, connections);
}

describe('real n8n: Kling 3.0 Turbo on the new standard (API key)', () => {
	let sim: Awaited<ReturnType<typeof startSimulator>>;
	let n8n: Awaited<ReturnType<typeof harness.startN8n>>;
	let recorder: Awaited<ReturnType<typeof harness.startRecorder>>;

	beforeAll(async () => {
		sim = await startSimulator({ port: 0, apiKeys: [API_KEY], timings: { toProcessingMs: 500, toFinishMs: 3000 }, seed: 13 });
		recorder = await harness.startRecorder();
		n8n = await harness.startN8n({
			credentials: [
				{
					id: CRED.id,
					name: CRED.name,
					type: harness.CREDENTIAL_TYPE,
					data: { authType: 'apiKey', apiKey: API_KEY, region: 'custom', customBaseUrl: sim.url, webhookSecret: '' },
				},
			],
			workflows: ({ webhookUrl }) => [bothWorkflow(recorder.url, webhookUrl(`${TRIGGER_WEBHOOK_ID}/webhook`)), waitWorkflow(recorder.url)],
		});
	}, 20 * 60_000);

	afterAll(async () => {
		await n8n?.stop();
		await recorder?.close();
		await sim?.close();
	});

	const deliveries = (taskId: string) => LABELS.flatMap((label) => (recorder.records(label) as Item[]).filter((i) => i.taskId === taskId).map((i) => [label, i] as const));

	async function create(prompt: string): Promise<string> {
		const startedAt = Date.now();
		const res = await n8n.webhook('e2e-ns-create', { prompt });
		expect(res.status).toBe(200);
		const req = await harness.waitUntil(() => sim.requests.find((r) => r.method === 'POST' && r.path === NS_PATH && r.at >= startedAt && r.status === 200 && JSON.stringify(r.body).includes(prompt)), {
			timeoutMs: 30_000,
			message: () => `no accepted ${NS_PATH} create; last ${JSON.stringify(sim.requests.slice(-3).map((r) => [r.path, r.status, r.code]))}\n${n8n.logTail(20)}`,
		});
		expect(req.auth.kind).toBe('apiKey');
		const options = (req.body as { options: Record<string, unknown> }).options;
		expect(String(options.callback_url)).toContain(`/webhook/${TRIGGER_WEBHOOK_ID}/webhook`);
		return String(sim.task(String(options.external_task_id))!.task.task_id);
	}

	it('via the Kling AI Trigger: the new-standard callback lands on Succeeded once', async () => {
		const taskId = await create('a red fox in the snow, new standard');
		const [label, item] = (await harness.waitUntil(() => deliveries(taskId)[0], { timeoutMs: 60_000, message: () => `no delivery of ${taskId}\n${n8n.logTail(30)}` }))!;
		expect(label).toMatch(/succeeded/);
		expect(item).toMatchObject({ taskId, status: 'succeeded', taskType: 'newStandard', finished: true });
		expect(item.billing).toHaveLength(2);
		const delivered = sim.callbacks.filter((c) => c.taskId === taskId && c.delivered);
		expect(delivered.some((c) => (c.body as { status?: string }).status === 'succeeded')).toBe(true);
		// Another poll later: still once.
		await new Promise((r) => setTimeout(r, 17_000));
		expect(deliveries(taskId)).toHaveLength(1);
		harness.progress(`trigger: task ${taskId} delivered once`);
	});

	it('via create-and-wait: Succeeded once with the video downloaded', async () => {
		const startedAt = Date.now();
		const res = await n8n.webhook('e2e-ns-wait', { prompt: 'a blue whale, new standard wait' });
		expect(res.status).toBe(200);
		const req = await harness.waitUntil(() => sim.requests.find((r) => r.method === 'POST' && r.path === NS_PATH && r.at >= startedAt && r.status === 200), { timeoutMs: 30_000, message: 'no create' });
		const options = (req.body as { options: Record<string, unknown> }).options;
		expect(String(options.callback_url)).toMatch(/\/webhook-waiting\//);
		const taskId = String(sim.task(String(options.external_task_id))!.task.task_id);
		const item = await harness.waitUntil(() => (recorder.records('wait-ok') as Item[]).find((i) => i.taskId === taskId), {
			timeoutMs: 60_000,
			message: () => `no Succeeded for ${taskId}; failed: ${JSON.stringify(recorder.records('wait-fail'))}\n${n8n.logTail(30)}`,
		});
		expect(item).toMatchObject({ taskId, status: 'succeeded', taskType: 'newStandard' });
		expect((recorder.records('wait-ok') as Item[]).filter((i) => i.taskId === taskId)).toHaveLength(1);
		const out = await harness.waitUntil(
			() => {
				for (const row of n8n.executions(WF.wait).reverse()) {
					const runs = n8n.executionData(row.id)?.resultData?.runData?.['Kling AI (turbo, wait)'];
					const first = runs?.[runs.length - 1]?.data?.main?.[0]?.[0];
					if (first?.json?.taskId === taskId) return first;
				}
				return undefined;
			},
			{ timeoutMs: 30_000, message: 'no execution holding the task' },
		);
		expect(out.binary?.video).toMatchObject({ mimeType: 'video/mp4', fileName: `${taskId}.mp4` });
		harness.progress(`wait: task ${taskId} succeeded and downloaded`);
	});

	it('the Poll Trigger recovers a dropped new-standard callback once, keyed, in one POST /tasks per poll', async () => {
		sim.setOptions({ callbacks: { drop: 1 } });
		try {
			const taskId = await create('a dropped callback, new standard');
			const item = await harness.waitUntil(() => deliveries(taskId)[0], { timeoutMs: 90_000, intervalMs: 500, message: () => `poll never recovered ${taskId}\n${n8n.logTail(30)}` });
			expect(item[0]).toBe('poll-succeeded');
			expect(sim.callbacks.filter((c) => c.taskId === taskId).every((c) => c.dropped)).toBe(true);
			await new Promise((r) => setTimeout(r, 17_000));
			expect(deliveries(taskId)).toHaveLength(1);
			if (n8n.hasDeduplicationKey()) {
				const keys = n8n.executionKeys(WF.both).map((e) => e.deduplicationKey);
				expect(keys.filter((k) => k === `kling:v1:${WF.both}:${taskId}:succeeded`)).toHaveLength(1);
			}
			// "Created by This Workflow": the only creator makes new-standard tasks, so polls list /tasks only.
			const listCalls = sim.requests.filter((r) => (r.method === 'POST' && r.path === '/tasks') || (r.method === 'GET' && r.query.pageNum !== undefined));
			expect(listCalls.length).toBeGreaterThan(0);
			expect(listCalls.every((r) => r.path === '/tasks')).toBe(true);
			harness.progress(`poll: task ${taskId} recovered once; ${listCalls.length} list calls, all POST /tasks`);
		} finally {
			sim.setOptions({ callbacks: { drop: 0 } });
		}
	});
});
