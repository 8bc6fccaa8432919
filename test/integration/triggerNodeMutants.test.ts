/**
 * Kling AI Trigger's decision code (issue 16, mutation survivors of `KlingAiTrigger.node.ts`): settings read from
 * the node parameters, filters before and after confirmation, the credential cache, the ledger checks, the
 * routing of finished tasks to the Poll Trigger, and what is logged. Each call runs webhook() in the real
 * n8n-core WebhookContext (`test/helpers/n8n.ts`) against the Kling simulator, and the tests assert what a
 * user or Kling sees: status codes, JSON bodies, emitted items per output, log lines, ledger claims.
 */
import type { ICredentialDataDecryptedObject, IDataObject, INodeExecutionData, IWebhookResponseData, WorkflowExecuteMode } from 'n8n-workflow';
import { CREDENTIAL_CACHE_MS, KlingAiTrigger } from '../../nodes/KlingAi/KlingAiTrigger.node';
import { urlTokenFromCredentials } from '../../nodes/KlingAi/shared/callback';
import { registerEmitter, resetEmitters } from '../../nodes/KlingAi/shared/exactlyOnce';
import { STATIC_DATA_KEY, ledgerFor, resetLedgers } from '../../nodes/KlingAi/shared/ledger';
import type { KlingTaskItem } from '../../nodes/KlingAi/shared/task';
import { signStandardWebhook } from '../../nodes/KlingAi/shared/signature';
import { TEST_KEYS, initBinaryData, simulatorCredentials, webhookContext, type FakeRequest } from '../helpers/n8n';

interface Sim {
	url: string;
	mediaUrl: string;
	requests: Array<{ method: string; path: string; query: IDataObject }>;
	setOptions(o: IDataObject): void;
	insertTask(type: string, overrides?: IDataObject): IDataObject & { task_id: string };
	close(): Promise<void>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startSimulator } = require('../simulator') as { startSimulator: (o?: IDataObject) => Promise<Sim> };

const WEBHOOK_SECRET = 'whsec_dGVzdHNlY3JldHRlc3RzZWNyZXR0ZXN0c2VjcmV0MTI=';
const NODE = 'Kling AI Trigger';
const trigger = new KlingAiTrigger();

let sim: Sim;
let seq = 0;

beforeAll(async () => {
	await initBinaryData();
	sim = await startSimulator({ port: 0, autoAdvance: false, mediaOrigin: 'separate' });
});
afterAll(async () => {
	await sim.close();
});
beforeEach(() => {
	resetLedgers();
	resetEmitters();
	sim.setOptions({ webhookSecret: undefined, callbacks: { progress: false } });
});

interface Setup {
	parameters: IDataObject;
	credentials: ICredentialDataDecryptedObject;
	workflowId: string;
	staticData?: IDataObject;
	nodeId?: string;
	credentialId?: string;
	mode?: WorkflowExecuteMode;
	/** Make the answer fail the way express does when the connection is gone. */
	failAnswer?: boolean;
}

interface Call {
	status: number;
	body: IDataObject;
	result: IWebhookResponseData;
	/** [output index, json, binary] of every emitted item. */
	emitted: Array<[number, IDataObject, INodeExecutionData['binary']]>;
	warn: Array<[string, unknown]>;
	debug: Array<[string, unknown]>;
	credentialReads: number;
	/** Requests the simulator received during the call (API and media). */
	requests: Array<{ method: string; path: string }>;
}

