import {
	NodeApiError,
	NodeConnectionTypes,
	NodeOperationError,
	sleep,
	type IDataObject,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type ITriggerFunctions,
	type ITriggerResponse,
	type CronExpression,
} from 'n8n-workflow';
import { MAX_PAGE_SIZE, WAITED_ID_PREFIX, listTasks } from './shared/api';
import { downloadResults, hasResultFiles } from './shared/download';
import { ENDPOINTS, TASK_TYPES, isTaskType, taskTypeOptions, type KlingTaskType } from './shared/endpoints';
import { deduplicationKey, registerEmitter, unregisterEmitter, type DeliverResult, type TaskEmitter } from './shared/exactlyOnce';
import { PERSIST_AFTER_MS, ledgerFor, syncWithStaticData, type EmitSource, type TaskLedger } from './shared/ledger';
import { savableCursors, scanTaskType, type PassedTask, type ScanResult, type TypeCursor } from './shared/poller';
import { isTerminal, outputIndexOf, type KlingTaskItem } from './shared/task';
import { downloadProperties } from './resources/task/taskOperations';
import { DEFAULT_OPERATIONS, findCreateOperation } from './resources';
import { taskTypesCreatedBy, type WorkflowNodeInfo } from './shared/watchedTypes';
import { CREDENTIAL_NAME, DEFAULT_RETRY_POLICY, type RetryPolicy } from './shared/transport';

const HOUR_MS = 3_600_000;
/** Node static data key of the cursor (per task type: examined ranges, watched tasks, resume point). */
export const CURSOR_KEY = 'klingAiPollCursor';
const CURSOR_VERSION = 1;
/** Tasks read per type for a test event ("Fetch Test Event"). */
const SAMPLE_PAGE_SIZE = 50;
/** Kling keeps tasks for 30 days. */
const MAX_LOOK_BACK_HOURS = 720;

/** How often the trigger lists Kling's tasks: n8n cron expressions (seconds first). */
export const POLL_INTERVALS: ReadonlyArray<{ name: string; value: CronExpression }> = [
	{ name: 'Every 15 Seconds', value: '*/15 * * * * *' },
	{ name: 'Every 30 Seconds', value: '*/30 * * * * *' },
	{ name: 'Every Minute', value: '0 * * * * *' },
	{ name: 'Every 2 Minutes', value: '0 */2 * * * *' },
	{ name: 'Every 5 Minutes', value: '0 */5 * * * *' },
	{ name: 'Every 15 Minutes', value: '0 */15 * * * *' },
	{ name: 'Every Hour', value: '0 0 * * * *' },
];
const DEFAULT_POLL_INTERVAL: CronExpression = '0 * * * * *';
/** Longest a poll may list (retries included); a poll still running when the next is due skips that one. */
const POLL_BUDGET_MS = 120_000;
/** After an activation with a stored cursor, the first poll starts this much later (activation first). */
const ACTIVATION_POLL_DELAY_MS = 1_000;

interface StoredCursor {
	v: number;
	/** Which task type the next poll starts with (so a short budget still reaches every type). */
	next: number;
	types: Partial<Record<KlingTaskType, TypeCursor>>;
}

interface PollSettings {
	taskTypes: KlingTaskType[];
	externalTaskIdPrefix: string;
	includeWaited: boolean;
	catchUpMs: number;
	maxLookBackMs: number;
	downloadResults: boolean;
	binaryPropertyName: string;
	downloadWatermarked: boolean;
}

export type WatchMode = 'workflow' | 'all' | 'selected';

/**
 * The nodes of the trigger's workflow. n8n's trigger context offers no list of all nodes: the public
 * getChildNodes/getParentNodes (with parameters) reach only the trigger's connected part, so the context's
 * workflow object (n8n-core's NodeExecutionContext keeps it as `workflow`) is read when present, and the
 * connected part otherwise. Undefined when neither is available.
 */
