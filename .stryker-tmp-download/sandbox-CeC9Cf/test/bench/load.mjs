/**
 * Measurement 4 — load cost.
 *  a) `require` of every node and the credential from dist/ (and `new` of each class, as n8n's loader does) in a fresh
 *     process of the Node that runs n8n, n8n-workflow preloaded (n8n has it loaded already); median of R processes.
 *  b) n8n start-up time with and without the package: two user folders prepared by the harness (identical except that
 *     one has the package installed), started alternately on the same machine in the same run; time from spawn to
 *     /healthz 200 and to "Editor is now accessible", polled every 25 ms.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
	REPO,
	findN8nPid,
	fmt,
	fmtMs,
	harness,
	mdTable,
	mean,
	median,
	packageOptions,
	privateBuild,
	processAgeMs,
	progress,
	sectionHeader,
	sleep,
	verdict,
} from './lib/common.mjs';

const PROBE = `
const t = () => Number(process.hrtime.bigint()) / 1e6;
const out = {};
let s = t();
require('n8n-workflow');
out['n8n-workflow (preloaded; n8n has it already)'] = t() - s;
let total = 0;
for (const rel of JSON.parse(process.argv[1])) {
	s = t();
	const mod = require(require('node:path').join(process.argv[2], rel));
	for (const value of Object.values(mod)) if (typeof value === 'function' && /^class\\s/.test(Function.prototype.toString.call(value))) new value();
	const ms = t() - s;
	out[rel] = ms;
	total += ms;
}
out.total = total;
process.stdout.write(JSON.stringify(out));
`;

function requireTimes(runtime, runs) {
	const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
	const files = [...pkg.n8n.credentials, ...pkg.n8n.nodes];
	// The private build (see privateBuild): a rebuild of the shared dist/ by someone else cannot change what is measured.
	const base = privateBuild().dir;
	const samples = [];
	for (let i = 0; i < runs; i++) {
		const r = spawnSync(runtime.nodeBin, ['-e', PROBE, JSON.stringify(files), base], { cwd: REPO, encoding: 'utf8' });
		if (r.status !== 0) throw new Error(`require probe failed: ${r.stderr}`);
		samples.push(JSON.parse(r.stdout));
	}
	const keys = Object.keys(samples[0]);
	return { files, rows: keys.map((k) => ({ key: k, median: median(samples.map((s) => s[k])), min: Math.min(...samples.map((s) => s[k])), max: Math.max(...samples.map((s) => s[k])) })) };
}

/**
 * Start a stopped instance again; time /healthz and the "Editor is now accessible" line, polled every 25 ms, as the
 * age of the `n8n start` process (from /proc, so the harness's own bookkeeping before the spawn does not count).
 */
async function timedStart(n8n) {
	const logStart = fs.existsSync(n8n.logFile) ? fs.statSync(n8n.logFile).size : 0;
	let healthz;
	let editor;
	let pid;
	let done = false;
	const age = () => {
		pid ??= findN8nPid(n8n);
		return pid ? processAgeMs(pid) : undefined;
	};
	const watcher = (async () => {
		while (!done && (healthz === undefined || editor === undefined)) {
			if (healthz === undefined) {
				try {
					const res = await fetch(`${n8n.url}/healthz`, { signal: AbortSignal.timeout(1000) });
					if (res.status === 200) healthz = age();
				} catch {
					// not listening yet
				}
			}
			if (editor === undefined) {
				const fd = fs.openSync(n8n.logFile, 'r');
				try {
					const size = fs.fstatSync(fd).size;
					const buf = Buffer.alloc(Math.max(0, size - logStart));
					fs.readSync(fd, buf, 0, buf.length, logStart);
					if (/Editor is now accessible via/.test(buf.toString('utf8'))) editor = age();
				} finally {
					fs.closeSync(fd);
				}
			}
			await sleep(25);
		}
	})();
	try {
		await n8n.restart();
		await Promise.race([watcher, sleep(5000)]);
	} finally {
		done = true;
	}
	return { healthz, editor };
}

