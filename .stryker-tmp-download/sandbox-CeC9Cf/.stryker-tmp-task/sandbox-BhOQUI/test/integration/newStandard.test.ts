/**
 * Kling's new standard (issue #13): the node's bodies per path × model against the simulator (its NS module
 * validates per b.18), the docs' NS examples, the API-key-only rule, /tasks reads, billing lines.
 */
import { NodeOperationError, type IDataObject, type INodeExecutionData } from 'n8n-workflow';
import { executeContext, simulatorCredentials, TEST_KEYS } from '../helpers/n8n';
import { startSimulator, type KlingSimulator } from '../simulator';
import { validateNsCreate } from '../simulator/newStandard';
import { signWebhook } from '../simulator/signing';
import { IMG, baseParameters, node } from './actionFixtures';
import { findCreateOperation } from '../../nodes/KlingAi/resources';
import { NS_ROUTES, nsPath, decideStandard, toNewStandardBody } from '../../nodes/KlingAi/shared/newStandard';
import { parseTaskPayload } from '../../nodes/KlingAi/shared/task';
import { docJson } from '../unit/fixtures/klingDocExamples';
import { NS_CREATE_REQUEST, NS_CREATE_RESPONSE, NS_LIST_REQUEST, NS_LIST_RESPONSE, NS_SIGNATURE_VECTOR } from '../unit/fixtures/klingNewStandardExamples';

jest.setTimeout(60_000);

let sim: KlingSimulator;
const apiKeyCreds = () => simulatorCredentials(sim.url, { authType: 'apiKey', apiKey: TEST_KEYS.apiKey });
const jwtCreds = () => simulatorCredentials(sim.url);

beforeAll(async () => {
	sim = await startSimulator({ timings: { toProcessingMs: 20, toFinishMs: 60 } });
});
afterAll(async () => {
	await sim.close();
});

let executions = 0;
async function run(parameters: IDataObject, credentials = apiKeyCreds()): Promise<INodeExecutionData[][]> {
	const ctx = executeContext({ nodeType: node, parameters, credentials, executionId: `ns-exec-${++executions}` }, [{ json: {} }], 'manual');
	return await node.execute.call(ctx);
}

/** Operation parameters choosing the route's model (and the new standard where the model is on both). */
function paramsFor(r: (typeof NS_ROUTES)[number], extra: IDataObject = {}): IDataObject {
	const op = findCreateOperation('video', r.family)!;
	const base = baseParameters(op);
	const model = r.legacyModel ?? r.model;
	const p: IDataObject = { ...base, model, ...(r.legacyModel ? { apiStandard: 'new' } : {}) };
	if (r.family === 'textToVideo' || r.family === 'imageToVideo') p.duration = '5';
	if (r.family === 'omniVideo') p.duration = '5';
	return { ...p, ...extra };
}

const lastPost = () => [...sim.requests].reverse().find((q) => q.method === 'POST');

