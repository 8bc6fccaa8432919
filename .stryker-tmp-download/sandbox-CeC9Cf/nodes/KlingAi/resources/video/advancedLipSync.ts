/**
 * Lip sync, the two-step flow of the 2026 docs (kling-api-2026.md b.5): identify-face (synchronous:
 * a session and the faces in the video) then advanced-lip-sync (a task: one face, an audio track and
 * where it goes). "Lip Sync" runs the face step itself unless a session is given; "Identify Face" is
 * the face step alone. The one-step /v1/videos/lip-sync stays as "Lip Sync (Legacy)" (lipSync.ts).
 */
// @ts-nocheck

import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';
import { callSync } from '../../shared/api';
import { mediaInputProperties, resolveMediaInput, type MediaInputSpec } from '../../shared/inputs';
import type { CreateOperation, SyncOperation } from '../types';
import { applyWatermark, checkRange, compact, fieldError, num, optNumber, options, str, watermarkOption } from '../fields';
import { asNodeError } from '../create';
import { audioSourceProperties, readAudioSource } from './audioSource';

const VIDEO_URL: MediaInputSpec = { name: 'videoUrl', displayName: 'Video', kind: 'video', urlOnly: true, description: 'MP4/MOV up to 100 MB, 2 to 60 s, 720p or 1080p.' };
const SOUND: MediaInputSpec = { name: 'soundFile', displayName: 'Audio File', kind: 'audio', description: 'The speech the face should follow, 2 to 60 s.' };

/** Video source fields shared by Identify Face and Lip Sync. */
/** What the video is for and which videos the operation takes (defaults: lip sync's). */
export interface VideoSourceTexts {
	description?: string;
	urlDescription?: string;
}

export function videoSourceProperties(extraShow: Record<string, string[]> = {}, texts: VideoSourceTexts = {}): INodeProperties[] {
	const show = (values: Record<string, string[]>) => ({ show: { ...extraShow, ...values } });
	return [
		{
			displayName: 'Video Source',
			name: 'videoSource',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'Kling Video ID', value: 'videoId', description: 'A video Kling generated (videos[0].ID of a finished task, at most 30 days old)' },
				{ name: 'Video URL', value: 'videoUrl', description: 'Any public MP4/MOV video' },
			],
			default: 'videoId',
			description: texts.description ?? 'The video with the face(s)',
			displayOptions: Object.keys(extraShow).length ? show({}) : undefined,
		},
		{
			displayName: 'Video ID',
			name: 'videoId',
			type: 'string',
			default: '',
			required: true,
			description: 'ID of a video Kling generated (not the task ID)',
			displayOptions: show({ videoSource: ['videoId'] }),
		},
		...mediaInputProperties(texts.urlDescription ? { ...VIDEO_URL, description: texts.urlDescription } : VIDEO_URL, show({ videoSource: ['videoUrl'] }).show),
	];
}

export async function readVideoSource(ctx: IExecuteFunctions, i: number): Promise<IDataObject> {
	if (str(ctx, 'videoSource', i, 'videoId') === 'videoId') {
		const id = str(ctx, 'videoId', i).trim();
		if (!id) throw fieldError(ctx, i, 'Video ID', 'is required', 'Use videos[0].id of a finished Kling video task (at most 30 days old).');
		return { video_id: id };
	}
	return { video_url: (await resolveMediaInput(ctx, i, VIDEO_URL))?.value };
}

export interface IdentifiedFace {
	faceId: string;
	faceImage: string | null;
	startTimeMs: number | null;
	endTimeMs: number | null;
}

function facesOf(data: IDataObject): IdentifiedFace[] {
	const list = Array.isArray(data.face_data) ? (data.face_data as IDataObject[]) : [];
	const n = (v: unknown) => (typeof v === 'number' ? v : v === undefined || v === null || v === '' ? null : Number(v));
	return list.map((f) => ({ faceId: String(f.face_id ?? ''), faceImage: f.face_image ? String(f.face_image) : null, startTimeMs: n(f.start_time), endTimeMs: n(f.end_time) }));
}

