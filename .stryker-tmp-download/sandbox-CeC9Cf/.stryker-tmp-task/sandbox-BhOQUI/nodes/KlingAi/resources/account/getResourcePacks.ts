// @ts-nocheck
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { getAccountCosts } from '../../shared/api';
import { fieldError, optString, str } from '../fields';

const show = { show: { resource: ['account'], operation: ['getResourcePacks'] } };
const DAY_MS = 24 * 3600 * 1000;
export const DEFAULT_LOOKBACK_DAYS = 365;

export const getResourcePacksProperties: INodeProperties[] = [
	{
		displayName: 'Start Time',
		name: 'startTime',
		type: 'dateTime',
		default: '',
		description: `Start of the period to report on (start_time). Empty = ${DEFAULT_LOOKBACK_DAYS} days ago.`,
		displayOptions: show,
	},
	{
		displayName: 'End Time',
		name: 'endTime',
		type: 'dateTime',
		default: '',
		description: 'End of the period to report on (end_time). Empty = now.',
		displayOptions: show,
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: show,
		options: [
			{
				displayName: 'Resource Pack Name',
				name: 'resourcePackName',
				type: 'string',
				default: '',
				description: 'Only report the resource pack with this name',
			},
		],
	},
];

export function toMs(ctx: IExecuteFunctions, i: number, field: string, value: string, fallback: number): number {
	if (!value.trim()) return fallback;
	const ms = Date.parse(value);
	if (Number.isNaN(ms)) throw fieldError(ctx, i, field, `is not a valid date/time (got "${value}")`);
	return ms;
}

export async function executeGetResourcePacks(ctx: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	const now = Date.now();
	const endMs = toMs(ctx, i, 'End Time', str(ctx, 'endTime', i), now);
	const startMs = toMs(ctx, i, 'Start Time', str(ctx, 'startTime', i), endMs - DEFAULT_LOOKBACK_DAYS * DAY_MS);
	if (startMs > endMs) throw fieldError(ctx, i, 'Start Time', 'must be before End Time');
	const packName = optString(ctx.getNodeParameter('options', i, {}) as Record<string, string>, 'resourcePackName');
	const data = await getAccountCosts(ctx, startMs, endMs, packName, undefined, i);
	return [{ json: { ...data, startTime: new Date(startMs).toISOString(), endTime: new Date(endMs).toISOString() }, pairedItem: { item: i } }];
}
