/**
 * shared/task.ts, the result kinds added with audio, omni image, AI multi-shot, image recognize, the libraries
 * and the new standard (issue 16, mutation testing of the new parts): the fields of the one item a user reads.
 */
import { parseTaskPayload, syncResultItem, withTaskType } from '../../nodes/KlingAi/shared/task';

const legacy = (taskResult: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ task_id: 't1', task_status: 'succeed', task_result: taskResult, ...extra });
const ns = (fields: Record<string, unknown>) => ({ id: 'n1', status: 'succeeded', ...fields });

describe('images: angle sets, recognize segments, groups', () => {
	it('AI multi-shot sets: the three angles, the first as url; a set with a url keeps it', () => {
		const item = parseTaskPayload(legacy({ images: [{ index: 0, url_1: 'a1', url_2: 'a2', url_3: 'a3' }, { index: 1, url: 'u', url_1: 'b1', url_3: '' }] }), 'aiMultiShot');
		expect(item.images).toEqual([
			{ index: 0, url: 'a1', watermarkUrl: null, angleUrls: ['a1', 'a2', 'a3'] },
			{ index: 1, url: 'u', watermarkUrl: null, angleUrls: ['b1'] },
		]);
		expect(item.resultKind).toBe('images');
	});

	it('plain images carry no angle, type, isContain or groupId keys; index falls back to the position', () => {
		const [a, b] = parseTaskPayload(legacy({ images: [{ url: 'x' }, { url: 'y', type: null, group_id: '' }] }), 'imageGeneration').images;
		expect(a).toEqual({ index: 0, url: 'x', watermarkUrl: null });
		expect(b).toEqual({ index: 1, url: 'y', watermarkUrl: null });
	});

	it('image recognize segments: type and isContain (boolean or "true"/"false" strings)', () => {
		const images = parseTaskPayload(
			legacy({
				images: [
					{ type: 'head_seg', is_contain: true, url: 'h' },
					{ type: 'face_seg', is_contain: false },
					{ type: 'cloth_seg', is_contain: 'true' },
					{ type: 'object_seg', is_contain: 'false' },
					{ type: 7, is_contain: 'yes' },
				],
			}),
			null,
		).images;
		expect(images.map((i) => [i.type, i.isContain])).toEqual([
			['head_seg', true],
			['face_seg', false],
			['cloth_seg', true],
			['object_seg', false],
			['7', undefined],
		]);
		expect('isContain' in images[4]).toBe(false);
	});

	it('omni image series: seriesImages and resultType; new-standard grouped images', () => {
		const item = parseTaskPayload(legacy({ result_type: 'series', series_images: [{ url: 's0' }, { index: 5, url: 's1' }] }), 'omniImage');
		expect(item.seriesImages).toEqual([
			{ index: 0, url: 's0', watermarkUrl: null },
			{ index: 5, url: 's1', watermarkUrl: null },
		]);
		expect(item.resultType).toBe('series');
		expect(parseTaskPayload(legacy({ images: [{ url: 'x' }] }), 'omniImage').resultType).toBeNull();
		const grouped = parseTaskPayload(ns({ outputs: [{ type: 'image', url: 'g', group_id: 'grp-1' }, { type: 'image', url: 'h', group_id: 9 }] }));
		expect(grouped.images).toEqual([
			{ index: 0, url: 'g', watermarkUrl: null, groupId: 'grp-1' },
			{ index: 1, url: 'h', watermarkUrl: null, groupId: '9' },
		]);
	});
});

