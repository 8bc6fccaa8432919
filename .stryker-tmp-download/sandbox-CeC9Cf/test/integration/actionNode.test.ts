/**
 * Kling AI action node against the Kling simulator, through the node's own execute() with a REAL
 * n8n-core ExecuteContext (real credential authenticate(), real n8n HTTP stack, real binary store).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeApiError, NodeOperationError, type IDataObject, type INodeExecutionData } from 'n8n-workflow';
import { executeContext, initBinaryData, simulatorCredentials } from '../helpers/n8n';
import { startSimulator, type KlingSimulator } from '../simulator';
import { urlTokenFromCredentials } from '../../nodes/KlingAi/shared/callback';
import { tokensMatch } from '../../nodes/KlingAi/shared/signature';
import { CREATE_OPERATIONS, findCreateOperation } from '../../nodes/KlingAi/resources';
import { MAX_PAGE_SIZE } from '../../nodes/KlingAi/shared/api';
import { KlingAiTrigger } from '../../nodes/KlingAi/KlingAiTrigger.node';
import { KlingAiPollTrigger } from '../../nodes/KlingAi/KlingAiPollTrigger.node';
import { SELECTION_PLACEHOLDER, SESSION_PLACEHOLDER, allCombos, baseParameters, node, png } from './actionFixtures';

jest.setTimeout(60_000);

let sim: KlingSimulator;
const creds = () => simulatorCredentials(sim.url);

beforeAll(async () => {
	await initBinaryData('filesystem', mkdtempSync(join(tmpdir(), 'kling-action-bin-')));
	sim = await startSimulator({ timings: { toProcessingMs: 20, toFinishMs: 60 } });
});
afterAll(async () => {
	await sim.close();
});

type Items = Array<{ json: IDataObject; binary?: INodeExecutionData['binary'] }>;

let executions = 0;
/** Each run is its own execution (own generated external_task_id) unless an execution id is given. */
function context(parameters: IDataObject, items: Items = [{ json: {} }], opts: { mode?: 'manual' | 'trigger'; continueOnFail?: boolean; executionId?: string } = {}) {
	const executionId = opts.executionId ?? `exec-${++executions}`;
	const ctx = executeContext({ nodeType: node, parameters, credentials: creds(), executionId }, items as INodeExecutionData[], opts.mode ?? 'manual');
	// The shared helper has no node-settings knob: set "On Error: Continue" on the node the context runs.
	if (opts.continueOnFail) (ctx as unknown as { node: { onError: string } }).node.onError = 'continueRegularOutput';
	return ctx;
}

async function run(parameters: IDataObject, items?: Items, opts?: Parameters<typeof context>[2]) {
	return await node.execute.call(context(parameters, items, opts));
}

const posts = () => sim.requests.filter((r) => r.method === 'POST' && r.path.startsWith('/v1/'));

/** The node refuses `parameters` with a NodeOperationError matching `message`, and sends nothing to Kling. */
async function expectRefusedBeforeAnyRequest(parameters: IDataObject, message: RegExp): Promise<void> {
	const before = sim.requests.length;
	const error = await run(parameters).then(
		() => undefined,
		(e: unknown) => e,
	);
	expect(error).toBeInstanceOf(NodeOperationError);
	expect((error as Error).message).toMatch(message);
	expect(sim.requests.length).toBe(before);
}

/** A live multi-elements session with one marked point, built with the Multi-Element Selection operation. */
async function selectionSession(): Promise<string> {
	const [[opened]] = await run({ resource: 'video', operation: 'multiElementSelection', selectionStep: 'initSelection', videoSource: 'videoId', videoId: 'video-123' });
	const sessionId = String(opened.json.sessionId);
	await run({ resource: 'video', operation: 'multiElementSelection', selectionStep: 'addSelection', sessionId, frameIndex: 0, points: '0.5,0.5' });
	return sessionId;
}

/** A live identify-face session of the simulator (for Lip Sync with "Use Session From Identify Face"). */
async function faceSession(): Promise<string> {
	const [[out]] = await run({ resource: 'video', operation: 'identifyFace', videoSource: 'videoId', videoId: 'video-123' });
	return String(out.json.sessionId);
}

