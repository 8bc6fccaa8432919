/** execute() of the Kling AI node: routes each operation, one result per input item, continueOnFail per item. */
// @ts-nocheck

import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';
import { executeBillingExport, isBillingOperation } from './account/billingExports';
import { executeGetResourcePacks } from './account/getResourcePacks';
import { executeLibraryList } from './library/libraryOperations';
import { asNodeError, buildCreateBody, sendCreate } from './create';
import { TASK_RESOURCES, findCreateOperation, findSyncOperation, type CreateOperation } from './index';
import type { KlingResource } from '../shared/endpoints';
import { executeGetTask, executeListTasks } from './task/taskOperations';

export function errorItem(error: unknown, itemIndex: number): INodeExecutionData {
	const message = error instanceof Error ? error.message : String(error);
	const description = (error as { description?: unknown })?.description;
	return {
		json: { error: message, ...(typeof description === 'string' && description ? { errorDescription: description } : {}) },
		pairedItem: { item: itemIndex },
	};
}

/** Create without waiting: one task item per input item. */
export async function createWithoutWaiting(ctx: IExecuteFunctions, op: CreateOperation, itemCount: number): Promise<INodeExecutionData[]> {
	const out: INodeExecutionData[] = [];
	for (let i = 0; i < itemCount; i++) {
		try {
			const body = await buildCreateBody(ctx, i, op);
			const task = await sendCreate(ctx, i, op, body);
			out.push({ json: task, pairedItem: { item: i } });
		} catch (error) {
			if (ctx.continueOnFail()) {
				out.push(errorItem(error, i));
				continue;
			}
			throw asNodeError(ctx, error, i);
		}
	}
	return out;
}

/** Handles a create itself (e.g. waiting for completion), or returns undefined for a plain create. */
export type CreateRunner = (ctx: IExecuteFunctions, op: CreateOperation, itemCount: number) => Promise<INodeExecutionData[][] | undefined>;

export async function executeKlingAi(ctx: IExecuteFunctions, runCreate?: CreateRunner): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const resource = ctx.getNodeParameter('resource', 0) as string;
	const operation = ctx.getNodeParameter('operation', 0) as string;
	const create = findCreateOperation(resource, operation);
	if (create) {
		const handled = runCreate ? await runCreate(ctx, create, items.length) : undefined;
		return handled ?? [await createWithoutWaiting(ctx, create, items.length)];
	}
	const sync = findSyncOperation(resource, operation);
	const taskResource = (TASK_RESOURCES as readonly string[]).includes(resource) ? (resource as KlingResource) : undefined;
	const out: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		try {
			if (sync) out.push({ json: await sync.execute(ctx, i), pairedItem: { item: i } });
			else if (taskResource && operation === 'getTask') out.push(...(await executeGetTask(ctx, taskResource, i)));
			else if (taskResource && operation === 'listTasks') out.push(...(await executeListTasks(ctx, taskResource, i)));
			else if (resource === 'library' && (operation === 'listVoices' || operation === 'listElements')) out.push(...(await executeLibraryList(ctx, operation, i)));
			else if (resource === 'account' && isBillingOperation(operation)) out.push(...(await executeBillingExport(ctx, operation, i)));
			else if (resource === 'account' && operation === 'getResourcePacks') out.push(...(await executeGetResourcePacks(ctx, i)));
			else throw new NodeOperationError(ctx.getNode(), `The operation "${operation}" is not known for resource "${resource}"`, { itemIndex: i });
		} catch (error) {
			if (ctx.continueOnFail()) {
				out.push(errorItem(error, i));
				continue;
			}
			throw asNodeError(ctx, error, i);
		}
	}
	return [out];
}
