/**
 * The Kling AI node as an AI Agent tool, with REAL n8n-core contexts against the simulator:
 * - it knows it runs as a tool on both of n8n 2.40's paths (the engine runs the generated `klingAiTool`
 *   type in an ExecuteContext — AI Agent v3; an agent invokes it through a SupplyDataContext whose
 *   isToolExecution() is true — older agents);
 * - every outcome (succeeded, failed, timed out, not waited for, error) is ONE compact item on the first
 *   output, without `raw` unless "Include Raw Kling Response" is on;
 * - Callback / Callback, Then Poll never put the execution to wait: the tool polls within the time limit;
 * - outside tool mode nothing changes (Succeeded / Failed outputs, full items);
 * - the tool description n8n builds for the agent is ours (what it creates, how long, credits).
 */
import { SupplyDataContext } from 'n8n-core';
import { NodeConnectionTypes, NodeHelpers, type IDataObject, type INodeExecutionData, type INodeType, type IRunExecutionData } from 'n8n-workflow';
import { buildWorkflow, executeContext, simulatorCredentials, type ContextSetup } from '../helpers/n8n';
import { startSimulator, type KlingSimulator } from '../simulator';
import { node } from '../integration/actionFixtures';
import { compactForTool, toolResultJson } from '../../nodes/KlingAi/shared/toolResult';
import { isToolRun } from '../../nodes/KlingAi/resources/tool';

jest.setTimeout(60_000);

/** What n8n's loader makes of a `usableAsTool` node (n8n 2.40.7 cli tool-generation/ai-tools.js convertNodeToAiTool). */
function asTool(base: INodeType): INodeType {
	const description = { ...base.description, name: `${base.description.name}Tool`, displayName: `${base.description.displayName} Tool`, inputs: [], outputs: [NodeConnectionTypes.AiTool] };
	delete (description as { usableAsTool?: unknown }).usableAsTool;
	return Object.assign(Object.create(base) as INodeType, { description });
}
const tool = asTool(node);

let sim: KlingSimulator | undefined;
afterEach(async () => {
	await sim?.close();
	sim = undefined;
});

const VIDEO = { resource: 'video', operation: 'textToVideo', model: 'kling-v2-5-turbo', aspectRatio: '16:9', options: {} };
const FAST = { waitTimeLimit: 0.5, pollIntervalSeconds: 1 };

function setup(nodeType: INodeType, parameters: IDataObject): ContextSetup {
	return { nodeType, parameters: { ...VIDEO, ...parameters }, credentials: simulatorCredentials(sim!.url) };
}

async function run(nodeType: INodeType, parameters: IDataObject) {
	const ctx = executeContext(setup(nodeType, parameters), [{ json: { prompt: 'unused' } }], 'trigger');
	const started = Date.now();
	const output = (await nodeType.execute!.call(ctx)) as INodeExecutionData[][];
	return { ctx, output, ms: Date.now() - started, runtime: (ctx as unknown as { runExecutionData: IRunExecutionData }).runExecutionData };
}

describe('knowing it runs as a tool', () => {
	it('the generated klingAiTool type in an ExecuteContext (AI Agent v3 path) is a tool run; klingAi is not', () => {
		const creds = simulatorCredentials('http://127.0.0.1:1');
		expect(isToolRun(executeContext({ nodeType: tool, parameters: VIDEO, credentials: creds }))).toBe(true);
		expect(isToolRun(executeContext({ nodeType: node, parameters: VIDEO, credentials: creds }))).toBe(false);
	});

	it('a SupplyDataContext on the ai_tool connection (an agent invoking the tool itself) is a tool run', async () => {
		sim = await startSimulator({ timings: { toProcessingMs: 20, toFinishMs: 150 } });
		const s = setup(node, { prompt: 'a fox', waitForCompletion: 'callback', ...FAST });
		const { workflow, node: n, additionalData } = buildWorkflow(s);
		const runExecutionData = { startData: {}, resultData: { runData: {} }, executionData: { contextData: {}, nodeExecutionStack: [], metadata: {}, waitingExecution: {}, waitingExecutionSource: {} } } as unknown as IRunExecutionData;
		const items = [{ json: { prompt: 'a fox' } }];
		const ctx = new SupplyDataContext(workflow, n, additionalData, 'trigger', runExecutionData, 0, items, { ai_tool: [items] }, NodeConnectionTypes.AiTool, { node: n, data: { main: [items] }, source: null }, []);
		expect(ctx.isToolExecution()).toBe(true);
		expect(isToolRun(ctx as never)).toBe(true);
		const output = (await node.execute!.call(ctx as never)) as INodeExecutionData[][];
		expect(output).toHaveLength(1);
		expect(output[0][0].json).toMatchObject({ outcome: 'succeeded', videos: [{ url: expect.stringMatching(/^http/) }] });
		expect(runExecutionData.waitTill).toBeUndefined();
	});
});

