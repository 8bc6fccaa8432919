/**
 * Field builders and parameter readers shared by the operation description files.
 * Errors name the field as the user sees it ("Prompt", "CFG Scale") and say what Kling accepts.
 */
// @ts-nocheck

import {
	NodeOperationError,
	type IDataObject,
	type IDisplayOptions,
	type IExecuteFunctions,
	type INodeProperties,
	type INodePropertyOptions,
} from 'n8n-workflow';
import { isLongId, jsonInteger } from '../shared/json';

export const MAX_PROMPT_LENGTH = 2500;
export const CUSTOM_MODEL = 'custom';
export const CUSTOM_VALUE = 'custom';

/** A NodeOperationError for a bad parameter; `field` is the UI name and starts the message. */
export function fieldError(ctx: IExecuteFunctions, itemIndex: number, field: string, problem: string, description?: string): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), `"${field}" ${problem}`, { itemIndex, description });
}

export function checkMaxLength(ctx: IExecuteFunctions, itemIndex: number, field: string, value: string | undefined, max: number): void {
	if (value === undefined) return;
	const length = [...value].length;
	if (length > max) throw fieldError(ctx, itemIndex, field, `is too long: ${length} characters, Kling accepts at most ${max}`);
}

export function checkRange(
	ctx: IExecuteFunctions,
	itemIndex: number,
	field: string,
	value: number | undefined,
	min: number,
	max: number,
	integer = false,
): void {
	if (value === undefined) return;
	if (typeof value !== 'number' || !Number.isFinite(value)) throw fieldError(ctx, itemIndex, field, `must be a number (got ${JSON.stringify(value)})`);
	if (integer && !Number.isInteger(value)) throw fieldError(ctx, itemIndex, field, `must be a whole number (got ${value})`);
	if (value < min || value > max) throw fieldError(ctx, itemIndex, field, `must be between ${min} and ${max} (got ${value})`);
}

export function checkOneOf(ctx: IExecuteFunctions, itemIndex: number, field: string, value: string, allowed: readonly string[], why = ''): void {
	if (!allowed.includes(value)) {
		throw fieldError(ctx, itemIndex, field, `must be one of ${allowed.join(', ')} (got "${value}")${why ? `: ${why}` : ''}`);
	}
}

export function str(ctx: IExecuteFunctions, name: string, itemIndex: number, fallback = ''): string {
	const v = ctx.getNodeParameter(name, itemIndex, fallback);
	return v === undefined || v === null ? '' : String(v);
}

export function num(ctx: IExecuteFunctions, name: string, itemIndex: number, fallback = 0): number {
	return ctx.getNodeParameter(name, itemIndex, fallback) as number;
}

export function options(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	return (ctx.getNodeParameter('options', itemIndex, {}) as IDataObject) ?? {};
}

/** A trimmed non-empty string from the Options collection, or undefined. */
export function optString(opts: IDataObject, key: string): string | undefined {
	const v = opts[key];
	if (v === undefined || v === null) return undefined;
	const s = String(v);
	return s.trim() === '' ? undefined : s;
}

export function optNumber(opts: IDataObject, key: string): number | undefined {
	const v = opts[key];
	if (v === undefined || v === null || v === '') return undefined;
	return typeof v === 'number' ? v : Number(v);
}

// ------------------------------------------------------------------ models

export interface ModelInfo {
	value: string;
	name: string;
	description?: string;
}

/** Values of `models` that satisfy `test`, plus the custom escape (which shows every field). */
export function modelsWhere<T extends ModelInfo>(models: readonly T[], test: (m: T) => boolean): string[] {
	return [...models.filter(test).map((m) => m.value), CUSTOM_MODEL];
}

export function modelProperties(models: readonly ModelInfo[], defaultModel: string, what: string): INodeProperties[] {
	const opts: INodePropertyOptions[] = models.map((m) => ({ name: m.name, value: m.value, description: m.description ?? `model_name "${m.value}"` }));
	opts.push({ name: 'Custom Model Name', value: CUSTOM_MODEL, description: 'Type a model_name that is not listed yet (all options are shown)' });
	return [
		{
			displayName: 'Model',
			name: 'model',
			type: 'options',
			options: opts,
			default: defaultModel,
			description: `Kling model that ${what}`,
		},
		{
			displayName: 'Custom Model Name',
			name: 'customModel',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'kling-v3',
			description: 'The exact model_name Kling expects, for models released after this node',
			displayOptions: { show: { model: [CUSTOM_MODEL] } },
		},
	];
}

