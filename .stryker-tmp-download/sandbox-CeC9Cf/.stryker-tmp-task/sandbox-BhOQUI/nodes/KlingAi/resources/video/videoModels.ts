/**
 * Model capabilities of the text/image-to-video endpoints (kling-api.md §3.1, §3.2, §3.12) and the
 * fields that depend on them: mode, duration, CFG scale, camera control, sound.
 */
// @ts-nocheck

import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import {
	CLASSIC_DURATIONS,
	CUSTOM_MODEL,
	V3_DURATIONS,
	checkMaxLength,
	checkOneOf,
	checkRange,
	durationOptions,
	fieldError,
	modelProperties,
	elementList,
	modelsWhere,
	optString,
	readIdList,
	readModel,
	str,
	type ModelInfo,
} from '../fields';

export type VideoMode = 'std' | 'pro' | '4k';

export interface VideoModel extends ModelInfo {
	/** Accepted `mode` values; null = the model takes no mode parameter. */
	modes: readonly VideoMode[] | null;
	/** Durations 3–15 s (kling-v3) instead of 5/10 s. */
	longDurations: boolean;
	cfgScale: boolean;
	cameraControl: boolean;
	sound: boolean;
	motionBrush?: boolean;
	/**
	 * Sound "on" only in pro mode, and not with an end frame (kling-v2-6: std "only no audio", start/end
	 * frame "pro, only no audio" in the capability map, kling-api-2026.md §4.1.5).
	 */
	soundProOnly?: boolean;
	/** End frame without a start frame (capability map "end frame": kling-v1-5 and kling-v1-6, pro). */
	endFrameOnly?: boolean;
	/** Multi-shot (`multi_shot`, `shot_type`, `multi_prompt`): kling-v3. */
	multiShot?: boolean;
	/** Most `element_list` entries (image to video; kling-v3: 3). */
	maxElements?: number;
	/** Most `voice_list` entries (image to video; kling-v2-6: 2, needs sound on). */
	maxVoices?: number;
}

const STD_PRO: readonly VideoMode[] = ['std', 'pro'];
const WITH_4K: readonly VideoMode[] = ['std', 'pro', '4k'];

export const MODE_LABELS: Record<VideoMode, { name: string; description: string }> = {
	std: { name: 'Standard', description: 'Faster and cheaper (mode "std")' },
	pro: { name: 'Professional', description: 'Higher quality, slower (mode "pro")' },
	'4k': { name: '4K', description: '4K output, kling-v3 only (mode "4k")' },
};

/** A Mode parameter offering `values` (std/pro unless given). */
export function modeProperty(
	o: { values?: readonly VideoMode[]; default?: VideoMode; description?: string; displayOptions?: INodeProperties['displayOptions'] } = {},
): INodeProperties {
	const property: INodeProperties = {
		displayName: 'Mode',
		name: 'mode',
		type: 'options',
		options: (o.values ?? ['std', 'pro']).map((v) => ({ name: MODE_LABELS[v].name, value: v, description: MODE_LABELS[v].description })),
		default: 'std',
		description: o.description ?? 'Generation mode: Standard is faster, Professional has higher quality',
	};
	if (o.default) property.default = o.default;
	if (o.displayOptions) property.displayOptions = o.displayOptions;
	return property;
}

const model = (value: string, name: string, caps: Partial<VideoModel> = {}): VideoModel => ({
	value,
	name,
	modes: STD_PRO,
	longDurations: false,
	cfgScale: false,
	cameraControl: false,
	sound: false,
	...caps,
});

/** The capability map (DOC-26 L894–1050, kling-api-2026.md §3.12, §4.1, b.1): which fields each model takes. */
export const TEXT_TO_VIDEO_MODELS: readonly VideoModel[] = [
	model('kling-v1', 'Kling V1', { cfgScale: true, cameraControl: true }),
	model('kling-v1-6', 'Kling V1.6', { cfgScale: true }),
	model('kling-v2-master', 'Kling V2 Master', { modes: null }),
	model('kling-v2-1-master', 'Kling V2.1 Master'),
	model('kling-v2-5-turbo', 'Kling V2.5 Turbo'),
	model('kling-v2-6', 'Kling V2.6', { sound: true, soundProOnly: true }),
	model('kling-v3', 'Kling V3', { modes: WITH_4K, longDurations: true, sound: true, multiShot: true }),
	// New standard only (shared/newStandard.ts): Mode Standard = 720p, Professional = 1080p; custom shots go into the prompt.
	model('kling-3.0-turbo', 'Kling 3.0 Turbo (API Key Only)', { longDurations: true, multiShot: true }),
];

