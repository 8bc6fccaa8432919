#!/usr/bin/env node
// The lint legs of n8n's verification scanner (@n8n/scan-community-package, a devDependency) on this
// checkout, like ../shared/tools/n8n-scan-local.mjs but without depending on anything outside the repo:
//   source leg:  package.json + {nodes,credentials}/**/*.{js,ts,json}
//   tarball leg: the `npm pack` tarball's **/*.js + package.json (run `npm run build` first).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzePackage, SOURCE_FILE_PATTERNS } from '@n8n/scan-community-package/scanner/scanner.mjs';

const project = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const packDir = mkdtempSync(join(tmpdir(), 'kling-scan-'));
const packed = JSON.parse(
	execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', packDir], { cwd: project, stdio: ['ignore', 'pipe', 'pipe'] }).toString(),
);
execFileSync('tar', ['-xzf', join(packDir, packed[0].filename), '-C', packDir]);
const tarDir = join(packDir, 'package');
if (!readdirSync(tarDir, { recursive: true }).some((f) => String(f).endsWith('.js'))) {
	console.error('the packed tarball holds no .js files: run `npm run build` first');
	process.exit(2);
}
const source = await analyzePackage(project, SOURCE_FILE_PATTERNS);
const tarball = await analyzePackage(tarDir, ['**/*.js', 'package.json']);
for (const [leg, r] of [['source', source], ['tarball', tarball]]) {
	console.log(`${leg} leg: ${r.passed ? 'passed' : `FAILED (${r.message})`}`);
	if (r.details) console.log(r.details);
}
console.log(`tarball: ${packed[0].filename}, ${packed[0].entryCount} files, ${packed[0].size} bytes`);
const passed = source.passed && tarball.passed;
console.log(passed ? 'n8n scan gate: passed' : 'n8n scan gate: failed');
process.exit(passed ? 0 : 1);