/** One webhook() call, answered the way n8n answers (our own response, else webhookResponse with 200). */
async function call(setup: Setup, request: FakeRequest): Promise<Call> {
	const { ctx, response } = webhookContext(
		{ nodeType: trigger, parameters: setup.parameters, credentials: setup.credentials, workflowId: setup.workflowId, staticData: setup.staticData, nodeId: setup.nodeId, credentialId: setup.credentialId, nodeName: NODE },
		request,
		setup.mode ?? 'webhook',
	);
	const warn: Array<[string, unknown]> = [];
	const debug: Array<[string, unknown]> = [];
	// n8n's logger drops debug lines below its level (its `debug` is then a read-only no-op): record what the
	// node logs through a logger of the same shape, in place of the one n8n-core would hand this context.
	const record = (into: Array<[string, unknown]>) => (message: string, meta?: unknown) => void into.push([message, meta]);
	Object.defineProperty(ctx, 'logger', { value: { warn: record(warn), debug: record(debug), info: () => undefined, error: () => undefined } });
	let credentialReads = 0;
	const original = ctx.getCredentials.bind(ctx);
	ctx.getCredentials = (async (type: string) => {
		credentialReads++;
		return await original(type);
	}) as typeof ctx.getCredentials;
	if (setup.failAnswer) {
		ctx.getResponseObject().json = () => {
			throw new Error('Cannot set headers after they are sent to the client');
		};
	}
	const before = sim.requests.length;
	const result = await trigger.webhook.call(ctx);
	const emitted: Call['emitted'] = [];
	for (const [output, items] of (result.workflowData ?? []).entries()) for (const item of items) emitted.push([output, item.json, item.binary]);
	const answer = result.noWebhookResponse
		? { status: response.statusCode, body: response.body as IDataObject }
		: { status: 200, body: (result.webhookResponse ?? {}) as IDataObject };
	return { ...answer, result, emitted, warn, debug, credentialReads, requests: sim.requests.slice(before).map(({ method, path }) => ({ method, path })) };
}

function req(body: unknown, query: Record<string, string> = {}, headers: Record<string, string> = {}): FakeRequest {
	const raw = typeof body === 'string' ? body : JSON.stringify(body);
	return { body: typeof body === 'string' ? {} : body, rawBody: Buffer.from(raw), headers: { 'content-type': 'application/json', ...headers }, query };
}

function setup(parameters: IDataObject = {}, extraCreds: IDataObject = {}, more: Partial<Setup> = {}): Setup {
	return { parameters, credentials: simulatorCredentials(sim.url, extraCreds), workflowId: `wf-nm-${++seq}`, staticData: {}, ...more };
}

const tokenOf = (s: Setup) => urlTokenFromCredentials(s.credentials) as string;
const typed = (s: Setup, type = 'textToVideo') => ({ kling_type: type, kling_token: tokenOf(s) });
const gets = (c: Call) => c.requests.filter((r) => r.method === 'GET' && !r.path.includes('/media/'));
const ack = (task: { task_id: string }, status = 'succeeded', extra: IDataObject = {}) => ({ received: true, ...extra, taskId: task.task_id, status });

