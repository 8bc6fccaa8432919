/**
 * shared/task.ts: the one normalised item, field by field, in both of Kling's task forms (mutation testing,
 * issue 16). task.test.ts covers the main forms; this file pins the edges a user sees in the item.
 */
import {
	KlingPayloadError,
	isNewerState,
	normaliseStatus,
	outputIndexOf,
	parseTaskPayload,
	taskFromApi,
	withTaskType,
} from '../../nodes/KlingAi/shared/task';

const reason = (body: unknown): [string, string] => {
	try {
		parseTaskPayload(body);
	} catch (e) {
		expect(e).toBeInstanceOf(KlingPayloadError);
		expect((e as KlingPayloadError).name).toBe('KlingPayloadError');
		return [(e as KlingPayloadError).reason, (e as Error).message];
	}
	throw new Error('accepted');
};
const DAY = 24 * 3600 * 1000;

describe('status words', () => {
	test.each([
		['pending', 'submitted'],
		['queued', 'submitted'],
		['submitted', 'submitted'],
		['running', 'processing'],
		['processing', 'processing'],
		['success', 'succeeded'],
		[' Succeed ', 'succeeded'],
		['fail', 'failed'],
		['FAILED', 'failed'],
	])('%j → %s', (raw, status) => {
		expect(normaliseStatus(raw)).toBe(status);
	});

	test('anything else is unknown', () => {
		expect(normaliseStatus('done')).toBeUndefined();
		expect(normaliseStatus(1)).toBeUndefined();
		expect(normaliseStatus(undefined)).toBeUndefined();
	});

	test('each status goes to its output: 0 Succeeded, 1 Failed, 2 Progress', () => {
		expect([outputIndexOf('succeeded'), outputIndexOf('failed'), outputIndexOf('processing'), outputIndexOf('submitted')]).toEqual([0, 1, 2, 2]);
	});
});

