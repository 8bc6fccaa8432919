/**
 * Audio and newer image families through the Kling AI node with a REAL n8n-core context against the
 * simulator: synchronous operations return the item of a finished task; a text-to-speech audio id drives
 * Avatar; Download Results writes every result kind (mp3, wav, mp4, series, angle sets) with its type; and one
 * audio task looks the same from Get Task, its callback, the Poll Trigger and Wait for Completion.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { executeContext, initBinaryData, simulatorCredentials, triggerContext } from '../helpers/n8n';
import { startSimulator, type KlingSimulator } from '../simulator';
import { KlingAiPollTrigger } from '../../nodes/KlingAi/KlingAiPollTrigger.node';
import { parseCallback } from '../../nodes/KlingAi/KlingAiTriggerHelpers';
import { sniffType } from '../../nodes/KlingAi/shared/inputs';
import { node } from './actionFixtures';

jest.setTimeout(60_000);

let sim: KlingSimulator;
let executions = 0;

beforeAll(async () => {
	await initBinaryData('filesystem', mkdtempSync(join(tmpdir(), 'kling-media-bin-')));
	sim = await startSimulator({ timings: { toProcessingMs: 20, toFinishMs: 60 } });
});
afterAll(async () => {
	await sim.close();
});

function context(parameters: IDataObject, items: INodeExecutionData[] = [{ json: {} }], mode: 'manual' | 'trigger' = 'manual') {
	return executeContext({ nodeType: node, parameters, credentials: simulatorCredentials(sim.url), executionId: `media-${++executions}` }, items, mode);
}
async function run(parameters: IDataObject, mode: 'manual' | 'trigger' = 'manual') {
	return await node.execute.call(context(parameters, [{ json: {} }], mode));
}
async function bytesOf(item: INodeExecutionData, property: string): Promise<Buffer> {
	return await context({ resource: 'video', operation: 'getTask' }, [item]).helpers.getBinaryDataBuffer(0, property);
}
const withoutRaw = (json: IDataObject) => {
	const { raw: _raw, ...rest } = json;
	return rest;
};

/** The keys every task item has (from a finished Get Task). */
let taskItemKeys: string[] = [];
beforeAll(async () => {
	const [[created]] = await run({ resource: 'image', operation: 'generateImage', prompt: 'a red apple' });
	await sim.waitFor(() => sim.task(String(created.json.taskId))?.task.task_status === 'succeed', 5000);
	const [[got]] = await run({ resource: 'image', operation: 'getTask', taskType: 'imageGeneration', lookupBy: 'taskId', taskId: String(created.json.taskId) });
	taskItemKeys = Object.keys(got.json).sort();
});

