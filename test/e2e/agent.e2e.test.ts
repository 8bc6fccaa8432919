/**
 * Real n8n (issue 17): the Kling AI node as a tool of n8n's own AI Agent.
 *
 * Workflow per branch: Webhook (respond when the last node finishes) → AI Agent (`@n8n/n8n-nodes-langchain.agent`
 * 3.1) with an OpenAI Chat Model (`lmChatOpenAi` 1.2, Chat Completions) whose credential's Base URL points at a tiny
 * OpenAI-compatible server started here on 127.0.0.1, and the "Kling AI Tool" (`n8n-nodes-kling-ai.klingAiTool`, the
 * variant n8n generates from `usableAsTool`) against the simulator, its prompt filled by the model with `$fromAI()`.
 *
 * The fake model answers the first request of a conversation with a call of the tool it was offered (prompt = the
 * user's message) and the second with text quoting the tool message it received. So the test sees exactly what the
 * agent handed the model:
 * - a succeeded task's video URL reaches the model's second request (branch "ok", Wait for Completion = Callback);
 * - a failed task's reason (Kling's task_status_msg) reaches it (branch "fail", Callback, Then Poll);
 * - with a callback wait mode the Webhook caller gets HTTP 200 and the agent's answer — no paused execution, no
 *   "No item to return was found" — and the execution ends `success`;
 * - a value the node refuses (a prompt over 2500 characters) reaches the model as the error naming the field, and
 *   no Kling task is created.
 * Also checked: the model was offered our tool description (what it creates, how long, credits) and the fields the
 * shipped example (examples/kling-ai-agent-tool.json, whose tool parameters every branch uses) exposes with `$fromAI()`.
 * Cost: one n8n start (≈30-60 s on this machine) plus ≈5 s per branch.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import { startSimulator } from '../simulator';
import * as harness from './harness/n8n';
import { uuidFor, webhookNode, workflow, type NodeJson } from './fixtures/build';

jest.setTimeout(20 * 60_000);

const KEYS = { accessKey: 'ak_e2e_agent', secretKey: 'sk_e2e_agent_secret' };
const KLING_CRED = { id: 'klingE2eCredAgent1', name: 'Kling simulator' };
const OPENAI_CRED = { id: 'openAiE2eCredAgnt1', name: 'Fake OpenAI' };
const WF = 'klingE2eAgent0001';
const TOOL_TYPE = `${harness.PACKAGE_NAME}.klingAiTool`;
/** The Kling AI Tool of the shipped example (its `$fromAI()` fields), run here with short waits. */
const EXAMPLE_TOOL = (JSON.parse(fs.readFileSync(path.join(harness.REPO, 'examples', 'kling-ai-agent-tool.json'), 'utf8')) as { nodes: NodeJson[] }).nodes.find(
	(n) => n.type === TOOL_TYPE,
)!;
/** What the fake model puts into tool arguments other than `prompt` (the user's message). */
const MODEL_ARGS: Record<string, string> = { aspectRatio: '9:16' };

const BRANCHES = {
	ok: { wait: 'callback', prompt: 'a red fox running through fresh snow' },
	fail: { wait: 'callbackThenPoll', prompt: 'sim:fail a fox the risk control rejects' },
	// Over Kling's 2500 characters: refused before any request; n8n hands the error to the agent.
	bad: { wait: 'poll', prompt: `too long ${'x'.repeat(2600)}` },
} as const;
type Branch = keyof typeof BRANCHES;

// ------------------------------------------------------------------ the fake OpenAI Chat Completions server

type ChatMessage = { role: string; content?: unknown; tool_calls?: unknown[]; tool_call_id?: string };
type ChatRequest = { model: string; messages: ChatMessage[]; tools?: Array<{ type: string; function: { name: string; description: string; parameters: { properties?: Record<string, unknown> } } }>; stream?: boolean };

