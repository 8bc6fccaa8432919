/** Create Voice: clone a voice from an audio/video file or a Kling video (kling-api-2026.md b.10; DOC-26 L6035–6120). */
// @ts-nocheck

import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';
import { checkMediaUrl, MediaInputError } from '../../shared/inputs';
import type { CreateOperation } from '../types';
import { checkMaxLength, fieldError, str } from '../fields';

export const MAX_VOICE_NAME = 20;

async function buildBody(ctx: IExecuteFunctions, i: number): Promise<IDataObject> {
	const name = str(ctx, 'voiceName', i).trim();
	if (!name) throw fieldError(ctx, i, 'Voice Name', 'is required');
	checkMaxLength(ctx, i, 'Voice Name', name, MAX_VOICE_NAME);
	const source = str(ctx, 'voiceSource', i, 'url');
	if (source === 'videoId') {
		const videoId = str(ctx, 'videoId', i).trim();
		if (!videoId) throw fieldError(ctx, i, 'Video ID', 'is required', 'The id of a Kling video: made by kling-v2-6 with sound on, by Avatar or by Lip Sync.');
		return { voice_name: name, video_id: videoId };
	}
	if (source !== 'url') throw fieldError(ctx, i, 'Voice Source', `has an unknown value "${source}"`);
	return { voice_name: name, voice_url: readUrl(ctx, i, 'Voice File URL', 'voiceUrl') };
}

/** A URL-only input (Kling takes no base64 here): an http(s) URL, or a NodeOperationError naming the field. */
export function readUrl(ctx: IExecuteFunctions, i: number, field: string, parameter: string): string {
	try {
		return checkMediaUrl(field, str(ctx, parameter, i));
	} catch (error) {
		const description = error instanceof MediaInputError ? error.description : undefined;
		throw new NodeOperationError(ctx.getNode(), (error as Error).message, { itemIndex: i, description });
	}
}

export const createVoice: CreateOperation = {
	resource: 'library',
	value: 'createVoice',
	name: 'Create Voice',
	action: 'Clone a voice from a recording',
	description: 'Create a custom voice (voice clone) from an audio/video file or a Kling video; its voice ID works in Image to Video voices and elements',
	taskType: 'customVoice',
	defaultWaitMinutes: 10,
	properties: [
		{
			displayName: 'Voice Name',
			name: 'voiceName',
			type: 'string',
			default: '',
			required: true,
			description: `Name of the new voice (voice_name), at most ${MAX_VOICE_NAME} characters`,
		},
		{
			displayName: 'Voice Source',
			name: 'voiceSource',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'Audio or Video File URL', value: 'url', description: 'An MP3/WAV/MP4/MOV file (voice_url)' },
				{ name: 'Kling Video ID', value: 'videoId', description: 'A video Kling generated (video_id)' },
			],
			default: 'url',
			description: 'Where the voice to clone comes from. Either way: one clean voice without noise, 5 to 30 seconds.',
		},
		{
			displayName: 'Voice File URL',
			name: 'voiceUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://example.com/voice.mp3',
			description: 'Public http(s) URL of an MP3/WAV audio or MP4/MOV video with one clean voice, 5 to 30 seconds',
			displayOptions: { show: { voiceSource: ['url'] } },
		},
		{
			displayName: 'Video ID',
			name: 'videoId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. 860001234567890123',
			description: 'A Kling video made by kling-v2-6 with sound on, by Avatar or by Lip Sync',
			displayOptions: { show: { voiceSource: ['videoId'] } },
		},
	],
	options: [],
	buildBody,
};
