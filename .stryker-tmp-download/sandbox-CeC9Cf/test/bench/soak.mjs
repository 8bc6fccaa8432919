/**
 * Measurement 5 — fault-injection soak through a real n8n.
 *
 * Workflows (both published):
 *  - "targets": Kling AI Trigger (Require URL Token) AND Kling AI Poll Trigger (Poll Every 15 s; a trigger() node,
 *    so no one-minute minimum) → NoOp each. This is the callback target of every create.
 *  - "create": built-in Webhook (Respond: When Last Node Finishes, All Entries) → Split Out → Kling AI Text to Video
 *    with Callback "Kling AI Trigger" (the targets' production URL), On Error: Continue. The bench POSTs the prompts in
 *    batches; each prompt carries a unique "#<index>" so tasks created twice for one input show up.
 * Simulator faults: 30 % of callbacks dropped, 20 % duplicated, 10 % reordered (progress delivered after the terminal
 * callback), 5 % of create requests answered 1303 or 5000 (seeded, per request), one create accepted and answered only
 * after the client timed out, 10 % of tasks fail. n8n is restarted (SIGTERM, start) once after half of the batches.
 * Accounting from the simulator's logs and n8n's execution table (items each trigger node emitted).
 */
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import {
	WORKFLOW_SETTINGS,
	credentialExport,
	fmt,
	fmtMs,
	harness,
	mdTable,
	median,
	nodeOutputs,
	packageOptions,
	percentile,
	pollUntil,
	progress,
	sectionHeader,
	sleep,
	sqlite,
	uuid,
	verdict,
} from './lib/common.mjs';
import { startSimulatorWorker } from './lib/simWorker.mjs';

const require = createRequire(import.meta.url);

const CRED = { id: 'klingBenchCredSk', name: 'Kling simulator (bench soak)' };
const WF = { targets: 'klingBenchSoakTarget', create: 'klingBenchSoakCreate' };
const TRIGGER_WEBHOOK_ID = uuid('bench-soak-trigger');
const CREATE_PATH = 'bench-soak-create';
const NODES = { trigger: 'Kling AI Trigger', poll: 'Kling AI Poll Trigger' };

function workflows(triggerUrl, startExecutions = 'auto') {
	const to = (node) => ({ node, type: 'main', index: 0 });
	return [
		{
			id: WF.targets,
			name: 'Bench soak: Kling AI Trigger + Poll Trigger',
			active: false,
			settings: WORKFLOW_SETTINGS,
			nodes: [
				{
					id: uuid('soak-trigger'),
					name: NODES.trigger,
					type: harness.NODE_TYPES.trigger,
					typeVersion: 1,
					position: [0, 0],
					webhookId: TRIGGER_WEBHOOK_ID,
					parameters: { startExecutions, requireUrlToken: true, confirmWithApi: false, emitProgress: false, downloadResults: false, filters: {} },
					credentials: { klingAiApi: { id: CRED.id, name: CRED.name } },
				},
				{
					id: uuid('soak-poll'),
					name: NODES.poll,
					type: harness.NODE_TYPES.pollTrigger,
					typeVersion: 1,
					position: [0, 300],
					parameters: { pollInterval: '*/15 * * * * *' },
					credentials: { klingAiApi: { id: CRED.id, name: CRED.name } },
				},
				{ id: uuid('soak-done-1'), name: 'Callback done', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [300, 0], parameters: {} },
				{ id: uuid('soak-done-2'), name: 'Poll done', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [300, 300], parameters: {} },
			],
			connections: {
				[NODES.trigger]: { main: [[to('Callback done')], [to('Callback done')]] },
				[NODES.poll]: { main: [[to('Poll done')], [to('Poll done')]] },
			},
			pinData: {},
		},
		{
			id: WF.create,
			name: 'Bench soak: create in batches',
			active: false,
			settings: WORKFLOW_SETTINGS,
			nodes: [
				{
					id: uuid('soak-create-webhook'),
					name: 'Webhook',
					type: 'n8n-nodes-base.webhook',
					typeVersion: 2,
					position: [0, 0],
					webhookId: uuid('soak-create-webhook-id'),
					parameters: { httpMethod: 'POST', path: CREATE_PATH, responseMode: 'lastNode', responseData: 'allEntries', options: {} },
				},
				{
					id: uuid('soak-split'),
					name: 'Split Out',
					type: 'n8n-nodes-base.splitOut',
					typeVersion: 1,
					position: [220, 0],
					parameters: { fieldToSplitOut: 'body.items', include: 'noOtherFields', options: {} },
				},
				{
					id: uuid('soak-kling'),
					name: 'Kling AI',
					type: harness.NODE_TYPES.action,
					typeVersion: 1,
					position: [440, 0],
					onError: 'continueRegularOutput',
					parameters: {
						resource: 'video',
						operation: 'textToVideo',
						prompt: '={{ $json.prompt }}',
						model: 'kling-v2-5-turbo',
						aspectRatio: '16:9',
						callback: 'trigger',
						callbackUrl: triggerUrl,
						options: {},
					},
					credentials: { klingAiApi: { id: CRED.id, name: CRED.name } },
				},
			],
			connections: { Webhook: { main: [[to('Split Out')]] }, 'Split Out': { main: [[to('Kling AI')]] } },
			pinData: {},
		},
	];
}