describe('every create operation x model x mode the node offers is accepted by the simulator', () => {
	it.each(allCombos().map((c) => [c.label, c] as const))('%s', async (_label, combo) => {
		let parameters = combo.parameters;
		if (parameters.sessionId === SESSION_PLACEHOLDER) parameters = { ...parameters, sessionId: await faceSession() };
		if (parameters.sessionId === SELECTION_PLACEHOLDER) parameters = { ...parameters, sessionId: await selectionSession() };
		const before = posts().length;
		const [[out]] = await run(parameters);
		// Lip Sync without a session runs identify-face (synchronous) first, then the create.
		const sent = posts().slice(before).filter((r) => r.path !== '/v1/videos/identify-face' && !r.path.endsWith('-selection'));
		expect(sent).toHaveLength(1);
		expect(sent[0].status).toBe(200);
		expect(out.pairedItem).toEqual({ item: 0 });
		expect(out.json).toMatchObject({ taskType: combo.op.taskType, status: 'submitted', finished: false });
		expect(out.json.taskId).toEqual(expect.any(String));
		expect(out.json.externalTaskId).toBe((sent[0].body as IDataObject).external_task_id ?? null);
	});
});

describe('binary in and out', () => {
	it('Image to Video takes the start frame from a binary property (bare base64)', async () => {
		const ctx = context({ resource: 'video', operation: 'getTask' });
		const photo = await ctx.helpers.prepareBinaryData(png('start-frame'), 'start.png', 'image/png');
		const op = findCreateOperation('video', 'imageToVideo')!;
		const before = posts().length;
		const [[out]] = await run({ ...baseParameters(op), imageInputType: 'binary', imageBinaryProperty: 'photo' }, [{ json: { n: 1 }, binary: { photo } }]);
		const body = posts()[before].body as IDataObject;
		expect(body.image).toBe(png('start-frame').toString('base64'));
		expect(String(body.image)).not.toMatch(/^data:/);
		expect(out.json.status).toBe('submitted');
	});

	it('Get Task downloads the results into binary data (streamed), file named from the task id', async () => {
		const [[created]] = await run({ ...baseParameters(CREATE_OPERATIONS[0]), prompt: 'a fox, download me' });
		const taskId = String(created.json.taskId);
		await sim.waitFor(() => sim.task(taskId)?.task.task_status === 'succeed', 5000);
		const [[got]] = await run({ resource: 'video', operation: 'getTask', taskType: 'textToVideo', lookupBy: 'taskId', taskId, downloadResults: true, binaryPropertyName: 'video' });
		expect(got.json).toMatchObject({ taskId, status: 'succeeded', finished: true });
		expect(got.binary?.video).toMatchObject({ fileName: `${taskId}.mp4`, mimeType: 'video/mp4' });
		const ctx = context({ resource: 'video', operation: 'getTask' }, [got as never]);
		const data = await ctx.helpers.getBinaryDataBuffer(0, 'video');
		expect(data.subarray(4, 8).toString('latin1')).toBe('ftyp');
		expect(got.pairedItem).toEqual({ item: 0 });
	});

	it('a large simulated video is streamed into the filesystem binary store', async () => {
		const size = 8 * 1024 * 1024;
		const [[created]] = await run({ ...baseParameters(CREATE_OPERATIONS[0]), prompt: `big one sim:large=${size}` });
		const taskId = String(created.json.taskId);
		await sim.waitFor(() => sim.task(taskId)?.task.task_status === 'succeed', 5000);
		const [[got]] = await run({ resource: 'video', operation: 'getTask', taskType: 'textToVideo', lookupBy: 'externalTaskId', externalTaskId: String(created.json.externalTaskId), downloadResults: true, binaryPropertyName: 'data' });
		const binary = got.binary!.data;
		// filesystem mode keeps only a reference in the item; the bytes went to disk through a stream
		expect(binary.id).toEqual(expect.stringMatching(/^filesystem/));
		expect(binary.data).not.toHaveLength(size);
		const ctx = context({ resource: 'video', operation: 'getTask' }, [got as never]);
		expect((await ctx.helpers.getBinaryDataBuffer(0, 'data')).length).toBe(size);
	});

	it('image results: one binary property per image', async () => {
		const op = findCreateOperation('image', 'generateImage')!;
		const [[created]] = await run({ ...baseParameters(op), options: { n: 3 } });
		const taskId = String(created.json.taskId);
		await sim.waitFor(() => sim.task(taskId)?.task.task_status === 'succeed', 5000);
		const [[got]] = await run({ resource: 'image', operation: 'getTask', taskType: 'imageGeneration', lookupBy: 'taskId', taskId, downloadResults: true, binaryPropertyName: 'img' });
		expect(Object.keys(got.binary ?? {}).sort()).toEqual(['img', 'img_1', 'img_2']);
		expect(got.binary!.img).toMatchObject({ fileName: `${taskId}_0.png`, mimeType: 'image/png' });
	});
});

