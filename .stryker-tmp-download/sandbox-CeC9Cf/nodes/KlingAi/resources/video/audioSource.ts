/** "Audio File or text-to-speech Audio ID" inputs shared by Avatar and Lip Sync (`sound_file` XOR `audio_id`). */
// @ts-nocheck

import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { mediaInputProperties, resolveMediaInput, type MediaInputSpec } from '../../shared/inputs';
import { fieldError, str } from '../fields';

export function audioSourceProperties(file: MediaInputSpec, o: { what: string; seconds: string }): INodeProperties[] {
	return [
		{
			displayName: 'Audio Source',
			name: 'audioSource',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'Audio File', value: 'file', description: `MP3/WAV/M4A/AAC up to 5 MB, ${o.seconds} (sound_file)` },
				{ name: 'Text-to-Speech Audio ID', value: 'audioId', description: 'The audio ID of a Kling text-to-speech result (audio_id)' },
			],
			default: 'file',
			description: o.what,
		},
		...mediaInputProperties(file, { audioSource: ['file'] }),
		{
			displayName: 'Audio ID',
			name: 'audioId',
			type: 'string',
			default: '',
			required: true,
			description: 'ID of a Kling text-to-speech audio (at most 30 days old)',
			displayOptions: { show: { audioSource: ['audioId'] } },
		},
	];
}

/** `{audio_id}` or `{sound_file}` (URL or bare base64, checked). */
export async function readAudioSource(ctx: IExecuteFunctions, i: number, file: MediaInputSpec): Promise<IDataObject> {
	if (str(ctx, 'audioSource', i, 'file') === 'audioId') {
		const audioId = str(ctx, 'audioId', i).trim();
		if (!audioId) throw fieldError(ctx, i, 'Audio ID', 'is required', 'Use the audio ID of a Kling text-to-speech result (at most 30 days old).');
		return { audio_id: audioId };
	}
	return { sound_file: (await resolveMediaInput(ctx, i, file))?.value };
}