/**
 * Model properties whose default depends on the node version (`{ 1: 'old-default', 2: 'new-default' }`): one
 * Model property per version (same name, shown for its version only) and one Custom Model Name.
 */
export function versionedModelProperties(models: readonly ModelInfo[], defaults: Readonly<Record<number, string>>, what: string): INodeProperties[] {
	const versions = Object.keys(defaults).map(Number).sort((a, b) => a - b);
	const [model, custom] = modelProperties(models, defaults[versions[0]], what);
	const perVersion = versions.map((v, i) => ({
		...model,
		default: defaults[v],
		displayOptions: { show: { '@version': i === versions.length - 1 ? [{ _cnd: { gte: v } }] : [v] } },
	}));
	return [...perVersion, custom];
}

/** The model_name to send, and whether it is one of the listed models. */
export function readModel<T extends ModelInfo>(ctx: IExecuteFunctions, itemIndex: number, models: readonly T[]): { value: string; known?: T } {
	const selected = str(ctx, 'model', itemIndex);
	if (selected === CUSTOM_MODEL) {
		const custom = str(ctx, 'customModel', itemIndex).trim();
		if (!custom) throw fieldError(ctx, itemIndex, 'Custom Model Name', 'is empty', 'Type the model_name, e.g. kling-v3, or pick a listed model.');
		return { value: custom, known: models.find((m) => m.value === custom) };
	}
	const known = models.find((m) => m.value === selected);
	if (!known) throw fieldError(ctx, itemIndex, 'Model', `has an unknown value "${selected}"`, 'Pick a listed model or "Custom Model Name".');
	return { value: selected, known };
}

// ------------------------------------------------------------------ common fields

export function promptProperty(opts: { required: boolean; description?: string; displayName?: string }): INodeProperties {
	return {
		displayName: opts.displayName ?? 'Prompt',
		name: 'prompt',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: opts.required,
		placeholder: 'A red fox running through fresh snow at sunrise, cinematic',
		description: opts.description ?? `What to generate, in plain words (at most ${MAX_PROMPT_LENGTH} characters)`,
	};
}

export function readPrompt(ctx: IExecuteFunctions, itemIndex: number, required: boolean, field = 'Prompt'): string | undefined {
	const prompt = str(ctx, 'prompt', itemIndex);
	if (!prompt.trim()) {
		if (required) throw fieldError(ctx, itemIndex, field, 'is required', 'Describe what Kling should generate.');
		return undefined;
	}
	checkMaxLength(ctx, itemIndex, field, prompt, MAX_PROMPT_LENGTH);
	return prompt;
}

export const negativePromptOption: INodeProperties = {
	displayName: 'Negative Prompt',
	name: 'negativePrompt',
	type: 'string',
	typeOptions: { rows: 2 },
	default: '',
	description: `What to avoid in the result (at most ${MAX_PROMPT_LENGTH} characters)`,
};

export function readNegativePrompt(ctx: IExecuteFunctions, itemIndex: number, opts: IDataObject): string | undefined {
	const value = optString(opts, 'negativePrompt');
	checkMaxLength(ctx, itemIndex, 'Negative Prompt', value, MAX_PROMPT_LENGTH);
	return value;
}

export function cfgScaleOption(modelsShown?: string[]): INodeProperties {
	return {
		displayName: 'CFG Scale',
		name: 'cfgScale',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
		default: 0.5,
		description: 'How strictly the video follows the prompt, 0 to 1 (higher = closer). Not supported by kling-v2.x models.',
		...(modelsShown ? { displayOptions: { show: { '/model': modelsShown } } } : {}),
	};
}

export function readCfgScale(ctx: IExecuteFunctions, itemIndex: number, opts: IDataObject): number | undefined {
	const value = optNumber(opts, 'cfgScale');
	checkRange(ctx, itemIndex, 'CFG Scale', value, 0, 1);
	return value;
}

export const watermarkOption: INodeProperties = {
	displayName: 'Watermarked Copy',
	name: 'watermark',
	type: 'boolean',
	default: false,
	description: 'Whether Kling should also produce a watermarked copy of the result (returned as watermarkUrl)',
};