/**
 * Restart n8n through the harness, but consider it back as soon as the new process logged "Editor is now accessible"
 * and answers /healthz. (On n8n 2.40.7 the harness's restart() then waits for a new publication-outbox record that n8n
 * does not write for unchanged published workflows, and gives up after 90 s although n8n is up and its triggers are
 * active; that outcome is recorded and reported, not hidden.)
 */
async function restartN8n(n8n) {
	const logOffset = fs.existsSync(n8n.logFile) ? fs.statSync(n8n.logFile).size : 0;
	const outcome = { harness: 'pending' };
	outcome.promise = n8n.restart().then(
		() => (outcome.harness = 'ok'),
		(error) => (outcome.harness = `harness restart() failed: ${String(error.message).split('\n')[0].replace(/;? ?log tail:$/, '')}`),
	);
	const ready = await pollUntil(
		async () => {
			if (outcome.harness !== 'pending' && outcome.harness !== 'ok' && !/not all activated/.test(outcome.harness)) return 'failed';
			const fd = fs.openSync(n8n.logFile, 'r');
			let text;
			try {
				const size = fs.fstatSync(fd).size;
				const buf = Buffer.alloc(Math.max(0, size - logOffset));
				fs.readSync(fd, buf, 0, buf.length, logOffset);
				text = buf.toString('utf8');
			} finally {
				fs.closeSync(fd);
			}
			if (!/Editor is now accessible via/.test(text)) return undefined;
			try {
				const res = await fetch(`${n8n.url}/healthz`, { signal: AbortSignal.timeout(2000) });
				return res.status === 200 ? 'ready' : undefined;
			} catch {
				return undefined;
			}
		},
		{ timeoutMs: 5 * 60_000, intervalMs: 100 },
	);
	if (ready !== 'ready') {
		await outcome.promise;
		throw new Error(`n8n did not come back after the restart (${outcome.harness})`);
	}
	return outcome;
}

const parseTime = (s) => (s ? Date.parse(/Z|[+-]\d\d:?\d\d$/.test(s) ? s : `${String(s).replace(' ', 'T')}Z`) : NaN);

