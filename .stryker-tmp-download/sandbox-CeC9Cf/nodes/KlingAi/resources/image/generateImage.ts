// @ts-nocheck
import type { IDataObject, IExecuteFunctions, INodePropertyOptions } from 'n8n-workflow';
import { mediaInputProperties, resolveMediaInput, type MediaInputSpec } from '../../shared/inputs';
import type { CreateOperation } from '../types';
import {
	applyWatermark,
	checkOneOf,
	checkRange,
	compact,
	elementIdsOption,
	elementList,
	fieldError,
	versionedModelProperties,
	negativePromptOption,
	optNumber,
	optString,
	options,
	promptProperty,
	readModel,
	readIdList,
	readNegativePrompt,
	readPrompt,
	watermarkOption,
} from '../fields';

const MODELS = [
	{ value: 'kling-v1', name: 'Kling V1' },
	{ value: 'kling-v1-5', name: 'Kling V1.5' },
	{ value: 'kling-v2', name: 'Kling V2' },
	{ value: 'kling-v2-new', name: 'Kling V2 New' },
	{ value: 'kling-v2-1', name: 'Kling V2.1' },
	{ value: 'kling-v3', name: 'Kling V3', description: 'Kling V3 (model_name "kling-v3"): also takes elements (Element IDs); the default of the current Kling docs page' },
];

/**
 * The current docs page (DOC-NEW image generation, kling-api-2026.md b.16) contradicts itself: its table
 * says the default model is kling-v3, its text that an empty model_name means V1. The node always sends
 * model_name, so Kling's default never applies. Node version 2 defaults to kling-v3 (the table's default and
 * the current model); version 1 keeps kling-v2-1, because n8n does not store a parameter that equals its
 * default: a new default in place would silently switch saved workflows to another model (and price).
 */
export const DEFAULT_IMAGE_MODEL = 'kling-v3';
export const DEFAULT_IMAGE_MODEL_V1 = 'kling-v2-1';
/** Element references: kling-v3 only; elements + reference images at most 10 (DOC-NEW). */
const ELEMENT_MODELS = ['kling-v3'];
const MAX_IMAGE_REFERENCES = 10;

export const IMAGE_ASPECT_RATIOS: INodePropertyOptions[] = [
	{ name: '16:9', value: '16:9' },
	{ name: '9:16', value: '9:16' },
	{ name: '1:1', value: '1:1' },
	{ name: '4:3', value: '4:3' },
	{ name: '3:4', value: '3:4' },
	{ name: '3:2', value: '3:2' },
	{ name: '2:3', value: '2:3' },
	{ name: '21:9 (Not on Kling V1)', value: '21:9' },
];

const REFERENCE: MediaInputSpec = {
	name: 'referenceImage',
	displayName: 'Reference Image',
	kind: 'image',
	optional: true,
	description: 'Optional image the result should follow (image); use Options > Reference Type to keep a subject or a face.',
};

