// @ts-nocheck
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

/**
 * Model and mode are inherited from the source video, which Kling does not tell us up front; the user can
 * name it so the capability map applies (DOC-26 capability map: kling-v1 extension "Not supported
 * negative_prompt and cfg_scale"; kling-v1-5 / kling-v1-6 extension without that caveat).
 */
const SOURCE_MODELS = [
	{ value: 'kling-v1', name: 'Kling V1', negativeAndCfg: false },
	{ value: 'kling-v1-5', name: 'Kling V1.5', negativeAndCfg: true },
	{ value: 'kling-v1-6', name: 'Kling V1.6', negativeAndCfg: true },
];

async function buildBody(ctx: IExecuteFunctions, i: number): Promise<IDataObject> {
	const videoId = str(ctx, 'videoId', i).trim();
	if (!videoId) throw fieldError(ctx, i, 'Video ID', 'is required', 'Use videos[0].id of a finished Kling video task (not the task ID).');
	const opts = options(ctx, i);
	const negativePrompt = readNegativePrompt(ctx, i, opts);
	const cfgScale = readCfgScale(ctx, i, opts);
	const source = SOURCE_MODELS.find((m) => m.value === str(ctx, 'sourceModel', i, 'unknown'));
	if (source && !source.negativeAndCfg) {
		const field = negativePrompt !== undefined ? 'Negative Prompt' : cfgScale !== undefined ? 'CFG Scale' : undefined;
		if (field) {
			throw fieldError(ctx, i, field, `is not supported when extending a ${source.value} video`, "Kling's capability map: video extension of kling-v1 videos takes neither negative_prompt nor cfg_scale. Remove the option.");
		}
	}
	const body: IDataObject = {
		video_id: videoId,
		prompt: readPrompt(ctx, i, false),
		negative_prompt: negativePrompt,
		cfg_scale: cfgScale,
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
		{
			displayName: 'Source Video Model',
			name: 'sourceModel',
			type: 'options',
			options: [
				{ name: 'Not Sure / Other', value: 'unknown', description: 'Send what is set; Kling decides' },
				...SOURCE_MODELS.map((m) => ({ name: m.name, value: m.value, description: `The video was made with ${m.value}` })),
			],
			default: 'unknown',
			description: 'The model that made the source video (the extension inherits it). Kling V1 videos cannot take Negative Prompt or CFG Scale.',
		},
	],
	// Shown for every source model so a kling-v1 source is refused with a message, not silently dropped.
	options: [negativePromptOption, cfgScaleOption(), watermarkOption],
	buildBody,
};