/** Incrementally read what the two trigger nodes emitted (finished executions of the targets workflow). */
function emissionCollector(backend) {
	const processed = new Set();
	let floor = 0;
	const emissions = new Map(); // taskId -> [{via, output, status, at, executionId}]
	const executions = { callback: 0, poll: 0, other: 0, errors: 0 };
	return {
		emissions,
		executions,
		collect() {
			const rows = backend.targetExecutionsAfter(floor);
			let nextFloor;
			for (const row of rows) {
				if (processed.has(row.id)) continue;
				if (['new', 'running', 'waiting'].includes(row.status)) {
					nextFloor ??= row.id - 1;
					continue;
				}
				processed.add(row.id);
				if (row.status !== 'success') executions.errors++;
				let kind = 'other';
				for (const [via, node] of [
					['callback', NODES.trigger],
					['poll', NODES.poll],
				]) {
					for (const run of nodeOutputs(row.data, node)) {
						kind = via;
						run.forEach((items, output) => {
							for (const json of items) {
								const list = emissions.get(json.taskId) ?? [];
								list.push({ via, output, status: json.status, at: parseTime(row.startedAt), executionId: row.id });
								emissions.set(json.taskId, list);
							}
						});
					}
				}
				executions[kind]++;
			}
			floor = nextFloor ?? (rows.length ? Math.max(floor, ...rows.map((r) => r.id)) : floor);
		},
	};
}

/** A round-robin load balancer on 127.0.0.1 in front of the webhook processes (skips one that does not answer). */
async function startBalancer(targets) {
	let next = 0;
	targets = [...targets];
	const server = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', async () => {
			const body = Buffer.concat(chunks);
			for (let attempt = 0; attempt < targets.length; attempt++) {
				const base = targets[next++ % targets.length];
				try {
					const r = await fetch(`${base}${req.url}`, { method: req.method, headers: { 'content-type': req.headers['content-type'] ?? 'application/json', ...Object.fromEntries(Object.entries(req.headers).filter(([k]) => k.startsWith('webhook-'))) }, body: ['GET', 'HEAD'].includes(req.method) ? undefined : body, signal: AbortSignal.timeout(6 * 60_000) });
					const text = Buffer.from(await r.arrayBuffer());
					res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'application/json' });
					res.end(text);
					return;
				} catch {
					// connection refused / reset: try the next process, as a load balancer's health check would
				}
			}
			res.writeHead(502).end();
		});
	});
	await new Promise((r) => server.listen(0, '127.0.0.1', r));
	return { url: `http://127.0.0.1:${server.address().port}`, targets, close: () => new Promise((r) => server.close(() => r())) };
}