describe('legacy task form: every field', () => {
	test('a full task: ids, times (ISO and ms), results, parent video, units, expiry 30 days after creation', () => {
		const raw = {
			task_id: 842250903629086785n.toString(),
			task_status: 'processing',
			created_at: '1722769557708',
			updated_at: 1722769617708.6,
			final_unit_deduction: '2.5',
			task_info: { external_task_id: 'ext', parent_video: { id: 7, url: 'https://cdn/p.mp4', duration: '' } },
			task_result: {
				videos: [{ id: 'v', url: 'https://cdn/v.mp4', watermark_url: 'https://cdn/w.mp4', duration: '5.1', session_id: 'sess-1' }],
				images: [{ url: 'https://cdn/a.png' }, { index: '7', url: '', watermark_url: 'https://cdn/wi.png' }],
			},
		};
		const item = parseTaskPayload(raw, 'textToVideo');
		expect(item).toEqual({
			taskId: '842250903629086785',
			externalTaskId: 'ext',
			status: 'processing',
			klingStatus: 'processing',
			statusMessage: '',
			finished: false,
			taskType: 'textToVideo',
			resultKind: 'videos',
			createdAt: '2024-08-04T11:05:57.708Z',
			createdAtMs: 1722769557708,
			updatedAt: '2024-08-04T11:06:57.709Z',
			updatedAtMs: 1722769617709,
			videos: [{ id: 'v', url: 'https://cdn/v.mp4', watermarkUrl: 'https://cdn/w.mp4', durationSeconds: 5.1, sessionId: 'sess-1' }],
			images: [
				{ index: 0, url: 'https://cdn/a.png', watermarkUrl: null },
				{ index: 7, url: null, watermarkUrl: 'https://cdn/wi.png' },
			],
			parentVideo: { id: '7', url: 'https://cdn/p.mp4', watermarkUrl: null, durationSeconds: null },
			unitsDeducted: 2.5,
			resultsExpireAt: new Date(1722769557708 + 30 * DAY).toISOString(),
			raw,
			// Result kinds of issues 13/14, empty for a video task.
			audios: [],
			seriesImages: [],
			resultType: null,
			voices: [],
			elements: [],
			billing: [],
		});
		expect(item.videos[0]).toHaveProperty('sessionId');
	});

	test('timestamps: seconds (below 1e11) are turned into ms, ms are kept; junk is no time', () => {
		const at = (created_at: unknown) => parseTaskPayload({ task_id: '1', task_status: 'submitted', created_at }).createdAtMs;
		expect(at(99_999_999_999)).toBe(99_999_999_999_000);
		expect(at(100_000_000_000)).toBe(100_000_000_000);
		expect(at(1722769557.5)).toBe(1722769557500);
		expect(at('abc')).toBeNull();
		expect(at('')).toBeNull();
		expect(at(null)).toBeNull();
		expect(parseTaskPayload({ task_id: '1', task_status: 'submitted' })).toMatchObject({ createdAt: null, updatedAt: null, resultsExpireAt: null });
	});

	test('missing optional parts: no external id, no results, no parent, no units; a video without session id has none', () => {
		const item = parseTaskPayload({ task_id: 5, task_status: 'succeed', task_info: { external_task_id: '' }, task_result: { videos: [{ url: 'u', duration: 'x' }] }, final_unit_deduction: 'n/a' });
		expect(item).toMatchObject({ taskId: '5', externalTaskId: null, finished: true, parentVideo: null, unitsDeducted: null, images: [], resultKind: 'videos', taskType: null });
		expect(item.videos).toEqual([{ id: null, url: 'u', watermarkUrl: null, durationSeconds: null }]);
		expect(item.videos[0]).not.toHaveProperty('sessionId');
		expect(parseTaskPayload({ task_id: 5, task_status: 'succeed' }).resultKind).toBeNull();
	});

	test('precise reasons and messages for bodies that are not tasks', () => {
		expect(reason({ task_status: 'succeed' })).toEqual(['no_task_id', 'Body has no task_id']);
		expect(reason({ task_id: '', task_status: 'succeed' })).toEqual(['no_task_id', 'Body has no task_id']);
		expect(reason({ task_id: '1', task_status: 'exploded' })).toEqual(['unknown_status', 'Unknown task_status "exploded"']);
		const [why, message] = reason({ task_id: '1', task_status: 'succeed', task_status_msg: 5 });
		expect(why).toBe('not_a_task');
		expect(message).toMatch(/^Body is not a Kling task: task_status_msg /);
		expect(reason('{nope')).toEqual(['not_json', 'Body is not JSON']);
		expect(reason(null)).toEqual(['not_a_task', 'Body is not a Kling task object']);
		expect(reason(42)).toEqual(['not_a_task', 'Body is not a Kling task object']);
		expect(reason({ hello: 1 })).toEqual(['no_task_id', 'Body has no task_id (or id)']);
	});

	test('an envelope is unwrapped only around an object', () => {
		expect(parseTaskPayload({ code: 0, message: 'ok', data: { task_id: 'w', task_status: 'submitted' } }).taskId).toBe('w');
		expect(reason({ code: 0, message: 'ok', data: 'task' })[0]).toBe('no_task_id');
		expect(reason({ code: 0, data: null })[0]).toBe('no_task_id');
		// A task body that happens to have a numeric code is still the task.
		expect(parseTaskPayload({ code: 0, task_id: 'c', task_status: 'submitted' }).taskId).toBe('c');
	});
});

