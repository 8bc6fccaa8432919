/**
 * What every create operation shares: the callback setting, the external task id, and the
 * create call itself (through createTask, which recovers a lost create by its external id).
 */
// @ts-nocheck

import { NodeApiError, NodeOperationError, type IDataObject, type IDisplayOptions, type IExecuteFunctions, type INodeProperties, type JsonObject } from 'n8n-workflow';
import { createTask, findTask, generateExternalTaskId, GENERATED_ID_PREFIX, WAITED_ID_PREFIX } from '../shared/api';
import { CallbackUrlError, buildCallbackUrl, urlTokenFromCredentials, validateCallbackUrl } from '../shared/callback';
import { ENDPOINTS, type KlingTaskType } from '../shared/endpoints';
import { NsRuleError, decideStandard, isNsFamily, nsPath, toNewStandardBody, type ApiStandardChoice, type NsRoute } from '../shared/newStandard';
import { CREDENTIAL_NAME } from '../shared/transport';
import type { KlingTaskItem } from '../shared/task';
import type { CreateOperation } from './types';
import { CUSTOM_MODEL, checkOneOf, fieldError, optString, str } from './fields';

export const MAX_EXTERNAL_TASK_ID_LENGTH = 128;

export const externalTaskIdOption: INodeProperties = {
	displayName: 'External Task ID',
	name: 'externalTaskId',
	type: 'string',
	default: '',
	description:
		'Your own unique ID for the task (external_task_id), e.g. an order number; Get Task can find the task by it. Empty = generated from workflow, execution, node and item, so a retry of this node in the same execution finds the task it already created instead of paying for a second one.',
};

export function callbackProperties(createOperations: readonly CreateOperation[]): INodeProperties[] {
	const ops = createOperations.map((o) => o.value);
	// Hidden while waiting for completion: the wait uses the execution's resume URL as callback_url.
	const show = (extra: NonNullable<IDisplayOptions['show']> = {}) => ({
		show: { resource: [...new Set(createOperations.map((o) => o.resource))], operation: ops, waitForCompletion: ['dontWait'], ...extra },
	});
	return [
		{
			// Not called "Callback": that word names a Wait for Completion mode too.
			displayName: 'Send Status Updates To',
			name: 'callback',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'Nowhere', value: 'none', description: 'No callback: use Get Task, the Kling AI Poll Trigger or Wait for Completion' },
				{ name: 'Kling AI Trigger', value: 'trigger', description: 'Send the result to a Kling AI Trigger node (its Production URL)' },
				{ name: 'Custom URL', value: 'custom', description: 'Kling POSTs every status change to a URL of your choice' },
			],
			default: 'none',
			description: 'Where Kling reports status changes of the task (callback_url). Shown with "Don\'t Wait" only: a wait uses this execution\'s own resume URL.',
			displayOptions: show(),
		},
		{
			displayName: 'Trigger Production URL',
			name: 'callbackUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://n8n.example.com/webhook/1f0c…/webhook',
			description:
				'The Production URL of a Kling AI Trigger node: open the trigger, click "Webhook URLs", choose "Production URL" and copy it, then publish (activate) the trigger\'s workflow. The task type and a token derived from this credential are appended automatically, so the trigger accepts the callback.',
			hint: 'Production URLs contain /webhook/. Test URLs (/webhook-test/) only answer while the trigger is listening in the editor and are refused when this workflow runs in production.',
			displayOptions: show({ callback: ['trigger'] }),
		},
		{
			displayName: 'Callback URL',
			name: 'callbackUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://example.com/kling-callback',
			description: 'An https URL Kling POSTs the task object to on every status change (sent unchanged; add your own token if the receiver needs one)',
			hint: 'Kling calls it from the internet: plain http is accepted only for localhost.',
			displayOptions: show({ callback: ['custom'] }),
		},
	];
}

