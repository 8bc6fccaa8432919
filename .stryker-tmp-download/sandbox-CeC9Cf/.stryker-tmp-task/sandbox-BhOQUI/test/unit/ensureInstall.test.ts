/**
 * "git clone …; npm test" and "git clone …; npm run demo" need no separate `npm ci`: both start with
 * test/tools/ensure-install.mjs, which installs from package-lock.json when node_modules is missing or stale.
 * Checked on a real `git clone` of this repository (no node_modules), with `npm` on PATH replaced by a recorder,
 * so nothing is installed here (a cold install takes minutes; it was verified once by hand, see the report).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const REPO = join(__dirname, '../..');
const SCRIPT = 'test/tools/ensure-install.mjs';
let clone: string;
let fakeBin: string;
let npmLog: string;

function run(args: string[], cwd = clone) {
	return spawnSync(process.execPath, args, {
		cwd,
		encoding: 'utf8',
		env: { ...process.env, PATH: `${fakeBin}:${process.env.PATH}`, KLING_FAKE_NPM_LOG: npmLog },
		timeout: 60_000,
	});
}

/** A node_modules that npm's own record says holds exactly the lockfile's packages (optionally one changed). */
function fakeInstall(change?: (packages: Record<string, { version?: string }>) => void) {
	rmSync(join(clone, 'node_modules'), { recursive: true, force: true });
	mkdirSync(join(clone, 'node_modules'));
	const lock = JSON.parse(readFileSync(join(clone, 'package-lock.json'), 'utf8'));
	const packages = { ...lock.packages };
	delete packages[''];
	change?.(packages);
	writeFileSync(join(clone, 'node_modules/.package-lock.json'), JSON.stringify({ name: lock.name, lockfileVersion: 3, packages }));
}

beforeAll(() => {
	const base = mkdtempSync(join(tmpdir(), 'kling-ensure-install-'));
	clone = join(base, 'repo');
	execFileSync('git', ['clone', '--quiet', '--no-hardlinks', REPO, clone]);
	// The scripts under test may be uncommitted while developing: use the working copy's versions.
	for (const file of [SCRIPT, 'test/tools/run-all-tests.mjs', 'test/demo/demo.mjs', 'package.json', 'package-lock.json']) {
		cpSync(join(REPO, file), join(clone, file));
	}
	fakeBin = join(base, 'bin');
	npmLog = join(base, 'npm.log');
	mkdirSync(fakeBin);
	// `npm` stand-in: records its arguments and fails, so the callers stop right after the install step.
	writeFileSync(join(fakeBin, 'npm'), '#!/bin/sh\necho "$@" >> "$KLING_FAKE_NPM_LOG"\nexit 7\n');
	chmodSync(join(fakeBin, 'npm'), 0o755);
}, 60_000);

afterAll(() => rmSync(join(clone, '..'), { recursive: true, force: true }));
beforeEach(() => rmSync(npmLog, { force: true }));

const npmCalls = () => (existsSync(npmLog) ? readFileSync(npmLog, 'utf8').trim().split('\n') : []);

describe('ensure-install on a fresh clone', () => {
	it('--check: a clone has no node_modules → install needed (exit 1), nothing run', () => {
		expect(existsSync(join(clone, 'node_modules'))).toBe(false);
		const res = run([SCRIPT, '--check']);
		expect(res.status).toBe(1);
		expect(res.stdout).toMatch(/install needed: node_modules is missing/);
		expect(npmCalls()).toEqual([]);
	});

	it('npm test (run-all-tests.mjs) starts with `npm ci` from the lockfile, before jest or tsc', () => {
		const res = run(['test/tools/run-all-tests.mjs']);
		expect(npmCalls()).toEqual(['ci --ignore-scripts --no-audit --no-fund']);
		expect(res.stderr).toMatch(/node_modules is missing: installing from package-lock.json/);
		expect(res.status).toBe(1); // our fake npm failed, and that is reported, not ignored
		expect(res.stdout).toMatch(/could not install/);
		expect(res.stderr).not.toMatch(/typecheck/);
	});

	it('npm run demo (demo.mjs) installs before it loads the harness or the simulator', () => {
		const res = run(['test/demo/demo.mjs', '--once']);
		expect(npmCalls()).toEqual(['ci --ignore-scripts --no-audit --no-fund']);
		expect(res.status).toBe(1);
		expect(res.stderr).not.toMatch(/Cannot find module/);
	});

	it('an install that matches package-lock.json is left alone; a stale or incomplete one is reinstalled', () => {
		fakeInstall();
		expect(run([SCRIPT, '--check']).status).toBe(0);
		expect(run([SCRIPT]).status).toBe(0);
		expect(npmCalls()).toEqual([]);

		fakeInstall((p) => (p['node_modules/jest'] = { ...p['node_modules/jest'], version: '0.0.1' }));
		expect(run([SCRIPT, '--check']).stdout).toMatch(/jest is 0\.0\.1, package-lock.json wants \d/);
		fakeInstall((p) => delete p['node_modules/typescript']);
		expect(run([SCRIPT, '--check']).stdout).toMatch(/typescript is not installed/);
		expect(run([SCRIPT]).status).toBe(1);
		expect(npmCalls()).toEqual(['ci --ignore-scripts --no-audit --no-fund']);
		rmSync(join(clone, 'node_modules'), { recursive: true, force: true });
	});

	it('a node_modules symlink (a worktree sharing an install) is never reinstalled', () => {
		const shared = join(clone, '..', 'shared_modules');
		mkdirSync(shared, { recursive: true });
		symlinkSync(shared, join(clone, 'node_modules'));
		const res = run([SCRIPT]);
		expect(res.status).toBe(0);
		expect(res.stderr).toMatch(/symlink/);
		expect(npmCalls()).toEqual([]);
		rmSync(join(clone, 'node_modules'));
	});
});
