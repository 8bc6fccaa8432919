import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { mediaInputProperties, resolveMediaInput, type MediaInputSpec } from '../../shared/inputs';
import type { CreateOperation } from '../types';
import { CLASSIC_DURATIONS, CUSTOM_VALUE, checkOneOf, compact, durationOptions, fieldError, modelProperties, readModel, str } from '../fields';
import { MODE_LABELS } from './videoModels';

/** A few single-image scenes; Kling adds scenes all the time, so any name can be typed as a custom scene. */
export const SINGLE_IMAGE_SCENES = ['bloombloom', 'dizzydizzy', 'expansion', 'fuzzyfuzzy', 'squish'];
/** Two-person scenes; several were discontinued by Kling in 2026 but still documented. */
export const DUAL_IMAGE_SCENES = ['heart_gesture', 'hug', 'kiss', 'fight'];
const DUAL_MODELS = [
	{ value: 'kling-v1', name: 'Kling V1' },
	{ value: 'kling-v1-5', name: 'Kling V1.5' },
	{ value: 'kling-v1-6', name: 'Kling V1.6', description: 'The only model for the "fight" effect' },
];

const label = (scene: string) => scene.split('_').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' ');
const SINGLE_SCENE_OPTIONS = [
	...SINGLE_IMAGE_SCENES.map((s) => ({ name: label(s), value: s, description: `Kling effect_scene "${s}"` })),
	{ name: 'Custom Effect Scene', value: CUSTOM_VALUE, description: 'Type any effect_scene name from the Kling effects list' },
];
const DUAL_SCENE_OPTIONS = [
	...DUAL_IMAGE_SCENES.map((s) => ({ name: label(s), value: s, description: `Kling effect_scene "${s}"` })),
	{ name: 'Custom Effect Scene', value: CUSTOM_VALUE, description: 'Type any two-person effect_scene name from the Kling effects list' },
];
const DEFAULT_SINGLE_SCENE = SINGLE_IMAGE_SCENES[0];
const DEFAULT_DUAL_SCENE = DUAL_IMAGE_SCENES[0];

const IMAGE: MediaInputSpec = { name: 'image', displayName: 'Image', kind: 'image', description: 'The photo the effect is applied to.' };
const LEFT: MediaInputSpec = { name: 'leftImage', displayName: 'Left Person Image', kind: 'image', description: 'Photo of the person on the left.' };
const RIGHT: MediaInputSpec = { name: 'rightImage', displayName: 'Right Person Image', kind: 'image', description: 'Photo of the person on the right.' };

const single = { show: { effectInput: ['single'] } };
const dual = { show: { effectInput: ['dual'] } };
const withShow = (props: INodeProperties[], extra: { show: Record<string, string[]> }) =>
	props.map((p) => ({ ...p, displayOptions: { show: { ...(p.displayOptions?.show ?? {}), ...extra.show } } }));

function readScene(ctx: IExecuteFunctions, i: number): string {
	const selected = str(ctx, 'effectScene', i);
	const scene = selected === CUSTOM_VALUE ? str(ctx, 'customEffectScene', i).trim() : selected.trim();
	if (!scene) throw fieldError(ctx, i, selected === CUSTOM_VALUE ? 'Custom Effect Scene' : 'Effect Scene', 'is required', 'Type the effect_scene name from the Kling effects list, e.g. bloombloom.');
	return scene;
}

async function buildBody(ctx: IExecuteFunctions, i: number): Promise<IDataObject> {
	const kind = str(ctx, 'effectInput', i, 'single');
	const scene = readScene(ctx, i);
	if (kind === 'single') {
		if (DUAL_IMAGE_SCENES.includes(scene)) {
			throw fieldError(ctx, i, 'Effect Scene', `"${scene}" needs two people`, 'Set "Effect Type" to "Two People" and provide a left and a right image.');
		}
		const image = await resolveMediaInput(ctx, i, IMAGE);
		return { effect_scene: scene, input: { image: image?.value, duration: '5' } };
	}
	const { value: model } = readModel(ctx, i, DUAL_MODELS);
	if (scene === 'fight' && model !== 'kling-v1-6') throw fieldError(ctx, i, 'Model', `must be kling-v1-6 for the "fight" effect (got ${model})`);
	const mode = str(ctx, 'mode', i, 'std');
	checkOneOf(ctx, i, 'Mode', mode, ['std', 'pro']);
	const duration = str(ctx, 'duration', i, '5');
	checkOneOf(ctx, i, 'Duration', duration, CLASSIC_DURATIONS);
	const left = await resolveMediaInput(ctx, i, LEFT);
	const right = await resolveMediaInput(ctx, i, RIGHT);
	return { effect_scene: scene, input: compact({ model_name: model, mode, images: [left?.value, right?.value], duration }) };
}

export const applyEffect: CreateOperation = {
	resource: 'video',
	value: 'applyEffect',
	name: 'Apply Effect',
	action: 'Apply a video effect to a photo',
	description: 'Create a Kling video effects task (e.g. bloombloom, squish) from one photo, or a two-person effect from two photos',
	taskType: 'videoEffects',
	defaultWaitMinutes: 30,
	properties: [
		{
			displayName: 'Effect Type',
			name: 'effectInput',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'One Image', value: 'single', description: 'Effects applied to one photo (5 s video)' },
				{ name: 'Two People', value: 'dual', description: 'Two-person effects such as heart_gesture, from a left and a right photo' },
			],
			default: 'single',
			description: 'Whether the effect takes one photo or two photos of people',
		},
		{
			displayName: 'Effect Scene',
			name: 'effectScene',
			type: 'options',
			options: SINGLE_SCENE_OPTIONS,
			default: DEFAULT_SINGLE_SCENE,
			description: 'Which Kling effect to apply',
			displayOptions: single,
		},
		{
			displayName: 'Effect Scene',
			name: 'effectScene',
			type: 'options',
			options: DUAL_SCENE_OPTIONS,
			default: DEFAULT_DUAL_SCENE,
			description: 'Which two-person Kling effect to apply (Kling retired hug, kiss and fight in 2026)',
			displayOptions: dual,
		},
		{
			displayName: 'Custom Effect Scene',
			name: 'customEffectScene',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'bloombloom',
			description: 'The exact effect_scene name from the Kling effects list',
			displayOptions: { show: { effectScene: [CUSTOM_VALUE] } },
		},
		...withShow(mediaInputProperties(IMAGE), single),
		...withShow(mediaInputProperties(LEFT), dual),
		...withShow(mediaInputProperties(RIGHT), dual),
		...withShow(modelProperties(DUAL_MODELS, 'kling-v1-6', 'renders the two-person effect'), dual),
		{
			displayName: 'Mode',
			name: 'mode',
			type: 'options',
			options: (['std', 'pro'] as const).map((v) => ({ name: MODE_LABELS[v].name, value: v, description: MODE_LABELS[v].description })),
			default: 'std',
			description: 'Generation mode: Standard is faster, Professional has higher quality',
			displayOptions: dual,
		},
		{
			displayName: 'Duration',
			name: 'duration',
			type: 'options',
			options: durationOptions(CLASSIC_DURATIONS),
			default: '5',
			description: 'Length of the video in seconds',
			displayOptions: dual,
		},
	],
	options: [],
	buildBody,
};