describe('settings read from the node parameters', () => {
	test('a Task Types list holding only a type this version does not know filters nothing', async () => {
		// A workflow saved with a task type a later package version dropped: the unknown value is left out.
		const s = setup({ filters: { taskTypes: ['noSuchType'] } });
		const task = sim.insertTask('textToVideo');
		const c = await call(s, req(task, typed(s)));
		expect([c.status, c.body]).toEqual([200, ack(task)]);
		expect(c.emitted.map(([o, j, b]) => [o, j.taskId, b])).toEqual([[0, task.task_id, undefined]]);
		// Defaults: no confirmation request, no download.
		expect(c.requests).toEqual([]);
	});

	test('Task Types that is not a list (an expression giving a string) filters nothing instead of failing', async () => {
		const s = setup({ filters: { taskTypes: 'lipSync' } });
		const task = sim.insertTask('textToVideo');
		const c = await call(s, req(task, typed(s)));
		expect([c.status, c.body]).toEqual([200, ack(task)]);
		expect(c.emitted).toHaveLength(1);
	});

	test('an untyped callback does not pass a Task Types filter when Confirm With Kling API is off (no API request)', async () => {
		const s = setup({ requireUrlToken: false, filters: { taskTypes: ['textToVideo'] } });
		const task = sim.insertTask('textToVideo');
		const c = await call(s, req(task));
		expect([c.status, c.body]).toEqual([200, ack(task, 'succeeded', { ignored: 'filtered' })]);
		expect(c.emitted).toEqual([]);
		expect(c.requests).toEqual([]);
	});

	test('with confirmation, an untyped callback outside the prefix filter is dropped before any API request', async () => {
		const s = setup({ confirmWithApi: true, requireUrlToken: false, filters: { taskTypes: ['textToVideo'], externalTaskIdPrefix: 'wf42-' } });
		const task = sim.insertTask('textToVideo', { external_task_id: 'wf43-a' });
		const c = await call(s, req(task));
		expect([c.status, c.body]).toEqual([200, ack(task, 'succeeded', { ignored: 'filtered' })]);
		expect(c.requests).toEqual([]);
	});

	test("the prefix filter is applied again to Kling's copy: a body lying about its external id is not emitted", async () => {
		const s = setup({ confirmWithApi: true, filters: { externalTaskIdPrefix: 'wf42-' } });
		const task = sim.insertTask('textToVideo', { external_task_id: 'other-1' });
		const lying = { ...task, task_info: { external_task_id: 'wf42-1' } };
		const c = await call(s, req(lying, typed(s)));
		expect([c.status, c.body]).toEqual([200, ack(task, 'succeeded', { ignored: 'filtered' })]);
		expect(gets(c).map((r) => r.path)).toEqual([`/v1/videos/text2video/${task.task_id}`]);
		expect(c.emitted).toEqual([]);
		expect(c.debug).toEqual([['Kling AI Trigger ignored a callback (filtered)', { workflowId: s.workflowId, taskId: task.task_id, status: 'succeeded' }]]);
	});

	test('an empty Binary Property name downloads into "data"; Download Watermarked fetches the watermarked copy', async () => {
		const s = setup({ downloadResults: true, binaryPropertyName: '', downloadWatermarked: true });
		const id = `wm-${seq}`;
		const base = `${sim.mediaUrl}/media/${id}`;
		const task = sim.insertTask('textToVideo', { task_id: id, task_result: { videos: [{ id: 'v0', url: `${base}/0.mp4`, watermark_url: `${base}/0-wm.mp4`, duration: '5' }] } });
		const c = await call(s, req(task, typed(s)));
		expect([c.status, c.body]).toEqual([200, ack(task)]);
		expect(c.requests.filter((r) => r.path.includes('/media/')).map((r) => r.path)).toEqual([`/media/${id}/0-wm.mp4`]);
		const [[output, json, binary]] = c.emitted;
		expect([output, json.downloadError, Object.keys(binary ?? {})]).toEqual([0, undefined, ['data']]);
		// Download Watermarked is off unless set: the copy without watermark is fetched.
		const plain = setup({ downloadResults: true });
		const d = await call(plain, req(task, typed(plain)));
		expect(d.requests.filter((r) => r.path.includes('/media/')).map((r) => r.path)).toEqual([`/media/${id}/0.mp4`]);
	});
});

describe('what a rejected or ignored callback logs', () => {
	test('a rejection is logged with its reason and no task id; one after confirmation names the task', async () => {
		const s = setup({ confirmWithApi: true });
		const missing = await call(s, req({ task_id: 'x', task_status: 'succeed' }, { kling_type: 'textToVideo' }));
		expect([missing.status, missing.body]).toEqual([401, { received: false, error: 'missing_token', message: 'Missing kling_token query parameter' }]);
		expect(missing.warn).toEqual([['Kling AI Trigger rejected a callback: 401 missing_token', { workflowId: s.workflowId, node: NODE, reason: 'missing_token' }]]);
		const unknown = await call(s, req({ task_id: 'never-created', task_status: 'succeed' }, typed(s)));
		expect([unknown.status, unknown.body]).toEqual([404, { received: false, error: 'unknown_task', message: 'Kling does not know task never-created' }]);
		expect(unknown.warn).toEqual([
			['Kling AI Trigger rejected a callback: 404 unknown_task', { workflowId: s.workflowId, node: NODE, reason: 'unknown_task', taskId: 'never-created' }],
		]);
	});

	test('a progress callback is acknowledged and logged at debug level, with no execution', async () => {
		const s = setup();
		const task = sim.insertTask('textToVideo', { task_status: 'processing' });
		const c = await call(s, req(task, typed(s)));
		expect([c.status, c.body, c.result.workflowData]).toEqual([200, ack(task, 'processing', { ignored: 'progress' }), undefined]);
		expect(c.debug).toEqual([['Kling AI Trigger ignored a callback (progress)', { workflowId: s.workflowId, taskId: task.task_id, status: 'processing' }]]);
		expect(ledgerFor(s.workflowId).get(task.task_id)).toBeUndefined();
	});
});

