/**
 * Measurement 2 — Kling API calls per finished task, from the simulator's request log.
 * Compiles test/bench/callsDriver.ts (+ the nodes and test/helpers/n8n.ts it imports) with the repo's TypeScript into a
 * temp folder, runs it with plain node (real n8n-core contexts, real HTTP), and turns its counts into the table.
 * Baseline ("the usual template"): one GET per pending task every 10 s until it is done.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO, fmt, mdTable, progress, sectionHeader, verdict } from './lib/common.mjs';

/** The Poll Trigger's default interval (Poll Every: 1 minute). */
const POLL_INTERVAL_S = 60;
const TEMPLATE_INTERVAL_S = 10;
/**
 * Assumed time a task is pending, for the per-task figures (Kling video tasks take minutes). Other lifetimes scale
 * linearly: poll trigger (L/60 s × calls per poll + emitting poll) / N; template L/10 s + 1.
 */
const LIFETIMES_MIN = [5];

export function compileDriver(file = 'callsDriver.ts') {
	const out = fs.mkdtempSync(path.join(os.tmpdir(), 'kling-bench-calls-'));
	const tsc = path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
	const args = [
		tsc,
		'--outDir', out,
		'--rootDir', REPO,
		'--module', 'commonjs',
		'--moduleResolution', 'node',
		'--target', 'es2022',
		'--esModuleInterop',
		'--skipLibCheck',
		'--resolveJsonModule',
		'--strict',
		'--types', 'node',
		path.join(REPO, 'test', 'bench', file),
	];
	progress(`compiling test/bench/${file} (tsc) ...`);
	const r = spawnSync(process.execPath, args, { cwd: REPO, encoding: 'utf8' });
	if (r.status !== 0) throw new Error(`tsc failed:\n${r.stdout}${r.stderr}`);
	// The compiled driver requires ../simulator (plain JS, not compiled): link it next to the compiled test folder.
	fs.symlinkSync(path.join(REPO, 'test', 'simulator'), path.join(out, 'test', 'simulator'));
	return { dir: out, driver: path.join(out, 'test', 'bench', file.replace(/\.ts$/, '.js')) };
}