export const IMAGE_TO_VIDEO_MODELS: readonly VideoModel[] = [
	model('kling-v1', 'Kling V1', { cfgScale: true, cameraControl: true, motionBrush: true }),
	model('kling-v1-5', 'Kling V1.5', { cfgScale: true, cameraControl: true, motionBrush: true, endFrameOnly: true }),
	model('kling-v1-6', 'Kling V1.6', { cfgScale: true, endFrameOnly: true }),
	model('kling-v2-master', 'Kling V2 Master', { modes: null }),
	model('kling-v2-1', 'Kling V2.1'),
	model('kling-v2-1-master', 'Kling V2.1 Master'),
	model('kling-v2-5-turbo', 'Kling V2.5 Turbo'),
	model('kling-v2-6', 'Kling V2.6', { sound: true, soundProOnly: true, maxVoices: 2 }),
	model('kling-v3', 'Kling V3', { modes: WITH_4K, longDurations: true, sound: true, multiShot: true, maxElements: 3 }),
	model('kling-3.0-turbo', 'Kling 3.0 Turbo (API Key Only)', { longDurations: true, multiShot: true }),
];

/** Model, custom model, mode and duration: mode/duration options follow the selected model. */
export function videoModelProperties(models: readonly VideoModel[], defaultModel: string): INodeProperties[] {
	const modeVariants = new Map<string, string[]>();
	for (const m of models) {
		if (!m.modes) continue;
		const key = m.modes.join(',');
		modeVariants.set(key, [...(modeVariants.get(key) ?? []), m.value]);
	}
	// The custom model shows the widest mode list.
	const widest = [...modeVariants.keys()].sort((a, b) => b.length - a.length)[0];
	modeVariants.set(widest, [...(modeVariants.get(widest) ?? []), CUSTOM_MODEL]);
	const modeProps: INodeProperties[] = [...modeVariants.entries()].map(([key, shownFor]) =>
		modeProperty({ values: key.split(',') as VideoMode[], displayOptions: { show: { model: shownFor } } }),
	);
	const long = modelsWhere(models, (m) => m.longDurations);
	const classic = models.filter((m) => !m.longDurations).map((m) => m.value);
	return [
		...modelProperties(models, defaultModel, 'generates the video. Mode, duration and the available options follow the model.'),
		...modeProps,
		{
			displayName: 'Duration',
			name: 'duration',
			type: 'options',
			options: durationOptions(CLASSIC_DURATIONS),
			default: '5',
			description: 'Length of the video in seconds',
			displayOptions: { show: { model: classic } },
		},
		{
			displayName: 'Duration',
			name: 'duration',
			type: 'options',
			options: durationOptions(V3_DURATIONS),
			default: '5',
			description: 'Length of the video in seconds (3 to 15 s on kling-v3; other models accept 5 or 10)',
			displayOptions: { show: { model: long } },
		},
	];
}

/** model_name, mode and duration after checking them against the model's capabilities. */
export function readVideoModel(ctx: IExecuteFunctions, itemIndex: number, models: readonly VideoModel[]): { body: IDataObject; model?: VideoModel } {
	const { value, known } = readModel(ctx, itemIndex, models);
	const body: IDataObject = { model_name: value };
	const modes = known ? known.modes : WITH_4K;
	if (modes) {
		const mode = str(ctx, 'mode', itemIndex, 'std');
		checkOneOf(ctx, itemIndex, 'Mode', mode, modes, known ? `model ${value} supports ${modes.join(', ')}` : '');
		body.mode = mode;
	}
	const duration = str(ctx, 'duration', itemIndex, '5');
	const durations = known && !known.longDurations ? CLASSIC_DURATIONS : V3_DURATIONS;
	checkOneOf(ctx, itemIndex, 'Duration', duration, durations, known ? `model ${value} supports ${durations.join(', ')} seconds` : '');
	body.duration = duration;
	return { body, model: known };
}

