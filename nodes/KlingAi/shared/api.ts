/** Task-level Kling operations built on the transport; shared by every node. */
import { createHash } from 'node:crypto';
import type { IDataObject } from 'n8n-workflow';
import { ACCOUNT_COSTS_PATH, ENDPOINTS, SYNC_PATHS, TASK_TYPES, queryPath, type KlingSyncCall, type KlingTaskType } from './endpoints';
import { syncResultItem, taskFromApi, type KlingTaskItem } from './task';
import {
	DEFAULT_RETRY_POLICY,
	klingApiRequest,
	type KlingRequestContext,
	type KlingResponse,
	type RetryPolicy,
} from './transport';

export const MAX_PAGE_SIZE = 500;

export const GENERATED_ID_PREFIX = 'n8n-';
/**
 * Generated ids of tasks a Kling AI node waits for itself (Wait for Completion). The Poll Trigger skips them by
 * default: their result already goes to the waiting execution, not to a trigger workflow.
 */
export const WAITED_ID_PREFIX = 'n8n-wait-';

/** A stable external_task_id: the same workflow, execution, node and item give the same id. */
export function generateExternalTaskId(parts: Array<string | number | undefined>, prefix = GENERATED_ID_PREFIX): string {
	const digest = createHash('sha256').update(parts.map((p) => String(p ?? '')).join('|')).digest('hex').slice(0, 24);
	return `${prefix}${digest}`;
}

export async function getTask(
	ctx: KlingRequestContext,
	type: KlingTaskType,
	id: string,
	policy: RetryPolicy = DEFAULT_RETRY_POLICY,
	itemIndex?: number,
): Promise<KlingTaskItem> {
	const res = await klingApiRequest(ctx, { method: 'GET', path: queryPath(type, id), itemIndex }, policy);
	return taskFromApi(res.data, type);
}

/** Look a task up by task id or external id; undefined when Kling does not know it. */
export async function findTask(
	ctx: KlingRequestContext,
	type: KlingTaskType,
	id: string,
	policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): Promise<KlingTaskItem | undefined> {
	const res = await klingApiRequest(ctx, { method: 'GET', path: queryPath(type, id), allowNotFound: true }, policy);
	return res.notFound ? undefined : taskFromApi(res.data, type);
}

/** Find a task whose type is unknown (e.g. a callback without kling_type) by asking each endpoint. */
export async function findTaskAnyType(
	ctx: KlingRequestContext,
	id: string,
	types: readonly KlingTaskType[] = TASK_TYPES,
	policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): Promise<KlingTaskItem | undefined> {
	for (const type of types) {
		const found = await findTask(ctx, type, id, policy);
		if (found) return found;
	}
	return undefined;
}

export async function listTasks(
	ctx: KlingRequestContext,
	type: KlingTaskType,
	pageNum: number,
	pageSize: number,
	policy: RetryPolicy = DEFAULT_RETRY_POLICY,
	itemIndex?: number,
): Promise<KlingTaskItem[]> {
	const res = await klingApiRequest<unknown>(
		ctx,
		{ method: 'GET', path: ENDPOINTS[type].path, qs: { pageNum, pageSize }, itemIndex },
		policy,
	);
	const list = Array.isArray(res.data) ? res.data : [];
	return list.map((t) => taskFromApi(t, type));
}

export interface CreateResult {
	item: KlingTaskItem;
	/** True when a lost create was found on Kling by its external_task_id instead of being re-sent. */
	recovered: boolean;
	requestId: string | null;
}

/**
 * Create a task. The body must carry `external_task_id`: a create that may have reached Kling
 * (timeout, connection reset, 5000-5002) is only re-sent after looking the task up by that id.
 */
export async function createTask(
	ctx: KlingRequestContext,
	type: KlingTaskType,
	body: IDataObject,
	policy: RetryPolicy = DEFAULT_RETRY_POLICY,
	itemIndex?: number,
): Promise<CreateResult> {
	const externalId = typeof body.external_task_id === 'string' ? body.external_task_id : undefined;
	let recovered = false;
	const res: KlingResponse = await klingApiRequest(
		ctx,
		{ method: 'POST', path: ENDPOINTS[type].path, body, itemIndex },
		policy,
		externalId
			? {
					beforeResend: async () => {
						const existing = await findTask(ctx, type, externalId, policy);
						if (!existing) return undefined;
						recovered = true;
						return { data: existing.raw, requestId: null, attempts: 0 };
					},
				}
			: {},
	);
	const item = taskFromApi(res.data, type);
	// Kling's create answer omits task_info on some endpoints: keep the id we sent.
	if (!item.externalTaskId && externalId) item.externalTaskId = externalId;
	return { item, recovered, requestId: res.requestId };
}

export async function getAccountCosts(
	ctx: KlingRequestContext,
	startTimeMs: number,
	endTimeMs: number,
	resourcePackName?: string,
	policy: RetryPolicy = DEFAULT_RETRY_POLICY,
	itemIndex?: number,
): Promise<IDataObject> {
	const qs: IDataObject = { start_time: startTimeMs, end_time: endTimeMs };
	if (resourcePackName) qs.resource_pack_name = resourcePackName;
	const res = await klingApiRequest<IDataObject>(ctx, { method: 'GET', path: ACCOUNT_COSTS_PATH, qs, itemIndex }, policy);
	return res.data ?? {};
}

/**
 * A synchronous Kling call (identify-face, multi-elements selection): POST, answer in `data`.
 * Not re-sent when it may have reached Kling (no external id to look it up by).
 */
export async function callSync(
	ctx: KlingRequestContext,
	call: KlingSyncCall,
	body: IDataObject,
	policy: RetryPolicy = DEFAULT_RETRY_POLICY,
	itemIndex?: number,
): Promise<IDataObject> {
	const res = await klingApiRequest<IDataObject>(ctx, { method: 'POST', path: SYNC_PATHS[call], body, itemIndex }, policy);
	return res.data ?? {};
}

/**
 * A synchronous call whose answer is a finished result (text to speech, image recognize): the item has the
 * shape of a finished task (shared/task.ts syncResultItem). Not re-sent when it may have reached Kling.
 */
export async function callSyncForItem(
	ctx: KlingRequestContext,
	call: KlingSyncCall,
	body: IDataObject,
	policy: RetryPolicy = DEFAULT_RETRY_POLICY,
	itemIndex?: number,
): Promise<KlingTaskItem> {
	const res = await klingApiRequest<IDataObject>(ctx, { method: 'POST', path: SYNC_PATHS[call], body, itemIndex }, policy);
	return syncResultItem(res.data ?? {}, res.requestId ?? `${call}-${Date.now()}`);
}
