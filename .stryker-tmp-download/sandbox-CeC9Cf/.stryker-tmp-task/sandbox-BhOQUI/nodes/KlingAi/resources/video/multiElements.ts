/**
 * Multi-element video editing (kling-api-2026.md b.6): a synchronous selection session (init, add,
 * delete, clear, preview) marks what to edit, then a task adds, swaps or removes it. "Multi-Element
 * Edit" can open the session and mark the points itself, so one node run does the whole edit;
 * "Multi-Element Selection" is each session step alone.
 */
// @ts-nocheck

import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';
import { callSync } from '../../shared/api';
import type { KlingSyncCall } from '../../shared/endpoints';
import { mediaListProperty, resolveMediaList, type MediaListSpec } from '../../shared/inputs';
import type { CreateOperation, SyncOperation } from '../types';
import {
	CLASSIC_DURATIONS,
	applyWatermark,
	checkOneOf,
	checkRange,
	compact,
	durationOptions,
	fieldError,
	negativePromptOption,
	num,
	options,
	promptProperty,
	readNegativePrompt,
	readPrompt,
	str,
	watermarkOption,
} from '../fields';
import { asNodeError } from '../create';
import { readVideoSource, videoSourceProperties } from './advancedLipSync';
import { modeProperty } from './videoModels';

const MAX_POINTS = 10;
const IMAGE_COUNT: Record<string, [number, number]> = { addition: [1, 2], swap: [1, 1], removal: [0, 0] };

const IMAGES: MediaListSpec = {
	name: 'images',
	entryName: 'image',
	displayName: 'Images',
	entryDisplayName: 'Image',
	kind: 'image',
	min: 0,
	max: 2,
	description: 'Addition: 1 or 2 images of what to add; Swap: 1 image of the replacement; Removal: none (&lt;&lt;&lt;image_1&gt;&gt;&gt; in the prompt)',
};

const pointsProperty = (show?: Record<string, string[]>): INodeProperties[] => [
	{
		displayName: 'Frame Index',
		name: 'frameIndex',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description: 'The frame the points are on (0 = first frame; at most 10 frames can be marked per session)',
		...(show ? { displayOptions: { show } } : {}),
	},
	{
		displayName: 'Points',
		name: 'points',
		type: 'string',
		default: '',
		required: true,
		placeholder: '0.77,0.30; 0.52,0.41',
		description: `Up to ${MAX_POINTS} points on the element, as "x,y" pairs separated by ";" — x and y from 0 to 1 (fraction of width and height from the top-left)`,
		...(show ? { displayOptions: { show } } : {}),
	},
];

function readPoints(ctx: IExecuteFunctions, i: number): { frame_index: number; points: IDataObject[] } {
	const frame = num(ctx, 'frameIndex', i, 0);
	checkRange(ctx, i, 'Frame Index', frame, 0, 100_000, true);
	const raw = ctx.getNodeParameter('points', i, '') as unknown;
	const pairs: unknown[] = Array.isArray(raw) ? raw : String(raw ?? '').split(';').map((p) => p.trim()).filter(Boolean);
	if (pairs.length === 0) throw fieldError(ctx, i, 'Points', 'are required', 'Give at least one "x,y" point on the element, e.g. 0.5,0.4.');
	if (pairs.length > MAX_POINTS) throw fieldError(ctx, i, 'Points', `has ${pairs.length} points, Kling accepts at most ${MAX_POINTS} per frame`);
	const points = pairs.map((p, n) => {
		const [x, y] = typeof p === 'object' && p !== null ? [Number((p as IDataObject).x), Number((p as IDataObject).y)] : String(p).split(',').map((v) => Number(v.trim()));
		if (!Number.isFinite(x) || !Number.isFinite(y) || x < 0 || x > 1 || y < 0 || y > 1) {
			throw fieldError(ctx, i, 'Points', `point ${n + 1} ("${typeof p === 'object' ? JSON.stringify(p) : String(p)}") must be "x,y" with x and y between 0 and 1`);
		}
		return { x, y };
	});
	return { frame_index: frame, points };
}

