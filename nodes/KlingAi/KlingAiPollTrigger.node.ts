import {
	NodeApiError,
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';
import { MAX_PAGE_SIZE, WAITED_ID_PREFIX, listTasks } from './shared/api';
import { downloadResults } from './shared/download';
import { ENDPOINTS, TASK_TYPES, isTaskType, taskTypeOptions, type KlingTaskType } from './shared/endpoints';
import { ledgerFor, syncWithStaticData, type LedgerEntry } from './shared/ledger';
import { scanTaskType, type ScanResult, type TypeCursor } from './shared/poller';
import { isTerminal, outputIndexOf, type KlingTaskItem } from './shared/task';
import { downloadProperties } from './resources/task/taskOperations';
import { CREDENTIAL_NAME, DEFAULT_RETRY_POLICY, type RetryPolicy } from './shared/transport';

const HOUR_MS = 3_600_000;
/** Node static data key of the cursor (per task type: examined ranges, watched tasks, resume point). */
export const CURSOR_KEY = 'klingAiPollCursor';
const CURSOR_VERSION = 1;
/** Tasks read per type for a test event ("Fetch Test Event"). */
const SAMPLE_PAGE_SIZE = 50;
/** Kling keeps tasks for 30 days. */
const MAX_LOOK_BACK_HOURS = 720;
/** A poll still running when the next one starts is not run twice at once (same workflow and node). */
const RUNNING = new Set<string>();

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

function readSettings(ctx: IPollFunctions): PollSettings {
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
	if (!stored || stored.v !== CURSOR_VERSION || typeof stored.types !== 'object') return { v: CURSOR_VERSION, next: 0, types: {} };
	// A deep copy: n8n's static data is live, and a poll that fails must leave it exactly as it was.
	return JSON.parse(JSON.stringify(stored)) as StoredCursor;
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

async function toEntry(ctx: IPollFunctions, item: KlingTaskItem, settings: PollSettings): Promise<INodeExecutionData> {
	const json: IDataObject = { ...item };
	const entry: INodeExecutionData = { json };
	const hasResults = item.videos.some((v) => v.url) || item.images.some((i) => i.url);
	if (settings.downloadResults && item.status === 'succeeded' && hasResults) {
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
async function sample(ctx: IPollFunctions, settings: PollSettings): Promise<INodeExecutionData[][]> {
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
		version: 1,
		subtitle: 'Finished tasks (polling)',
		description: 'Polls Kling AI for finished tasks and emits each one once: the safety net for callbacks that never arrived',
		defaults: { name: 'Kling AI Poll Trigger' },
		polling: true,
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
				displayName: 'Task Types',
				name: 'taskTypes',
				type: 'multiOptions',
				options: taskTypeOptions(),
				default: [...TASK_TYPES],
				required: true,
				description: 'Kling task types to watch. Each type costs at least one list request per poll.',
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

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const settings = readSettings(this);
		if (this.getMode() === 'manual') return await sample(this, settings);

		const workflowId = this.getWorkflow().id;
		const runKey = `${workflowId ?? ''}\u0000${this.getNode().id}`;
		if (RUNNING.has(runKey)) {
			this.logger.debug('Kling AI Poll Trigger: the previous poll is still running; skipping this one', { workflowId });
			return null;
		}
		RUNNING.add(runKey);
		try {
			return await runPoll(this, settings);
		} finally {
			RUNNING.delete(runKey);
		}
	}
}

async function runPoll(ctx: IPollFunctions, settings: PollSettings): Promise<INodeExecutionData[][] | null> {
	const startedAt = Date.now();
	const budgetMs = ctx.getPollBudgetMs?.() ?? 5 * 60_000;
	let slowestCallMs = 0;
	const remaining = () => budgetMs - (Date.now() - startedAt);
	// Another page only if the slowest page so far would still fit into the budget.
	const canFetch = () => remaining() > slowestCallMs;

	// Static data is only read here and written at the end, so a poll that throws changes nothing.
	const nodeStaticData = ctx.getWorkflowStaticData('node');
	const stored = readCursor(nodeStaticData);
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

	// Exactly once across the Kling AI Trigger, this poll trigger and waits of the same workflow.
	const ledger = ledgerFor(ctx.getWorkflow().id);
	const persistLedger = syncWithStaticData(ledger, ctx.getWorkflowStaticData('global'));
	const claimed: Array<{ item: KlingTaskItem; previous: LedgerEntry | undefined }> = [];
	let alreadyDelivered = 0;
	const candidates = results
		.flatMap(({ result }) => result.emit)
		.sort((a, b) => (a.updatedAtMs ?? a.createdAtMs ?? 0) - (b.updatedAtMs ?? b.createdAtMs ?? 0));
	for (const item of candidates) {
		const previous = ledger.get(item.taskId);
		if (ledger.claim(item, 'poll')) claimed.push({ item, previous });
		else alreadyDelivered++;
	}

	const outputs: INodeExecutionData[][] = [[], []];
	try {
		for (const { item } of claimed) outputs[outputIndexOf(item.status)].push(await toEntry(ctx, item, settings));
	} catch (error) {
		for (const { item, previous } of claimed) ledger.release(item.taskId, previous);
		throw new NodeOperationError(ctx.getNode(), `Could not prepare the finished tasks: ${(error as Error).message}`);
	}

	// Commit: the cursor of every type scanned, and the ledger (n8n saves static data after the poll).
	const types: StoredCursor['types'] = {};
	for (const type of settings.taskTypes) if (stored.types[type]) types[type] = stored.types[type];
	for (const { type, result } of results) {
		if (result.cursor) types[type] = result.cursor;
		else delete types[type];
	}
	nodeStaticData[CURSOR_KEY] = { v: CURSOR_VERSION, next: (stored.next + 1) % settings.taskTypes.length, types };
	persistLedger();

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
		emitted: claimed.length,
		alreadyDelivered,
		durationMs: Date.now() - startedAt,
	});

	return claimed.length ? outputs : null;
}