/** callback_url for the body, or undefined for "None". */
export async function readCallbackUrl(ctx: IExecuteFunctions, i: number, op: CreateOperation): Promise<string | undefined> {
	const mode = str(ctx, 'callback', i, 'none');
	if (mode === 'none') return undefined;
	const field = mode === 'trigger' ? 'Trigger Production URL' : 'Callback URL';
	const raw = str(ctx, 'callbackUrl', i).trim();
	if (!raw) throw new NodeOperationError(ctx.getNode(), `"${field}" is required`, { itemIndex: i, description: 'Paste the URL Kling should call, or set "Send Status Updates To" to Nowhere.' });
	let url: URL;
	try {
		url = validateCallbackUrl(raw, { productionRun: ctx.getMode() !== 'manual' });
	} catch (error) {
		if (error instanceof CallbackUrlError) {
			throw new NodeOperationError(ctx.getNode(), `"${field}": ${error.message}`, { itemIndex: i, description: error.description });
		}
		throw new NodeOperationError(ctx.getNode(), error as Error, { itemIndex: i });
	}
	if (mode === 'custom') return url.toString();
	const credentials = await ctx.getCredentials(CREDENTIAL_NAME, i);
	return buildCallbackUrl(url, { taskType: op.taskType, token: urlTokenFromCredentials(credentials) });
}

export function readExternalTaskId(ctx: IExecuteFunctions, i: number, op: CreateOperation): string {
	const own = optString((ctx.getNodeParameter('options', i, {}) as IDataObject) ?? {}, 'externalTaskId')?.trim();
	if (own) {
		if (own.length > MAX_EXTERNAL_TASK_ID_LENGTH) {
			throw new NodeOperationError(ctx.getNode(), `"External Task ID" is too long: ${own.length} characters, at most ${MAX_EXTERNAL_TASK_ID_LENGTH}`, { itemIndex: i });
		}
		return own;
	}
	const waited = ctx.getNodeParameter('waitForCompletion', i, 'dontWait') !== 'dontWait';
	// The run index keeps a node that runs several times in one execution (a loop) from reusing the id of
	// its earlier run, which Kling would answer with that earlier task.
	const runIndex = ctx.getWorkflowDataProxy(i).$runIndex as number | undefined;
	return generateExternalTaskId(
		[ctx.getWorkflow().id, ctx.getExecutionId(), ctx.getNode().id, i, op.value, ...(runIndex ? [runIndex] : [])],
		waited ? WAITED_ID_PREFIX : GENERATED_ID_PREFIX,
	);
}

/** New-standard create paths of the bodies buildCreateBody() made for the new standard (read by sendCreate). */
const NEW_STANDARD_PATHS = new WeakMap<IDataObject, string>();

/**
 * The new-standard route item i creates on, or undefined for the legacy standard (shared/newStandard.ts
 * decideStandard). Checked before any request: the new standard takes an API key only, so a credential with
 * access/secret keys fails here, naming the credential field.
 */
export async function newStandardRoute(ctx: IExecuteFunctions, i: number, op: CreateOperation): Promise<NsRoute | undefined> {
	if (!isNsFamily(op.value)) return undefined;
	const selected = str(ctx, 'model', i, '');
	const model = selected === CUSTOM_MODEL ? str(ctx, 'customModel', i, '').trim() : selected;
	const choice = str(ctx, 'apiStandard', i, 'legacy');
	checkOneOf(ctx, i, 'API Standard', choice, ['legacy', 'auto', 'new']);
	const credentials = await ctx.getCredentials(CREDENTIAL_NAME, i);
	const mode = credentials.authType === 'apiKey' ? 'apiKey' : 'accessKey';
	const decision = decideStandard(op.value, model, choice as ApiStandardChoice, mode);
	if (decision.standard === 'legacy') return undefined;
	if (mode !== 'apiKey') {
		const both = decision.why !== 'newOnly';
		throw new NodeOperationError(
			ctx.getNode(),
			`Model ${model} on Kling's new API standard needs an API key: the credential uses an access key + secret key`,
			{
				itemIndex: i,
				description: `Kling's new standard (${nsPath(decision.route)}) accepts an API key only. In the Kling AI API credential set "Authentication" to "API Key" and fill in "API Key" (created in the Kling console)${
					both ? ', or set "API Standard" to "Legacy" to use this model with access/secret keys' : ''
				}.`,
			},
		);
	}
	return decision.route;
}