describe('audios in every spelling', () => {
	it('legacy text to speech {id,url,duration}', () => {
		expect(parseTaskPayload(legacy({ audios: [{ id: 'a', url: 'https://a/x.mp3', duration: '3.5' }] }), 'textToAudio').audios).toEqual([
			{ id: 'a', url: 'https://a/x.mp3', mp3Url: null, wavUrl: null, durationSeconds: 3.5, wavDurationSeconds: null },
		]);
	});

	it('legacy {url_mp3,url_wav,duration_mp3,duration_wav}: url is the MP3', () => {
		expect(parseTaskPayload(legacy({ audios: [{ id: 1, url_mp3: 'm', url_wav: 'w', duration_mp3: 4, duration_wav: 4.2 }] }), 'videoToAudio').audios).toEqual([
			{ id: '1', url: 'm', mp3Url: 'm', wavUrl: 'w', durationSeconds: 4, wavDurationSeconds: 4.2 },
		]);
	});

	it('new standard {mp3_url,wav_url,mp3_duration,wav_duration}', () => {
		expect(parseTaskPayload(ns({ outputs: [{ type: 'audio', id: 'x', mp3_url: 'm', wav_url: 'w', mp3_duration: 2, wav_duration: 2.1 }] })).audios).toEqual([
			{ id: 'x', url: 'm', mp3Url: 'm', wavUrl: 'w', durationSeconds: 2, wavDurationSeconds: 2.1 },
		]);
	});

	it('only a WAV: it is the url and its duration is the url\'s; a plain url is preferred to the WAV', () => {
		expect(parseTaskPayload(legacy({ audios: [{ url_wav: 'w', duration_wav: 6 }] }), 'textToAudio').audios[0]).toEqual({ id: null, url: 'w', mp3Url: null, wavUrl: 'w', durationSeconds: 6, wavDurationSeconds: 6 });
		expect(parseTaskPayload(ns({ outputs: [{ type: 'audio', wav_url: 'w', wav_duration: 7 }] })).audios[0]).toMatchObject({ url: 'w', durationSeconds: 7, wavDurationSeconds: 7 });
		expect(parseTaskPayload(legacy({ audios: [{ url: 'p', url_wav: 'w', duration_wav: 6 }] }), 'textToAudio').audios[0]).toEqual({ id: null, url: 'p', mp3Url: null, wavUrl: 'w', durationSeconds: null, wavDurationSeconds: 6 });
		expect(parseTaskPayload(legacy({ audios: [{}] }), 'textToAudio').audios[0]).toEqual({ id: null, url: null, mp3Url: null, wavUrl: null, durationSeconds: null, wavDurationSeconds: null });
		// No URL at all: a WAV duration is not the duration of a (missing) url.
		expect(parseTaskPayload(legacy({ audios: [{ duration_wav: 6 }] }), 'textToAudio').audios[0]).toMatchObject({ url: null, durationSeconds: null, wavDurationSeconds: 6 });
	});
});

describe('new-standard outputs and billing', () => {
	it('each output type lands in its list; unknown types are ignored', () => {
		const item = parseTaskPayload(
			ns({
				outputs: [
					{ type: 'video', id: 'v', url: 'https://v/1.mp4', watermark_url: 'https://v/w.mp4', duration: '5.0' },
					{ type: 'audio', id: 'a', mp3_url: 'https://a/1.mp3' },
					{ type: 'image', url: 'https://i/1.png' },
					{ type: 'voice', id: 'vo' },
					{ type: 'element', id: 'el' },
					{ type: 'mesh', url: 'x' },
					{ url: 'untyped' },
				],
			}),
		);
		expect(item.videos).toEqual([{ id: 'v', url: 'https://v/1.mp4', watermarkUrl: 'https://v/w.mp4', durationSeconds: 5 }]);
		expect(item.audios.map((a) => a.id)).toEqual(['a']);
		expect(item.images.map((i) => i.url)).toEqual(['https://i/1.png']);
		expect(item.voices.map((v) => v.voiceId)).toEqual(['vo']);
		expect(item.elements.map((e) => e.elementId)).toEqual(['el']);
		expect(item.resultKind).toBe('videos+audios');
		expect(item.seriesImages).toEqual([]);
		expect(item.resultType).toBeNull();
		expect(item.parentVideo).toBeNull();
	});

	it('billing: units summed from unit lines and lines without charge_type (amount or units); cash lines excluded', () => {
		const item = parseTaskPayload(
			ns({
				billing: [
					{ charge_type: 'unit', amount: '2.5', package_type: 'video' },
					{ amount: 1 },
					{ charge_type: null, units: '0.5' },
					{ charge_type: 'unit', amount: 'n/a' },
					{ charge_type: 'cash', cash_type: 'test_balance', amount: '9.99', currency: 'USD' },
				],
			}),
		);
		expect(item.unitsDeducted).toBe(4);
		expect(item.billing).toHaveLength(5);
		expect(item.billing[0]).toEqual({ chargeType: 'unit', cashType: null, amount: '2.5', currency: null, packageType: 'video', listPrice: null });
		expect(item.billing[4]).toEqual({ chargeType: 'cash', cashType: 'test_balance', amount: '9.99', currency: 'USD', packageType: null, listPrice: null });
	});

	it('no billing, or only cash / unreadable lines: unitsDeducted is null, billing []', () => {
		expect(parseTaskPayload(ns({}))).toMatchObject({ unitsDeducted: null, billing: [] });
		expect(parseTaskPayload(ns({ billing: [{ charge_type: 'cash', amount: '1.00' }, { charge_type: 'unit' }] })).unitsDeducted).toBeNull();
		expect(parseTaskPayload(ns({ billing: [{ charge_type: 'unit', amount: '0' }] })).unitsDeducted).toBe(0);
		expect(parseTaskPayload(legacy({ videos: [] }, { final_unit_deduction: '3' }), 'textToVideo')).toMatchObject({ unitsDeducted: 3, billing: [] });
	});
});

