/**
 * n8n-core contexts for tests: ExecuteContext / TriggerContext / WebhookContext are n8n-core's own classes,
 * and every HTTP call goes through n8n-core's real request helpers (httpRequestWithAuthentication, proxy
 * and axios stack) to a real loopback server (the simulator or a scripted server). The request is signed
 * by OUR credential's authenticate().
 *
 * What is NOT n8n's own code (n8n keeps it in packages/cli, which is not a dependency of this package):
 * - the credentials helper (`TestCredentialsHelper`): it implements n8n-workflow's ICredentialsHelper
 *   contract, returns the test's decrypted credential as is (no encryption, no defaults/overwrites, no
 *   expression resolution) and calls the credential type's authenticate() the way n8n's CredentialsHelper
 *   does for a function-style authenticate;
 * - the webhook request and response (`webhookContext`): plain objects with the express fields the nodes
 *   read (body, rawBody, headers, query; status().json()/send()/end()), not express's req/res. The trigger
 *   integration tests fill them from a real HTTP request received by a loopback server.
 */
import { Container } from '@n8n/di';
import { BinaryDataService, ExecuteContext, TriggerContext, WebhookContext } from 'n8n-core';
import {
	ICredentialsHelper,
	Workflow,
	type ICredentialDataDecryptedObject,
	type ICredentials,
	type IHttpRequestOptions,
	type INodeProperties,
	type IRequestOptionsSimplified,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type INodeType,
	type INodeTypes,
	type IRunExecutionData,
	type IWebhookData,
	type IWorkflowExecuteAdditionalData,
	type WorkflowExecuteMode,
} from 'n8n-workflow';
import { KlingAiApi } from '../../credentials/KlingAiApi.credentials';

export const TEST_KEYS = { accessKey: 'ak_test', secretKey: 'sk_test', apiKey: 'kling_api_key_test' };

export function simulatorCredentials(baseUrl: string, extra: IDataObject = {}): ICredentialDataDecryptedObject {
	return {
		authType: 'accessKey',
		accessKey: TEST_KEYS.accessKey,
		secretKey: TEST_KEYS.secretKey,
		region: 'custom',
		customBaseUrl: baseUrl,
		webhookSecret: '',
		...extra,
	};
}

let binaryReady: Promise<void> | undefined;
export async function initBinaryData(mode: 'default' | 'filesystem' = 'default', storagePath?: string): Promise<void> {
	binaryReady ??= (async () => {
		const service = Container.get(BinaryDataService);
		// eslint-disable-next-line @typescript-eslint/no-explicit-any
		await (service as any).init({ mode, availableModes: [mode], localStoragePath: storagePath ?? '/tmp/kling-n8n-binary', dbMaxFileSize: 512 });
	})();
	await binaryReady;
}

class NodeTypes implements INodeTypes {
	constructor(private readonly types: Record<string, INodeType>) {}
	getByName(name: string): INodeType {
		return this.types[name];
	}
	getByNameAndVersion(name: string): INodeType {
		return this.types[name];
	}
	getKnownTypes() {
		return {};
	}
}

/** See the file comment: n8n's ICredentialsHelper contract over one in-memory decrypted credential. */
class TestCredentialsHelper extends ICredentialsHelper {
	private readonly credential = new KlingAiApi();

	constructor(private readonly decrypted: ICredentialDataDecryptedObject) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(credentials: ICredentialDataDecryptedObject, typeName: string, requestOptions: IHttpRequestOptions | IRequestOptionsSimplified): Promise<IHttpRequestOptions> {
		if (typeName !== this.credential.name) throw new Error(`No credential type ${typeName} in the tests`);
		return await this.credential.authenticate(credentials, { ...(requestOptions as IHttpRequestOptions) });
	}

	async preAuthentication(): Promise<undefined> {
		return undefined;
	}

	async runPreAuthentication(): Promise<undefined> {
		return undefined;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('Encrypted credentials are not used by these tests (getDecrypted serves the decrypted ones)');
	}

