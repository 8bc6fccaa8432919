/**
 * The Kling AI node as an AI Agent tool ("Kling AI Tool", the `klingAiTool` variant n8n generates
 * from `usableAsTool`): how the node knows it runs as a tool, the tool-only parameters (a tool
 * description per operation the model can act on, raw output switch) and the one output a model reads.
 */
// @ts-nocheck

import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, IPairedItemData } from 'n8n-workflow';
import { compactForTool } from '../shared/toolResult';
import { str } from './fields';
import { CREATE_OPERATIONS, findCreateOperation, type CreateOperation } from './index';

/** Wait modes that would pause the execution for Kling's callback; a tool polls instead. */
const CALLBACK_MODES = ['callback', 'callbackThenPoll'];

/**
 * Whether this run is a tool call of an AI agent. n8n 2.40 has two paths:
 * - agents that call the tool themselves (langchain DynamicStructuredTool, e.g. AI Agent v1/v2) run
 *   execute() in a SupplyDataContext whose isToolExecution() is true;
 * - AI Agent v3 hands the call to the workflow engine, which runs execute() in a plain ExecuteContext
 *   (isToolExecution() = false) on the tool node, whose type is the generated variant `<package>.klingAiTool`
 *   (n8n's convertNodeToAiTool appends "Tool"; n8n-workflow's isToolType and the `@tool` display option test the same).
 */
export function isToolRun(ctx: IExecuteFunctions): boolean {
	if (typeof ctx.isToolExecution === 'function' && ctx.isToolExecution()) return true;
	const type = ctx.getNode().type ?? '';
	return (type.split('.').pop() ?? '').endsWith('Tool');
}

/** The wait mode a tool run uses: a callback wait would pause the agent's whole execution, so it polls. */
export function toolWaitMode<M extends string>(mode: M): M | 'poll' {
	return CALLBACK_MODES.includes(mode) ? 'poll' : mode;
}

const TOOL_ONLY = { '@tool': [true] };
const CREDITS = "Each call starts a NEW Kling task that costs credits from the user's Kling account: call it once per requested result, never to retry a success or to check on a task.";
const RETURNS =
	'Returns JSON with "outcome": "succeeded" (videos[].url / images[].url, durationSeconds, taskId), "failed" (Kling\'s "reason"), "timedOut" or "running" (the taskId to check later), or "error" (the message).';

function timingOf(op: CreateOperation): string {
	if (op.resource === 'audio') return 'Audio tasks usually take under a minute or two; the tool answers when the task finished or its time limit passed.';
	return op.resource === 'video'
		? 'Video tasks usually take a few minutes (some more than ten); the tool answers when the task finished or its time limit passed.'
		: 'Image tasks usually take well under a minute; the tool answers when the task finished or its time limit passed.';
}

/** The default tool description of a create operation: what it makes, how long it takes, that it costs credits. */
export function createToolDescription(op: CreateOperation): string {
	return `${op.action} with Kling AI (${op.name}). ${timingOf(op)} ${CREDITS} ${RETURNS}`;
}

const READ_DESCRIPTIONS: Array<{ resource: string; operation: string; text: string }> = [
	...(['video', 'image', 'audio'] as const).flatMap((resource) => [
		{
			resource,
			operation: 'getTask',
			text: `Look up one Kling AI ${resource} task by its task ID: its status, the result URLs when it succeeded, Kling's reason when it failed. Costs no credits; use it to check a task that was still running. ${RETURNS}`,
		},
		{
			resource,
			operation: 'listTasks',
			text: `List recent Kling AI ${resource} tasks (newest first) with their status and result URLs. Costs no credits.`,
		},
	]),
	{ resource: 'account', operation: 'getResourcePacks', text: "Get the Kling AI account's resource packs and how many credits remain. Costs no credits." },
];

function descriptionProperty(resource: string, operation: string, text: string): INodeProperties {
	return {
		displayName: 'Tool Description',
		name: 'toolDescription',
		type: 'string',
		default: text,
		typeOptions: { rows: 4 },
		description: 'What the AI agent is told about this tool. The default says what it creates, how long it takes and that it costs credits.',
		displayOptions: { show: { ...TOOL_ONLY, resource: [resource], operation: [operation] } },
	};
}

/**
 * Tool-only parameters shown first. Declaring `toolDescription` ourselves keeps n8n from adding its
 * "Set Automatically" choice, whose text would only be "<action> in Kling AI".
 */
export function toolDescriptionProperties(): INodeProperties[] {
	return [
		{
			displayName:
				'As an AI Agent tool this node returns one JSON result for every outcome (succeeded, failed, timed out). "Callback" and "Callback, Then Poll" poll Kling instead (an agent cannot pause for a callback), at most for the Time Limit. Let the model fill fields with $fromAI(), e.g. the prompt.',
			name: 'toolNotice',
			type: 'notice',
			default: '',
			displayOptions: { show: TOOL_ONLY },
		},
		...CREATE_OPERATIONS.map((op) => descriptionProperty(op.resource, op.value, createToolDescription(op))),
		...READ_DESCRIPTIONS.map((d) => descriptionProperty(d.resource, d.operation, d.text)),
	];
}

/** Tool-only parameters shown last. */
export function toolOutputProperties(): INodeProperties[] {
	return [
		{
			displayName: 'Include Raw Kling Response',
			name: 'toolIncludeRaw',
			type: 'boolean',
			default: false,
			description: "Whether the tool's result also carries Kling's full task body (raw); off keeps the result short for the model",
			displayOptions: { show: TOOL_ONLY },
		},
	];
}

function itemIndexOf(item: INodeExecutionData): number {
	const paired = item.pairedItem as number | IPairedItemData | IPairedItemData[] | undefined;
	if (typeof paired === 'number') return paired;
	if (Array.isArray(paired)) return paired[0]?.item ?? 0;
	return paired?.item ?? 0;
}

/** How the node waited, for the model (only when a callback wait became polling). */
function waitNoteOf(ctx: IExecuteFunctions): string | undefined {
	const op = findCreateOperation(str(ctx, 'resource', 0, ''), str(ctx, 'operation', 0, ''));
	const mode = op ? str(ctx, 'waitForCompletion', 0, 'dontWait') : '';
	if (!op || !CALLBACK_MODES.includes(mode)) return undefined;
	const limit = ctx.getNodeParameter('waitTimeLimit', 0, op.defaultWaitMinutes) as number;
	return `Run as an AI tool, the node polled Kling for at most ${limit} minutes instead of waiting for a callback.`;
}

/** All outputs of a tool run merged into the first (the only one an agent reads), in input order, compact. */
export function toolOutputs(ctx: IExecuteFunctions, outputs: INodeExecutionData[][]): INodeExecutionData[][] {
	const includeRaw = ctx.getNodeParameter('toolIncludeRaw', 0, false) as boolean;
	const waitNote = waitNoteOf(ctx);
	const items = outputs
		.flat()
		.map((item, order) => ({ item, order }))
		.sort((a, b) => itemIndexOf(a.item) - itemIndexOf(b.item) || a.order - b.order)
		.map(({ item }) => ({ ...item, json: compactForTool(item.json as IDataObject, { includeRaw, waitNote }) }));
	return [items];
}
