/**
 * Real-n8n harness for the end-to-end suite (and the demo): builds and packs this package, installs the tarball into a
 * throwaway n8n user folder the way n8n's own community-package installer does, imports credentials and workflows with
 * the n8n CLI, publishes the trigger workflows, starts `n8n start` on free loopback ports, and stops everything it
 * started by process group, even when a test fails or the parent dies.
 *
 * Plain CommonJS so jest (ts-jest, Node 20) and plain Node scripts (`.mjs` demo) can both use it. n8n itself runs as a
 * child under the Node that `install.mjs` provides (Node 24 for n8n 2.40.7). See test/e2e/README.md.
 */
'use strict';

const { spawn, spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');

const REPO = path.resolve(__dirname, '..', '..', '..');
const PACKAGE_NAME = 'n8n-nodes-kling-ai';
const NODE_TYPES = Object.freeze({
	action: `${PACKAGE_NAME}.klingAi`,
	trigger: `${PACKAGE_NAME}.klingAiTrigger`,
	pollTrigger: `${PACKAGE_NAME}.klingAiPollTrigger`,
});
const CREDENTIAL_TYPE = 'klingAiApi';
const OWNER = Object.freeze({ email: 'e2e-owner@kling-e2e.test', firstName: 'E2E', lastName: 'Owner', password: 'KlingE2e-Passw0rd' });
const BROWSER_ID = 'kling-e2e-browser';

const T0 = Date.now();
/** Progress line on stderr (not buffered by jest), so long runs show life. */
function progress(msg) {
	process.stderr.write(`[kling-e2e +${((Date.now() - T0) / 1000).toFixed(1)}s] ${msg}\n`);
}

async function timed(label, fn) {
	const started = Date.now();
	progress(`${label} ...`);
	const result = await fn();
	progress(`${label}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
	return result;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Poll `fn` until it returns a truthy value; throws `message()` after `timeoutMs`. */
async function waitUntil(fn, { timeoutMs, intervalMs = 250, message }) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await fn();
		if (value) return value;
		if (Date.now() > deadline) throw new Error(typeof message === 'function' ? message() : message || `timed out after ${timeoutMs} ms`);
		await sleep(intervalMs);
	}
}

// ------------------------------------------------------------------ runtime (install.mjs) -----------------------------

/**
 * Ensure Node + n8n in the cache (see install.mjs). Runs the installer as a child of the current node (it is ESM and
 * jest runs CommonJS); its progress lines go straight to our stderr.
 */
function ensureRuntime({ n8nVersion = process.env.KLING_E2E_N8N_VERSION, node = process.env.KLING_E2E_NODE } = {}) {
	const args = [path.join(__dirname, 'install.mjs'), '--json'];
	if (n8nVersion) args.push('--n8n', n8nVersion);
	if (node) args.push('--node', node);
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
		let out = '';
		child.stdout.on('data', (c) => (out += c));
		child.on('error', reject);
		child.on('close', (code) => {
			if (code !== 0) return reject(new Error(`install.mjs failed (exit ${code}); see the lines above`));
			try {
				resolve(JSON.parse(out.trim().split('\n').pop()));
			} catch (err) {
				reject(new Error(`install.mjs printed no result: ${out.slice(-500)}`));
			}
		});
	});
}

// ------------------------------------------------------------------ package tarball ------------------------------------

function listFiles(dir) {
	if (!fs.existsSync(dir)) return [];
	const out = [];
	for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) out.push(...listFiles(full));
		else out.push(full);
	}
	return out;
}

/** Hash of everything that goes into the tarball, so one jest run (several test files) builds and packs once. */
function sourceHash() {
	const hash = crypto.createHash('sha256');
	const top = fs.readdirSync(REPO).filter((f) => /^(package\.json|tsconfig\.json|gulpfile\.js|README.*|LICENSE.*|CHANGELOG.*|\.npmignore)$/i.test(f));
	// Sources of dist/ plus anything else package.json "files" ships (e.g. example workflows).
	const shipped = (JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')).files ?? []).filter((f) => !/^\.?\/?dist\b/.test(f));
	const dirs = [...new Set(['nodes', 'credentials', ...shipped])].map((d) => path.join(REPO, d));
	const files = [...top.map((f) => path.join(REPO, f)), ...dirs.flatMap((d) => (fs.existsSync(d) && fs.statSync(d).isFile() ? [d] : listFiles(d)))].sort();
	for (const file of files) {
		hash.update(path.relative(REPO, file));
		hash.update(fs.readFileSync(file));
	}
	return hash.digest('hex').slice(0, 16);
}

function runLogged(cmd, args, { cwd, env, logFile, timeoutMs = 10 * 60_000 }) {
	fs.appendFileSync(logFile, `\n$ ${cmd} ${args.join(' ')}  (cwd ${cwd})\n`);
	const r = spawnSync(cmd, args, { cwd, env: env || process.env, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
	fs.appendFileSync(logFile, `${r.stdout || ''}${r.stderr || ''}\nrc=${r.status ?? r.signal}\n`);
	if (r.status !== 0) {
		const tail = `${r.stdout || ''}${r.stderr || ''}`.trim().split('\n').slice(-25).join('\n');
		throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal ?? r.error}) in ${cwd}:\n${tail}`);
	}
	return r.stdout;
}