describe('synchronous operations return the item of a finished task', () => {
	it('Text to Speech: audios[0] with its id and URL, finished, and nothing left only in raw', async () => {
		const [[out]] = await run({ resource: 'audio', operation: 'textToSpeech', text: 'Hello from the simulator', voiceId: 'oversea_male1', voiceLanguage: 'en', voiceSpeed: 1.2 });
		expect(Object.keys(out.json).sort()).toEqual(taskItemKeys);
		const raw = out.json.raw as { task_id: string; task_result: { audios: Array<{ id: string; url: string; duration: string }> } };
		expect(out.json).toMatchObject({
			taskId: raw.task_id,
			status: 'succeeded',
			finished: true,
			resultKind: 'audios',
			videos: [],
			images: [],
			seriesImages: [],
			audios: [{ id: raw.task_result.audios[0].id, url: raw.task_result.audios[0].url, mp3Url: null, wavUrl: null, durationSeconds: Number(raw.task_result.audios[0].duration), wavDurationSeconds: null }],
		});
		const body = sim.requests.find((r) => r.path === '/v1/audio/tts')!.body;
		expect(body).toEqual({ text: 'Hello from the simulator', voice_id: 'oversea_male1', voice_language: 'en', voice_speed: 1.2 });
	});

	it('Recognize Image: the four segments with type and isContain, the request id as task id', async () => {
		const [[out]] = await run({ resource: 'image', operation: 'imageRecognize', imageInputType: 'url', image: 'https://example.com/person.png' });
		expect(Object.keys(out.json).sort()).toEqual(taskItemKeys);
		expect(out.json).toMatchObject({ status: 'succeeded', finished: true, resultKind: 'images', unitsDeducted: 0.1 });
		expect(out.json.taskId).toBe(sim.requests.find((r) => r.path === '/v1/videos/image-recognize')!.requestId);
		expect((out.json.images as IDataObject[]).map((i) => [i.type, i.isContain])).toEqual([
			['object_seg', true],
			['head_seg', true],
			['face_seg', true],
			['cloth_seg', true],
		]);
	});

	it('bad input is refused before any request, naming the field', async () => {
		const before = sim.requests.length;
		await expect(run({ resource: 'audio', operation: 'textToSpeech', text: 'x'.repeat(1001), voiceId: 'v' })).rejects.toThrow(/"Text" is too long/);
		await expect(run({ resource: 'audio', operation: 'textToSpeech', text: 'hi', voiceId: 'v', voiceSpeed: 2.5 })).rejects.toThrow(/"Voice Speed" must be between 0.8 and 2/);
		await expect(run({ resource: 'audio', operation: 'textToAudio', prompt: 'rain', duration: 3.25 })).rejects.toThrow(/"Duration" must have at most one decimal place/);
		await expect(run({ resource: 'image', operation: 'omniImage', prompt: 'x', model: 'kling-image-o1', resolution: '4k' })).rejects.toThrow(/"Resolution" must be one of 1k, 2k/);
		await expect(run({ resource: 'image', operation: 'omniImage', prompt: 'x', model: 'kling-v3-omni', aspectRatio: 'auto' })).rejects.toThrow(/"Aspect Ratio" "Auto" needs a reference image/);
		await expect(run({ resource: 'image', operation: 'generateImage', prompt: 'x', model: 'custom', customModel: 'kling-v2-1', options: { elementIds: '829836802793406551' } })).rejects.toThrow(/"Element IDs" are not supported by kling-v2-1/);
		expect(sim.requests.length).toBe(before);
	});
});

describe('Text to Speech → Avatar: the audio id is reused', () => {
	it('Avatar sends audio_id of the speech and finishes with the mp4 downloaded', async () => {
		const [[speech]] = await run({ resource: 'audio', operation: 'textToSpeech', text: 'Welcome to the show', voiceId: 'oversea_female1', voiceLanguage: 'en' });
		const audioId = (speech.json.audios as Array<{ id: string }>)[0].id;
		const [[done]] = await run(
			{
				resource: 'video',
				operation: 'avatar',
				imageInputType: 'url',
				image: 'https://example.com/face.png',
				audioSource: 'audioId',
				audioId,
				waitForCompletion: 'poll',
				pollIntervalSeconds: 1,
				downloadResults: true,
			},
			'trigger',
		);
		expect(done.json).toMatchObject({ status: 'succeeded', taskType: 'avatar' });
		expect(sim.task(String(done.json.taskId))!.body).toMatchObject({ audio_id: audioId });
		expect(done.binary!.data).toMatchObject({ fileName: `${String(done.json.taskId)}.mp4`, mimeType: 'video/mp4' });
		expect(sniffType(await bytesOf(done, 'data'))).toEqual({ kind: 'video', ext: 'mp4' });
	});
});