async function identify(ctx: IExecuteFunctions, i: number, source: IDataObject): Promise<{ sessionId: string; faces: IdentifiedFace[]; raw: IDataObject }> {
	let data: IDataObject;
	try {
		data = await callSync(ctx, 'identifyFace', source, undefined, i);
	} catch (error) {
		throw asNodeError(ctx, error, i);
	}
	const sessionId = data.session_id === undefined || data.session_id === null ? '' : String(data.session_id);
	if (!sessionId) throw new NodeOperationError(ctx.getNode(), 'Kling answered identify-face without a session_id', { itemIndex: i });
	return { sessionId, faces: facesOf(data), raw: data };
}

export const identifyFace: SyncOperation = {
	resource: 'video',
	value: 'identifyFace',
	name: 'Identify Face',
	action: 'Find the faces in a video for lip sync',
	description: 'Ask Kling which faces a video has (identify-face); returns a session ID (valid 24 h) and the faces, for Lip Sync',
	properties: videoSourceProperties(),
	async execute(ctx, i) {
		const { sessionId, faces, raw } = await identify(ctx, i, await readVideoSource(ctx, i));
		const units = raw.final_unit_deduction;
		return { sessionId, faces: faces as unknown as IDataObject[], faceCount: faces.length, unitsDeducted: units === undefined ? null : Number(units), raw };
	},
};

const MIN_CLIP_MS = 2000;

async function buildBody(ctx: IExecuteFunctions, i: number): Promise<IDataObject> {
	// 1. Every parameter is checked before any request.
	const sessionMode = str(ctx, 'faceSession', i, 'identify');
	let source: IDataObject | undefined;
	let sessionId = '';
	const faceId = str(ctx, 'faceId', i).trim();
	if (sessionMode === 'session') {
		sessionId = str(ctx, 'sessionId', i).trim();
		if (!sessionId) throw fieldError(ctx, i, 'Session ID', 'is required', 'Use the sessionId of an Identify Face step (valid 24 h), or let this operation identify the faces.');
		if (!faceId) throw fieldError(ctx, i, 'Face ID', 'is required with a session', 'Use a faceId from the Identify Face output.');
	} else {
		source = await readVideoSource(ctx, i);
	}
	const face: IDataObject = await readAudioSource(ctx, i, SOUND);
	const start = num(ctx, 'soundStartMs', i, 0);
	const end = num(ctx, 'soundEndMs', i, 0);
	const insert = num(ctx, 'soundInsertMs', i, 0);
	checkRange(ctx, i, 'Audio Start (Ms)', start, 0, 60_000, true);
	checkRange(ctx, i, 'Audio End (Ms)', end, 0, 60_000, true);
	checkRange(ctx, i, 'Insert At (Ms)', insert, 0, 3_600_000, true);
	if (end - start < MIN_CLIP_MS) {
		throw fieldError(ctx, i, 'Audio End (Ms)', `must be at least ${MIN_CLIP_MS} ms after Audio Start (got ${end - start} ms)`, 'Kling needs at least 2 seconds of audio.');
	}
	const opts = options(ctx, i);
	const volume = optNumber(opts, 'soundVolume');
	const originalVolume = optNumber(opts, 'originalAudioVolume');
	checkRange(ctx, i, 'Audio Volume', volume, 0, 2);
	checkRange(ctx, i, 'Original Audio Volume', originalVolume, 0, 2);

	// 2. The face step (synchronous) when no session was given.
	let chosen = faceId;
	if (source) {
		const identified = await identify(ctx, i, source);
		sessionId = identified.sessionId;
		if (identified.faces.length === 0) {
			throw new NodeOperationError(ctx.getNode(), 'Kling found no face in the video', { itemIndex: i, description: 'Lip sync needs a clearly visible face (identify-face returned none).' });
		}
		const match = faceId ? identified.faces.find((f) => f.faceId === faceId) : identified.faces[0];
		if (!match) {
			throw fieldError(ctx, i, 'Face ID', `"${faceId}" is not one of the faces Kling found (${identified.faces.map((f) => f.faceId).join(', ')})`);
		}
		chosen = match.faceId;
		// "sound_insert_time … the audio must overlap the face for at least 2 s" (DOC-26).
		if (match.startTimeMs !== null && match.endTimeMs !== null) {
			const overlap = Math.min(insert + (end - start), match.endTimeMs) - Math.max(insert, match.startTimeMs);
			if (overlap < MIN_CLIP_MS) {
				throw fieldError(
					ctx,
					i,
					'Insert At (Ms)',
					`puts the audio where it overlaps face ${match.faceId} for ${Math.max(0, overlap)} ms; Kling needs at least ${MIN_CLIP_MS} ms`,
					`Face ${match.faceId} is visible from ${match.startTimeMs} to ${match.endTimeMs} ms.`,
				);
			}
		}
	}
	Object.assign(face, {
		face_id: chosen,
		sound_start_time: start,
		sound_end_time: end,
		sound_insert_time: insert,
		sound_volume: volume,
		original_audio_volume: originalVolume,
	});
	const body: IDataObject = { session_id: sessionId, face_choose: [compact(face)] };
	applyWatermark(body, opts);
	return body;
}

