/**
 * Real n8n in queue mode (issue 11): exactly once, counted from the executions in Postgres.
 *
 * Rig (harness/queue.js): Postgres + Redis, one main, two `n8n webhook` processes, two workers; the package installed
 * in every process. Two published workflows, each the recommended layout (Kling AI Trigger + Kling AI Poll Trigger,
 * Poll Every 15 seconds, both into one NoOp), kept apart by an external-task-id prefix filter:
 * - `exact`: Kling AI Trigger "Start Executions: Only Through the Poll Trigger" — the README's queue-mode layout;
 * - `fast`:  "Always From This Trigger" — the control: callbacks served by webhook processes start executions there,
 *            with no de-duplication key, and the leader's Poll Trigger emits the same tasks again (at least once).
 *
 * Traffic: finished tasks whose terminal callbacks are posted to webhook-1, webhook-2 and the main in turn; 30 %
 * dropped (never posted), 20 % duplicated as concurrent pairs on both webhook processes, 10 % reordered (a
 * `processing` callback after the terminal one). Mid-run: `kill -9` of webhook-1 and of worker-1 (restarted), and a
 * restart of the main (the leader with the Poll Triggers). Result: in `exact` every task has exactly one execution,
 * carrying `kling:v1:<workflow>:<task>:<status>`; in `fast` some tasks have two.
 */
import { urlTokenFromCredentials } from '../../nodes/KlingAi/shared/callback';
import { startSimulator } from '../simulator';
import * as harness from './harness/n8n';
import * as queue from './harness/queue';
import { connect, klingNode, uuidFor, webhookNode, workflow, type NodeJson } from './fixtures/build';

jest.setTimeout(25 * 60_000);

const KEYS = { accessKey: 'ak_e2e_qonce', secretKey: 'sk_e2e_qonce_secret' };
const CRED = { id: 'klingE2eCredQOnce', name: 'Kling simulator (queue once)' };
const WF = { exact: 'klingE2eQOnceExact', fast: 'klingE2eQOnceFast0', wait: 'klingE2eQOnceWait0' };
const HOOK = { exact: '3d2c1b0a-0001-4000-8000-00000000e001', fast: '3d2c1b0a-0002-4000-8000-00000000e002' };
const PREFIX = { exact: 'qx-', fast: 'qy-' };
const TASKS = 24;

type Sim = Awaited<ReturnType<typeof startSimulator>>;
type Rig = Awaited<ReturnType<typeof queue.startQueueRig>>;
type Flavor = 'exact' | 'fast';

function layout(flavor: Flavor): Record<string, unknown> {
	const credentials = { klingAiApi: CRED };
	const trigger: NodeJson = {
		id: uuidFor(`qonce:${flavor}:trigger`),
		name: 'Kling AI Trigger',
		type: harness.NODE_TYPES.trigger,
		typeVersion: 1,
		position: [0, -150],
		webhookId: HOOK[flavor],
		parameters: {
			startExecutions: flavor === 'exact' ? 'pollTrigger' : 'here',
			requireUrlToken: true,
			confirmWithApi: false,
			emitProgress: false,
			downloadResults: false,
			filters: { externalTaskIdPrefix: PREFIX[flavor] },
		},
		credentials,
	};
	const poll: NodeJson = {
		id: uuidFor(`qonce:${flavor}:poll`),
		name: 'Kling AI Poll Trigger',
		type: harness.NODE_TYPES.pollTrigger,
		typeVersion: 1,
		position: [0, 150],
		parameters: { pollInterval: '*/15 * * * * *', taskTypes: ['textToVideo'], downloadResults: false, filters: { externalTaskIdPrefix: PREFIX[flavor] }, options: {} },
		credentials,
	};
	const noop: NodeJson = { id: uuidFor(`qonce:${flavor}:noop`), name: 'Next steps', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [300, 0], parameters: {} };
	const connections = {};
	connect(connections, trigger.name, noop.name, noop.name);
	connect(connections, poll.name, noop.name, noop.name);
	return workflow(WF[flavor], `E2E queue mode exactly once (${flavor})`, [trigger, poll, noop], connections);
}