describe('outputs', () => {
	test('two outputs without Emit Progress (failed on the second), three with it (progress on the third)', async () => {
		const s = setup();
		const failed = sim.insertTask('textToVideo', { task_status: 'failed' });
		const c = await call(s, req(failed, typed(s)));
		expect(c.result.workflowData?.map((items) => items.map((i) => i.json.taskId))).toEqual([[], [failed.task_id]]);
		const p = setup({ emitProgress: true });
		const processing = sim.insertTask('textToVideo', { task_status: 'processing' });
		const d = await call(p, req(processing, typed(p)));
		expect(d.result.workflowData?.map((items) => items.map((i) => i.json.taskId))).toEqual([[], [], [processing.task_id]]);
		expect([d.status, d.body]).toEqual([200, ack(processing, 'processing')]);
		expect(ledgerFor(p.workflowId).get(processing.task_id)).toMatchObject({ status: 'processing', via: 'callback' });
	});

	test('progress claims: the same update again is a duplicate, an older one is stale', async () => {
		const s = setup({ emitProgress: true });
		const task = sim.insertTask('textToVideo', { task_status: 'processing', updated_at: 2_000 });
		expect((await call(s, req(task, typed(s)))).emitted).toHaveLength(1);
		const again = await call(s, req(task, typed(s)));
		expect([again.body, again.emitted]).toEqual([ack(task, 'processing', { ignored: 'duplicate' }), []]);
		const older = await call(s, req({ ...task, updated_at: 1_000 }, typed(s)));
		expect([older.body, older.emitted]).toEqual([ack(task, 'processing', { ignored: 'stale' }), []]);
	});
});

describe('finished tasks the ledger already holds are answered without asking Kling', () => {
	test('a repeat is a duplicate and a conflicting terminal state is stale; neither makes an API request', async () => {
		const s = setup({ confirmWithApi: true });
		const task = sim.insertTask('textToVideo');
		const first = await call(s, req(task, typed(s)));
		expect([first.body, gets(first).length, first.emitted.length]).toEqual([ack(task), 1, 1]);
		const repeat = await call(s, req(task, typed(s)));
		expect([repeat.status, repeat.body, repeat.requests]).toEqual([200, ack(task, 'succeeded', { ignored: 'duplicate' }), []]);
		const conflicting = await call(s, req({ ...task, task_status: 'failed' }, typed(s)));
		expect([conflicting.status, conflicting.body, conflicting.requests]).toEqual([200, ack(task, 'failed', { ignored: 'stale' }), []]);
	});
});

describe('Confirm With Kling API', () => {
	test('a status differing from the body is logged; Kling could not be asked → 502 with a fixed message, the reason only in the log', async () => {
		const s = setup({ confirmWithApi: true, emitProgress: true });
		const task = sim.insertTask('textToVideo', { task_status: 'processing' });
		const c = await call(s, req({ ...task, task_status: 'submitted' }, typed(s)));
		expect(c.debug).toEqual([
			['Kling AI Trigger: the API reports another status than the callback', { taskId: task.task_id, callbackStatus: 'submitted', apiStatus: 'processing' }],
		]);
		expect(c.emitted.map(([o, j]) => [o, j.status])).toEqual([[2, 'processing']]);

		const down = setup({ confirmWithApi: true }, { customBaseUrl: 'http://127.0.0.1:9' });
		const d = await call(down, req({ ...task, task_status: 'succeed' }, typed(down)));
		expect([d.status, d.body, d.result]).toEqual([
			502,
			{ received: false, error: 'confirmation_failed', message: 'Could not confirm the task with the Kling API; try again later' },
			{ noWebhookResponse: true },
		]);
		expect(d.warn).toEqual([
			['Kling AI Trigger could not confirm a callback with the Kling API', { workflowId: down.workflowId, taskId: task.task_id, error: expect.any(String) }],
		]);
		expect((d.warn[0][1] as IDataObject).error).not.toBe('');
	});

	test("a callback naming another task's external id is not confirmed by that task (new standard looks ids up both ways)", async () => {
		// GET /tasks is asked by task id, then by external id: the task found that way has another id, so it is not this one.
		const s = setup({ confirmWithApi: true }, { authType: 'apiKey', apiKey: TEST_KEYS.apiKey });
		const other = sim.insertTask('newStandard', { external_task_id: `ext-${seq}` });
		const c = await call(s, req({ task_id: `ext-${seq}`, task_status: 'succeed' }, typed(s, 'newStandard')));
		expect([c.status, c.body]).toEqual([404, { received: false, error: 'unknown_task', message: `Kling does not know task ext-${seq}` }]);
		expect(gets(c).map((r) => r.path)).toEqual(['/tasks', '/tasks']);
		expect(c.emitted).toEqual([]);
		expect(other.task_id).not.toBe(`ext-${seq}`);
	});

	test('a confirmed callback counts as authenticated: its results are downloaded without token or signature', async () => {
		const s = setup({ confirmWithApi: true, requireUrlToken: false, downloadResults: true });
		const task = sim.insertTask('textToVideo');
		const c = await call(s, req(task, { kling_type: 'textToVideo' }));
		const [[, json, binary]] = c.emitted;
		expect([json.downloadError, Object.keys(binary ?? {})]).toEqual([undefined, ['data']]);
	});
});

