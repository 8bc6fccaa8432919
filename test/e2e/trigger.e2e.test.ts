/**
 * Real n8n, scenarios 2, 3 and 4 (issue 7). Scenario 2: a workflow (built-in Webhook → Kling AI Text to Video with Callback "Kling AI
 * Trigger" → recorder) creates a task whose callback_url is the Kling AI Trigger's production URL; a second,
 * published workflow (Kling AI Trigger → one recorder per output) receives the simulator's callbacks.
 * Succeeded tasks arrive on output 0, failed tasks on output 1, progress callbacks start no execution.
 * Scenario 3: duplicated, reordered and progress callbacks give exactly one item per task. Scenario 4: forged callbacks
 * are rejected (401/400) and start no execution. One n8n instance for the whole file.
 */
import { startSimulator } from '../simulator';
import * as harness from './harness/n8n';

jest.setTimeout(20 * 60_000);

const KEYS = { accessKey: 'ak_e2e_trigger', secretKey: 'sk_e2e_trigger_secret' };
const CRED = { id: 'klingE2eCredTrg1', name: 'Kling simulator' };
const TRIGGER_WEBHOOK_ID = '6d0c2f4e-8a51-4c1b-9e3a-2f5b7c9d1e01';
const WF = { create: 'klingE2eCreateCb1', trigger: 'klingE2eTrigger01' };

type Sim = Awaited<ReturnType<typeof startSimulator>>;
type N8n = Awaited<ReturnType<typeof harness.startN8n>>;
type Recorder = Awaited<ReturnType<typeof harness.startRecorder>>;
type Item = { taskId: string; externalTaskId?: string; status: string; statusMessage?: string; taskType: string; finished: boolean; videos: Array<{ url: string }> };

