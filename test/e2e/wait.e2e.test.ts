/**
 * Real n8n, scenarios 6 and 7 (issue 7).
 *
 * Scenario 6, create and wait: Webhook → Kling AI (Text to Video, Wait for Completion) → a recorder on Succeeded and
 * one on Failed. Callback mode: the simulator calls the execution's resume URL with `processing` (the execution keeps
 * waiting) and then `succeed` / `failed` (it resumes on that output). Poll mode: no callback URL is sent and the node
 * polls Get Task. Callback, then poll with every callback dropped: the in-process watcher polls and resumes the execution. Timeout: the task
 * never finishes; n8n ends the wait by itself (running no node code) and the staged item goes out on Failed with
 * `waitTimedOut: true` and the task id.
 *
 * Scenario 7, result download lands in binary data: create-and-wait with Download Results (a 3 MB streamed video),
 * Get Task with Download Results, and the Kling AI Trigger with Download Results. Each one's execution data holds a
 * binary property with mime type video/mp4, file name `<taskId>.mp4` and the simulator file's size, and the file
 * itself sits in the user folder's storage directory (binary data mode filesystem, n8n's default) with the same
 * bytes (sha256).
 *
 * One n8n instance for the file. All branches live in ONE published workflow (one Webhook node per branch), plus one
 * workflow for the download trigger, so startup pays for two `publish:workflow` CLI calls only.
 * Wait times: callback/poll cases take ~5 s each (simulator: processing after 1 s, finished after 5 s). The timeout
 * case takes 15-75 s: limit 3 s + the node's 10 s grace, then n8n's WaitTracker, which queries every 60 s for waits due
 * within 70 s (measured: 15-20 s).
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startSimulator } from '../simulator';
import * as harness from './harness/n8n';
import { connect, klingNode, recorderNode, webhookNode, workflow, type NodeJson } from './fixtures/build';

jest.setTimeout(20 * 60_000);

const KEYS = { accessKey: 'ak_e2e_wait', secretKey: 'sk_e2e_wait_secret' };
const CRED = { id: 'klingE2eCredWait1', name: 'Kling simulator' };
const WF = { wait: 'klingE2eWait00001', trigger: 'klingE2eTrgDl0001' };
const TRIGGER_WEBHOOK_ID = '7e1d3a5f-9b62-4d2c-8f4b-3a6c8d0e2f02';
const LARGE_BYTES = 3_000_000;
const SIM_TIMINGS = { toProcessingMs: 1000, toFinishMs: 5000 };

/** Branches of the wait workflow: webhook path → Kling AI node parameters; recorder labels `<key>-ok` / `<key>-fail`. */
const VIDEO = { resource: 'video', operation: 'textToVideo', prompt: '={{ $json.body.prompt }}', model: 'kling-v2-5-turbo', aspectRatio: '16:9', options: {} };
const BRANCHES: Record<string, { node: string; parameters: Record<string, unknown>; outputs: 1 | 2; response?: 'lastNode' }> = {
	cb: { node: 'Kling AI (callback)', parameters: { ...VIDEO, waitForCompletion: 'callback', waitTimeLimit: 2, pollIntervalSeconds: 1 }, outputs: 2 },
	poll: { node: 'Kling AI (poll)', parameters: { ...VIDEO, waitForCompletion: 'poll', waitTimeLimit: 2, pollIntervalSeconds: 1 }, outputs: 2 },
	cbpoll: {
		node: 'Kling AI (callback, then poll)',
		parameters: { ...VIDEO, waitForCompletion: 'callbackThenPoll', waitTimeLimit: 2, pollAfterMinutes: 0.05, pollIntervalSeconds: 1 },
		outputs: 2,
	},
	timeout: { node: 'Kling AI (tiny time limit)', parameters: { ...VIDEO, waitForCompletion: 'callback', waitTimeLimit: 0.05, pollIntervalSeconds: 1 }, outputs: 2 },
	dl: {
		node: 'Kling AI (callback + download)',
		parameters: { ...VIDEO, waitForCompletion: 'callback', waitTimeLimit: 2, pollIntervalSeconds: 1, downloadResults: true, binaryPropertyName: 'video' },
		outputs: 2,
	},
	get: {
		node: 'Kling AI (get task + download)',
		parameters: { resource: 'video', operation: 'getTask', taskType: 'textToVideo', lookupBy: 'taskId', taskId: '={{ $json.body.taskId }}', downloadResults: true, binaryPropertyName: 'data' },
		outputs: 1,
		response: 'lastNode',
	},
	// Creates a task whose callback goes to the download trigger of the second workflow (Callback: Kling AI Trigger).
	create: { node: 'Kling AI (create, callback to trigger)', parameters: { ...VIDEO, callback: 'trigger', callbackUrl: '%%TRIGGER_URL%%' }, outputs: 1, response: 'lastNode' },
};

