/**
 * Real n8n in queue mode (issue 11, "a queue-mode rig in the real-n8n suite"): smoke test of the rig that the
 * exactly-once scenarios build on. Postgres + Redis from Debian's packages, one main, two `n8n webhook` processes and
 * two `n8n worker --concurrency=5`, this package installed from its tarball in every process (harness/queue.js).
 *
 * It proves the rig itself, independent of what the Kling nodes do:
 * - every process knows the package's node types: the webhook workflow carries a disabled Kling AI node, and n8n builds
 *   the whole workflow (all nodes, "Unrecognized node type" otherwise) in the process that serves the webhook and in
 *   the worker that runs it; a workflow with the Kling AI Poll Trigger is activated by the main;
 * - production webhooks posted to BOTH webhook processes and to the main become executions in Postgres (mode webhook,
 *   status success) that run on the workers, both of them;
 * - `kill -9` of a webhook process: the other one keeps serving; after a restart the killed one serves again.
 */
import { startSimulator } from '../simulator';
import * as harness from './harness/n8n';
import * as queue from './harness/queue';

jest.setTimeout(20 * 60_000);

const KEYS = { accessKey: 'ak_e2e_queue', secretKey: 'sk_e2e_queue_secret' };
const CRED = { id: 'klingE2eCredQueue', name: 'Kling simulator (queue)' };
const WF = { webhook: 'klingE2eQueueHook', poll: 'klingE2eQueuePoll' };
const WEBHOOK_PATH = 'e2e-queue-smoke';

type Sim = Awaited<ReturnType<typeof startSimulator>>;
type Rig = Awaited<ReturnType<typeof queue.startQueueRig>>;