describe('bad parameters are refused before any request', () => {
	const t2v = findCreateOperation('video', 'textToVideo')!;
	const i2v = findCreateOperation('video', 'imageToVideo')!;
	const lip = findCreateOperation('video', 'lipSync')!;
	it.each([
		['prompt over 2500 characters', { ...baseParameters(t2v), prompt: 'p'.repeat(2600) }, /"Prompt" is too long/],
		['cfg_scale out of range', { ...baseParameters(t2v), model: 'kling-v1', options: { cfgScale: 2 } }, /"CFG Scale" must be between 0 and 1/],
		[
			'image + image_tail + camera control',
			{ ...baseParameters(i2v), model: 'kling-v1', imageTailInputType: 'url', imageTail: 'https://example.com/end.png', options: { cameraControlType: 'simple', cameraConfig: { values: { zoom: 3 } } } },
			/"End Frame Image" and "Camera Control" cannot be used together/,
		],
		['lip-sync text mode without text', { ...baseParameters(lip, 'text'), text: '' }, /"Text" is required/],
		['sound on kling-v2-6 in std mode (capability map)', { ...baseParameters(t2v), model: 'kling-v2-6', mode: 'std', options: { sound: true } }, /"Generate Sound" needs Mode "Professional"/],
		[
			'sound with an end frame on kling-v2-6',
			{ ...baseParameters(i2v), model: 'kling-v2-6', mode: 'pro', imageTailInputType: 'url', imageTail: 'https://example.com/end.png', options: { sound: true } },
			/"Generate Sound" cannot be combined with an end frame/,
		],
		['voices without sound', { ...baseParameters(i2v), model: 'kling-v2-6', mode: 'pro', options: { voiceIds: 'a,b' } }, /"Voice IDs" need Generate Sound on/],
		['three voices', { ...baseParameters(i2v), model: 'kling-v2-6', mode: 'pro', options: { sound: true, voiceIds: 'a,b,c' } }, /"Voice IDs" has 3 IDs, Kling accepts at most 2/],
		['four elements', { ...baseParameters(i2v), model: 'kling-v3', options: { elementIds: '1,2,3,4' } }, /"Element IDs" has 4 IDs, Kling accepts at most 3/],
		['a non-numeric element id', { ...baseParameters(i2v), model: 'kling-v3', options: { elementIds: 'abc' } }, /"Element IDs" has "abc"/],
		['an element id that already lost digits', { ...baseParameters(i2v), model: 'kling-v3', options: { elementIds: '={{ [829836802793406551] }}' } }, /"Element IDs" has the number .* lost digits/],
		['end frame only on kling-v3', { ...baseParameters(i2v), imageInputType: 'none', model: 'kling-v3', imageTailInputType: 'url', imageTail: 'https://example.com/end.png' }, /"Start Frame Image" is required by model kling-v3/],
		['end frame only in std mode', { ...baseParameters(i2v), imageInputType: 'none', model: 'kling-v1-6', mode: 'std', imageTailInputType: 'url', imageTail: 'https://example.com/end.png' }, /"Mode" must be Professional/],
		['no frame at all', { ...baseParameters(i2v), imageInputType: 'none', model: 'kling-v1-6', mode: 'pro' }, /"Start Frame Image" is required without an End Frame Image/],
		[
			'shot durations that do not add up',
			{ ...baseParameters(t2v), model: 'kling-v3', duration: '10', options: { multiShot: 'customize', shots: { shot: [{ prompt: 'a', duration: 4 }, { prompt: 'b', duration: 5 }] } } },
			/"Shots" durations add up to 9 s, but Duration is 10 s/,
		],
		[
			'seven shots',
			{ ...baseParameters(t2v), model: 'kling-v3', duration: '7', options: { multiShot: 'customize', shots: { shot: Array.from({ length: 7 }, () => ({ prompt: 'a', duration: 1 })) } } },
			/"Shots" has 7 shots, Kling accepts at most 6/,
		],
		['negative prompt when extending a kling-v1 video', { ...baseParameters(findCreateOperation('video', 'extendVideo')!), sourceModel: 'kling-v1', options: { negativePrompt: 'blur' } }, /"Negative Prompt" is not supported when extending a kling-v1 video/],
		['cfg scale when extending a kling-v1 video', { ...baseParameters(findCreateOperation('video', 'extendVideo')!), sourceModel: 'kling-v1', options: { cfgScale: 0.4 } }, /"CFG Scale" is not supported when extending a kling-v1 video/],
		['multi-shot on kling-v2-6', { ...baseParameters(t2v), model: 'custom', customModel: 'kling-v2-6', options: { multiShot: 'intelligence' } }, /"Multi-Shot" is not supported by model kling-v2-6/],
	])('%s', async (_name, parameters, message) => {
		await expectRefusedBeforeAnyRequest(parameters as IDataObject, message);
	});
});

