/**
 * Get Task and List Tasks, shared by the Video and Image resources: the "Task Type" option lists
 * that resource's rows of ENDPOINTS, so a new endpoint appears here without code changes.
 */
// @ts-nocheck

import type { IDisplayOptions, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { MAX_PAGE_SIZE, getTask, listTasks } from '../../shared/api';
import { downloadResults } from '../../shared/download';
import { ENDPOINTS, endpointsOf, isTaskType, type KlingResource, type KlingTaskType } from '../../shared/endpoints';
import type { KlingTaskItem } from '../../shared/task';
import { fieldError, readLimit, returnAllProperties, str } from '../fields';

/** Kling's pageNum range. */
export const MAX_PAGE_NUM = 1000;
export const RESULTS_RETENTION_HINT = 'Kling deletes generated files 30 days after the task was created (see resultsExpireAt): download what you want to keep.';

type Show = NonNullable<IDisplayOptions['show']>;
const show = (resource: KlingResource, operation: string[], extra: Show = {}): { show: Show } => ({
	show: { resource: [resource], operation, ...extra },
});

function taskTypeProperty(resource: KlingResource, operation: string[]): INodeProperties {
	const endpoints = endpointsOf(resource);
	const defaultType = endpoints[0].type;
	const typeOptions = endpoints.map((e) => ({ name: e.label, value: e.type, description: `Tasks created at ${e.path}` }));
	return {
		displayName: 'Task Type',
		name: 'taskType',
		type: 'options',
		options: typeOptions,
		default: defaultType,
		description: 'Which kind of task (Kling keeps a separate list per endpoint)',
		displayOptions: show(resource, operation),
	};
}

/** Download Results + file field + watermark switch, shared by the action node and both triggers. */
export function downloadProperties(displayOptions?: { show: Show }): INodeProperties[] {
	const whenDownloading = { show: { ...(displayOptions?.show ?? {}), downloadResults: [true] } };
	return [
		{
			displayName: 'Download Results',
			name: 'downloadResults',
			type: 'boolean',
			default: false,
			description:
				'Whether to download the finished videos/images into binary properties (streamed, file names from the task ID). Kling deletes generated files 30 days after the task was created (see resultsExpireAt).',
			...(displayOptions ? { displayOptions } : {}),
		},
		{
			displayName: 'Put Output File in Field',
			name: 'binaryPropertyName',
			type: 'string',
			default: 'data',
			required: true,
			description: 'Binary property of the first file; further files get _1, _2, ... appended.',
			hint: 'Results expire 30 days after the task was created',
			displayOptions: whenDownloading,
		},
		{
			displayName: 'Download Watermarked Version',
			name: 'downloadWatermarked',
			type: 'boolean',
			default: false,
			description: 'Whether to download the watermarked copy when the task produced one (Watermarked Copy option)',
			displayOptions: whenDownloading,
		},
	];
}

export function getTaskProperties(resource: KlingResource): INodeProperties[] {
	const op = ['getTask'];
	return [
		taskTypeProperty(resource, op),
		{
			displayName: 'Find By',
			name: 'lookupBy',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'Task ID', value: 'taskId', description: "Kling's task_id" },
				{ name: 'External Task ID', value: 'externalTaskId', description: 'The external_task_id set (or generated) when the task was created' },
			],
			default: 'taskId',
			description: 'Which ID identifies the task',
			displayOptions: show(resource, op),
		},
		{
			displayName: 'Task ID',
			name: 'taskId',
			type: 'string',
			default: '={{ $json.taskId }}',
			required: true,
			placeholder: 'e.g. 842250903629086785',
			description: "Kling's task_id. The default takes taskId from the incoming item (the output of a Kling AI create, trigger or poll); replace it with a fixed ID to look up one task.",
			displayOptions: show(resource, op, { lookupBy: ['taskId'] }),
		},
		{
			displayName: 'External Task ID',
			name: 'externalTaskId',
			type: 'string',
			default: '={{ $json.externalTaskId }}',
			required: true,
			placeholder: 'e.g. order-1042',
			description: "The external_task_id of the task. The default takes externalTaskId from the incoming item; replace it with a fixed ID to look up one task.",
			displayOptions: show(resource, op, { lookupBy: ['externalTaskId'] }),
		},
		...downloadProperties(show(resource, op)),
	];
}

export function listTasksProperties(resource: KlingResource): INodeProperties[] {
	const op = ['listTasks'];
	return [
		taskTypeProperty(resource, op),
		...returnAllProperties(show(resource, op).show),
		...downloadProperties(show(resource, op)),
	];
}

function readTaskType(ctx: IExecuteFunctions, i: number, resource: KlingResource): KlingTaskType {
	const type = str(ctx, 'taskType', i);
	if (!isTaskType(type) || ENDPOINTS[type].resource !== resource) {
		throw fieldError(ctx, i, 'Task Type', `has an unknown value "${type}"`, `Pick one of: ${endpointsOf(resource).map((e) => e.label).join(', ')}.`);
	}
	return type;
}

/** The output item, with the results downloaded into binary properties when asked to. */
export async function toOutputItem(ctx: IExecuteFunctions, task: KlingTaskItem, i: number): Promise<INodeExecutionData> {
	const download = ctx.getNodeParameter('downloadResults', i, false) as boolean;
	if (!download || task.status !== 'succeeded') return { json: task, pairedItem: { item: i } };
	const binaryProperty = str(ctx, 'binaryPropertyName', i, 'data').trim();
	if (!binaryProperty) throw fieldError(ctx, i, 'Put Output File in Field', 'is empty');
	const binary = await downloadResults(ctx, task, {
		binaryProperty,
		watermarked: ctx.getNodeParameter('downloadWatermarked', i, false) as boolean,
		itemIndex: i,
	});
	return { json: task, binary, pairedItem: { item: i } };
}

export async function executeGetTask(ctx: IExecuteFunctions, resource: KlingResource, i: number): Promise<INodeExecutionData[]> {
	const type = readTaskType(ctx, i, resource);
	const lookupBy = str(ctx, 'lookupBy', i, 'taskId');
	const field = lookupBy === 'externalTaskId' ? 'External Task ID' : 'Task ID';
	const id = str(ctx, lookupBy === 'externalTaskId' ? 'externalTaskId' : 'taskId', i).trim();
	if (!id) throw fieldError(ctx, i, field, 'is required');
	const task = await getTask(ctx, type, id, undefined, i);
	return [await toOutputItem(ctx, task, i)];
}

export async function executeListTasks(ctx: IExecuteFunctions, resource: KlingResource, i: number): Promise<INodeExecutionData[]> {
	const type = readTaskType(ctx, i, resource);
	const limit = readLimit(ctx, i, MAX_PAGE_SIZE * MAX_PAGE_NUM);
	const pageSize = Math.min(MAX_PAGE_SIZE, limit);
	const tasks: KlingTaskItem[] = [];
	for (let page = 1; page <= MAX_PAGE_NUM && tasks.length < limit; page++) {
		const batch = await listTasks(ctx, type, page, pageSize, undefined, i);
		tasks.push(...batch.slice(0, limit - tasks.length));
		if (batch.length < pageSize) break;
	}
	const out: INodeExecutionData[] = [];
	for (const task of tasks) out.push(await toOutputItem(ctx, task, i));
	return out;
}
