/**
 * Shared plumbing for `npm run bench`: progress lines, statistics, a bounded concurrent request loop, machine facts,
 * Markdown helpers, process discovery for RSS sampling, and access to the CommonJS harness/simulator.
 * Plain Node ESM; test-only (never shipped).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const require = createRequire(import.meta.url);
export const BENCH_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const REPO = path.resolve(BENCH_DIR, '..', '..');
export const harness = require(path.join(REPO, 'test', 'e2e', 'harness', 'n8n.js'));
export const { startSimulator, webhookHeaders } = require(path.join(REPO, 'test', 'simulator'));
export const SQLITE_QUERY = path.join(REPO, 'test', 'e2e', 'harness', 'sqlite-query.js');

const T0 = Date.now();
/** Progress line on stderr; results go to stdout. */
export function progress(msg) {
	process.stderr.write(`[bench +${((Date.now() - T0) / 1000).toFixed(1)}s] ${msg}\n`);
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Poll fn until truthy; returns the value, or undefined after timeoutMs (never throws on timeout). */
export async function pollUntil(fn, { timeoutMs, intervalMs = 250 }) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const v = await fn();
		if (v) return v;
		if (Date.now() > deadline) return undefined;
		await sleep(intervalMs);
	}
}

// ------------------------------------------------------------------ statistics ----------------------------------------

/** Nearest-rank percentile of an array of numbers (p in 0..100). */
export function percentile(values, p) {
	if (!values.length) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
	return sorted[rank - 1];
}
export const median = (values) => percentile(values, 50);
export const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;

export const fmt = (n, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : String(n));
export const fmtMs = (n) => (Number.isFinite(n) ? `${n.toFixed(n < 10 ? 2 : n < 100 ? 1 : 0)} ms` : String(n));
export const fmtMB = (bytes) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
export const verdict = (met) => (met ? 'MET' : 'NOT MET');

// ------------------------------------------------------------------ load generator ------------------------------------

/**
 * Run `count` requests with at most `concurrency` in flight. `makeRequest(i)` returns {url, init, kind?}.
 * Returns per-request results {i, kind, status, ms, error?} and the wall time. Bounded: every request has a timeout.
 */
export async function runConcurrent(count, concurrency, makeRequest, { timeoutMs = 60_000 } = {}) {
	const results = new Array(count);
	let next = 0;
	const started = performance.now();
	async function worker() {
		for (;;) {
			const i = next++;
			if (i >= count) return;
			const { url, init, kind } = makeRequest(i);
			const t = performance.now();
			try {
				const res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
				await res.arrayBuffer();
				results[i] = { i, kind, status: res.status, ms: performance.now() - t };
			} catch (error) {
				results[i] = { i, kind, status: 0, ms: performance.now() - t, error: String(error?.message ?? error) };
			}
		}
	}
	await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
	return { results, wallMs: performance.now() - started };
}

// ------------------------------------------------------------------ machine and versions ------------------------------

export function machineInfo(runtime) {
	const cpus = os.cpus();
	let n8nVersion = runtime?.n8nVersion ?? 'n/a';
	return {
		nproc: os.availableParallelism ? os.availableParallelism() : cpus.length,
		cpuModel: cpus[0]?.model?.trim() ?? 'unknown',
		memoryGiB: (os.totalmem() / 1024 ** 3).toFixed(1),
		benchNode: process.version,
		n8nNode: runtime?.nodeVersion ?? 'n/a',
		n8nVersion,
		date: new Date().toISOString(),
		os: `${os.type()} ${os.release()}`,
	};
}

export function loadAverage() {
	return os.loadavg().map((l) => l.toFixed(2)).join(' / ');
}