describe('2026 families through the node', () => {
	const lipOp = findCreateOperation('video', 'advancedLipSync')!;
	const omni = findCreateOperation('video', 'omniVideo')!;
	const motion = findCreateOperation('video', 'motionControl')!;
	const avatarOp = findCreateOperation('video', 'avatar')!;

	it('Identify Face returns the session and faces; Lip Sync with that session sends it unchanged', async () => {
		const [[faces]] = await run({ resource: 'video', operation: 'identifyFace', videoSource: 'videoUrl', videoUrlInputType: 'url', videoUrl: 'https://example.com/talk.mp4' });
		expect(faces.json).toMatchObject({ sessionId: expect.any(String), faceCount: 2, faces: [{ faceId: '0', startTimeMs: 0, endTimeMs: 5200 }, { faceId: '1' }] });
		const before = posts().length;
		const [[task]] = await run({ ...baseParameters(lipOp, 'session'), sessionId: String(faces.json.sessionId), faceId: '1', soundInsertMs: 1500 });
		const sent = posts().slice(before);
		expect(sent.map((r) => r.path)).toEqual(['/v1/videos/advanced-lip-sync']);
		expect(sent[0].body).toMatchObject({ session_id: faces.json.sessionId, face_choose: [{ face_id: '1', sound_file: 'https://example.com/speech.mp3', sound_start_time: 0, sound_end_time: 3000, sound_insert_time: 1500 }] });
		expect(task.json).toMatchObject({ taskType: 'advancedLipSync', status: 'submitted' });
	});

	it('Lip Sync without a session runs identify-face first, picks the first face, then creates', async () => {
		const before = posts().length;
		const [[task]] = await run(baseParameters(lipOp, 'identify'));
		const sent = posts().slice(before);
		expect(sent.map((r) => r.path)).toEqual(['/v1/videos/identify-face', '/v1/videos/advanced-lip-sync']);
		expect(sent[0].body).toEqual({ video_url: 'https://example.com/talk.mp4' });
		const sessionId = (sent[0] as unknown as { status: number }).status === 200 ? ((sent[1].body as IDataObject).session_id as string) : '';
		expect(sessionId).toMatch(/\d+/);
		expect((sent[1].body as { face_choose: IDataObject[] }).face_choose[0].face_id).toBe('0');
		await sim.waitFor(() => sim.task(String(task.json.taskId))?.task.task_status === 'succeed', 5000);
		const [[got]] = await run({ resource: 'video', operation: 'getTask', taskType: 'advancedLipSync', lookupBy: 'taskId', taskId: String(task.json.taskId) });
		expect(got.json).toMatchObject({ status: 'succeeded', parentVideo: { url: 'https://example.com/talk.mp4' }, videos: [{ url: expect.stringMatching(/\.mp4$/) }] });
	});

	it('a face Kling did not find, and audio that misses the face, are refused naming the field', async () => {
		const before = posts().length;
		await expect(run({ ...baseParameters(lipOp, 'identify'), faceId: '9' })).rejects.toThrow(/"Face ID" "9" is not one of the faces Kling found \(0, 1\)/);
		await expect(run({ ...baseParameters(lipOp, 'identify'), soundInsertMs: 4000 })).rejects.toThrow(/"Insert At \(Ms\)" puts the audio where it overlaps face 0 for 1200 ms/);
		// Only the two identify-face calls were made; no create.
		expect(posts().slice(before).map((r) => r.path)).toEqual(['/v1/videos/identify-face', '/v1/videos/identify-face']);
	});

	it.each([
		['lip sync: audio shorter than 2 s', { ...baseParameters(lipOp, 'identify'), soundEndMs: 1500 }, /"Audio End \(Ms\)" must be at least 2000 ms after Audio Start/],
		['lip sync: session without face id', { ...baseParameters(lipOp, 'session'), sessionId: 's', faceId: '' }, /"Face ID" is required with a session/],
		['lip sync: volume out of range', { ...baseParameters(lipOp, 'identify'), options: { soundVolume: 3 } }, /"Audio Volume" must be between 0 and 2/],
		['lip sync: TTS audio id missing', { ...baseParameters(lipOp, 'identify'), audioSource: 'audioId', audioId: '' }, /"Audio ID" is required/],
		['omni: end frame without first frame', { ...baseParameters(omni), images: { image: [{ inputType: 'url', data: 'https://example.com/e.png', role: 'end_frame' }] } }, /"Images" have an End Frame but no First Frame/],
		['omni: 15 s on kling-video-o1', { ...baseParameters(omni), model: 'kling-video-o1', duration: '15' }, /"Duration" must be one of 3, 4, 5, 6, 7, 8, 9, 10/],
		['omni: 4k with a reference video', { ...baseParameters(omni), model: 'kling-v3-omni', mode: '4k', referenceVideoInputType: 'url', referenceVideo: 'https://example.com/r.mp4' }, /"Mode" cannot be 4K with a reference video/],
		['omni: sound with a reference video', { ...baseParameters(omni), referenceVideoInputType: 'url', referenceVideo: 'https://example.com/r.mp4', options: { sound: true } }, /"Generate Sound" must be off with a reference video/],
		['omni: too many references with a video', { ...baseParameters(omni), referenceVideoInputType: 'url', referenceVideo: 'https://example.com/r.mp4', options: { elementIds: '1,2,3,4' } }, /"Images" and Element IDs add up to 5; Kling accepts at most 4 with a reference video/],
		// Options a listed model does not take are hidden (n8n drops them); typed as a custom model name they are refused.
		['omni: multi-shot on kling-video-o1', { ...baseParameters(omni), model: 'custom', customModel: 'kling-video-o1', options: { multiShot: 'intelligence' } }, /"Multi-Shot" is not supported by model kling-video-o1/],
		['omni: reference video as base64', { ...baseParameters(omni), referenceVideoInputType: 'base64', referenceVideo: 'AAAA' }, /"Reference Video" only accepts a URL/],
		['motion control: element on kling-v2-6', { ...baseParameters(motion), model: 'custom', customModel: 'kling-v2-6', options: { elementId: '829836802793406551' } }, /"Element ID" is not supported by model kling-v2-6/],
		['motion control: two elements', { ...baseParameters(motion), model: 'kling-v3', options: { elementId: '1,2' } }, /"Element ID" has 2 IDs, Kling accepts at most 1/],
		['motion control: motion video missing', { ...baseParameters(motion), motionVideo: '' }, /"Motion Video" is empty/],
		['avatar: audio id missing', { ...baseParameters(avatarOp), audioSource: 'audioId', audioId: ' ' }, /"Audio ID" is required/],
		['avatar: audio file of the wrong type', { ...baseParameters(avatarOp), soundFileInputType: 'base64', soundFile: png('not-audio').toString('base64') }, /"Audio File" has an unsupported type/],
	])('%s', async (_name, parameters, message) => {
		await expectRefusedBeforeAnyRequest(parameters as IDataObject, message);
	});

	it('Multi-Element Edit in one run: init-selection → add-selection → create; the result carries the session', async () => {
		const op = findCreateOperation('video', 'multiElementEdit')!;
		const before = posts().length;
		const [[task]] = await run(baseParameters(op, 'new'));
		const sent = posts().slice(before);
		expect(sent.map((r) => r.path)).toEqual(['/v1/videos/multi-elements/init-selection', '/v1/videos/multi-elements/add-selection', '/v1/videos/multi-elements']);
		expect(sent[1].body).toMatchObject({ frame_index: 0, points: [{ x: 0.77, y: 0.3 }, { x: 0.5, y: 0.4 }] });
		expect(sent[2].body).toMatchObject({ edit_mode: 'removal', image_list: [], prompt: 'Delete the chick from <<<video_1>>>', mode: 'std', duration: '5' });
		await sim.waitFor(() => sim.task(String(task.json.taskId))?.task.task_status === 'succeed', 5000);
		const [[got]] = await run({ resource: 'video', operation: 'getTask', taskType: 'multiElements', lookupBy: 'taskId', taskId: String(task.json.taskId) });
		expect(got.json.videos).toEqual([expect.objectContaining({ sessionId: (sent[2].body as IDataObject).session_id })]);
	});

	it.each([
		['a point outside 0..1', { points: '0.5,1.5' }, /"Points" point 1 \("0.5,1.5"\) must be "x,y"/],
		['eleven points', { points: Array.from({ length: 11 }, () => '0.1,0.1').join(';') }, /"Points" has 11 points, Kling accepts at most 10/],
		['swap without an image', { editMode: 'swap' }, /"Images" must be 1 for "swap" \(got 0\)/],
		['no prompt', { prompt: '' }, /"Prompt" is required/],
	])('Multi-Element Edit refuses %s before any request', async (_n, extra, message) => {
		const op = findCreateOperation('video', 'multiElementEdit')!;
		const before = sim.requests.length;
		await expect(run({ ...baseParameters(op, 'new'), ...extra })).rejects.toThrow(message);
		expect(sim.requests.length).toBe(before);
	});

	it.each(['omniVideo', 'motionControl', 'avatar', 'advancedLipSync', 'multiElementEdit'])(
		'%s: created, found by Get Task through the endpoint table, results downloaded',
		async (value) => {
			const op = findCreateOperation('video', value)!;
			let parameters = baseParameters(op, value === 'advancedLipSync' ? 'identify' : value === 'multiElementEdit' ? 'new' : undefined);
			const [[task]] = await run(parameters);
			const taskId = String(task.json.taskId);
			await sim.waitFor(() => sim.task(taskId)?.task.task_status === 'succeed', 5000);
			parameters = { resource: 'video', operation: 'getTask', taskType: op.taskType, lookupBy: 'externalTaskId', externalTaskId: String(task.json.externalTaskId), downloadResults: true, binaryPropertyName: 'video' };
			const [[got]] = await run(parameters);
			expect(got.json).toMatchObject({ taskId, taskType: op.taskType, resultKind: 'videos', status: 'succeeded' });
			expect(got.binary?.video).toMatchObject({ fileName: `${taskId}.mp4`, mimeType: 'video/mp4' });
			const [listed] = await run({ resource: 'video', operation: 'listTasks', taskType: op.taskType, returnAll: false, limit: 50 });
			expect(listed.map((i) => i.json.taskId)).toContain(taskId);
		},
	);

	it('the task-type pickers of Get Task, List Tasks and both triggers offer every family', () => {
		const values = (props: Array<{ name: string; options?: unknown[]; displayOptions?: unknown }>, name: string) =>
			props.filter((p) => p.name === name).flatMap((p) => (p.options ?? []).map((o) => String((o as { value: unknown }).value)));
		const wanted = ['omniVideo', 'motionControl', 'avatar', 'advancedLipSync', 'multiElements', 'lipSync'];
		expect(values(node.description.properties as never, 'taskType')).toEqual(expect.arrayContaining(wanted));
		const triggerValues = JSON.stringify(new KlingAiTrigger().description.properties);
		const pollValues = JSON.stringify(new KlingAiPollTrigger().description.properties);
		for (const t of wanted) {
			expect(triggerValues).toContain(`"value":"${t}"`);
			expect(pollValues).toContain(`"value":"${t}"`);
		}
	});

	it('motion control on kling-v3 sends its element id as a bare integer', async () => {
		const before = posts().length;
		await run({ ...baseParameters(motion), model: 'kling-v3', mode: 'pro', options: { elementId: '829836802793406551', keepOriginalSound: false } });
		const sent = posts()[before];
		expect(sent.status).toBe(200);
		expect(sent.rawBody).toContain('"element_list":[{"element_id":829836802793406551}]');
		expect(sent.body).toMatchObject({ model_name: 'kling-v3', image_url: 'https://example.com/kling/input.png', video_url: 'https://example.com/dance.mp4', character_orientation: 'video', mode: 'pro', keep_original_sound: 'no' });
	});
});

