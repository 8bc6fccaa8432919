/** Multi-image to image (`POST /v1/images/multi-image2image`, kling-api-2026.md b.14): subjects + scene + style → images. */
// @ts-nocheck

import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { mediaInputProperties, mediaListProperty, resolveMediaInput, resolveMediaList, type MediaInputSpec, type MediaListSpec } from '../../shared/inputs';
import type { CreateOperation } from '../types';
import { applyWatermark, checkOneOf, checkRange, compact, modelProperties, optNumber, optString, options, promptProperty, readModel, readPrompt, watermarkOption } from '../fields';
import { IMAGE_ASPECT_RATIOS } from './generateImage';

const MODELS = [{ value: 'kling-v2-1', name: 'Kling V2.1' }];
const SUBJECTS: MediaListSpec = {
	name: 'subjectImages',
	entryName: 'image',
	displayName: 'Subject Images',
	entryDisplayName: 'Subject Image',
	kind: 'image',
	min: 1,
	max: 4,
	description: '1 to 4 images of the subjects, already cropped (Kling does not crop them)',
};
const SCENE: MediaInputSpec = { name: 'sceneImage', displayName: 'Scene Image', kind: 'image', optional: true, description: 'Optional: the scene the subjects are placed in.' };
const STYLE: MediaInputSpec = { name: 'styleImage', displayName: 'Style Image', kind: 'image', optional: true, description: 'Optional: the style to follow.' };

async function buildBody(ctx: IExecuteFunctions, i: number): Promise<IDataObject> {
	const { value: model } = readModel(ctx, i, MODELS);
	const prompt = readPrompt(ctx, i, false);
	const opts = options(ctx, i);
	const n = optNumber(opts, 'n');
	checkRange(ctx, i, 'Number of Images', n, 1, 9, true);
	const aspectRatio = optString(opts, 'aspectRatio');
	if (aspectRatio) checkOneOf(ctx, i, 'Aspect Ratio', aspectRatio, IMAGE_ASPECT_RATIOS.map((o) => String(o.value)));
	const subjects = await resolveMediaList(ctx, i, SUBJECTS);
	const scene = await resolveMediaInput(ctx, i, SCENE);
	const style = await resolveMediaInput(ctx, i, STYLE);
	const body: IDataObject = {
		model_name: model,
		prompt,
		subject_image_list: subjects.map(({ value }) => ({ subject_image: value })),
		scene_image: scene?.value,
		style_image: style?.value,
		n,
		aspect_ratio: aspectRatio,
	};
	applyWatermark(body, opts);
	return compact(body);
}

export const multiImageToImage: CreateOperation = {
	resource: 'image',
	value: 'multiImageToImage',
	name: 'Multi-Image to Image',
	action: 'Combine subject, scene and style images into new images',
	description: 'Create a Kling multi-image-to-image task: 1 to 4 subject images, an optional scene and style image',
	taskType: 'multiImageToImage',
	defaultWaitMinutes: 10,
	properties: [
		mediaListProperty(SUBJECTS),
		...mediaInputProperties(SCENE),
		...mediaInputProperties(STYLE),
		promptProperty({ required: false, description: 'Optional: what the image should show (at most 2500 characters)' }),
		...modelProperties(MODELS, 'kling-v2-1', 'generates the images'),
	],
	options: [
		{ displayName: 'Aspect Ratio', name: 'aspectRatio', type: 'options', options: IMAGE_ASPECT_RATIOS, default: '16:9', description: 'Frame shape of the images' },
		{ displayName: 'Number of Images', name: 'n', type: 'number', typeOptions: { minValue: 1, maxValue: 9 }, default: 1, description: 'How many images to generate, 1 to 9' },
		watermarkOption,
	],
	buildBody,
};