export function applyWatermark(body: IDataObject, opts: IDataObject): void {
	if (opts.watermark !== undefined) body.watermark_info = { enabled: opts.watermark === true };
}

export const VIDEO_ASPECT_RATIOS: INodePropertyOptions[] = [
	{ name: '16:9 (Landscape)', value: '16:9' },
	{ name: '9:16 (Portrait)', value: '9:16' },
	{ name: '1:1 (Square)', value: '1:1' },
];

export const CLASSIC_DURATIONS = ['5', '10'] as const;
export const V3_DURATIONS = ['3', '4', '5', '6', '7', '8', '9', '10', '11', '12', '13', '14', '15'] as const;

export function durationOptions(values: readonly string[]): INodePropertyOptions[] {
	return values.map((v) => ({ name: `${v} Seconds`, value: v }));
}

/** Drop undefined values so the body only carries what the user set. */
export function compact(body: IDataObject): IDataObject {
	for (const key of Object.keys(body)) if (body[key] === undefined) delete body[key];
	return body;
}

// ------------------------------------------------------------------ ids

/**
 * A list of ids typed as a comma/space/newline separated string (or an array from an expression).
 * Kling's element ids are 64-bit (`long`): they stay strings here and are sent with jsonInteger(), so
 * a number from an expression that has already lost digits (> 2^53) is refused instead of sent wrong.
 */
export function readIdList(
	ctx: IExecuteFunctions,
	itemIndex: number,
	field: string,
	raw: unknown,
	max: number,
	opts: { integer?: boolean } = {},
): string[] | undefined {
	if (raw === undefined || raw === null || raw === '') return undefined;
	const parts: unknown[] = Array.isArray(raw) ? raw : String(raw).split(/[\s,;]+/);
	const ids = parts.map((p) => {
		if (typeof p === 'number') {
			if (!Number.isSafeInteger(p)) {
				throw fieldError(ctx, itemIndex, field, `has the number ${p}, which has lost digits`, 'Pass 64-bit ids as text (a string), e.g. "829836802793406551", not as a number.');
			}
			return String(p);
		}
		return String(p ?? '').trim();
	}).filter((p) => p !== '');
	if (ids.length === 0) return undefined;
	if (ids.length > max) throw fieldError(ctx, itemIndex, field, `has ${ids.length} IDs, Kling accepts at most ${max}`);
	if (opts.integer) {
		for (const id of ids) {
			if (!isLongId(id)) throw fieldError(ctx, itemIndex, field, `has "${id}", which is not a numeric Kling ID`, 'Element IDs are whole numbers such as 829836802793406551.');
		}
	}
	return ids;
}

/** The "Element IDs" option (element_list): ids typed as text, read with readIdList(..., { integer: true }). */
export function elementIdsOption(description: string, displayOptions?: INodeProperties['displayOptions']): INodeProperties {
	return {
		displayName: 'Element IDs',
		name: 'elementIds',
		type: 'string',
		default: '',
		placeholder: '829836802793406551, 829836802793406552',
		description,
		...(displayOptions ? { displayOptions } : {}),
	};
}

/** `element_list` entries with every digit of the 64-bit ids kept (sent as bare JSON integers). */
export function elementList(ids: string[] | undefined): IDataObject[] | undefined {
	return ids?.map((id) => ({ element_id: jsonInteger(id) }) as unknown as IDataObject);
}

/** Return All + Limit (n8n's list convention), shown with `show`; Limit only while Return All is off. */
export function returnAllProperties(show: NonNullable<IDisplayOptions['show']>): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
			displayOptions: { show },
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
			displayOptions: { show: { ...show, returnAll: [false] } },
		},
	];
}

/** How many results to return: Infinity for Return All, else Limit checked against 1…max. */
export function readLimit(ctx: IExecuteFunctions, itemIndex: number, max: number): number {
	if (ctx.getNodeParameter('returnAll', itemIndex, false) as boolean) return Number.POSITIVE_INFINITY;
	const limit = ctx.getNodeParameter('limit', itemIndex, 50) as number;
	checkRange(ctx, itemIndex, 'Limit', limit, 1, max, true);
	return limit;
}