/**
 * `npm run build` in the repo root (system node), then `npm pack` into os.tmpdir()/kling-n8n-e2e-pack/<source hash>/.
 * Reused while the sources are unchanged (KLING_E2E_REBUILD=1 forces a rebuild). Fails early, with the list, when a
 * file named in package.json's `n8n` attribute is not in the tarball.
 */
async function packPackage() {
	const dir = path.join(os.tmpdir(), 'kling-n8n-e2e-pack', sourceHash());
	const done = path.join(dir, 'tarball.txt');
	if (fs.existsSync(done) && !process.env.KLING_E2E_REBUILD) {
		const tarball = fs.readFileSync(done, 'utf8').trim();
		if (fs.existsSync(tarball)) {
			progress(`package tarball cached: ${tarball}`);
			return tarball;
		}
	}
	fs.mkdirSync(dir, { recursive: true });
	const logFile = path.join(dir, 'build.log');
	await timed('npm run build (repo root)', async () => runLogged('npm', ['run', 'build'], { cwd: REPO, logFile }));
	const packed = await timed('npm pack', async () => runLogged('npm', ['pack', '--json', '--pack-destination', dir], { cwd: REPO, logFile }));
	const info = JSON.parse(packed.slice(packed.indexOf('[')))[0];
	const tarball = path.join(dir, info.filename);
	const inTarball = new Set(info.files.map((f) => f.path));
	const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
	const declared = [...(pkg.n8n?.nodes ?? []), ...(pkg.n8n?.credentials ?? [])];
	const missing = declared.filter((p) => !inTarball.has(p.replace(/^\.\//, '')));
	if (missing.length) throw new Error(`package.json "n8n" names files that are not in the tarball: ${missing.join(', ')}`);
	fs.writeFileSync(done, tarball);
	return tarball;
}

/**
 * Install the tarball into `<userFolder>/.n8n/nodes` exactly like n8n 2.40.7's community-package installer
 * (`CommunityPackagesService.downloadPackage`): unpack into nodes/node_modules/<name>, drop dev/peer/optional
 * dependencies from its package.json, `npm install` its own dependencies there with scripts off, and record it in
 * nodes/package.json. n8n's `community-packages` module then scans nodes/node_modules/n8n-nodes-* at startup
 * (`scanDirectoryForPackages`) — no `installed_packages` DB row is needed for loading.
 */
function installTarball(userFolder, tarball, logFile) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const pkgDir = path.join(nodesDir, 'node_modules', PACKAGE_NAME);
	fs.mkdirSync(pkgDir, { recursive: true });
	runLogged('tar', ['-xzf', tarball, '-C', pkgDir, '--strip-components=1'], { cwd: nodesDir, logFile });
	const pkgFile = path.join(pkgDir, 'package.json');
	// eslint-disable-next-line @typescript-eslint/no-unused-vars
	const { devDependencies, peerDependencies, optionalDependencies, ...pkg } = JSON.parse(fs.readFileSync(pkgFile, 'utf8'));
	fs.writeFileSync(pkgFile, JSON.stringify(pkg, null, 2));
	if (pkg.dependencies && Object.keys(pkg.dependencies).length) {
		runLogged('npm', ['install', '--audit=false', '--fund=false', '--bin-links=false', '--install-strategy=shallow', '--ignore-scripts=true', '--package-lock=false'], { cwd: pkgDir, logFile });
	}
	fs.writeFileSync(path.join(nodesDir, 'package.json'), JSON.stringify({ name: 'installed-nodes', private: true, dependencies: { [PACKAGE_NAME]: pkg.version } }, null, 2));
	return pkg;
}

// ------------------------------------------------------------------ ports, fixtures, recorder --------------------------

function freePort() {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address();
			srv.close(() => resolve(port));
		});
	});
}

const FIXTURES = path.join(__dirname, '..', 'fixtures');

/**
 * Load test/e2e/fixtures/<name> and replace `%%KEY%%` placeholders from `vars` (JSON-string-escaped). A placeholder
 * without a value is an error, so a fixture never reaches n8n half-templated.
 */
/**
 * @param {string} name
 * @param {Record<string, string | number>} [vars]
 * @returns {any}
 */
function loadFixture(name, vars = {}) {
	const text = fs.readFileSync(path.join(FIXTURES, name), 'utf8');
	const filled = text.replace(/%%([A-Z0-9_]+)%%/g, (_, key) => {
		if (!(key in vars)) throw new Error(`fixture ${name}: no value for %%${key}%%`);
		return JSON.stringify(String(vars[key])).slice(1, -1);
	});
	return JSON.parse(filled);
}

/**
 * The "recording" end of every workflow path: a loopback HTTP server. Workflows POST `$json` to
 * `${recorder.url}/record/<label>`; tests read `recorder.records(label)` / `await recorder.waitFor(label, n)`.
 */
