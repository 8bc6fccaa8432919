// @ts-nocheck
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { mediaInputProperties, resolveMediaInput, type MediaInputSpec } from '../../shared/inputs';
import type { CreateOperation } from '../types';
import { CLASSIC_DURATIONS, CUSTOM_VALUE, checkOneOf, durationOptions, fieldError, modelProperties, readModel, str } from '../fields';
import { DUAL_IMAGE_SCENES, LEGACY_DUAL_SCENES, LEGACY_SINGLE_SCENES, SINGLE_IMAGE_SCENES } from './effectScenes';
import { modeProperty } from './videoModels';

/**
 * Video effects (`/v1/videos/effects`). The current docs (09/2026) take `input.image` for single-image
 * scenes and `input.images` [left, right] for two-image scenes, with no model_name, mode or duration.
 * Only the node's 2025 presets (LEGACY_*) keep their 2025 shape, so saved workflows send what they sent.
 */
const LEGACY_DUAL_MODELS = [
	{ value: 'kling-v1', name: 'Kling V1' },
	{ value: 'kling-v1-5', name: 'Kling V1.5' },
	{ value: 'kling-v1-6', name: 'Kling V1.6', description: 'The only model for the "fight" effect' },
];

const label = (scene: string) => scene.split('_').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' ');
const sceneOptions = (current: readonly string[], legacy: readonly string[], what: string) => [
	...current.map((s) => ({ name: label(s), value: s, description: `Kling effect_scene "${s}"` })),
	...legacy.map((s) => ({ name: `${label(s)} (2025 Preset)`, value: s, description: `Kling effect_scene "${s}"; not in Kling's 2026 list, sent in its 2025 form` })),
	{ name: 'Custom Effect Scene', value: CUSTOM_VALUE, description: `Type any ${what} effect_scene name from the Kling effects list` },
];

const IMAGE: MediaInputSpec = { name: 'image', displayName: 'Image', kind: 'image', description: 'The photo the effect is applied to.' };
const LEFT: MediaInputSpec = { name: 'leftImage', displayName: 'Left Person Image', kind: 'image', description: 'First photo (placed on the left).' };
const RIGHT: MediaInputSpec = { name: 'rightImage', displayName: 'Right Person Image', kind: 'image', description: 'Second photo (placed on the right).' };

const single = { show: { effectInput: ['single'] } };
const dual = { show: { effectInput: ['dual'] } };
const legacyDual = { show: { effectInput: ['dual'], effectScene: [...LEGACY_DUAL_SCENES] } };
const withShow = (props: INodeProperties[], extra: { show: Record<string, string[]> }) =>
	props.map((p) => ({ ...p, displayOptions: { show: { ...(p.displayOptions?.show ?? {}), ...extra.show } } }));

function readScene(ctx: IExecuteFunctions, i: number): string {
	const selected = str(ctx, 'effectScene', i);
	const scene = selected === CUSTOM_VALUE ? str(ctx, 'customEffectScene', i).trim() : selected.trim();
	if (!scene) throw fieldError(ctx, i, selected === CUSTOM_VALUE ? 'Custom Effect Scene' : 'Effect Scene', 'is required', 'Type the effect_scene name from the Kling effects list, e.g. color_mixing.');
	return scene;
}