type Sim = Awaited<ReturnType<typeof startSimulator>>;
type N8n = Awaited<ReturnType<typeof harness.startN8n>>;
type Recorder = Awaited<ReturnType<typeof harness.startRecorder>>;
type Item = {
	taskId: string;
	externalTaskId?: string;
	status: string;
	statusMessage?: string;
	finished: boolean;
	taskType: string;
	videos: Array<{ url: string }>;
	waitTimedOut?: boolean;
	error?: string;
};
type Binary = { mimeType: string; fileName: string; fileExtension?: string; fileSize?: string; bytes?: number; id?: string; data?: string };

function waitWorkflow(recorderUrl: string, triggerUrl: string): Record<string, unknown> {
	const nodes: NodeJson[] = [];
	const connections = {};
	Object.entries(BRANCHES).forEach(([key, branch], row) => {
		const y = row * 300;
		const start = `Start (${key})`;
		nodes.push(webhookNode(start, `e2e-wait-${key}`, [0, y], branch.response ?? 'onReceived'));
		const parameters = JSON.parse(JSON.stringify(branch.parameters).replace('%%TRIGGER_URL%%', triggerUrl));
		nodes.push(klingNode(branch.node, parameters, CRED, [260, y]));
		connect(connections, start, branch.node);
		if (branch.outputs === 2) {
			nodes.push(recorderNode(`Record ${key} succeeded`, recorderUrl, `${key}-ok`, [520, y - 80]));
			nodes.push(recorderNode(`Record ${key} failed`, recorderUrl, `${key}-fail`, [520, y + 80]));
			connect(connections, branch.node, `Record ${key} succeeded`, `Record ${key} failed`);
		}
	});
	return workflow(WF.wait, 'E2E: create and wait (callback, poll, callback then poll, timeout) and downloads', nodes, connections);
}

function triggerWorkflow(recorderUrl: string): Record<string, unknown> {
	const trigger: NodeJson = {
		id: '7e1d3a5f-0000-4d2c-8f4b-00000000d001',
		name: 'Kling AI Trigger (download)',
		type: harness.NODE_TYPES.trigger,
		typeVersion: 1,
		position: [0, 0],
		webhookId: TRIGGER_WEBHOOK_ID,
		parameters: { requireUrlToken: true, confirmWithApi: false, emitProgress: false, downloadResults: true, binaryPropertyName: 'data', filters: {} },
		credentials: { klingAiApi: CRED },
	};
	const connections = {};
	connect(connections, trigger.name, 'Record trigger succeeded', 'Record trigger failed');
	return workflow(WF.trigger, 'E2E: Kling AI Trigger with Download Results', [
		trigger,
		recorderNode('Record trigger succeeded', recorderUrl, 'trg-ok', [260, -100]),
		recorderNode('Record trigger failed', recorderUrl, 'trg-fail', [260, 100]),
	], connections);
}

