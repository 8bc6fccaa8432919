/**
 * Kling's documented examples of the audio and newer image families (fixtures/mediaDocExamples.ts, verbatim):
 * every request example is accepted by the simulator (validator and HTTP), every response example parses
 * into the one normalised item with every result reachable outside `raw`; and the result mapping of each
 * audio spelling, angle sets, segments and new-standard outputs.
 */
import type { IDataObject } from 'n8n-workflow';
import { parseTaskPayload, syncResultItem } from '../../nodes/KlingAi/shared/task';
import { ENDPOINTS, SYNC_PATHS, isTaskType } from '../../nodes/KlingAi/shared/endpoints';
import { Readable } from 'node:stream';
import { downloadResults, fileTypeOfContentType, fileTypeOfUrl, hasResultFiles, type DownloadContext } from '../../nodes/KlingAi/shared/download';
import { startSimulator, type KlingSimulator } from '../simulator';
import { validateCreate } from '../simulator/validate';
import { docJson } from './fixtures/klingDocExamples';
import {
	IMAGE_RECOGNIZE_RESPONSE,
	MEDIA_REQUEST_EXAMPLES,
	MEDIA_RESPONSE_EXAMPLES,
	MEDIA_SYNC_REQUEST_EXAMPLES,
	NEW_STANDARD_CALLBACK,
	TTS_RESPONSE,
} from './fixtures/mediaDocExamples';

const API_KEY = 'kling_api_key_test';
const succeed = (text: string) => docJson(text.replace(/"task_status":\s*"string"/, '"task_status": "succeed"'));