describe('real n8n: create with callback → Kling AI Trigger outputs', () => {
	let sim: Sim;
	let n8n: N8n;
	let recorder: Recorder;
	let triggerUrl = '';

	beforeAll(async () => {
		sim = await startSimulator({ port: 0, ...KEYS, timings: { toProcessingMs: 100, toFinishMs: 600 } });
		recorder = await harness.startRecorder();
		const common = { CRED_ID: CRED.id, CRED_NAME: CRED.name, RECORDER_URL: recorder.url };
		n8n = await harness.startN8n({
			credentials: [
				harness.loadFixture('credential.kling.json', { ...common, ACCESS_KEY: KEYS.accessKey, SECRET_KEY: KEYS.secretKey, SIM_URL: sim.url, WEBHOOK_SECRET: '' }),
			],
			workflows: ({ webhookUrl }) => {
				// The trigger's production URL, exactly as its node panel shows it: /webhook/<webhookId>/<path>.
				triggerUrl = webhookUrl(`${TRIGGER_WEBHOOK_ID}/webhook`);
				return [
					harness.loadFixture('workflow.trigger.json', { ...common, TRIGGER_WEBHOOK_ID, LABEL_PREFIX: '' }),
					harness.loadFixture('workflow.create-with-callback.json', { ...common, TRIGGER_URL: triggerUrl }),
				];
			},
		});
	}, 20 * 60_000);

	afterAll(async () => {
		await n8n?.stop();
		await recorder?.close();
		await sim?.close();
	});

	let promptSeq = 0;
	const createRequestFor = (prompt: string) =>
		sim.requests.find((r) => r.method === 'POST' && r.path === '/v1/videos/text2video' && (r.body as Record<string, unknown> | null)?.prompt === prompt);

	/**
	 * Create one task through the create workflow. Every case creates its own tasks (a unique prompt per call) and
	 * looks only at them, so a case passes or fails the same when run alone (-t) or after the others.
	 */
	async function createVideo(prompt: string): Promise<Item & { callbackUrl: string }> {
		const unique = `${prompt} #${++promptSeq}-${Date.now()}`;
		// The Webhook node answers when the workflow has finished (responseMode lastNode).
		const res = await n8n.webhook('e2e-create-with-callback', { prompt: unique });
		expect(res.status).toBe(200);
		const req = await harness.waitUntil(() => createRequestFor(unique), { timeoutMs: 30_000, message: `no create request for "${unique}"` });
		const body = req.body as Record<string, unknown>;
		const ext = (body.external_task_id as string | undefined) ?? '';
		const task = sim.tasks().find((t) => (t.task_info as Record<string, unknown> | undefined)?.external_task_id === ext);
		expect(task).toBeDefined();
		const taskId = String(task!.task_id);
		const [created] = await harness.waitUntil(() => (byTask('created', taskId).length ? byTask('created', taskId) : undefined), {
			timeoutMs: 30_000,
			message: `task ${taskId} was not recorded as created`,
		});
		return { ...created, callbackUrl: String(body.callback_url) };
	}

	const byTask = (label: string, taskId: string) => (recorder.records(label) as Item[]).filter((i) => i.taskId === taskId);
	/** Run data of finished executions, read once each (every read is a sqlite call). */
	const runDataText = new Map<number, string>();
	const mentions = (id: number, taskId: string) => {
		if (!runDataText.has(id)) runDataText.set(id, JSON.stringify(n8n.executionData(id)?.resultData?.runData ?? {}));
		return runDataText.get(id)!.includes(taskId);
	};
	const finishedRuns = (workflowId: string) => n8n.executions(workflowId).filter((e) => !['new', 'running', 'waiting'].includes(e.status));
	/** Finished executions of the trigger workflow whose data mention this task. */
	const triggerRunsOf = (taskId: string) => finishedRuns(WF.trigger).filter((e) => mentions(e.id, taskId));
	/** Wait until every callback of these tasks sent so far has been answered (or dropped). */
	const callbacksSettled = async (taskIds: Set<string>, minimum = 1): Promise<Sim['callbacks']> =>
		await harness.waitUntil(
			() => {
				const mine = sim.callbacks.filter((c) => taskIds.has(c.taskId));
				return mine.length >= minimum && mine.every((c) => c.delivered || c.dropped) ? mine : undefined;
			},
			{ timeoutMs: 30_000, message: () => `callbacks not settled: ${JSON.stringify(sim.callbacks.filter((c) => taskIds.has(c.taskId)))}` },
		);

	test('a created task reaches the Succeeded output with the video', async () => {
		const created = await createVideo('A red fox running through fresh snow at sunrise');
		expect(created.taskId).toBeTruthy();
		expect(created.taskType).toBe('textToVideo');
		expect(created.finished).toBe(false);

		// What Kling received: the trigger's production URL plus the task type and the credential-derived token.
		const callbackUrl = new URL(created.callbackUrl);
		expect(`${callbackUrl.origin}${callbackUrl.pathname}`).toBe(triggerUrl);
		expect(callbackUrl.searchParams.get('kling_type')).toBe('textToVideo');
		expect(callbackUrl.searchParams.get('kling_token')).toBeTruthy();

		const [item] = await harness.waitUntil(() => (byTask('succeeded', created.taskId).length ? byTask('succeeded', created.taskId) : undefined), {
			timeoutMs: 30_000,
			message: 'no item on the Succeeded output',
		});
		expect(item).toMatchObject({ taskId: created.taskId, status: 'succeeded', finished: true, taskType: 'textToVideo' });
		expect(item.videos[0].url.startsWith(`${sim.url}/media/`)).toBe(true);
		expect(byTask('failed', created.taskId)).toHaveLength(0);
	});

	test('a failing task reaches the Failed output with Kling\'s reason', async () => {
		const created = await createVideo('sim:fail a video that the simulator rejects');
		await harness.waitUntil(() => byTask('failed', created.taskId).length > 0, { timeoutMs: 30_000, message: 'no item on the Failed output' });
		const [item] = byTask('failed', created.taskId);
		expect(item).toMatchObject({ taskId: created.taskId, status: 'failed', finished: true });
		expect(item.statusMessage).toMatch(/risk control|sim:fail/i);
		expect(byTask('succeeded', created.taskId)).toHaveLength(0);
	});

	test('progress callbacks are acknowledged without an execution: one trigger execution per finished task', async () => {
		const tasks = [await createVideo('A lantern festival over a river'), await createVideo('sim:fail a collapsing sandcastle')];
		const ids = new Set(tasks.map((t) => t.taskId));
		// Wait for each task's terminal callback, then for all of its callbacks to be answered.
		await harness.waitUntil(
			() => tasks.every((t) => sim.callbacks.some((c) => c.taskId === t.taskId && (c.status === 'succeed' || c.status === 'failed'))),
			{ timeoutMs: 30_000, message: 'terminal callbacks not sent' },
		);
		const mine = await callbacksSettled(ids, 4);
		// Every callback of these tasks was answered 2xx, progress ones included ...
		const delivered = mine.filter((c) => c.delivered);
		expect(delivered).toHaveLength(mine.length);
		expect(delivered.every((c) => c.statusCode !== null && c.statusCode >= 200 && c.statusCode < 300)).toBe(true);
		for (const t of tasks) expect(delivered.some((c) => c.taskId === t.taskId && c.status === 'processing')).toBe(true);
		// ... but only the terminal one of each task started the trigger workflow.
		await harness.waitUntil(() => tasks.every((t) => triggerRunsOf(t.taskId).length >= 1), { timeoutMs: 30_000, message: 'trigger executions missing' });
		await new Promise((r) => setTimeout(r, 1000)); // room for a wrongly started extra execution to show up
		for (const t of tasks) {
			const runs = triggerRunsOf(t.taskId);
			expect(runs).toHaveLength(1);
			expect(runs[0]).toMatchObject({ status: 'success', mode: 'webhook' });
		}
		// The creating workflow ran successfully for each.
		const createRuns = finishedRuns(WF.create).filter((e) => tasks.some((t) => mentions(e.id, t.taskId)));
		expect(createRuns.map((e) => e.status)).toEqual(['success', 'success']);
	});

	test('scenario 3: duplicated, reordered and progress callbacks → exactly one item per task', async () => {
		const runsBefore = n8n.executions(WF.trigger).length;
		const callbacksBefore = sim.callbacks.length;
		// Every callback delivered twice; every progress callback held back until after the terminal one.
		sim.setOptions({ callbacks: { progress: true, duplicate: 1, reorder: 1 } });
		try {
			const tasks: Item[] = [];
			// (callbacksBefore only narrows the search: the ids below are this case's own tasks.)
			for (const prompt of ['A heron in the reeds', 'A kite over the dunes', 'sim:fail a storm at sea']) tasks.push(await createVideo(prompt));
			const ids = new Set(tasks.map((t) => t.taskId));
			await harness.waitUntil(
				() => {
					const mine = sim.callbacks.slice(callbacksBefore).filter((c) => ids.has(c.taskId));
					const terminalSent = tasks.every((t) => mine.some((c) => c.taskId === t.taskId && c.duplicate && (c.status === 'succeed' || c.status === 'failed')));
					return terminalSent && mine.every((c) => c.delivered || c.dropped);
				},
				{ timeoutMs: 30_000, message: () => `callbacks incomplete: ${JSON.stringify(sim.callbacks.slice(callbacksBefore))}` },
			);
			const mine = sim.callbacks.slice(callbacksBefore).filter((c) => ids.has(c.taskId));
			// The knobs took effect: terminal callbacks were duplicated, progress arrived after the terminal one.
			expect(mine.filter((c) => c.duplicate).length).toBeGreaterThanOrEqual(tasks.length);
			expect(mine.some((c) => c.reordered && c.status === 'processing')).toBe(true);
			expect(mine.every((c) => c.statusCode !== null && c.statusCode >= 200 && c.statusCode < 300)).toBe(true);

			await harness.waitUntil(() => tasks.every((t) => triggerRunsOf(t.taskId).length >= 1), { timeoutMs: 30_000, message: 'trigger executions missing' });
			await new Promise((r) => setTimeout(r, 1500)); // room for a wrongly started extra execution to show up
			for (const t of tasks) {
				const out = [...byTask('succeeded', t.taskId), ...byTask('failed', t.taskId)];
				expect(out).toHaveLength(1);
				expect(out[0].finished).toBe(true);
				expect(triggerRunsOf(t.taskId)).toHaveLength(1);
			}
			// Nothing else started meanwhile (the earlier cases' tasks had all settled before this one began).
			expect(n8n.executions(WF.trigger)).toHaveLength(runsBefore + tasks.length);
			process.stderr.write(`[kling-e2e] trigger workflow static data after duplicates: ${JSON.stringify(n8n.staticData(WF.trigger))}\n`);
		} finally {
			sim.setOptions({ callbacks: { progress: true, duplicate: 0, reorder: 0 } });
		}
	});

	test('scenario 4: forged callbacks (missing or wrong URL token, not a task) are rejected and start nothing', async () => {
		// A callback URL exactly as the action node built it (kling_type and kling_token), from this case's own task.
		const own = await createVideo('A quiet harbour at dawn');
		const signedCallbackUrl = own.callbackUrl;
		await harness.waitUntil(() => triggerRunsOf(own.taskId).length > 0, { timeoutMs: 30_000, message: 'own task not emitted' });
		await callbacksSettled(new Set([own.taskId]));
		await new Promise((r) => setTimeout(r, 500));
		const runsBefore = n8n.executions(WF.trigger).length;
		const recordsBefore = recorder.all().length;
		const forgedTask = { task_id: `forged-task-${Date.now()}`, task_status: 'succeed', created_at: Date.now(), updated_at: Date.now(), task_result: { videos: [{ id: 'v', url: 'https://evil.example/v.mp4', duration: '5' }] } };
		const post = async (url: string, body: unknown) => {
			const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
			const text = await res.text();
			return { status: res.status, text };
		};
		const noToken = new URL(signedCallbackUrl);
		noToken.searchParams.delete('kling_token');
		const wrongToken = new URL(signedCallbackUrl);
		wrongToken.searchParams.set('kling_token', 'not-the-token');

		const missing = await post(noToken.toString(), forgedTask);
		expect(missing.status).toBe(401);
		const wrong = await post(wrongToken.toString(), forgedTask);
		expect(wrong.status).toBe(401);
		expect(wrong.text).not.toContain(new URL(signedCallbackUrl).searchParams.get('kling_token'));
		const notTask = await post(signedCallbackUrl, { hello: 'world' });
		expect(notTask.status).toBe(400);
		expect(() => JSON.parse(notTask.text)).not.toThrow();
		const notJson = await post(signedCallbackUrl, 'this is not json');
		expect(notJson.status).toBeGreaterThanOrEqual(400);
		expect(notJson.status).toBeLessThan(500);

		await new Promise((r) => setTimeout(r, 1500));
		expect(n8n.executions(WF.trigger)).toHaveLength(runsBefore);
		expect(recorder.all()).toHaveLength(recordsBefore);
		expect(n8n.log()).toMatch(/Kling AI Trigger rejected a callback/);
		expect(n8n.log()).not.toContain(new URL(signedCallbackUrl).searchParams.get('kling_token'));
	});
});