describe('create bodies per new-standard path × model, accepted by the simulator', () => {
	it.each(NS_ROUTES.map((r) => [nsPath(r), r] as const))('%s', async (_p, r) => {
		const [[item]] = await run(paramsFor(r));
		const req = lastPost()!;
		expect(req.path).toBe(nsPath(r));
		expect(req.status).toBe(200);
		expect(req.auth.kind).toBe('apiKey');
		const body = req.body as IDataObject;
		expect(body.model_name).toBeUndefined();
		expect((body.options as IDataObject).external_task_id).toMatch(/^n8n-/);
		if (r.contents) expect(Array.isArray(body.contents)).toBe(true);
		else expect(typeof body.prompt).toBe('string');
		const settings = (body.settings ?? {}) as IDataObject;
		if (r.durations) expect(settings.duration).toBe(5);
		expect(item.json.taskType).toBe('newStandard');
		expect(item.json.status).toBe('submitted');
		expect(sim.task(String(item.json.taskId))?.path).toBe(nsPath(r));
	});

	it('kling-2.6 text to video with sound: native audio in 1080p (Professional), durations as ints', async () => {
		const r = NS_ROUTES.find((x) => x.family === 'textToVideo' && x.model === 'kling-2.6')!;
		await run(paramsFor(r, { mode: 'pro', duration: '10', options: { sound: true, watermark: true } }));
		const body = lastPost()!.body as IDataObject;
		expect(body.settings).toEqual({ audio: 'native', resolution: '1080p', aspect_ratio: '16:9', duration: 10 });
		expect(body.options).toMatchObject({ watermark_info: { enabled: true } });
	});

	it('kling-2.6 with sound in Standard mode is refused before any request, naming Mode', async () => {
		const r = NS_ROUTES.find((x) => x.family === 'textToVideo' && x.model === 'kling-2.6')!;
		const before = sim.requests.length;
		// Legacy's own check (sound needs pro on kling-v2-6) or the NS rule: both name the field.
		await expect(run(paramsFor(r, { mode: 'std', options: { sound: true } }))).rejects.toThrow(/Mode|Generate Sound/);
		expect(sim.requests.length).toBe(before);
	});

	it('kling-3.0 image to video: elements become element contents with @handles, multi-shot off = false', async () => {
		const r = NS_ROUTES.find((x) => x.family === 'imageToVideo' && x.model === 'kling-3.0')!;
		await run(paramsFor(r, { prompt: '<<<element_1>>> walks with <<<element_2>>>', options: { elementIds: '829836802793406551, 829836802793406552' } }));
		const body = lastPost()!.body as IDataObject;
		expect(body.contents).toEqual([
			{ type: 'prompt', text: '@element_1 walks with @element_2' },
			{ type: 'first_frame', url: IMG },
			{ type: 'element', element_id: '829836802793406551', id: 'element_1' },
			{ type: 'element', element_id: '829836802793406552', id: 'element_2' },
		]);
		expect((body.settings as IDataObject).multi_shot).toBe(false);
	});

	it('kling-3.0-turbo custom shots go into the prompt syntax "shot n, m, words;"', async () => {
		await run({ resource: 'video', operation: 'textToVideo', model: 'kling-3.0-turbo', duration: '6', prompt: 'unused', options: { multiShot: 'customize', shots: { shot: [{ prompt: 'a fox', duration: 2 }, { prompt: 'the fox jumps', duration: 4 }] } } });
		const body = lastPost()!.body as IDataObject;
		expect(body.prompt).toBe('shot 1, 2, a fox; shot 2, 4, the fox jumps;');
		expect(body.settings).toEqual({ resolution: '720p', aspect_ratio: '16:9', duration: 6 });
	});

	it('kling-3.0-turbo image to video refuses an end frame (first frame only) before any request', async () => {
		const before = sim.requests.length;
		const p = { ...baseParameters(findCreateOperation('video', 'imageToVideo')!), model: 'kling-3.0-turbo', imageTailInputType: 'url', imageTail: `${IMG}?end` };
		await expect(run(p)).rejects.toThrow(/End Frame Image/);
		expect(sim.requests.length).toBe(before);
	});

	it('negative prompt has no new-standard field: refused naming it', async () => {
		await expect(run({ resource: 'video', operation: 'textToVideo', model: 'kling-3.0-turbo', prompt: 'x', options: { negativePrompt: 'blur' } })).rejects.toThrow(/"Negative Prompt" is not available on Kling's new standard/);
	});
});

describe('which standard, and the API-key rule', () => {
	it('an access/secret-key credential on kling-3.0-turbo fails BEFORE any request, naming the API key and the credential field', async () => {
		const before = sim.requests.length;
		const error = await run({ resource: 'video', operation: 'textToVideo', model: 'kling-3.0-turbo', prompt: 'a fox' }, jwtCreds()).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as Error).message).toMatch(/needs an API key/);
		expect((error as NodeOperationError).description).toMatch(/"Authentication" to "API Key"/);
		expect(sim.requests.length).toBe(before);
	});

	it('"Auto" follows the credential: API key → new standard, access/secret keys → legacy /v1', async () => {
		const p = { resource: 'video', operation: 'textToVideo', model: 'kling-v3', prompt: 'a fox', apiStandard: 'auto' };
		await run(p);
		expect(lastPost()!.path).toBe('/text-to-video/kling-3.0');
		await run(p, jwtCreds());
		expect(lastPost()!.path).toBe('/v1/videos/text2video');
		expect(decideStandard('textToVideo', 'kling-v3', 'legacy', 'apiKey')).toEqual({ standard: 'legacy' });
	});

	it('the default stays legacy (saved workflows keep their endpoints and task types)', async () => {
		await run({ resource: 'video', operation: 'textToVideo', model: 'kling-v3', prompt: 'a fox' });
		expect(lastPost()!.path).toBe('/v1/videos/text2video');
	});

	it('the simulator answers a valid JWT on a new-standard path with Kling\'s auth error', async () => {
		const { signKlingJwt } = await import('../../credentials/KlingAiApi.credentials');
		const jwt = signKlingJwt(TEST_KEYS.accessKey, TEST_KEYS.secretKey, Math.floor(Date.now() / 1000));
		const res = await fetch(`${sim.url}/text-to-video/kling-3.0-turbo`, { method: 'POST', headers: { authorization: `Bearer ${jwt}`, 'content-type': 'application/json' }, body: '{"prompt":"x"}' });
		expect(res.status).toBe(401);
		expect(((await res.json()) as { code: number }).code).toBe(1002);
	});
});