/**
 * The full create body for item i: operation fields + external_task_id (where the endpoint documents it)
 * + callback_url (unless overridden). On the new standard both go into `options`.
 */
export async function buildCreateBody(ctx: IExecuteFunctions, i: number, op: CreateOperation, callbackUrl?: string | null): Promise<IDataObject> {
	const route = await newStandardRoute(ctx, i, op);
	const body = await op.buildBody(ctx, i);
	if (route) {
		let ns: IDataObject;
		try {
			ns = toNewStandardBody(route, body);
		} catch (error) {
			if (error instanceof NsRuleError) throw fieldError(ctx, i, error.field, error.problem, error.hint);
			throw new NodeOperationError(ctx.getNode(), error as Error, { itemIndex: i });
		}
		// The callback URL names the task type the trigger should read the task as: every new-standard task is one.
		const nsOp: CreateOperation = { ...op, taskType: 'newStandard' };
		const callback = callbackUrl === undefined ? await readCallbackUrl(ctx, i, nsOp) : (callbackUrl ?? undefined);
		const options = ns.options as IDataObject;
		if (callback) options.callback_url = callback;
		options.external_task_id = readExternalTaskId(ctx, i, op);
		NEW_STANDARD_PATHS.set(ns, nsPath(route));
		return ns;
	}
	const callback = callbackUrl === undefined ? await readCallbackUrl(ctx, i, op) : (callbackUrl ?? undefined);
	if (callback) body.callback_url = callback;
	if (ENDPOINTS[op.taskType].externalTaskId) body.external_task_id = readExternalTaskId(ctx, i, op);
	return body;
}

/** Kling refuses a second create with the same external_task_id (its exact code is undocumented). */
export function isDuplicateExternalIdError(error: unknown): boolean {
	const message = String((error as { message?: unknown })?.message ?? '') + ' ' + String((error as { description?: unknown })?.description ?? '');
	return /external_task_id/i.test(message) && /(already exist|exists|duplicate|unique)/i.test(message);
}

/**
 * Send the create. When Kling answers that the external_task_id already exists (a retry of this node
 * in the same execution, or the user's own id used twice), return that existing task instead of failing.
 */
export async function sendCreate(ctx: IExecuteFunctions, i: number, op: CreateOperation, body: IDataObject): Promise<KlingTaskItem> {
	const nsPathOfBody = NEW_STANDARD_PATHS.get(body);
	const type: KlingTaskType = nsPathOfBody ? 'newStandard' : op.taskType;
	try {
		const { item } = await createTask(ctx, type, body, undefined, i, nsPathOfBody);
		return item;
	} catch (error) {
		const sent = body.external_task_id ?? (body.options as IDataObject | undefined)?.external_task_id;
		const externalId = typeof sent === 'string' ? sent : undefined;
		if (!externalId || !isDuplicateExternalIdError(error)) throw asNodeError(ctx, error, i);
		const existing = await findTask(ctx, type, externalId);
		if (!existing) throw asNodeError(ctx, error, i);
		if (!existing.externalTaskId) existing.externalTaskId = externalId;
		return existing;
	}
}

export function asNodeError(ctx: IExecuteFunctions, error: unknown, itemIndex: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	const e = error as { httpCode?: unknown; response?: unknown };
	if (e && (e.httpCode !== undefined || e.response !== undefined)) return new NodeApiError(ctx.getNode(), error as JsonObject, { itemIndex });
	return new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
}
