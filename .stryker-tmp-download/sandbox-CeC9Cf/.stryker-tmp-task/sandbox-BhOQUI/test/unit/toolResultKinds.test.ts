/**
 * shared/toolResult.ts with the result kinds of issues 13/14 (audios, series images, angle sets, recognize
 * segments) and the edges an agent sees: which fields a compact result has (and which it leaves out), a failed
 * download, and items that are not tasks. Written against Stryker's survivors of 2026-12-01 (TESTING.md).
 */
import type { IDataObject } from 'n8n-workflow';
import { compactForTool, toolResultJson } from '../../nodes/KlingAi/shared/toolResult';

const full: IDataObject = {
	taskId: 't9',
	externalTaskId: null,
	status: 'succeeded',
	klingStatus: 'succeed',
	statusMessage: '',
	finished: true,
	taskType: null,
	resultKind: null,
	videos: [],
	images: [],
	seriesImages: [],
	resultType: null,
	audios: [],
	voices: [],
	elements: [],
	billing: [],
	parentVideo: null,
	unitsDeducted: null,
	resultsExpireAt: null,
	raw: {},
};
const audio = { id: 'a1', url: 'https://cdn/a.mp3', mp3Url: 'https://cdn/a.mp3', wavUrl: 'https://cdn/a.wav', durationSeconds: 3, wavDurationSeconds: 3 };
const image = (url: string, index = 0, extra: IDataObject = {}) => ({ index, url, watermarkUrl: null, ...extra });

describe('the compact result has what the task has, and nothing empty', () => {
	test('a bare succeeded task: only outcome, message, taskId and status', () => {
		const out = toolResultJson(full);
		expect(Object.keys(out).sort()).toEqual(['message', 'outcome', 'status', 'taskId']);
		expect(out.message).toBe('Kling task t9 succeeded with its result. The URLs are below; Kling deletes results after 30 days.');
	});

	test('audios are counted and passed on; series images count as images and are listed apart', () => {
		const out = toolResultJson({ ...full, audios: [audio, { ...audio, id: 'a2' }], images: [image('https://cdn/i.png')], seriesImages: [image('https://cdn/s0.png'), image('https://cdn/s1.png', 1)] });
		expect(out.message).toBe('Kling task t9 succeeded with 3 images and 2 audios. The URLs are below; Kling deletes results after 30 days.');
		expect(out.audios).toEqual([audio, { ...audio, id: 'a2' }]);
		expect(out.images).toEqual([{ url: 'https://cdn/i.png' }]);
		expect(out.seriesImages).toEqual([{ url: 'https://cdn/s0.png' }, { url: 'https://cdn/s1.png' }]);
		expect(toolResultJson({ ...full, audios: [audio] }).message).toBe('Kling task t9 succeeded with 1 audio. The URLs are below; Kling deletes results after 30 days.');
	});

	test('angle sets keep their three URLs; recognize segments keep type and isContain (null when unknown)', () => {
		const angles = ['https://cdn/1.png', 'https://cdn/2.png', 'https://cdn/3.png'];
		const out = toolResultJson({ ...full, images: [image(angles[0], 0, { angleUrls: angles }), image('https://cdn/head.png', 1, { type: 'head_seg', isContain: true }), image('https://cdn/x.png', 2, { type: 'face_seg' })] });
		expect(out.images).toEqual([
			{ url: angles[0], angleUrls: angles },
			{ url: 'https://cdn/head.png', type: 'head_seg', isContain: true },
			{ url: 'https://cdn/x.png', type: 'face_seg', isContain: null },
		]);
	});

	test('units: 0 is kept, null and missing are left out', () => {
		expect(toolResultJson({ ...full, unitsDeducted: 0 }).unitsDeducted).toBe(0);
		expect(toolResultJson({ ...full, unitsDeducted: null })).not.toHaveProperty('unitsDeducted');
		const { unitsDeducted: _u, ...without } = full;
		expect(toolResultJson(without)).not.toHaveProperty('unitsDeducted');
	});

	test('external id and task type only when the task has them', () => {
		const out = toolResultJson({ ...full, externalTaskId: 'ext-9', taskType: 'textToAudio' });
		expect(out).toMatchObject({ externalTaskId: 'ext-9', taskType: 'textToAudio' });
	});
});

describe('edges', () => {
	test('a failed download: the task succeeded, the URLs still work, and the flag says so', () => {
		const out = toolResultJson({ ...full, audios: [audio], error: 'HTTP 403', downloadFailed: true });
		expect(out.outcome).toBe('error');
		expect(out.message).toBe('Kling task t9 succeeded, but downloading its results failed: HTTP 403. The result URLs below still work.');
		expect(out.downloadFailed).toBe(true);
		expect(out.audios).toEqual([audio]);
		expect(toolResultJson({ ...full, error: 'boom' })).not.toHaveProperty('downloadFailed');
		expect(toolResultJson({ ...full, error: 'boom', downloadFailed: false }).message).toBe('Kling task t9 could not be completed: boom');
	});

	test('an error that is not a text is not an error outcome', () => {
		expect(toolResultJson({ ...full, error: { code: 1 } }).outcome).toBe('succeeded');
	});

	test('items that are not tasks get the generic subject and no task fields', () => {
		expect(toolResultJson({ status: 'failed' }).message).toBe(
			'The Kling request failed: Kling gave no reason. No result was produced; a retry needs changed input (it starts a new paid task).',
		);
		expect(toolResultJson({ status: 'succeeded' }).message).toBe('The Kling request succeeded with its result. The URLs are below; Kling deletes results after 30 days.');
		expect(toolResultJson({ status: 'succeeded' })).not.toHaveProperty('taskId');
	});
});

describe('errors and items that are not tasks (compactForTool)', () => {
	test('an error item carries its description as details when it is a text', () => {
		expect(toolResultJson({ ...full, error: 'Kling error 1102', errorDescription: 'The balance is used up' })).toMatchObject({ outcome: 'error', error: 'Kling error 1102', details: 'The balance is used up' });
		expect(toolResultJson({ ...full, error: 'Kling error 1102', errorDescription: { x: 1 } })).not.toHaveProperty('details');
		expect(toolResultJson({ ...full, error: 'Kling error 1102', errorDescription: '' })).not.toHaveProperty('details');
	});

	test('a non-task item keeps its fields, drops raw unless asked, and is compacted only for a text error', () => {
		const packs = { packs: [{ name: 'Video pack', remaining: 10 }], raw: { code: 0 } };
		expect(compactForTool(packs)).toEqual({ packs: packs.packs });
		expect(compactForTool(packs, { includeRaw: true })).toBe(packs);
		const plain = { packs: [] };
		expect(compactForTool(plain)).toBe(plain);
		expect(compactForTool({ note: 'x', error: { code: 5 } })).toEqual({ note: 'x', error: { code: 5 } });
		expect(compactForTool({ error: 'Kling error 1200', errorDescription: 'bad body' })).toMatchObject({ outcome: 'error', details: 'bad body' });
	});
});
