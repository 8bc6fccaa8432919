/**
 * Measurement 1 — Kling AI Trigger vs n8n's built-in Webhook node, one n8n instance, one run.
 *
 * Two published workflows: (a) Kling AI Trigger (Require URL Token on, credential with a webhook signing secret, so
 * every accepted callback is token- AND signature-checked) → NoOp, (b) n8n-nodes-base.webhook (POST, onReceived) →
 * NoOp. Phase 1 sends N terminal callbacks (unique task ids, bare legacy body, `succeed`) to each, in alternating
 * blocks (ABBA order) at 20 in flight; after every block the bench waits until n8n has finished the executions it
 * started, so one target's backlog never slows the other's block. Phase 2 sends N callbacks that must start no
 * execution (progress for new ids, duplicates of terminal ids, bad token, bad signature) to the trigger.
 * Afterwards the execution table is checked: exactly one execution per terminal task id, none for phase 2.
 */
import { randomInt } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
	WORKFLOW_SETTINGS,
	credentialExport,
	distModule,
	fmt,
	fmtMs,
	harness,
	packageOptions,
	mdTable,
	median,
	newWebhookSecret,
	nodeOutputs,
	percentile,
	pollUntil,
	progress,
	runConcurrent,
	sectionHeader,
	sqlite,
	startSimulator,
	uuid,
	verdict,
	webhookHeaders,
} from './lib/common.mjs';

const CRED = { id: 'klingBenchCredTr', name: 'Kling simulator (bench)' };
const WF = { trigger: 'klingBenchTrig001', builtin: 'klingBenchHook001' };
const TRIGGER_WEBHOOK_ID = uuid('bench-trigger-webhook');
const BUILTIN_PATH = 'bench-builtin-webhook';
const CONCURRENCY = 20;

function workflows() {
	const done = (id) => ({ id: uuid(`${id}-noop`), name: 'Done', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [260, 0], parameters: {} });
	const to = (node) => ({ node, type: 'main', index: 0 });
	return [
		{
			id: WF.trigger,
			name: 'Bench: Kling AI Trigger → NoOp',
			active: false,
			settings: WORKFLOW_SETTINGS,
			nodes: [
				{
					id: uuid('bench-trigger-node'),
					name: 'Kling AI Trigger',
					type: harness.NODE_TYPES.trigger,
					typeVersion: 1,
					position: [0, 0],
					webhookId: TRIGGER_WEBHOOK_ID,
					parameters: { requireUrlToken: true, confirmWithApi: false, emitProgress: false, downloadResults: false, filters: {} },
					credentials: { klingAiApi: { id: CRED.id, name: CRED.name } },
				},
				done(WF.trigger),
			],
			connections: { 'Kling AI Trigger': { main: [[to('Done')], [to('Done')]] } },
			pinData: {},
		},
		{
			id: WF.builtin,
			name: 'Bench: built-in Webhook → NoOp',
			active: false,
			settings: WORKFLOW_SETTINGS,
			nodes: [
				{
					id: uuid('bench-builtin-node'),
					name: 'Webhook',
					type: 'n8n-nodes-base.webhook',
					typeVersion: 2,
					position: [0, 0],
					webhookId: uuid('bench-builtin-webhook'),
					parameters: { httpMethod: 'POST', path: BUILTIN_PATH, responseMode: 'onReceived', options: {} },
				},
				done(WF.builtin),
			],
			connections: { Webhook: { main: [[to('Done')]] } },
			pinData: {},
		},
	];
}

/**
 * The expression engine this n8n runs with (defaults read from the installed @n8n/config, overridden by extra env).
 * On 2.40 the default "vm" engine evaluates in V8 isolates from a pool; see the note under the goals.
 */
