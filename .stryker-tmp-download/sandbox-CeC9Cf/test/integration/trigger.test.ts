/**
 * Kling AI Trigger through the REAL n8n-core WebhookContext, fed by the Kling simulator's real HTTP
 * callbacks. A small loopback server plays n8n's webhook server: it reads the raw body, builds the
 * request n8n would hand the node, runs webhook(), and answers the simulator the way n8n does.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HookContext } from 'n8n-core';
import {
	NodeHelpers,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type INodeExecutionData,
	type IWebhookData,
	type IWebhookResponseData,
} from 'n8n-workflow';
import { CREDENTIAL_CACHE_MS, KlingAiTrigger } from '../../nodes/KlingAi/KlingAiTrigger.node';
import { buildCallbackUrl, urlTokenFromCredentials } from '../../nodes/KlingAi/shared/callback';
import { createTask, generateExternalTaskId } from '../../nodes/KlingAi/shared/api';
import { PERSIST_AFTER_MS, STATIC_DATA_KEY, ledgerFor, resetLedgers } from '../../nodes/KlingAi/shared/ledger';
import { signStandardWebhook } from '../../nodes/KlingAi/shared/signature';
import { TEST_KEYS, buildWorkflow, executeContext, initBinaryData, simulatorCredentials, webhookContext, type FakeRequest } from '../helpers/n8n';

interface SimCallback {
	taskId: string;
	status: string;
	delivered: boolean;
	statusCode: number | null;
	duplicate: boolean;
	reordered: boolean;
	body: IDataObject;
	headers?: Record<string, string>;
}
interface Sim {
	url: string;
	mediaUrl: string;
	requests: Array<{ method: string; path: string; query: IDataObject }>;
	callbacks: SimCallback[];
	setOptions(o: IDataObject): void;
	insertTask(type: string, overrides?: IDataObject): IDataObject;
	advance(taskId: string, status: string, message?: string): IDataObject;
	waitFor<T>(fn: () => T, timeoutMs?: number): Promise<T>;
	close(): Promise<void>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startSimulator } = require('../simulator') as { startSimulator: (o?: IDataObject) => Promise<Sim> };

const WEBHOOK_SECRET = 'whsec_dGVzdHNlY3JldHRlc3RzZWNyZXR0ZXN0c2VjcmV0MTI=';
const trigger = new KlingAiTrigger();

interface Emission {
	output: number;
	json: IDataObject;
	binary?: INodeExecutionData['binary'];
}

interface Answer {
	status: number;
	body: IDataObject;
	result: IWebhookResponseData;
	/** Whether the HTTP answer had been written when the first download request went out. */
	answeredBeforeDownload?: boolean;
}

/** One "n8n instance" hosting one trigger node: parameters, credential, static data, emissions. */
class Harness {
	server!: Server;
	url = '';
	emissions: Emission[] = [];
	answers: Answer[] = [];
	warnings: Array<[string, unknown]> = [];
	staticData: IDataObject = {};

	constructor(
		public parameters: IDataObject,
		public credentials: ICredentialDataDecryptedObject,
		public workflowId: string,
	) {}