describe('Download Results', () => {
	test('a signed callback counts as authenticated without a URL token', async () => {
		sim.setOptions({ webhookSecret: WEBHOOK_SECRET });
		const s = setup({ requireUrlToken: false, downloadResults: true }, { webhookSecret: WEBHOOK_SECRET });
		const task = sim.insertTask('textToVideo');
		const raw = JSON.stringify(task);
		const ts = Math.floor(Date.now() / 1000);
		const headers = { 'webhook-id': 'msg_1', 'webhook-timestamp': String(ts), 'webhook-signature': signStandardWebhook(WEBHOOK_SECRET, 'msg_1', ts, raw) };
		const c = await call(s, req(raw, { kling_type: 'textToVideo' }, headers));
		expect(c.status).toBe(200);
		const [[, json, binary]] = c.emitted;
		expect([json.downloadError, Object.keys(binary ?? {})]).toEqual([undefined, ['data']]);
	});

	test('an unauthenticated result is emitted with the exact reason; failed tasks and tasks without files get no downloadError', async () => {
		const s = setup({ requireUrlToken: false, downloadResults: true });
		const task = sim.insertTask('textToVideo');
		const c = await call(s, req(task, { kling_type: 'textToVideo' }));
		expect([c.status, c.body]).toEqual([200, ack(task)]);
		expect(c.emitted[0][1].downloadError).toBe(
			'Not downloaded: the callback was not authenticated. Turn on "Require URL Token" or "Confirm With Kling API", or set a webhook signing secret.',
		);
		const t = setup({ downloadResults: true });
		const failed = sim.insertTask('textToVideo', { task_status: 'failed' });
		const f = await call(t, req(failed, typed(t)));
		expect([f.status, f.body, f.emitted[0][0], 'downloadError' in f.emitted[0][1], f.emitted[0][2]]).toEqual([200, ack(failed, 'failed'), 1, false, undefined]);
		const empty = sim.insertTask('textToVideo', { task_result: { videos: [] } });
		const e = await call(t, req(empty, typed(t)));
		expect([e.status, e.body, 'downloadError' in e.emitted[0][1], e.emitted[0][2], e.requests]).toEqual([200, ack(empty), false, undefined, []]);
	});

	test('a failed download is logged with the task and the reason', async () => {
		const s = setup({ downloadResults: true });
		const task = sim.insertTask('textToVideo', { task_result: { videos: [{ id: 'v', url: `${sim.mediaUrl}/nothing-here.mp4`, duration: '5' }] } });
		const c = await call(s, req(task, typed(s)));
		expect([c.status, c.body]).toEqual([200, ack(task)]);
		const error = c.emitted[0][1].downloadError as string;
		expect(error).toMatch(/HTTP 404/);
		expect(c.warn).toEqual([['Kling AI Trigger could not download the results of a task', { workflowId: s.workflowId, taskId: task.task_id, error }]]);
	});
});

describe('a failed emission is undone to the state before it', () => {
	test('a progress claim stays recorded when the finished state that followed could not be emitted', async () => {
		const s = setup({ emitProgress: true });
		const task = sim.insertTask('textToVideo', { task_status: 'processing', updated_at: 1_000 });
		await call(s, req(task, typed(s)));
		const before = ledgerFor(s.workflowId).get(task.task_id);
		// Kling's updated_at is in seconds.
		expect(before).toMatchObject({ status: 'processing', updatedAtMs: 1_000_000, via: 'callback' });
		await expect(call({ ...s, failAnswer: true }, req({ ...task, task_status: 'succeed', updated_at: 2_000 }, typed(s)))).rejects.toThrow(
			`Could not process the callback of task ${task.task_id}: Cannot set headers after they are sent to the client`,
		);
		expect(ledgerFor(s.workflowId).get(task.task_id)).toEqual(before);
	});
});

