// @ts-nocheck
import {
	NodeConnectionTypes,
	NodeOperationError,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type IHookFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';
import {
	ackBody,
	authenticateCallback,
	checkSize,
	confirmationTypes,
	ledgerVerdict,
	matchesFilters,
	parseCallback,
	rejectionBody,
	type CallbackFilters,
	type CallbackRequest,
	type IgnoreReason,
	type Rejection,
} from './KlingAiTriggerHelpers';
import { findTask, findTaskAnyType } from './shared/api';
import { downloadResults, hasResultFiles } from './shared/download';
import { isTaskType, taskTypeOptions } from './shared/endpoints';
import { START_EXECUTIONS, emitterFor, routeCallback, type StartExecutions } from './shared/exactlyOnce';
import { ledgerFor, syncWithStaticData } from './shared/ledger';
import { isTerminal, outputIndexOf, type KlingTaskItem } from './shared/task';
import { downloadProperties } from './resources/task/taskOperations';
import { CREDENTIAL_NAME, DEFAULT_RETRY_POLICY, type RetryPolicy } from './shared/transport';

const output = (displayName: string) => ({ type: NodeConnectionTypes.Main, displayName });
const TERMINAL_OUTPUTS = [output('Succeeded'), output('Failed')];
const ALL_OUTPUTS = [...TERMINAL_OUTPUTS, output('Progress')];

/**
 * Kling wants a 2xx within 5 seconds, so the optional confirmation GET gets a short budget of its own
 * instead of the transport's default (which may retry for up to 90 s).
 */
export const CONFIRM_POLICY: RetryPolicy = {
	...DEFAULT_RETRY_POLICY,
	maxAttempts: 2,
	baseDelayMs: 250,
	maxDelayMs: 500,
	maxTotalMs: 2_500,
	timeoutMs: 3_000,
};

interface TriggerSettings {
	startExecutions: StartExecutions;
	requireUrlToken: boolean;
	confirmWithApi: boolean;
	emitProgress: boolean;
	downloadResults: boolean;
	binaryPropertyName: string;
	downloadWatermarked: boolean;
	filters: CallbackFilters;
}

function readSettings(ctx: IWebhookFunctions): TriggerSettings {
	const filters = ctx.getNodeParameter('filters', {}) as IDataObject;
	const taskTypes = Array.isArray(filters.taskTypes) ? filters.taskTypes.filter(isTaskType) : [];
	const downloadResultsOn = ctx.getNodeParameter('downloadResults', false) as boolean;
	const startExecutions = ctx.getNodeParameter('startExecutions', 'auto') as StartExecutions;
	return {
		startExecutions: START_EXECUTIONS.includes(startExecutions) ? startExecutions : 'auto',
		requireUrlToken: ctx.getNodeParameter('requireUrlToken', true) as boolean,
		confirmWithApi: ctx.getNodeParameter('confirmWithApi', false) as boolean,
		emitProgress: ctx.getNodeParameter('emitProgress', false) as boolean,
		downloadResults: downloadResultsOn,
		binaryPropertyName: downloadResultsOn ? String(ctx.getNodeParameter('binaryPropertyName', 'data') || 'data') : 'data',
		downloadWatermarked: downloadResultsOn ? (ctx.getNodeParameter('downloadWatermarked', false) as boolean) : false,
		filters: { taskTypes, externalTaskIdPrefix: String(filters.externalTaskIdPrefix ?? '') },
	};
}

/** Write the HTTP answer ourselves: lets us choose the status code and answer before slow work. */
function respond(ctx: IWebhookFunctions, statusCode: number, body: IDataObject): void {
	ctx.getResponseObject().status(statusCode).json(body);
}

function rejectCallback(ctx: IWebhookFunctions, rejection: Rejection, taskId?: string): IWebhookResponseData {
	// Never log the token, the secret or the signature header: the reason and the task id are enough.
	ctx.logger.warn(`Kling AI Trigger rejected a callback: ${rejection.statusCode} ${rejection.reason}`, {
		workflowId: ctx.getWorkflow().id,
		node: ctx.getNode().name,
		reason: rejection.reason,
		...(taskId ? { taskId } : {}),
	});
	respond(ctx, rejection.statusCode, rejectionBody(rejection));
	return { noWebhookResponse: true };
}

/** Acknowledge without starting an execution. */
function ignore(ctx: IWebhookFunctions, item: KlingTaskItem, reason: Exclude<IgnoreReason, 'new'>): IWebhookResponseData {
	ctx.logger.debug(`Kling AI Trigger ignored a callback (${reason})`, {
		workflowId: ctx.getWorkflow().id,
		taskId: item.taskId,
		status: item.status,
	});
	return { webhookResponse: ackBody(item, reason) };
}

function workflowDataFor(item: KlingTaskItem, entry: INodeExecutionData, emitProgress: boolean): INodeExecutionData[][] {
	const outputs: INodeExecutionData[][] = (emitProgress ? ALL_OUTPUTS : TERMINAL_OUTPUTS).map(() => []);
	outputs[outputIndexOf(item.status)].push(entry);
	return outputs;
}

type Confirmation = { ok: true; item: KlingTaskItem } | { ok: false; rejection: Rejection } | { ok: false; failure: string };

/** GET the task from Kling; its answer, not the request body, is what gets emitted. */
async function confirmTask(ctx: IWebhookFunctions, item: KlingTaskItem, filters: CallbackFilters): Promise<Confirmation> {
	let found: KlingTaskItem | undefined;
	try {
		const types = confirmationTypes(item, filters);
		found =
			types.length === 1
				? await findTask(ctx, types[0], item.taskId, CONFIRM_POLICY)
				: await findTaskAnyType(ctx, item.taskId, types, CONFIRM_POLICY);
	} catch (error) {
		// NodeApiError from the transport: its message names Kling's code, never a credential.
		return { ok: false, failure: (error as Error).message };
	}
	if (!found || found.taskId !== item.taskId) {
		return {
			ok: false,
			rejection: { statusCode: 404, reason: 'unknown_task', message: `Kling does not know task ${item.taskId}` },
		};
	}
	return { ok: true, item: found };
}

/**
 * Callbacks arrive in bursts and most are answered without an execution. On n8n 2.40 every getCredentials()
 * in webhook() costs an expression isolate (credentials-helper applyDefaultsAndOverwrites), so the decrypted
 * credential is kept in process memory for a minute per workflow, node and credential. An edited credential
 * (new token or webhook secret) therefore applies to callbacks within CREDENTIAL_CACHE_MS.
 */
export const CREDENTIAL_CACHE_MS = 60_000;
const CREDENTIAL_CACHE = new Map<string, { at: number; credentials: ICredentialDataDecryptedObject }>();

async function credentialsFor(ctx: IWebhookFunctions): Promise<ICredentialDataDecryptedObject> {
	const node = ctx.getNode();
	const key = `${ctx.getWorkflow().id ?? ''}|${node.id}|${node.credentials?.[CREDENTIAL_NAME]?.id ?? ''}`;
	const now = Date.now();
	const hit = CREDENTIAL_CACHE.get(key);
	if (hit && now - hit.at < CREDENTIAL_CACHE_MS) return hit.credentials;
	const credentials = await ctx.getCredentials(CREDENTIAL_NAME);
	CREDENTIAL_CACHE.delete(key);
	CREDENTIAL_CACHE.set(key, { at: now, credentials });
	if (CREDENTIAL_CACHE.size > 500) CREDENTIAL_CACHE.delete(CREDENTIAL_CACHE.keys().next().value as string);
	return credentials;
}

export class KlingAiTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Kling AI Trigger',
		name: 'klingAiTrigger',
		icon: { light: 'file:kling.svg', dark: 'file:kling.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["emitProgress"] ? "Succeeded, failed and progress" : "Succeeded and failed tasks"}}',
		// n8n merges this trigger into the "Kling AI" entry of the node creator and shows THIS description there,
		// so it describes the package first and the trigger second.
		description:
			'Generate videos, images and audio with Kling AI, and start workflows when Kling reports a finished task',
		defaults: { name: 'Kling AI Trigger' },
		inputs: [],
		outputs: `={{$parameter["emitProgress"] ? ${JSON.stringify(ALL_OUTPUTS)} : ${JSON.stringify(TERMINAL_OUTPUTS)}}}`,
		outputNames: ['Succeeded', 'Failed', 'Progress'],
		credentials: [{ name: CREDENTIAL_NAME, required: true }],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: 'webhook',
			},
		],
		// Texts of n8n's trigger panel ("Listen for test event"): say what actually produces a test event here.
		triggerPanel: {
			header: 'Send a Kling AI task to this Test URL',
			executionsHelp: {
				inactive:
					"<b>While building your workflow</b>, click 'Listen for test event', then execute a Kling AI node in another workflow with <b>Send Status Updates To: Kling AI Trigger</b> and this trigger's <b>Test URL</b>. Kling calls back when the task changes status, and the task shows up here.<br /><br /><b>Once you're happy with your workflow</b>, put the <b>Production URL</b> into the Kling AI node instead and publish this workflow. Every callback then starts an execution, which you can see in the 'Executions' list.",
				active:
					"<b>While building your workflow</b>, click 'Listen for test event', then execute a Kling AI node with <b>Send Status Updates To: Kling AI Trigger</b> and this trigger's <b>Test URL</b>.<br /><br /><b>Your workflow is published</b>: callbacks to the <b>Production URL</b> start executions, which you can see in the 'Executions' list.",
			},
			activationHint:
				"Once you've finished building your workflow, publish it and use the Production URL in the Kling AI node, so that every callback starts an execution.",
		},
		properties: [
			{
				displayName:
					'Copy the Production URL above into the Kling AI node (Send Status Updates To: Kling AI Trigger) and publish this workflow. Kling then posts every status change of the task here. To test in the editor, click "Listen for test event" and use the Test URL instead.',
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Start Executions',
				name: 'startExecutions',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Exactly Once Where Possible',
						value: 'auto',
						description:
							'A Kling AI Poll Trigger of this workflow running in the same n8n process starts the execution (exactly once); otherwise this trigger does. Right for single-process n8n.',
					},
					{
						name: 'Only Through the Poll Trigger (Queue Mode)',
						value: 'pollTrigger',
						description:
							'Exactly once in every deployment: the Kling AI Poll Trigger of this workflow starts every execution, at once when it runs in the process that received the callback, else at its next poll. Needs a Poll Trigger in this workflow.',
					},
					{
						name: 'Always From This Trigger',
						value: 'here',
						description:
							'Fastest; with several n8n webhook processes (queue mode) a task can run twice, once from its callback and once from the Poll Trigger',
					},
				],
				default: 'auto',
				description: 'Which node starts the execution of a finished task. See the README table for each n8n deployment.',
			},
			{
				displayName:
					'With "Only Through the Poll Trigger", add a Kling AI Poll Trigger to this workflow and connect both triggers to the same next node: finished tasks come out of the Poll Trigger.',
				name: 'pollTriggerNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { startExecutions: ['pollTrigger'] } },
			},
			{
				displayName: 'Require URL Token',
				name: 'requireUrlToken',
				type: 'boolean',
				default: true,
				description:
					'Whether to accept only callbacks whose URL carries the token derived from the credential. The Kling AI node appends it automatically when it uses the same credential.',
			},
			{
				displayName: 'Confirm With Kling API',
				name: 'confirmWithApi',
				type: 'boolean',
				default: false,
				description:
					"Whether to look each task up with the Kling API and emit Kling's copy instead of the request body. Needed to accept unsigned callbacks when the credential has a webhook signing secret.",
			},
			{
				displayName: 'Emit Progress',
				name: 'emitProgress',
				type: 'boolean',
				default: false,
				description: 'Whether to also start an execution for submitted and processing callbacks, on a third Progress output',
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
						displayName: 'Task Types',
						name: 'taskTypes',
						type: 'multiOptions',
						options: taskTypeOptions(),
						default: [],
						description: 'Only emit tasks of these types (empty: all types)',
					},
				],
			},
		],
	};

	/**
	 * Kling has no webhook registration API: the callback URL is passed with every create request
	 * (`callback_url`), so there is nothing to register or remove on Kling's side. These methods only
	 * exist because n8n's lint requires the full lifecycle; they keep the URL in node static data for
	 * reference and cannot fail.
	 */
	webhookMethods = {
		default: {
			// Always "not registered", so create() runs on every activation and test-listen.
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return false;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				const staticData = this.getWorkflowStaticData('node');
				// The test URL while listening for a test event, the production URL once published.
				staticData.webhookUrl = this.getNodeWebhookUrl('default');
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				const staticData = this.getWorkflowStaticData('node');
				delete staticData.webhookUrl;
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const req = this.getRequestObject();
		const request: CallbackRequest = {
			headers: req.headers as Record<string, unknown>,
			query: this.getQueryData() as Record<string, unknown>,
			rawBody: req.rawBody,
			body: req.body as unknown,
		};
		const settings = readSettings(this);

		const tooLarge = checkSize(request);
		if (tooLarge) return rejectCallback(this, tooLarge);

		const credentials = await credentialsFor(this);
		const authResult = authenticateCallback(request, credentials, settings, Math.floor(Date.now() / 1000));
		if (!authResult.ok) return rejectCallback(this, authResult.rejection);
		const { auth } = authResult;

		const parsed = parseCallback(request);
		if (!parsed.ok) return rejectCallback(this, parsed.rejection);
		let item = parsed.item;

		// Filter on the body first (cheap); a type filter waits for the confirmed type when the URL had none.
		const preFilters = settings.confirmWithApi && !item.taskType ? { ...settings.filters, taskTypes: [] } : settings.filters;
		if (!matchesFilters(item, preFilters)) return ignore(this, item, 'filtered');
		// Non-terminal callbacks start no execution unless asked for; they need no API round trip either.
		if (!isTerminal(item.status) && !settings.emitProgress) return ignore(this, item, 'progress');

		const ledger = ledgerFor(this.getWorkflow().id);
		// The static-data copy of the ledger matters only where this trigger starts executions itself (no Poll
		// Trigger runs in this process); otherwise the in-process ledger and n8n's key decide, and a callback
		// neither reads nor writes static data.
		const handsOver = isTerminal(item.status) && routeCallback(settings.startExecutions, !!emitterFor(this.getWorkflow().id), this.getMode() === 'manual') !== 'startHere';
		const persist = handsOver ? () => undefined : syncWithStaticData(ledger, this.getWorkflowStaticData('global'));
		// Nothing after a terminal state is ever emitted: answer repeats at once, without confirming.
		const known = ledger.get(item.taskId);
		if (known && isTerminal(known.status)) return ignore(this, item, ledgerVerdict(known, item) === 'duplicate' ? 'duplicate' : 'stale');

		let confirmed = false;
		if (settings.confirmWithApi) {
			const confirmation = await confirmTask(this, item, settings.filters);
			if (!confirmation.ok && 'rejection' in confirmation) return rejectCallback(this, confirmation.rejection, item.taskId);
			if (!confirmation.ok) {
				// Kling could not be asked (network, 5xx, rate limit). Nothing was claimed, so a repeated
				// callback can still succeed; answer 502 so a retrying sender knows to try again.
				this.logger.warn('Kling AI Trigger could not confirm a callback with the Kling API', {
					workflowId: this.getWorkflow().id,
					taskId: item.taskId,
					error: confirmation.failure,
				});
				// The reason stays in the log: the caller is not told how our Kling credential fares.
				respond(this, 502, { received: false, error: 'confirmation_failed', message: 'Could not confirm the task with the Kling API; try again later' });
				return { noWebhookResponse: true };
			}
			if (confirmation.item.status !== item.status) {
				this.logger.debug('Kling AI Trigger: the API reports another status than the callback', {
					taskId: item.taskId,
					callbackStatus: item.status,
					apiStatus: confirmation.item.status,
				});
			}
			item = confirmation.item;
			confirmed = true;
			if (!matchesFilters(item, settings.filters)) return ignore(this, item, 'filtered');
			if (!isTerminal(item.status) && !settings.emitProgress) return ignore(this, item, 'not_final');
		}

		// Terminal production callbacks: the workflow's Poll Trigger may start the execution under n8n's
		// de-duplication key (exactly once across processes and restarts); see shared/exactlyOnce.ts.
		if (isTerminal(item.status)) {
			const emitter = emitterFor(this.getWorkflow().id);
			const route = routeCallback(settings.startExecutions, !!emitter, this.getMode() === 'manual');
			if (route === 'leaveToPoll') {
				this.logger.debug('Kling AI Trigger left a finished task to the Poll Trigger', { workflowId: this.getWorkflow().id, taskId: item.taskId });
				return { webhookResponse: { ...ackBody(item), startedBy: 'pollTrigger', deferred: true } };
			}
			if (route === 'handOver' && emitter) {
				// Answer first: the Poll Trigger may download results before it emits.
				respond(this, 200, { ...ackBody(item), startedBy: 'pollTrigger' });
				try {
					await emitter.deliver(item, 'callback');
				} catch (error) {
					// Not emitted and not recorded: the Poll Trigger's next scan finds the task again.
					this.logger.warn('Kling AI Trigger could not hand a finished task to the Poll Trigger; its next poll emits it', {
						workflowId: this.getWorkflow().id,
						taskId: item.taskId,
						error: (error as Error).message,
					});
				}
				return { noWebhookResponse: true };
			}
		}

		// Exactly once: synchronous check-and-set, so of two concurrent deliveries only one gets past here.
		const previous = ledger.get(item.taskId);
		if (!ledger.claim(item, 'callback')) {
			return ignore(this, item, ledgerVerdict(previous, item) === 'duplicate' ? 'duplicate' : 'stale');
		}
		persist();

		try {
			const json: IDataObject = { ...item };
			const entry: INodeExecutionData = { json };
			const authenticated = auth.signed || auth.tokenVerified || confirmed;
			if (settings.downloadResults && item.status === 'succeeded' && hasResultFiles(item)) {
				if (!authenticated) {
					json.downloadError =
						'Not downloaded: the callback was not authenticated. Turn on "Require URL Token" or "Confirm With Kling API", or set a webhook signing secret.';
				} else {
					// Answer first: the download may take minutes and Kling wants a 2xx within 5 seconds.
					respond(this, 200, ackBody(item));
					try {
						entry.binary = await downloadResults(this, item, {
							binaryProperty: settings.binaryPropertyName,
							watermarked: settings.downloadWatermarked,
						});
					} catch (error) {
						// The task is claimed and already acknowledged: emit it without the files rather than
						// lose it. `downloadError` says why; the URLs stay in the item for a later download.
						json.downloadError = (error as Error).message;
						this.logger.warn('Kling AI Trigger could not download the results of a task', {
							workflowId: this.getWorkflow().id,
							taskId: item.taskId,
							error: json.downloadError,
						});
					}
					return { noWebhookResponse: true, workflowData: workflowDataFor(item, entry, settings.emitProgress) };
				}
			}
			respond(this, 200, ackBody(item));
			return { noWebhookResponse: true, workflowData: workflowDataFor(item, entry, settings.emitProgress) };
		} catch (error) {
			// Nothing was emitted: undo the claim so that a repeated delivery can emit the task.
			ledger.release(item.taskId, previous);
			persist();
			throw new NodeOperationError(this.getNode(), `Could not process the callback of task ${item.taskId}: ${(error as Error).message}`);
		}
	}
}