async function startRecorder() {
	const records = [];
	const server = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			const url = new URL(req.url, 'http://x');
			const m = /^\/record\/([^/]+)$/.exec(url.pathname);
			if (!m) {
				res.writeHead(404).end();
				return;
			}
			const raw = Buffer.concat(chunks).toString('utf8');
			let body = raw;
			try {
				body = JSON.parse(raw);
			} catch {
				// keep the raw text
			}
			records.push({ label: decodeURIComponent(m[1]), body, headers: req.headers, at: Date.now() });
			res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${server.address().port}`;
	return {
		url,
		all: () => records.slice(),
		records: (label) => records.filter((r) => r.label === label).map((r) => r.body),
		clear: () => records.splice(0, records.length),
		async waitFor(label, count = 1, timeoutMs = 30_000) {
			await waitUntil(() => records.filter((r) => r.label === label).length >= count, {
				timeoutMs,
				message: () => `recorder: expected ${count} record(s) on "${label}" within ${timeoutMs} ms; got ${JSON.stringify(records.map((r) => r.label))}`,
			});
			return records.filter((r) => r.label === label).map((r) => r.body);
		},
		close: () => new Promise((resolve) => server.close(() => resolve())),
	};
}

// ------------------------------------------------------------------ n8n process ----------------------------------------

const live = new Set();
function killGroup(pid, signal) {
	try {
		process.kill(-pid, signal);
		return true;
	} catch {
		return false;
	}
}
function onExit() {
	for (const inst of live) {
		if (inst.onExit) inst.onExit(); // e.g. Postgres in queue.js: an immediate shutdown instead of SIGKILL
		else killGroup(inst.pid, 'SIGKILL');
		if (inst.watchdogPid) killGroup(inst.watchdogPid, 'SIGKILL');
	}
}

/**
 * Have the exit/signal handlers kill this process group ({ pid, watchdogPid?, onExit? }) if the jest process ends
 * before it was stopped; `untrack` once it is stopped. Used by queue.js for its n8n processes, Redis and Postgres.
 */
function track(entry) {
	installExitHandlers();
	live.add(entry);
}
function untrack(entry) {
	live.delete(entry);
}
function onSignal(signal) {
	onExit();
	process.off('SIGINT', onSignal);
	process.off('SIGTERM', onSignal);
	if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}
let handlersInstalled = false;
function installExitHandlers() {
	if (handlersInstalled) return;
	handlersInstalled = true;
	process.on('exit', onExit);
	process.on('SIGINT', onSignal);
	process.on('SIGTERM', onSignal);
}

/** n8n environment for a throwaway loopback instance (reference §7.5), with every inherited N8N_* / DB_* var removed. */
function n8nEnv({ runtime, userFolder, port, brokerPort, extra = {} }) {
	const env = {};
	for (const [k, v] of Object.entries(process.env)) {
		// NODE_ENV=test (set by jest) makes n8n silence its logger and refuse to load nodes ("Not available in tests").
		if (/^(N8N_|DB_|WEBHOOK_URL$|EXECUTIONS_|QUEUE_|GENERIC_TIMEZONE$|NODE_OPTIONS$|NODE_ENV$|JEST_WORKER_ID$|npm_)/.test(k)) continue;
		env[k] = v;
	}
	Object.assign(env, {
		NODE_ENV: 'production',
		PATH: `${path.dirname(runtime.nodeBin)}${path.delimiter}${process.env.PATH || ''}`,
		N8N_USER_FOLDER: userFolder,
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		WEBHOOK_URL: `http://127.0.0.1:${port}/`, // read by n8n < 2.40
		N8N_WEBHOOK_URL: `http://127.0.0.1:${port}/`, // 2.40 deprecates WEBHOOK_URL in favour of this one
		// The JS task runner's broker defaults to 5679 and would collide with any other n8n on this machine.
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		DB_TYPE: 'sqlite',
		N8N_ENCRYPTION_KEY: 'kling-e2e-encryption-key-not-secret',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_SECURE_COOKIE: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_REINSTALL_MISSING_PACKAGES: 'false',
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		// n8n 2.40.7 ships SSRF protection OFF by default (@n8n/config SsrfProtectionConfig.enabled = false); when a user
		// turns it on, 127.0.0.0/8 is in the default blocked ranges. The suite talks to the simulator and the recorder on
		// 127.0.0.1, so it pins protection off for this throwaway instance only (older n8n ignores the variable).
		N8N_SSRF_PROTECTION_ENABLED: 'false',
		N8N_LOG_LEVEL: process.env.KLING_E2E_LOG_LEVEL || 'info',
		N8N_LOG_OUTPUT: 'console',
		NO_PROXY: '127.0.0.1,localhost',
		no_proxy: '127.0.0.1,localhost',
		EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
		EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
		GENERIC_TIMEZONE: 'UTC',
	});
	Object.assign(env, extra);
	return env;
}

const DB_FILES = ['database.sqlite', 'database.sqlite-wal', 'database.sqlite-shm'];

/**
 * Every n8n CLI command first migrates an empty sqlite DB (~100 migrations, several seconds). The harness keeps one
 * freshly migrated, empty DB per n8n install (`<n8nDir>/.kling-e2e-db-template/`, made once by `n8n list:workflow` on
 * a scratch folder) and copies it into each new user folder, so the imports start from a migrated schema.
 */