export function workflowNodesOf(ctx: ITriggerFunctions): WorkflowNodeInfo[] | undefined {
	const internal = (ctx as unknown as { workflow?: { nodes?: Record<string, WorkflowNodeInfo> } }).workflow?.nodes;
	if (internal && typeof internal === 'object') return Object.values(internal);
	if (typeof ctx.getChildNodes !== 'function' || typeof ctx.getParentNodes !== 'function') return undefined;
	const seen = new Map<string, WorkflowNodeInfo>();
	const queue = [ctx.getNode().name];
	while (queue.length) {
		const name = queue.shift() as string;
		for (const n of [...ctx.getChildNodes(name, { includeNodeParameters: true }), ...ctx.getParentNodes(name, { includeNodeParameters: true })]) {
			if (seen.has(n.name)) continue;
			seen.set(n.name, { type: n.type, disabled: n.disabled, parameters: n.parameters as Record<string, unknown> | undefined });
			queue.push(n.name);
		}
	}
	return [...seen.values()];
}

/** Task types to poll: version 1 keeps its explicit list (default: all); version 2 follows "Watch Task Types". */
export function readWatchedTypes(ctx: ITriggerFunctions): KlingTaskType[] {
	const version = ctx.getNode().typeVersion ?? 1;
	const watch = (version >= 2 ? String(ctx.getNodeParameter('watchTaskTypes', 'workflow')) : 'selected') as WatchMode;
	if (watch === 'all') return [...TASK_TYPES];
	if (watch === 'workflow') {
		const nodes = workflowNodesOf(ctx);
		const types = nodes && taskTypesCreatedBy(
			nodes,
			(resource, operation) => findCreateOperation(resource, operation)?.taskType,
			(resource) => DEFAULT_OPERATIONS[resource as keyof typeof DEFAULT_OPERATIONS],
		);
		if (types?.length) return types;
		ctx.logger.debug('Kling AI Poll Trigger: no Kling AI node creating tasks found in this workflow; watching every task type', { workflowId: ctx.getWorkflow().id });
		return [...TASK_TYPES];
	}
	return readTaskTypeList(ctx);
}

function readTaskTypeList(ctx: ITriggerFunctions): KlingTaskType[] {
	const node = ctx.getNode();
	const rawTypes = ctx.getNodeParameter('taskTypes', [...TASK_TYPES]) as unknown;
	const list = Array.isArray(rawTypes) ? rawTypes : [rawTypes];
	const unknown = list.filter((t) => !isTaskType(t));
	if (unknown.length) {
		throw new NodeOperationError(node, `Task Types: unknown task type "${String(unknown[0])}"`, {
			description: `Choose from: ${TASK_TYPES.join(', ')}`,
		});
	}
	const taskTypes = TASK_TYPES.filter((t) => list.includes(t));
	if (!taskTypes.length) {
		throw new NodeOperationError(node, 'Task Types: choose at least one task type to watch');
	}
	return taskTypes;
}

function readSettings(ctx: ITriggerFunctions): PollSettings {
	const node = ctx.getNode();
	const taskTypes = readWatchedTypes(ctx);
	const filters = ctx.getNodeParameter('filters', {}) as IDataObject;
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	const hours = (name: string, label: string, fallback: number, min: number): number => {
		const value = options[name] === undefined || options[name] === '' ? fallback : Number(options[name]);
		if (!Number.isFinite(value) || value < min || value > MAX_LOOK_BACK_HOURS) {
			throw new NodeOperationError(node, `${label}: must be a number of hours from ${min} to ${MAX_LOOK_BACK_HOURS}`, {
				description: 'Kling deletes tasks and their results 30 days (720 hours) after they were created.',
			});
		}
		return value;
	};
	const maxLookBackHours = hours('maxLookBackHours', 'Max Look-Back (Hours)', 48, 1);
	const catchUpHours = Math.min(hours('catchUpHours', 'Catch Up Past (Hours)', 0, 0), maxLookBackHours);
	const download = ctx.getNodeParameter('downloadResults', false) as boolean;
	return {
		taskTypes,
		externalTaskIdPrefix: String(filters.externalTaskIdPrefix ?? ''),
		includeWaited: filters.includeWaitedTasks === true,
		catchUpMs: catchUpHours * HOUR_MS,
		maxLookBackMs: maxLookBackHours * HOUR_MS,
		downloadResults: download,
		binaryPropertyName: download ? String(ctx.getNodeParameter('binaryPropertyName', 'data') || 'data') : 'data',
		downloadWatermarked: download ? (ctx.getNodeParameter('downloadWatermarked', false) as boolean) : false,
	};
}