// ------------------------------------------------------------------ options that depend on the model

export const CAMERA_AXES = ['horizontal', 'vertical', 'pan', 'tilt', 'roll', 'zoom'] as const;

const AXIS_HELP: Record<(typeof CAMERA_AXES)[number], string> = {
	horizontal: 'Move along the x-axis (negative = left, positive = right)',
	vertical: 'Move along the y-axis (negative = down, positive = up)',
	pan: 'Rotate horizontally (negative = left, positive = right)',
	tilt: 'Rotate vertically (negative = down, positive = up)',
	roll: 'Rotate around the lens axis (negative = counter-clockwise)',
	zoom: 'Change the focal length (negative = zoom in, positive = zoom out)',
};

export function cameraControlOptions(modelsShown: string[]): INodeProperties[] {
	return [
		{
			displayName: 'Camera Control',
			name: 'cameraControlType',
			type: 'options',
			options: [
				{ name: 'Down Back', value: 'down_back', description: 'Camera descends and moves backward' },
				{ name: 'Forward Up', value: 'forward_up', description: 'Camera moves forward and tilts up' },
				{ name: 'Left Turn Forward', value: 'left_turn_forward', description: 'Rotate left, then move forward' },
				{ name: 'Right Turn Forward', value: 'right_turn_forward', description: 'Rotate right, then move forward' },
				{ name: 'Simple (One Movement)', value: 'simple', description: 'Set exactly one of the six movements below' },
			],
			default: 'simple',
			description: 'Predefined camera movement (camera_control.type)',
			displayOptions: { show: { '/model': modelsShown } },
		},
		{
			displayName: 'Camera Movement',
			name: 'cameraConfig',
			type: 'fixedCollection',
			default: {},
			placeholder: 'Set Movement',
			description: 'For "Simple": exactly one of the six values must be non-zero, each between -10 and 10',
			displayOptions: { show: { '/model': modelsShown, cameraControlType: ['simple'] } },
			options: [
				{
					displayName: 'Movement',
					name: 'values',
					values: CAMERA_AXES.map((axis) => ({
						displayName: axis.charAt(0).toUpperCase() + axis.slice(1),
						name: axis,
						type: 'number' as const,
						typeOptions: { minValue: -10, maxValue: 10, numberPrecision: 1 },
						default: 0,
						description: AXIS_HELP[axis],
					})),
				},
			],
		},
	];
}

export function readCameraControl(ctx: IExecuteFunctions, itemIndex: number, opts: IDataObject, model?: VideoModel): IDataObject | undefined {
	const type = optString(opts, 'cameraControlType');
	if (!type) return undefined;
	if (model && !model.cameraControl) {
		throw fieldError(ctx, itemIndex, 'Camera Control', `is not supported by model ${model.value}`, 'Camera control is available on kling-v1 (and kling-v1-5 for image to video).');
	}
	checkOneOf(ctx, itemIndex, 'Camera Control', type, ['simple', 'down_back', 'forward_up', 'right_turn_forward', 'left_turn_forward']);
	if (type !== 'simple') return { type };
	const values = ((opts.cameraConfig as IDataObject | undefined)?.values ?? {}) as IDataObject;
	const config: IDataObject = {};
	let nonZero = 0;
	for (const axis of CAMERA_AXES) {
		const v = values[axis] === undefined || values[axis] === '' ? 0 : Number(values[axis]);
		checkRange(ctx, itemIndex, `Camera Movement ${axis}`, v, -10, 10);
		if (v !== 0) nonZero++;
		config[axis] = v;
	}
	if (nonZero !== 1) {
		throw fieldError(
			ctx,
			itemIndex,
			'Camera Movement',
			`must have exactly one non-zero value for "Simple" camera control (got ${nonZero})`,
			`Set one of ${CAMERA_AXES.join(', ')} to a value between -10 and 10 and leave the others at 0, or pick a predefined movement.`,
		);
	}
	return { type, config };
}

export function soundOption(modelsShown: string[]): INodeProperties {
	return {
		displayName: 'Generate Sound',
		name: 'sound',
		type: 'boolean',
		default: false,
		description: 'Whether to generate audio with the video (kling-v2-6 and kling-v3)',
		displayOptions: { show: { '/model': modelsShown } },
	};
}