	async getDecrypted(): Promise<ICredentialDataDecryptedObject> {
		// A copy per call, like n8n's decrypt: a node cannot change the stored credential.
		return { ...this.decrypted };
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(): INodeProperties[] {
		return this.credential.properties;
	}
}

export interface ContextSetup {
	nodeType: INodeType;
	typeName?: string;
	parameters: IDataObject;
	credentials: ICredentialDataDecryptedObject;
	workflowId?: string;
	staticData?: IDataObject;
	nodeName?: string;
	nodeId?: string;
	/** Id of the Kling credential the node refers to (default `cred-1`). */
	credentialId?: string;
	/** Which run of the node this is in its execution (a loop runs a node several times). */
	runIndex?: number;
	webhookId?: string;
	executionId?: string;
	webhookWaitingBaseUrl?: string;
	/** typeVersion of the node under test (default 1). */
	typeVersion?: number;
	/** The node's "On Error" setting (n8n's `continueOnFail()` reads it). */
	onError?: INode['onError'];
	/** Other nodes of the workflow (unconnected), e.g. the Kling AI nodes a Poll Trigger looks at. */
	extraNodes?: Array<Pick<INode, 'name' | 'type' | 'parameters'> & Partial<INode>>;
}

export function buildWorkflow(setup: ContextSetup): { workflow: Workflow; node: INode; additionalData: IWorkflowExecuteAdditionalData } {
	const typeName = setup.typeName ?? `test.${setup.nodeType.description.name}`;
	const node: INode = {
		id: setup.nodeId ?? 'node-under-test',
		name: setup.nodeName ?? setup.nodeType.description.displayName,
		type: typeName,
		typeVersion: setup.typeVersion ?? 1,
		position: [0, 0],
		parameters: setup.parameters as INode['parameters'],
		credentials: { klingAiApi: { id: setup.credentialId ?? 'cred-1', name: 'Kling test' } },
		webhookId: setup.webhookId ?? 'wh-1',
		...(setup.onError ? { onError: setup.onError } : {}),
	};
	const workflow = new Workflow({
		id: setup.workflowId ?? 'wf-1',
		name: 'test',
		nodes: [node, ...(setup.extraNodes ?? []).map((n, i) => ({ id: `extra-${i}`, typeVersion: 1, position: [0, 0] as [number, number], ...n }))],
		connections: {},
		active: true,
		nodeTypes: new NodeTypes({ [typeName]: setup.nodeType }),
		staticData: setup.staticData ?? {},
		settings: {},
	});
	const additionalData = {
		credentialsHelper: new TestCredentialsHelper(setup.credentials),
		executionId: setup.executionId ?? 'exec-1',
		webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
		webhookWaitingBaseUrl: setup.webhookWaitingBaseUrl ?? 'http://127.0.0.1:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
		instanceBaseUrl: 'http://127.0.0.1:5678/',
		restApiUrl: 'http://127.0.0.1:5678/rest',
		formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
		variables: {},
		userId: 'user-1',
		currentNodeParameters: undefined,
		executionTimeoutTimestamp: undefined,
		setExecutionStatus: () => undefined,
		sendDataToUI: () => undefined,
	} as unknown as IWorkflowExecuteAdditionalData;
	return { workflow, node, additionalData };
}

export function executeContext(
	setup: ContextSetup,
	items: INodeExecutionData[] = [{ json: {} }],
	mode: WorkflowExecuteMode = 'manual',
	abortSignal?: AbortSignal,
): ExecuteContext {
	const { workflow, node, additionalData } = buildWorkflow(setup);
	const runExecutionData = {
		startData: {},
		resultData: { runData: {} },
		executionData: { contextData: {}, nodeExecutionStack: [], metadata: {}, waitingExecution: {}, waitingExecutionSource: {} },
	} as unknown as IRunExecutionData;
	return new ExecuteContext(
		workflow,
		node,
		additionalData,
		mode,
		runExecutionData,
		setup.runIndex ?? 0,
		items,
		{ main: [items] },
		{ node, data: { main: [items] }, source: null },
		[],
		abortSignal,
	);
}

/**
 * A TriggerContext as n8n builds it at activation (trigger-execution-context.factory): `emit` and the
 * scheduling functions are what n8n injects; the test passes its own (an execution store with n8n's
 * de-duplication-key rule, and a cron registry it ticks by hand).
 */
export function triggerContext(
	setup: ContextSetup,
	hooks: {
		emit: TriggerContext['emit'];
		registerCron: (cron: { expression: string }, onTick: () => void) => void;
		saveFailedExecution?: (error: Error) => void;
	},
	mode: WorkflowExecuteMode = 'trigger',
	activation: 'init' | 'update' | 'activate' | 'manual' = 'activate',
) {
	const { workflow, node, additionalData } = buildWorkflow(setup);
	const ctx = new TriggerContext(
		workflow,
		node,
		additionalData,
		mode,
		activation,
		hooks.emit,
		(error: Error) => {
			throw error;
		},
		hooks.saveFailedExecution ?? (() => undefined),
		{ registerCron: hooks.registerCron as never },
	);
	return { ctx, workflow };
}

export interface FakeRequest {
	body: unknown;
	rawBody: Buffer;
	headers: Record<string, string>;
	query: Record<string, string>;
}

export interface CapturedResponse {
	statusCode: number;
	body: unknown;
	ended: boolean;
}

/**
 * A real n8n-core WebhookContext over a plain request/response pair standing in for express's (see the file
 * comment): the request carries what n8n's webhook server hands the node, the response records the answer.
 * `runExecutionData`: the waiting execution's data, as n8n loads it for a call to its resume URL.
 */
export function webhookContext(setup: ContextSetup, request: FakeRequest, mode: WorkflowExecuteMode = 'webhook', runExecutionData: IRunExecutionData | null = null) {
	const { workflow, node, additionalData } = buildWorkflow(setup);
	const captured: CapturedResponse = { statusCode: 200, body: undefined, ended: false };
	const res = {
		status(code: number) {
			captured.statusCode = code;
			return res;
		},
		json(body: unknown) {
			captured.body = body;
			captured.ended = true;
			return res;
		},
		send(body: unknown) {
			captured.body = body;
			captured.ended = true;
			return res;
		},
		end() {
			captured.ended = true;
			return res;
		},
		setHeader() {
			return res;
		},
		headersSent: false,
	};
	const req = { ...request, params: {}, method: 'POST', headers: request.headers };
	additionalData.httpRequest = req as never;
	additionalData.httpResponse = res as never;
	const webhookData = { httpMethod: 'POST', node: node.name, path: 'webhook', webhookDescription: { name: 'default', httpMethod: 'POST', path: 'webhook' }, workflowId: workflow.id } as unknown as IWebhookData;
	// runExecutionData: the waiting execution's data, which n8n loads for a call to its resume URL.
	const ctx = new WebhookContext(workflow, node, additionalData, mode, webhookData, [], runExecutionData);
	return { ctx, workflow, response: captured };
}
