// @ts-nocheck
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { MEDIA_LIMITS, mediaListProperty, resolveMediaList, type MediaListSpec } from '../../shared/inputs';
import type { CreateOperation } from '../types';
import {
	CLASSIC_DURATIONS,
	VIDEO_ASPECT_RATIOS,
	applyWatermark,
	checkOneOf,
	compact,
	durationOptions,
	modelProperties,
	negativePromptOption,
	options,
	promptProperty,
	readModel,
	readNegativePrompt,
	readPrompt,
	str,
	watermarkOption,
} from '../fields';
import { modeProperty } from './videoModels';

const MODELS = [{ value: 'kling-v1-6', name: 'Kling V1.6' }];
const MAX_IMAGES = 4;

const IMAGES: MediaListSpec = {
	name: 'images',
	entryName: 'image',
	displayName: 'Reference Images',
	entryDisplayName: 'Reference Image',
	kind: 'image',
	min: 1,
	max: MAX_IMAGES,
	description: `1 to ${MAX_IMAGES} reference images (${MEDIA_LIMITS.image.label}); Kling does not crop them`,
};

async function readImages(ctx: IExecuteFunctions, i: number): Promise<Array<{ image: string }>> {
	return (await resolveMediaList(ctx, i, IMAGES)).map(({ value }) => ({ image: value }));
}

async function buildBody(ctx: IExecuteFunctions, i: number): Promise<IDataObject> {
	const prompt = readPrompt(ctx, i, true);
	const { value: model } = readModel(ctx, i, MODELS);
	const mode = str(ctx, 'mode', i, 'std');
	checkOneOf(ctx, i, 'Mode', mode, ['std', 'pro']);
	const duration = str(ctx, 'duration', i, '5');
	checkOneOf(ctx, i, 'Duration', duration, CLASSIC_DURATIONS);
	const aspectRatio = str(ctx, 'aspectRatio', i, '16:9');
	checkOneOf(ctx, i, 'Aspect Ratio', aspectRatio, VIDEO_ASPECT_RATIOS.map((o) => String(o.value)));
	const opts = options(ctx, i);
	const body: IDataObject = {
		model_name: model,
		image_list: await readImages(ctx, i),
		prompt,
		negative_prompt: readNegativePrompt(ctx, i, opts),
		mode,
		duration,
		aspect_ratio: aspectRatio,
	};
	applyWatermark(body, opts);
	return compact(body);
}

export const multiImageToVideo: CreateOperation = {
	resource: 'video',
	value: 'multiImageToVideo',
	name: 'Multi-Image to Video',
	action: 'Generate a video from several reference images',
	description: 'Create a Kling video task that combines up to 4 reference images (subjects, scene) following a prompt',
	taskType: 'multiImageToVideo',
	defaultWaitMinutes: 30,
	properties: [
		mediaListProperty(IMAGES),
		promptProperty({ required: true, description: 'Describe how the subjects of the images should appear and move (at most 2500 characters)' }),
		...modelProperties(MODELS, 'kling-v1-6', 'generates the video (multi-image to video supports kling-v1-6)'),
		modeProperty(),
		{
			displayName: 'Duration',
			name: 'duration',
			type: 'options',
			options: durationOptions(CLASSIC_DURATIONS),
			default: '5',
			description: 'Length of the video in seconds',
		},
		{
			displayName: 'Aspect Ratio',
			name: 'aspectRatio',
			type: 'options',
			options: VIDEO_ASPECT_RATIOS,
			default: '16:9',
			description: 'Frame shape of the video',
		},
	],
	options: [negativePromptOption, watermarkOption],
	buildBody,
};