async function buildBody(ctx: IExecuteFunctions, i: number): Promise<IDataObject> {
	const prompt = readPrompt(ctx, i, true);
	const { value: model, known } = readModel(ctx, i, MODELS);
	const opts = options(ctx, i);
	const image = await resolveMediaInput(ctx, i, REFERENCE);
	const negativePrompt = readNegativePrompt(ctx, i, opts);
	if (negativePrompt && image) {
		throw fieldError(ctx, i, 'Negative Prompt', 'cannot be used with a Reference Image', 'Kling ignores negative prompts for image-to-image; remove one of them.');
	}
	const reference = optString(opts, 'imageReference');
	if (reference) {
		checkOneOf(ctx, i, 'Reference Type', reference, ['subject', 'face']);
		if (!image) throw fieldError(ctx, i, 'Reference Type', 'needs a Reference Image', 'Set "Reference Image Input Type" and provide the image.');
	}
	const imageFidelity = optNumber(opts, 'imageFidelity');
	checkRange(ctx, i, 'Image Fidelity', imageFidelity, 0, 1);
	if (imageFidelity !== undefined && !image) throw fieldError(ctx, i, 'Image Fidelity', 'needs a Reference Image');
	const humanFidelity = optNumber(opts, 'humanFidelity');
	checkRange(ctx, i, 'Human Fidelity', humanFidelity, 0, 1);
	if (humanFidelity !== undefined && reference !== 'subject') throw fieldError(ctx, i, 'Human Fidelity', 'only applies when Reference Type is "Subject"');
	const n = optNumber(opts, 'n');
	checkRange(ctx, i, 'Number of Images', n, 1, 9, true);
	const aspectRatio = optString(opts, 'aspectRatio');
	if (aspectRatio) {
		checkOneOf(ctx, i, 'Aspect Ratio', aspectRatio, IMAGE_ASPECT_RATIOS.map((o) => String(o.value)));
		if (aspectRatio === '21:9' && known?.value === 'kling-v1') throw fieldError(ctx, i, 'Aspect Ratio', '21:9 is not supported by kling-v1');
	}
	const elements = readIdList(ctx, i, 'Element IDs', opts.elementIds, MAX_IMAGE_REFERENCES - (image ? 1 : 0), { integer: true });
	if (elements && known && !ELEMENT_MODELS.includes(known.value)) {
		throw fieldError(ctx, i, 'Element IDs', `are not supported by ${model}`, 'Elements work with kling-v3 only.');
	}
	const resolution = optString(opts, 'resolution');
	if (resolution) checkOneOf(ctx, i, 'Resolution', resolution, ['1k', '2k']);
	const body: IDataObject = {
		model_name: model,
		prompt,
		negative_prompt: negativePrompt,
		image: image?.value,
		image_reference: reference,
		image_fidelity: imageFidelity,
		human_fidelity: humanFidelity,
		element_list: elementList(elements),
		resolution,
		n,
		aspect_ratio: aspectRatio,
	};
	applyWatermark(body, opts);
	return compact(body);
}

export const generateImage: CreateOperation = {
	resource: 'image',
	value: 'generateImage',
	name: 'Generate Image',
	action: 'Generate images from a text prompt',
	description: 'Create a Kling image generation task (1 to 9 images), optionally guided by a reference image',
	taskType: 'imageGeneration',
	defaultWaitMinutes: 10,
	properties: [
		promptProperty({ required: true, description: 'Describe the image (at most 2500 characters)' }),
		...versionedModelProperties(MODELS, { 1: DEFAULT_IMAGE_MODEL_V1, 2: DEFAULT_IMAGE_MODEL }, 'generates the images'),
		...mediaInputProperties(REFERENCE),
	],
	options: [
		{
			displayName: 'Aspect Ratio',
			name: 'aspectRatio',
			type: 'options',
			options: IMAGE_ASPECT_RATIOS,
			default: '16:9',
			description: 'Frame shape of the images',
		},
		elementIdsOption('Kling element IDs (element_list, kling-v3 only), separated by commas. Elements + reference image: at most 10.', {
			show: { '/model': [...ELEMENT_MODELS, 'custom'] },
		}),
		{
			displayName: 'Human Fidelity',
			name: 'humanFidelity',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
			default: 0.45,
			description: 'How closely the person of the reference image is kept, 0 to 1 (only with Reference Type "Subject")',
		},
		{
			displayName: 'Image Fidelity',
			name: 'imageFidelity',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
			default: 0.5,
			description: 'How closely the result follows the reference image, 0 to 1',
		},
		negativePromptOption,
		{
			displayName: 'Number of Images',
			name: 'n',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 9 },
			default: 1,
			description: 'How many images to generate, 1 to 9 (each uses one concurrency slot)',
		},
		{
			displayName: 'Reference Type',
			name: 'imageReference',
			type: 'options',
			options: [
				{ name: 'Subject', value: 'subject', description: 'Keep the subject (person, object) of the reference image' },
				{ name: 'Face', value: 'face', description: 'Keep the face of the reference image' },
			],
			default: 'subject',
			description: 'What to keep from the reference image (image_reference; needs a Reference Image)',
		},
		{
			displayName: 'Resolution',
			name: 'resolution',
			type: 'options',
			options: [
				{ name: '1K', value: '1k' },
				{ name: '2K', value: '2k' },
			],
			default: '1k',
			description: 'Output resolution (2K on newer models)',
		},
		watermarkOption,
	],
	buildBody,
};
