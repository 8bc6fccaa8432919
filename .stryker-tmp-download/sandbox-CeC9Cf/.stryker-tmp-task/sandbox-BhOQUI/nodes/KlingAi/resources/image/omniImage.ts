/**
 * Omni image (`POST /v1/images/omni-image`, kling-api-2026.md b.13): text + up to 10 reference images and
 * elements (<<<image_1>>>, <<<element_1>>>), one image, n images or a series. Capability map (DOC-NEW
 * capability-map/image): Image O1 1K/2K and single results only; Omni 3.0 up to 4K, series, and no "auto"
 * aspect ratio for text-only generation.
 */
// @ts-nocheck

import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { mediaListProperty, resolveMediaList, type MediaListSpec } from '../../shared/inputs';
import type { CreateOperation } from '../types';
import {
	applyWatermark,
	checkOneOf,
	checkRange,
	compact,
	elementIdsOption,
	elementList,
	fieldError,
	modelProperties,
	modelsWhere,
	optNumber,
	options,
	promptProperty,
	readIdList,
	readModel,
	readPrompt,
	str,
	watermarkOption,
	type ModelInfo,
} from '../fields';
import { IMAGE_ASPECT_RATIOS } from './generateImage';

interface OmniImageModel extends ModelInfo {
	resolutions: readonly string[];
	series: boolean;
}
const MODELS: readonly OmniImageModel[] = [
	{ value: 'kling-image-o1', name: 'Kling Image O1', resolutions: ['1k', '2k'], series: false },
	{ value: 'kling-v3-omni', name: 'Kling V3 Omni', resolutions: ['1k', '2k', '4k'], series: true, description: 'Up to 4K and image series' },
];
export const MAX_OMNI_REFERENCES = 10;
const SERIES_AMOUNTS = ['auto', '2', '3', '4', '5', '6', '7', '8', '9'];

const IMAGES: MediaListSpec = {
	name: 'images',
	entryName: 'image',
	displayName: 'Reference Images',
	entryDisplayName: 'Reference Image',
	kind: 'image',
	min: 0,
	max: MAX_OMNI_REFERENCES,
	description: 'Images to refer to in the prompt as &lt;&lt;&lt;image_1&gt;&gt;&gt;, &lt;&lt;&lt;image_2&gt;&gt;&gt; (images + elements: at most 10)',
};

async function buildBody(ctx: IExecuteFunctions, i: number): Promise<IDataObject> {
	const prompt = readPrompt(ctx, i, true);
	const { value: modelName, known } = readModel(ctx, i, MODELS);
	const opts = options(ctx, i);
	const resultType = str(ctx, 'resultType', i, 'single');
	checkOneOf(ctx, i, 'Result Type', resultType, ['single', 'series']);
	if (resultType === 'series' && known && !known.series) throw fieldError(ctx, i, 'Result Type', `"Series" is not supported by ${modelName}`, 'Use kling-v3-omni for image series.');
	const n = resultType === 'single' ? optNumber(opts, 'n') : undefined;
	checkRange(ctx, i, 'Number of Images', n, 1, 9, true);
	const seriesAmount = resultType === 'series' ? str(ctx, 'seriesAmount', i, '4') : undefined;
	if (seriesAmount !== undefined) checkOneOf(ctx, i, 'Series Size', seriesAmount, SERIES_AMOUNTS);
	const resolution = str(ctx, 'resolution', i, '1k');
	const resolutions = known?.resolutions ?? ['1k', '2k', '4k'];
	checkOneOf(ctx, i, 'Resolution', resolution, resolutions, known ? `model ${modelName} supports ${resolutions.join(', ')}` : '');
	const aspectRatio = str(ctx, 'aspectRatio', i, 'auto');
	checkOneOf(ctx, i, 'Aspect Ratio', aspectRatio, ['auto', ...IMAGE_ASPECT_RATIOS.map((o) => String(o.value))]);
	const elements = readIdList(ctx, i, 'Element IDs', opts.elementIds, MAX_OMNI_REFERENCES, { integer: true }) ?? [];
	const images = await resolveMediaList(ctx, i, IMAGES);
	if (images.length + elements.length > MAX_OMNI_REFERENCES) {
		throw fieldError(ctx, i, 'Reference Images', `and Element IDs add up to ${images.length + elements.length}; Kling accepts at most ${MAX_OMNI_REFERENCES}`);
	}
	if (aspectRatio === 'auto' && modelName === 'kling-v3-omni' && images.length + elements.length === 0) {
		throw fieldError(ctx, i, 'Aspect Ratio', '"Auto" needs a reference image or element on kling-v3-omni', 'Kling 3.0 Omni does not support an automatic ratio for text-only generation: pick a ratio.');
	}
	const body: IDataObject = {
		model_name: modelName,
		prompt,
		image_list: images.length ? images.map(({ value }) => ({ image: value })) : undefined,
		element_list: elementList(elements.length ? elements : undefined),
		resolution,
		result_type: resultType,
		n,
		// series_amount is documented as int 2–9 or the word "auto".
		series_amount: seriesAmount === undefined ? undefined : seriesAmount === 'auto' ? 'auto' : Number(seriesAmount),
		aspect_ratio: aspectRatio,
	};
	applyWatermark(body, opts);
	return compact(body);
}

