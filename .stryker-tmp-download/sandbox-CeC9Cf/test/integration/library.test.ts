/**
 * The Library resource (voices, elements) and the billing exports, through the Kling AI node's execute() with a
 * REAL n8n-core ExecuteContext and n8n's HTTP stack, against the simulator (issue 14).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NodeApiError, NodeOperationError, type IDataObject, type INodeExecutionData } from 'n8n-workflow';
import { executeContext, simulatorCredentials } from '../helpers/n8n';
import { startSimulator, type KlingSimulator } from '../simulator';
import { parseCallback } from '../../nodes/KlingAi/KlingAiTriggerHelpers';
import { node } from './actionFixtures';

jest.setTimeout(60_000);

let sim: KlingSimulator;
let receiver: Server;
let receiverUrl = '';
/** Raw callback bodies Kling (the simulator) POSTed, by task id. */
const callbacks: Array<{ raw: Buffer; body: IDataObject; query: Record<string, string> }> = [];
const library = jest.requireActual('../simulator/library') as {
	state: (s: unknown) => { disabledPaths: Set<string> };
	setBillingRecords: (s: unknown, kind: string, n: number) => void;
};

beforeAll(async () => {
	sim = await startSimulator({ timings: { toProcessingMs: 10, toFinishMs: 40 } });
	receiver = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const raw = Buffer.concat(chunks);
			const url = new URL(req.url ?? '/', 'http://127.0.0.1');
			callbacks.push({ raw, body: JSON.parse(raw.toString('utf8')) as IDataObject, query: Object.fromEntries(url.searchParams) });
			res.writeHead(200).end('{}');
		});
	});
	await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
	receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/kling`;
});
afterAll(async () => {
	await sim.close();
	await new Promise((r) => receiver.close(r));
});

let executions = 0;
async function run(parameters: IDataObject, items: INodeExecutionData[] = [{ json: {} }]) {
	const ctx = executeContext({ nodeType: node, parameters, credentials: simulatorCredentials(sim.url), executionId: `lib-${++executions}` }, items);
	return await node.execute.call(ctx);
}

async function refused(parameters: IDataObject, message: RegExp): Promise<void> {
	const before = sim.requests.length;
	const error = await run(parameters).then(
		() => undefined,
		(e: unknown) => e,
	);
	expect(error).toBeInstanceOf(NodeOperationError);
	expect((error as Error).message).toMatch(message);
	expect(sim.requests.length).toBe(before);
}

const finished = async (taskId: string) => await sim.waitFor(() => sim.task(taskId)?.task.task_status === 'succeed');
const lastPost = (path: string) => [...sim.requests].reverse().find((r) => r.method === 'POST' && r.path === path)!;
/** The simulator marks 64-bit ids it writes as bare integers; these are their digits. */
const digits = (v: unknown) => String(v).replace('__sim_int__', '');

const VOICE = { resource: 'library', operation: 'createVoice', voiceName: 'Narrator', voiceSource: 'url', voiceUrl: 'https://example.com/voice.mp3' };
const ELEMENT = {
	resource: 'library',
	operation: 'createElement',
	elementName: 'Fox',
	elementDescription: 'A red fox',
	referenceType: 'image_refer',
	frontalImageInputType: 'url',
	frontalImage: 'https://example.com/front.png',
	referImages: { image: [{ inputType: 'url', data: 'https://example.com/side.png' }] },
	options: { tags: ['o_103'] },
};

describe('voices', () => {
	it('Create Voice and wait → Succeeded with voices[0].voiceId; List Voices finds it; Delete Voice removes it', async () => {
		const [succeeded, failed] = await run({ ...VOICE, waitForCompletion: 'poll', pollIntervalSeconds: 1, waitTimeLimit: 1 });
		expect(failed).toEqual([]);
		const item = succeeded[0].json;
		expect(lastPost('/v1/general/custom-voices').body).toEqual({ voice_name: 'Narrator', voice_url: 'https://example.com/voice.mp3', external_task_id: item.externalTaskId });
		expect(item).toMatchObject({ status: 'succeeded', taskType: 'customVoice', resultKind: 'voices', elements: [], videos: [] });
		const voiceId = (item.voices as IDataObject[])[0].voiceId as string;
		expect(voiceId).toBe(sim.task(item.taskId as string)!.task.task_result.voices[0].voice_id);
		expect((item.voices as IDataObject[])[0]).toMatchObject({ voiceName: 'Narrator', ownedBy: '10001' });

		const [listed] = await run({ resource: 'library', operation: 'listVoices', librarySource: 'custom', returnAll: true });
		expect(listed.map((i) => i.json)).toContainEqual(expect.objectContaining({ voiceId, voiceName: 'Narrator', taskId: item.taskId }));
		expect(sim.requests.filter((r) => r.path === '/v1/general/custom-voices' && r.method === 'GET').pop()!.query).toEqual({ pageNum: '1', pageSize: '1000' });

		const [[deleted]] = await run({ resource: 'library', operation: 'deleteVoice', voiceId });
		expect(deleted.json).toMatchObject({ deleted: true, voiceId, taskStatus: 'succeed', path: '/v1/general/delete-voices' });
		expect(lastPost('/v1/general/delete-voices').rawBody).toBe(`{"voice_id":"${voiceId}"}`);
		const [after] = await run({ resource: 'library', operation: 'listVoices', librarySource: 'custom', returnAll: true });
		expect(after.map((i) => i.json.voiceId)).not.toContain(voiceId);
	});

	it('preset voices page with Limit (pageSize = Limit, at most 1000)', async () => {
		const [out] = await run({ resource: 'library', operation: 'listVoices', librarySource: 'preset', returnAll: false, limit: 2 });
		expect(out.map((i) => i.json.voiceId)).toEqual(['preset_voice_1', 'preset_voice_2']);
		expect(out[0].json).toMatchObject({ ownedBy: 'kling', trialUrl: expect.stringMatching(/^https:/) });
		expect(sim.requests.filter((r) => r.path === '/v1/general/presets-voices').pop()!.query).toEqual({ pageNum: '1', pageSize: '2' });
	});

	it('bad input is refused before any request, naming the field', async () => {
		await refused({ ...VOICE, voiceName: 'x'.repeat(21) }, /^"Voice Name" is too long: 21 characters/);
		await refused({ ...VOICE, voiceUrl: 'ftp://example.com/v.mp3' }, /"Voice File URL" must be an http\(s\) URL/);
		await refused({ ...VOICE, voiceSource: 'videoId', videoId: ' ' }, /^"Video ID" is required/);
		await refused({ resource: 'library', operation: 'deleteVoice', voiceId: '' }, /^"Voice ID" is required/);
		await refused({ resource: 'library', operation: 'listVoices', librarySource: 'custom', returnAll: false, limit: 0 }, /"Limit"/);
	});
});

describe('a voice task and an element task look the same from Get Task and from their callback', () => {
	it.each([
		['customVoice', VOICE],
		['customElement', ELEMENT],
	] as const)('%s', async (taskType, parameters) => {
		const [[created]] = await run({ ...parameters, callback: 'custom', callbackUrl: receiverUrl });
		const taskId = created.json.taskId as string;
		await finished(taskId);
		const delivered = (await sim.waitFor(() => callbacks.find((c) => c.body.task_id === taskId && c.body.task_status === 'succeed')))!;
		const [[got]] = await run({ resource: 'library', operation: 'getTask', taskType, lookupBy: 'taskId', taskId });
		const fromCallback = parseCallback({ rawBody: delivered.raw, body: delivered.body, headers: {}, query: { kling_type: taskType } } as never);
		expect(fromCallback.ok).toBe(true);
		const item = (fromCallback as { item: IDataObject }).item;
		expect(item).toEqual(got.json);
		expect(item.taskType).toBe(taskType);
		expect(((item[taskType === 'customVoice' ? 'voices' : 'elements'] as unknown[]) ?? []).length).toBe(1);
	});
});

describe('elements', () => {
	it('64-bit element ids survive create → Get Task → List Elements → Delete Element byte-exact', async () => {
		const [[created]] = await run(ELEMENT);
		expect(lastPost('/v1/general/advanced-custom-elements').body).toMatchObject({
			element_name: 'Fox',
			element_description: 'A red fox',
			reference_type: 'image_refer',
			element_image_list: { frontal_image: 'https://example.com/front.png', refer_images: [{ image_url: 'https://example.com/side.png' }] },
			tag_list: [{ tag_id: 'o_103' }],
		});
		const taskId = created.json.taskId as string;
		await finished(taskId);
		const id = digits(sim.task(taskId)!.task.task_result.elements[0].element_id);
		expect(Number.isSafeInteger(Number(id))).toBe(false);

		const [[got]] = await run({ resource: 'library', operation: 'getTask', taskType: 'customElement', lookupBy: 'taskId', taskId });
		const element = (got.json.elements as IDataObject[])[0];
		expect(element).toMatchObject({ elementId: id, name: 'Fox', referenceType: 'image_refer', status: 'succeeded', tags: [{ id: 'o_103', name: 'Animal', description: null }] });
		expect(element.images).toEqual([
			{ url: 'https://example.com/front.png', role: 'frontal' },
			{ url: 'https://example.com/side.png', role: 'refer' },
		]);

		const [listed] = await run({ resource: 'library', operation: 'listElements', librarySource: 'custom', elementApi: 'advanced', returnAll: true });
		expect(listed.map((i) => i.json.elementId)).toContain(id);

		const [[deleted]] = await run({ resource: 'library', operation: 'deleteElement', elementId: element.elementId });
		expect(lastPost('/v1/general/delete-elements').rawBody).toBe(`{"element_id":"${id}"}`);
		expect(deleted.json).toMatchObject({ deleted: true, elementId: id, path: '/v1/general/delete-elements' });
		const [again] = await run({ resource: 'library', operation: 'listElements', librarySource: 'custom', elementApi: 'advanced', returnAll: true });
		expect(again.find((i) => i.json.elementId === id)?.json.status).toBe('deleted');
	});

	it('delete falls back to delete-advanced-elements when Kling does not have delete-elements, and not on other errors', async () => {
		const [[created]] = await run(ELEMENT);
		await finished(created.json.taskId as string);
		const id = digits(sim.task(created.json.taskId as string)!.task.task_result.elements[0].element_id);
		// An unknown element (1201 here) is Kling's answer about the element, not the path: no second request.
		const before = sim.requests.length;
		await expect(run({ resource: 'library', operation: 'deleteElement', elementId: `${id.slice(0, -1)}0` })).rejects.toBeInstanceOf(NodeApiError);
		expect(sim.requests.length - before).toBe(1);
		library.state(sim).disabledPaths.add('/v1/general/delete-elements');
		try {
			const [[deleted]] = await run({ resource: 'library', operation: 'deleteElement', elementId: id });
			expect(deleted.json).toMatchObject({ deleted: true, elementId: id, path: '/v1/general/delete-advanced-elements' });
			expect(sim.requests.slice(-2).map((r) => [r.path, r.status])).toEqual([
				['/v1/general/delete-elements', 404],
				['/v1/general/delete-advanced-elements', 200],
			]);
		} finally {
			library.state(sim).disabledPaths.clear();
		}
	});

	it('video character element: one video URL, voice id bound', async () => {
		const [[created]] = await run({ ...ELEMENT, referenceType: 'video_refer', referVideoUrl: 'https://example.com/anna.mp4', options: { voiceId: 'preset_voice_2' } });
		expect(lastPost('/v1/general/advanced-custom-elements').body).toEqual({
			element_name: 'Fox',
			element_description: 'A red fox',
			reference_type: 'video_refer',
			element_video_list: { refer_videos: [{ video_url: 'https://example.com/anna.mp4' }] },
			element_voice_id: 'preset_voice_2',
			external_task_id: created.json.externalTaskId,
		});
		await finished(created.json.taskId as string);
		const [[got]] = await run({ resource: 'library', operation: 'getTask', taskType: 'customElement', lookupBy: 'taskId', taskId: created.json.taskId });
		expect((got.json.elements as IDataObject[])[0]).toMatchObject({ referenceType: 'video_refer', videos: [{ url: 'https://example.com/anna.mp4', role: 'refer' }], voice: { voiceId: 'preset_voice_2', ownedBy: 'kling' } });
	});

	it('the older synchronous API: create answers the element at once; its list finds it; preset lists', async () => {
		const [[created]] = await run({
			resource: 'library',
			operation: 'createElementLegacy',
			elementName: 'Cup',
			elementDescription: 'A tea cup',
			frontalImageInputType: 'url',
			frontalImage: 'https://example.com/cup.png',
			referImages: { image: [{ inputType: 'url', data: 'https://example.com/cup-side.png' }] },
			options: { tags: ['o_104'] },
		});
		expect(lastPost('/v1/general/custom-elements').rawBody).toBe(
			'{"element_name":"Cup","element_description":"A tea cup","element_frontal_image":"https://example.com/cup.png","element_refer_list":[{"image_url":"https://example.com/cup-side.png"}],"tag_list":[{"tag_id":"o_104"}]}',
		);
		const id = created.json.elementId as string;
		expect(id).toBe(digits((library.state(sim) as unknown as { legacyElements: IDataObject[] }).legacyElements[0].element_id));
		expect(Number.isSafeInteger(Number(id))).toBe(false);
		expect(created.json).toMatchObject({ name: 'Cup', images: [{ role: 'frontal' }, { role: 'refer' }], tags: [{ id: 'o_104', name: 'Item' }] });
		const [listed] = await run({ resource: 'library', operation: 'listElements', librarySource: 'custom', elementApi: 'legacy', returnAll: true });
		expect(listed.map((i) => i.json.elementId)).toEqual([id]);
		const [presets] = await run({ resource: 'library', operation: 'listElements', librarySource: 'preset', elementApi: 'advanced', returnAll: false, limit: 2 });
		expect(presets.map((i) => i.json.ownedBy)).toEqual(['kling', 'kling']);
		expect(sim.requests.filter((r) => r.path === '/v1/general/advanced-presets-elements').pop()!.query).toEqual({ pageNum: '1', pageSize: '2' });
	});

	it('bad input is refused before any request, naming the field', async () => {
		await refused({ ...ELEMENT, elementDescription: 'd'.repeat(101) }, /^"Element Description" is too long: 101 characters/);
		await refused({ ...ELEMENT, elementName: '' }, /^"Element Name" is required/);
		await refused({ ...ELEMENT, referImages: { image: [1, 2, 3, 4].map((n) => ({ inputType: 'url', data: `https://example.com/${n}.png` })) } }, /"Other Reference Images" has 4 entries, Kling accepts at most 3/);
		await refused({ ...ELEMENT, referImages: {} }, /"Other Reference Images" is required/);
		await refused({ ...ELEMENT, options: { tags: ['o_999'] } }, /^"Tags" has an unknown tag "o_999"/);
		await refused({ ...ELEMENT, referenceType: 'video_refer', referVideoUrl: '' }, /"Reference Video URL" is empty/);
		await refused({ resource: 'library', operation: 'deleteElement', elementId: '82983680279340655x' }, /^"Element ID" has "82983680279340655x", which is not a numeric Kling ID/);
	});
});