function seedDatabase(inst) {
	const templateDir = path.join(inst.runtime.n8nDir, '.kling-e2e-db-template');
	if (!fs.existsSync(path.join(templateDir, 'database.sqlite'))) {
		const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'kling-n8n-e2e-template-'));
		try {
			const env = { ...inst.env, N8N_USER_FOLDER: scratch };
			const r = spawnSync(inst.runtime.nodeBin, [inst.runtime.n8nBin, 'list:workflow'], { cwd: scratch, env, encoding: 'utf8', timeout: 180_000 });
			const source = path.join(scratch, '.n8n');
			if (r.status !== 0 || !fs.existsSync(path.join(source, 'database.sqlite'))) {
				progress(`could not prepare a DB template (exit ${r.status}); imports will migrate the DB themselves`);
				return;
			}
			const staging = `${templateDir}.${process.pid}`;
			fs.mkdirSync(staging, { recursive: true });
			for (const f of DB_FILES) if (fs.existsSync(path.join(source, f))) fs.copyFileSync(path.join(source, f), path.join(staging, f));
			try {
				fs.renameSync(staging, templateDir);
			} catch {
				fs.rmSync(staging, { recursive: true, force: true }); // another process made it first
			}
		} finally {
			fs.rmSync(scratch, { recursive: true, force: true });
		}
	}
	const target = path.join(inst.userFolder, '.n8n');
	fs.mkdirSync(target, { recursive: true });
	for (const f of DB_FILES) if (fs.existsSync(path.join(templateDir, f))) fs.copyFileSync(path.join(templateDir, f), path.join(target, f));
}