describe('one readable result on the first output', () => {
	it('succeeded: URLs, duration and task id; no raw; a callback wait became polling and says so', async () => {
		sim = await startSimulator({ timings: { toProcessingMs: 20, toFinishMs: 200 } });
		const { output, runtime, ms } = await run(tool, { prompt: 'a fox in the snow', waitForCompletion: 'callback', ...FAST });
		expect(output).toHaveLength(1);
		expect(output[0]).toHaveLength(1);
		const json = output[0][0].json;
		expect(json).toMatchObject({
			outcome: 'succeeded',
			status: 'succeeded',
			taskId: expect.any(String),
			taskType: 'textToVideo',
			videos: [{ url: expect.stringMatching(/^http/), durationSeconds: expect.any(Number) }],
			waitNote: expect.stringContaining('polled Kling for at most 0.5 minutes instead of waiting for a callback'),
		});
		expect(json.message).toMatch(/succeeded with 1 video/);
		expect(json).not.toHaveProperty('raw');
		// Never a paused execution: no waitTill, no resume URL sent to Kling, done well within the limit.
		expect(runtime.waitTill).toBeUndefined();
		expect(sim.tasks()[0].callback_url ?? null).toBeNull();
		expect(ms).toBeLessThan(30_000);
		expect(output[0][0].pairedItem).toEqual({ item: 0 });
	});

	it('failed: status and Kling\'s task_status_msg reason on the FIRST output (Callback, Then Poll)', async () => {
		sim = await startSimulator({ timings: { toProcessingMs: 20, toFinishMs: 150 } });
		const { output, runtime } = await run(tool, { prompt: 'sim:fail this', waitForCompletion: 'callbackThenPoll', pollAfterMinutes: 0.01, ...FAST });
		expect(output).toHaveLength(1);
		expect(output[0][0].json).toMatchObject({ outcome: 'failed', status: 'failed', reason: expect.stringContaining('risk control') });
		expect(String(output[0][0].json.message)).toContain('risk control');
		expect(runtime.waitTill).toBeUndefined();
	});

	it('timed out: the task id and how to check it later', async () => {
		sim = await startSimulator({ autoAdvance: false });
		const { output } = await run(tool, { prompt: 'never finishes', waitForCompletion: 'poll', waitTimeLimit: 0.05, pollIntervalSeconds: 1 });
		const json = output[0][0].json;
		expect(json).toMatchObject({ outcome: 'timedOut', taskId: sim.tasks()[0].task_id, status: expect.stringMatching(/submitted|processing/) });
		expect(json.message).toMatch(/Get Task/);
		expect(json).not.toHaveProperty('waitNote');
	});

	it("Don't Wait: the submitted task and how to check it later", async () => {
		sim = await startSimulator({ autoAdvance: false });
		const { output } = await run(tool, { prompt: 'a fox' });
		expect(output[0][0].json).toMatchObject({ outcome: 'running', status: 'submitted', taskId: sim.tasks()[0].task_id });
		expect(output[0][0].json).not.toHaveProperty('raw');
	});

	it('Include Raw Kling Response keeps raw', async () => {
		sim = await startSimulator({ timings: { toProcessingMs: 20, toFinishMs: 150 } });
		const { output } = await run(tool, { prompt: 'a fox', waitForCompletion: 'poll', toolIncludeRaw: true, ...FAST });
		expect(output[0][0].json).toMatchObject({ outcome: 'succeeded', raw: { task_id: expect.any(String) } });
	});

	it('Get Task as a tool: compact too', async () => {
		sim = await startSimulator({ timings: { toProcessingMs: 20, toFinishMs: 50 } });
		const created = await run(node, { prompt: 'a fox', waitForCompletion: 'poll', ...FAST });
		const taskId = String(created.output[0][0].json.taskId);
		const { output } = await run(tool, { resource: 'video', operation: 'getTask', taskType: 'textToVideo', lookupBy: 'taskId', taskId });
		expect(output[0][0].json).toMatchObject({ outcome: 'succeeded', taskId, videos: [{ url: expect.any(String) }] });
		expect(output[0][0].json).not.toHaveProperty('raw');
	});
});