async function sync(ctx: IExecuteFunctions, i: number, call: KlingSyncCall, body: IDataObject): Promise<IDataObject> {
	let data: IDataObject;
	try {
		data = await callSync(ctx, call, body, undefined, i);
	} catch (error) {
		throw asNodeError(ctx, error, i);
	}
	// init-selection: "status ≠ 0 = rejected" (the video does not qualify).
	if (typeof data.status === 'number' && data.status !== 0) {
		throw new NodeOperationError(ctx.getNode(), `Kling refused the multi-element ${call} step (status ${data.status})`, { itemIndex: i, description: 'The video must be 2–5 s or 7–10 s, 720–2160 px, 24/30/60 fps.' });
	}
	return data;
}

const sessionOf = (data: IDataObject) => (data.session_id === undefined || data.session_id === null ? '' : String(data.session_id));

// ------------------------------------------------------------------ the session steps alone

const STEPS = ['initSelection', 'addSelection', 'deleteSelection', 'clearSelection', 'previewSelection'] as const;

export const multiElementSelection: SyncOperation = {
	resource: 'video',
	value: 'multiElementSelection',
	name: 'Multi-Element Selection',
	action: 'Mark elements of a video for multi-element editing',
	description: 'One step of a Kling multi-element selection session: open it for a video, add or delete points, clear, or preview the selection',
	properties: [
		{
			displayName: 'Step',
			name: 'selectionStep',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'Add Points', value: 'addSelection', description: 'Mark an element by points on one frame' },
				{ name: 'Clear', value: 'clearSelection', description: 'Unmark everything' },
				{ name: 'Delete Points', value: 'deleteSelection', description: 'Unmark points (the exact points that were added)' },
				{ name: 'Open Session', value: 'initSelection', description: 'Start a session for a video (valid 24 h)' },
				{ name: 'Preview', value: 'previewSelection', description: 'A preview video of the marked elements' },
			],
			default: 'initSelection',
			description: 'Which selection step to run',
		},
		...videoSourceProperties({ selectionStep: ['initSelection'] }),
		{
			displayName: 'Session ID',
			name: 'sessionId',
			type: 'string',
			default: '',
			required: true,
			description: 'The sessionId from "Open Session"',
			displayOptions: { hide: { selectionStep: ['initSelection'] } },
		},
		...pointsProperty({ selectionStep: ['addSelection', 'deleteSelection'] }),
	],
	async execute(ctx, i) {
		const step = str(ctx, 'selectionStep', i, 'initSelection') as (typeof STEPS)[number];
		checkOneOf(ctx, i, 'Step', step, STEPS);
		let body: IDataObject;
		if (step === 'initSelection') body = await readVideoSource(ctx, i);
		else {
			const sessionId = str(ctx, 'sessionId', i).trim();
			if (!sessionId) throw fieldError(ctx, i, 'Session ID', 'is required', 'Use the sessionId of "Open Session" (valid 24 h).');
			body = { session_id: sessionId, ...(step === 'addSelection' || step === 'deleteSelection' ? readPoints(ctx, i) : {}) };
		}
		const data = await sync(ctx, i, step, body);
		return { step, sessionId: sessionOf(data) || (body.session_id as string) || null, ...data };
	},
};

// ------------------------------------------------------------------ the edit task