function expressionEngine(runtime, n8nEnv) {
	const file = path.join(runtime.n8nDir, 'node_modules', '@n8n', 'config', 'dist', 'configs', 'expression-engine.config.js');
	let engine = 'unknown';
	let pool = 'unknown';
	try {
		const text = fs.readFileSync(file, 'utf8');
		engine = /this\.engine = '(\w+)'/.exec(text)?.[1] ?? engine;
		pool = /this\.poolSize = (\d+)/.exec(text)?.[1] ?? pool;
	} catch {
		// older n8n: no expression-engine config
	}
	const e = n8nEnv.N8N_EXPRESSION_ENGINE ?? engine;
	const p = n8nEnv.N8N_EXPRESSION_ENGINE_POOL_SIZE ?? pool;
	return `N8N_EXPRESSION_ENGINE=${e}${e === 'legacy' ? '' : `, pool size ${p}`} (installed default: ${engine}, pool size ${pool}, from @n8n/config expression-engine.config.js)`;
}

function executionCounts(n8n) {
	const rows = sqlite(n8n, 'select workflowId, status, count(*) as c from execution_entity group by workflowId, status');
	const out = {};
	for (const r of rows) {
		out[r.workflowId] ??= { total: 0, unfinished: 0, byStatus: {} };
		out[r.workflowId].total += r.c;
		out[r.workflowId].byStatus[r.status] = r.c;
		if (['new', 'running', 'waiting'].includes(r.status)) out[r.workflowId].unfinished += r.c;
	}
	return out;
}

function summarise(results, wallMs) {
	const ms = results.map((r) => r.ms);
	const byStatus = {};
	for (const r of results) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
	return { count: results.length, wallMs, rps: (results.length / wallMs) * 1000, p50: median(ms), p99: percentile(ms, 99), max: Math.max(...ms), byStatus };
}