describe('Download Results writes every kind with its MIME type and extension', () => {
	async function finished(parameters: IDataObject, taskType: string, resource = String(parameters.resource)) {
		const [[created]] = await run(parameters);
		const taskId = String(created.json.taskId);
		await sim.waitFor(() => sim.task(taskId)?.task.task_status === 'succeed', 5000);
		const [[got]] = await run({ resource, operation: 'getTask', taskType, lookupBy: 'taskId', taskId, downloadResults: true, binaryPropertyName: 'file' });
		return { taskId, got };
	}
	const files = (got: INodeExecutionData) => Object.fromEntries(Object.entries(got.binary ?? {}).map(([k, b]) => [k, [b.fileName, b.mimeType]]));

	it('video to audio: the mp4, the mp3 and the wav', async () => {
		const { taskId, got } = await finished({ resource: 'audio', operation: 'videoToAudio', videoSource: 'videoUrl', videoUrlInputType: 'url', videoUrl: 'https://example.com/silent.mp4' }, 'videoToAudio');
		expect(got.json).toMatchObject({ resultKind: 'videos+audios', parentVideo: { url: 'https://example.com/silent.mp4' } });
		expect(files(got)).toEqual({
			file: [`${taskId}.mp4`, 'video/mp4'],
			file_1: [`${taskId}_audio.mp3`, 'audio/mpeg'],
			file_2: [`${taskId}_audio.wav`, 'audio/wav'],
		});
		expect(sniffType(await bytesOf(got, 'file'))?.ext).toBe('mp4');
		expect(sniffType(await bytesOf(got, 'file_1'))?.ext).toBe('mp3');
		expect(sniffType(await bytesOf(got, 'file_2'))?.ext).toBe('wav');
	});

	it('text to audio: mp3 and wav', async () => {
		const { taskId, got } = await finished({ resource: 'audio', operation: 'textToAudio', prompt: 'Rain on a tin roof', duration: 4.5 }, 'textToAudio');
		expect(got.json).toMatchObject({ resultKind: 'audios', audios: [{ durationSeconds: 4.5, wavDurationSeconds: 4.5 }] });
		expect(files(got)).toEqual({ file: [`${taskId}_audio.mp3`, 'audio/mpeg'], file_1: [`${taskId}_audio.wav`, 'audio/wav'] });
	});

	it('omni image series: every series image', async () => {
		const { taskId, got } = await finished(
			{ resource: 'image', operation: 'omniImage', model: 'kling-v3-omni', prompt: 'a poster series of <<<image_1>>>', resultType: 'series', seriesAmount: '3', images: { image: [{ inputType: 'url', data: 'https://example.com/dog.png' }] } },
			'omniImage',
		);
		expect(got.json).toMatchObject({ resultType: 'series', images: [], seriesImages: [{ index: 0 }, { index: 1 }, { index: 2 }] });
		expect(files(got)).toEqual({
			file: [`${taskId}_series_0.png`, 'image/png'],
			file_1: [`${taskId}_series_1.png`, 'image/png'],
			file_2: [`${taskId}_series_2.png`, 'image/png'],
		});
	});

	it('AI multi-shot: the three angles of the set, url = the first angle', async () => {
		const { taskId, got } = await finished({ resource: 'image', operation: 'aiMultiShot', frontalImageInputType: 'url', frontalImage: 'https://example.com/hero.png' }, 'aiMultiShot');
		const [set] = got.json.images as Array<{ url: string; angleUrls: string[] }>;
		expect(set.angleUrls).toHaveLength(3);
		expect(set.url).toBe(set.angleUrls[0]);
		expect(files(got)).toEqual({
			file: [`${taskId}_0_1.png`, 'image/png'],
			file_1: [`${taskId}_0_2.png`, 'image/png'],
			file_2: [`${taskId}_0_3.png`, 'image/png'],
		});
	});
});