async function buildBody(ctx: IExecuteFunctions, i: number): Promise<IDataObject> {
	// Every parameter is checked before the session calls.
	const editMode = str(ctx, 'editMode', i, 'removal');
	checkOneOf(ctx, i, 'Edit', editMode, Object.keys(IMAGE_COUNT));
	const prompt = readPrompt(ctx, i, true);
	const mode = str(ctx, 'mode', i, 'std');
	checkOneOf(ctx, i, 'Mode', mode, ['std', 'pro']);
	const duration = str(ctx, 'duration', i, '5');
	checkOneOf(ctx, i, 'Duration', duration, CLASSIC_DURATIONS);
	const opts = options(ctx, i);
	const negative = readNegativePrompt(ctx, i, opts);
	const images = await resolveMediaList(ctx, i, IMAGES);
	const [min, max] = IMAGE_COUNT[editMode];
	if (images.length < min || images.length > max) {
		throw fieldError(ctx, i, 'Images', `must be ${min === max ? min : `${min} or ${max}`} for "${editMode}" (got ${images.length})`);
	}
	let sessionId: string;
	if (str(ctx, 'selectionSession', i, 'new') === 'existing') {
		sessionId = str(ctx, 'sessionId', i).trim();
		if (!sessionId) throw fieldError(ctx, i, 'Session ID', 'is required', 'Use the sessionId of a Multi-Element Selection "Open Session" step, or let this operation open one.');
	} else {
		const source = await readVideoSource(ctx, i);
		const selection = editMode === 'addition' && !String(ctx.getNodeParameter('points', i, '') ?? '').trim() ? undefined : readPoints(ctx, i);
		// The session steps (synchronous), then the task.
		sessionId = sessionOf(await sync(ctx, i, 'initSelection', source));
		if (!sessionId) throw new NodeOperationError(ctx.getNode(), 'Kling answered init-selection without a session_id', { itemIndex: i });
		if (selection) await sync(ctx, i, 'addSelection', { session_id: sessionId, ...selection });
	}
	const body: IDataObject = {
		session_id: sessionId,
		edit_mode: editMode,
		image_list: images.map(({ value }) => ({ image: value })),
		prompt,
		negative_prompt: negative,
		mode,
		duration,
	};
	applyWatermark(body, opts);
	return compact(body);
}

export const multiElementEdit: CreateOperation = {
	resource: 'video',
	value: 'multiElementEdit',
	name: 'Multi-Element Edit',
	action: 'Add, swap or remove an element in a video',
	description: 'Create a Kling multi-element editing task; can open the selection session and mark the element in the same run',
	taskType: 'multiElements',
	defaultWaitMinutes: 30,
	properties: [
		{
			displayName: 'Edit',
			name: 'editMode',
			type: 'options',
			options: [
				{ name: 'Add', value: 'addition', description: 'Add what 1 or 2 images show' },
				{ name: 'Swap', value: 'swap', description: 'Replace the marked element with what 1 image shows' },
				{ name: 'Remove', value: 'removal', description: 'Remove the marked element' },
			],
			default: 'removal',
			description: 'What to do (edit_mode)',
		},
		{
			displayName: 'Selection',
			name: 'selectionSession',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'Mark Now', value: 'new', description: 'Open a session for the video and mark the element by points (two quick Kling calls)' },
				{ name: 'Use Existing Session', value: 'existing', description: 'A session built with Multi-Element Selection (valid 24 h)' },
			],
			default: 'new',
			description: 'Where the marked element comes from',
		},
		...videoSourceProperties({ selectionSession: ['new'] }),
		...pointsProperty({ selectionSession: ['new'] }).map((p) => (p.name === 'points' ? { ...p, required: false, description: `${p.description}. Not needed for "Add".` } : p)),
		{
			displayName: 'Session ID',
			name: 'sessionId',
			type: 'string',
			default: '',
			required: true,
			description: 'The sessionId from Multi-Element Selection',
			displayOptions: { show: { selectionSession: ['existing'] } },
		},
		mediaListProperty(IMAGES),
		promptProperty({ required: true, description: 'What to do, e.g. "Delete the chick from &lt;&lt;&lt;video_1&gt;&gt;&gt;" or "Swap the dog in &lt;&lt;&lt;video_1&gt;&gt;&gt; for &lt;&lt;&lt;image_1&gt;&gt;&gt;" (at most 2500 characters)' }),
		modeProperty(),
		{
			displayName: 'Duration',
			name: 'duration',
			type: 'options',
			options: durationOptions(CLASSIC_DURATIONS),
			default: '5',
			description: 'Length of the result in seconds; must match the source video (5 for 2–5 s videos, 10 for 7–10 s)',
		},
	],
	options: [negativePromptOption, watermarkOption],
	buildBody,
};
