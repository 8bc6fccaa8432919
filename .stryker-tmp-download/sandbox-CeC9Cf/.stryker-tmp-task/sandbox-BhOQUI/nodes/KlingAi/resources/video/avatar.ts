/** Avatar (digital human): one photo + an audio track → a talking video (kling-api-2026.md b.4). */
// @ts-nocheck

import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { mediaInputProperties, resolveMediaInput, type MediaInputSpec } from '../../shared/inputs';
import type { CreateOperation } from '../types';
import { applyWatermark, checkOneOf, compact, options, promptProperty, readPrompt, str, watermarkOption } from '../fields';
import { audioSourceProperties, readAudioSource } from './audioSource';
import { modeProperty } from './videoModels';

const IMAGE: MediaInputSpec = { name: 'image', displayName: 'Avatar Image', kind: 'image', description: 'A photo of the person (or character) who speaks.' };
const SOUND: MediaInputSpec = { name: 'soundFile', displayName: 'Audio File', kind: 'audio', description: 'The speech, 2 to 300 s.' };

async function buildBody(ctx: IExecuteFunctions, i: number): Promise<IDataObject> {
	const prompt = readPrompt(ctx, i, false);
	const mode = str(ctx, 'mode', i, 'std');
	checkOneOf(ctx, i, 'Mode', mode, ['std', 'pro']);
	const body: IDataObject = { prompt, mode };
	body.image = (await resolveMediaInput(ctx, i, IMAGE))?.value;
	Object.assign(body, await readAudioSource(ctx, i, SOUND));
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
		...audioSourceProperties(SOUND, { what: 'What the avatar says', seconds: '2 to 300 s' }),
		promptProperty({ required: false, description: 'Optional: actions, emotion and camera movement of the avatar (at most 2500 characters)' }),
		modeProperty(),
	],
	options: [watermarkOption],
	buildBody,
};