	async start(): Promise<this> {
		this.server = createServer((req, res) => void this.onHttp(req, res));
		await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
		this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/webhook/wh-1/webhook`;
		return this;
	}

	async stop(): Promise<void> {
		await new Promise<void>((r) => this.server.close(() => r()));
	}

	/** Callback URL exactly as the action node builds it for this credential. */
	callbackUrl(taskType = 'textToVideo', token: string | undefined = urlTokenFromCredentials(this.credentials)): string {
		return buildCallbackUrl(this.url, { taskType: taskType as never, token });
	}

	/** Run webhook() on a request the way n8n's webhook server does. */
	async deliver(request: FakeRequest): Promise<Answer> {
		const { ctx, response } = webhookContext(
			{ nodeType: trigger, parameters: this.parameters, credentials: this.credentials, workflowId: this.workflowId, staticData: this.staticData },
			request,
		);
		const logger = ctx.logger;
		const spy = jest.isMockFunction(logger.warn) ? (logger.warn as jest.Mock) : jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
		spy.mockImplementation((message: string, meta?: unknown) => void this.warnings.push([message, meta]));
		let answeredBeforeDownload: boolean | undefined;
		const http = ctx.helpers.httpRequestWithAuthentication;
		ctx.helpers.httpRequestWithAuthentication = async function (this: unknown, type: string, options: { url: string }) {
			if (String(options.url).includes('/media/') && answeredBeforeDownload === undefined) answeredBeforeDownload = response.ended;
			return await http.call(this as never, type, options as never);
		} as typeof http;

		const result = await trigger.webhook.call(ctx);
		for (const [output, items] of (result.workflowData ?? []).entries()) {
			for (const item of items) this.emissions.push({ output, json: item.json, binary: item.binary });
		}
		// What n8n sends: our own answer (noWebhookResponse), else webhookResponse with the default 200.
		const answer: Answer = result.noWebhookResponse
			? { status: response.statusCode, body: response.body as IDataObject, result, answeredBeforeDownload }
			: { status: 200, body: (result.webhookResponse ?? { message: 'Webhook call received' }) as IDataObject, result };
		this.answers.push(answer);
		return answer;
	}

	private async onHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const rawBody = Buffer.concat(chunks);
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		let body: unknown = {};
		if (String(req.headers['content-type'] ?? '').startsWith('application/json')) {
			try {
				body = JSON.parse(rawBody.toString('utf8'));
			} catch {
				res.writeHead(422).end();
				return;
			}
		}
		try {
			const answer = await this.deliver({
				body,
				rawBody,
				headers: req.headers as Record<string, string>,
				query: Object.fromEntries(url.searchParams),
			});
			res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
		} catch (error) {
			res.writeHead(500).end(String((error as Error).message));
		}
	}

	byOutput(output: number): IDataObject[] {
		return this.emissions.filter((e) => e.output === output).map((e) => e.json);
	}
}

function fakeRequest(body: unknown, query: IDataObject = {}, headers: Record<string, string> = {}): FakeRequest {
	const raw = typeof body === 'string' ? body : JSON.stringify(body);
	return {
		body: typeof body === 'string' ? {} : body,
		rawBody: Buffer.from(raw),
		headers: { 'content-type': 'application/json', ...headers },
		query: query as Record<string, string>,
	};
}

let sim: Sim;
let seq = 0;
const harnesses: Harness[] = [];

async function harness(parameters: IDataObject = {}, extraCreds: IDataObject = {}): Promise<Harness> {
	const h = await new Harness(parameters, simulatorCredentials(sim.url, extraCreds), `wf-trigger-${++seq}`).start();
	harnesses.push(h);
	return h;
}

/** Wait until the simulator has had an HTTP answer for `n` callback deliveries of the task. */
async function answered(taskId: string, n: number): Promise<void> {
	await sim.waitFor(() => sim.callbacks.filter((c) => c.taskId === taskId && c.statusCode !== null).length >= n, 10_000);
}

beforeAll(async () => {
	await initBinaryData();
	sim = await startSimulator({ port: 0, autoAdvance: false, mediaOrigin: 'separate' });
});

afterAll(async () => {
	await sim.close();
	await Promise.all(harnesses.map(async (h) => await h.stop()));
});

beforeEach(() => {
	resetLedgers();
	sim.setOptions({ webhookSecret: undefined, callbacks: { progress: true, drop: 0, duplicate: 0, reorder: 0, delayMs: 0 } });
});

describe('Kling AI Trigger: callbacks from the simulator', () => {
	test('a task created through the real transport: progress is acknowledged without execution, the result lands on Succeeded once', async () => {
		const h = await harness();
		const ectx = executeContext({ nodeType: trigger, parameters: {}, credentials: h.credentials });
		const externalId = generateExternalTaskId(['trigger-test', Date.now()]);
		const { item } = await createTask(ectx, 'textToVideo', { prompt: 'a cat surfing', external_task_id: externalId, callback_url: h.callbackUrl() });
		sim.advance(item.taskId, 'processing');
		sim.advance(item.taskId, 'succeed');
		await answered(item.taskId, 2);

		expect(h.answers.map((a) => [a.status, a.body.ignored ?? null])).toEqual([
			[200, 'progress'],
			[200, null],
		]);
		expect(h.answers[0].result.workflowData).toBeUndefined();
		expect(h.answers[1].body).toEqual({ received: true, taskId: item.taskId, status: 'succeeded' });
		expect(h.byOutput(1)).toEqual([]);
		const [emitted] = h.byOutput(0);
		expect(h.emissions).toHaveLength(1);
		// Same normalised shape as Get Task, with the type from kling_type.
		expect(emitted).toMatchObject({
			taskId: item.taskId,
			externalTaskId: externalId,
			status: 'succeeded',
			klingStatus: 'succeed',
			finished: true,
			taskType: 'textToVideo',
			resultKind: 'videos',
			videos: [expect.objectContaining({ url: expect.stringContaining('/media/') })],
		});
		expect(Object.keys(emitted).sort()).toEqual(
			[
				'taskId', 'externalTaskId', 'status', 'klingStatus', 'statusMessage', 'finished', 'taskType', 'resultKind', 'createdAt',
				'createdAtMs', 'updatedAt', 'updatedAtMs', 'videos', 'images', 'parentVideo', 'unitsDeducted', 'billing', 'resultsExpireAt', 'raw',
				// Result kinds of issue 14 (empty for a video task).
				'audios', 'seriesImages', 'resultType',
				// Library results (voices, elements; empty for a video task).
				'voices', 'elements',
			].sort(),
		);
	});

	test('a failed task lands on Failed; with Emit Progress, processing lands on a third Progress output', async () => {
		const h = await harness({ emitProgress: true });
		const task = sim.insertTask('imageGeneration', { task_status: 'submitted', callback_url: h.callbackUrl('imageGeneration') });
		sim.advance(String(task.task_id), 'processing');
		sim.advance(String(task.task_id), 'failed', 'content risk control');
		await answered(String(task.task_id), 2);
		expect(h.answers.every((a) => a.result.workflowData?.length === 3)).toBe(true);
		expect(h.byOutput(2)).toEqual([expect.objectContaining({ status: 'processing', taskType: 'imageGeneration' })]);
		expect(h.byOutput(1)).toEqual([expect.objectContaining({ status: 'failed', statusMessage: 'content risk control' })]);
		expect(h.byOutput(0)).toEqual([]);
	});

	test('duplicated and reordered callbacks of many tasks produce exactly one terminal item per task', async () => {
		const h = await harness({ emitProgress: true });
		sim.setOptions({ callbacks: { progress: true, duplicate: 1, reorder: 1 } });
		const ids: string[] = [];
		for (let i = 0; i < 5; i++) {
			const t = sim.insertTask('textToVideo', { task_status: 'submitted', callback_url: h.callbackUrl() });
			ids.push(String(t.task_id));
			sim.advance(ids[i], 'processing');
			sim.advance(ids[i], i % 2 ? 'failed' : 'succeed');
		}
		// Each task: terminal, terminal again, the held-back processing, processing again = 4 deliveries.
		for (const id of ids) await answered(id, 4);
		for (const id of ids) {
			const deliveries = sim.callbacks.filter((c) => c.taskId === id);
			expect(deliveries.map((c) => [c.status, c.duplicate, c.reordered])).toEqual([
				[expect.stringMatching(/succeed|failed/), false, false],
				[expect.stringMatching(/succeed|failed/), true, false],
				['processing', false, true],
				['processing', true, true],
			]);
			expect(deliveries.every((c) => c.statusCode === 200)).toBe(true);
			const emitted = h.emissions.filter((e) => e.json.taskId === id);
			// The late processing never reaches the workflow: only the terminal state, once.
			expect(emitted).toHaveLength(1);
			expect(emitted[0].json.finished).toBe(true);
		}
		expect(h.answers.filter((a) => a.body.ignored === 'duplicate')).toHaveLength(5);
		expect(h.answers.filter((a) => a.body.ignored === 'stale')).toHaveLength(10);
	});

	test('concurrent duplicates of one callback (confirmation awaits the API before the claim): one item', async () => {
		const h = await harness({ confirmWithApi: true });
		const task = sim.insertTask('textToVideo', { callback_url: h.callbackUrl() });
		const token = urlTokenFromCredentials(h.credentials) as string;
		const answers = await Promise.all(
			Array.from({ length: 20 }, async () => await h.deliver(fakeRequest(task, { kling_type: 'textToVideo', kling_token: token }))),
		);
		expect(h.emissions).toHaveLength(1);
		expect(answers.filter((a) => !a.body.ignored)).toHaveLength(1);
		expect(answers.every((a) => a.status === 200)).toBe(true);
	});

	test('a callback for a task type or external id outside the filters starts nothing', async () => {
		const h = await harness({ filters: { taskTypes: ['lipSync'], externalTaskIdPrefix: 'wf42-' } });
		const token = urlTokenFromCredentials(h.credentials) as string;
		const other = sim.insertTask('textToVideo', { external_task_id: 'wf42-a' });
		const wrongPrefix = sim.insertTask('lipSync', { external_task_id: 'wf43-a' });
		const ok = sim.insertTask('lipSync', { external_task_id: 'wf42-b' });
		const a = await h.deliver(fakeRequest(other, { kling_type: 'textToVideo', kling_token: token }));
		const b = await h.deliver(fakeRequest(wrongPrefix, { kling_type: 'lipSync', kling_token: token }));
		const c = await h.deliver(fakeRequest(ok, { kling_type: 'lipSync', kling_token: token }));
		// The prefix further into the id is not a match.
		const inside = sim.insertTask('lipSync', { external_task_id: 'x-wf42-c' });
		const d = await h.deliver(fakeRequest(inside, { kling_type: 'lipSync', kling_token: token }));
		expect([a.body.ignored, b.body.ignored, c.body.ignored, d.body.ignored]).toEqual(['filtered', 'filtered', undefined, 'filtered']);
		expect(h.emissions.map((e) => e.json.externalTaskId)).toEqual(['wf42-b']);
	});
});

describe('Kling AI Trigger: authenticity', () => {
	test('signed callbacks (credential secret) are accepted; a forged one gets 401 and starts nothing; the log holds no secret', async () => {
		sim.setOptions({ webhookSecret: WEBHOOK_SECRET });
		const h = await harness({}, { webhookSecret: WEBHOOK_SECRET });
		const task = sim.insertTask('textToVideo', { task_status: 'submitted', callback_url: h.callbackUrl() });
		sim.advance(String(task.task_id), 'succeed');
		await answered(String(task.task_id), 1);
		expect(sim.callbacks.find((c) => c.taskId === task.task_id)?.headers?.['webhook-signature']).toMatch(/^v1,/);
		expect(h.answers.map((a) => [a.status, a.body.error ?? null])).toEqual([[200, null]]);
		expect(h.emissions).toHaveLength(1);

		// Forged: right URL token, but signed with another secret (and claiming another task).
		const forgedTask = { ...task, task_id: 'forged-1', task_status: 'succeed' };
		const raw = JSON.stringify(forgedTask);
		const ts = Math.floor(Date.now() / 1000);
		const sig = signStandardWebhook('whsec_Zm9yZ2VkZm9yZ2VkZm9yZ2VkZm9yZ2VkZm9yZ2VkMTI=', 'msg_forged', ts, raw);
		const token = urlTokenFromCredentials(h.credentials) as string;
		const forged = await h.deliver(
			fakeRequest(raw, { kling_type: 'textToVideo', kling_token: token }, { 'webhook-id': 'msg_forged', 'webhook-timestamp': String(ts), 'webhook-signature': sig }),
		);
		expect(forged.status).toBe(401);
		expect(forged.body).toEqual({ received: false, error: 'bad_signature', message: expect.any(String) });
		expect(forged.result.workflowData).toBeUndefined();
		// Unsigned while a secret is set: 401 too.
		const unsigned = await h.deliver(fakeRequest(forgedTask, { kling_type: 'textToVideo', kling_token: token }));
		expect([unsigned.status, unsigned.body.error]).toEqual([401, 'missing_signature']);
		expect(h.emissions).toHaveLength(1);

		expect(h.warnings.length).toBe(2);
		const logged = JSON.stringify(h.warnings);
		for (const secret of [WEBHOOK_SECRET, WEBHOOK_SECRET.slice(6), token, sig.slice(3), 'sk_test']) expect(logged).not.toContain(secret);
	});

	test('URL token: missing or wrong token → 401 with a JSON reason, no execution', async () => {
		const h = await harness();
		const task = sim.insertTask('textToVideo');
		const missing = await h.deliver(fakeRequest(task, { kling_type: 'textToVideo' }));
		const wrong = await h.deliver(fakeRequest(task, { kling_type: 'textToVideo', kling_token: 'guess' }));
		expect([missing.status, missing.body.error, wrong.status, wrong.body.error]).toEqual([401, 'missing_token', 401, 'bad_token']);
		expect(h.emissions).toEqual([]);
		// The simulator's own delivery with the token the action node appends is accepted.
		const accepted = await h.deliver(fakeRequest(task, { kling_type: 'textToVideo', kling_token: urlTokenFromCredentials(h.credentials) as string }));
		expect(accepted.status).toBe(200);
		expect(h.emissions).toHaveLength(1);
	});

	test('bodies that are not Kling tasks → 400 JSON reason; oversized → 413', async () => {
		const h = await harness({ requireUrlToken: false });
		const notJson = await h.deliver({ body: 'hello', rawBody: Buffer.from('hello'), headers: { 'content-type': 'text/plain' }, query: {} });
		const noId = await h.deliver(fakeRequest({ task_status: 'succeed' }));
		const badStatus = await h.deliver(fakeRequest({ task_id: 'x', task_status: 'exploded' }));
		const huge = await h.deliver(fakeRequest({ task_id: 'x', task_status: 'succeed', pad: 'x'.repeat(1024 * 1024) }));
		expect([notJson, noId, badStatus, huge].map((a) => [a.status, a.body.error])).toEqual([
			[400, 'not_json'],
			[400, 'no_task_id'],
			[400, 'unknown_status'],
			[413, 'payload_too_large'],
		]);
		expect(h.emissions).toEqual([]);
	});
});

describe('Kling AI Trigger: Confirm With Kling API', () => {
	test("an unsigned callback while a secret is set is confirmed: Kling's task is emitted, not the body", async () => {
		const h = await harness({ confirmWithApi: true }, { webhookSecret: WEBHOOK_SECRET });
		const task = sim.insertTask('textToVideo', { task_status: 'succeed' });
		const token = urlTokenFromCredentials(h.credentials) as string;
		const lying = { ...task, task_result: { videos: [{ id: 'evil', url: 'https://evil.example/x.mp4', duration: '5' }] } };
		const before = sim.requests.length;
		const a = await h.deliver(fakeRequest(lying, { kling_type: 'textToVideo', kling_token: token }));
		expect(a.status).toBe(200);
		const gets = sim.requests.slice(before).filter((r) => r.method === 'GET');
		expect(gets.map((r) => r.path)).toEqual([`/v1/videos/text2video/${task.task_id}`]);
		const [emitted] = h.byOutput(0);
		expect((emitted.videos as IDataObject[])[0].url).not.toContain('evil');
		expect(emitted.raw).toEqual(expect.objectContaining({ task_id: task.task_id }));
	});

	test('without kling_type, the task is looked up across the endpoints', async () => {
		const h = await harness({ confirmWithApi: true, requireUrlToken: false });
		const task = sim.insertTask('imageExpand');
		const a = await h.deliver(fakeRequest(task));
		expect(a.status).toBe(200);
		expect(h.byOutput(0)).toEqual([expect.objectContaining({ taskId: task.task_id, taskType: 'imageExpand', resultKind: 'images' })]);
	});

	test('with Task Types set, an untyped callback is filtered on the confirmed type, not dropped before confirmation', async () => {
		const h = await harness({ confirmWithApi: true, requireUrlToken: false, filters: { taskTypes: ['imageExpand'] } });
		const wanted = sim.insertTask('imageExpand');
		const other = sim.insertTask('textToVideo');
		// No kling_type in the URL (a callback URL set by hand): the type is known only after the API lookup.
		const a = await h.deliver(fakeRequest(wanted));
		const b = await h.deliver(fakeRequest(other));
		expect([a.status, a.body.ignored]).toEqual([200, undefined]);
		expect(h.byOutput(0)).toEqual([expect.objectContaining({ taskId: wanted.task_id, taskType: 'imageExpand' })]);
		// A task of another type is still not emitted (the lookup is restricted to the filtered types).
		expect(b.result.workflowData).toBeUndefined();
		expect(h.emissions).toHaveLength(1);
	});

	test('a new-standard callback is confirmed at GET /tasks (API key) and lands on Succeeded once', async () => {
		const h = await harness({ confirmWithApi: true }, { authType: 'apiKey', apiKey: TEST_KEYS.apiKey });
		const task = sim.insertTask('newStandard', { task_status: 'submitted', callback_url: h.callbackUrl('newStandard') });
		const id = String(task.task_id);
		const before = sim.requests.length;
		sim.advance(id, 'processing');
		sim.advance(id, 'succeed');
		sim.advance(id, 'succeed');
		await answered(id, 3);
		// Kling sent the new shape ({id, status, outputs}), and the trigger read the task where the new standard keeps it.
		expect(sim.callbacks.filter((c) => c.taskId === id).map((c) => c.body.status)).toEqual(['processing', 'succeeded', 'succeeded']);
		const reads = sim.requests.slice(before).filter((r) => r.method === 'GET');
		expect(reads.length).toBeGreaterThan(0);
		expect(reads.every((r) => r.path === '/tasks' && r.query.task_ids === id)).toBe(true);
		expect(h.emissions).toHaveLength(1);
		expect(h.byOutput(0)).toEqual([expect.objectContaining({ taskId: id, taskType: 'newStandard', status: 'succeeded', resultKind: 'videos' })]);
	});

	test('a task Kling does not know → 404 unknown_task, no execution', async () => {
		const h = await harness({ confirmWithApi: true });
		const token = urlTokenFromCredentials(h.credentials) as string;
		const a = await h.deliver(fakeRequest({ task_id: 'never-created', task_status: 'succeed' }, { kling_type: 'textToVideo', kling_token: token }));
		expect([a.status, a.body.error]).toEqual([404, 'unknown_task']);
		expect(h.emissions).toEqual([]);
		expect(h.warnings.map(([m]) => m)).toEqual([expect.stringContaining('404 unknown_task')]);
	});

	test('a body that claims success for a task Kling still reports as processing is not emitted', async () => {
		const h = await harness({ confirmWithApi: true });
		const token = urlTokenFromCredentials(h.credentials) as string;
		const task = sim.insertTask('textToVideo', { task_status: 'processing' });
		const a = await h.deliver(fakeRequest({ ...task, task_status: 'succeed' }, { kling_type: 'textToVideo', kling_token: token }));
		expect([a.status, a.body.ignored, a.body.status]).toEqual([200, 'not_final', 'processing']);
		expect(h.emissions).toEqual([]);
	});

	test('Kling unreachable during confirmation → 502 confirmation_failed, nothing claimed (a retry can still emit)', async () => {
		const h = await harness({ confirmWithApi: true }, { customBaseUrl: 'http://127.0.0.1:9' });
		const token = urlTokenFromCredentials(h.credentials) as string;
		const task = sim.insertTask('textToVideo');
		const a = await h.deliver(fakeRequest(task, { kling_type: 'textToVideo', kling_token: token }));
		expect([a.status, a.body.error]).toEqual([502, 'confirmation_failed']);
		expect(h.warnings.map(([m]) => m)).toEqual([expect.stringContaining('could not confirm')]);
		expect(JSON.stringify(h.warnings)).not.toContain('sk_test');
		expect(ledgerFor(h.workflowId).get(String(task.task_id))).toBeUndefined();
		h.credentials.customBaseUrl = sim.url;
		const retry = await h.deliver(fakeRequest(task, { kling_type: 'textToVideo', kling_token: token }));
		expect(retry.status).toBe(200);
		expect(h.emissions).toHaveLength(1);
	});
});

describe('Kling AI Trigger: Download Results', () => {
	test('answers 200 before streaming the result into binary data', async () => {
		const h = await harness({ downloadResults: true, binaryPropertyName: 'video' });
		const task = sim.insertTask('textToVideo', { task_status: 'submitted', callback_url: h.callbackUrl() });
		sim.advance(String(task.task_id), 'succeed');
		await answered(String(task.task_id), 1);
		const [answer] = h.answers;
		expect(answer.answeredBeforeDownload).toBe(true);
		expect([answer.status, answer.body]).toEqual([200, { received: true, taskId: task.task_id, status: 'succeeded' }]);
		expect(answer.result.noWebhookResponse).toBe(true);
		const [emission] = h.emissions;
		expect(emission.output).toBe(0);
		expect(emission.binary?.video).toMatchObject({ mimeType: 'video/mp4', fileName: `${task.task_id}.mp4` });
		expect(emission.json.downloadError).toBeUndefined();
	});

	test('a failed download still emits the task, with downloadError and no binary', async () => {
		const h = await harness({ downloadResults: true });
		const token = urlTokenFromCredentials(h.credentials) as string;
		const task = sim.insertTask('textToVideo', { task_result: { videos: [{ id: 'v', url: `${sim.mediaUrl}/nothing-here.mp4`, duration: '5' }] } });
		const a = await h.deliver(fakeRequest(task, { kling_type: 'textToVideo', kling_token: token }));
		expect(a.status).toBe(200);
		expect(h.emissions).toHaveLength(1);
		expect(h.emissions[0].binary).toBeUndefined();
		expect(h.emissions[0].json.downloadError).toMatch(/HTTP 404/);
	});

	test('an unauthenticated callback (no token, no secret, no confirmation) is never downloaded', async () => {
		const h = await harness({ downloadResults: true, requireUrlToken: false });
		const task = sim.insertTask('textToVideo');
		const before = sim.requests.length;
		await h.deliver(fakeRequest(task, { kling_type: 'textToVideo' }));
		expect(sim.requests.slice(before).filter((r) => r.path.includes('/media/'))).toEqual([]);
		expect(h.emissions[0].binary).toBeUndefined();
		expect(h.emissions[0].json.downloadError).toMatch(/not authenticated/);
	});
});

describe('Kling AI Trigger: a failed emission is undone', () => {
	test('when answering fails after the claim, the claim is released (memory and static data): a repeated delivery emits the task', async () => {
		const h = await harness();
		const token = urlTokenFromCredentials(h.credentials) as string;
		const [first, second] = [sim.insertTask('textToVideo'), sim.insertTask('textToVideo')];
		const fail = async (task: IDataObject) => {
			const { ctx } = webhookContext(
				{ nodeType: trigger, parameters: h.parameters, credentials: h.credentials, workflowId: h.workflowId, staticData: h.staticData },
				fakeRequest(task, { kling_type: 'textToVideo', kling_token: token }),
			);
			// express throws like this when the connection is gone or an answer was already sent.
			ctx.getResponseObject().json = () => {
				throw new Error('Cannot set headers after they are sent to the client');
			};
			await expect(trigger.webhook.call(ctx)).rejects.toThrow(`Could not process the callback of task ${String(task.task_id)}: Cannot set headers`);
		};
		await fail(first);
		await fail(second);
		expect(ledgerFor(h.workflowId).get(String(first.task_id))).toBeUndefined();
		// Same process: Kling's repeated delivery emits the task.
		const again = await h.deliver(fakeRequest(first, { kling_type: 'textToVideo', kling_token: token }));
		expect([again.status, again.body.ignored]).toEqual([200, undefined]);
		// After a restart only static data is left: it holds no claim of the failed emission either.
		resetLedgers();
		const afterRestart = await h.deliver(fakeRequest(second, { kling_type: 'textToVideo', kling_token: token }));
		expect([afterRestart.status, afterRestart.body.ignored]).toEqual([200, undefined]);
		expect(h.emissions.map((e) => e.json.taskId)).toEqual([first.task_id, second.task_id]);
	});
});

describe('Kling AI Trigger: exactly once across restarts (static data)', () => {
	test('the ledger written to static data is honoured after resetLedgers(); without it the task would be emitted again', async () => {
		const h = await harness({ startExecutions: 'here' });
		const token = urlTokenFromCredentials(h.credentials) as string;
		const task = sim.insertTask('textToVideo');
		const other = sim.insertTask('textToVideo');
		const req = (t: IDataObject) => fakeRequest(t, { kling_type: 'textToVideo', kling_token: token });
		await h.deliver(req(task));
		expect(h.emissions).toHaveLength(1);
		// A claim younger than PERSIST_AFTER_MS is not written yet: a crash before n8n creates its
		// execution must not leave the task recorded as delivered.
		const early = JSON.parse(JSON.stringify(h.staticData)) as IDataObject;
		expect(((early.global as IDataObject)[STATIC_DATA_KEY] as IDataObject).tasks).not.toHaveProperty(String(task.task_id));
		await new Promise((r) => setTimeout(r, PERSIST_AFTER_MS + 100));
		await h.deliver(req(other));
		const persisted = JSON.parse(JSON.stringify(h.staticData)) as IDataObject;
		expect(((persisted.global as IDataObject)[STATIC_DATA_KEY] as IDataObject).tasks).toHaveProperty(String(task.task_id));

		// "Restart": in-process ledgers are gone; static data comes back from the database.
		resetLedgers();
		h.staticData = JSON.parse(JSON.stringify(persisted));
		const again = await h.deliver(req(task));
		expect(again.body.ignored).toBe('duplicate');
		expect(h.emissions).toHaveLength(2);

		// Control: a restart that lost static data would emit it again (so the static data is what held).
		resetLedgers();
		h.staticData = {};
		await h.deliver(req(task));
		expect(h.emissions).toHaveLength(3);
	}, 30_000);
});

describe('Kling AI Trigger: node description and lifecycle', () => {
	test('two outputs by default, three with Emit Progress (dynamic outputs expression)', () => {
		for (const [emitProgress, names] of [
			[false, ['Succeeded', 'Failed']],
			[true, ['Succeeded', 'Failed', 'Progress']],
		] as const) {
			const { workflow, node } = buildWorkflow({ nodeType: trigger, parameters: { emitProgress }, credentials: {} });
			const outputs = NodeHelpers.getNodeOutputs(workflow, node, trigger.description);
			expect(outputs).toEqual(names.map((displayName) => ({ type: 'main', displayName })));
		}
		expect(trigger.description.inputs).toEqual([]);
		expect(trigger.description.usableAsTool).toBeUndefined();
		expect(trigger.description.webhooks).toEqual([{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }]);
	});

	test('webhook methods are no-ops that keep the URL in node static data', async () => {
		const { workflow, node, additionalData } = buildWorkflow({ nodeType: trigger, parameters: {}, credentials: {} });
		const webhookData = { httpMethod: 'POST', node: node.name, path: 'webhook', webhookDescription: trigger.description.webhooks![0], workflowId: workflow.id, isTest: false } as unknown as IWebhookData;
		const ctx = new HookContext(workflow, node, additionalData, 'trigger', 'activate', webhookData);
		const methods = trigger.webhookMethods.default;
		expect(await methods.checkExists.call(ctx)).toBe(false);
		expect(await methods.create.call(ctx)).toBe(true);
		expect(workflow.staticData[`node:${node.name}`]).toEqual({ webhookUrl: 'http://127.0.0.1:5678/webhook/wh-1/webhook' });
		expect(await methods.delete.call(ctx)).toBe(true);
		expect(workflow.staticData[`node:${node.name}`]).toEqual({});
	});
});

describe('credential cache (fast path for bursts of callbacks)', () => {
	it('reads the credential once per minute per trigger, not once per callback', async () => {
		const h = await harness();
		const task = sim.insertTask('textToVideo', { external_task_id: 'cache-1' }) as { task_id: string };
		const calls = { n: 0 };
		const body = JSON.stringify({ task_id: task.task_id, task_status: 'processing', created_at: 1, updated_at: 2 });
		for (let i = 0; i < 3; i++) {
			const { ctx } = webhookContext(
				{ nodeType: trigger, parameters: h.parameters, credentials: h.credentials, workflowId: h.workflowId, staticData: h.staticData },
				{ body: JSON.parse(body), rawBody: Buffer.from(body), headers: { 'content-type': 'application/json' }, query: { kling_token: urlTokenFromCredentials(h.credentials)! } },
			);
			const original = ctx.getCredentials.bind(ctx);
			ctx.getCredentials = (async (type: string) => {
				calls.n++;
				return await original(type);
			}) as typeof ctx.getCredentials;
			await trigger.webhook.call(ctx);
		}
		expect(calls.n).toBe(1);
	});

	it('an edited credential applies once the cache time has passed (new token accepted, old one refused)', async () => {
		const h = await harness();
		const task = sim.insertTask('textToVideo', { task_status: 'processing' });
		const oldToken = urlTokenFromCredentials(h.credentials) as string;
		const realNow = Date.now.bind(Date);
		let offset = 0;
		const clock = jest.spyOn(Date, 'now').mockImplementation(() => realNow() + offset);
		try {
			expect((await h.deliver(fakeRequest(task, { kling_type: 'textToVideo', kling_token: oldToken }))).status).toBe(200);
			// The user edits the credential: a new secret key, so the action node appends another token.
			h.credentials.secretKey = 'sk_rotated_secret';
			const newToken = urlTokenFromCredentials(h.credentials) as string;
			expect(newToken).not.toBe(oldToken);
			// Within the cache time the credential read before still applies.
			offset = CREDENTIAL_CACHE_MS - 1_000;
			expect((await h.deliver(fakeRequest(task, { kling_type: 'textToVideo', kling_token: newToken }))).body.error).toBe('bad_token');
			// After it, the edited one does.
			offset = CREDENTIAL_CACHE_MS + 1_000;
			const fresh = await h.deliver(fakeRequest(task, { kling_type: 'textToVideo', kling_token: newToken }));
			expect([fresh.status, fresh.body.ignored]).toEqual([200, 'progress']);
			const stale = await h.deliver(fakeRequest(task, { kling_type: 'textToVideo', kling_token: oldToken }));
			expect([stale.status, stale.body.error]).toEqual([401, 'bad_token']);
		} finally {
			clock.mockRestore();
		}
	});
});