const identifyShow = { faceSession: ['identify'] };
const sessionShow = { show: { faceSession: ['session'] } };

export const advancedLipSync: CreateOperation = {
	resource: 'video',
	value: 'advancedLipSync',
	name: 'Lip Sync',
	action: 'Lip-sync a face in a video to an audio track',
	description: 'Create a Kling lip-sync task (identify-face + advanced-lip-sync): one face of the video follows an audio file or a text-to-speech audio ID',
	taskType: 'advancedLipSync',
	defaultWaitMinutes: 30,
	properties: [
		{
			displayName: 'Faces',
			name: 'faceSession',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'Identify Faces Now', value: 'identify', description: 'Run Kling identify-face on the video first (one extra call, billed by Kling)' },
				{ name: 'Use Session From Identify Face', value: 'session', description: 'Reuse the session ID of an earlier Identify Face step (valid 24 h)' },
			],
			default: 'identify',
			description: 'Kling lip-syncs a face it identified in the video beforehand',
		},
		...videoSourceProperties(identifyShow),
		{
			displayName: 'Session ID',
			name: 'sessionId',
			type: 'string',
			default: '',
			required: true,
			description: 'The sessionId from Identify Face',
			displayOptions: sessionShow,
		},
		{
			displayName: 'Face ID',
			name: 'faceId',
			type: 'string',
			default: '',
			description: 'Which face speaks (faceId from Identify Face). Empty = the first face Kling finds (required with a session).',
		},
		...audioSourceProperties(SOUND, { what: 'What the face says', seconds: '2 to 60 s' }),
		{
			displayName: 'Audio Start (Ms)',
			name: 'soundStartMs',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 0,
			description: 'Where the used part of the audio starts, in milliseconds (sound_start_time)',
		},
		{
			displayName: 'Audio End (Ms)',
			name: 'soundEndMs',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 5000,
			description: 'Where the used part of the audio ends, in milliseconds (sound_end_time); at least 2 s after the start',
		},
		{
			displayName: 'Insert At (Ms)',
			name: 'soundInsertMs',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 0,
			description: 'When the audio starts in the video, in milliseconds (sound_insert_time); it must overlap the face for at least 2 s',
		},
	],
	options: [
		{ displayName: 'Audio Volume', name: 'soundVolume', type: 'number', typeOptions: { minValue: 0, maxValue: 2, numberPrecision: 1 }, default: 1, description: 'Volume of the new audio, 0 to 2 (sound_volume)' },
		{
			displayName: 'Original Audio Volume',
			name: 'originalAudioVolume',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 2, numberPrecision: 1 },
			default: 1,
			description: "Volume of the video's own audio, 0 to 2 (original_audio_volume)",
		},
		watermarkOption,
	],
	buildBody,
};