/** Run an n8n CLI command under the instance's runtime and env; throws with the output when it fails. */
function n8nCli(inst, args, { expect } = {}) {
	const started = Date.now();
	const r = spawnSync(inst.runtime.nodeBin, [inst.runtime.n8nBin, ...args], { cwd: inst.userFolder, env: inst.env, encoding: 'utf8', timeout: 180_000 });
	const output = `${r.stdout || ''}${r.stderr || ''}`;
	fs.appendFileSync(inst.cliLog, `\n$ n8n ${args.join(' ')}\n${output}\nrc=${r.status ?? r.signal}\n`);
	if (r.status !== 0 || (expect && !expect.test(output))) {
		throw new Error(`n8n ${args.join(' ')} failed (exit ${r.status ?? r.signal}):\n${output.trim().split('\n').slice(-20).join('\n')}`);
	}
	progress(`n8n ${args.join(' ')}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
	return output;
}

function readLog(inst) {
	try {
		return fs.readFileSync(inst.logFile, 'utf8');
	} catch {
		return '';
	}
}

function logTail(inst, lines = 40) {
	return readLog(inst).trim().split('\n').slice(-lines).join('\n');
}

/**
 * Start a throwaway n8n with this package installed from its tarball.
 * @param {object} [opts]
 * @param {any[] | ((where: { url: string, port: number, webhookUrl: (path: string) => string }) => any[])} [opts.credentials]
 *        credential export objects ({id, name, type, data: {...plain}}), or a function of this instance's URL
 * @param {any[] | ((where: { url: string, port: number, webhookUrl: (path: string) => string }) => any[])} [opts.workflows]
 *        workflow export objects (fixed ids), or a function of this instance's URL
 * @param {string[]} [opts.publish]      workflow ids to publish (default: every workflow given)
 * @param {Record<string, string>} [opts.env] extra n8n env vars
 * @param {string}   [opts.tarball]      use this tarball instead of building and packing the repo
 * @param {string}   [opts.n8nVersion]   default KLING_E2E_N8N_VERSION or 2.40.7
 * @param {string}   [opts.node]         '24' (default, KLING_E2E_NODE) or 'system'
 * @param {number}   [opts.port]         fixed n8n port (default: a free one) — the demo prints a stable URL with it
 * @param {boolean}  [opts.setupOwner]   create the owner and log in (default true) so `rest()` works
 */
async function startN8n(opts = {}) {
	const startedAt = Date.now();
	installExitHandlers();
	const runtime = await timed('ensure Node + n8n (install.mjs)', () => ensureRuntime({ n8nVersion: opts.n8nVersion, node: opts.node }));
	// KLING_E2E_TARBALL: run the suite against a given tarball (e.g. `npm pack n8n-nodes-kling-ai@<version>` from npm).
	const tarball = opts.tarball || process.env.KLING_E2E_TARBALL || (await packPackage());
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'kling-n8n-e2e-'));
	const port = opts.port || (await freePort());
	let brokerPort = await freePort();
	while (brokerPort === port) brokerPort = await freePort();
	const inst = {
		runtime,
		userFolder,
		port,
		brokerPort,
		url: `http://127.0.0.1:${port}`,
		logFile: path.join(userFolder, 'n8n.log'),
		cliLog: path.join(userFolder, 'n8n-cli.log'),
		env: n8nEnv({ runtime, userFolder, port, brokerPort, extra: opts.env }),
		pid: undefined,
		watchdogPid: undefined,
		cookie: undefined,
		packageJson: undefined,
		exited: undefined,
		publish: [],
	};
	progress(`n8n ${runtime.n8nVersion} on node ${runtime.nodeVersion}: ${inst.url} (broker ${brokerPort}), user folder ${userFolder}`);
	try {
		await timed('database from the migrated template', async () => seedDatabase(inst));
		inst.packageJson = installTarball(userFolder, tarball, inst.cliLog);
		const importDir = path.join(userFolder, 'import');
		fs.mkdirSync(importDir, { recursive: true });
		const n8nMajor = Number(runtime.n8nVersion.split('.')[0]);
		// Fixtures may need this instance's URL (e.g. the trigger's production URL in the action node): pass a function.
		const where = { url: inst.url, port, webhookUrl: (/** @type {string} */ p) => `${inst.url}/webhook/${p}` };
		const credentials = typeof opts.credentials === 'function' ? opts.credentials(where) : opts.credentials;
		if (credentials?.length) {
			const file = path.join(importDir, 'credentials.json');
			fs.writeFileSync(file, JSON.stringify(credentials, null, 2));
			n8nCli(inst, ['import:credentials', `--input=${file}`], { expect: /Successfully imported|Imported/i });
		}
		const workflows = (typeof opts.workflows === 'function' ? opts.workflows(where) : opts.workflows) ?? [];
		if (workflows.length) {
			const file = path.join(importDir, 'workflows.json');
			fs.writeFileSync(file, JSON.stringify(workflows, null, 2));
			n8nCli(inst, ['import:workflow', `--input=${file}`], { expect: /Successfully imported|Imported/i });
		}
		const publish = opts.publish ?? workflows.map((w) => w.id);
		inst.publish = publish;
		for (const id of publish) {
			// 2.x: publish:workflow (DB only; must run before `n8n start`). 1.x: update:workflow --active=true.
			n8nCli(inst, n8nMajor >= 2 ? ['publish:workflow', `--id=${id}`] : ['update:workflow', `--id=${id}`, '--active=true']);
		}
		await launch(inst, publish);
		if (opts.setupOwner !== false) await setupOwner(inst);
		progress(`n8n ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
	} catch (err) {
		await stopN8n(inst, { keep: true });
		err.message += `\n(n8n user folder kept for inspection: ${userFolder})`;
		throw err;
	}
	return decorate(inst);
}

/** Spawn `n8n start` (own process group + parent-death watchdog), wait for /healthz and for the published workflows. */
async function launch(inst, publish) {
	const logOffset = readLog(inst).length;
	const outboxBefore = outboxHighWater(inst);
	inst.exited = undefined;
	const logFd = fs.openSync(inst.logFile, 'a');
	const child = spawn(inst.runtime.nodeBin, [inst.runtime.n8nBin, 'start'], { cwd: inst.userFolder, env: inst.env, detached: true, stdio: ['ignore', logFd, logFd] });
	fs.closeSync(logFd);
	inst.pid = child.pid;
	child.on('exit', (code, signal) => (inst.exited = { code, signal }));
	child.unref();
	live.add(inst);
	const watchdog = spawn(process.execPath, [path.join(__dirname, 'watchdog.js'), String(process.pid), String(child.pid)], { detached: true, stdio: 'ignore' });
	watchdog.unref();
	inst.watchdogPid = watchdog.pid;

	const failIfExited = () => {
		if (inst.exited) throw new Error(`n8n exited early (${JSON.stringify(inst.exited)}); log tail:\n${logTail(inst)}`);
	};
	await timed('n8n start → /healthz', () =>
		waitUntil(
			async () => {
				failIfExited();
				try {
					const res = await fetch(`${inst.url}/healthz`, { signal: AbortSignal.timeout(2000) });
					return res.status === 200;
				} catch {
					return false;
				}
			},
			{ timeoutMs: Number(process.env.KLING_E2E_START_TIMEOUT_MS || 120_000), intervalMs: 300, message: () => `n8n did not answer /healthz in time; log tail:\n${logTail(inst)}` },
		),
	);
	// /healthz answers as soon as the HTTP server listens, before the REST controllers and webhooks are mounted;
	// `n8n start` prints this line once startup (including workflow activation) is complete.
	await waitUntil(
		() => {
			failIfExited();
			return /Editor is now accessible via/.test(readLog(inst).slice(logOffset));
		},
		{ timeoutMs: 120_000, intervalMs: 300, message: () => `n8n never reported "Editor is now accessible"; log tail:\n${logTail(inst)}` },
	);
	if (publish.length) await timed(`activation of ${publish.length} workflow(s)`, () => waitForActivation(inst, publish, outboxBefore, logOffset, failIfExited));
}

/**
 * Wait until every published workflow is active in the running n8n.
 * n8n >= 2.40 activates through its workflow-publication service (WorkflowsConfig.useWorkflowPublicationService,
 * default true): `n8n start` enqueues a 'startup' record per published workflow in `workflow_publication_outbox` and
 * the consumer marks it completed | partial_success | failed (per-trigger details in
 * `workflow_publication_trigger_status`). It logs nothing at info level, so the harness reads those tables.
 * Older n8n logs `Activated workflow "<name>" (ID: <id>)` per workflow.
 */
async function waitForActivation(inst, publish, outboxBefore, logOffset, failIfExited) {
	const ids = publish.map((id) => `'${String(id).replace(/'/g, "''")}'`).join(',');
	await waitUntil(
		() => {
			failIfExited();
			const log = readLog(inst).slice(logOffset);
			const loadFailure = /(Failed to load package .*|Skipping package .*)/.exec(log);
			if (loadFailure) throw new Error(`n8n could not load a package: ${loadFailure[1]}\nlog tail:\n${logTail(inst)}`);
			if (outboxBefore === undefined) {
				const failed = /(Activation of workflow .* did fail with error: .*|failed with the error: .*)/.exec(log);
				if (failed) throw new Error(`n8n activation problem: ${failed[1]}\nlog tail:\n${logTail(inst)}`);
				return publish.every((id) => new RegExp(`Activated workflow .*\\(ID: ${id}\\)`).test(log));
			}
			const rows = sqliteQuery(inst, `select workflowId, status, errorMessage from workflow_publication_outbox where id > ${outboxBefore} and workflowId in (${ids}) order by id`);
			const latest = new Map(rows.map((r) => [r.workflowId, r]));
			for (const row of latest.values()) {
				if (row.status === 'failed' || row.status === 'partial_success') {
					const triggers = sqliteQuery(inst, `select nodeId, status, errorMessage from workflow_publication_trigger_status where workflowId = '${row.workflowId}'`);
					throw new Error(`n8n could not activate workflow ${row.workflowId} (${row.status}): ${row.errorMessage ?? ''} ${JSON.stringify(triggers)}\nlog tail:\n${logTail(inst)}`);
				}
			}
			return publish.every((id) => latest.get(id)?.status === 'completed');
		},
		{ timeoutMs: 90_000, intervalMs: 500, message: () => `workflows ${publish.join(', ')} were not all activated; log tail:\n${logTail(inst)}` },
	);
}