describe('finished tasks and the Poll Trigger (Start Executions)', () => {
	/** A Poll Trigger of the workflow running in this process, as it registers itself; records what it is handed. */
	function pollTriggerOf(workflowId: string, fail?: string) {
		const delivered: Array<[string, string, string]> = [];
		registerEmitter(workflowId, {
			nodeId: 'poll-1',
			async deliver(item: KlingTaskItem, via) {
				if (fail) throw new Error(fail);
				delivered.push([item.taskId, item.status, via]);
				return 'emitted';
			},
		});
		return delivered;
	}
	const seeded = (taskId: string): IDataObject => ({ global: { [STATIC_DATA_KEY]: { v: 1, tasks: { [taskId]: [2, 0, 1, 'callback'] } } } });

	test('"Only Through the Poll Trigger" without a Poll Trigger in this process: deferred, nothing claimed or stored', async () => {
		const s = setup({ startExecutions: 'pollTrigger' });
		const task = sim.insertTask('textToVideo');
		const c = await call(s, req(task, typed(s)));
		expect([c.status, c.body, c.result.workflowData]).toEqual([200, ack(task, 'succeeded', { startedBy: 'pollTrigger', deferred: true }), undefined]);
		expect(c.debug).toEqual([['Kling AI Trigger left a finished task to the Poll Trigger', { workflowId: s.workflowId, taskId: task.task_id }]]);
		expect(ledgerFor(s.workflowId).get(task.task_id)).toBeUndefined();
		expect(s.staticData).toEqual({});
	});

	test('with a Poll Trigger in this process, a finished task is handed over; static data is neither read nor written', async () => {
		const s = setup();
		const task = sim.insertTask('textToVideo');
		// Static data says the task was emitted before: the Poll Trigger's key, not this copy, decides now.
		s.staticData = seeded(task.task_id);
		const stored = JSON.stringify(s.staticData);
		const delivered = pollTriggerOf(s.workflowId);
		const c = await call(s, req(task, typed(s)));
		expect([c.status, c.body, c.result]).toEqual([200, ack(task, 'succeeded', { startedBy: 'pollTrigger' }), { noWebhookResponse: true }]);
		expect(delivered).toEqual([[task.task_id, 'succeeded', 'callback']]);
		expect(JSON.stringify(s.staticData)).toBe(stored);
		expect(ledgerFor(s.workflowId).get(task.task_id)).toBeUndefined();
	});

	test('a hand-over that fails is logged and answered 200; nothing is claimed, the next poll emits the task', async () => {
		const s = setup();
		const task = sim.insertTask('textToVideo');
		pollTriggerOf(s.workflowId, 'poll trigger stopped');
		const c = await call(s, req(task, typed(s)));
		expect([c.status, c.body, c.result]).toEqual([200, ack(task, 'succeeded', { startedBy: 'pollTrigger' }), { noWebhookResponse: true }]);
		expect(c.warn).toEqual([
			[
				'Kling AI Trigger could not hand a finished task to the Poll Trigger; its next poll emits it',
				{ workflowId: s.workflowId, taskId: task.task_id, error: 'poll trigger stopped' },
			],
		]);
		expect(ledgerFor(s.workflowId).get(task.task_id)).toBeUndefined();
	});

	test('a test event (manual mode) starts here even with a Poll Trigger running, and honours static data', async () => {
		const s = setup({}, {}, { mode: 'manual' });
		const task = sim.insertTask('textToVideo');
		const delivered = pollTriggerOf(s.workflowId);
		const c = await call(s, req(task, typed(s)));
		expect([c.status, c.body, c.emitted.map(([o, j]) => [o, j.taskId]), delivered]).toEqual([200, ack(task), [[0, task.task_id]], []]);
		const other = sim.insertTask('textToVideo');
		resetLedgers();
		const again = await call({ ...s, staticData: seeded(other.task_id) }, req(other, typed(s)));
		expect([again.body, again.emitted]).toEqual([ack(other, 'succeeded', { ignored: 'duplicate' }), []]);
	});

	test('a progress callback is never handed over: with Emit Progress it is checked against static data here', async () => {
		const s = setup({ emitProgress: true });
		const task = sim.insertTask('textToVideo', { task_status: 'processing' });
		s.staticData = seeded(task.task_id);
		const delivered = pollTriggerOf(s.workflowId);
		const c = await call(s, req(task, typed(s)));
		expect([c.status, c.body, c.emitted, delivered]).toEqual([200, ack(task, 'processing', { ignored: 'stale' }), [], []]);
		// A progress update of another task is emitted here, on the Progress output.
		const other = sim.insertTask('textToVideo', { task_status: 'processing' });
		const d = await call(s, req(other, typed(s)));
		expect([d.status, d.body, d.emitted.map(([o, j]) => [o, j.taskId]), delivered]).toEqual([200, ack(other, 'processing'), [[2, other.task_id]], []]);
	});
});