describe('64-bit element ids reach Kling with every digit', () => {
	it('Image to Video on kling-v3 sends element_list ids as bare JSON integers, byte for byte', async () => {
		const i2v = findCreateOperation('video', 'imageToVideo')!;
		const before = posts().length;
		const [[out]] = await run({ ...baseParameters(i2v), model: 'kling-v3', options: { elementIds: '829836802793406551, 9223372036854775807' } });
		const sent = posts()[before];
		expect(sent.status).toBe(200);
		expect(sent.rawBody).toContain('"element_list":[{"element_id":829836802793406551},{"element_id":9223372036854775807}]');
		// JSON.parse of the same bytes (what a JS receiver does) already loses the digits.
		expect(String((sent.body as { element_list: Array<{ element_id: number }> }).element_list[0].element_id)).not.toBe('829836802793406551');
		expect(out.json.status).toBe('submitted');
	});

	it('every POST body is sent exactly as serialised (no re-encoding by the HTTP stack)', async () => {
		const t2v = findCreateOperation('video', 'textToVideo')!;
		const before = posts().length;
		await run({ ...baseParameters(t2v), prompt: 'ünïcødé "quoted" \\ / 🦊' });
		const sent = posts()[before];
		expect(sent.rawBody).toBe(JSON.stringify(sent.body));
	});
});