export function readSound(
	ctx: IExecuteFunctions,
	itemIndex: number,
	opts: IDataObject,
	model?: VideoModel,
	context: { mode?: unknown; endFrame?: boolean } = {},
): string | undefined {
	if (opts.sound === undefined) return undefined;
	const on = opts.sound === true;
	if (on && model && !model.sound) throw fieldError(ctx, itemIndex, 'Generate Sound', `is not supported by model ${model.value}`, 'Sound is available on kling-v2-6 and kling-v3.');
	if (on && model?.soundProOnly) {
		if (context.mode !== 'pro') {
			throw fieldError(ctx, itemIndex, 'Generate Sound', `needs Mode "Professional" on ${model.value} (got "${String(context.mode)}")`, `Kling's capability map: ${model.value} in std mode makes silent videos only.`);
		}
		if (context.endFrame) {
			throw fieldError(ctx, itemIndex, 'Generate Sound', `cannot be combined with an end frame on ${model.value}`, `Kling's capability map: start/end frame on ${model.value} is silent only.`);
		}
	}
	return on ? 'on' : 'off';
}

// ------------------------------------------------------------------ multi-shot (kling-v3)

export const MAX_SHOTS = 6;
export const MAX_SHOT_PROMPT = 512;

export function multiShotOptions(modelsShown: string[]): INodeProperties[] {
	const show = { show: { '/model': modelsShown } };
	return [
		{
			displayName: 'Multi-Shot',
			name: 'multiShot',
			type: 'options',
			options: [
				{ name: 'Off', value: 'off', description: 'One continuous shot' },
				{ name: 'Custom Shots', value: 'customize', description: 'Up to 6 shots, each with its own prompt and duration (the Prompt field is not used)' },
				{ name: 'Intelligent', value: 'intelligence', description: 'Kling splits the Prompt into shots itself' },
			],
			default: 'off',
			description: 'Generate several shots in one video (multi_shot, shot_type), kling-v3 only',
			displayOptions: show,
		},
		{
			displayName: 'Shots',
			name: 'shots',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true, maxAllowedFields: MAX_SHOTS },
			default: {},
			placeholder: 'Add Shot',
			description: `For "Custom Shots": 1 to ${MAX_SHOTS} shots in order; their durations must add up to the video's Duration`,
			displayOptions: { show: { '/model': modelsShown, multiShot: ['customize'] } },
			options: [
				{
					displayName: 'Shot',
					name: 'shot',
					values: [
						{ displayName: 'Prompt', name: 'prompt', type: 'string', default: '', description: `What happens in this shot (at most ${MAX_SHOT_PROMPT} characters)` },
						{ displayName: 'Duration (Seconds)', name: 'duration', type: 'number', typeOptions: { minValue: 1, maxValue: 15 }, default: 5, description: 'Length of this shot, at least 1 second' },
					],
				},
			],
		},
	];
}

/** `multi_shot`/`shot_type`/`multi_prompt`, checked: ≤6 shots, each ≥1 s, durations add up to `duration`. */
export function readMultiShot(ctx: IExecuteFunctions, itemIndex: number, opts: IDataObject, duration: string, model?: VideoModel): IDataObject {
	const type = optString(opts, 'multiShot') ?? 'off';
	if (type === 'off') return {};
	checkOneOf(ctx, itemIndex, 'Multi-Shot', type, ['customize', 'intelligence']);
	if (model && !model.multiShot) throw fieldError(ctx, itemIndex, 'Multi-Shot', `is not supported by model ${model.value}`, 'Multi-shot is available on kling-v3.');
	if (type === 'intelligence') return { multi_shot: true, shot_type: 'intelligence' };
	const shots = (((opts.shots as IDataObject | undefined)?.shot ?? []) as IDataObject[]).filter((s) => s && typeof s === 'object');
	if (shots.length === 0) throw fieldError(ctx, itemIndex, 'Shots', 'are required for "Custom Shots"', `Add 1 to ${MAX_SHOTS} shots, each with a prompt and a duration.`);
	if (shots.length > MAX_SHOTS) throw fieldError(ctx, itemIndex, 'Shots', `has ${shots.length} shots, Kling accepts at most ${MAX_SHOTS}`);
	let total = 0;
	const multiPrompt = shots.map((shot, n) => {
		const prompt = String(shot.prompt ?? '').trim();
		if (!prompt) throw fieldError(ctx, itemIndex, `Shots: Shot ${n + 1} Prompt`, 'is required');
		checkMaxLength(ctx, itemIndex, `Shots: Shot ${n + 1} Prompt`, prompt, MAX_SHOT_PROMPT);
		const seconds = Number(shot.duration);
		checkRange(ctx, itemIndex, `Shots: Shot ${n + 1} Duration (Seconds)`, seconds, 1, 15, true);
		total += seconds;
		return { index: n + 1, prompt, duration: String(seconds) };
	});
	if (total !== Number(duration)) {
		throw fieldError(ctx, itemIndex, 'Shots', `durations add up to ${total} s, but Duration is ${duration} s`, 'Kling needs the shot durations to add up to the video duration exactly.');
	}
	return { multi_shot: true, shot_type: 'customize', multi_prompt: multiPrompt };
}

