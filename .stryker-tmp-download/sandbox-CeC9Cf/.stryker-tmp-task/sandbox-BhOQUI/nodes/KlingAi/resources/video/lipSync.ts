// @ts-nocheck
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { mediaInputProperties, resolveMediaInput, type MediaInputSpec } from '../../shared/inputs';
import type { CreateOperation } from '../types';
import { checkMaxLength, checkOneOf, checkRange, compact, fieldError, num, str } from '../fields';

export const MAX_LIP_SYNC_TEXT = 120;

const VIDEO_URL: MediaInputSpec = {
	name: 'videoUrl',
	displayName: 'Video',
	kind: 'video',
	urlOnly: true,
	description: 'MP4/MOV, 2 to 60 s, 720p or 1080p.',
};
const AUDIO: MediaInputSpec = { name: 'audio', displayName: 'Audio', kind: 'audio', description: 'The speech the face should lip-sync to.' };

/**
 * "Other Voice ID": the Voice list offers the voice_ids Kling's lip-sync documentation names as examples
 * (reference kling-api.md); Kling's full voice guide is an external list that changes, so any other id is typed in.
 */
export const CUSTOM_VOICE = 'custom';

/**
 * The chosen voice. The parameter keeps its old name `voiceId`, so a workflow saved when it was free text still
 * sends its id (the panel then flags the unknown value until "Other Voice ID" is chosen).
 */
function readVoiceId(ctx: IExecuteFunctions, i: number): string {
	const voice = str(ctx, 'voiceId', i, 'oversea_male1').trim();
	return voice === CUSTOM_VOICE ? str(ctx, 'customVoiceId', i).trim() : voice;
}

async function buildBody(ctx: IExecuteFunctions, i: number): Promise<IDataObject> {
	const input: IDataObject = {};
	const source = str(ctx, 'videoSource', i, 'videoId');
	if (source === 'videoId') {
		const id = str(ctx, 'videoId', i).trim();
		if (!id) throw fieldError(ctx, i, 'Video ID', 'is required', 'Use videos[0].id of a finished Kling video task (at most 30 days old).');
		input.video_id = id;
	} else {
		input.video_url = (await resolveMediaInput(ctx, i, VIDEO_URL))?.value;
	}
	const mode = str(ctx, 'lipSyncMode', i, 'text2video');
	checkOneOf(ctx, i, 'Lip Sync Mode', mode, ['text2video', 'audio2video']);
	input.mode = mode;
	if (mode === 'text2video') {
		const text = str(ctx, 'text', i);
		if (!text.trim()) throw fieldError(ctx, i, 'Text', 'is required in "Text to Speech" mode', `Type what the person should say (at most ${MAX_LIP_SYNC_TEXT} characters).`);
		checkMaxLength(ctx, i, 'Text', text, MAX_LIP_SYNC_TEXT);
		const voiceId = readVoiceId(ctx, i);
		if (!voiceId) throw fieldError(ctx, i, 'Voice ID', 'is required in "Text to Speech" mode', 'See the Kling voice list, e.g. oversea_male1.');
		const language = str(ctx, 'voiceLanguage', i, 'en');
		checkOneOf(ctx, i, 'Voice Language', language, ['en', 'zh']);
		const speed = num(ctx, 'voiceSpeed', i, 1);
		checkRange(ctx, i, 'Voice Speed', speed, 0.8, 2);
		Object.assign(input, { text, voice_id: voiceId, voice_language: language, voice_speed: Math.round(speed * 10) / 10 });
	} else {
		const audio = await resolveMediaInput(ctx, i, AUDIO);
		if (audio?.source === 'url') Object.assign(input, { audio_type: 'url', audio_url: audio.value });
		else Object.assign(input, { audio_type: 'file', audio_file: audio?.value });
	}
	return { input: compact(input) };
}

const show = (values: Record<string, string[]>) => ({ show: values });

export const lipSync: CreateOperation = {
	resource: 'video',
	value: 'lipSync',
	name: 'Lip Sync (Legacy)',
	action: 'Lip-sync a video to text or audio (legacy one-step API)',
	description:
		'The one-step /v1/videos/lip-sync (text to speech or audio). Kling no longer documents it in 2026; prefer "Lip Sync". Sends no external_task_id (not in its field table).',
	taskType: 'lipSync',
	defaultWaitMinutes: 30,
	properties: [
		{
			displayName: 'Video Source',
			name: 'videoSource',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'Kling Video ID', value: 'videoId', description: 'A video Kling generated (at most 30 days old)' },
				{ name: 'Video URL', value: 'videoUrl', description: 'Any MP4/MOV video reachable by URL' },
			],
			default: 'videoId',
			description: 'Where the video with the face comes from',
		},
		{
			displayName: 'Video ID',
			name: 'videoId',
			type: 'string',
			default: '',
			required: true,
			description: 'ID of a video Kling generated: the video ID listed under videos in the output of a finished task (not the task ID)',
			displayOptions: show({ videoSource: ['videoId'] }),
		},
		...mediaInputProperties(VIDEO_URL, { videoSource: ['videoUrl'] }),
		{
			displayName: 'Lip Sync Mode',
			name: 'lipSyncMode',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'Text to Speech', value: 'text2video', description: 'Kling speaks a text with one of its voices' },
				{ name: 'Audio File', value: 'audio2video', description: 'The face follows an audio track you provide' },
			],
			default: 'text2video',
			description: 'What the face should say',
		},
		{
			displayName: 'Text',
			name: 'text',
			type: 'string',
			typeOptions: { rows: 2 },
			default: '',
			required: true,
			description: `What the person says (at most ${MAX_LIP_SYNC_TEXT} characters)`,
			displayOptions: show({ lipSyncMode: ['text2video'] }),
		},
		{
			displayName: 'Voice',
			name: 'voiceId',
			type: 'options',
			options: [
				{ name: 'Oversea Male 1', value: 'oversea_male1', description: 'Kling voice_id oversea_male1' },
				{ name: 'Genshin Vindi 2', value: 'genshin_vindi2', description: 'Kling voice_id genshin_vindi2' },
				{ name: 'Other Voice ID', value: 'custom', description: 'Any voice_id from the Kling voice guide' },
			],
			default: 'oversea_male1',
			description: 'Kling voice to speak with',
			displayOptions: show({ lipSyncMode: ['text2video'] }),
		},
		{
			displayName: 'Voice ID',
			name: 'customVoiceId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. oversea_male1',
			description: "A voice_id from Kling's voice guide (its preview files are named Name#VoiceID#Language)",
			displayOptions: show({ lipSyncMode: ['text2video'], voiceId: [CUSTOM_VOICE] }),
		},
		{
			displayName: 'Voice Language',
			name: 'voiceLanguage',
			type: 'options',
			options: [
				{ name: 'English', value: 'en' },
				{ name: 'Chinese', value: 'zh' },
			],
			default: 'en',
			description: 'Language of the voice',
			displayOptions: show({ lipSyncMode: ['text2video'] }),
		},
		{
			displayName: 'Voice Speed',
			name: 'voiceSpeed',
			type: 'number',
			typeOptions: { minValue: 0.8, maxValue: 2, numberPrecision: 1 },
			default: 1,
			description: 'Speaking speed, 0.8 to 2.0',
			displayOptions: show({ lipSyncMode: ['text2video'] }),
		},
		...mediaInputProperties(AUDIO, { lipSyncMode: ['audio2video'] }),
	],
	options: [],
	buildBody,
};