/** Webhook → Kling AI (Text to Video, Wait for Completion: Callback) → Succeeded / Failed NoOps. */
function waitLayout(): Record<string, unknown> {
	const nodes: NodeJson[] = [
		webhookNode('Start', 'e2e-queue-wait', [0, 0]),
		klingNode('Kling AI (wait)', { resource: 'video', operation: 'textToVideo', prompt: '={{ $json.body.prompt }}', model: 'kling-v2-5-turbo', aspectRatio: '16:9', options: {}, waitForCompletion: 'callback', waitTimeLimit: 5, pollIntervalSeconds: 1 }, CRED, [260, 0]),
		{ id: uuidFor('qonce:wait:ok'), name: 'Succeeded', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [520, -80], parameters: {} },
		{ id: uuidFor('qonce:wait:fail'), name: 'Failed', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [520, 80], parameters: {} },
	];
	const connections = {};
	connect(connections, 'Start', 'Kling AI (wait)');
	connect(connections, 'Kling AI (wait)', 'Succeeded', 'Failed');
	return workflow(WF.wait, 'E2E queue mode: create and wait (callback)', nodes, connections);
}

describe('real n8n in queue mode: callbacks over two webhook processes + the Poll Trigger → each task exactly once', () => {
	let sim: Sim;
	let rig: Rig;
	const t0 = Date.now();
	const token = urlTokenFromCredentials({ authType: 'accessKey', ...KEYS }) as string;

	beforeAll(async () => {
		sim = await startSimulator({ port: 0, ...KEYS, autoAdvance: false, callbacks: { progress: false } });
		rig = await queue.startQueueRig({
			webhookProcesses: 2,
			workers: 2,
			credentials: [
				harness.loadFixture('credential.kling.json', { CRED_ID: CRED.id, CRED_NAME: CRED.name, ACCESS_KEY: KEYS.accessKey, SECRET_KEY: KEYS.secretKey, SIM_URL: sim.url, WEBHOOK_SECRET: '' }),
			],
			workflows: [layout('exact'), layout('fast'), waitLayout()],
		});
	}, 20 * 60_000);

	afterAll(async () => {
		await rig?.stop();
		await sim?.close();
		harness.progress(`queueExactlyOnce.e2e total ${((Date.now() - t0) / 1000).toFixed(1)} s`);
	});

	/** POST a task body as a Kling callback to one process's trigger URL; resolves to the HTTP status (0 = no answer). */
	async function callback(target: string, flavor: Flavor, body: unknown): Promise<number> {
		try {
			const res = await rig.webhook(target, `${HOOK[flavor]}/webhook`, body, { query: `?kling_type=textToVideo&kling_token=${encodeURIComponent(token)}` });
			return res.status;
		} catch {
			return 0;
		}
	}

	/** Execution rows of a workflow, by task id. */
	function executionsByTask(flavor: Flavor, ids: string[]): Map<string, Array<{ id: number; status: string; mode: string; deduplicationKey: string | null }>> {
		const rows = rig.executions({ workflowId: WF[flavor], withData: true });
		const byTask = new Map(ids.map((id) => [id, [] as Array<{ id: number; status: string; mode: string; deduplicationKey: string | null }>]));
		for (const row of rows) for (const id of rig.taskIdsOf(row, ids)) byTask.get(id)!.push(row as never);
		return byTask;
	}

	it('duplicated, reordered and dropped callbacks, kill -9 of a webhook process and a worker, a main restart: exactly once with "Only Through the Poll Trigger"', async () => {
		// Tasks of both flavours, all running; both Poll Triggers watch them from their next poll on.
		const make = (flavor: Flavor, i: number) =>
			sim.insertTask('textToVideo', { task_status: 'processing', external_task_id: `${PREFIX[flavor]}${i}` });
		const tasks = { exact: Array.from({ length: TASKS }, (_, i) => make('exact', i)), fast: Array.from({ length: TASKS }, (_, i) => make('fast', i)) };
		const ids = { exact: tasks.exact.map((t) => String(t.task_id)), fast: tasks.fast.map((t) => String(t.task_id)) };
		await new Promise((r) => setTimeout(r, 20_000)); // one poll of each Poll Trigger sees them unfinished

		const targets = ['webhook-1', 'webhook-2', 'main'];
		const plan = (i: number) => ({ drop: i % 10 < 3, duplicate: i % 10 >= 3 && i % 10 < 5, reorder: i % 10 === 5, fail: i % 6 === 5 });
		const statuses: number[] = [];
		const send = async (flavor: Flavor, i: number) => {
			const id = ids[flavor][i];
			const p = plan(i);
			const finished = sim.advance(id, p.fail ? 'failed' : 'succeed');
			const body = sim.tasks().find((t) => String(t.task_id) === id) ?? finished;
			if (p.drop) return;
			const target = targets[i % targets.length];
			if (p.duplicate) {
				// A concurrent duplicate pair, one copy on each webhook process.
				statuses.push(...(await Promise.all([callback('webhook-1', flavor, body), callback('webhook-2', flavor, body)])));
			} else {
				statuses.push(await callback(target, flavor, body));
			}
			if (p.reorder) statuses.push(await callback(target, flavor, { ...(body as object), task_status: 'processing' }));
		};

		// First half of the callbacks.
		for (let i = 0; i < TASKS / 2; i++) await Promise.all([send('exact', i), send('fast', i)]);
		harness.progress('queue once: first half sent; kill -9 webhook-1 and worker-1');
		await rig.kill9('webhook-1');
		await rig.kill9('worker-1');
		// While webhook-1 is down its callbacks fail (Kling would give up): the poll must recover those tasks.
		for (let i = TASKS / 2; i < (3 * TASKS) / 4; i++) await Promise.all([send('exact', i), send('fast', i)]);
		await Promise.all([rig.restart('webhook-1'), rig.restart('worker-1')]);
		harness.progress('queue once: webhook-1 and worker-1 back; restart the main (leader, Poll Triggers)');
		await rig.restart('main');
		for (let i = (3 * TASKS) / 4; i < TASKS; i++) await Promise.all([send('exact', i), send('fast', i)]);
		harness.progress(`queue once: all callbacks sent; answers ${JSON.stringify(statuses.reduce<Record<number, number>>((m, s) => ({ ...m, [s]: (m[s] ?? 0) + 1 }), {}))}`);

		// Every task of `exact` arrives; then three more polls must add nothing.
		await harness.waitUntil(() => [...executionsByTask('exact', ids.exact).values()].every((rows) => rows.length > 0), {
			timeoutMs: 180_000,
			intervalMs: 2_000,
			message: () => {
				const missing = [...executionsByTask('exact', ids.exact).entries()].filter(([, r]) => !r.length).map(([id]) => id);
				return `not every task was emitted; missing ${missing.join(', ')}\n${rig.logTail('main', 30)}`;
			},
		});
		await new Promise((r) => setTimeout(r, 50_000));
		await rig.waitForExecutions({ workflowId: WF.exact, count: 1, timeoutMs: 60_000 });

		const exact = executionsByTask('exact', ids.exact);
		const problems = [...exact.entries()].filter(([, rows]) => rows.length !== 1).map(([id, rows]) => `${id}: ${rows.length} executions`);
		expect(problems).toEqual([]);
		for (const [i, id] of ids.exact.entries()) {
			const [row] = exact.get(id)!;
			expect(row.deduplicationKey).toBe(`kling:v1:${WF.exact}:${id}:${plan(i).fail ? 'failed' : 'succeeded'}`);
			expect(row.mode).toBe('trigger');
		}
		const byStatus = [...exact.values()].flat().reduce<Record<string, number>>((m, r) => ({ ...m, [r.status]: (m[r.status] ?? 0) + 1 }), {});
		harness.progress(`queue once (exact): ${TASKS} tasks, executions by status ${JSON.stringify(byStatus)}`);

		// The control: "Always From This Trigger" starts executions in the webhook processes, and the leader's Poll
		// Trigger cannot know: some tasks run twice. (If this ever stops happening, the test above proves less.)
		const fast = executionsByTask('fast', ids.fast);
		const twice = [...fast.values()].filter((rows) => rows.length > 1).length;
		const lost = [...fast.values()].filter((rows) => rows.length === 0).length;
		harness.progress(`queue once (fast, control): ${twice} of ${TASKS} tasks ran more than once; ${lost} not emitted`);
		expect(twice).toBeGreaterThan(0);
		expect(lost).toBe(0);
	});

	it('create and wait: duplicate final callbacks on both webhook processes resume each execution once, with its own task', async () => {
		const prompts = ['queue wait 0: a lantern', 'queue wait 1: a harbour', 'sim:fail queue wait 2: a storm'];
		for (const prompt of prompts) expect((await rig.webhook('webhook-2', 'e2e-queue-wait', { prompt })).status).toBe(200);
		const taskOf = (prompt: string) => {
			const req = sim.requests.find((r) => r.method === 'POST' && (r.body as Record<string, unknown> | undefined)?.prompt === prompt);
			const ext = (req?.body as Record<string, unknown> | undefined)?.external_task_id;
			return ext ? sim.tasks().find((t) => (t.task_info as Record<string, unknown> | undefined)?.external_task_id === ext) : undefined;
		};
		const created = await harness.waitUntil(() => (prompts.every((p) => taskOf(p)) ? prompts.map((p) => String(taskOf(p)!.task_id)) : undefined), {
			timeoutMs: 60_000,
			message: 'the waiting executions did not create their tasks',
		});
		await harness.waitUntil(() => rig.executions({ workflowId: WF.wait, withData: false }).filter((e) => e.status === 'waiting').length === prompts.length, {
			timeoutMs: 60_000,
			message: () => `not every execution is waiting: ${JSON.stringify(rig.executions({ workflowId: WF.wait, withData: false }).map((e) => e.status))}`,
		});
		// Each final callback twice at once: once to webhook-1 (the public URL Kling got), once to webhook-2.
		const answers: number[] = [];
		for (const [i, id] of created.entries()) {
			const body = sim.advance(id, i === 2 ? 'failed' : 'succeed');
			const resumeUrl = new URL(String(sim.task(id)!.callbackUrl));
			const other = new URL(resumeUrl.pathname + resumeUrl.search, rig.urls['webhook-2']);
			const post = (url: URL) =>
				fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(sim.tasks().find((t) => String(t.task_id) === id) ?? body) }).then((r) => r.status);
			answers.push(...(await Promise.all([post(resumeUrl), post(other)])));
			// A third, late copy after the execution resumed.
			if (i === 0) {
				const res = await post(new URL(resumeUrl.pathname + resumeUrl.search, rig.urls['webhook-1']));
				answers.push(res);
			}
		}
		harness.progress(`queue wait: answers to the resume URLs ${JSON.stringify(answers)}`);
		const rows = await rig.waitForExecutions({ workflowId: WF.wait, count: prompts.length, timeoutMs: 90_000, withData: true });
		expect(rows).toHaveLength(prompts.length);
		for (const [i, id] of created.entries()) {
			const mine = (rows as Array<{ id: number; status: string }>).filter((r) => rig.taskIdsOf(r as never, [id]).length);
			expect(mine).toHaveLength(1);
			expect(mine[0].status).toBe('success');
			const data = rig.executionData(mine[0].id) as { resultData: { runData: Record<string, unknown[]> } };
			expect(data.resultData.runData[i === 2 ? 'Failed' : 'Succeeded']).toHaveLength(1);
			expect(Object.keys(data.resultData.runData)).not.toContain(i === 2 ? 'Succeeded' : 'Failed');
		}
		// The HTTP answers do not decide anything: the node answers Kling before n8n's waiting → running
		// compare-and-set, so both copies of a pair may read 200; the executions above are the outcome.
		expect(answers.every((s) => s === 200 || s === 409)).toBe(true);
	});
});
