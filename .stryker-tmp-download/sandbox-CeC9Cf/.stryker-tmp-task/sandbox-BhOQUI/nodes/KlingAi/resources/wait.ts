/** "Wait for Completion" parameters of the create operations, and the runner that applies them. */
// @ts-nocheck

import type { IDisplayOptions, IExecuteFunctions, INodeExecutionData, INodeProperties, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { ENDPOINTS } from '../shared/endpoints';
import { createAndWait, handleWaitWebhook, WAIT_MODES, type DownloadSettings, type WaitMode } from '../shared/wait';
import { buildCreateBody, sendCreate } from './create';
import { checkOneOf, checkRange, fieldError, str } from './fields';
import { CREATE_OPERATIONS, findCreateOperation, type CreateOperation } from './index';
import { downloadProperties } from './task/taskOperations';
import { isToolRun, toolWaitMode } from './tool';

type Show = NonNullable<IDisplayOptions['show']>;
const WAITING: WaitMode[] = ['callback', 'poll', 'callbackThenPoll'];
export const MIN_LIMIT_MINUTES = 0.05;
export const MAX_LIMIT_MINUTES = 24 * 60;

function show(ops: readonly CreateOperation[], extra: Show = {}): { show: Show } {
	return { show: { resource: [...new Set(ops.map((o) => o.resource))], operation: ops.map((o) => o.value), ...extra } };
}

export function waitProperties(): INodeProperties[] {
	const all = CREATE_OPERATIONS;
	const byDefault = new Map<number, CreateOperation[]>();
	for (const op of all) byDefault.set(op.defaultWaitMinutes, [...(byDefault.get(op.defaultWaitMinutes) ?? []), op]);
	// No numberPrecision: the editor would show 30 as "30.00"; fractions (e.g. 0.5) are still accepted.
	const limitProps: INodeProperties[] = [...byDefault.entries()].map(([minutes, ops]) => ({
		displayName: 'Time Limit (Minutes)',
		name: 'waitTimeLimit',
		type: 'number',
		typeOptions: { minValue: MIN_LIMIT_MINUTES, maxValue: MAX_LIMIT_MINUTES },
		default: minutes,
		description:
			'How long to wait for the task at most. Video tasks usually take a few minutes, some (e.g. avatars) more than ten. When the limit passes, the node checks the task once more; if it is still running the task goes to the Failed output with waitTimedOut: true and its task ID.',
		displayOptions: show(ops, { waitForCompletion: WAITING }),
	}));
	// Order: the wait mode first; what only one choice needs follows it, so the panel reads top-down and nothing
	// above the choice appears or disappears (the callback destination of "Don't Wait" comes right after this list).
	return [
		{
			displayName: 'Wait for Completion',
			name: 'waitForCompletion',
			type: 'options',
			noDataExpression: true,
			options: [
				{
					name: "Don't Wait",
					value: 'dontWait',
					description: 'Output the created task right away (status submitted); get the result later with Get Task or a trigger',
				},
				{
					name: 'Wait for Kling to Call Back',
					value: 'callback',
					description: 'Pause the execution until Kling calls back (nothing runs meanwhile); needs n8n reachable from the internet',
				},
				{ name: 'Poll Until Finished', value: 'poll', description: 'Ask Kling for the status until the task finishes; works when Kling cannot reach n8n' },
				{
					name: 'Wait for Call Back, Then Poll',
					value: 'callbackThenPoll',
					description: 'Wait for the callback; if none came after "Poll After", poll',
				},
			],
			default: 'dontWait',
			description: 'Whether the node waits until the task finished and then outputs it on a Succeeded or a Failed output',
			displayOptions: show(all),
		},
		{
			displayName:
				"The node outputs the task as soon as Kling accepted it (status submitted, no video yet). To get the result in this workflow choose a Wait for Completion mode; otherwise use Get Task, the Kling AI Trigger or the Kling AI Poll Trigger.",
			name: 'dontWaitNotice',
			type: 'notice',
			default: '',
			displayOptions: show(all, { waitForCompletion: ['dontWait'] }),
		},
		{
			displayName:
				"Kling calls this execution's resume URL, so n8n must be reachable from the internet over https (WEBHOOK_URL). With more than one input item the node creates all tasks and polls instead: one resume URL cannot carry several tasks.",
			name: 'callbackWaitNotice',
			type: 'notice',
			default: '',
			displayOptions: show(all, { waitForCompletion: ['callback', 'callbackThenPoll'] }),
		},
		...limitProps,
		{
			displayName: 'Poll After (Minutes)',
			name: 'pollAfterMinutes',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 5,
			description: 'Start polling when no final callback arrived after this many minutes',
			displayOptions: show(all, { waitForCompletion: ['callbackThenPoll'] }),
		},
		{
			displayName: 'Poll Interval (Seconds)',
			name: 'pollIntervalSeconds',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 600 },
			default: 15,
			description: 'Time between status checks at first; it grows by half each round, up to 60 seconds',
			displayOptions: show(all, { waitForCompletion: ['poll', 'callbackThenPoll'] }),
		},
		{
			displayName: 'Confirm Callbacks With Kling API',
			name: 'confirmWithApi',
			type: 'boolean',
			default: false,
			description:
				'Whether to fetch the task from Kling before continuing, instead of trusting the callback body. Always done when the credential has a webhook secret and a callback arrives unsigned.',
			displayOptions: show(all, { waitForCompletion: ['callback', 'callbackThenPoll'] }),
		},
		...downloadProperties(show(all, { waitForCompletion: WAITING })),
	];
}

