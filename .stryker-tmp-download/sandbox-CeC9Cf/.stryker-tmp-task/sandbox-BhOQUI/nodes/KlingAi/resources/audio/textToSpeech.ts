/**
 * Text to speech (`POST /v1/audio/tts`, kling-api-2026.md b.7): synchronous. Kling answers the audio at
 * once (`task_result.audios[{id,url,duration}]`), with no query, list or callback, so the operation returns
 * the item of a finished task. Its `audios[0].id` is the `audio_id` Avatar and Lip Sync accept.
 */
// @ts-nocheck

import type { IDataObject } from 'n8n-workflow';
import { callSyncForItem } from '../../shared/api';
import type { SyncOperation } from '../types';
import { asNodeError } from '../create';
import { checkMaxLength, checkOneOf, checkRange, fieldError, num, str } from '../fields';

export const MAX_TTS_TEXT = 1000;

export const textToSpeech: SyncOperation = {
	resource: 'audio',
	value: 'textToSpeech',
	name: 'Text to Speech',
	action: 'Turn text into speech',
	description: 'Synthesize speech with a Kling voice (synchronous, no task to wait for); the audio ID feeds Avatar and Lip Sync',
	properties: [
		{
			displayName: 'Text',
			name: 'text',
			type: 'string',
			typeOptions: { rows: 3 },
			default: '',
			required: true,
			description: `What the voice says (at most ${MAX_TTS_TEXT} characters)`,
		},
		{
			displayName: 'Voice ID',
			name: 'voiceId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'oversea_male1',
			description: "A Kling voice ID from Kling's Voice Guide (the preview files are named Name#VoiceID#Language)",
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
			description: 'The language of the voice (voice_language; must match the voice ID)',
		},
		{
			displayName: 'Voice Speed',
			name: 'voiceSpeed',
			type: 'number',
			typeOptions: { minValue: 0.8, maxValue: 2, numberPrecision: 1 },
			default: 1,
			description: 'Speech rate, 0.8 to 2.0 (voice_speed)',
		},
	],
	async execute(ctx, i) {
		const text = str(ctx, 'text', i);
		if (!text.trim()) throw fieldError(ctx, i, 'Text', 'is required', 'Type what the voice should say.');
		checkMaxLength(ctx, i, 'Text', text, MAX_TTS_TEXT);
		const voiceId = str(ctx, 'voiceId', i).trim();
		if (!voiceId) throw fieldError(ctx, i, 'Voice ID', 'is required', "Pick a voice ID from Kling's Voice Guide, e.g. oversea_male1.");
		const voiceLanguage = str(ctx, 'voiceLanguage', i, 'en');
		checkOneOf(ctx, i, 'Voice Language', voiceLanguage, ['zh', 'en']);
		const voiceSpeed = num(ctx, 'voiceSpeed', i, 1);
		checkRange(ctx, i, 'Voice Speed', voiceSpeed, 0.8, 2);
		const body: IDataObject = { text, voice_id: voiceId, voice_language: voiceLanguage, voice_speed: voiceSpeed };
		try {
			return await callSyncForItem(ctx, 'textToSpeech', body, undefined, i);
		} catch (error) {
			throw asNodeError(ctx, error, i);
		}
	},
};