describe('items, pairing and errors', () => {
	it('continueOnFail: a bad item yields {error} with its pairedItem, the others still run', async () => {
		const op = findCreateOperation('video', 'textToVideo')!;
		const items: Items = [{ json: { prompt: 'first' } }, { json: { prompt: 'p'.repeat(3000) } }, { json: { prompt: 'third' } }];
		const [out] = await run({ ...baseParameters(op), prompt: '={{ $json.prompt }}' }, items, { continueOnFail: true });
		expect(out).toHaveLength(3);
		expect(out.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(out[0].json.taskId).toEqual(expect.any(String));
		expect(out[1].json.error).toMatch(/"Prompt" is too long/);
		expect(out[2].json.taskId).toEqual(expect.any(String));
		const t0 = sim.task(String(out[0].json.taskId))!;
		expect(t0.body?.prompt).toBe('first');
	});

	it('without continueOnFail the first bad item stops the node', async () => {
		const op = findCreateOperation('video', 'textToVideo')!;
		await expect(run({ ...baseParameters(op), prompt: '={{ $json.prompt }}' }, [{ json: { prompt: 'x'.repeat(3000) } }])).rejects.toThrow(NodeOperationError);
	});

	it("Kling's own refusal becomes a NodeApiError naming the code (and an error item with continueOnFail)", async () => {
		sim.setOptions({ faults: { createErrors: [{ code: 1301, times: 2 }] } });
		const op = findCreateOperation('video', 'textToVideo')!;
		await expect(run(baseParameters(op))).rejects.toThrow(NodeApiError);
		const [[item]] = await run(baseParameters(op), undefined, { continueOnFail: true, executionId: 'exec-cof' });
		expect(item.json.error).toMatch(/Kling error 1301/);
		expect(item.pairedItem).toEqual({ item: 0 });
		sim.setOptions({ faults: { createErrors: [] } });
	});

	it('a re-run of the same execution and item finds the task instead of creating a second one', async () => {
		const op = findCreateOperation('video', 'textToVideo')!;
		const first = await run(baseParameters(op), undefined, { executionId: 'exec-rerun' });
		const before = sim.tasks().length;
		const second = await run(baseParameters(op), undefined, { executionId: 'exec-rerun' });
		expect(second[0][0].json.taskId).toBe(first[0][0].json.taskId);
		expect(sim.tasks().length).toBe(before);
		const other = await run(baseParameters(op), undefined, { executionId: 'exec-other' });
		expect(other[0][0].json.taskId).not.toBe(first[0][0].json.taskId);
	});
});

describe('callback wiring', () => {
	let server: Server;
	let url = '';
	const received: Array<{ url: string; body: IDataObject }> = [];
	beforeAll(async () => {
		server = createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (c: Buffer) => chunks.push(c));
			req.on('end', () => {
				received.push({ url: req.url ?? '', body: JSON.parse(Buffer.concat(chunks).toString() || '{}') });
				res.writeHead(200, { 'content-type': 'application/json' });
				res.end('{}');
			});
		});
		await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
		url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook/trigger-id/webhook`;
	});
	afterAll(async () => {
		await new Promise<void>((r) => server.close(() => r()));
	});

	it('Kling AI Trigger: Kling calls the production URL with kling_type and the credential token the trigger derives', async () => {
		const op = findCreateOperation('image', 'generateImage')!;
		const [[out]] = await run({ ...baseParameters(op), callback: 'trigger', callbackUrl: url }, undefined, { mode: 'trigger' });
		const taskId = String(out.json.taskId);
		await sim.waitFor(() => received.some((r) => r.body.task_id === taskId && r.body.task_status === 'succeed'), 5000);
		const hit = received.find((r) => r.body.task_id === taskId)!;
		const query = new URL(hit.url, 'http://x').searchParams;
		expect(query.get('kling_type')).toBe('imageGeneration');
		expect(tokensMatch(urlTokenFromCredentials(creds())!, query.get('kling_token'))).toBe(true);
	});

	it('a /webhook-test/ URL in a production run is refused before the create', async () => {
		const op = findCreateOperation('image', 'generateImage')!;
		const before = sim.requests.length;
		await expect(
			run({ ...baseParameters(op), callback: 'trigger', callbackUrl: url.replace('/webhook/', '/webhook-test/') }, undefined, { mode: 'trigger' }),
		).rejects.toThrow(/test URL/);
		expect(sim.requests.length).toBe(before);
	});
});

describe('Get Task, List Tasks, Account', () => {
	it('Get Task by external task id', async () => {
		const inserted = sim.insertTask('lipSync', { external_task_id: 'my-order-7' });
		const [[got]] = await run({ resource: 'video', operation: 'getTask', taskType: 'lipSync', lookupBy: 'externalTaskId', externalTaskId: 'my-order-7' });
		expect(got.json).toMatchObject({ taskId: inserted.task_id, externalTaskId: 'my-order-7', taskType: 'lipSync', status: 'succeeded' });
		expect(got.binary).toBeUndefined();
	});

	it('List Tasks: Return All pages through 650 tasks with pageSize 500, newest first', async () => {
		const existing = sim.tasks().filter((t) => sim.task(String(t.task_id))?.type === 'imageExpand').length;
		for (let i = 0; i < 650; i++) sim.insertTask('imageExpand', { created_at: 1_700_000_000_000 + i * 1000 });
		const before = sim.requests.length;
		const [out] = await run({ resource: 'image', operation: 'listTasks', taskType: 'imageExpand', returnAll: true });
		expect(out).toHaveLength(650 + existing);
		const created = out.map((o) => Number(o.json.createdAtMs));
		expect(created).toEqual([...created].sort((a, b) => b - a));
		const lists = sim.requests.slice(before).filter((r) => r.method === 'GET');
		expect(lists.map((r) => [r.query.pageNum, r.query.pageSize])).toEqual([
			['1', String(MAX_PAGE_SIZE)],
			['2', String(MAX_PAGE_SIZE)],
		]);
		expect(out.every((o) => (o.pairedItem as { item: number }).item === 0)).toBe(true);
	});

	it('List Tasks with a limit asks for no more than needed', async () => {
		const before = sim.requests.length;
		const [out] = await run({ resource: 'image', operation: 'listTasks', taskType: 'imageExpand', returnAll: false, limit: 30 });
		expect(out).toHaveLength(30);
		expect(sim.requests.slice(before).map((r) => r.query.pageSize)).toEqual(['30']);
	});

	it('Account: Get Resource Packs', async () => {
		const [[out]] = await run({ resource: 'account', operation: 'getResourcePacks', startTime: '2026-01-01T00:00:00Z', endTime: '2026-02-01T00:00:00Z' });
		expect(Array.isArray(out.json.resource_pack_subscribe_infos)).toBe(true);
		const req = sim.requests.filter((r) => r.path === '/account/costs').pop()!;
		expect(req.query).toMatchObject({ start_time: String(Date.parse('2026-01-01T00:00:00Z')), end_time: String(Date.parse('2026-02-01T00:00:00Z')) });
		expect(out.pairedItem).toEqual({ item: 0 });
	});
});
