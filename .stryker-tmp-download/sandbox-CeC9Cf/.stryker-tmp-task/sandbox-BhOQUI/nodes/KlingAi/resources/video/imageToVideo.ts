// @ts-nocheck
import { NodeOperationError, jsonParse, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';
import { mediaInputProperties, resolveInlineMedia, resolveMediaInput, type MediaInputSpec } from '../../shared/inputs';
import type { CreateOperation } from '../types';
import { apiStandardProperties } from './apiStandard';
import {
	applyWatermark,
	cfgScaleOption,
	compact,
	fieldError,
	modelsWhere,
	negativePromptOption,
	optString,
	options,
	promptProperty,
	readCfgScale,
	readNegativePrompt,
	readPrompt,
	watermarkOption,
} from '../fields';
import {
	IMAGE_TO_VIDEO_MODELS as MODELS,
	cameraControlOptions,
	checkCfgSupported,
	elementVoiceOptions,
	multiShotOptions,
	readCameraControl,
	readElementsAndVoices,
	readMultiShot,
	readSound,
	readVideoModel,
	soundOption,
	videoModelProperties,
} from './videoModels';

// Optional since the 2026 docs ("at least one of image or image_tail"); default URL keeps saved workflows unchanged.
const START: MediaInputSpec = {
	name: 'image',
	displayName: 'Start Frame Image',
	kind: 'image',
	optional: true,
	defaultInputType: 'url',
	description: 'The first frame of the video. "None" with an end frame animates towards the end frame (kling-v1-5, kling-v1-6 in Professional mode).',
};
const END: MediaInputSpec = {
	name: 'imageTail',
	displayName: 'End Frame Image',
	kind: 'image',
	optional: true,
	description: 'Optional last frame (image_tail); cannot be combined with motion brush or camera control.',
};

const motionBrushModels = modelsWhere(MODELS, (m) => m.motionBrush === true);

const motionBrushOptions: INodeProperties[] = [
	{
		displayName: 'Motion Brush Static Mask',
		name: 'staticMask',
		type: 'string',
		default: '',
		description: 'URL or raw base64 of a mask image marking areas that must stay still (static_mask); same size as the start frame',
		displayOptions: { show: { '/model': motionBrushModels } },
	},
	{
		displayName: 'Motion Brush Dynamic Masks (JSON)',
		name: 'dynamicMasks',
		type: 'json',
		default: '[]',
		description:
			'Up to 6 masks with motion paths (dynamic_masks): [{"mask": "&lt;URL or base64&gt;", "trajectories": [{"x": 100, "y": 200}, {"x": 300, "y": 220}]}]. 2 to 77 points each; the origin is the bottom-left corner.',
		displayOptions: { show: { '/model': motionBrushModels } },
	},
];

function readDynamicMasks(ctx: IExecuteFunctions, i: number, opts: IDataObject): IDataObject[] | undefined {
	const field = 'Motion Brush Dynamic Masks (JSON)';
	const raw = opts.dynamicMasks;
	if (raw === undefined || raw === null || raw === '') return undefined;
	let parsed: unknown = raw;
	if (typeof raw === 'string') {
		try {
			parsed = jsonParse(raw);
		} catch {
			throw fieldError(ctx, i, field, 'is not valid JSON');
		}
	}
	if (!Array.isArray(parsed)) throw fieldError(ctx, i, field, 'must be a JSON array of {mask, trajectories}');
	if (parsed.length === 0) return undefined;
	if (parsed.length > 6) throw fieldError(ctx, i, field, `has ${parsed.length} masks, Kling accepts at most 6`);
	return parsed.map((entry, n) => {
		const e = entry as IDataObject;
		if (!e || typeof e !== 'object' || typeof e.mask !== 'string' || !Array.isArray(e.trajectories)) {
			throw fieldError(ctx, i, field, `entry ${n + 1} must look like {"mask": "...", "trajectories": [{"x": 0, "y": 0}, ...]}`);
		}
		const points = e.trajectories as IDataObject[];
		if (points.length < 2 || points.length > 77) throw fieldError(ctx, i, field, `entry ${n + 1} has ${points.length} trajectory points, Kling accepts 2 to 77`);
		const trajectories = points.map((p, k) => {
			const x = Number(p?.x);
			const y = Number(p?.y);
			if (!Number.isInteger(x) || !Number.isInteger(y)) throw fieldError(ctx, i, field, `entry ${n + 1}, point ${k + 1}: x and y must be whole numbers`);
			return { x, y };
		});
		return { mask: resolveInlineMedia(ctx, i, `${field} entry ${n + 1} mask`, 'image', e.mask), trajectories };
	});
}

async function buildBody(ctx: IExecuteFunctions, i: number): Promise<IDataObject> {
	const prompt = readPrompt(ctx, i, false);
	const { body, model } = readVideoModel(ctx, i, MODELS);
	const opts = options(ctx, i);
	const cfgScale = readCfgScale(ctx, i, opts);
	checkCfgSupported(ctx, i, cfgScale, model);
	const cameraControl = readCameraControl(ctx, i, opts, model);
	const staticMaskRaw = optString(opts, 'staticMask');
	const dynamicMasks = readDynamicMasks(ctx, i, opts);
	if ((staticMaskRaw || dynamicMasks) && model && !model.motionBrush) {
		throw fieldError(ctx, i, 'Motion Brush', `is not supported by model ${model.value}`, 'Motion brush is available on kling-v1 and kling-v1-5.');
	}
	const tailType = ctx.getNodeParameter('imageTailInputType', i, 'none') as string;
	// image + image_tail, motion brush and camera control are mutually exclusive (kling-api.md §3.2).
	const groups = [
		tailType !== 'none' ? '"End Frame Image"' : undefined,
		staticMaskRaw || dynamicMasks ? '"Motion Brush"' : undefined,
		cameraControl ? '"Camera Control"' : undefined,
	].filter((g): g is string => g !== undefined);
	if (groups.length > 1) {
		throw new NodeOperationError(ctx.getNode(), `${groups.join(' and ')} cannot be used together`, {
			itemIndex: i,
			description: 'Kling accepts only one of: an end frame (image_tail), a motion brush (static/dynamic masks), or camera control per task.',
		});
	}
	const startType = ctx.getNodeParameter('imageInputType', i, 'url') as string;
	if (startType === 'none') {
		// "At least one of image or image_tail"; end frame alone is a capability of kling-v1-5/v1-6 pro.
		if (tailType === 'none') throw fieldError(ctx, i, 'Start Frame Image', 'is required without an End Frame Image', 'Give a start frame, an end frame, or both.');
		if (model && !model.endFrameOnly) {
			throw fieldError(ctx, i, 'Start Frame Image', `is required by model ${model.value}`, 'An end frame without a start frame works on kling-v1-5 and kling-v1-6 in Professional mode.');
		}
		if (model && body.mode !== 'pro') throw fieldError(ctx, i, 'Mode', `must be Professional for an end frame without a start frame (got "${String(body.mode)}")`);
	}
	const multiShot = readMultiShot(ctx, i, opts, String(body.duration), model);
	const sound = readSound(ctx, i, opts, model, { mode: body.mode, endFrame: tailType !== 'none' });
	const extras = readElementsAndVoices(ctx, i, opts, sound, model);
	const image = await resolveMediaInput(ctx, i, START);
	const tail = await resolveMediaInput(ctx, i, END);
	Object.assign(body, {
		image: image?.value,
		image_tail: tail?.value,
		prompt: multiShot.shot_type === 'customize' ? undefined : prompt,
		negative_prompt: readNegativePrompt(ctx, i, opts),
		cfg_scale: cfgScale,
		static_mask: staticMaskRaw ? resolveInlineMedia(ctx, i, 'Motion Brush Static Mask', 'image', staticMaskRaw) : undefined,
		dynamic_masks: dynamicMasks,
		camera_control: cameraControl,
		sound,
		...multiShot,
		...extras,
	});
	applyWatermark(body, opts);
	return compact(body);
}

export const imageToVideo: CreateOperation = {
	resource: 'video',
	value: 'imageToVideo',
	name: 'Image to Video',
	action: 'Animate an image into a video',
	description: 'Create a Kling video task that animates a start frame (optionally towards an end frame)',
	taskType: 'imageToVideo',
	defaultWaitMinutes: 30,
	properties: [
		...mediaInputProperties(START),
		promptProperty({ required: false, description: 'Optional: describe the motion and scene (at most 2500 characters)' }),
		...videoModelProperties(MODELS, 'kling-v2-5-turbo'),
		...apiStandardProperties('imageToVideo'),
		...mediaInputProperties(END),
	],
	options: [
		negativePromptOption,
		cfgScaleOption(modelsWhere(MODELS, (m) => m.cfgScale)),
		...cameraControlOptions(modelsWhere(MODELS, (m) => m.cameraControl)),
		...motionBrushOptions,
		soundOption(modelsWhere(MODELS, (m) => m.sound)),
		...multiShotOptions(modelsWhere(MODELS, (m) => m.multiShot === true)),
		...elementVoiceOptions(MODELS),
		watermarkOption,
	],
	buildBody,
};