describe('the docs\' new-standard examples', () => {
	it('the create request example is accepted (validator and over HTTP) and its response example parses', async () => {
		const body = docJson(NS_CREATE_REQUEST.text);
		expect(() => validateNsCreate(NS_CREATE_REQUEST.path, body)).not.toThrow();
		const res = await fetch(`${sim.url}${NS_CREATE_REQUEST.path}`, { method: 'POST', headers: { authorization: `Bearer ${TEST_KEYS.apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
		expect(((await res.json()) as { code: number }).code).toBe(0);
		const item = parseTaskPayload(docJson(NS_CREATE_RESPONSE.text, NS_CREATE_RESPONSE.placeholders), null);
		expect(item).toMatchObject({ taskId: '893605946402811985', status: 'submitted', taskType: 'newStandard', createdAtMs: 1781080778802 });
	});

	it('the cursor-list request example is accepted; with quoted times too (the other pages\' form)', async () => {
		for (const body of [docJson(NS_LIST_REQUEST.text) as IDataObject, { ...(docJson(NS_LIST_REQUEST.text) as IDataObject), start_time: '1781193600000', end_time: '1781516352968' }]) {
			const res = await fetch(`${sim.url}/tasks`, { method: 'POST', headers: { authorization: `Bearer ${TEST_KEYS.apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
			expect(((await res.json()) as { code: number }).code).toBe(0);
		}
	});

	it('the cursor-list response example parses: outputs and billing lines', () => {
		const env = docJson(NS_LIST_RESPONSE.text, NS_LIST_RESPONSE.placeholders) as { data: { result: unknown[] } };
		const item = parseTaskPayload(env.data.result[0], null);
		expect(item.status).toBe('succeeded');
		expect(item.videos).toHaveLength(1);
		expect(item.billing).toEqual([{ chargeType: 'unit', cashType: 'string', amount: '2.5', currency: 'string', packageType: 'string', listPrice: 'string' }]);
		expect(item.unitsDeducted).toBe(2.5);
	});

	it('the simulator signs callbacks exactly like the official test vector', () => {
		const v = NS_SIGNATURE_VECTOR;
		expect(signWebhook(v.secret, v.id, v.timestamp, v.body)).toBe(v.signature);
	});
});

describe('reading new-standard tasks at /tasks', () => {
	it('Get Task (by ID and external ID), billing lines kept apart from units, and the callback in the new shape', async () => {
		const received: IDataObject[] = [];
		const { createServer } = await import('node:http');
		const server = createServer((req, res) => {
			let raw = '';
			req.on('data', (c) => (raw += c));
			req.on('end', () => {
				received.push(JSON.parse(raw) as IDataObject);
				res.end('ok');
			});
		});
		await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
		const port = (server.address() as { port: number }).port;
		try {
			const [[created]] = await run({ resource: 'video', operation: 'textToVideo', model: 'kling-3.0-turbo', prompt: 'a fox', callback: 'custom', callbackUrl: `http://localhost:${port}/cb` });
			expect((lastPost()!.body as IDataObject).options).toMatchObject({ callback_url: `http://localhost:${port}/cb` });
			const id = String(created.json.taskId);
			await sim.waitFor(() => sim.task(id)?.task.task_status === 'succeed', 5000);
			const [[byId]] = await run({ resource: 'video', operation: 'getTask', taskType: 'newStandard', taskId: id });
			expect(sim.requests[sim.requests.length - 1]).toMatchObject({ method: 'GET', path: '/tasks', query: { task_ids: id } });
			expect(byId.json).toMatchObject({ taskId: id, status: 'succeeded', taskType: 'newStandard', unitsDeducted: 1 });
			expect(byId.json.billing).toEqual([
				{ chargeType: 'unit', cashType: null, amount: '1', currency: null, packageType: 'video', listPrice: null },
				{ chargeType: 'cash', cashType: 'balance', amount: '0.35', currency: 'USD', packageType: null, listPrice: '0.50' },
			]);
			const ext = String(created.json.externalTaskId);
			const [[byExt]] = await run({ resource: 'video', operation: 'getTask', taskType: 'newStandard', lookupBy: 'externalTaskId', externalTaskId: ext });
			expect(byExt.json.taskId).toBe(id);
			await sim.waitFor(() => received.some((b) => b.status === 'succeeded'), 5000);
			const done = received.find((b) => b.status === 'succeeded')!;
			expect(done).toMatchObject({ id, external_id: ext });
			expect(parseTaskPayload(done, null)).toMatchObject({ taskId: id, taskType: 'newStandard', status: 'succeeded' });
		} finally {
			server.close();
		}
	});

	it('List Tasks walks the POST /tasks cursor: 600 tasks in 2 calls of up to 500', async () => {
		const now = Date.now();
		for (let n = 0; n < 600; n++) sim.insertTask('newStandard', { created_at: now - 1000 - n });
		const before = sim.requests.length;
		const [items] = await run({ resource: 'video', operation: 'listTasks', taskType: 'newStandard', returnAll: true });
		const calls = sim.requests.slice(before).filter((q) => q.method === 'POST' && q.path === '/tasks');
		expect(calls).toHaveLength(2);
		expect((calls[0].body as IDataObject).limit).toBe(500);
		expect((calls[1].body as IDataObject).cursor).toEqual(expect.any(String));
		expect(items.length).toBeGreaterThanOrEqual(600);
		expect(new Set(items.map((i) => i.json.taskId)).size).toBe(items.length);
	});
});

describe('translation is table-driven', () => {
	it('every route refuses a legacy-only field by name (one translation for every family)', () => {
		for (const r of NS_ROUTES) expect(() => toNewStandardBody(r, { prompt: 'x', cfg_scale: 0.5 })).toThrow(/CFG Scale/);
	});
});