describe('real n8n in queue mode: main + 2 webhook processes + 2 workers on Postgres and Redis', () => {
	let sim: Sim;
	let rig: Rig;
	let seq = 0;
	const t0 = Date.now();

	beforeAll(async () => {
		sim = await startSimulator({ port: 0, ...KEYS });
		const common = { CRED_ID: CRED.id, CRED_NAME: CRED.name };
		rig = await queue.startQueueRig({
			webhookProcesses: 2,
			workers: 2,
			credentials: [harness.loadFixture('credential.kling.json', { ...common, ACCESS_KEY: KEYS.accessKey, SECRET_KEY: KEYS.secretKey, SIM_URL: sim.url, WEBHOOK_SECRET: '' })],
			workflows: [
				harness.loadFixture('workflow.queue-webhook.json', { WF_ID: WF.webhook, WEBHOOK_ID: '6a0f4c1e-0011-4000-8000-0000000000aa', WEBHOOK_PATH }),
				harness.loadFixture('workflow.queue-poll.json', { ...common, WF_ID: WF.poll }),
			],
		});
	}, 20 * 60_000);

	afterAll(async () => {
		if (rig) harness.progress(`queue rig resident memory (MB): ${JSON.stringify(rig.memoryMb())}`);
		await rig?.stop();
		await sim?.close();
		harness.progress(`queue.e2e total ${((Date.now() - t0) / 1000).toFixed(1)} s (rig ready in ${((rig?.readyMs ?? 0) / 1000).toFixed(1)} s)`);
	});

	/** POST one marked body to a process; returns the marker. */
	async function post(target: string): Promise<string> {
		const marker = `queue-smoke-${++seq}-${target}`;
		const res = await rig.webhook(target, WEBHOOK_PATH, { marker });
		expect({ target, status: res.status, body: res.json }).toEqual({ target, status: 200, body: { message: 'Workflow was started' } });
		return marker;
	}

	/** Executions of the webhook workflow that contain one of `markers`, keyed by marker; each marker exactly once. */
	async function executionsFor(markers: string[]) {
		const rows = await rig.waitForExecutions({ workflowId: WF.webhook, count: seq, timeoutMs: 90_000, withData: true });
		const byMarker = new Map<string, (typeof rows)[number]>();
		for (const row of rows) {
			for (const m of rig.taskIdsOf(row, markers)) {
				expect(byMarker.has(m)).toBe(false);
				byMarker.set(m, row);
			}
		}
		expect([...byMarker.keys()].sort()).toEqual([...markers].sort());
		return byMarker;
	}

	it('starts every process with the package installed and activates the published workflows', () => {
		expect(rig.processes).toEqual(['main', 'webhook-1', 'webhook-2', 'worker-1', 'worker-2']);
		expect(Object.keys(rig.urls)).toEqual(['main', 'webhook-1', 'webhook-2']);
		expect(rig.publicUrl).toBe(rig.urls['webhook-1']);
		const ports = rig.processes.flatMap((name) => {
			const p = rig.process(name);
			expect(p.alive).toBe(true);
			return [p.port, p.brokerPort, ...(p.healthPort ? [p.healthPort] : [])];
		});
		expect(new Set(ports).size).toBe(ports.length);
		// Published before the main started; the main's publication outbox says 'completed' (startQueueRig waited).
		const states = rig.pgQuery(`select "workflowId", status from workflow_publication_outbox order by id`);
		expect(states).toEqual(expect.arrayContaining([{ workflowId: WF.webhook, status: 'completed' }, { workflowId: WF.poll, status: 'completed' }]));
		// The migration that adds execution_entity."deduplicationKey" ships with n8n 2.40.
		if (Number(rig.runtime.n8nVersion.split('.')[0]) >= 2 && Number(rig.runtime.n8nVersion.split('.')[1]) >= 40) expect(rig.hasDeduplicationKey).toBe(true);
		harness.progress(`Postgres ${rig.postgres.version}, execution_entity."deduplicationKey": ${rig.hasDeduplicationKey}`);
	});

	it('registers the production webhook in Postgres', async () => {
		const rows = await rig.waitForWebhookRegistered(WF.webhook);
		expect(rows).toEqual([expect.objectContaining({ webhookPath: WEBHOOK_PATH, method: 'POST', node: 'Webhook' })]);
	});

	it('runs webhooks posted to both webhook processes and the main as executions on both workers', async () => {
		const targets = ['webhook-1', 'webhook-2', 'main'];
		const markers = await Promise.all(targets.flatMap((t) => [post(t), post(t), post(t)]));
		const byMarker = await executionsFor(markers);
		const workers = new Set<string>();
		for (const [marker, row] of byMarker) {
			expect({ marker, mode: row.mode, status: row.status, finished: row.finished }).toEqual({ marker, mode: 'webhook', status: 'success', finished: true });
			const worker = await harness.waitUntil(() => rig.workerOf(row.id), { timeoutMs: 10_000, message: `no worker log says it started execution ${row.id}` });
			workers.add(worker);
		}
		// Execution data is decodable and ran the connected nodes only (the disabled Kling AI node never runs).
		const data = rig.executionData(byMarker.get(markers[0])!.id);
		expect(Object.keys(data.resultData.runData).sort()).toEqual(['Done', 'Webhook']);
		expect([...workers].sort()).toEqual(['worker-1', 'worker-2']);
		// n8n builds the whole workflow (every node's type) in the serving process and in the worker.
		expect(rig.logsMatching(/Unrecognized node type/)).toEqual([]);
		expect(rig.logsMatching(/Failed to load package|Skipping package/)).toEqual([]);
	});

	it('survives kill -9 of a webhook process: the other serves meanwhile, the restarted one serves again', async () => {
		await rig.kill9('webhook-1');
		expect(rig.process('webhook-1').alive).toBe(false);
		await expect(rig.webhook('webhook-1', WEBHOOK_PATH, { marker: 'never' })).rejects.toThrow();
		const during = [await post('webhook-2')];
		await rig.restart('webhook-1');
		expect(rig.process('webhook-1').alive).toBe(true);
		const after = await Promise.all([post('webhook-1'), post('webhook-1'), post('webhook-2')]);
		const byMarker = await executionsFor([...during, ...after]);
		for (const [marker, row] of byMarker) expect({ marker, mode: row.mode, status: row.status }).toEqual({ marker, mode: 'webhook', status: 'success' });
		expect(rig.executions({ workflowId: WF.webhook, withData: false }).filter((e) => e.status !== 'success')).toEqual([]);
		expect(rig.logsMatching(/Unrecognized node type/)).toEqual([]);
	});

	it('survives kill -9 of a worker (the other runs the jobs) and a restart of the main (re-activates, serves again)', async () => {
		await rig.kill9('worker-1');
		const whileDown = await Promise.all([post('webhook-2'), post('webhook-1')]);
		for (const [, row] of await executionsFor(whileDown)) {
			expect({ status: row.status, worker: await harness.waitUntil(() => rig.workerOf(row.id), { timeoutMs: 10_000, message: `no worker started execution ${row.id}` }) }).toEqual({ status: 'success', worker: 'worker-2' });
		}
		await rig.restart('worker-1');
		// The main re-activates the workflows with in-memory triggers (the poll trigger) after a restart; restart() waits.
		await rig.restart('main');
		const after = await Promise.all([post('main'), post('webhook-2')]);
		for (const [marker, row] of await executionsFor(after)) expect({ marker, status: row.status }).toEqual({ marker, status: 'success' });
		expect(rig.processes.filter((name) => !rig.process(name).alive)).toEqual([]);
		expect(rig.logsMatching(/Unrecognized node type/)).toEqual([]);
	});
});