/**
 * The published workflows that a restart activates again, i.e. the ones `launch` must wait for. Older n8n logs
 * "Activated workflow" for every one. n8n >= 2.40's publication reconciler re-enqueues at startup only workflows with
 * in-memory triggers (polling, schedules, ...: "Re-publishing workflows with missing in-memory triggers"); webhook-only
 * workflows keep their `webhook_entity` rows, get no new outbox record, and serve their webhooks right away.
 */
function reactivatedOnRestart(inst) {
	if (!inst.publish.length || outboxHighWater(inst) === undefined) return inst.publish;
	const ids = inst.publish.map((id) => `'${String(id).replace(/'/g, "''")}'`).join(',');
	const rows = sqliteQuery(inst, `select distinct workflowId from workflow_publication_trigger_status where triggerKind = 'in-memory' and workflowId in (${ids})`);
	const inMemory = new Set(rows.map((r) => r.workflowId));
	return inst.publish.filter((id) => inMemory.has(id));
}

/** The highest publication-outbox id so far, or undefined when this n8n has no publication service (older lines). */
function outboxHighWater(inst) {
	if (!fs.existsSync(dbFile(inst))) return undefined;
	const table = sqliteQuery(inst, "select name from sqlite_master where type = 'table' and name = 'workflow_publication_outbox'");
	if (!table.length) return undefined;
	return sqliteQuery(inst, 'select coalesce(max(id), 0) as maxId from workflow_publication_outbox')[0].maxId;
}

function dbFile(inst) {
	return path.join(inst.userFolder, '.n8n', 'database.sqlite');
}