describe('new-standard task form: every field', () => {
	test('outputs by type, image index by position among images, billing summed (amount or units), times', () => {
		const item = parseTaskPayload({
			id: 77,
			status: 'Running',
			message: 'half way',
			external_id: 'e',
			create_time: 1781080778,
			update_time: 1781080794151,
			outputs: [
				{ type: 'audio', url: 'https://cdn/a.mp3' },
				{ type: 'image', url: 'https://cdn/1.png' },
				{ type: 'video', id: 'v', url: 'https://cdn/v.mp4', watermark_url: 'https://cdn/w.mp4', duration: '3' },
				{ type: 'image', url: 'https://cdn/2.png', watermark_url: 'https://cdn/w2.png' },
				{ type: 'image', index: 9, url: 'https://cdn/3.png' },
			],
			billing: [{ amount: 2 }, { units: '1.5' }, { other: 1 }],
		});
		expect(item).toMatchObject({
			taskId: '77',
			externalTaskId: 'e',
			status: 'processing',
			klingStatus: 'Running',
			statusMessage: 'half way',
			createdAtMs: 1781080778000,
			updatedAtMs: 1781080794151,
			unitsDeducted: 3.5,
			parentVideo: null,
			// An audio output beside the video: both kinds (issue 14).
			resultKind: 'videos+audios',
		});
		expect(item.audios).toHaveLength(1);
		expect(item.videos).toEqual([{ id: 'v', url: 'https://cdn/v.mp4', watermarkUrl: 'https://cdn/w.mp4', durationSeconds: 3 }]);
		expect(item.images).toEqual([
			{ index: 0, url: 'https://cdn/1.png', watermarkUrl: null },
			{ index: 1, url: 'https://cdn/2.png', watermarkUrl: 'https://cdn/w2.png' },
			{ index: 9, url: 'https://cdn/3.png', watermarkUrl: null },
		]);
	});

	test('no billing, or billing without numbers, is no units; no message is an empty message', () => {
		expect(parseTaskPayload({ id: '1', status: 'submitted' })).toMatchObject({ unitsDeducted: null, statusMessage: '', externalTaskId: null, videos: [], images: [] });
		expect(parseTaskPayload({ id: '1', status: 'submitted', billing: [{ amount: 'x' }, {}] }).unitsDeducted).toBeNull();
		expect(parseTaskPayload({ id: '1', status: 'succeeded', billing: [{ amount: 0 }] }).unitsDeducted).toBe(0);
	});

	test('image-only results are images; reasons for bad bodies', () => {
		expect(parseTaskPayload({ id: '1', status: 'succeeded', outputs: [{ type: 'image', url: 'u' }] }).resultKind).toBe('images');
		expect(reason({ id: '', status: 'succeeded' })).toEqual(['no_task_id', 'Body has no id']);
		expect(reason({ id: '1', status: 'exploded' })).toEqual(['unknown_status', 'Unknown status "exploded"']);
		expect(reason({ id: '1' })).toEqual(['no_task_id', 'Body has no task_id (or id)']);
	});
});

describe('task type', () => {
	test('the task type decides the result kind, also without results yet', () => {
		expect(taskFromApi({ task_id: '1', task_status: 'submitted' }, 'imageGeneration')).toMatchObject({ taskType: 'imageGeneration', resultKind: 'images' });
	});

	test('withTaskType sets a known type (and its result kind); an unknown or identical one changes nothing', () => {
		const item = parseTaskPayload({ task_id: '1', task_status: 'submitted' });
		expect(withTaskType(item, 'imageGeneration')).toMatchObject({ taskType: 'imageGeneration', resultKind: 'images' });
		expect(withTaskType(item, 'nope')).toBe(item);
		expect(withTaskType(item, null)).toBe(item);
		const typed = withTaskType(item, 'textToVideo');
		expect(withTaskType(typed, 'textToVideo')).toBe(typed);
	});
});

describe('ordering with missing update times', () => {
	test('a missing update time counts as 0', () => {
		expect(isNewerState({ status: 'processing', updatedAtMs: null }, { status: 'processing', updatedAtMs: 5 })).toBe(true);
		expect(isNewerState({ status: 'processing', updatedAtMs: 5 }, { status: 'processing', updatedAtMs: null })).toBe(false);
		expect(isNewerState({ status: 'processing', updatedAtMs: null }, { status: 'processing', updatedAtMs: null })).toBe(false);
		expect(isNewerState({ status: 'submitted', updatedAtMs: 9 }, { status: 'failed', updatedAtMs: null })).toBe(true);
	});
});