interface WaitParams {
	mode: WaitMode;
	limitMinutes: number;
	pollAfterMinutes: number;
	pollIntervalSeconds: number;
	download: DownloadSettings;
}

function readWaitParams(ctx: IExecuteFunctions): WaitParams {
	const mode = str(ctx, 'waitForCompletion', 0, 'dontWait') as WaitMode;
	checkOneOf(ctx, 0, 'Wait for Completion', mode, WAIT_MODES);
	if (mode === 'dontWait') return { mode, limitMinutes: 0, pollAfterMinutes: 0, pollIntervalSeconds: 0, download: { enabled: false, binaryProperty: 'data', watermarked: false } };
	const limitMinutes = ctx.getNodeParameter('waitTimeLimit', 0, 30) as number;
	checkRange(ctx, 0, 'Time Limit (Minutes)', limitMinutes, MIN_LIMIT_MINUTES, MAX_LIMIT_MINUTES);
	const pollAfterMinutes = mode === 'callbackThenPoll' ? (ctx.getNodeParameter('pollAfterMinutes', 0, 5) as number) : 0;
	checkRange(ctx, 0, 'Poll After (Minutes)', pollAfterMinutes, 0, MAX_LIMIT_MINUTES);
	const pollIntervalSeconds = ctx.getNodeParameter('pollIntervalSeconds', 0, 15) as number;
	checkRange(ctx, 0, 'Poll Interval (Seconds)', pollIntervalSeconds, 1, 600);
	const enabled = ctx.getNodeParameter('downloadResults', 0, false) as boolean;
	const binaryProperty = enabled ? str(ctx, 'binaryPropertyName', 0, 'data').trim() : 'data';
	if (enabled && !binaryProperty) throw fieldError(ctx, 0, 'Put Output File in Field', 'is empty');
	const watermarked = enabled ? (ctx.getNodeParameter('downloadWatermarked', 0, false) as boolean) : false;
	return { mode, limitMinutes, pollAfterMinutes, pollIntervalSeconds, download: { enabled, binaryProperty, watermarked } };
}

export function isWaiting(ctx: IExecuteFunctions): boolean {
	return str(ctx, 'waitForCompletion', 0, 'dontWait') !== 'dontWait';
}

/**
 * Create with "Wait for Completion" set: [Succeeded, Failed] (or [[], []] while the execution waits).
 * As an AI Agent tool a callback wait polls instead (bounded by the Time Limit): putting the
 * execution to wait would pause the agent and leave its caller without an answer.
 */
export async function runCreateAndWait(ctx: IExecuteFunctions, op: CreateOperation, itemCount: number): Promise<INodeExecutionData[][]> {
	const p = readWaitParams(ctx);
	if (p.mode === 'dontWait') throw fieldError(ctx, 0, 'Wait for Completion', 'is "Don\'t Wait"');
	const mode = isToolRun(ctx) ? toolWaitMode(p.mode) : p.mode;
	if (mode !== p.mode) {
		ctx.addExecutionHints?.({
			message: `Run as an AI Agent tool, "Wait for Completion" polls Kling (at most ${p.limitMinutes} minutes) instead of waiting for a callback`,
			location: 'outputPane',
		});
	}
	return await createAndWait(ctx, {
		mode,
		taskType: op.taskType,
		itemCount,
		limitMinutes: p.limitMinutes,
		pollAfterMinutes: p.pollAfterMinutes,
		pollIntervalSeconds: p.pollIntervalSeconds,
		download: p.download,
		create: async (i, callbackUrl) => await sendCreate(ctx, i, op, await buildCreateBody(ctx, i, op, callbackUrl)),
	});
}

/** webhook() of the node: a call to the resume URL of a waiting create. */
export async function waitWebhook(ctx: IWebhookFunctions): Promise<IWebhookResponseData> {
	const op = findCreateOperation(String(ctx.getNodeParameter('resource', '')), String(ctx.getNodeParameter('operation', '')));
	if (!op) {
		ctx.getResponseObject().status(404).json({ error: 'This node is not waiting for a Kling task', reason: 'not_waiting' });
		return { noWebhookResponse: true };
	}
	const download = ctx.getNodeParameter('downloadResults', false) as boolean;
	return await handleWaitWebhook(ctx, {
		taskType: ENDPOINTS[op.taskType].type,
		confirmWithApi: ctx.getNodeParameter('confirmWithApi', false) as boolean,
		limitMinutes: ctx.getNodeParameter('waitTimeLimit', op.defaultWaitMinutes) as number,
		download: {
			enabled: download,
			binaryProperty: download ? String(ctx.getNodeParameter('binaryPropertyName', 'data')).trim() || 'data' : 'data',
			watermarked: download ? (ctx.getNodeParameter('downloadWatermarked', false) as boolean) : false,
		},
	});
}