export async function run({ quick, command, n8nEnv = {} }) {
	const requireRuns = quick ? 7 : 21;
	const startRuns = quick ? 3 : 5;
	const pack = packageOptions();
	const runtime = await harness.ensureRuntime();
	progress(`load: require of the package's files, ${requireRuns} fresh processes (Node ${runtime.nodeVersion})`);
	const req = requireTimes(runtime, requireRuns);

	const instances = {};
	try {
		progress('load: preparing two n8n user folders (with / without the package)');
		instances.with = await harness.startN8n({ ...pack.opts, env: n8nEnv, workflows: [] });
		const withTypes = await instances.with.registeredTypes();
		await instances.with.stop({ keep: true });
		instances.without = await harness.startN8n({ ...pack.opts, env: n8nEnv, workflows: [] });
		await instances.without.stop({ keep: true });
		const nodesDir = path.join(instances.without.userFolder, '.n8n', 'nodes');
		fs.rmSync(path.join(nodesDir, 'node_modules', harness.PACKAGE_NAME), { recursive: true, force: true });
		fs.writeFileSync(path.join(nodesDir, 'package.json'), JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2));

		const samples = { with: [], without: [] };
		let withoutTypes;
		for (let r = 0; r < startRuns; r++) {
			const order = r % 2 === 0 ? ['with', 'without'] : ['without', 'with'];
			for (const variant of order) {
				const inst = instances[variant];
				const s = await timedStart(inst);
				if (variant === 'without' && !withoutTypes) withoutTypes = await inst.registeredTypes();
				await inst.stop({ keep: true });
				samples[variant].push(s);
				progress(`load: start-up ${variant} package #${samples[variant].length}: /healthz ${fmtMs(s.healthz)}, editor ready ${fmtMs(s.editor)}`);
				await sleep(1000);
			}
		}
		const ours = (types) => types.nodes.filter((n) => String(n.name).startsWith(`${harness.PACKAGE_NAME}.`)).length;
		const stat = (variant, key) => {
			const v = samples[variant].map((s) => s[key]).filter((x) => x !== undefined);
			return { median: median(v), mean: mean(v), min: Math.min(...v), max: Math.max(...v), all: v };
		};
		const rows = [];
		const goals = [];
		for (const [key, label] of [
			['healthz', 'spawn → /healthz 200'],
			['editor', 'spawn → "Editor is now accessible"'],
		]) {
			const w = stat('with', key);
			const wo = stat('without', key);
			const slower = (w.median / wo.median - 1) * 100;
			const spread = (st) => ((st.max - st.min) / st.median) * 100;
			rows.push([
				label,
				fmtMs(wo.median),
				fmtMs(w.median),
				`${fmt(slower, 1)} %`,
				`${wo.all.map((x) => fmt(x, 0)).join(', ')} (spread ${fmt(spread(wo), 0)} %)`,
				`${w.all.map((x) => fmt(x, 0)).join(', ')} (spread ${fmt(spread(w), 0)} %)`,
			]);
			goals.push([`${label}: with the package < 5 % slower (medians)`, `${fmt(slower, 1)} % (run-to-run spread ${fmt(Math.max(spread(wo), spread(w)), 0)} %)`, verdict(slower < 5)]);
			if (key === 'editor') {
				const total = req.rows.find((r) => r.key === 'total').median;
				goals.push([
					'Direct cost: require + new of the whole package vs start-up without it',
					`${fmtMs(total)} = ${fmt((total / wo.median) * 100, 2)} % of ${fmtMs(wo.median)}`,
					verdict(total / wo.median < 0.05),
				]);
			}
		}
		const lines = [
			...sectionHeader('4. Load cost', {
				runtime,
				command,
				extra: [
					...(pack.note ? [pack.note] : []),
					...Object.entries(n8nEnv).map(([k, v]) => `Extra n8n env: ${k}=${v}`),
					`require: fresh \`node\` (${runtime.nodeVersion}, the runtime n8n runs on) per sample, n8n-workflow preloaded, each file required and its classes instantiated in package.json order; median of ${requireRuns} processes`,
					`Start-up: two user folders from the harness (SQLite, no workflows), identical except for the package in .n8n/nodes; started alternately (ABBA), ${startRuns} times each; times = age of the \`n8n start\` process (/proc) when /healthz first answered 200 and when the log line appeared, polled every 25 ms`,
				],
			}),
			'**require() + new, from the built package**',
			'',
			...mdTable(
				['Module', 'Median', 'Min', 'Max'],
				req.rows.map((r) => [r.key === 'total' ? '**total of the package**' : r.key, fmtMs(r.median), fmtMs(r.min), fmtMs(r.max)]),
			),
			'',
			'**n8n start-up with and without the package**',
			'',
			...mdTable(['Phase', 'Without (median)', 'With (median)', 'With vs without', 'Without: all runs (ms)', 'With: all runs (ms)'], rows),
			'',
			...mdTable(['Goal', 'Measured', 'Verdict'], goals),
			'',
			`Node types of this package registered: with ${ours(withTypes)}, without ${withoutTypes ? ours(withoutTypes) : '?'}. ` +
				'Start-up times vary from run to run (other processes on the machine; see the load average); when the spread is larger than the difference, the start-up comparison cannot resolve 5 %, and the require() figure is the more precise measure of what the package adds.',
			'',
		];
		return { name: 'load', lines };
	} finally {
		for (const inst of Object.values(instances)) await inst?.stop();
	}
}