/** Tool arguments the fake model sends: every field of the offered schema. */
const argsFor = (properties: Record<string, unknown> = {}, user: string) =>
	Object.fromEntries(Object.keys(properties).map((key) => [key, key === 'prompt' ? user : (MODEL_ARGS[key] ?? 'x')]));

const textOf = (content: unknown): string =>
	typeof content === 'string' ? content : Array.isArray(content) ? content.map((p) => (typeof p === 'string' ? p : String((p as { text?: string }).text ?? ''))).join('') : '';

async function startFakeOpenAi() {
	const requests: ChatRequest[] = [];
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			if (req.method !== 'POST' || !/\/chat\/completions$/.test(req.url ?? '')) {
				res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `not faked: ${req.method} ${req.url}` } }));
				return;
			}
			const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChatRequest;
			requests.push(body);
			const toolMessage = body.messages.find((m) => m.role === 'tool');
			const user = body.messages.filter((m) => m.role === 'user').map((m) => textOf(m.content)).join('\n');
			const offered = body.tools?.[0]?.function;
			const toolName = offered?.name;
			const message: Record<string, unknown> = toolMessage
				? { role: 'assistant', content: `The Kling tool answered: ${textOf(toolMessage.content)}` }
				: toolName
					? { role: 'assistant', content: null, tool_calls: [{ id: `call_${requests.length}`, type: 'function', function: { name: toolName, arguments: JSON.stringify(argsFor(offered?.parameters.properties, user)) } }] }
					: { role: 'assistant', content: 'I was offered no tool.' };
			const finish = message.tool_calls ? 'tool_calls' : 'stop';
			const base = { id: `chatcmpl-${requests.length}`, created: Math.floor(Date.now() / 1000), model: body.model };
			if (body.stream) {
				res.writeHead(200, { 'content-type': 'text/event-stream' });
				const delta = message.tool_calls
					? { role: 'assistant', content: null, tool_calls: (message.tool_calls as object[]).map((c, index) => ({ index, ...c })) }
					: { role: 'assistant', content: message.content };
				res.write(`data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: null }] })}\n\n`);
				res.write(`data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta: {}, finish_reason: finish }] })}\n\n`);
				res.end('data: [DONE]\n\n');
				return;
			}
			res.writeHead(200, { 'content-type': 'application/json' }).end(
				JSON.stringify({ ...base, object: 'chat.completion', choices: [{ index: 0, message, finish_reason: finish }], usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 } }),
			);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
		requests,
		/** The requests of one conversation (by the user's message). */
		conversation: (prompt: string) => requests.filter((r) => r.messages.some((m) => m.role === 'user' && textOf(m.content).includes(prompt))),
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

// ------------------------------------------------------------------ the agent workflow

function agentWorkflow(): Record<string, unknown> {
	const nodes: NodeJson[] = [];
	const connections: Record<string, Record<string, Array<Array<{ node: string; type: string; index: number }>>>> = {};
	(Object.keys(BRANCHES) as Branch[]).forEach((key, row) => {
		const y = row * 400;
		const start = `Start (${key})`;
		const agent = `AI Agent (${key})`;
		const model = `OpenAI Chat Model (${key})`;
		const tool = `Kling video (${key})`;
		nodes.push(webhookNode(start, `e2e-agent-${key}`, [0, y], 'lastNode'));
		nodes.push({
			id: uuidFor(`node:${agent}`),
			name: agent,
			type: '@n8n/n8n-nodes-langchain.agent',
			typeVersion: 3.1,
			position: [260, y],
			parameters: { promptType: 'define', text: '={{ $json.body.prompt }}', options: {} },
		});
		nodes.push({
			id: uuidFor(`node:${model}`),
			name: model,
			type: '@n8n/n8n-nodes-langchain.lmChatOpenAi',
			typeVersion: 1.2,
			position: [200, y + 200],
			parameters: { model: { __rl: true, mode: 'id', value: 'fake-gpt' }, options: {} },
			credentials: { openAiApi: OPENAI_CRED },
		});
		nodes.push({
			id: uuidFor(`node:${tool}`),
			name: tool,
			type: TOOL_TYPE,
			typeVersion: 1,
			position: [400, y + 200],
			parameters: {
				// The example's tool (prompt and aspect ratio from $fromAI()), with this branch's wait mode and short waits.
				...(EXAMPLE_TOOL.parameters as Record<string, unknown>),
				waitForCompletion: BRANCHES[key].wait,
				waitTimeLimit: 1,
				pollAfterMinutes: 0.01,
				pollIntervalSeconds: 1,
				options: {},
			},
			credentials: { klingAiApi: KLING_CRED },
		});
		connections[start] = { main: [[{ node: agent, type: 'main', index: 0 }]] };
		connections[model] = { ai_languageModel: [[{ node: agent, type: 'ai_languageModel', index: 0 }]] };
		connections[tool] = { ai_tool: [[{ node: agent, type: 'ai_tool', index: 0 }]] };
	});
	return workflow(WF, 'E2E: AI Agent with the Kling AI Tool', nodes, connections as never);
}

