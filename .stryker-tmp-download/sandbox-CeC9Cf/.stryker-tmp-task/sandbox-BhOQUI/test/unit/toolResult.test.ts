/**
 * shared/toolResult.ts: the exact text and fields an AI agent reads for each outcome (mutation testing, issue 16).
 * The agent acts on these sentences (check later, retry or not, where the URLs are), so they are asserted whole.
 */
import type { IDataObject } from 'n8n-workflow';
import { compactForTool, toolResultJson } from '../../nodes/KlingAi/shared/toolResult';

const CHECK_LATER = 'Check it later with the Kling AI tool\'s "Get Task" operation (by task ID), or tell the user the task ID.';
const base: IDataObject = {
	taskId: 't1',
	externalTaskId: null,
	status: 'succeeded',
	taskType: 'generateImage',
	statusMessage: '',
	videos: [],
	images: [],
	parentVideo: null,
	unitsDeducted: null,
	resultsExpireAt: null,
	raw: { task_id: 't1' },
};
const video = (url: string, durationSeconds: number | null = null) => ({ id: 'v', url, watermarkUrl: null, durationSeconds });
const image = (url: string, index = 0) => ({ index, url, watermarkUrl: null });

describe('succeeded', () => {
	test('counts videos and images in the message, plural and singular', () => {
		expect(toolResultJson({ ...base, images: [image('a'), image('b', 1)] }).message).toBe(
			'Kling task t1 succeeded with 2 images. The URLs are below; Kling deletes results after 30 days.',
		);
		expect(toolResultJson({ ...base, videos: [video('v1'), video('v2')], images: [image('a')] }).message).toBe(
			'Kling task t1 succeeded with 2 videos and 1 image. The URLs are below; Kling deletes results after 30 days.',
		);
		expect(toolResultJson(base).message).toBe('Kling task t1 succeeded with its result. The URLs are below; Kling deletes results after 30 days.');
	});

	test('carries ids, type, result URLs (durations when known), parent video, units and expiry', () => {
		const out = toolResultJson({
			...base,
			externalTaskId: 'ext-1',
			videos: [video('https://cdn/v.mp4')],
			images: [image('https://cdn/i.png')],
			parentVideo: video('https://cdn/p.mp4', 5),
			unitsDeducted: 0,
			resultsExpireAt: '2027-01-01T00:00:00.000Z',
		});
		expect(out).toEqual({
			outcome: 'succeeded',
			message: expect.any(String),
			taskId: 't1',
			externalTaskId: 'ext-1',
			status: 'succeeded',
			taskType: 'generateImage',
			videos: [{ url: 'https://cdn/v.mp4' }],
			images: [{ url: 'https://cdn/i.png' }],
			parentVideo: { url: 'https://cdn/p.mp4', durationSeconds: 5 },
			unitsDeducted: 0,
			resultsExpireAt: '2027-01-01T00:00:00.000Z',
		});
	});

	test('a status message on a succeeded task is passed on as the reason; raw only when asked; the wait note when given', () => {
		const out = toolResultJson({ ...base, statusMessage: 'partially moderated' }, { includeRaw: true, waitNote: 'The callback wait became polling.' });
		expect(out).toMatchObject({ reason: 'partially moderated', raw: { task_id: 't1' }, waitNote: 'The callback wait became polling.' });
		expect(toolResultJson({ ...base, raw: undefined }, { includeRaw: true })).not.toHaveProperty('raw');
		expect(toolResultJson(base)).not.toHaveProperty('raw');
		expect(toolResultJson(base)).not.toHaveProperty('reason');
	});
});

describe('other outcomes', () => {
	test('failed without a Kling reason says so, and that a retry is a new paid task', () => {
		const out = toolResultJson({ ...base, status: 'failed' });
		expect(out).toMatchObject({ outcome: 'failed', reason: null });
		expect(out.message).toBe('Kling task t1 failed: Kling gave no reason. No result was produced; a retry needs changed input (it starts a new paid task).');
		expect(out).not.toHaveProperty('resultsExpireAt');
	});

	test('failed results carry no expiry even when the item has one', () => {
		expect(toolResultJson({ ...base, status: 'failed', resultsExpireAt: '2027-01-01T00:00:00.000Z' })).not.toHaveProperty('resultsExpireAt');
	});

	test('timed out and running tell the agent how to check later', () => {
		expect(toolResultJson({ ...base, status: 'processing', waitTimedOut: true }).message).toBe(
			`Kling task t1 did not finish within the wait limit (last status: processing). It may still finish. ${CHECK_LATER}`,
		);
		const running = toolResultJson({ ...base, status: 'submitted' });
		expect(running).toMatchObject({ outcome: 'running', status: 'submitted' });
		expect(running.message).toBe(`Kling task t1 was accepted and is submitted; this call did not wait for it. ${CHECK_LATER}`);
	});

	test('an error on a task names the task; an empty error string is no error', () => {
		expect(toolResultJson({ ...base, status: 'processing', error: 'HTTP 500' })).toMatchObject({
			outcome: 'error',
			message: 'Kling task t1 could not be completed: HTTP 500',
			error: 'HTTP 500',
		});
		expect(toolResultJson({ ...base, error: '' }).outcome).toBe('succeeded');
		expect(toolResultJson({ error: 'x', errorDescription: '' })).not.toHaveProperty('details');
	});

	test('an item is a task only with a string task id and status', () => {
		expect(toolResultJson({ error: 'boom', taskId: 5, status: 'failed' }).message).toBe('The Kling request could not be completed: boom');
		expect(toolResultJson({ error: 'boom', taskId: 't', status: 1 })).not.toHaveProperty('taskId');
	});
});

describe('compactForTool', () => {
	test('task items, timed-out items and error items become the compact result', () => {
		expect(compactForTool({ ...base, status: 'submitted' }).outcome).toBe('running');
		expect(compactForTool({ waitTimedOut: true, status: 'processing' }).outcome).toBe('timedOut');
		expect(compactForTool({ error: 'x' }).outcome).toBe('error');
	});

	test('other items pass through; raw is dropped unless asked for; an empty error is not an error', () => {
		const pack = { packs: 2 };
		expect(compactForTool(pack)).toBe(pack);
		expect(compactForTool({ packs: 2, raw: { a: 1 } }, { includeRaw: true })).toEqual({ packs: 2, raw: { a: 1 } });
		expect(compactForTool({ packs: 2, error: '' })).toEqual({ packs: 2, error: '' });
	});
});