/** n8n in one process (the harness) or in queue mode (main + 2 webhook processes behind a balancer + 2 workers). */
async function startBackend(mode, { sim, n8nEnv, pack }) {
	if (mode === 'regular') {
		const n8n = await harness.startN8n({
			...pack.opts,
			env: n8nEnv,
			credentials: [credentialExport({ ...CRED, simUrl: sim.url })],
			workflows: ({ webhookUrl }) => workflows(webhookUrl(`${TRIGGER_WEBHOOK_ID}/webhook`)),
		});
		return {
			runtime: n8n.runtime,
			createUrl: `${n8n.url}/webhook/${CREATE_PATH}`,
			targetExecutionsAfter: (floor) =>
				sqlite(
					n8n,
					`select e.id as id, e.status as status, e.startedAt as startedAt, e.stoppedAt as stoppedAt, d.data as data from execution_entity e left join execution_data d on d.executionId = e.id where e.workflowId = '${WF.targets}' and e.id > ${floor} order by e.id`,
					'data',
				),
			createExecutions: () => n8n.executions(WF.create),
			faultsAt: {},
			restart: async () => await restartN8n(n8n),
			describe: 'one n8n process (regular mode, SQLite)',
			stop: async () => await n8n.stop(),
		};
	}
	const queue = require('../e2e/harness/queue.js');
	// The balancer listens first (its URL goes into the workflows); its targets are set once the rig is up.
	const lb = await startBalancer([]);
	let rig;
	try {
		rig = await queue.startQueueRig({
			...pack.opts,
			env: n8nEnv,
			webhookProcesses: 2,
			workers: 2,
			credentials: [credentialExport({ ...CRED, simUrl: sim.url })],
			workflows: workflows(`${lb.url}/webhook/${TRIGGER_WEBHOOK_ID}/webhook`, 'pollTrigger'),
		});
	} catch (error) {
		await lb.close();
		throw error;
	}
	lb.targets.push(...rig.webhookUrls);
	const flatted = require(require.resolve('flatted', { paths: [rig.runtime.n8nDir, `${rig.runtime.n8nDir}/node_modules/n8n`] }));
	return {
		runtime: rig.runtime,
		createUrl: `${lb.url}/webhook/${CREATE_PATH}`,
		targetExecutionsAfter: (floor) =>
			rig
				.executions({ workflowId: WF.targets, withData: true })
				.filter((r) => r.id > floor)
				.map((r) => ({ ...r, data: r.data ? flatted.parse(r.data) : undefined })),
		createExecutions: () => rig.executions({ workflowId: WF.create, withData: false }),
		restart: async () => {
			await rig.restart('main');
			return { harness: 'ok', promise: Promise.resolve() };
		},
		/** Faults between batches: kill -9 of a webhook process and of a worker (restarted at once). */
		faults: async () => {
			await rig.kill9('webhook-1');
			await rig.kill9('worker-1');
			await Promise.all([rig.restart('webhook-1'), rig.restart('worker-1')]);
		},
		describe: 'queue mode: main + 2 `n8n webhook` processes behind a round-robin balancer + 2 workers (Postgres, Redis); Kling AI Trigger "Only Through the Poll Trigger"',
		stop: async () => {
			await lb.close();
			await rig.stop();
		},
	};
}

