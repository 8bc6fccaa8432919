import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';
import { MEDIA_LIMITS, readBinaryMedia, checkBase64Media, checkMediaUrl, toBareBase64, MediaInputError } from '../../shared/inputs';
import type { CreateOperation } from '../types';
import {
	CLASSIC_DURATIONS,
	VIDEO_ASPECT_RATIOS,
	applyWatermark,
	checkOneOf,
	compact,
	durationOptions,
	fieldError,
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
import { MODE_LABELS } from './videoModels';

const MODELS = [{ value: 'kling-v1-6', name: 'Kling V1.6' }];
const MAX_IMAGES = 4;

async function readImages(ctx: IExecuteFunctions, i: number): Promise<Array<{ image: string }>> {
	const entries = ((ctx.getNodeParameter('images', i, {}) as IDataObject).image ?? []) as IDataObject[];
	if (entries.length === 0) throw fieldError(ctx, i, 'Reference Images', 'is required', `Add 1 to ${MAX_IMAGES} images.`);
	if (entries.length > MAX_IMAGES) throw fieldError(ctx, i, 'Reference Images', `has ${entries.length} images, Kling accepts at most ${MAX_IMAGES}`);
	const list: Array<{ image: string }> = [];
	for (const [n, entry] of entries.entries()) {
		const field = `Reference Image ${n + 1}`;
		try {
			const type = String(entry.inputType ?? 'url');
			if (type === 'binary') list.push({ image: await readBinaryMedia(ctx, i, field, 'image', String(entry.binaryProperty ?? 'data')) });
			else if (type === 'base64') list.push({ image: checkBase64Media(field, 'image', toBareBase64(field, String(entry.data ?? ''))) });
			else list.push({ image: checkMediaUrl(field, String(entry.data ?? '')) });
		} catch (error) {
			if (error instanceof MediaInputError) throw fieldError(ctx, i, field, error.message.replace(`"${field}" `, ''), error.description);
			throw new NodeOperationError(ctx.getNode(), error as Error, { itemIndex: i });
		}
	}
	return list;
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
		{
			displayName: 'Reference Images',
			name: 'images',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true, maxAllowedFields: MAX_IMAGES },
			default: {},
			required: true,
			placeholder: 'Add Image',
			description: `1 to ${MAX_IMAGES} reference images (${MEDIA_LIMITS.image.label}); Kling does not crop them`,
			options: [
				{
					displayName: 'Image',
					name: 'image',
					values: [
						{
							displayName: 'Input Type',
							name: 'inputType',
							type: 'options',
							options: [
								{ name: 'URL', value: 'url' },
								{ name: 'Base64', value: 'base64' },
								{ name: 'Binary Property', value: 'binary' },
							],
							default: 'url',
							description: 'How this image is provided',
						},
						{
							displayName: 'URL or Base64',
							name: 'data',
							type: 'string',
							default: '',
							description: 'Public http(s) URL, or raw base64 when Input Type is Base64',
							displayOptions: { show: { inputType: ['url', 'base64'] } },
						},
						{
							displayName: 'Binary Property',
							name: 'binaryProperty',
							type: 'string',
							default: 'data',
							description: "Name of the input item's binary property holding the image",
							displayOptions: { show: { inputType: ['binary'] } },
						},
					],
				},
			],
		},
		promptProperty({ required: true, description: 'Describe how the subjects of the images should appear and move (at most 2500 characters)' }),
		...modelProperties(MODELS, 'kling-v1-6', 'generates the video (multi-image to video supports kling-v1-6)'),
		{
			displayName: 'Mode',
			name: 'mode',
			type: 'options',
			options: (['std', 'pro'] as const).map((v) => ({ name: MODE_LABELS[v].name, value: v, description: MODE_LABELS[v].description })),
			default: 'std',
			description: 'Generation mode: Standard is faster, Professional has higher quality',
		},
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