export function checkCfgSupported(ctx: IExecuteFunctions, itemIndex: number, cfg: number | undefined, model?: VideoModel): void {
	if (cfg !== undefined && model && !model.cfgScale) {
		throw fieldError(ctx, itemIndex, 'CFG Scale', `is not supported by model ${model.value}`, 'Kling v2.x and newer models do not take cfg_scale; remove the option.');
	}
}

// ------------------------------------------------------------------ elements and voices (image to video)

export function elementVoiceOptions(models: readonly VideoModel[]): INodeProperties[] {
	return [
		{
			displayName: 'Element IDs',
			name: 'elementIds',
			type: 'string',
			default: '',
			placeholder: '829836802793406551, 829836802793406552',
			description:
				'Up to 3 Kling element IDs (element_list, kling-v3), separated by commas; refer to them in the prompt as &lt;&lt;&lt;element_1&gt;&gt;&gt;, &lt;&lt;&lt;element_2&gt;&gt;&gt;. Cannot be combined with Voice IDs.',
			displayOptions: { show: { '/model': modelsWhere(models, (m) => (m.maxElements ?? 0) > 0) } },
		},
		{
			displayName: 'Voice IDs',
			name: 'voiceIds',
			type: 'string',
			default: '',
			placeholder: 'ID1, ID2',
			description:
				'Up to 2 voice IDs from Kling custom voices (voice_list, kling-v2-6; not the lip-sync voice IDs), separated by commas; refer to them in the prompt as &lt;&lt;&lt;voice_1&gt;&gt;&gt;. Needs Generate Sound on.',
			displayOptions: { show: { '/model': modelsWhere(models, (m) => (m.maxVoices ?? 0) > 0) } },
		},
	];
}

/** `element_list` / `voice_list`, checked against the model's limits; ids stay strings (64-bit). */
export function readElementsAndVoices(ctx: IExecuteFunctions, itemIndex: number, opts: IDataObject, sound: string | undefined, model?: VideoModel): IDataObject {
	const elements = readIdList(ctx, itemIndex, 'Element IDs', opts.elementIds, model ? (model.maxElements ?? 0) || 3 : 3, { integer: true });
	const voices = readIdList(ctx, itemIndex, 'Voice IDs', opts.voiceIds, model ? (model.maxVoices ?? 0) || 2 : 2);
	if (elements && model && !model.maxElements) throw fieldError(ctx, itemIndex, 'Element IDs', `are not supported by model ${model.value}`, 'Elements are available on kling-v3.');
	if (voices && model && !model.maxVoices) throw fieldError(ctx, itemIndex, 'Voice IDs', `are not supported by model ${model.value}`, 'Voices are available on kling-v2-6.');
	if (elements && voices) throw fieldError(ctx, itemIndex, 'Voice IDs', 'cannot be combined with Element IDs', 'Kling accepts element_list or voice_list, not both.');
	if (voices && sound !== 'on') throw fieldError(ctx, itemIndex, 'Voice IDs', 'need Generate Sound on', 'Kling speaks the voices only when sound is generated (sound "on").');
	return { element_list: elementList(elements), voice_list: voices?.map((voice_id) => ({ voice_id })) };
}
