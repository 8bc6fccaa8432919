/** Motion control: a character image moves like the person in a reference video (kling-api-2026.md b.3). */
// @ts-nocheck

import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { mediaInputProperties, resolveMediaInput, type MediaInputSpec } from '../../shared/inputs';
import type { CreateOperation } from '../types';
import { apiStandardProperties } from './apiStandard';
import {
	applyWatermark,
	checkOneOf,
	compact,
	elementList,
	fieldError,
	modelProperties,
	modelsWhere,
	options,
	promptProperty,
	readIdList,
	readModel,
	readPrompt,
	str,
	watermarkOption,
	type ModelInfo,
} from '../fields';
import { modeProperty } from './videoModels';

interface MotionModel extends ModelInfo {
	/** element_list entries (DOC-26: "only one element"; kling-v3 only per the capability map). */
	maxElements: number;
}

const MODELS: readonly MotionModel[] = [
	{ value: 'kling-v2-6', name: 'Kling V2.6', maxElements: 0 },
	{ value: 'kling-v3', name: 'Kling V3', maxElements: 1 },
];

const IMAGE: MediaInputSpec = { name: 'image', displayName: 'Character Image', kind: 'image', description: 'The character who moves: clear upper or full body, not occluded.' };
const VIDEO: MediaInputSpec = {
	name: 'motionVideo',
	displayName: 'Motion Video',
	kind: 'video',
	urlOnly: true,
	description: 'The motion reference: one person, one continuous shot, 3 to 30 s (at most 10 s when the orientation follows the image).',
};

async function buildBody(ctx: IExecuteFunctions, i: number): Promise<IDataObject> {
	const { value: model, known } = readModel(ctx, i, MODELS);
	const prompt = readPrompt(ctx, i, false);
	const orientation = str(ctx, 'characterOrientation', i, 'image');
	checkOneOf(ctx, i, 'Character Orientation', orientation, ['image', 'video']);
	const mode = str(ctx, 'mode', i, 'std');
	checkOneOf(ctx, i, 'Mode', mode, ['std', 'pro']);
	const opts = options(ctx, i);
	const elements = readIdList(ctx, i, 'Element ID', opts.elementId, 1, { integer: true });
	if (elements && known && !known.maxElements) throw fieldError(ctx, i, 'Element ID', `is not supported by model ${model}`, 'Elements in motion control are available on kling-v3.');
	const body: IDataObject = {
		model_name: model,
		prompt,
		image_url: (await resolveMediaInput(ctx, i, IMAGE))?.value,
		video_url: (await resolveMediaInput(ctx, i, VIDEO))?.value,
		element_list: elementList(elements),
		keep_original_sound: opts.keepOriginalSound === undefined ? undefined : opts.keepOriginalSound === true ? 'yes' : 'no',
		character_orientation: orientation,
		mode,
	};
	applyWatermark(body, opts);
	return compact(body);
}

export const motionControl: CreateOperation = {
	resource: 'video',
	value: 'motionControl',
	name: 'Motion Control',
	action: 'Make a character move like a reference video',
	description: 'Create a Kling motion control task: the character of an image performs the motion of a reference video (output length follows the video)',
	taskType: 'motionControl',
	defaultWaitMinutes: 30,
	properties: [
		...mediaInputProperties(IMAGE),
		...mediaInputProperties(VIDEO),
		{
			displayName: 'Character Orientation',
			name: 'characterOrientation',
			type: 'options',
			options: [
				{ name: 'Follow the Image', value: 'image', description: 'Keep the orientation of the character image; motion video at most 10 s' },
				{ name: 'Follow the Video', value: 'video', description: 'Turn the character like the person in the video; motion video at most 30 s' },
			],
			default: 'image',
			description: 'Which orientation the character has in the result (character_orientation)',
		},
		promptProperty({ required: false, description: 'Optional: scene, clothing, camera (at most 2500 characters)' }),
		...modelProperties(MODELS, 'kling-v2-6', 'renders the motion'),
		...apiStandardProperties('motionControl'),
		modeProperty(),
	],
	options: [
		{
			displayName: 'Element ID',
			name: 'elementId',
			type: 'string',
			default: '',
			placeholder: '829836802793406551',
			description: 'One Kling element ID (element_list, kling-v3 only); the result then follows the orientation of the person in the video',
			displayOptions: { show: { '/model': modelsWhere(MODELS, (m) => m.maxElements > 0) } },
		},
		{ displayName: 'Keep Original Sound', name: 'keepOriginalSound', type: 'boolean', default: true, description: "Whether to keep the motion video's sound (keep_original_sound)" },
		watermarkOption,
	],
	buildBody,
};