/** The Markdown header lines every section carries. */
export function sectionHeader(title, { runtime, command, extra = [] }) {
	const m = machineInfo(runtime);
	return [
		`## ${title}`,
		'',
		`- Command: \`${command}\``,
		`- Date: ${m.date}`,
		`- Machine: ${m.nproc} CPUs (${m.cpuModel}), ${m.memoryGiB} GiB RAM, ${m.os}; load average at the end (1/5/15 min): ${loadAverage()}`,
		`- Versions: n8n ${m.n8nVersion} on Node ${m.n8nNode}; bench driver on Node ${m.benchNode}; package ${readPackageVersion()}`,
		...extra.map((l) => `- ${l}`),
		'',
	];
}

export function readPackageVersion() {
	const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
	const rev = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO, encoding: 'utf8' }).stdout?.trim();
	const dirty = spawnSync('git', ['status', '--porcelain', '--', 'nodes', 'credentials'], { cwd: REPO, encoding: 'utf8' }).stdout?.trim();
	return `${pkg.name}@${pkg.version} (git ${rev || '?'}${dirty ? ', with uncommitted changes in nodes/ or credentials/' : ''})`;
}

export function mdTable(headers, rows) {
	const line = (cells) => `| ${cells.map((c) => String(c)).join(' | ')} |`;
	return [line(headers), line(headers.map(() => '---')), ...rows.map(line)];
}

// ------------------------------------------------------------------ n8n process inspection ----------------------------

/**
 * The pid of the `n8n start` process of a harness instance: the process running the runtime's n8n bin with `start`
 * whose working directory is the instance's user folder (the harness spawns it there).
 */
export function findN8nPid(n8n) {
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const cmd = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
			if (!cmd.includes(n8n.runtime.n8nBin) || !cmd.includes('start')) continue;
			if (fs.readlinkSync(`/proc/${entry}/cwd`) === n8n.userFolder) return Number(entry);
		} catch {
			// process vanished or not ours
		}
	}
	return undefined;
}

/** VmRSS of a pid in bytes (undefined if gone). */
export function rssBytes(pid) {
	try {
		const m = /VmRSS:\s+(\d+)\s+kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
		return m ? Number(m[1]) * 1024 : undefined;
	} catch {
		return undefined;
	}
}

/** Direct children pids (e.g. n8n's JS task runner). */
export function childPids(pid) {
	try {
		return fs
			.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
			.trim()
			.split(/\s+/)
			.filter(Boolean)
			.map(Number);
	} catch {
		return [];
	}
}