/** Compile `file`, run it with plain node and return the JSON object on the last line of its stdout. */
export function runDriver(file, args, timeoutMs) {
	const { dir, driver } = compileDriver(file);
	try {
		const r = spawnSync(process.execPath, [driver, ...args], {
			cwd: REPO,
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'inherit'],
			timeout: timeoutMs,
			// Resolve n8n-core, n8n-workflow, zod from the repo's node_modules.
			env: { ...process.env, NODE_PATH: path.join(REPO, 'node_modules') },
		});
		if (r.status !== 0) throw new Error(`${file} failed (exit ${r.status ?? r.signal})`);
		return JSON.parse(r.stdout.trim().split('\n').pop());
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

export async function run({ quick, command }) {
	const nWebhook = quick ? 20 : 50;
	const pendingPolls = 3;
	const sizes = [10, 100, 1000];
	progress(`calls: running the driver (webhook path ${nWebhook} tasks; poll fallback N = ${sizes.join(', ')})`);
	const data = runDriver('callsDriver.ts', [String(nWebhook), String(pendingPolls), sizes.join(',')], 15 * 60_000);

	const webhookRows = data.webhook.map((w) => {
		const apiCalls = w.requests.create + w.requests.getById + w.requests.getByExternalId + w.requests.list;
		return {
			w,
			apiCalls,
			perTask: apiCalls / w.tasks,
			row: [
				`Callback → Kling AI Trigger, Confirm With Kling API ${w.confirmWithApi ? 'on' : 'off'}`,
				w.tasks,
				w.requests.create,
				w.requests.getById,
				w.requests.getByExternalId,
				w.requests.list,
				fmt(apiCalls / w.tasks, 2),
				`${w.callbacks.delivered} delivered (${w.callbacks.duplicates} duplicates, ${w.callbacks.reordered} reordered), ${w.callbacks.non2xx} non-2xx`,
				`${w.emittedOnce}/${w.tasks}`,
			],
		};
	});

	const pollRows = [];
	const perTaskRows = [];
	for (const p of data.poll) {
		const pendingPerPoll = Math.max(...p.pendingPollCalls);
		const templatePerPoll = p.n * (POLL_INTERVAL_S / TEMPLATE_INTERVAL_S);
		const types = Array.isArray(p.taskTypes) ? 'Text to Video only' : 'default (all 9 types)';
		pollRows.push([
			p.n,
			types,
			p.pendingPollCalls.join(' / '),
			p.finishingPollCalls,
			p.afterPollCalls,
			`${p.emittedOnce}/${p.n}${p.emittedAgainLater ? `, ${p.emittedAgainLater} again later` : ''}`,
			templatePerPoll,
			`${fmt(templatePerPoll / pendingPerPoll, 1)}×`,
		]);
		for (const minutes of LIFETIMES_MIN) {
			const polls = (minutes * 60) / POLL_INTERVAL_S;
			const pollTotal = polls * pendingPerPoll + p.finishingPollCalls;
			const templateTotal = p.n * ((minutes * 60) / TEMPLATE_INTERVAL_S + 1);
			perTaskRows.push([p.n, types, `${minutes} min`, fmt(pollTotal / p.n, 3), fmt(templateTotal / p.n, 0), `${fmt(templateTotal / pollTotal, 0)}×`]);
		}
	}
	const allEmitted = data.poll.every((p) => p.emittedOnce === p.n && p.emittedAgainLater === 0);
	const costRows = [];
	const flat = {};
	for (const route of ['startHere', 'handOver']) {
		const rows = data.cost.filter((c) => c.route === route);
		const base = rows.find((c) => c.seen === 100);
		for (const c of rows) {
			costRows.push([
				route === 'handOver' ? 'handed to the Poll Trigger (keyed emit)' : 'started by the trigger (ledger mirror in static data)',
				c.seen.toLocaleString('en-US'),
				fmt(c.usPerCallback, 0),
				fmt(c.wallUsPerCallback, 0),
				`${fmt(c.usPerCallback / base.usPerCallback, 2)}×`,
				c.staticDataBytes.toLocaleString('en-US'),
				route === 'handOver' ? `${c.emitted}/${c.callbacks} emitted` : `${c.started}/${c.callbacks} started`,
			]);
		}
		flat[route] = rows.find((c) => c.seen === 10_000).usPerCallback / base.usPerCallback;
	}
	const lines = [
		...sectionHeader('2. Kling API calls per finished task', {
			runtime: undefined,
			command,
			extra: [
				'Where: the real nodes in real n8n-core 2.40 contexts (ExecuteContext, WebhookContext, TriggerContext from test/helpers/n8n.ts) against the simulator over real HTTP; counts from the simulator request log',
				`Webhook path: ${nWebhook} tasks created by the Kling AI node with Callback "Kling AI Trigger"; the simulator sends progress and terminal callbacks, 20 % duplicated, 10 % reordered`,
				`Poll fallback: N tasks created and left pending; ${pendingPolls} polls while pending, then all finish, one poll emits them, one more poll; static data carried between polls as n8n persists it`,
				`Baseline ("usual template"): one GET per pending task every ${TEMPLATE_INTERVAL_S} s until done. Poll trigger interval: ${POLL_INTERVAL_S} s (its default Poll Every)`,
			],
		}),
		'**Webhook path (API calls per task)**',
		'',
		...mdTable(
			['Setup', 'Tasks', 'Create POSTs', 'GET by id', 'GET by external id', 'List GETs', 'API calls per task', 'Callbacks', 'Emitted once'],
			webhookRows.map((r) => r.row),
		),
		'',
		'**Poll fallback: list calls per poll vs one GET per pending task every 10 s**',
		'',
		...mdTable(
			['N pending', 'Task Types', `Calls per poll while pending (${pendingPolls} polls)`, 'Calls in the poll that emits all N', 'Calls in the next poll', 'Emitted once', `Template GETs per ${POLL_INTERVAL_S} s`, 'Template / poll trigger'],
			pollRows,
		),
		'',
		`**Per finished task, for tasks pending ${LIFETIMES_MIN.join(', ')} min** (poll trigger: one poll per ${POLL_INTERVAL_S} s while pending + the emitting poll, shared by all N; template: one GET per ${TEMPLATE_INTERVAL_S} s + the final GET; other durations scale linearly)`,
		'',
		...mdTable(['N pending', 'Task Types', 'Pending for', 'Poll trigger calls per task', 'Template calls per task', 'Ratio'], perTaskRows),
		'',
		'**Per-callback cost vs tasks seen before** (CPU time of the Kling AI Trigger\'s webhook() in a real WebhookContext per accepted terminal callback, static data through a JSON round trip per callback as n8n loads and saves it; 1,000 callbacks per row after 300 warm-up; same process, same run)',
		'',
		...mdTable(['Route', 'Tasks seen before', 'CPU µs per callback', 'Wall µs per callback', 'vs 100 seen', 'Static data bytes', 'Result'], costRows),
		'',
		`Flat cost (10,000 seen ≤ 1.5× the cost at 100 seen): started by the trigger ${fmt(flat.startHere, 2)}× — ${verdict(flat.startHere <= 1.5)}; handed to the Poll Trigger ${fmt(flat.handOver, 2)}× — ${verdict(flat.handOver <= 1.5)}.`,
		'',
		`Checks: webhook path tasks emitted exactly once: ${webhookRows.map((r) => `${r.w.emittedOnce}/${r.w.tasks}`).join(', ')} — ${verdict(webhookRows.every((r) => r.w.emittedOnce === r.w.tasks))}; poll fallback emitted every task once and nothing again later: ${verdict(allEmitted)}.`,
		'',
	];
	return { name: 'calls', lines };
}