type Sim = Awaited<ReturnType<typeof startSimulator>>;
type N8n = Awaited<ReturnType<typeof harness.startN8n>>;
type FakeOpenAi = Awaited<ReturnType<typeof startFakeOpenAi>>;

describe('real n8n: AI Agent + OpenAI Chat Model + Kling AI Tool', () => {
	let sim: Sim;
	let n8n: N8n;
	let openAi: FakeOpenAi;

	beforeAll(async () => {
		sim = await startSimulator({ port: 0, ...KEYS, timings: { toProcessingMs: 500, toFinishMs: 2500 }, seed: 17 });
		openAi = await startFakeOpenAi();
		n8n = await harness.startN8n({
			credentials: [
				harness.loadFixture('credential.kling.json', { CRED_ID: KLING_CRED.id, CRED_NAME: KLING_CRED.name, ACCESS_KEY: KEYS.accessKey, SECRET_KEY: KEYS.secretKey, SIM_URL: sim.url, WEBHOOK_SECRET: '' }),
				{ id: OPENAI_CRED.id, name: OPENAI_CRED.name, type: 'openAiApi', data: { apiKey: 'sk-fake-e2e', url: openAi.url, header: false } },
			],
			workflows: [agentWorkflow()],
		});
	}, 20 * 60_000);

	afterAll(async () => {
		await n8n?.stop();
		await openAi?.close();
		await sim?.close();
	});

	/** Status of each branch's execution the moment its Webhook caller got the answer. */
	const statusAtAnswer: Partial<Record<Branch, string>> = {};
	const call = async (key: Branch) => {
		const before = n8n.executions(WF).length;
		const res = await n8n.webhook(`e2e-agent-${key}`, { prompt: BRANCHES[key].prompt });
		statusAtAnswer[key] = n8n.executions(WF)[before]?.status;
		return res;
	};

	test('n8n registered the generated tool type of our node', async () => {
		const { nodes } = await n8n.registeredTypes();
		const toolType = nodes.find((t: { name: string }) => t.name === TOOL_TYPE);
		expect(toolType).toBeDefined();
		expect(toolType.outputs).toEqual(['ai_tool']);
	});

	test('succeeded (Callback wait): the video URL reaches the model, and the Webhook caller gets the answer', async () => {
		const res = await call('ok');
		expect(res.status).toBe(200);
		const conversation = openAi.conversation(BRANCHES.ok.prompt);
		expect(conversation).toHaveLength(2);

		// First request: the model was offered our tool, described by our default, with a `prompt` field from $fromAI().
		const offered = conversation[0].tools?.[0]?.function;
		expect(offered?.description).toMatch(/^Generate a video from a text prompt with Kling AI/);
		expect(offered?.description).toMatch(/credits/);
		expect(offered?.description).toMatch(/minutes/);
		expect(Object.keys(offered?.parameters.properties ?? {}).sort()).toEqual(['aspectRatio', 'prompt']);

		// The task the tool created: the model's prompt, no callback URL (a tool polls), succeeded.
		const task = sim.tasks().find((t) => sim.task(String(t.task_id))?.body?.prompt === BRANCHES.ok.prompt);
		expect(task).toBeDefined();
		expect(sim.task(String(task!.task_id))?.callbackUrl ?? null).toBeNull();
		expect(sim.task(String(task!.task_id))?.body).toMatchObject({ prompt: BRANCHES.ok.prompt, aspect_ratio: '9:16', model_name: 'kling-v2-5-turbo' });
		const videoUrl = String(task!.task_result?.videos?.[0]?.url);
		expect(videoUrl).toMatch(/^http/);

		// Second request: the tool message is our one compact result.
		const toolMessage = conversation[1].messages.find((m) => m.role === 'tool');
		const content = textOf(toolMessage?.content);
		expect(content).toContain(videoUrl);
		const result = JSON.parse(content);
		const first = Array.isArray(result) ? result[0] : result;
		expect(first).toMatchObject({ outcome: 'succeeded', taskId: String(task!.task_id), videos: [{ url: videoUrl }] });
		expect(first.waitNote).toMatch(/instead of waiting for a callback/);
		expect(first).not.toHaveProperty('raw');

		// The synchronous caller got the agent's answer, which quotes the URL.
		expect(String(res.json?.output)).toContain(videoUrl);
	});

	test("failed (Callback, Then Poll): Kling's reason reaches the model; the caller gets no error", async () => {
		const res = await call('fail');
		expect(res.status).toBe(200);
		const conversation = openAi.conversation(BRANCHES.fail.prompt);
		expect(conversation).toHaveLength(2);
		const task = sim.tasks().find((t) => sim.task(String(t.task_id))?.body?.prompt === BRANCHES.fail.prompt);
		expect(task?.task_status).toBe('failed');
		const reason = String(task!.task_status_msg);
		expect(reason).toMatch(/risk control/);
		const content = textOf(conversation[1].messages.find((m) => m.role === 'tool')?.content);
		expect(content).toContain(reason);
		const result = JSON.parse(content);
		expect(Array.isArray(result) ? result[0] : result).toMatchObject({ outcome: 'failed', status: 'failed', reason, taskId: String(task!.task_id) });
		expect(String(res.json?.output)).toContain(reason);
	});

	test('a refused input: the model reads the error naming the field; no Kling request', async () => {
		const tasksBefore = sim.tasks().length;
		const res = await call('bad');
		expect(res.status).toBe(200);
		const conversation = openAi.conversation(BRANCHES.bad.prompt);
		expect(conversation).toHaveLength(2);
		const content = textOf(conversation[1].messages.find((m) => m.role === 'tool')?.content);
		expect(content).toMatch(/"Prompt\\?" is too long: 2609 characters, Kling accepts at most 2500/);
		expect(sim.tasks()).toHaveLength(tasksBefore);
	});

	test('no execution was put to wait: none was waiting when the caller got its answer, both ended success; Kling had no URL to call back', async () => {
		// (n8n may still be saving the row when the response leaves; a paused agent's row would say 'waiting'.)
		for (const key of ['ok', 'fail'] as const) expect(['success', 'running']).toContain(statusAtAnswer[key]);
		const rows = (await n8n.waitForExecutions(WF, 3)) as Array<{ status: string; waitTill: string | null }>;
		expect(rows).toHaveLength(3);
		expect(rows.slice(0, 2).map((r) => r.status)).toEqual(['success', 'success']);
		expect(rows.every((r) => !r.waitTill)).toBe(true);
		expect(sim.callbacks).toHaveLength(0);
	});
});