function readCursor(nodeStaticData: IDataObject): StoredCursor {
	const stored = nodeStaticData[CURSOR_KEY] as StoredCursor | undefined;
	if (!stored || stored.v !== CURSOR_VERSION || typeof stored.types !== 'object' || stored.types === null) return { v: CURSOR_VERSION, next: 0, types: {} };
	// A deep copy: n8n's static data is live, and a poll that fails must leave it exactly as it was.
	return JSON.parse(JSON.stringify(stored)) as StoredCursor;
}

function hasCursor(nodeStaticData: IDataObject): boolean {
	return Object.keys(readCursor(nodeStaticData).types).length > 0;
}

/** The external-id filter, and tasks a Kling AI node waits for itself (their result goes to that execution). */
function matchesFilters(item: KlingTaskItem, settings: Pick<PollSettings, 'externalTaskIdPrefix' | 'includeWaited'>): boolean {
	const id = item.externalTaskId ?? '';
	if (!settings.includeWaited && id.startsWith(WAITED_ID_PREFIX)) return false;
	return !settings.externalTaskIdPrefix || id.startsWith(settings.externalTaskIdPrefix);
}

/** A list call may not wait (retries included) longer than the budget that is left. */
function policyWithin(remainingMs: number): RetryPolicy {
	const bounded = Math.max(1_000, Math.min(remainingMs, DEFAULT_RETRY_POLICY.maxTotalMs));
	return { ...DEFAULT_RETRY_POLICY, maxTotalMs: bounded, timeoutMs: Math.min(DEFAULT_RETRY_POLICY.timeoutMs, bounded) };
}

async function toEntry(ctx: ITriggerFunctions, item: KlingTaskItem, settings: PollSettings): Promise<INodeExecutionData> {
	const json: IDataObject = { ...item };
	const entry: INodeExecutionData = { json };
	if (settings.downloadResults && item.status === 'succeeded' && hasResultFiles(item)) {
		try {
			entry.binary = await downloadResults(ctx, item, {
				binaryProperty: settings.binaryPropertyName,
				watermarked: settings.downloadWatermarked,
			});
		} catch (error) {
			// The task is claimed: emit it without the files rather than lose it or block every later poll.
			json.downloadError = (error as Error).message;
			ctx.logger.warn('Kling AI Poll Trigger could not download the results of a task', {
				workflowId: ctx.getWorkflow().id,
				taskId: item.taskId,
				error: json.downloadError,
			});
		}
	}
	return entry;
}

/** "Fetch Test Event": the most recently finished task of the chosen types, without touching any state. */
async function sample(ctx: ITriggerFunctions, settings: PollSettings): Promise<INodeExecutionData[][]> {
	let best: KlingTaskItem | undefined;
	for (const type of settings.taskTypes) {
		const tasks = await listTasks(ctx, type, 1, SAMPLE_PAGE_SIZE, policyWithin(30_000));
		for (const task of tasks) {
			if (!isTerminal(task.status) || !matchesFilters(task, settings)) continue;
			const at = task.updatedAtMs ?? task.createdAtMs ?? 0;
			if (!best || at > (best.updatedAtMs ?? best.createdAtMs ?? 0)) best = task;
		}
	}
	if (!best) {
		throw new NodeOperationError(ctx.getNode(), 'No finished task found to use as a test event', {
			description: `None of the ${SAMPLE_PAGE_SIZE} newest tasks of each chosen task type has finished${
				settings.externalTaskIdPrefix ? ` with an external task ID starting with "${settings.externalTaskIdPrefix}"` : ''
			}. Create a task with the Kling AI node, wait until it finishes, and fetch again.`,
		});
	}
	const outputs: INodeExecutionData[][] = [[], []];
	outputs[outputIndexOf(best.status)].push(await toEntry(ctx, best, settings));
	return outputs;
}

