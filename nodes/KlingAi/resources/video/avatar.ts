/** Avatar (digital human): one photo + an audio track → a talking video (kling-api-2026.md b.4). */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { mediaInputProperties, resolveMediaInput, type MediaInputSpec } from '../../shared/inputs';
import type { CreateOperation } from '../types';
import { applyWatermark, checkOneOf, compact, fieldError, options, promptProperty, readPrompt, str, watermarkOption } from '../fields';
import { MODE_LABELS } from './videoModels';

const IMAGE: MediaInputSpec = { name: 'image', displayName: 'Avatar Image', kind: 'image', description: 'A photo of the person (or character) who speaks.' };
const SOUND: MediaInputSpec = { name: 'soundFile', displayName: 'Audio File', kind: 'audio', description: 'The speech, 2 to 300 s.' };

async function buildBody(ctx: IExecuteFunctions, i: number): Promise<IDataObject> {
	const prompt = readPrompt(ctx, i, false);
	const mode = str(ctx, 'mode', i, 'std');
	checkOneOf(ctx, i, 'Mode', mode, ['std', 'pro']);
	const body: IDataObject = { prompt, mode };
	if (str(ctx, 'audioSource', i, 'file') === 'audioId') {
		const audioId = str(ctx, 'audioId', i).trim();
		if (!audioId) throw fieldError(ctx, i, 'Audio ID', 'is required', 'Use the audio ID of a Kling text-to-speech result (at most 30 days old, 2 to 300 s).');
		body.audio_id = audioId;
	}
	body.image = (await resolveMediaInput(ctx, i, IMAGE))?.value;
	if (body.audio_id === undefined) body.sound_file = (await resolveMediaInput(ctx, i, SOUND))?.value;
	applyWatermark(body, options(ctx, i));
	return compact(body);
}

export const avatar: CreateOperation = {
	resource: 'video',
	value: 'avatar',
	name: 'Avatar',
	action: 'Make a photo speak an audio track',
	description: 'Create a Kling avatar (digital human) task: a photo speaks an audio file or a text-to-speech audio, up to 5 minutes',
	taskType: 'avatar',
	defaultWaitMinutes: 60,
	properties: [
		...mediaInputProperties(IMAGE),
		{
			displayName: 'Audio Source',
			name: 'audioSource',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'Audio File', value: 'file', description: 'MP3/WAV/M4A/AAC up to 5 MB, 2 to 300 s (sound_file)' },
				{ name: 'Text-to-Speech Audio ID', value: 'audioId', description: 'The audio ID of a Kling text-to-speech result (audio_id)' },
			],
			default: 'file',
			description: 'What the avatar says',
		},
		...mediaInputProperties(SOUND).map((p) => ({ ...p, displayOptions: { show: { ...(p.displayOptions?.show ?? {}), audioSource: ['file'] } } })),
		{
			displayName: 'Audio ID',
			name: 'audioId',
			type: 'string',
			default: '',
			required: true,
			description: 'ID of a Kling text-to-speech audio (at most 30 days old)',
			displayOptions: { show: { audioSource: ['audioId'] } },
		},
		promptProperty({ required: false, description: 'Optional: actions, emotion and camera movement of the avatar (at most 2500 characters)' }),
		{
			displayName: 'Mode',
			name: 'mode',
			type: 'options',
			options: (['std', 'pro'] as const).map((v) => ({ name: MODE_LABELS[v].name, value: v, description: MODE_LABELS[v].description })),
			default: 'std',
			description: 'Generation mode: Standard is faster, Professional has higher quality',
		},
	],
	options: [watermarkOption],
	buildBody,
};