describe('documented request examples are accepted by the simulator', () => {
	let sim: KlingSimulator;
	beforeAll(async () => {
		sim = await startSimulator({ autoAdvance: false });
	});
	afterAll(() => sim.close());
	const post = async (path: string, body: unknown) =>
		await fetch(`${sim.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

	it.each(MEDIA_REQUEST_EXAMPLES.map((e) => [`${e.taskType}: ${e.label}`, e] as const))('%s', async (_l, e) => {
		expect(isTaskType(e.taskType)).toBe(true);
		const body = docJson(e.text, e.placeholders);
		expect(() => validateCreate(e.taskType, body)).not.toThrow();
		const res = await post(ENDPOINTS[e.taskType as keyof typeof ENDPOINTS].path, body);
		const json = (await res.json()) as { message: string };
		expect([res.status, json.message]).toEqual([200, 'SUCCEED']);
	});

	it.each(MEDIA_SYNC_REQUEST_EXAMPLES.map((e) => [e.call, e] as const))('synchronous %s', async (call, e) => {
		expect(SYNC_PATHS[call as keyof typeof SYNC_PATHS]).toBe(e.path);
		const res = await post(e.path, docJson(e.text));
		const json = (await res.json()) as { message: string; data: { task_result: { audios?: unknown[]; images?: unknown[] } } };
		expect([res.status, json.message]).toEqual([200, 'SUCCEED']);
		expect((json.data.task_result.audios ?? json.data.task_result.images ?? []).length).toBeGreaterThan(0);
	});
});

describe('documented response examples parse into the normalised item', () => {
	const byType = Object.fromEntries(MEDIA_RESPONSE_EXAMPLES.map((e) => [e.taskType, parseTaskPayload(succeed(e.text), e.taskType as never)]));

	it('covers every task family of this group', () => {
		expect(Object.keys(byType).sort()).toEqual(['aiMultiShot', 'multiImageToImage', 'omniImage', 'textToAudio', 'videoToAudio']);
		for (const item of Object.values(byType)) expect(item).toMatchObject({ taskId: 'string', status: 'succeeded', createdAtMs: 1722769557708 });
	});

	it('text to audio: audios with the MP3 and the WAV', () => {
		expect(byType.textToAudio).toMatchObject({
			resultKind: 'audios',
			videos: [],
			audios: [{ id: 'string', url: 'string', mp3Url: 'string', wavUrl: 'string', durationSeconds: null, wavDurationSeconds: null }],
		});
	});

	it('video to audio: the video, the audio and the source video', () => {
		expect(byType.videoToAudio).toMatchObject({
			resultKind: 'videos+audios',
			videos: [{ id: 'string', url: 'string' }],
			audios: [{ id: 'string', mp3Url: 'string', wavUrl: 'string' }],
			parentVideo: { id: 'string', url: 'string' },
		});
	});

	it('omni image: result type, images and series images', () => {
		expect(byType.omniImage).toMatchObject({
			resultType: 'single',
			images: [{ index: 0, url: 'string', watermarkUrl: 'string' }],
			seriesImages: [{ index: 0, url: 'string', watermarkUrl: 'string' }],
		});
	});

	it('AI multi-shot: an angle set with all three URLs (and url = the first)', () => {
		expect(byType.aiMultiShot.images).toEqual([{ index: 0, url: 'string', watermarkUrl: null, angleUrls: ['string', 'string', 'string'] }]);
	});

	it('multi-image to image: plain images', () => {
		expect(byType.multiImageToImage.images).toEqual([{ index: 0, url: 'string', watermarkUrl: 'string' }]);
	});

	it('text to speech: the create response is the finished item (audio id usable as audio_id)', () => {
		const data = (succeed(TTS_RESPONSE.text) as { data: IDataObject }).data;
		const item = syncResultItem(data, 'request-id');
		expect(item).toMatchObject({ taskId: 'string', status: 'succeeded', finished: true, resultKind: 'audios', audios: [{ id: 'string', url: 'string', mp3Url: null, wavUrl: null }] });
		expect(item.raw).toBe(data);
	});

	it('image recognize: segments with type and isContain; no task id, so the request id stands in', () => {
		const data = (docJson(IMAGE_RECOGNIZE_RESPONSE.text) as { data: IDataObject }).data;
		const item = syncResultItem(data, 'request-id');
		expect(item).toMatchObject({ taskId: 'request-id', status: 'succeeded', klingStatus: 'succeed', resultKind: 'images' });
		expect(item.images.map((i) => [i.type, i.isContain, i.url])).toEqual([
			['object_seg', true, 'string'],
			['head_seg', true, 'string'],
			['face_seg', true, 'string'],
			['cloth_seg', true, 'string'],
		]);
		expect(data).not.toHaveProperty('task_id');
	});

	it('the new-standard callback: video, grouped image and audio outputs', () => {
		const item = parseTaskPayload(docJson(NEW_STANDARD_CALLBACK.text.replace('"status": "string",                   // Task status', '"status": "succeeded",                   // Task status')), null);
		expect(item).toMatchObject({
			status: 'succeeded',
			resultKind: 'videos+audios',
			videos: [{ id: 'string', url: 'string' }],
			images: [{ index: 0, url: 'string', watermarkUrl: 'string', groupId: 'string' }],
			audios: [{ id: 'string', url: 'string', mp3Url: 'string', wavUrl: 'string' }],
		});
	});
});

describe('audio spellings, in numbers', () => {
	const task = (audios: unknown[]) => parseTaskPayload({ task_id: 't', task_status: 'succeed', task_result: { audios } }, null);
	it('legacy TTS {id,url,duration}', () => {
		expect(task([{ id: 'a', url: 'https://cdn/x.mp3', duration: '2.4' }]).audios).toEqual([{ id: 'a', url: 'https://cdn/x.mp3', mp3Url: null, wavUrl: null, durationSeconds: 2.4, wavDurationSeconds: null }]);
	});
	it('legacy {url_mp3, url_wav, duration_mp3, duration_wav}', () => {
		expect(task([{ id: 'b', url_mp3: 'm', url_wav: 'w', duration_mp3: '5.1', duration_wav: '5.2' }]).audios).toEqual([
			{ id: 'b', url: 'm', mp3Url: 'm', wavUrl: 'w', durationSeconds: 5.1, wavDurationSeconds: 5.2 },
		]);
	});
	it('only a WAV: url and duration are the WAV', () => {
		expect(task([{ id: 'c', url_wav: 'w', duration_wav: '3' }]).audios[0]).toMatchObject({ url: 'w', durationSeconds: 3, wavDurationSeconds: 3 });
	});
	it('new-standard {mp3_url, wav_url, mp3_duration, wav_duration} (names reversed)', () => {
		const item = parseTaskPayload({ id: 'n', status: 'succeeded', outputs: [{ type: 'audio', id: 'd', mp3_url: 'm', wav_url: 'w', mp3_duration: '4', wav_duration: '4.5' }] }, null);
		expect(item.audios).toEqual([{ id: 'd', url: 'm', mp3Url: 'm', wavUrl: 'w', durationSeconds: 4, wavDurationSeconds: 4.5 }]);
		expect(item.resultKind).toBe('audios');
	});
	it('other kinds get the empty defaults', () => {
		const item = parseTaskPayload({ task_id: 'v', task_status: 'succeed', task_result: { videos: [{ id: '1', url: 'u' }] } }, 'textToVideo');
		expect(item).toMatchObject({ audios: [], seriesImages: [], resultType: null, resultKind: 'videos' });
		expect(Object.keys(item.videos[0]).sort()).toEqual(['durationSeconds', 'id', 'url', 'watermarkUrl']);
	});
});

describe('download file types', () => {
	it('from the URL path (query ignored), jpeg as jpg, unknown as undefined', () => {
		expect(fileTypeOfUrl('https://cdn/x/output.JPEG?sig=1')).toBe('jpg');
		expect(fileTypeOfUrl('https://cdn/x/output.mp3')).toBe('mp3');
		expect(fileTypeOfUrl('https://cdn/x/output.wav#t')).toBe('wav');
		expect(fileTypeOfUrl('https://cdn/x/output')).toBeUndefined();
		expect(fileTypeOfUrl('https://cdn/x/file.exe')).toBeUndefined();
	});
	it('from the content type', () => {
		expect(fileTypeOfContentType('audio/mpeg; charset=binary')).toBe('mp3');
		expect(fileTypeOfContentType('audio/x-wav')).toBe('wav');
		expect(fileTypeOfContentType('image/jpeg')).toBe('jpg');
		expect(fileTypeOfContentType('application/octet-stream')).toBeUndefined();
	});
	it('an audio-only or series-only task has files to download', () => {
		expect(hasResultFiles(parseTaskPayload({ task_id: 't', task_status: 'succeed', task_result: { audios: [{ id: 'a', url: 'u' }] } }, null))).toBe(true);
		expect(hasResultFiles(parseTaskPayload({ task_id: 't', task_status: 'succeed', task_result: { images: [], series_images: [{ index: 0, url: 'u' }] } }, null))).toBe(true);
		expect(hasResultFiles(parseTaskPayload({ task_id: 't', task_status: 'succeed', task_result: {} }, null))).toBe(false);
	});

	it('names each file from Kling\'s field, else the URL, else the served content type', async () => {
		const served: Record<string, string> = { 'https://cdn/a': 'image/jpeg', 'https://cdn/b.webp': 'image/webp', 'https://cdn/c': 'application/octet-stream', 'https://cdn/d': 'audio/mpeg' };
		const names: Array<[string, string]> = [];
		const ctx = {
			getNode: () => ({}) as never,
			helpers: {
				httpRequestWithAuthentication: async (_c: string, o: { url: string }) => ({ statusCode: 200, headers: { 'content-type': served[o.url] ?? 'text/plain' }, body: Readable.from(['x']) }),
				prepareBinaryData: async (_b: unknown, fileName?: string, mimeType?: string) => {
					names.push([String(fileName), String(mimeType)]);
					return { data: '', mimeType: String(mimeType) } as never;
				},
			},
		} as unknown as DownloadContext;
		const item = parseTaskPayload(
			{
				task_id: 'T',
				task_status: 'succeed',
				task_result: {
					images: [{ index: 0, url: 'https://cdn/a' }, { index: 1, url: 'https://cdn/b.webp' }, { index: 2, url: 'https://cdn/c' }],
					audios: [{ id: 'x', url: 'https://cdn/d' }, { id: 'y', url_mp3: 'https://cdn/e?sig', url_wav: 'https://cdn/f' }],
				},
			},
			null,
		);
		const binary = await downloadResults(ctx, item, { binaryProperty: 'data' });
		expect(Object.keys(binary)).toEqual(['data', 'data_1', 'data_2', 'data_3', 'data_4', 'data_5']);
		expect(names).toEqual([
			['T_0.jpg', 'image/jpeg'],
			['T_1.webp', 'image/webp'],
			['T_2.png', 'image/png'],
			['T_audio.mp3', 'audio/mpeg'],
			['T_audio_1.mp3', 'text/plain'],
			['T_audio_1.wav', 'text/plain'],
		]);
	});
});
