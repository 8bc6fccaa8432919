// @ts-check
/**
 * Debian's chromium for the editor test (playwright-core drives it; Playwright itself never downloads a browser).
 * Found on PATH or at KLING_E2E_CHROMIUM; when missing and we are root (CI, the dev machines), installed with
 * `apt-get update && apt-get install -y chromium`. Otherwise the error says what to install.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

function findChromium() {
	if (process.env.KLING_E2E_CHROMIUM) return fs.existsSync(process.env.KLING_E2E_CHROMIUM) ? process.env.KLING_E2E_CHROMIUM : undefined;
	return CANDIDATES.find((p) => fs.existsSync(p));
}

/** @param {(line: string) => void} [log] @returns {string} the chromium executable */
function ensureChromium(log = (line) => process.stderr.write(`${line}\n`)) {
	const found = findChromium();
	if (found) return found;
	const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
	if (!isRoot || process.env.KLING_E2E_CHROMIUM) {
		throw new Error('chromium is not installed: run `sudo apt-get install -y chromium` (or set KLING_E2E_CHROMIUM to a Chromium binary)');
	}
	const t0 = Date.now();
	log('[kling-e2e] chromium missing: apt-get update && apt-get install -y chromium ...');
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	for (const args of [['update', '-qq'], ['install', '-y', '-qq', '--no-install-recommends', 'chromium']]) {
		const res = spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env, timeout: 15 * 60_000 });
		if (res.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed (exit ${res.status ?? res.signal})`);
	}
	const installed = findChromium();
	if (!installed) throw new Error('apt-get installed chromium, but no /usr/bin/chromium was found');
	log(`[kling-e2e] chromium installed in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
	return installed;
}

module.exports = { ensureChromium, findChromium };
