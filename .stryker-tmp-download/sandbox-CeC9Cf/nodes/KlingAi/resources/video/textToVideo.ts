// @ts-nocheck
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import type { CreateOperation } from '../types';
import { apiStandardProperties } from './apiStandard';
import {
	VIDEO_ASPECT_RATIOS,
	applyWatermark,
	cfgScaleOption,
	checkOneOf,
	compact,
	modelsWhere,
	negativePromptOption,
	options,
	promptProperty,
	readCfgScale,
	readNegativePrompt,
	readPrompt,
	str,
	watermarkOption,
} from '../fields';
import {
	TEXT_TO_VIDEO_MODELS as MODELS,
	cameraControlOptions,
	checkCfgSupported,
	multiShotOptions,
	readCameraControl,
	readMultiShot,
	readSound,
	readVideoModel,
	soundOption,
	videoModelProperties,
} from './videoModels';

async function buildBody(ctx: IExecuteFunctions, i: number): Promise<IDataObject> {
	const { body, model } = readVideoModel(ctx, i, MODELS);
	const opts = options(ctx, i);
	const multiShot = readMultiShot(ctx, i, opts, String(body.duration), model);
	// With custom shots Kling ignores `prompt` (DOC-26): the shot prompts are sent instead.
	const prompt = multiShot.shot_type === 'customize' ? undefined : readPrompt(ctx, i, true);
	const aspectRatio = str(ctx, 'aspectRatio', i, '16:9');
	checkOneOf(ctx, i, 'Aspect Ratio', aspectRatio, VIDEO_ASPECT_RATIOS.map((o) => String(o.value)));
	const cfgScale = readCfgScale(ctx, i, opts);
	checkCfgSupported(ctx, i, cfgScale, model);
	Object.assign(body, {
		prompt,
		aspect_ratio: aspectRatio,
		negative_prompt: readNegativePrompt(ctx, i, opts),
		cfg_scale: cfgScale,
		camera_control: readCameraControl(ctx, i, opts, model),
		sound: readSound(ctx, i, opts, model, { mode: body.mode }),
		...multiShot,
	});
	applyWatermark(body, opts);
	return compact(body);
}

export const textToVideo: CreateOperation = {
	resource: 'video',
	value: 'textToVideo',
	name: 'Text to Video',
	action: 'Generate a video from a text prompt',
	description: 'Create a Kling video generation task from a text prompt',
	taskType: 'textToVideo',
	defaultWaitMinutes: 30,
	properties: [
		promptProperty({
			required: true,
			description: 'Describe the video: subject, motion, scene, camera and style (at most 2500 characters). Not used with Multi-Shot "Custom Shots".',
		}),
		...videoModelProperties(MODELS, 'kling-v2-5-turbo'),
		...apiStandardProperties('textToVideo'),
		{
			displayName: 'Aspect Ratio',
			name: 'aspectRatio',
			type: 'options',
			options: VIDEO_ASPECT_RATIOS,
			default: '16:9',
			description: 'Frame shape of the video',
		},
	],
	options: [
		negativePromptOption,
		cfgScaleOption(modelsWhere(MODELS, (m) => m.cfgScale)),
		...cameraControlOptions(modelsWhere(MODELS, (m) => m.cameraControl)),
		soundOption(modelsWhere(MODELS, (m) => m.sound)),
		...multiShotOptions(modelsWhere(MODELS, (m) => m.multiShot === true)),
		watermarkOption,
	],
	buildBody,
};
