#!/usr/bin/env node
/**
 * `npm test` and `npm run demo` start here, so a fresh clone needs no separate `npm ci`: when node_modules is
 * missing or does not match package-lock.json, install exactly the lockfile (`npm ci`). Node built-ins only.
 *
 *   node test/tools/ensure-install.mjs            install when needed (prints why), else do nothing
 *   node test/tools/ensure-install.mjs --check    only report: exit 0 = up to date, 1 = an install is needed
 *
 * "Up to date" = every package of package-lock.json is installed in the version it names, according to npm's
 * own record of the tree (node_modules/.package-lock.json, written by npm ci / npm install). A node_modules that
 * is a symlink (a git worktree sharing another checkout's install) is never reinstalled: that would rewrite the
 * other checkout's folder. It is only reported.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

/** Why node_modules does not match the lockfile, or undefined when it does. */
export function installProblem(root = ROOT) {
	const modules = join(root, 'node_modules');
	if (!existsSync(modules)) return 'node_modules is missing';
	const hidden = join(modules, '.package-lock.json');
	if (!existsSync(hidden)) return 'node_modules was not installed by npm (no node_modules/.package-lock.json)';
	const wanted = readJson(join(root, 'package-lock.json')).packages ?? {};
	const installed = readJson(hidden).packages ?? {};
	for (const [key, entry] of Object.entries(wanted)) {
		if (key === '' || !key.startsWith('node_modules/') || entry.link) continue;
		const have = installed[key];
		// Optional packages for other platforms (os/cpu) are legitimately absent.
		if (!have) {
			if (entry.optional) continue;
			return `${key.slice('node_modules/'.length)} is not installed`;
		}
		if (entry.version && have.version !== entry.version) {
			return `${key.slice('node_modules/'.length)} is ${have.version}, package-lock.json wants ${entry.version}`;
		}
	}
	return undefined;
}

/** Install from the lockfile when needed; returns true when node_modules is usable afterwards. */
export function ensureInstall({ root = ROOT, log = (line) => console.error(line) } = {}) {
	const problem = installProblem(root);
	if (!problem) return true;
	const modules = join(root, 'node_modules');
	if (existsSync(modules) && lstatSync(modules).isSymbolicLink()) {
		log(`[install] ${problem}; node_modules is a symlink (shared install), so it is left alone. Run npm ci where it points.`);
		return true;
	}
	log(`[install] ${problem}: installing from package-lock.json (npm ci) …`);
	const t0 = Date.now();
	const res = spawnSync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
	if (res.status !== 0) {
		log(`[install] npm ci failed (exit ${res.status ?? res.signal})`);
		return false;
	}
	log(`[install] done in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
	return true;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	if (process.argv.includes('--check')) {
		const problem = installProblem();
		console.log(problem ? `install needed: ${problem}` : 'node_modules matches package-lock.json');
		process.exit(problem ? 1 : 0);
	}
	process.exit(ensureInstall() ? 0 : 1);
}
