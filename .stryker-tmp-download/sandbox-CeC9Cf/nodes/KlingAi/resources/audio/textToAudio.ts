/** Text to audio (`POST /v1/audio/text-to-audio`, kling-api-2026.md b.8): a sound effect from a short prompt. */
// @ts-nocheck

import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import type { CreateOperation } from '../types';
import { checkMaxLength, checkRange, fieldError, num, str } from '../fields';

export const MAX_SOUND_PROMPT = 200;

async function buildBody(ctx: IExecuteFunctions, i: number): Promise<IDataObject> {
	const prompt = str(ctx, 'prompt', i);
	if (!prompt.trim()) throw fieldError(ctx, i, 'Prompt', 'is required', 'Describe the sound, e.g. "Fireworks during a New Year celebration".');
	checkMaxLength(ctx, i, 'Prompt', prompt, MAX_SOUND_PROMPT);
	const duration = num(ctx, 'duration', i, 5);
	checkRange(ctx, i, 'Duration', duration, 3, 10);
	// "supports one decimal place precision" (DOC-26 L5485).
	if (Math.round(duration * 10) !== duration * 10) throw fieldError(ctx, i, 'Duration', `must have at most one decimal place (got ${duration})`);
	return { prompt, duration };
}

export const textToAudio: CreateOperation = {
	resource: 'audio',
	value: 'textToAudio',
	name: 'Text to Audio',
	action: 'Generate a sound from a text prompt',
	description: 'Create a Kling text-to-audio task: a 3 to 10 second sound effect as MP3 and WAV',
	taskType: 'textToAudio',
	defaultWaitMinutes: 10,
	properties: [
		{
			displayName: 'Prompt',
			name: 'prompt',
			type: 'string',
			typeOptions: { rows: 2 },
			default: '',
			required: true,
			placeholder: 'Fireworks during a New Year celebration',
			description: `The sound to generate (at most ${MAX_SOUND_PROMPT} characters)`,
		},
		{
			displayName: 'Duration (Seconds)',
			name: 'duration',
			type: 'number',
			typeOptions: { minValue: 3, maxValue: 10, numberPrecision: 1 },
			default: 5,
			description: 'Length of the audio, 3.0 to 10.0 seconds (one decimal place)',
		},
	],
	options: [],
	buildBody,
};