export async function run({ quick, command, n8nEnv = {}, mode = 'regular' }) {
	const N = quick ? 100 : 1000;
	const BATCH = quick ? 10 : 50;
	const batches = N / BATCH;
	const restartAfter = Math.floor(batches / 2);
	const timeoutBatch = 1; // the create that times out after acceptance goes into the 2nd batch
	const started = Date.now();
	const deadline = started + (quick ? 12 : 15) * 60_000;
	const sim = await startSimulatorWorker(
		{
			port: 0,
			timings: { toProcessingMs: 3_000, toFinishMs: quick ? 10_000 : 20_000 },
			failureRate: 0.1,
			callbacks: { progress: true, drop: 0.3, duplicate: 0.2, reorder: 0.1 },
			seed: 8,
		},
		// 5 % of create requests answered 1303 or 5000, decided per request from a seeded generator.
		{ createFaultRate: 0.05, createFaultCodes: [1303, 5000], seed: 8 },
	);
	let backend;
	let restartOutcome;
	const phases = {};
	const faultsAfter = Math.floor(batches / 4);
	try {
		progress(`soak (${mode}): starting n8n (N = ${N} tasks in ${batches} batches of ${BATCH}; restart after batch ${restartAfter}${mode === 'queue' ? `; kill -9 of webhook-1 and worker-1 after batch ${faultsAfter}` : ''})`);
		const pack = packageOptions();
		backend = await startBackend(mode, { sim, n8nEnv, pack });
		const collector = emissionCollector(backend);
		phases.ready = Date.now();
		const batchResults = [];
		for (let b = 0; b < batches; b++) {
			if (Date.now() > deadline) throw new Error('soak: time budget exhausted while creating');
			if (b === timeoutBatch) await sim.setOptions({ faults: { createTimeoutAfterAccept: 1 } });
			const items = Array.from({ length: BATCH }, (_, k) => {
				const idx = b * BATCH + k;
				return { prompt: `Soak task #${idx}#: a lighthouse in a storm, shot ${idx}` };
			});
			const t = Date.now();
			const res = await fetch(backend.createUrl, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ items }),
				signal: AbortSignal.timeout(6 * 60_000),
			});
			const text = await res.text();
			let out;
			try {
				out = JSON.parse(text);
			} catch {
				out = text;
			}
			const list = Array.isArray(out) ? out : [];
			const errors = list.filter((i) => i?.error).length;
			batchResults.push({ status: res.status, items: list.length, errors, ms: Date.now() - t });
			progress(`soak: batch ${b + 1}/${batches}: HTTP ${res.status}, ${list.length} items (${errors} errors) in ${fmtMs(Date.now() - t)}`);
			if (b + 1 === faultsAfter && backend.faults) {
				progress('soak: kill -9 of webhook-1 and worker-1, restarted at once');
				phases.faultsStart = Date.now();
				await backend.faults();
				phases.faultsEnd = Date.now();
			}
			if (b + 1 === restartAfter) {
				progress(`soak: restarting ${mode === 'queue' ? 'the main (leader)' : 'n8n'} (SIGTERM, start on the same database)`);
				phases.restartStart = Date.now();
				restartOutcome = await backend.restart();
				phases.restartEnd = Date.now();
				progress(`soak: n8n back after ${fmtMs(phases.restartEnd - phases.restartStart)}`);
			}
		}
		phases.createsDone = Date.now();

		// ---------------- wait for full recovery ---------------------------------------------------------------------
		const isOurs = (t) => /Soak task #\d+#/.test(String(t.prompt ?? ''));
		const finished = (t) => t.task_status === 'succeed' || t.task_status === 'failed';
		let recovered;
		let lastFinish;
		progress('soak: waiting until every created task was emitted (poll trigger runs every 15 s)');
		while (Date.now() < deadline) {
			collector.collect();
			const tasks = (await sim.state()).tasks.filter(isOurs);
			const allTerminal = tasks.every(finished);
			const missing = tasks.filter((t) => !collector.emissions.has(t.task_id)).length;
			if (allTerminal && missing === 0) {
				recovered = Date.now();
				break;
			}
			progress(`soak: ${tasks.length} tasks, ${tasks.filter(finished).length} finished at Kling, ${missing} not emitted yet`);
			await sleep(10_000);
		}
		// One more poll cycle, so late duplicates (from the poll or late callbacks) are counted too.
		const settleUntil = Math.min(deadline, Date.now() + 75_000);
		progress(`soak: ${recovered ? 'all emitted' : 'NOT all emitted before the deadline'}; watching ${fmt((settleUntil - Date.now()) / 1000, 0)} s more for late duplicates`);
		while (Date.now() < settleUntil) await sleep(5_000);
		collector.collect();

		if (restartOutcome) await restartOutcome.promise;

		// ---------------- accounting -------------------------------------------------------------------------------------
		const state = await sim.state();
		const tasks = state.tasks.filter(isOurs);
		const finishedAt = new Map(tasks.filter(finished).map((t) => [t.task_id, t.updated_at]));
		lastFinish = Math.max(...finishedAt.values());
		const perPrompt = new Map();
		for (const t of tasks) {
			const idx = /Soak task #(\d+)#/.exec(t.prompt)[1];
			perPrompt.set(idx, [...(perPrompt.get(idx) ?? []), t.task_id]);
		}
		const promptsWithoutTask = N - perPrompt.size;
		const createdTwice = [...perPrompt.values()].filter((ids) => ids.length > 1).length;
		const createPosts = state.requests.filter((r) => r.method === 'POST' && r.path === '/v1/videos/text2video');
		const okByExternal = new Map();
		for (const r of createPosts.filter((r) => r.status === 200)) okByExternal.set(r.externalTaskId, (okByExternal.get(r.externalTaskId) ?? 0) + 1);
		const externalTwice = [...okByExternal.values()].filter((c) => c > 1).length;
		const refusedDuplicates = createPosts.filter((r) => r.code === 1201).length;
		const held = createPosts.filter((r) => r.held).length;
		const injected = { 1303: state.injected[1303] ?? 0, 5000: state.injected[5000] ?? 0 };

		let once = 0;
		let lost = 0;
		let duplicated = 0;
		let wrongOutput = 0;
		const via = { callback: 0, poll: 0 };
		const latency = { callback: [], poll: [] };
		// Handed-over callbacks are emitted by the Poll Trigger node: what counts is whether Kling's final callback
		// reached n8n (then the task came from its callback) or only the poll found the task.
		const deliveredTerminal = new Set(state.callbacks.filter((c) => c.delivered && ['succeed', 'failed'].includes(c.status)).map((c) => c.taskId));
		let lastFirstEmission = 0;
		const duplicateDetail = [];
		for (const t of tasks) {
			const list = collector.emissions.get(t.task_id) ?? [];
			if (list.length === 0) lost++;
			else if (list.length === 1) once++;
			else {
				duplicated++;
				if (duplicateDetail.length < 5) duplicateDetail.push(`${t.task_id}: ${list.map((e) => `${e.via}@exec${e.executionId}`).join(', ')}`);
			}
			for (const e of list) if (e.output !== (t.task_status === 'succeed' ? 0 : 1)) wrongOutput++;
			if (list.length) {
				const first = list.reduce((a, b) => (a.at <= b.at ? a : b));
				const firstVia = first.via === 'callback' || deliveredTerminal.has(t.task_id) ? 'callback' : 'poll';
				via[firstVia]++;
				const fin = finishedAt.get(t.task_id);
				if (fin !== undefined) latency[firstVia].push(first.at - fin);
				lastFirstEmission = Math.max(lastFirstEmission, first.at);
			}
		}
		const cbs = state.callbacks;
		const cbStats = {
			attempted: cbs.length,
			dropped: cbs.filter((c) => c.dropped).length,
			duplicates: cbs.filter((c) => c.duplicate).length,
			reordered: cbs.filter((c) => c.reordered).length,
			failed: cbs.filter((c) => !c.dropped && !c.delivered).length,
			failedTerminal: cbs.filter((c) => !c.dropped && !c.delivered && ['succeed', 'failed'].includes(c.status)).length,
		};
		const api = { create: createPosts.length, getById: 0, getByExternal: 0, list: 0 };
		for (const r of state.requests) {
			if (r.method !== 'GET' || r.path.startsWith('/media/')) continue;
			if (r.query.pageNum !== undefined) api.list++;
			else if (r.query.external_task_id !== undefined) api.getByExternal++;
			else if (/^\/v1\/videos\/text2video\/.+/.test(r.path)) api.getById++;
		}
		const createExec = backend.createExecutions();
		const recoveryMs = recovered ? lastFirstEmission - lastFinish : NaN;
		const sinceRestart = recovered ? lastFirstEmission - phases.restartEnd : NaN;
		const lat = (arr) => (arr.length ? `${fmtMs(median(arr))} / ${fmtMs(percentile(arr, 99))} / ${fmtMs(Math.max(...arr))}` : '—');
		const total = tasks.length;
		const allGood = lost === 0 && duplicated === 0 && createdTwice === 0 && externalTwice === 0 && wrongOutput === 0 && total === N && promptsWithoutTask === 0;

		const lines = [
			...sectionHeader(`5${mode === 'queue' ? 'b' : ''}. Soak: ${N} tasks with faults and a restart${mode === 'queue' ? ' — queue mode' : ''}`, {
				runtime: backend.runtime,
				command,
				extra: [
					...(pack.note ? [pack.note] : []),
					...Object.entries(n8nEnv).map(([k, v]) => `Extra n8n env: ${k}=${v}`),
					`Create: ${batches} batches of ${BATCH} prompts POSTed to a Webhook-started workflow (Split Out → Kling AI Text to Video, Callback "Kling AI Trigger", On Error: Continue); one batch at a time`,
					`n8n: ${backend.describe}`,
					'Target workflow: Kling AI Trigger (Require URL Token) + Kling AI Poll Trigger (Poll Every 15 s; default task types) → NoOp each; the trigger hands finished tasks to the Poll Trigger, which emits each under n8n\'s de-duplication key',
					`Simulator: tasks finish ${quick ? 10 : 20} s after creation, 10 % fail; callbacks 30 % dropped, 20 % duplicated, 10 % reordered; 5 % of create requests answered 1303 or 5000; 1 create answered only after the client timed out (batch ${timeoutBatch + 1}); ${mode === 'queue' ? `kill -9 of webhook-1 and worker-1 after batch ${faultsAfter}; the main restarted` : 'n8n restarted'} after batch ${restartAfter}`,
					`Time bound: ${quick ? 12 : 15} min in total; after everything was emitted, one more poll cycle (75 s) is watched for late duplicates`,
				],
			}),
			...mdTable(
				['Accounting', 'Count'],
				[
					['Prompts sent (input items)', N],
					['Tasks created (simulator)', total],
					['Input items without a task', promptsWithoutTask],
					['Create batches with errors (items)', `${batchResults.filter((b) => b.errors).length} (${batchResults.reduce((n, b) => n + b.errors, 0)})`],
					['**Tasks emitted exactly once**', `**${once}**`],
					['**Lost (never emitted)**', `**${lost}**`],
					['**Duplicated (emitted more than once)**', `**${duplicated}**`],
					['**Tasks created twice** (same prompt → 2 tasks / same external_task_id accepted twice)', `**${createdTwice} / ${externalTwice}**`],
					['Emitted on the wrong output', wrongOutput],
					['Emitted after their final callback reached n8n / found by the poll only', `${via.callback} / ${via.poll}`],
					['Create faults injected: 1303 / 5000 / timed out after acceptance', `${injected[1303]} / ${injected[5000]} / ${held}`],
					['Re-sent creates refused as duplicate external_task_id', refusedDuplicates],
					['Callbacks: attempted / dropped / duplicated / reordered / not delivered (n8n down or no answer within 10 s; of them terminal)', `${cbStats.attempted} / ${cbStats.dropped} / ${cbStats.duplicates} / ${cbStats.reordered} / ${cbStats.failed} (${cbStats.failedTerminal})`],
					['Kling API calls: creates / GET by id / GET by external id / list (per task)', `${api.create} / ${api.getById} / ${api.getByExternal} / ${api.list} (${fmt((api.create + api.getById + api.getByExternal + api.list) / Math.max(1, total), 2)})`],
					['Executions: target workflow (callback / poll / failed) — create workflow', `${collector.executions.callback} / ${collector.executions.poll} / ${collector.executions.errors} — ${createExec.length} (${createExec.filter((e) => e.status === 'success').length} success)`],
					['n8n restart (SIGTERM → new process serving)', phases.restartEnd ? `${fmtMs(phases.restartEnd - phases.restartStart)}${restartOutcome && restartOutcome.harness !== 'ok' ? ` (${restartOutcome.harness})` : ''}` : '—'],
					['**Time to full recovery** (last task finished at Kling → every task emitted)', recovered ? `**${fmtMs(recoveryMs)}**` : '**not recovered before the deadline**'],
					['(info) n8n back up → every task emitted', recovered ? fmtMs(sinceRestart) : '—'],
					['Finish → execution start, p50 / p99 / max: final callback reached n8n', lat(latency.callback)],
					['Finish → execution start, p50 / p99 / max: found by the poll only', lat(latency.poll)],
					['Soak wall time', fmtMs(Date.now() - started)],
				],
			),
			'',
			`Verdict: every task emitted exactly once, none lost, none duplicated, none created twice: ${verdict(allGood)}.` +
				(duplicateDetail.length ? ` Examples of duplicates: ${duplicateDetail.join('; ')}.` : ''),
			'',
		];
		return { name: 'soak', lines };
	} finally {
		await backend?.stop();
		await sim.close();
	}
}
