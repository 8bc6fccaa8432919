// @ts-nocheck
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';
import { mediaInputProperties, resolveMediaInput, type MediaInputSpec } from '../../shared/inputs';
import type { CreateOperation } from '../types';
import { MAX_PROMPT_LENGTH, applyWatermark, checkMaxLength, checkRange, compact, num, optNumber, optString, options, watermarkOption } from '../fields';

const IMAGE: MediaInputSpec = { name: 'image', displayName: 'Image', kind: 'image', description: 'The image to extend beyond its borders.' };
const SIDES = [
	['up', 'Expand Up'],
	['down', 'Expand Down'],
	['left', 'Expand Left'],
	['right', 'Expand Right'],
] as const;
export const MAX_EXPANDED_AREA = 3;
const ALL_SIDES = '"Expand Up", "Expand Down", "Expand Left" and "Expand Right"';

async function buildBody(ctx: IExecuteFunctions, i: number): Promise<IDataObject> {
	const ratios: Record<string, number> = {};
	for (const [side, label] of SIDES) {
		const value = num(ctx, `${side}Ratio`, i, 0);
		checkRange(ctx, i, label, value, 0, 2);
		ratios[side] = value;
	}
	if (Object.values(ratios).every((r) => r === 0)) {
		throw new NodeOperationError(ctx.getNode(), `${ALL_SIDES} are all 0`, {
			itemIndex: i,
			description: 'Set at least one side to a ratio above 0 (e.g. 0.5 adds half the width or height).',
		});
	}
	const area = (1 + ratios.up + ratios.down) * (1 + ratios.left + ratios.right);
	if (area > MAX_EXPANDED_AREA + 1e-9) {
		throw new NodeOperationError(ctx.getNode(), `${ALL_SIDES} give an image ${area.toFixed(2)}x the original area; Kling allows at most ${MAX_EXPANDED_AREA}x`, {
			itemIndex: i,
			description: '(1 + up + down) x (1 + left + right) must be at most 3.',
		});
	}
	const opts = options(ctx, i);
	const prompt = optString(opts, 'prompt');
	checkMaxLength(ctx, i, 'Prompt', prompt, MAX_PROMPT_LENGTH);
	const n = optNumber(opts, 'n');
	checkRange(ctx, i, 'Number of Images', n, 1, 9, true);
	const image = await resolveMediaInput(ctx, i, IMAGE);
	const body: IDataObject = {
		image: image?.value,
		up_expansion_ratio: ratios.up,
		down_expansion_ratio: ratios.down,
		left_expansion_ratio: ratios.left,
		right_expansion_ratio: ratios.right,
		prompt,
		n,
	};
	// watermark_info: added to the outpainting page in 09/2026 (kling-api-2026.md §4.8).
	applyWatermark(body, opts);
	return compact(body);
}

const ratioProperty = ([side, label]: (typeof SIDES)[number]): INodeProperties => {
	const defaultRatio = side === 'left' || side === 'right' ? 0.25 : 0;
	return {
	displayName: label,
	name: `${side}Ratio`,
	type: 'number',
	typeOptions: { minValue: 0, maxValue: 2, numberPrecision: 2 },
	default: defaultRatio,
	description: `How much to add ${side === 'up' || side === 'down' ? 'above/below, relative to the height' : 'left/right, relative to the width'} (0 to 2; the whole result may be at most 3x the original area)`,
	};
};

export const expandImage: CreateOperation = {
	resource: 'image',
	value: 'expandImage',
	name: 'Expand Image',
	action: 'Expand an image beyond its borders',
	description: 'Create a Kling outpainting task that extends an image up, down, left and right',
	taskType: 'imageExpand',
	defaultWaitMinutes: 10,
	properties: [...mediaInputProperties(IMAGE), ...SIDES.map(ratioProperty)],
	options: [
		{
			displayName: 'Number of Images',
			name: 'n',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 9 },
			default: 1,
			description: 'How many variants to generate, 1 to 9',
		},
		{
			displayName: 'Prompt',
			name: 'prompt',
			type: 'string',
			typeOptions: { rows: 2 },
			default: '',
			description: `What the new areas should show (at most ${MAX_PROMPT_LENGTH} characters)`,
		},
		watermarkOption,
	],
	buildBody,
};
