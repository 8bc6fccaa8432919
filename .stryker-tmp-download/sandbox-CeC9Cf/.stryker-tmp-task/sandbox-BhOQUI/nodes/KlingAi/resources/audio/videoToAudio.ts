/**
 * Video to audio (`POST /v1/audio/video-to-audio`, kling-api-2026.md b.9): sound effects and music for a
 * silent video. The result has both the video with its new sound (videos) and the sound alone (audios).
 */
// @ts-nocheck

import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import type { CreateOperation } from '../types';
import { checkMaxLength, compact, optString, options } from '../fields';
import { readVideoSource, videoSourceProperties } from '../video/advancedLipSync';
import { MAX_SOUND_PROMPT } from './textToAudio';

async function buildBody(ctx: IExecuteFunctions, i: number): Promise<IDataObject> {
	const opts = options(ctx, i);
	const soundEffectPrompt = optString(opts, 'soundEffectPrompt');
	checkMaxLength(ctx, i, 'Sound Effect Prompt', soundEffectPrompt, MAX_SOUND_PROMPT);
	const bgmPrompt = optString(opts, 'bgmPrompt');
	checkMaxLength(ctx, i, 'Background Music Prompt', bgmPrompt, MAX_SOUND_PROMPT);
	const source = await readVideoSource(ctx, i);
	return compact({
		...source,
		sound_effect_prompt: soundEffectPrompt,
		bgm_prompt: bgmPrompt,
		asmr_mode: opts.asmrMode === undefined ? undefined : opts.asmrMode === true,
	});
}

export const videoToAudio: CreateOperation = {
	resource: 'audio',
	value: 'videoToAudio',
	name: 'Video to Audio',
	action: 'Add generated sound to a video',
	description: 'Create a Kling video-to-audio task: sound effects and music for a 3 to 20 second video; returns the video with sound and the audio (MP3, WAV)',
	taskType: 'videoToAudio',
	defaultWaitMinutes: 15,
	properties: videoSourceProperties({}, {
		description: 'The silent video to add sound to',
		urlDescription: 'MP4/MOV up to 100 MB, 3 to 20 s (a Kling video ID: at most 30 days old).',
	}),
	options: [
		{ displayName: 'ASMR Mode', name: 'asmrMode', type: 'boolean', default: false, description: 'Whether to enhance detailed sound effects for immersive content (asmr_mode)' },
		{
			displayName: 'Background Music Prompt',
			name: 'bgmPrompt',
			type: 'string',
			default: '',
			description: `The music to add (bgm_prompt, at most ${MAX_SOUND_PROMPT} characters)`,
		},
		{
			displayName: 'Sound Effect Prompt',
			name: 'soundEffectPrompt',
			type: 'string',
			default: '',
			description: `The sound effects to add (sound_effect_prompt, at most ${MAX_SOUND_PROMPT} characters)`,
		},
	],
	buildBody,
};