async function buildBody(ctx: IExecuteFunctions, i: number): Promise<IDataObject> {
	const kind = str(ctx, 'effectInput', i, 'single');
	const scene = readScene(ctx, i);
	if (kind === 'single') {
		if (DUAL_IMAGE_SCENES.includes(scene) || LEGACY_DUAL_SCENES.includes(scene)) {
			throw fieldError(ctx, i, 'Effect Scene', `"${scene}" takes two images`, 'Set "Effect Type" to "Two Images" and provide a left and a right image.');
		}
		const image = await resolveMediaInput(ctx, i, IMAGE);
		const input: IDataObject = { image: image?.value };
		if (LEGACY_SINGLE_SCENES.includes(scene)) input.duration = '5';
		return { effect_scene: scene, input };
	}
	if (SINGLE_IMAGE_SCENES.includes(scene) || LEGACY_SINGLE_SCENES.includes(scene)) {
		throw fieldError(ctx, i, 'Effect Scene', `"${scene}" takes one image`, 'Set "Effect Type" to "One Image".');
	}
	const left = await resolveMediaInput(ctx, i, LEFT);
	const right = await resolveMediaInput(ctx, i, RIGHT);
	const images = [left?.value, right?.value];
	if (!LEGACY_DUAL_SCENES.includes(scene)) return { effect_scene: scene, input: { images } };
	const { value: model } = readModel(ctx, i, LEGACY_DUAL_MODELS);
	if (scene === 'fight' && model !== 'kling-v1-6') throw fieldError(ctx, i, 'Model', `must be kling-v1-6 for the "fight" effect (got ${model})`);
	const mode = str(ctx, 'mode', i, 'std');
	checkOneOf(ctx, i, 'Mode', mode, ['std', 'pro']);
	const duration = str(ctx, 'duration', i, '5');
	checkOneOf(ctx, i, 'Duration', duration, CLASSIC_DURATIONS);
	return { effect_scene: scene, input: { model_name: model, mode, images, duration } };
}

export const applyEffect: CreateOperation = {
	resource: 'video',
	value: 'applyEffect',
	name: 'Apply Effect',
	action: 'Apply a video effect to a photo',
	description: `Create a Kling video effects task from one photo (${SINGLE_IMAGE_SCENES.length} scenes) or two photos (${DUAL_IMAGE_SCENES.length} scenes such as hug_pro)`,
	taskType: 'videoEffects',
	defaultWaitMinutes: 30,
	properties: [
		{
			displayName: 'Effect Type',
			name: 'effectInput',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'One Image', value: 'single', description: 'Effects applied to one photo' },
				{ name: 'Two Images', value: 'dual', description: 'Two-image effects such as hug_pro or kiss_pro, from a left and a right photo' },
			],
			default: 'single',
			description: 'Whether the effect takes one photo or two',
		},
		{
			displayName: 'Effect Scene',
			name: 'effectScene',
			type: 'options',
			options: sceneOptions(SINGLE_IMAGE_SCENES, LEGACY_SINGLE_SCENES, 'single-image'),
			default: 'bloombloom',
			description: 'Which Kling effect to apply (effect_scene)',
			displayOptions: single,
		},
		{
			displayName: 'Effect Scene',
			name: 'effectScene',
			type: 'options',
			options: sceneOptions(DUAL_IMAGE_SCENES, LEGACY_DUAL_SCENES, 'two-image'),
			default: 'heart_gesture',
			description: 'Which two-image Kling effect to apply (effect_scene)',
			displayOptions: dual,
		},
		{
			displayName: 'Custom Effect Scene',
			name: 'customEffectScene',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'color_mixing',
			description: 'The exact effect_scene name from the Kling effects list; it must match the Effect Type (one or two images)',
			displayOptions: { show: { effectScene: [CUSTOM_VALUE] } },
		},
		...mediaInputProperties(IMAGE, single.show),
		...mediaInputProperties(LEFT, dual.show),
		...mediaInputProperties(RIGHT, dual.show),
		...withShow(modelProperties(LEGACY_DUAL_MODELS, 'kling-v1-6', 'renders a 2025 two-person preset'), legacyDual),
		modeProperty({ description: 'Generation mode of a 2025 two-person preset', displayOptions: legacyDual }),
		{
			displayName: 'Duration',
			name: 'duration',
			type: 'options',
			options: durationOptions(CLASSIC_DURATIONS),
			default: '5',
			description: 'Length of the video in seconds (2025 two-person presets only)',
			displayOptions: legacyDual,
		},
	],
	options: [],
	buildBody,
};