describe('one audio task, one item: Get Task, callback, Poll Trigger and Wait for Completion agree', () => {
	const getTask = async (taskId: string) =>
		(await run({ resource: 'audio', operation: 'getTask', taskType: 'textToAudio', lookupBy: 'taskId', taskId }))[0][0];

	it('text to audio: Get Task, the callback and the Poll Trigger', async () => {
		const [[created]] = await run({ resource: 'audio', operation: 'textToAudio', prompt: 'A door creaks open', duration: 3 });
		const taskId = String(created.json.taskId);
		await sim.waitFor(() => sim.task(taskId)?.task.task_status === 'succeed', 5000);
		const got = await getTask(taskId);
		// The callback Kling sends (the simulator's final task object) as the Kling AI Trigger parses it.
		const parsed = parseCallback({ headers: {}, query: { kling_type: 'textToAudio' }, rawBody: JSON.stringify(sim.task(taskId)!.task) });
		if (!parsed.ok) throw new Error(parsed.rejection.message);
		// The Poll Trigger's manual run (the editor's "Fetch Test Event").
		const emitted: INodeExecutionData[][][] = [];
		const poller = new KlingAiPollTrigger();
		const { ctx } = triggerContext(
			{ nodeType: poller, parameters: { taskTypes: ['textToAudio'] }, credentials: simulatorCredentials(sim.url), workflowId: 'wf-media' },
			{ emit: (data) => emitted.push(data), registerCron: () => undefined },
			'manual',
			'manual',
		);
		const response = await poller.trigger.call(ctx);
		await response.manualTriggerFunction!();
		const polled = emitted.flat(2).find((e) => e.json.taskId === taskId);
		expect(polled).toBeDefined();

		const expected = withoutRaw(got.json);
		expect(expected).toMatchObject({ taskType: 'textToAudio', resultKind: 'audios', audios: [{ mp3Url: expect.stringMatching(/\.mp3$/), wavUrl: expect.stringMatching(/\.wav$/), durationSeconds: 3 }] });
		expect(withoutRaw(parsed.item)).toEqual(expected);
		expect(withoutRaw(polled!.json)).toEqual(expected);
	});

	it('the Poll Trigger downloads an audio-only result (mp3 and wav) when Download Results is on', async () => {
		const [[created]] = await run({ resource: 'audio', operation: 'textToAudio', prompt: 'Thunder far away', duration: 3 });
		const taskId = String(created.json.taskId);
		await sim.waitFor(() => sim.task(taskId)?.task.task_status === 'succeed', 5000);
		const emitted: INodeExecutionData[][][] = [];
		const poller = new KlingAiPollTrigger();
		const { ctx } = triggerContext(
			{ nodeType: poller, parameters: { taskTypes: ['textToAudio'], downloadResults: true }, credentials: simulatorCredentials(sim.url), workflowId: 'wf-media-dl' },
			{ emit: (data) => emitted.push(data), registerCron: () => undefined },
			'manual',
			'manual',
		);
		const response = await poller.trigger.call(ctx);
		await response.manualTriggerFunction!();
		const polled = emitted.flat(2).find((e) => e.json.taskId === taskId);
		expect(polled?.json.downloadError).toBeUndefined();
		const files = Object.values(polled?.binary ?? {}).map((b) => [b.fileExtension, b.mimeType]);
		expect(files).toEqual(expect.arrayContaining([['mp3', 'audio/mpeg'], ['wav', 'audio/wav']]));
	});

	it('text to audio: Wait for Completion (its tasks are skipped by the Poll Trigger by default)', async () => {
		const [[waited]] = await run(
			{ resource: 'audio', operation: 'textToAudio', prompt: 'A door slams', duration: 3, waitForCompletion: 'poll', pollIntervalSeconds: 1 },
			'trigger',
		);
		const got = await getTask(String(waited.json.taskId));
		expect(withoutRaw(got.json)).toMatchObject({ status: 'succeeded', resultKind: 'audios', audios: [{ durationSeconds: 3 }] });
		expect(withoutRaw(waited.json)).toEqual(withoutRaw(got.json));
	});
});