describe('billing exports', () => {
	const range = { startTime: new Date(Date.now() - 24 * 3600 * 1000).toISOString(), endTime: new Date(Date.now() + 60_000).toISOString() };

	it('Return All walks next_cursor: the first request has the range, limit and filters, the others only the cursor', async () => {
		library.setBillingRecords(sim, 'balance', 1203);
		const before = sim.requests.length;
		const [out] = await run({ resource: 'account', operation: 'getBalanceDeductions', ...range, returnAll: true, billingFilters: {} });
		expect(out).toHaveLength(1203);
		expect(new Set(out.map((i) => i.json.task_id)).size).toBe(1203);
		const sent = sim.requests.slice(before).filter((r) => r.path === '/account/billing/balance');
		expect(sent).toHaveLength(3);
		expect(sent[0].body).toEqual({ start_time: Date.parse(range.startTime), end_time: Date.parse(range.endTime), limit: 500 });
		expect(Object.keys(sent[1].body as object)).toEqual(['cursor']);
		expect(Object.keys(sent[2].body as object)).toEqual(['cursor']);
		expect(out[0].json).toMatchObject({ task_id: 'sim-billing-balance-1', currency: 'USD', deduction_amount: 5 });
	});

	it('Limit asks for that many and stops; unit deductions send the documented filters', async () => {
		library.setBillingRecords(sim, 'package', 40);
		const before = sim.requests.length;
		const [out] = await run({
			resource: 'account',
			operation: 'getUnitDeductions',
			...range,
			returnAll: false,
			limit: 7,
			billingFilters: { keyNames: 'default, ci', productTypes: ['video'], packageIds: 'sim-video-pack-1' },
		});
		const sent = sim.requests.slice(before).filter((r) => r.path === '/account/billing/package');
		expect(sent).toHaveLength(1);
		expect((sent[0].body as IDataObject).filters).toEqual([
			{ key: 'api_key_name', values: ['default', 'ci'] },
			{ key: 'product_type', values: ['video'] },
			{ key: 'package_id', values: ['sim-video-pack-1'] },
		]);
		expect((sent[0].body as IDataObject).limit).toBe(7);
		expect(out).toHaveLength(7);
		for (const i of out) expect(i.json).toMatchObject({ product_type: 'video', package_id: 'sim-video-pack-1' });
	});

	it('bad input is refused before any request, naming the field', async () => {
		const base = { resource: 'account', ...range, returnAll: true };
		await refused({ ...base, operation: 'getUnitDeductions', billingFilters: { packageNames: 'a', packageIds: 'b' } }, /^"Package IDs" cannot be combined with Package Names/);
		await refused({ ...base, operation: 'getBalanceDeductions', billingFilters: { productTypes: ['video'] } }, /^"Product Types" only filters unit deductions/);
		await refused({ ...base, operation: 'getBalanceDeductions', startTime: range.endTime, endTime: range.startTime, billingFilters: {} }, /^"Start Time" must be before End Time/);
		await refused({ ...base, operation: 'getBalanceDeductions', endTime: 'not a date', billingFilters: {} }, /^"End Time" is not a valid date/);
	});
});