export async function run({ quick, command, n8nEnv = {} }) {
	const N = quick ? 200 : 2000;
	const BLOCK = quick ? 50 : 100;
	const secret = newWebhookSecret();
	const sim = await startSimulator({ port: 0 });
	const runTag = String(randomInt(100_000, 999_999));
	let n8n;
	try {
		progress(`trigger: starting n8n with the two workflows (N = ${N} per target, blocks of ${BLOCK}, ${CONCURRENCY} in flight)`);
		const pack = packageOptions();
		n8n = await harness.startN8n({
			...pack.opts,
			env: n8nEnv,
			credentials: [credentialExport({ ...CRED, simUrl: sim.url, webhookSecret: secret })],
			workflows: workflows(),
		});
		const callback = distModule('nodes/KlingAi/shared/callback.js');
		if (!callback?.urlTokenFromCredentials) throw new Error('dist/nodes/KlingAi/shared/callback.js (urlTokenFromCredentials) is missing: run npm run build');
		// The token exactly as the action node appends it (derived from the same credential data).
		const token = callback.urlTokenFromCredentials({ authType: 'accessKey', accessKey: 'ak_test', secretKey: 'sk_test', webhookSecret: secret });
		const triggerBase = `${n8n.url}/webhook/${TRIGGER_WEBHOOK_ID}/webhook`;
		const triggerUrl = (tok = token) => `${triggerBase}?kling_type=textToVideo&kling_token=${encodeURIComponent(tok)}`;
		const builtinUrl = `${n8n.url}/webhook/${BUILTIN_PATH}`;

		const now = Date.now();
		const taskId = (prefix, i) => `9${runTag}${prefix}${String(i).padStart(6, '0')}`;
		const body = (id, status) =>
			JSON.stringify({
				task_id: id,
				task_status: status,
				task_status_msg: '',
				task_info: { external_task_id: `bench-${id}` },
				created_at: now - 120_000,
				updated_at: status === 'succeed' ? now : now - 60_000,
				...(status === 'succeed'
					? { task_result: { videos: [{ id: `v-${id}`, url: `${sim.url}/media/${id}/0.mp4`, duration: '5' }] }, final_unit_deduction: '1' }
					: {}),
			});
		let msgSeq = 0;
		const signedInit = (payload, { forgeSignature = false } = {}) => {
			const headers = webhookHeaders(secret, `msg_bench_${runTag}_${++msgSeq}`, Math.floor(Date.now() / 1000), forgeSignature ? `${payload} ` : payload);
			return { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: payload };
		};

		// ---------------- phase 1: terminal callbacks, alternating blocks --------------------------------------------------
		const perTarget = { trigger: { results: [], httpMs: 0, drainMs: 0, sent: 0 }, builtin: { results: [], httpMs: 0, drainMs: 0, sent: 0 } };
		const pattern = ['trigger', 'builtin', 'builtin', 'trigger'];
		const blocks = (2 * N) / BLOCK;
		let drainFailures = 0;
		for (let b = 0; b < blocks; b++) {
			const target = pattern[b % 4];
			const t = perTarget[target];
			const offset = t.sent;
			const { results, wallMs } = await runConcurrent(BLOCK, CONCURRENCY, (k) => {
				const id = taskId('1', offset + k);
				return target === 'trigger' ? { url: triggerUrl(), init: signedInit(body(id, 'succeed')) } : { url: builtinUrl, init: signedInit(body(id, 'succeed')) };
			});
			t.sent += BLOCK;
			t.results.push(...results);
			t.httpMs += wallMs;
			const drainStart = performance.now();
			const drained = await pollUntil(
				() => {
					const c = executionCounts(n8n);
					const done = (wf) => (c[wf]?.total ?? 0) >= perTarget[wf === WF.trigger ? 'trigger' : 'builtin'].sent && (c[wf]?.unfinished ?? 0) === 0;
					return done(WF.trigger) && done(WF.builtin);
				},
				{ timeoutMs: 180_000, intervalMs: 200 },
			);
			if (!drained) drainFailures++;
			t.drainMs += performance.now() - drainStart;
			const s = summarise(results, wallMs);
			progress(`trigger: block ${b + 1}/${blocks} ${target}: ${fmt(s.rps)} req/s, p99 ${fmtMs(s.p99)}, drain ${fmtMs(performance.now() - drainStart)}${drained ? '' : ' (DRAIN TIMEOUT)'}`);
		}
		const trig = summarise(perTarget.trigger.results, perTarget.trigger.httpMs);
		const built = summarise(perTarget.builtin.results, perTarget.builtin.httpMs);
		const e2e = (t) => (t.sent / (t.httpMs + t.drainMs)) * 1000;

		// ---------------- phase 2: callbacks that start no execution ------------------------------------------------------
		const kinds = (i) => {
			const r = i % 20;
			if (r < 8) return 'progress (new id)';
			if (r < 14) return 'duplicate of a terminal id';
			if (r < 17) return 'bad URL token';
			return 'bad signature';
		};
		progress(`trigger: phase 2, ${N} callbacks that must start no execution`);
		const before = executionCounts(n8n)[WF.trigger]?.total ?? 0;
		const phase2 = await runConcurrent(N, CONCURRENCY, (i) => {
			const kind = kinds(i);
			if (kind === 'progress (new id)') return { kind, url: triggerUrl(), init: signedInit(body(taskId('2', i), 'processing')) };
			if (kind === 'duplicate of a terminal id') return { kind, url: triggerUrl(), init: signedInit(body(taskId('1', i % N), 'succeed')) };
			// New ids: a broken check would show up as an execution (the ledger could not hide it).
			if (kind === 'bad URL token') return { kind, url: triggerUrl(`${token.slice(0, -4)}AAAA`), init: signedInit(body(taskId('4', i), 'succeed')) };
			return { kind, url: triggerUrl(), init: signedInit(body(taskId('3', i), 'succeed'), { forgeSignature: true }) };
		});
		const nonExec = summarise(phase2.results, phase2.wallMs);
		const perKind = {};
		for (const r of phase2.results) (perKind[r.kind] ??= []).push(r);
		// ---------------- calibration: n8n's own floor for a webhook request -------------------------------------------
		// A POST to a webhook path that does not exist: n8n looks it up and answers 404 without running any node. No
		// node can answer faster than this on the same instance, so it bounds what the goals above can reach here.
		progress(`trigger: calibration, ${N} requests to an unknown webhook path (n8n answers 404 without running a node)`);
		const floorRun = await runConcurrent(N, CONCURRENCY, () => ({ url: `${n8n.url}/webhook/bench-no-such-path`, init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' } }));
		const floor = summarise(floorRun.results, floorRun.wallMs);

		// Give n8n time to start anything it (wrongly) would start.
		await pollUntil(() => (executionCounts(n8n)[WF.trigger]?.unfinished ?? 0) === 0, { timeoutMs: 30_000, intervalMs: 500 });
		await new Promise((r) => setTimeout(r, 3000));

		// ---------------- verification ------------------------------------------------------------------------------------
		progress('trigger: verifying executions (one per terminal task id, none for phase 2)');
		const counts = executionCounts(n8n);
		const rows = sqlite(
			n8n,
			`select e.id as id, e.status as status, d.data as data from execution_entity e join execution_data d on d.executionId = e.id where e.workflowId = '${WF.trigger}'`,
			'data',
		);
		const perTask = new Map();
		let wrongOutput = 0;
		for (const row of rows) {
			for (const run of nodeOutputs(row.data, 'Kling AI Trigger')) {
				run.forEach((items, output) => {
					for (const json of items) {
						perTask.set(json.taskId, (perTask.get(json.taskId) ?? 0) + 1);
						if (output !== 0) wrongOutput++;
					}
				});
			}
		}
		const expected = Array.from({ length: N }, (_, i) => taskId('1', i));
		const once = expected.filter((id) => perTask.get(id) === 1).length;
		const missing = expected.filter((id) => !perTask.has(id)).length;
		const duplicated = expected.filter((id) => (perTask.get(id) ?? 0) > 1).length;
		const expectedSet = new Set(expected);
		const unexpected = [...perTask.keys()].filter((id) => !expectedSet.has(id)).length;
		const trigCount = counts[WF.trigger] ?? { total: 0, byStatus: {} };
		const builtCount = counts[WF.builtin] ?? { total: 0, byStatus: {} };

		// ---------------- report ------------------------------------------------------------------------------------------
		const ratio = trig.rps / built.rps;
		const e2eRatio = e2e(perTarget.trigger) / e2e(perTarget.builtin);
		const nonExecRatio = nonExec.rps / built.rps;
		const status = (s) => Object.entries(s.byStatus).map(([k, v]) => `${k}×${v}`).join(', ');
		const lines = [
			...sectionHeader('1. Kling AI Trigger vs built-in Webhook node (same n8n, same run)', {
				runtime: n8n.runtime,
				command,
				extra: [
					`Setup: SQLite, regular mode, executions saved ("all"); Kling AI Trigger with Require URL Token ON and a webhook signing secret (each accepted callback is token- and signature-checked); built-in Webhook v2 POST, Respond "Immediately"; both → NoOp`,
					...(pack.note ? [pack.note] : []),
					...Object.entries(n8nEnv).map(([k, v]) => `Extra n8n env: ${k}=${v}`),
					`n8n expression engine: ${expressionEngine(n8n.runtime, n8nEnv)}`,
					`Load: ${N} terminal callbacks per target (unique task ids, bare legacy body, status succeed), ${CONCURRENCY} in flight, alternating blocks of ${BLOCK} (ABBA); after each block the bench waits until n8n finished the executions it started (drain), so backlogs do not leak into the other target's block`,
				],
			}),
			'**Terminal callbacks (each starts one execution)**',
			'',
			...mdTable(
				['Target', 'Requests', 'HTTP status', 'Throughput (req/s, HTTP)', 'p50', 'p99', 'max', 'Executions/s incl. drain'],
				[
					['Kling AI Trigger', trig.count, status(trig), fmt(trig.rps), fmtMs(trig.p50), fmtMs(trig.p99), fmtMs(trig.max), fmt(e2e(perTarget.trigger))],
					['Built-in Webhook', built.count, status(built), fmt(built.rps), fmtMs(built.p50), fmtMs(built.p99), fmtMs(built.max), fmt(e2e(perTarget.builtin))],
				],
			),
			'',
			`**Callbacks that start no execution** (${N} to the Kling AI Trigger, ${CONCURRENCY} in flight)`,
			'',
			...mdTable(
				['Kind', 'Requests', 'HTTP status', 'p50', 'p99'],
				[
					...Object.entries(perKind).map(([kind, rs]) => {
						const s = summarise(rs, 1);
						return [kind, s.count, status(s), fmtMs(s.p50), fmtMs(s.p99)];
					}),
					['all', nonExec.count, status(nonExec), fmtMs(nonExec.p50), fmtMs(nonExec.p99)],
				],
			),
			'',
			`Throughput of non-executing callbacks: ${fmt(nonExec.rps)} req/s.`,
			'',
			`**Calibration — n8n's floor on this instance**: ${floor.count} POSTs to an unknown webhook path (404, no node runs), ${CONCURRENCY} in flight: ${fmt(floor.rps)} req/s, p50 ${fmtMs(floor.p50)}, p99 ${fmtMs(floor.p99)} (${status(floor)}). No node's webhook can be answered faster than n8n answers this.`,
			'',
			'**Goals**',
			'',
			...mdTable(
				['Goal', 'Measured', 'Verdict'],
				[
					['Terminal throughput trigger / built-in ≥ 0.9 (HTTP req/s)', fmt(ratio, 2), verdict(ratio >= 0.9)],
					['(info) same ratio on executions/s incl. drain', fmt(e2eRatio, 2), '—'],
					['Non-executing callbacks p99 < 100 ms', fmtMs(nonExec.p99), verdict(nonExec.p99 < 100)],
					['Non-executing throughput / built-in terminal throughput ≥ 10×', `${fmt(nonExecRatio, 1)}×`, verdict(nonExecRatio >= 10)],
					[
						`Exactly one execution per terminal task id (${N} ids)`,
						`${once} once, ${missing} missing, ${duplicated} duplicated, ${unexpected} unexpected ids, ${wrongOutput} on a wrong output`,
						verdict(once === N && missing === 0 && duplicated === 0 && unexpected === 0 && wrongOutput === 0),
					],
					[
						'No execution for the non-executing callbacks',
						`trigger executions before phase 2: ${before}, after: ${trigCount.total}`,
						verdict(trigCount.total === before && before === N),
					],
				],
			),
			'',
			...(n8nEnv.N8N_EXPRESSION_ENGINE === 'legacy'
				? []
				: [
						'Note (n8n 2.40.7 internals, found with a CPU profile of this setup): with the "vm" expression engine, n8n acquires an expression isolate for every webhook request whose start node is not its own Webhook node (`n8n/dist/webhooks/live-webhooks.js`, `webhookPhaseNeedsIsolate`; the built-in Webhook node with static parameters skips it), and every `getCredentials()` inside `webhook()` acquires one more for a throw-away workflow (`n8n/dist/credentials-helper.js`, `applyDefaultsAndOverwrites`). Isolates are created and disposed per acquisition. A community trigger therefore pays at least one isolate per callback, even one it rejects. `npm run bench -- trigger --n8n-env=N8N_EXPRESSION_ENGINE=legacy` measures the same setup without that cost.',
						'',
					]),
			`Execution table: Kling AI Trigger workflow ${trigCount.total} (${JSON.stringify(trigCount.byStatus)}), built-in Webhook workflow ${builtCount.total} (${JSON.stringify(builtCount.byStatus)}).` +
				(drainFailures ? ` ${drainFailures} block(s) did not drain within 180 s.` : ''),
			'',
		];
		return { name: 'trigger', lines };
	} finally {
		await n8n?.stop();
		await sim.close();
	}
}