/** Run SQL against an instance's sqlite DB with n8n's own sqlite3 (read-only); flattedColumn is decoded. */
export function sqlite(n8n, sql, flattedColumn) {
	const args = [SQLITE_QUERY, n8n.runtime.n8nDir, path.join(n8n.userFolder, '.n8n', 'database.sqlite'), sql];
	if (flattedColumn) args.push(flattedColumn);
	const r = spawnSync(n8n.runtime.nodeBin, args, { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
	if (r.status !== 0) throw new Error(`sqlite query failed: ${r.stderr}`);
	return JSON.parse(r.stdout);
}

/** Items a node emitted in one execution's data, per output: [[json...], [json...]]. */
export function nodeOutputs(runData, nodeName) {
	const runs = runData?.resultData?.runData?.[nodeName] ?? [];
	return runs.map((run) => (run?.data?.main ?? []).map((items) => (items ?? []).map((it) => it.json)));
}

/** A deterministic UUID (v4 layout) derived from a seed, for fixed webhook ids in fixtures. */
export function uuid(seed) {
	const h = createHash('sha256').update(seed).digest('hex');
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function newWebhookSecret() {
	return `whsec_${Buffer.from(Array.from({ length: 24 }, (_, i) => (i * 37 + 11) % 256)).toString('base64')}`;
}

export function credentialExport({ id, name, simUrl, accessKey = 'ak_test', secretKey = 'sk_test', webhookSecret = '' }) {
	return {
		id,
		name,
		type: 'klingAiApi',
		data: { authType: 'accessKey', accessKey, secretKey, region: 'custom', customBaseUrl: simUrl, webhookSecret },
	};
}

export const WORKFLOW_SETTINGS = { executionOrder: 'v1', saveDataSuccessExecution: 'all', saveDataErrorExecution: 'all', saveManualExecutions: true };

let privateBuildResult;
/**
 * Build the package from the working tree into a private folder (test/.tmp/bench-build-<pid>: inside the repo so
 * n8n-workflow and zod resolve from its node_modules) and `npm pack` it there. The bench never touches the shared
 * dist/ (other sessions rebuild it at any time), so what is measured cannot change under it. Same steps as
 * `npm run build` (tsc -p tsconfig.json, then the assets gulpfile.js copies). Throws when a file named in
 * package.json's "n8n" attribute was not produced.
 */
export function privateBuild() {
	if (privateBuildResult) return privateBuildResult;
	const dir = path.join(REPO, 'test', '.tmp', `bench-build-${process.pid}`);
	fs.rmSync(dir, { recursive: true, force: true });
	fs.mkdirSync(dir, { recursive: true });
	progress(`building the package privately into ${path.relative(REPO, dir)} (tsc + assets + npm pack)`);
	const tsc = path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
	const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json', '--outDir', path.join(dir, 'dist'), '--declaration', 'false', '--sourceMap', 'false'], { cwd: REPO, encoding: 'utf8' });
	if (r.status !== 0) throw new Error(`tsc failed:\n${r.stdout}${r.stderr}`);
	const copyAssets = (from) => {
		for (const entry of fs.readdirSync(path.join(REPO, from), { withFileTypes: true })) {
			const rel = path.join(from, entry.name);
			if (entry.isDirectory()) copyAssets(rel);
			else if (/\.(png|svg)$/.test(entry.name) || (from.startsWith('nodes') && entry.name.endsWith('.node.json'))) {
				fs.mkdirSync(path.join(dir, 'dist', from), { recursive: true });
				fs.copyFileSync(path.join(REPO, rel), path.join(dir, 'dist', rel));
			}
		}
	};
	copyAssets('nodes');
	copyAssets('credentials');
	const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
	const declared = [...(pkg.n8n?.nodes ?? []), ...(pkg.n8n?.credentials ?? [])];
	const missing = declared.filter((f) => !fs.existsSync(path.join(dir, f)));
	if (missing.length) throw new Error(`the build produced no ${missing.join(', ')} (named in package.json "n8n")`);
	delete pkg.scripts;
	fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
	for (const f of fs.readdirSync(REPO).filter((f) => /^(README|LICENSE|CHANGELOG)/i.test(f))) fs.copyFileSync(path.join(REPO, f), path.join(dir, f));
	const packed = spawnSync('npm', ['pack', '--json', '--pack-destination', dir], { cwd: dir, encoding: 'utf8' });
	if (packed.status !== 0) throw new Error(`npm pack failed: ${packed.stderr}`);
	const tarball = path.join(dir, JSON.parse(packed.stdout.slice(packed.stdout.indexOf('[')))[0].filename);
	privateBuildResult = { dir, dist: path.join(dir, 'dist'), tarball };
	return privateBuildResult;
}

export function removePrivateBuild() {
	if (privateBuildResult) fs.rmSync(privateBuildResult.dir, { recursive: true, force: true });
	privateBuildResult = undefined;
}

/** Options for harness.startN8n: the privately built tarball (see privateBuild). `note` is for the results. */
export function packageOptions() {
	const { tarball } = privateBuild();
	return { opts: { tarball }, note: undefined };
}

/** A module of the privately built dist/ (e.g. 'nodes/KlingAi/shared/callback.js'). */
export function distModule(rel) {
	return require(path.join(privateBuild().dist, rel));
}

let clockTicks;
/** How long ago a process was started (ms, 10 ms resolution), from /proc; undefined if it is gone. */
export function processAgeMs(pid) {
	clockTicks ??= Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
	try {
		const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		const startSeconds = Number(fields[19]) / clockTicks;
		const uptime = Number(fs.readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
		return (uptime - startSeconds) * 1000;
	} catch {
		return undefined;
	}
}
