import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import type { CreateOperation } from '../types';
import {
	applyWatermark,
	cfgScaleOption,
	compact,
	fieldError,
	negativePromptOption,
	options,
	promptProperty,
	readCfgScale,
	readNegativePrompt,
	readPrompt,
	str,
	watermarkOption,
} from '../fields';

async function buildBody(ctx: IExecuteFunctions, i: number): Promise<IDataObject> {
	const videoId = str(ctx, 'videoId', i).trim();
	if (!videoId) throw fieldError(ctx, i, 'Video ID', 'is required', 'Use videos[0].id of a finished Kling video task (not the task ID).');
	const opts = options(ctx, i);
	const body: IDataObject = {
		video_id: videoId,
		prompt: readPrompt(ctx, i, false),
		negative_prompt: readNegativePrompt(ctx, i, opts),
		cfg_scale: readCfgScale(ctx, i, opts),
	};
	applyWatermark(body, opts);
	return compact(body);
}

export const extendVideo: CreateOperation = {
	resource: 'video',
	value: 'extendVideo',
	name: 'Extend Video',
	action: 'Extend a Kling video by a few seconds',
	description: 'Create a Kling task that continues an existing Kling video by 4 to 5 seconds',
	taskType: 'extendVideo',
	defaultWaitMinutes: 30,
	properties: [
		{
			displayName: 'Video ID',
			name: 'videoId',
			type: 'string',
			default: '',
			required: true,
			description:
				'ID of a video Kling generated: the video ID listed under videos in the output of a finished task (not the task ID). Only kling-v1.x videos, at most 3 minutes in total, and not older than 30 days can be extended; model and mode are inherited.',
		},
		promptProperty({ required: false, description: 'Optional: describe how the video continues (at most 2500 characters)' }),
	],
	options: [negativePromptOption, cfgScaleOption(), watermarkOption],
	buildBody,
};