export class KlingAiPollTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Kling AI Poll Trigger',
		name: 'klingAiPollTrigger',
		icon: { light: 'file:kling.svg', dark: 'file:kling.dark.svg' },
		group: ['trigger'],
		// Version 2 adds "Watch Task Types" (default: the types this workflow's Kling AI nodes create). Version 1
		// nodes keep their saved Task Types list, or all types when it was left at its default.
		version: [1, 2],
		defaultVersion: 2,
		subtitle: 'Finished tasks (polling)',
		description: 'Polls Kling AI for finished tasks and emits each one once: the safety net for callbacks that never arrived',
		defaults: { name: 'Kling AI Poll Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Succeeded', 'Failed'],
		credentials: [{ name: CREDENTIAL_NAME, required: true }],
		properties: [
			{
				displayName:
					'Emits every task of the chosen types that finishes after this workflow is published, once. Used together with the Kling AI Trigger in the same workflow, a task already delivered by its callback is not emitted again.',
				name: 'pollNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Poll Every',
				name: 'pollInterval',
				type: 'options',
				options: POLL_INTERVALS.map((o) => ({ name: o.name, value: o.value })),
				default: DEFAULT_POLL_INTERVAL,
				description: 'How often to list Kling tasks. Each poll costs at least one list request per watched task type (all new-standard tasks together: one).',
			},
			{
				displayName: 'Watch Task Types',
				name: 'watchTaskTypes',
				type: 'options',
				options: [
					{
						name: 'Created by This Workflow',
						value: 'workflow',
						description: 'The task types the Kling AI nodes of this workflow create (all types when it has none)',
					},
					{ name: 'All', value: 'all', description: 'Every task type: one list request per type per poll' },
					{ name: 'Selected', value: 'selected', description: 'The task types chosen below' },
				],
				default: 'workflow',
				description: 'Which task types each poll lists. Each type costs at least one list request per poll; all new-standard tasks are listed together.',
				displayOptions: { show: { '@version': [{ _cnd: { gte: 2 } }] } },
			},
			{
				displayName: 'Task Types',
				name: 'taskTypes',
				type: 'multiOptions',
				options: taskTypeOptions(),
				default: [...TASK_TYPES],
				required: true,
				description: 'Kling task types to watch. Each type costs at least one list request per poll.',
				displayOptions: { show: { '@version': [1] } },
			},
			{
				displayName: 'Task Types',
				name: 'taskTypes',
				type: 'multiOptions',
				options: taskTypeOptions(),
				default: [],
				required: true,
				description: 'Kling task types to watch. Each type costs at least one list request per poll.',
				displayOptions: { show: { '@version': [{ _cnd: { gte: 2 } }], watchTaskTypes: ['selected'] } },
			},
			...downloadProperties(),
			{
				displayName: 'Filters',
				name: 'filters',
				type: 'collection',
				placeholder: 'Add Filter',
				default: {},
				options: [
					{
						displayName: 'External Task ID Prefix',
						name: 'externalTaskIdPrefix',
						type: 'string',
						default: '',
						description: 'Only emit tasks whose external task ID starts with this text',
					},
					{
						displayName: 'Include Tasks Waited For by Kling AI Nodes',
						name: 'includeWaitedTasks',
						type: 'boolean',
						default: false,
						description:
							'Whether to also emit tasks that a Kling AI node created with "Wait for Completion" (generated IDs starting with n8n-wait-). Off by default: their result already resumes that execution.',
					},
				],
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Catch Up Past (Hours)',
						name: 'catchUpHours',
						type: 'number',
						typeOptions: { minValue: 0, maxValue: MAX_LOOK_BACK_HOURS },
						default: 0,
						description:
							'On the first poll after publishing, also emit tasks that finished within this many hours before. 0 starts from now.',
					},
					{
						displayName: 'Max Look-Back (Hours)',
						name: 'maxLookBackHours',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: MAX_LOOK_BACK_HOURS },
						default: 48,
						description:
							'Tasks created longer ago than this are no longer watched. A larger value finds slower tasks but may cost more list requests per poll.',
					},
				],
			},
		],
	};

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		const settings = readSettings(this);
		if (this.getMode() === 'manual') {
			// "Fetch Test Event": the newest finished task, without touching any state.
			return { manualTriggerFunction: async () => this.emit(await sample(this, settings)) };
		}
		const expression = String(this.getNodeParameter('pollInterval', DEFAULT_POLL_INTERVAL)) as CronExpression;
		if (!POLL_INTERVALS.some((o) => o.value === expression)) {
			throw new NodeOperationError(this.getNode(), `Poll Every: unknown interval "${expression}"`, {
				description: `Choose one of: ${POLL_INTERVALS.map((o) => o.name).join(', ')}`,
			});
		}
		const workflowId = this.getWorkflow().id;
		const runner = new PollTriggerRunner(this, settings);
		registerEmitter(workflowId, runner);
		// n8n saves static data when activation ends, but after that only when an execution is emitted. A
		// first scan now (it emits nothing without catch-up) makes the starting cursor survive a restart
		// even if no task finishes before it.
		// With a stored cursor (a restart), the first poll runs right after activation, as n8n does for
		// poll() nodes, so tasks that finished while n8n was down do not wait for the first cron tick.
		if (!hasCursor(this.getWorkflowStaticData('node')) && settings.catchUpMs === 0) await runner.tick();
		else void sleep(ACTIVATION_POLL_DELAY_MS).then(async () => await runner.tick());
		this.helpers.registerCron({ expression }, () => void runner.tick());
		return {
			closeFunction: async () => {
				runner.closed = true;
				unregisterEmitter(workflowId, runner);
			},
		};
	}
}