/** Query n8n's sqlite DB with n8n's own sqlite3 under n8n's Node (see sqlite-query.js). */
function sqliteQuery(inst, sql, flattedColumn) {
	const args = [path.join(__dirname, 'sqlite-query.js'), inst.runtime.n8nDir, dbFile(inst), sql];
	if (flattedColumn) args.push(flattedColumn);
	const r = spawnSync(inst.runtime.nodeBin, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
	if (r.status !== 0) throw new Error(`sqlite query failed (${sql}): ${r.stderr}`);
	return JSON.parse(r.stdout);
}

async function setupOwner(inst) {
	const res = await rawRest(inst, 'POST', '/rest/owner/setup', OWNER);
	if (res.status !== 200) {
		// Owner already set up (e.g. a restart of the same user folder): log in instead.
		const login = await rawRest(inst, 'POST', '/rest/login', { emailOrLdapLoginId: OWNER.email, email: OWNER.email, password: OWNER.password });
		if (login.status !== 200) throw new Error(`owner setup (${res.status}: ${res.text}) and login (${login.status}: ${login.text}) failed`);
	}
	if (!inst.cookie) throw new Error('n8n set no auth cookie on owner setup/login');
}

/**
 * @param {any} inst
 * @param {string} method
 * @param {string} urlPath
 * @param {unknown} [body]
 * @returns {Promise<{ status: number, json: any, text: string }>}
 */
async function rawRest(inst, method, urlPath, body) {
	const headers = { 'browser-id': BROWSER_ID, accept: 'application/json' };
	if (body !== undefined) headers['content-type'] = 'application/json';
	if (inst.cookie) headers.cookie = inst.cookie;
	const res = await fetch(`${inst.url}${urlPath}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(60_000) });
	const setCookie = res.headers.getSetCookie ? res.headers.getSetCookie() : [];
	const auth = setCookie.map((c) => c.split(';')[0]).find((c) => c.startsWith('n8n-auth='));
	if (auth) inst.cookie = auth;
	return readResponse(res);
}

/**
 * Stop n8n: SIGTERM to its process group (n8n + task runner), SIGKILL after `graceMs`. A restart waits for the
 * graceful shutdown (as a service manager would); the final teardown does not need to.
 */
async function stopN8n(inst, { keep = false, quiet = false, graceMs = 5_000, signal = 'SIGTERM' } = {}) {
	if (inst.pid && live.has(inst)) {
		const started = Date.now();
		killGroup(inst.pid, signal);
		try {
			await waitUntil(() => inst.exited || !killGroup(inst.pid, 0), { timeoutMs: graceMs, intervalMs: 100 });
		} catch {
			if (!quiet) progress(`n8n (pid ${inst.pid}) still running ${graceMs} ms after SIGTERM; SIGKILL`);
		}
		if (!quiet) progress(`n8n stopped in ${((Date.now() - started) / 1000).toFixed(1)} s`);
		killGroup(inst.pid, 'SIGKILL');
		// Wait for the exit event, so a restart never sees the old process's exit as the new one's.
		await waitUntil(() => inst.exited, { timeoutMs: 10_000, intervalMs: 50 }).catch(() => undefined);
		live.delete(inst);
	}
	if (inst.watchdogPid) killGroup(inst.watchdogPid, 'SIGKILL');
	if (!keep && !process.env.KLING_E2E_KEEP) fs.rmSync(inst.userFolder, { recursive: true, force: true });
	else if (!quiet) progress(`n8n user folder kept: ${inst.userFolder} (log ${inst.logFile})`);
}

/** {status, json (undefined when the body is not JSON), text} of a fetch response. */
async function readResponse(res) {
	const text = await res.text();
	let json;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: res.status, json, text };
}

/**
 * Call a production webhook `${baseUrl}/webhook/${path}${query}`: JSON body (a string is sent as is), 120 s limit.
 * @param {string} baseUrl
 * @param {string} webhookPath
 * @param {unknown} [body]
 * @param {{ method?: string, headers?: Record<string, string>, query?: string }} [options]
 * @returns {Promise<{ status: number, json: any, text: string }>}
 */
async function callWebhook(baseUrl, webhookPath, body, { method = 'POST', headers = {}, query = '' } = {}) {
	const res = await fetch(`${baseUrl}/webhook/${webhookPath}${query}`, {
		method,
		headers: { 'content-type': 'application/json', ...headers },
		body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
		signal: AbortSignal.timeout(120_000),
	});
	return readResponse(res);
}

const EXECUTION_COLUMNS = 'id, workflowId, status, mode, finished, startedAt, stoppedAt, waitTill';

function decorate(inst) {
	const sqlite = (/** @type {string} */ sql, /** @type {string} */ flattedColumn) => sqliteQuery(inst, sql, flattedColumn);
	const api = {
		url: inst.url,
		port: inst.port,
		userFolder: inst.userFolder,
		logFile: inst.logFile,
		runtime: inst.runtime,
		packageJson: inst.packageJson,
		/** The server log so far. */
		log: () => readLog(inst),
		logTail: (n) => logTail(inst, n),
		/** Internal REST (`/rest/...`) as the owner; returns {status, json, text}. */
		rest: (/** @type {string} */ method, /** @type {string} */ urlPath, /** @type {unknown} */ body) => rawRest(inst, method, urlPath, body),
		/**
		 * The editor's "Test" button for a stored credential: load it as the editor does (`GET /rest/credentials/:id
		 * ?includeData=true`, secrets come back redacted), then `POST /rest/credentials/test` with that data; n8n
		 * restores the redacted secrets from the DB and runs the credential's `test` request. Pass `data` to test edited
		 * values instead. Returns n8n's verdict {status: 'OK'|'Error', message}.
		 * @param {{ id: string, data?: Record<string, unknown> }} args
		 * @returns {Promise<{ status: string, message: string }>}
		 */
		async testCredential({ id, data }) {
			const stored = await rawRest(inst, 'GET', `/rest/credentials/${encodeURIComponent(id)}?includeData=true`);
			if (stored.status !== 200) throw new Error(`GET credential ${id}: HTTP ${stored.status}: ${stored.text}`);
			const cred = stored.json.data ?? stored.json;
			const res = await rawRest(inst, 'POST', '/rest/credentials/test', { credentials: { id, name: cred.name, type: cred.type, data: data ?? cred.data } });
			if (res.status !== 200) throw new Error(`credential test HTTP ${res.status}: ${res.text}`);
			return res.json.data ?? res.json;
		},
		/** Node and credential types n8n registered (the editor's /types/*.json, owner cookie). */
		/** @returns {Promise<{ nodes: any[], credentials: any[] }>} */
		async registeredTypes() {
			const nodes = await rawRest(inst, 'GET', '/types/nodes.json');
			const creds = await rawRest(inst, 'GET', '/types/credentials.json');
			if (nodes.status !== 200 || creds.status !== 200) throw new Error(`types endpoints: ${nodes.status}/${creds.status}`);
			return { nodes: nodes.json, credentials: creds.json };
		},
		/**
		 * Call a production webhook: `${url}/webhook/${path}`. Returns {status, json, text}.
		 * @param {string} webhookPath
		 * @param {unknown} [body]
		 * @param {{ method?: string, headers?: Record<string, string>, query?: string }} [options]
		 * @returns {Promise<{ status: number, json: any, text: string }>}
		 */
		webhook: (webhookPath, body, options) => callWebhook(inst.url, webhookPath, body, options),
		/** Execution rows (execution_entity), oldest first; optionally of one workflow. */
		/**
		 * @param {string} [workflowId]
		 * @returns {Array<{ id: number, workflowId: string, status: string, mode: string, finished: number, startedAt: string, stoppedAt: string, waitTill: string | null }>}
		 */
		executions(workflowId) {
			const where = workflowId ? ` where workflowId = '${String(workflowId).replace(/'/g, "''")}'` : '';
			return sqlite(`select ${EXECUTION_COLUMNS} from execution_entity${where} order by id`);
		},
		/** The execution de-duplication keys of a workflow's executions (n8n >= 2.40; null where none). */
		/** @param {string} workflowId @returns {Array<{ id: number, status: string, mode: string, deduplicationKey: string | null }>} */
		executionKeys(workflowId) {
			const key = api.hasDeduplicationKey() ? 'deduplicationKey' : 'null as deduplicationKey';
			return sqlite(`select id, status, mode, ${key} from execution_entity where workflowId = '${String(workflowId).replace(/'/g, "''")}' order by id`);
		},
		/** Whether this n8n has the execution de-duplication key (execution_entity.deduplicationKey; n8n 2.40 has it, 2.8 not). */
		hasDeduplicationKey() {
			return sqlite('pragma table_info(execution_entity)').some((c) => c.name === 'deduplicationKey');
		},
		/** Decoded execution data (IRunExecutionData) of one execution. */
		/** @param {number | string} executionId @returns {any} */
		executionData(executionId) {
			const rows = sqlite(`select executionId, data from execution_data where executionId = ${Number(executionId)}`, 'data');
			return rows[0]?.data;
		},
		/** Wait until `count` executions of the workflow have finished (any final status). */
		/** @param {string} workflowId @param {number} count @param {number} [timeoutMs] */
		async waitForExecutions(workflowId, count, timeoutMs = 30_000) {
			return waitUntil(
				() => {
					const rows = api.executions(workflowId).filter((e) => !['new', 'running', 'waiting'].includes(e.status));
					return rows.length >= count ? rows : undefined;
				},
				{ timeoutMs, intervalMs: 500, message: () => `expected ${count} finished execution(s) of ${workflowId}; have ${JSON.stringify(api.executions(workflowId))}` },
			);
		},
		/** Workflow static data as stored in the DB (what survives a restart). */
		/** @param {string} workflowId @returns {any} */
		staticData(workflowId) {
			const rows = sqlite(`select staticData from workflow_entity where id = '${String(workflowId).replace(/'/g, "''")}'`);
			const raw = rows[0]?.staticData;
			return typeof raw === 'string' ? JSON.parse(raw) : raw;
		},
		/**
		 * Wait for a log line matching `re` (after `since` characters of log).
		 * @param {RegExp} re
		 * @param {{ timeoutMs?: number, since?: number }} [options]
		 */
		async waitForLog(re, { timeoutMs = 30_000, since = 0 } = {}) {
			return waitUntil(() => re.exec(readLog(inst).slice(since)), { timeoutMs, message: () => `log never matched ${re}; tail:\n${logTail(inst)}` });
		},
		/**
		 * Stop n8n (SIGTERM to its group, as a service manager would) and start it again on the same user folder,
		 * database and port; waits for health and activation again and logs back in.
		 */
		async restart(/** @type {{ downtimeMs?: number, kill?: boolean }} */ { downtimeMs = 0, kill = false } = {}) {
			const reactivated = reactivatedOnRestart(inst);
			// kill: SIGKILL at once (a crash), no graceful shutdown.
			await stopN8n(inst, { keep: true, quiet: true, graceMs: kill ? 0 : 40_000, signal: kill ? 'SIGKILL' : 'SIGTERM' });
			if (downtimeMs) await sleep(downtimeMs);
			await launch(inst, reactivated);
			inst.cookie = undefined;
			await setupOwner(inst);
		},
		stop: (/** @type {{ keep?: boolean }} */ options = {}) => stopN8n(inst, options),
	};
	return api;
}

module.exports = {
	REPO,
	PACKAGE_NAME,
	NODE_TYPES,
	CREDENTIAL_TYPE,
	OWNER,
	progress,
	timed,
	waitUntil,
	ensureRuntime,
	packPackage,
	installTarball,
	freePort,
	loadFixture,
	startRecorder,
	startN8n,
	// Building blocks reused by the queue-mode rig (harness/queue.js).
	sleep,
	n8nEnv,
	n8nCli,
	killGroup,
	track,
	untrack,
	callWebhook,
};