describe('resultKind', () => {
	const nsKind = (outputs: unknown[]) => parseTaskPayload(ns({ outputs })).resultKind;
	it('a new-standard task: what its outputs hold; before any output, video (its table row)', () => {
		expect(nsKind([])).toBe('videos');
		expect(parseTaskPayload(ns({ status: 'processing' })).resultKind).toBe('videos');
		expect(nsKind([{ type: 'video', url: 'v' }])).toBe('videos');
		expect(nsKind([{ type: 'video', url: 'v' }, { type: 'audio', url: 'a' }])).toBe('videos+audios');
		expect(nsKind([{ type: 'image', url: 'i' }, { type: 'audio', url: 'a' }])).toBe('images');
		expect(nsKind([{ type: 'audio', url: 'a' }, { type: 'voice', id: 'v' }])).toBe('audios');
		expect(nsKind([{ type: 'voice', id: 'v' }, { type: 'element', id: 'e' }])).toBe('voices');
		expect(nsKind([{ type: 'element', id: 'e' }])).toBe('elements');
	});

	it('a legacy task of unknown type: what its result lists hold, series images count as images, nothing → null', () => {
		const kind = (r: Record<string, unknown>) => parseTaskPayload(legacy(r), null).resultKind;
		expect(kind({})).toBeNull();
		expect(kind({ series_images: [{ url: 's' }] })).toBe('images');
		expect(kind({ audios: [{ url: 'a' }] })).toBe('audios');
		expect(kind({ voices: [{ voice_id: 'v' }] })).toBe('voices');
		expect(kind({ elements: [{ element_id: 1 }] })).toBe('elements');
		expect(kind({ videos: [{ url: 'v' }] })).toBe('videos');
	});

	it('a legacy task of known type: its table row, whatever it holds', () => {
		expect(parseTaskPayload(legacy({ videos: [{ url: 'v' }] }), 'textToAudio').resultKind).toBe('audios');
		expect(parseTaskPayload(legacy({}), 'customElement').resultKind).toBe('elements');
	});

	it('withTaskType: a legacy task takes the URL\'s type; a new-standard task stays one', () => {
		const item = parseTaskPayload(legacy({ audios: [{ url: 'a' }] }), null);
		expect(withTaskType(item, 'textToAudio')).toMatchObject({ taskType: 'textToAudio', resultKind: 'audios' });
		expect(withTaskType(item, 'videoToAudio')).toMatchObject({ taskType: 'videoToAudio', resultKind: 'videos+audios' });
		expect(withTaskType(item, 'nonsense')).toBe(item);
		const n = parseTaskPayload(ns({ outputs: [{ type: 'audio', url: 'a' }] }));
		expect(withTaskType(n, 'textToVideo')).toMatchObject({ taskType: 'newStandard', resultKind: 'audios' });
	});
});

describe('syncResultItem (text to speech, image recognize)', () => {
	it('a task object answer keeps its id and status; raw is Kling\'s data unchanged', () => {
		const data = { task_id: 'tts-1', task_status: 'succeed', task_result: { audios: [{ id: 'a', url: 'https://a/1.mp3', duration: 2 }] } };
		const item = syncResultItem(data, 'req-1');
		expect(item).toMatchObject({ taskId: 'tts-1', status: 'succeeded', klingStatus: 'succeed', finished: true, resultKind: 'audios' });
		expect(item.raw).toBe(data);
	});

	it('an answer with only task_result takes the request id and "succeed"; empty values count as missing', () => {
		const data = { task_result: { images: [{ type: 'head_seg', is_contain: true }] } };
		const item = syncResultItem(data, 'req-2');
		expect(item).toMatchObject({ taskId: 'req-2', status: 'succeeded', klingStatus: 'succeed', resultKind: 'images' });
		expect(item.raw).toEqual({ task_result: { images: [{ type: 'head_seg', is_contain: true }] } });
		expect(syncResultItem({ task_id: '', task_status: '' }, 'req-3')).toMatchObject({ taskId: 'req-3', klingStatus: 'succeed' });
		expect(syncResultItem({ task_id: null, task_status: null }, 'req-4')).toMatchObject({ taskId: 'req-4', klingStatus: 'succeed' });
		expect(syncResultItem({ task_status: 'failed' }, 'req-5')).toMatchObject({ taskId: 'req-5', status: 'failed' });
	});
});