/**
 * One activated Kling AI Poll Trigger: its scheduled polls, and the emitter that starts one execution
 * per finished task, keyed with n8n's execution de-duplication key, so a task is emitted once
 * whichever process, leader or restart emits it (shared/exactlyOnce.ts). The Kling AI Trigger of the
 * same workflow hands it the callbacks this process receives. The in-process ledger only skips what
 * this process has already emitted.
 */
export class PollTriggerRunner implements TaskEmitter {
	readonly nodeId: string;
	readonly ledger: TaskLedger;
	/** Longest a poll may list (retries included). */
	budgetMs = POLL_BUDGET_MS;
	/** The poll in progress: a tick due while it runs is skipped, never run twice at once. */
	running: Promise<void> | undefined;
	/** Set when n8n deactivates the trigger: no further poll starts. */
	closed = false;

	/** Writes the ledger's bounded copy into static data (read once, at activation). */
	private readonly persistLedger: () => void;
	/** The exact cursor of the last poll (static data holds the savable copy, see savableCursors). */
	working: StoredCursor | undefined;
	/** Finished tasks polls passed whose executions may not exist yet: kept watched in the saved cursor. */
	readonly passed = new Map<string, PassedTask>();

	constructor(
		private readonly ctx: ITriggerFunctions,
		private readonly settings: PollSettings,
	) {
		this.nodeId = ctx.getNode().id;
		this.ledger = ledgerFor(ctx.getWorkflow().id);
		this.persistLedger = syncWithStaticData(this.ledger, ctx.getWorkflowStaticData('global'));
	}

