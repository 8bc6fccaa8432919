/**
 * Account → Balance / Unit Deduction Details: Kling's billing exports `POST /account/billing/balance` and
 * `/account/billing/package` (kling-api-2026.md b.17; DOC-NEW kling-assets-balance.md, kling-assets-package.md).
 * Cursor-paged; Return All walks `next_cursor` (shared/library.ts exportBilling), one item per deduction record.
 */
// @ts-nocheck

import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { BILLING_MAX_LIMIT, BILLING_MAX_PAGES, exportBilling, type BillingExport } from '../../shared/library';
import { fieldError, readLimit, returnAllProperties, str } from '../fields';
import { toMs } from './getResourcePacks';

const DAY_MS = 24 * 3600 * 1000;
export const BILLING_LOOKBACK_DAYS = 30;

export const BILLING_OPERATIONS: Readonly<Record<string, BillingExport>> = { getBalanceDeductions: 'balance', getUnitDeductions: 'package' };

export const billingOperationOptions: INodePropertyOptions[] = [
	{
		name: 'Get Balance Deductions',
		value: 'getBalanceDeductions',
		action: 'Get balance deductions',
		description: 'Export what each task deducted from the cash balance (/account/billing/balance), one item per deduction',
	},
	{
		name: 'Get Unit Deductions',
		value: 'getUnitDeductions',
		action: 'Get unit deductions',
		description: 'Export what each task deducted from resource packs (/account/billing/package), one item per deduction',
	},
];

const ops = Object.keys(BILLING_OPERATIONS);
export const isBillingOperation = (operation: string): boolean => ops.includes(operation);
const show = () => ({ show: { resource: ['account'], operation: ops } });

export const billingExportProperties: INodeProperties[] = [
	{
		displayName: 'Start Time',
		name: 'startTime',
		type: 'dateTime',
		default: '',
		description: `Tasks created from (start_time). Empty = ${BILLING_LOOKBACK_DAYS} days before End Time.`,
		displayOptions: show(),
	},
	{
		displayName: 'End Time',
		name: 'endTime',
		type: 'dateTime',
		default: '',
		description: 'Tasks created until (end_time). Empty = now.',
		displayOptions: show(),
	},
	...returnAllProperties(show().show),
	{
		displayName: 'Filters',
		name: 'billingFilters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: show(),
		options: [
			{
				displayName: 'API Key Names',
				name: 'keyNames',
				type: 'string',
				default: '',
				description: 'Only tasks of these API keys (comma-separated names)',
			},
			{
				displayName: 'Package IDs',
				name: 'packageIds',
				type: 'string',
				default: '',
				description: 'Only these resource packs (comma-separated IDs). Unit deductions only; not together with Package Names.',
			},
			{
				displayName: 'Package Names',
				name: 'packageNames',
				type: 'string',
				default: '',
				description: 'Only these resource packs (comma-separated names). Unit deductions only; not together with Package IDs.',
			},
			{
				displayName: 'Product Types',
				name: 'productTypes',
				type: 'multiOptions',
				options: [
					{ name: 'Image', value: 'image' },
					{ name: 'Video', value: 'video' },
					{ name: 'Virtual Try-On', value: 'try-on' },
				],
				default: [],
				description: 'Only resource packs of these types. Unit deductions only.',
			},
		],
	},
];

const list = (v: unknown): string[] =>
	(Array.isArray(v) ? v.map(String) : String(v ?? '').split(',')).map((x) => x.trim()).filter((x) => x !== '');

function readFilters(ctx: IExecuteFunctions, i: number, kind: BillingExport): Array<{ key: string; values: string[] }> {
	const f = (ctx.getNodeParameter('billingFilters', i, {}) as IDataObject) ?? {};
	const filters: Array<{ key: string; values: string[] }> = [];
	const add = (key: string, field: string, raw: unknown) => {
		const values = list(raw);
		if (!values.length) return;
		if (kind === 'balance' && key !== 'api_key_name') {
			throw fieldError(ctx, i, field, 'only filters unit deductions', 'Balance deductions can only be filtered by API key name.');
		}
		filters.push({ key, values });
	};
	add('api_key_name', 'API Key Names', f.keyNames);
	add('product_type', 'Product Types', f.productTypes);
	add('package_name', 'Package Names', f.packageNames);
	add('package_id', 'Package IDs', f.packageIds);
	if (filters.some((x) => x.key === 'package_name') && filters.some((x) => x.key === 'package_id')) {
		throw fieldError(ctx, i, 'Package IDs', 'cannot be combined with Package Names', 'Kling filters by package name or by package ID, not both.');
	}
	return filters;
}

export async function executeBillingExport(ctx: IExecuteFunctions, operation: string, i: number): Promise<INodeExecutionData[]> {
	const kind = BILLING_OPERATIONS[operation];
	const endMs = toMs(ctx, i, 'End Time', str(ctx, 'endTime', i), Date.now());
	const startMs = toMs(ctx, i, 'Start Time', str(ctx, 'startTime', i), endMs - BILLING_LOOKBACK_DAYS * DAY_MS);
	// Kling: "The start time must be earlier than the end time."
	if (startMs >= endMs) throw fieldError(ctx, i, 'Start Time', 'must be before End Time');
	const filters = readFilters(ctx, i, kind);
	const limit = readLimit(ctx, i, BILLING_MAX_LIMIT * BILLING_MAX_PAGES);
	const records = await exportBilling(ctx, kind, { startTimeMs: startMs, endTimeMs: endMs, filters }, limit, i);
	return records.map((json) => ({ json, pairedItem: { item: i } }));
}