describe('bodies the new families send (accepted by the simulator)', () => {
	const lastPost = (path: string) => [...sim.requests].reverse().find((r) => r.method === 'POST' && r.path === path)!;

	it('Generate Image on kling-v3 and Omni Image send 64-bit element ids with every digit', async () => {
		await run({ resource: 'image', operation: 'generateImage', prompt: 'x', model: 'kling-v3', options: { elementIds: '829836802793406551' } });
		let sent = lastPost('/v1/images/generations');
		expect(sent.status).toBe(200);
		expect(sent.rawBody).toContain('"element_list":[{"element_id":829836802793406551}]');
		await run({ resource: 'image', operation: 'omniImage', prompt: '<<<element_1>>> on a beach', model: 'kling-v3-omni', aspectRatio: '16:9', resolution: '4k', options: { elementIds: '9223372036854775807' } });
		sent = lastPost('/v1/images/omni-image');
		expect(sent.status).toBe(200);
		expect(sent.rawBody).toContain('"element_list":[{"element_id":9223372036854775807}]');
		expect(sent.body).toMatchObject({ model_name: 'kling-v3-omni', resolution: '4k', result_type: 'single', aspect_ratio: '16:9' });
	});

	it('Generate Image defaults to kling-v3 on node version 2; version 1 nodes keep kling-v2-1', async () => {
		const byVersion = async (typeVersion: number) => {
			const ctx = executeContext({ nodeType: node, parameters: { resource: 'image', operation: 'generateImage', prompt: 'a lighthouse' }, credentials: simulatorCredentials(sim.url), typeVersion }, [{ json: {} }], 'manual');
			await node.execute.call(ctx);
			return lastPost('/v1/images/generations').body as IDataObject;
		};
		expect((await byVersion(2)).model_name).toBe('kling-v3');
		expect((await byVersion(1)).model_name).toBe('kling-v2-1');
		expect(node.description.defaultVersion).toBe(2);
	});

	it('Omni Image series sends result_type and series_amount (int, or "auto"), no n', async () => {
		const images = { image: [{ inputType: 'url', data: 'https://example.com/a.png' }] };
		await run({ resource: 'image', operation: 'omniImage', prompt: 'x', model: 'kling-v3-omni', resultType: 'series', seriesAmount: '5', images, options: { n: 3 } });
		expect(lastPost('/v1/images/omni-image').body).toMatchObject({ result_type: 'series', series_amount: 5, image_list: [{ image: 'https://example.com/a.png' }] });
		expect(lastPost('/v1/images/omni-image').body).not.toHaveProperty('n');
		await run({ resource: 'image', operation: 'omniImage', prompt: 'x', model: 'kling-v3-omni', resultType: 'series', seriesAmount: 'auto', images });
		expect(lastPost('/v1/images/omni-image')).toMatchObject({ status: 200, body: { series_amount: 'auto' } });
	});

	it('Expand Image sends watermark_info; Video to Audio sends video_id or video_url and its options', async () => {
		await run({ resource: 'image', operation: 'expandImage', imageInputType: 'url', image: 'https://example.com/a.png', options: { watermark: true } });
		expect(lastPost('/v1/images/editing/expand')).toMatchObject({ status: 200, body: { watermark_info: { enabled: true } } });
		await run({ resource: 'audio', operation: 'videoToAudio', videoSource: 'videoId', videoId: 'vid-1', options: { soundEffectPrompt: 'steps', bgmPrompt: 'jazz', asmrMode: false } });
		const body = lastPost('/v1/audio/video-to-audio').body as Record<string, unknown>;
		expect(body).toMatchObject({ video_id: 'vid-1', sound_effect_prompt: 'steps', bgm_prompt: 'jazz', asmr_mode: false });
		expect(body).not.toHaveProperty('video_url');
	});

	it('Multi-Image to Image sends the subjects, scene and style; AI Multi-Shot the frontal image', async () => {
		await run({
			resource: 'image',
			operation: 'multiImageToImage',
			subjectImages: { image: [{ inputType: 'url', data: 'https://example.com/s1.png' }, { inputType: 'url', data: 'https://example.com/s2.png' }] },
			styleImageInputType: 'url',
			styleImage: 'https://example.com/style.png',
			options: { n: 2, aspectRatio: '1:1' },
		});
		expect(lastPost('/v1/images/multi-image2image')).toMatchObject({
			status: 200,
			body: { model_name: 'kling-v2-1', subject_image_list: [{ subject_image: 'https://example.com/s1.png' }, { subject_image: 'https://example.com/s2.png' }], style_image: 'https://example.com/style.png', n: 2, aspect_ratio: '1:1' },
		});
		await run({ resource: 'image', operation: 'aiMultiShot', frontalImageInputType: 'url', frontalImage: 'https://example.com/hero.png' });
		expect(lastPost('/v1/general/ai-multi-shot')).toMatchObject({ status: 200, body: { element_frontal_image: 'https://example.com/hero.png' } });
	});
});