	async tick(): Promise<void> {
		const workflowId = this.ctx.getWorkflow().id;
		if (this.closed) return;
		if (this.running) {
			this.ctx.logger.debug('Kling AI Poll Trigger: the previous poll is still running; skipping this one', { workflowId });
			return;
		}
		this.running = (async () => {
			try {
				await runPoll(this.ctx, this.settings, this, this.budgetMs, this);
			} catch (error) {
				// The workflow stays active; n8n records the failed poll as a failed execution.
				this.ctx.logger.warn(`Kling AI Poll Trigger: poll failed: ${(error as Error).message}`, { workflowId });
				if (typeof this.ctx.saveFailedExecution === 'function') this.ctx.saveFailedExecution(error as NodeApiError | NodeOperationError);
			} finally {
				this.running = undefined;
			}
		})();
		await this.running;
	}

	claimedAt(taskId: string): number | undefined {
		return this.ledger.get(taskId)?.at;
	}

	async deliver(item: KlingTaskItem, via: EmitSource): Promise<DeliverResult> {
		const previous = this.ledger.get(item.taskId);
		if (!this.ledger.claim(item, via)) return 'duplicate';
		let entry: INodeExecutionData;
		try {
			entry = await toEntry(this.ctx, item, this.settings);
		} catch (error) {
			this.ledger.release(item.taskId, previous);
			throw new NodeOperationError(this.ctx.getNode(), error as Error);
		}
		const outputs: INodeExecutionData[][] = [[], []];
		outputs[outputIndexOf(item.status)].push(entry);
		// Static data (cursor, ledger mirror) is saved by n8n on emit, before the execution row exists;
		// both lag behind (poller.savableCursors, ledger.PERSIST_AFTER_MS), so a crash here loses nothing.
		this.persistLedger();
		this.ctx.emit(outputs, undefined, undefined, deduplicationKey(this.ctx.getWorkflow().id, item));
		return 'emitted';
	}
}