describe('credential cache', () => {
	const progress = (id: string) => req({ task_id: id, task_status: 'processing' });
	const clock = () => {
		let now = Date.now();
		const spy = jest.spyOn(Date, 'now').mockImplementation(() => now);
		return {
			set: (t: number) => void (now = t),
			get now() {
				return now;
			},
			restore: () => spy.mockRestore(),
		};
	};

	test('a cached credential is used for less than CREDENTIAL_CACHE_MS, not at exactly that age', async () => {
		const c = clock();
		try {
			const s = setup({ requireUrlToken: false });
			const t0 = c.now;
			expect((await call(s, progress('a'))).credentialReads).toBe(1);
			c.set(t0 + CREDENTIAL_CACHE_MS - 1);
			expect((await call(s, progress('a'))).credentialReads).toBe(0);
			c.set(t0 + CREDENTIAL_CACHE_MS);
			expect((await call(s, progress('a'))).credentialReads).toBe(1);
		} finally {
			c.restore();
		}
	});

	test('two triggers, or one trigger switched to another credential, never share a cached credential', async () => {
		const a = setup({}, {}, { nodeId: 'node-a', credentialId: 'cred-a' });
		const b = { ...setup({}, { secretKey: 'sk_other' }, { nodeId: 'node-b', credentialId: 'cred-b' }), workflowId: a.workflowId };
		const task = sim.insertTask('textToVideo', { task_status: 'processing' });
		const first = await call(a, req(task, typed(a)));
		expect([first.status, first.credentialReads]).toEqual([200, 1]);
		// Another Kling AI Trigger of the same workflow, with another credential: its own token is accepted.
		const second = await call(b, req(task, typed(b)));
		expect([second.status, second.credentialReads]).toEqual([200, 1]);
		// The first trigger edited to use the second credential (same node): read at once, not after a minute.
		const switched = { ...b, nodeId: 'node-a' };
		const third = await call(switched, req(task, typed(b)));
		expect([third.status, third.credentialReads]).toEqual([200, 1]);
	});

	test('at most 500 credentials are kept; the least recently read one goes first', async () => {
		const c = clock();
		try {
			const s = setup({ requireUrlToken: false });
			const others = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ ...s, workflowId: `${s.workflowId}-other-${from + i}` }));
			const reads = async (list: Setup[]) => {
				let n = 0;
				for (const o of list) n += (await call(o, progress('p'))).credentialReads;
				return n;
			};
			const t0 = c.now;
			expect(await reads([s])).toBe(1);
			// Half a minute later, 499 more triggers: 500 cached, the first one still among them.
			c.set(t0 + CREDENTIAL_CACHE_MS / 2);
			expect(await reads(others(0, 499))).toBe(499);
			expect(await reads([s])).toBe(0);
			// A minute after its read, the first one is read again and becomes the most recent entry ...
			c.set(t0 + CREDENTIAL_CACHE_MS);
			expect(await reads([s])).toBe(1);
			// ... so the 501st trigger pushes out the oldest of the others, not it.
			expect(await reads(others(499, 1))).toBe(1);
			expect(await reads([s])).toBe(0);
			expect(await reads(others(1, 1))).toBe(0);
			expect(await reads(others(0, 1))).toBe(1);
		} finally {
			c.restore();
		}
	}, 60_000);
});