const seriesModels = modelsWhere(MODELS, (m) => m.series);

const properties: INodeProperties[] = [
	promptProperty({ required: true, description: 'What to generate; refer to inputs as &lt;&lt;&lt;image_1&gt;&gt;&gt;, &lt;&lt;&lt;element_1&gt;&gt;&gt; (at most 2500 characters)' }),
	...modelProperties(MODELS, 'kling-image-o1', 'generates the images. Resolution and series follow the model.'),
	{
		displayName: 'Result Type',
		name: 'resultType',
		type: 'options',
		options: [
			{ name: 'Single Images', value: 'single', description: 'One or more independent images (n)' },
			{ name: 'Series', value: 'series', description: 'A series of related images (seriesImages in the result)' },
		],
		default: 'single',
		description: 'One image (or n) or a series (result_type; series on kling-v3-omni)',
		displayOptions: { show: { model: seriesModels } },
	},
	{
		displayName: 'Series Size',
		name: 'seriesAmount',
		type: 'options',
		options: SERIES_AMOUNTS.map((v) => ({ name: v === 'auto' ? 'Auto (Kling Decides; Uses as Many Concurrency Slots as Images)' : `${v} Images`, value: v })),
		default: '4',
		description: 'How many images the series has (series_amount)',
		displayOptions: { show: { model: seriesModels, resultType: ['series'] } },
	},
	{
		displayName: 'Resolution',
		name: 'resolution',
		type: 'options',
		options: [
			{ name: '1K', value: '1k' },
			{ name: '2K', value: '2k' },
			{ name: '4K (Kling V3 Omni)', value: '4k' },
		],
		default: '1k',
		description: 'Output resolution (4K on kling-v3-omni only)',
	},
	{
		displayName: 'Aspect Ratio',
		name: 'aspectRatio',
		type: 'options',
		options: [{ name: 'Auto (From the Inputs)', value: 'auto' }, ...IMAGE_ASPECT_RATIOS],
		default: 'auto',
		description: 'Frame shape; Auto follows the inputs (not for text-only generation on kling-v3-omni)',
	},
	mediaListProperty(IMAGES),
];

export const omniImage: CreateOperation = {
	resource: 'image',
	value: 'omniImage',
	name: 'Omni Image',
	action: 'Generate or edit images from text, images and elements',
	description: 'Create a Kling Omni image task (kling-image-o1, kling-v3-omni): references, elements, up to 4K, single images or a series',
	taskType: 'omniImage',
	defaultWaitMinutes: 10,
	properties,
	options: [
		elementIdsOption('Kling element IDs (element_list), separated by commas; &lt;&lt;&lt;element_1&gt;&gt;&gt; in the prompt. Images + elements: at most 10.'),
		{
			displayName: 'Number of Images',
			name: 'n',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 9 },
			default: 1,
			description: 'How many images to generate, 1 to 9 (single results only)',
		},
		watermarkOption,
	],
	buildBody,
};