/** One scan of every chosen task type; emits each finished task through the keyed emitter. */
export async function runPoll(
	ctx: ITriggerFunctions,
	settings: PollSettings,
	emitter: TaskEmitter & { claimedAt?(taskId: string): number | undefined },
	budgetMs: number,
	/** Kept by the runner across polls: the exact cursor, and the passed tasks the saved copy keeps watched. */
	state: { working: StoredCursor | undefined; passed: Map<string, PassedTask> },
): Promise<{ emitted: number; listCalls: number }> {
	const startedAt = Date.now();
	let slowestCallMs = 0;
	const remaining = () => budgetMs - (Date.now() - startedAt);
	// Another page only if the slowest page so far would still fit into the budget.
	const canFetch = () => remaining() > slowestCallMs;

	// Static data is only read here and written at the end, so a poll that throws changes nothing.
	const nodeStaticData = ctx.getWorkflowStaticData('node');
	const stored = state.working ? (JSON.parse(JSON.stringify(state.working)) as StoredCursor) : readCursor(nodeStaticData);
	const order = settings.taskTypes.map((_, i) => settings.taskTypes[(i + stored.next) % settings.taskTypes.length]);

	const results: Array<{ type: KlingTaskType; result: ScanResult<KlingTaskItem> }> = [];
	let calls = 0;
	let firstError: unknown;
	for (const type of order) {
		if (calls > 0 && !canFetch()) break;
		const result = await scanTaskType<KlingTaskItem>({
			cursor: stored.types[type],
			fetchPage: async (pageNum) => {
				const t0 = Date.now();
				try {
					return await listTasks(ctx, type, pageNum, MAX_PAGE_SIZE, policyWithin(remaining()));
				} finally {
					slowestCallMs = Math.max(slowestCallMs, Date.now() - t0);
				}
			},
			pageSize: MAX_PAGE_SIZE,
			now: Date.now(),
			maxLookBackMs: settings.maxLookBackMs,
			catchUpMs: settings.catchUpMs,
			accept: (task) => matchesFilters(task, settings),
			canFetch,
			mustFetchFirst: calls === 0,
		});
		calls += result.calls;
		results.push({ type, result });
		if (result.stoppedBy === 'error') {
			firstError ??= result.error;
			ctx.logger.warn(`Kling AI Poll Trigger: listing ${ENDPOINTS[type].label} tasks failed; it is retried next poll`, {
				workflowId: ctx.getWorkflow().id,
				error: (result.error as Error)?.message,
			});
		}
	}
	if (calls === 0 && firstError !== undefined) {
		// Nothing could be read at all: let n8n record the error. Static data is unchanged.
		if (firstError instanceof NodeApiError || firstError instanceof NodeOperationError) throw firstError;
		throw new NodeOperationError(ctx.getNode(), `Could not list Kling tasks: ${(firstError as Error)?.message ?? String(firstError)}`);
	}

	// The cursor this scan reached: stored only after the emissions below, so the copy n8n saves with
	// them is the previous one; and what is stored keeps watching the tasks passed here until their
	// executions surely exist (savableCursors), since a later emit saves it before that. A crash re-scans
	// these tasks, and their keys keep them from starting twice.
	const types: StoredCursor['types'] = {};
	for (const type of settings.taskTypes) if (stored.types[type]) types[type] = stored.types[type];
	for (const { type, result } of results) {
		if (result.cursor) types[type] = result.cursor;
		else delete types[type];
	}

	const candidates = results
		.flatMap(({ type, result }) => result.emit.map((item) => ({ type, item })))
		.sort((a, b) => (a.item.updatedAtMs ?? a.item.createdAtMs ?? 0) - (b.item.updatedAtMs ?? b.item.createdAtMs ?? 0));
	let emitted = 0;
	let alreadyDelivered = 0;
	for (const { type, item } of candidates) {
		try {
			if ((await emitter.deliver(item, 'poll')) === 'emitted') emitted++;
			else alreadyDelivered++;
		} catch (error) {
			// Keep the previous cursor: the next poll finds this task (and the rest) again.
			throw new NodeOperationError(ctx.getNode(), `Could not prepare finished task ${item.taskId}: ${(error as Error).message}`);
		}
		const claimedAt = emitter.claimedAt?.(item.taskId) ?? Date.now();
		state.passed.set(item.taskId, { type, createdAt: item.createdAtMs ?? Date.now(), claimedAt });
	}
	state.working = { v: CURSOR_VERSION, next: (stored.next + 1) % settings.taskTypes.length, types };
	nodeStaticData[CURSOR_KEY] = { ...state.working, types: savableCursors(types, state.passed, Date.now(), PERSIST_AFTER_MS) };

	const dropped = results.reduce((n, { result }) => n + result.dropped.tooOld + result.dropped.missing + result.dropped.overLimit, 0);
	const closedHoles = results.reduce((n, { result }) => n + result.closedHoles, 0);
	if (dropped || closedHoles) {
		ctx.logger.warn('Kling AI Poll Trigger stopped watching some tasks', {
			workflowId: ctx.getWorkflow().id,
			tooOld: results.reduce((n, { result }) => n + result.dropped.tooOld, 0),
			missing: results.reduce((n, { result }) => n + result.dropped.missing, 0),
			overLimit: results.reduce((n, { result }) => n + result.dropped.overLimit, 0),
			closedHoles,
		});
	}
	ctx.logger.debug('Kling AI Poll Trigger poll done', {
		workflowId: ctx.getWorkflow().id,
		listCalls: calls,
		typesScanned: results.length,
		complete: results.length === order.length && results.every(({ result }) => result.complete),
		emitted,
		alreadyDelivered,
		durationMs: Date.now() - startedAt,
	});
	return { emitted, listCalls: calls };
}
