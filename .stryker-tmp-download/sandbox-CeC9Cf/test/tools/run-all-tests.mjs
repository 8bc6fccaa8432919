#!/usr/bin/env node
// `npm test`: typecheck, build, the n8n scan gate, unit + integration tests, then the real-n8n e2e suite.
// Prints each step with its duration and ends with one summary line "N passed, N failed".
// A fresh clone needs nothing before it: node_modules is installed from package-lock.json first when missing or stale.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureInstall } from './ensure-install.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const args = new Set(process.argv.slice(2));
const skipE2e = args.has('--no-e2e') || process.env.KLING_SKIP_E2E === '1';
const totals = { passed: 0, failed: 0, skipped: 0 };
const started = Date.now();
let failedSteps = [];

function step(name, cmd, cmdArgs, { jestJson } = {}) {
	const t0 = Date.now();
	console.error(`\n▶ ${name} …`);
	const res = spawnSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit', env: process.env });
	const secs = ((Date.now() - t0) / 1000).toFixed(1);
	if (jestJson) {
		try {
			const r = JSON.parse(readFileSync(jestJson, 'utf8'));
			totals.passed += r.numPassedTests;
			totals.failed += r.numFailedTests;
			totals.skipped += r.numPendingTests + (r.numTodoTests ?? 0);
			if (r.numTotalTests === 0) failedSteps.push(`${name} (ran no test)`);
			console.error(`◀ ${name}: ${r.numPassedTests} passed, ${r.numFailedTests} failed in ${secs}s`);
			rmSync(jestJson, { force: true });
		} catch {
			totals.failed += 1;
			console.error(`◀ ${name}: no result file (the runner crashed) after ${secs}s`);
		}
	} else {
		console.error(`◀ ${name}: ${res.status === 0 ? 'ok' : `FAILED (exit ${res.status})`} in ${secs}s`);
	}
	if (res.status !== 0) failedSteps.push(name);
	return res.status === 0;
}

if (!ensureInstall({ root })) {
	console.log('\nnpm test: could not install node_modules from package-lock.json (see above)\n0 passed, 1 failed');
	process.exit(1);
}
const jest = join(root, 'node_modules/.bin/jest');
step('typecheck', join(root, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json', '--noEmit']);
step('build', 'npm', ['run', 'build', '--silent']);
step('n8n scan gate (lint legs of @n8n/scan-community-package)', process.execPath, ['test/tools/scan.mjs']);
const unitJson = join(tmpdir(), `kling-jest-unit-${process.pid}.json`);
step('unit + integration tests', jest, ['--selectProjects', 'unit', 'integration', '--json', `--outputFile=${unitJson}`], { jestJson: unitJson });
if (!skipE2e) {
	const e2eJson = join(tmpdir(), `kling-jest-e2e-${process.pid}.json`);
	step('end-to-end tests in a real n8n', jest, ['--selectProjects', 'e2e', '--runInBand', '--json', `--outputFile=${e2eJson}`], { jestJson: e2eJson });
} else {
	console.error('\n(e2e skipped: --no-e2e / KLING_SKIP_E2E=1)');
}

const mins = ((Date.now() - started) / 60000).toFixed(1);
console.log(`\nnpm test finished in ${mins} min${failedSteps.length ? `; failed steps: ${failedSteps.join(', ')}` : ''}`);
console.log(`${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
process.exit(failedSteps.length || totals.failed ? 1 : 0);
