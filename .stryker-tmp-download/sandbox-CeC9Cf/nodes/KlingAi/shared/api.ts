/** Task-level Kling operations built on the transport; shared by every node. */
// @ts-nocheck

import { createHash } from 'node:crypto';
import { NodeApiError, type IDataObject, type JsonObject } from 'n8n-workflow';
import { ACCOUNT_COSTS_PATH, ENDPOINTS, SYNC_PATHS, TASK_TYPES, queryPath, type KlingSyncCall, type KlingTaskType } from './endpoints';
import { NS_MAX_LIMIT, NS_TASKS_PATH } from './newStandard';
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

const isNewStandard = (type: KlingTaskType): boolean => ENDPOINTS[type].standard === 'new';

/**
 * New standard: `GET /tasks?task_ids=a,b` or `?external_task_ids=…` (exclusive, batch). An id may be either
 * kind (as on the legacy paths): task ids first, then external ids. Unknown ids are simply absent from `data[]`
 * (how Kling answers an unknown id is undocumented: an empty list and 1203 both read as "not found").
 */
export async function getNewStandardTasks(
	ctx: KlingRequestContext,
	ids: readonly string[],
	by: 'task_ids' | 'external_task_ids',
	policy: RetryPolicy = DEFAULT_RETRY_POLICY,
	itemIndex?: number,
): Promise<KlingTaskItem[]> {
	const res = await klingApiRequest<unknown>(ctx, { method: 'GET', path: NS_TASKS_PATH, qs: { [by]: ids.join(',') }, itemIndex, allowNotFound: true }, policy);
	const list = Array.isArray(res.data) ? res.data : [];
	return list.map((t) => taskFromApi(t, 'newStandard'));
}

async function findNewStandardTask(ctx: KlingRequestContext, id: string, policy: RetryPolicy, itemIndex?: number): Promise<KlingTaskItem | undefined> {
	for (const by of ['task_ids', 'external_task_ids'] as const) {
		const found = (await getNewStandardTasks(ctx, [id], by, policy, itemIndex)).find((t) => (by === 'task_ids' ? t.taskId : t.externalTaskId) === id);
		if (found) return found;
	}
	return undefined;
}

export interface NsListFilters {
	/** Unix ms; Kling's default is end_time - 30 days. */
	startTime?: number;
	endTime?: number;
	statuses?: string[];
	productTypes?: string[];
}

export interface NsListPage {
	items: KlingTaskItem[];
	nextCursor: string | null;
	hasMore: boolean;
}

/**
 * One `POST /tasks` page (cursor list). start_time/end_time are sent as numbers (the 3.0-turbo docs type them
 * `long`, the other twelve pages `string` with quoted examples; UNCERTAIN which Kling enforces).
 */
export async function listNewStandardPage(
	ctx: KlingRequestContext,
	o: { cursor?: string | null; limit: number; filters?: NsListFilters },
	policy: RetryPolicy = DEFAULT_RETRY_POLICY,
	itemIndex?: number,
): Promise<NsListPage> {
	const body: IDataObject = { limit: Math.min(NS_MAX_LIMIT, Math.max(1, o.limit)) };
	if (o.cursor) body.cursor = o.cursor;
	else {
		if (o.filters?.startTime !== undefined) body.start_time = o.filters.startTime;
		if (o.filters?.endTime !== undefined) body.end_time = o.filters.endTime;
	}
	const filters: IDataObject[] = [];
	if (o.filters?.statuses?.length) filters.push({ key: 'status', values: o.filters.statuses });
	if (o.filters?.productTypes?.length) filters.push({ key: 'product_type', values: o.filters.productTypes });
	if (filters.length) body.filters = filters;
	const res = await klingApiRequest<IDataObject>(ctx, { method: 'POST', path: NS_TASKS_PATH, body, itemIndex }, policy);
	const data = (res.data ?? {}) as IDataObject;
	const list = Array.isArray(data.result) ? data.result : [];
	const next = typeof data.next_cursor === 'string' && data.next_cursor !== '' ? data.next_cursor : null;
	return { items: list.map((t) => taskFromApi(t, 'newStandard')), nextCursor: next, hasMore: data.has_more === true && next !== null };
}

/**
 * Page n of the new-standard list, for callers that read numbered pages (List Tasks, the poller). Cursors are
 * remembered per calling context and page size, so reading pages 1, 2, 3 in order costs one call each; a page
 * whose predecessor's cursor is unknown walks there from page 1. Page 1 is always read fresh.
 */
const nsCursors = new WeakMap<object, Map<number, Map<number, string | null>>>();

async function listNewStandardNumbered(ctx: KlingRequestContext, pageNum: number, pageSize: number, policy: RetryPolicy, itemIndex?: number): Promise<KlingTaskItem[]> {
	let bySize = nsCursors.get(ctx);
	if (!bySize) nsCursors.set(ctx, (bySize = new Map()));
	let cursors = bySize.get(pageSize);
	if (!cursors) bySize.set(pageSize, (cursors = new Map()));
	let page = pageNum;
	while (page > 1 && !cursors.has(page - 1)) page--;
	for (;;) {
		const cursor = page === 1 ? null : (cursors.get(page - 1) ?? null);
		if (page > 1 && cursor === null) return [];
		const res = await listNewStandardPage(ctx, { cursor, limit: pageSize }, policy, itemIndex);
		cursors.set(page, res.hasMore ? res.nextCursor : null);
		if (page === pageNum) return res.items;
		page++;
	}
}

export async function getTask(
	ctx: KlingRequestContext,
	type: KlingTaskType,
	id: string,
	policy: RetryPolicy = DEFAULT_RETRY_POLICY,
	itemIndex?: number,
): Promise<KlingTaskItem> {
	if (isNewStandard(type)) {
		const found = await findNewStandardTask(ctx, id, policy, itemIndex);
		if (!found) {
			throw new NodeApiError(ctx.getNode(), { code: 1203, message: `task not found: ${id}` } as JsonObject, {
				message: `Kling error 1203: no new-standard task with ID or external ID "${id}"`,
				description: 'GET /tasks returned no task with this ID. Tasks are kept for 30 days.',
				itemIndex,
			});
		}
		return found;
	}
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
	if (isNewStandard(type)) return await findNewStandardTask(ctx, id, policy);
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
	if (isNewStandard(type)) return await listNewStandardNumbered(ctx, pageNum, pageSize, policy, itemIndex);
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
	/** The create path when it is not the type's row (new standard: the model's path). */
	path: string = ENDPOINTS[type].path,
): Promise<CreateResult> {
	const options = body.options as IDataObject | undefined;
	const sent = body.external_task_id ?? options?.external_task_id;
	const externalId = typeof sent === 'string' && sent !== '' ? sent : undefined;
	let recovered = false;
	const res: KlingResponse = await klingApiRequest(
		ctx,
		{ method: 'POST', path, body, itemIndex },
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