describe('real n8n: create and wait (scenario 6) and result downloads into binary data (scenario 7)', () => {
	let sim: Sim;
	let n8n: N8n;
	let recorder: Recorder;
	let triggerUrl = '';

	beforeAll(async () => {
		sim = await startSimulator({ port: 0, ...KEYS, timings: SIM_TIMINGS, seed: 6 });
		recorder = await harness.startRecorder();
		n8n = await harness.startN8n({
			credentials: [
				harness.loadFixture('credential.kling.json', { CRED_ID: CRED.id, CRED_NAME: CRED.name, ACCESS_KEY: KEYS.accessKey, SECRET_KEY: KEYS.secretKey, SIM_URL: sim.url, WEBHOOK_SECRET: '' }),
			],
			workflows: ({ webhookUrl }) => {
				triggerUrl = webhookUrl(`${TRIGGER_WEBHOOK_ID}/webhook`);
				return [waitWorkflow(recorder.url, triggerUrl), triggerWorkflow(recorder.url)];
			},
		});
	}, 20 * 60_000);

	afterAll(async () => {
		await n8n?.stop();
		await recorder?.close();
		await sim?.close();
	});

	// ---------------------------------------------------------------- helpers

	const createRequests = () => sim.requests.filter((r) => r.method === 'POST' && r.path === '/v1/videos/text2video');
	const bodyOf = (r: { body: unknown }) => (r.body ?? {}) as Record<string, unknown>;

	/** Start a branch with a unique prompt; resolve with the task the simulator created for it. */
	async function start(branch: string, prompt: string): Promise<{ taskId: string; callbackUrl: string | undefined; startedAt: number }> {
		const startedAt = Date.now();
		const res = await n8n.webhook(`e2e-wait-${branch}`, { prompt });
		expect(res.status).toBe(200);
		const req = await harness.waitUntil(() => createRequests().find((r) => bodyOf(r).prompt === prompt), {
			timeoutMs: 30_000,
			message: `the simulator never received the create for "${prompt}"`,
		});
		const ext = String(bodyOf(req).external_task_id);
		const task = sim.tasks().find((t) => (t.task_info as Record<string, unknown> | undefined)?.external_task_id === ext);
		expect(task).toBeDefined();
		harness.progress(`${branch}: task ${task!.task_id} created ${Date.now() - startedAt} ms after the webhook call`);
		return { taskId: String(task!.task_id), callbackUrl: bodyOf(req).callback_url as string | undefined, startedAt };
	}

	const recordsOf = (label: string, taskId: string) => (recorder.records(label) as Item[]).filter((i) => i.taskId === taskId);
	async function outcome(branch: string, taskId: string, timeoutMs: number): Promise<{ output: 'ok' | 'fail'; item: Item }> {
		const found = await harness.waitUntil(
			() => {
				const ok = recordsOf(`${branch}-ok`, taskId);
				const fail = recordsOf(`${branch}-fail`, taskId);
				return ok.length || fail.length ? { ok, fail } : undefined;
			},
			{ timeoutMs, intervalMs: 250, message: () => `no item for task ${taskId} on ${branch}; executions ${JSON.stringify(n8n.executions(WF.wait).slice(-3))}\n${n8n.logTail(30)}` },
		);
		await new Promise((r) => setTimeout(r, 500)); // a wrongly doubled resume would show up here
		const ok = recordsOf(`${branch}-ok`, taskId);
		const fail = recordsOf(`${branch}-fail`, taskId);
		expect(ok.length + fail.length).toBe(1);
		return found.ok.length ? { output: 'ok', item: ok[0] } : { output: 'fail', item: fail[0] };
	}

	/** The (single) execution of the wait workflow whose data mentions this task id. */
	function executionOf(taskId: string): { row: ReturnType<N8n['executions']>[number]; data: any } {
		for (const row of n8n.executions(WF.wait).reverse()) {
			const data = n8n.executionData(row.id);
			if (JSON.stringify(data?.resultData?.runData ?? {}).includes(taskId)) return { row, data };
		}
		throw new Error(`no execution of ${WF.wait} mentions task ${taskId}`);
	}

	const finishedRow = async (taskId: string) =>
		harness.waitUntil(
			() => {
				const { row } = executionOf(taskId);
				return ['success', 'error', 'crashed', 'canceled'].includes(row.status) ? row : undefined;
			},
			{ timeoutMs: 30_000, message: `execution of task ${taskId} did not finish` },
		);

	/** Output items of a node's last run in an execution. */
	function nodeOutput(data: any, nodeName: string): Array<Array<{ json: Item; binary?: Record<string, Binary> }>> {
		const runs = data?.resultData?.runData?.[nodeName];
		expect(Array.isArray(runs) && runs.length > 0).toBe(true);
		return runs[runs.length - 1].data.main;
	}

	async function simFile(url: string): Promise<{ size: number; sha256: string; contentType: string | null }> {
		const res = await fetch(url);
		expect(res.status).toBe(200);
		const buf = Buffer.from(await res.arrayBuffer());
		return { size: buf.length, sha256: crypto.createHash('sha256').update(buf).digest('hex'), contentType: res.headers.get('content-type') };
	}

	/** The binary file n8n stored (filesystem mode) for a binary property: path from its id under the user folder. */
	function storedFile(binary: Binary): { file: string; size: number; sha256: string } {
		expect(binary.id).toMatch(/^filesystem(-v2)?:/);
		const rel = String(binary.id).replace(/^filesystem(-v2)?:/, '');
		// n8n 2.40 stores files under <n8nFolder>/storage (a fresh install) or the older <n8nFolder>/binaryData when that
		// folder already exists (StorageConfig.migrateStorageDir); earlier lines always use binaryData.
		const roots = ['storage', 'binaryData'].map((d) => path.join(n8n.userFolder, '.n8n', d));
		const file = roots.map((root) => path.join(root, rel)).find((f) => fs.existsSync(f));
		if (!file) {
			const listing = roots.flatMap((root) => (fs.existsSync(root) ? (fs.readdirSync(root, { recursive: true }) as string[]).slice(0, 20).map((f) => path.join(root, f)) : [`${root}: (missing)`]));
			throw new Error(`binary file for ${JSON.stringify(binary)} not found under ${roots.join(' or ')}:\n${listing.join('\n')}`);
		}
		const buf = fs.readFileSync(file);
		return { file, size: buf.length, sha256: crypto.createHash('sha256').update(buf).digest('hex') };
	}

	async function expectVideoBinary(binary: Binary | undefined, taskId: string, mediaUrl: string, expectedSize?: number): Promise<void> {
		expect(binary).toBeDefined();
		const want = await simFile(mediaUrl);
		if (expectedSize !== undefined) expect(want.size).toBe(expectedSize);
		expect(binary!.mimeType).toBe('video/mp4');
		expect(binary!.fileName).toBe(`${taskId}.mp4`);
		expect(binary!.bytes).toBe(want.size);
		const stored = storedFile(binary!);
		expect(stored.size).toBe(want.size);
		expect(stored.sha256).toBe(want.sha256);
		harness.progress(`binary of ${taskId}: ${binary!.fileName}, ${binary!.mimeType}, ${binary!.bytes} bytes at ${path.relative(n8n.userFolder, stored.file)}`);
	}

	// ---------------------------------------------------------------- scenario 6

	test('callback: processing keeps the execution waiting, succeed resumes it on Succeeded with the video', async () => {
		const prompt = 'wait-cb: a red fox in fresh snow';
		const { taskId, callbackUrl, startedAt } = await start('cb', prompt);

		// Kling got this execution's resume URL as callback_url.
		expect(callbackUrl).toBeDefined();
		const cbUrl = new URL(callbackUrl!);
		expect(`${cbUrl.origin}`).toBe(n8n.url);
		expect(cbUrl.pathname).toMatch(/^\/webhook-waiting\/\d+/);
		const executionId = cbUrl.pathname.split('/')[2];

		// The processing callback is answered 2xx and the execution is still waiting afterwards.
		await sim.waitFor(() => sim.callbacks.some((c) => c.taskId === taskId && c.status === 'processing' && c.statusCode !== null), 20_000);
		const processing = sim.callbacks.find((c) => c.taskId === taskId && c.status === 'processing')!;
		expect(processing.delivered).toBe(true);
		const whileProcessing = n8n.executions(WF.wait).find((e) => String(e.id) === executionId);
		expect(whileProcessing?.status).toBe('waiting');
		expect(sim.tasks().find((t) => t.task_id === taskId)?.task_status).toBe('processing');

		const { output, item } = await outcome('cb', taskId, 60_000);
		expect(output).toBe('ok');
		expect(item).toMatchObject({ taskId, status: 'succeeded', finished: true, taskType: 'textToVideo' });
		expect(item.videos[0].url.startsWith(`${sim.url}/media/`)).toBe(true);
		const terminal = sim.callbacks.filter((c) => c.taskId === taskId && c.status === 'succeed');
		expect(terminal).toHaveLength(1);
		expect(terminal[0].delivered).toBe(true);

		const row = await finishedRow(taskId);
		expect(String(row.id)).toBe(executionId);
		expect(row.status).toBe('success');
		harness.progress(`callback wait: finished ${Date.now() - startedAt} ms after the start`);
	});

	test('callback: a failing task resumes the execution on Failed with Kling\'s reason', async () => {
		const { taskId } = await start('cb', 'sim:fail wait-cb: a storm the simulator rejects');
		const { output, item } = await outcome('cb', taskId, 60_000);
		expect(output).toBe('fail');
		expect(item).toMatchObject({ taskId, status: 'failed', finished: true });
		expect(item.statusMessage).toMatch(/risk control|sim:fail/i);
		expect(item.waitTimedOut).toBeUndefined();
		expect(sim.callbacks.filter((c) => c.taskId === taskId && c.status === 'failed' && c.delivered)).toHaveLength(1);
		expect((await finishedRow(taskId)).status).toBe('success');
	});

	test('poll: no callback is asked for; the node polls Get Task and goes out on Succeeded', async () => {
		const { taskId, callbackUrl } = await start('poll', 'wait-poll: a lighthouse at dusk');
		// Poll mode sends Kling no callback_url, so there is no callback to drop: the result can only come from Get Task.
		expect(callbackUrl).toBeUndefined();
		const { output, item } = await outcome('poll', taskId, 60_000);
		expect(output).toBe('ok');
		expect(item).toMatchObject({ taskId, status: 'succeeded', finished: true });
		expect(sim.callbacks.filter((c) => c.taskId === taskId)).toHaveLength(0);
		const gets = sim.requests.filter((r) => r.method === 'GET' && r.path === `/v1/videos/text2video/${taskId}`);
		expect(gets.length).toBeGreaterThanOrEqual(1);
		expect((await finishedRow(taskId)).status).toBe('success');
		harness.progress(`poll wait: ${gets.length} Get Task call(s)`);
	});

	test('callback, then poll: every callback dropped → the watcher polls and resumes the execution on Succeeded', async () => {
		sim.setOptions({ callbacks: { drop: 1 } });
		try {
			const { taskId, callbackUrl } = await start('cbpoll', 'wait-cbpoll: a paper boat on a canal');
			expect(callbackUrl).toMatch(/\/webhook-waiting\//);
			const { output, item } = await outcome('cbpoll', taskId, 60_000);
			expect(output).toBe('ok');
			expect(item).toMatchObject({ taskId, status: 'succeeded', finished: true });
			// The resumed item is Kling's full task (the watcher's own POST carries only id and status).
			expect(item.videos[0].url.startsWith(`${sim.url}/media/`)).toBe(true);
			// Kling's callbacks were sent to the resume URL and all dropped, the terminal one included ...
			const mine = sim.callbacks.filter((c) => c.taskId === taskId);
			expect(mine.map((c) => c.status)).toEqual(expect.arrayContaining(['processing', 'succeed']));
			expect(mine.every((c) => c.dropped && !c.delivered && c.statusCode === null)).toBe(true);
			// ... so the node asked Kling itself, and its watcher resumed the execution.
			expect(sim.requests.some((r) => r.method === 'GET' && r.path === `/v1/videos/text2video/${taskId}`)).toBe(true);
			expect((await finishedRow(taskId)).status).toBe('success');
		} finally {
			sim.setOptions({ callbacks: { drop: 0 } });
		}
	});

	test('timeout: a task that never finishes goes out on Failed with waitTimedOut and its task id', async () => {
		// Tasks created while autoAdvance is off stay `submitted` until sim.advance().
		sim.setOptions({ autoAdvance: false });
		let taskId = '';
		let startedAt = 0;
		try {
			({ taskId, startedAt } = await start('timeout', 'wait-timeout: a glacier that never melts'));
		} finally {
			sim.setOptions({ autoAdvance: true });
		}
		const { output, item } = await outcome('timeout', taskId, 150_000);
		const tookMs = Date.now() - startedAt;
		harness.progress(`timeout path: item on Failed ${(tookMs / 1000).toFixed(1)} s after the start (limit 3 s + grace 10 s + WaitTracker)`);
		expect(output).toBe('fail');
		expect(item.taskId).toBe(taskId);
		expect(item.waitTimedOut).toBe(true);
		expect(item.finished).toBe(false);
		expect(item.error).toContain(taskId);
		expect(sim.tasks().find((t) => t.task_id === taskId)?.task_status).toBe('submitted');
		// The in-process watcher checked the task once at the limit before n8n ended the wait.
		expect(sim.requests.some((r) => r.method === 'GET' && r.path === `/v1/videos/text2video/${taskId}`)).toBe(true);
		expect((await finishedRow(taskId)).status).toBe('success');
		expect(tookMs).toBeGreaterThanOrEqual(3_000);
	});

	// ---------------------------------------------------------------- scenario 7

	test('download: create-and-wait with Download Results streams a 3 MB video into binary data (filesystem)', async () => {
		const { taskId } = await start('dl', `wait-dl: a long pan over the city sim:large=${LARGE_BYTES}`);
		const { output, item } = await outcome('dl', taskId, 60_000);
		expect(output).toBe('ok');
		expect(await finishedRow(taskId)).toMatchObject({ status: 'success' });
		const { data } = executionOf(taskId);
		const [succeeded] = nodeOutput(data, BRANCHES.dl.node);
		expect(succeeded).toHaveLength(1);
		await expectVideoBinary(succeeded[0].binary?.video, taskId, item.videos[0].url, LARGE_BYTES);
	});

	test('download: Get Task with Download Results puts <taskId>.mp4 into binary data', async () => {
		// A finished task put straight into the simulator (independent of the other tests).
		const inserted = sim.insertTask('textToVideo', { external_task_id: 'e2e-get-task-download' });
		const taskId = String(inserted.task_id);
		const videoUrl = String((inserted.task_result as { videos: Array<{ url: string }> }).videos[0].url);
		const res = await n8n.webhook('e2e-wait-get', { taskId });
		expect(res.status).toBe(200);
		expect(res.json).toMatchObject({ taskId, status: 'succeeded' });
		const rows = n8n.executions(WF.wait);
		const row = rows[rows.length - 1];
		expect(row.status).toBe('success');
		const [items] = nodeOutput(n8n.executionData(row.id), BRANCHES.get.node);
		expect(items).toHaveLength(1);
		expect(items[0].json.taskId).toBe(taskId);
		await expectVideoBinary(items[0].binary?.data, taskId, videoUrl);
	});

	test('download: the Kling AI Trigger with Download Results emits the video as binary data', async () => {
		const before = n8n.executions(WF.trigger).length;
		const res = await n8n.webhook('e2e-wait-create', { prompt: 'trigger-dl: a hummingbird in slow motion' });
		expect(res.status).toBe(200);
		const created = res.json as Item;
		expect(created.taskId).toBeTruthy();
		const [item] = await harness.waitUntil(() => (recordsOf('trg-ok', created.taskId).length ? recordsOf('trg-ok', created.taskId) : undefined), {
			timeoutMs: 60_000,
			message: () => `no trigger item for ${created.taskId}; callbacks ${JSON.stringify(sim.callbacks.filter((c) => c.taskId === created.taskId))}\n${n8n.logTail(30)}`,
		});
		expect(item).toMatchObject({ taskId: created.taskId, status: 'succeeded' });
		expect((item as Item & { downloadError?: string }).downloadError).toBeUndefined();
		const [run] = (await n8n.waitForExecutions(WF.trigger, before + 1, 30_000)).slice(-1);
		expect(run.status).toBe('success');
		const [succeeded] = nodeOutput(n8n.executionData(run.id), 'Kling AI Trigger (download)');
		expect(succeeded).toHaveLength(1);
		await expectVideoBinary(succeeded[0].binary?.data, created.taskId, item.videos[0].url);
	});
});