describe('outside tool mode nothing changes', () => {
	it('the same failing settings on klingAi: Succeeded / Failed outputs with the full item', async () => {
		sim = await startSimulator({ timings: { toProcessingMs: 20, toFinishMs: 150 } });
		const { output } = await run(node, { prompt: 'sim:fail this', waitForCompletion: 'poll', ...FAST });
		expect(output).toHaveLength(2);
		expect(output[0]).toEqual([]);
		expect(output[1][0].json).toMatchObject({ status: 'failed', statusMessage: expect.stringContaining('risk control'), raw: expect.any(Object) });
		expect(output[1][0].json).not.toHaveProperty('outcome');
	});
});

describe('the compact shape (pure)', () => {
	const task = {
		taskId: '8600000000000000001',
		externalTaskId: null,
		status: 'failed',
		klingStatus: 'failed',
		statusMessage: 'Failure to pass the risk control system',
		finished: true,
		taskType: 'textToVideo',
		resultKind: 'videos',
		videos: [],
		images: [],
		parentVideo: null,
		unitsDeducted: null,
		resultsExpireAt: null,
		raw: { task_id: '8600000000000000001' },
	};
	it('failed / error / timed-out items and non-task items', () => {
		expect(toolResultJson(task)).toEqual({
			outcome: 'failed',
			message: expect.stringContaining('failed: Failure to pass the risk control system'),
			taskId: '8600000000000000001',
			status: 'failed',
			taskType: 'textToVideo',
			reason: 'Failure to pass the risk control system',
		});
		expect(compactForTool({ error: 'Kling API error 1102: balance not enough', errorDescription: 'Top up' })).toEqual({
			outcome: 'error',
			message: 'The Kling request could not be completed: Kling API error 1102: balance not enough',
			error: 'Kling API error 1102: balance not enough',
			details: 'Top up',
		});
		expect(toolResultJson({ ...task, status: 'processing', statusMessage: '', waitTimedOut: true, error: 'did not finish' })).toMatchObject({ outcome: 'timedOut', taskId: task.taskId });
		expect(compactForTool({ packs: 1, raw: { a: 1 } })).toEqual({ packs: 1 });
		const video = { id: 'v1', url: 'https://cdn.example/v1.mp4', watermarkUrl: null, durationSeconds: 5.1 };
		const succeeded = { ...task, status: 'succeeded', klingStatus: 'succeed', statusMessage: '', videos: [video], unitsDeducted: 2, resultsExpireAt: '2027-01-01T00:00:00.000Z' };
		expect(toolResultJson(succeeded)).toEqual({
			outcome: 'succeeded',
			message: expect.stringContaining('succeeded with 1 video'),
			taskId: task.taskId,
			status: 'succeeded',
			taskType: 'textToVideo',
			videos: [{ url: video.url, durationSeconds: 5.1 }],
			unitsDeducted: 2,
			resultsExpireAt: '2027-01-01T00:00:00.000Z',
		});
		// Download Results failed after success: still the URLs, and a message that says the task itself succeeded.
		expect(compactForTool({ ...succeeded, downloadFailed: true, error: 'socket hang up' })).toMatchObject({
			outcome: 'error',
			message: expect.stringContaining('succeeded, but downloading its results failed: socket hang up'),
			videos: [{ url: video.url }],
			downloadFailed: true,
		});
	});
});

describe('the tool description n8n gives the agent', () => {
	it('defaults to what it creates, how long it takes and that it costs credits (per operation)', () => {
		const describe = (parameters: IDataObject) => {
			const { workflow } = buildWorkflow({ nodeType: tool, parameters, credentials: {} });
			const n = Object.values(workflow.nodes)[0];
			return NodeHelpers.getToolDescriptionForNode(n, tool);
		};
		const video = describe({ resource: 'video', operation: 'textToVideo' });
		expect(video).toMatch(/^Generate a video from a text prompt with Kling AI/);
		expect(video).toMatch(/minutes/);
		expect(video).toMatch(/credits/);
		expect(describe({ resource: 'image', operation: 'generateImage' })).toMatch(/^Generate images from a text prompt with Kling AI.*under a minute/);
		expect(describe({ resource: 'video', operation: 'getTask' })).toMatch(/^Look up one Kling AI video task/);
		expect(describe({ resource: 'video', operation: 'textToVideo', toolDescription: 'Make clips' })).toBe('Make clips');
		// The plain node shows none of the tool-only parameters.
		const { workflow } = buildWorkflow({ nodeType: node, parameters: { resource: 'video', operation: 'textToVideo' }, credentials: {} });
		expect(Object.values(workflow.nodes)[0].parameters).not.toHaveProperty('toolDescription');
	});
});
