/**
 * Queue-mode rig for the real-n8n suite (issue 11): Postgres + Redis from Debian's packages, one `n8n start` (main),
 * N `n8n webhook` processes and M `n8n worker` processes, every one of them with this package installed from its
 * tarball into its own user folder (`<folder>/.n8n/nodes`, exactly like harness/n8n.js and like n8n's own installer
 * does on every process of a queue-mode deployment). Executions, webhooks, static data and the publication state are
 * read from Postgres with `psql`.
 *
 * Recipe: /work/shared/reference/n8n-queue-mode.md §7 (verified on n8n 2.40.7). See test/e2e/README.md,
 * "Queue-mode rig". CommonJS like n8n.js; everything listens on 127.0.0.1 only.
 */
'use strict';

const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const harness = require('./n8n');

const { progress, timed, waitUntil, sleep, freePort, killGroup } = harness;

// ------------------------------------------------------------------ cleanup discipline ---------------------------------

// Cleanup discipline as in n8n.js (its exit/signal handlers): every process group this module starts is tracked there
// until it is stopped, and each gets a parent-death watchdog (watchdog.js).
const { track, untrack } = harness;

/** Parent-death watchdog (watchdog.js): kills the group if the jest process dies, even from SIGKILL. */
function startWatchdog(pid) {
	const watchdog = spawn(process.execPath, [path.join(__dirname, 'watchdog.js'), String(process.pid), String(pid)], { detached: true, stdio: 'ignore' });
	watchdog.unref();
	return watchdog.pid;
}

/**
 * Parent-death watchdog for the Postgres cluster. watchdog.js sends SIGTERM, which is Postgres's *smart* shutdown (it
 * waits for every client) and then SIGKILL after 5 s, which leaks the postmaster's SysV shared-memory segment. This one
 * sends SIGINT (fast shutdown: clients are disconnected, shared memory removed), SIGKILL only after 15 s, then deletes
 * the scratch folder (unless KLING_E2E_KEEP).
 */
function startPostgresWatchdog(pid, dir) {
	const script = `
		const [parent, pid, dir, keep] = process.argv.slice(1);
		const alive = (p) => { try { process.kill(Number(p), 0); return true; } catch (e) { return e.code === 'EPERM'; } };
		const timer = setInterval(() => {
			if (!alive(pid)) process.exit(0);
			if (alive(parent)) return;
			clearInterval(timer);
			try { process.kill(Number(pid), 'SIGINT'); } catch {}
			const until = Date.now() + 15000;
			const wait = setInterval(() => {
				if (alive(pid) && Date.now() < until) return;
				clearInterval(wait);
				try { process.kill(-Number(pid), 'SIGKILL'); } catch {}
				if (!keep) require('fs').rmSync(dir, { recursive: true, force: true });
				process.exit(0);
			}, 200);
		}, 1000);`;
	const watchdog = spawn(process.execPath, ['-e', script, String(process.pid), String(pid), dir, process.env.KLING_E2E_KEEP ? '1' : ''], { detached: true, stdio: 'ignore' });
	watchdog.unref();
	return watchdog.pid;
}

const alive = (pid) => !!pid && killGroup(pid, 0);

/** SIGTERM (or `signal`) to a group, SIGKILL after `graceMs`. Resolves once the group leader is gone. */
async function stopGroup(entry, { signal = 'SIGTERM', graceMs = 10_000 } = {}) {
	if (alive(entry.pid)) {
		killGroup(entry.pid, signal);
		try {
			await waitUntil(() => entry.exited || !alive(entry.pid), { timeoutMs: graceMs, intervalMs: 100 });
		} catch {
			progress(`${entry.name ?? entry.pid}: still running ${graceMs} ms after ${signal}; SIGKILL`);
		}
		killGroup(entry.pid, 'SIGKILL');
		await waitUntil(() => entry.exited || !alive(entry.pid), { timeoutMs: 10_000, intervalMs: 50 }).catch(() => undefined);
	}
	if (entry.watchdogPid) killGroup(entry.watchdogPid, 'SIGKILL');
	untrack(entry);
}

// ------------------------------------------------------------------ system packages ------------------------------------

const PG_ROOT = '/usr/lib/postgresql';

function commandPath(cmd) {
	const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
	return r.status === 0 ? r.stdout.trim() : undefined;
}

/** The newest Postgres server installed from Debian packages: { major, bin }. */
function findPostgres() {
	if (!fs.existsSync(PG_ROOT)) return undefined;
	const majors = fs
		.readdirSync(PG_ROOT)
		.filter((d) => /^\d+$/.test(d) && fs.existsSync(path.join(PG_ROOT, d, 'bin', 'initdb')) && fs.existsSync(path.join(PG_ROOT, d, 'bin', 'postgres')))
		.map(Number)
		.sort((a, b) => b - a);
	return majors.length ? { major: majors[0], bin: path.join(PG_ROOT, String(majors[0]), 'bin') } : undefined;
}

function run(cmd, args, { env, timeoutMs = 15 * 60_000, ...opts } = {}) {
	const r = spawnSync(cmd, args, { encoding: 'utf8', env: env || process.env, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, ...opts });
	if (r.status !== 0) {
		const out = `${r.stdout || ''}${r.stderr || ''}`.trim().split('\n').slice(-20).join('\n');
		throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal ?? r.error}):\n${out}`);
	}
	return r.stdout;
}

/**
 * The Postgres package to install: the newest of postgresql-17/16/15 that apt has a candidate for (n8n 2.40 warns that
 * 15 is old: "n8n supports Postgres 17 and newer, with 16 on compatibility support"), else the `postgresql` metapackage.
 */
function pickPostgresPackage() {
	const r = spawnSync('apt-cache', ['policy', 'postgresql-17', 'postgresql-16', 'postgresql-15'], { encoding: 'utf8' });
	for (const name of ['postgresql-17', 'postgresql-16', 'postgresql-15']) {
		const block = new RegExp(`^${name}:\\n(?:\\s+.*\\n)*?\\s+Candidate: (\\S+)`, 'm').exec(r.stdout || '');
		if (block && block[1] !== '(none)') return name;
	}
	return 'postgresql';
}

let aptUpdated = false;
/** `apt-get update` (once per process, always before the first install) then `apt-get install -y`, non-interactive. */
function aptInstall(what) {
	if (typeof process.getuid === 'function' && process.getuid() !== 0) {
		throw new Error(`the queue-mode rig needs ${what.join(' and ')}; install them (as root: apt-get update && apt-get install -y ${what.join(' ')})`);
	}
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	if (!aptUpdated) {
		run('apt-get', ['update'], { env });
		aptUpdated = true;
	}
	const pkgs = what.map((w) => (w === 'postgresql' ? pickPostgresPackage() : w));
	run('apt-get', ['install', '-y', '--no-install-recommends', ...pkgs], { env });
	return pkgs;
}

function versionOf(cmd, args) {
	const r = spawnSync(cmd, args, { encoding: 'utf8' });
	return `${r.stdout || ''}${r.stderr || ''}`.trim().split('\n')[0];
}

/** Postgres cluster shared by the rigs of this process (one fresh database per rig); reference-counted. */
let cluster;
let clusterUsers = 0;

/**
 * Make sure Postgres and Redis are installed (Debian packages, installed with apt-get when missing) and a scratch
 * Postgres cluster is running (initdb in a temp folder, owned by the `postgres` user when we are root, 127.0.0.1 and a
 * free port, trust auth, fsync off). Redis is started per rig (startQueueRig). Memoised per process.
 * @returns {Promise<{ postgres: { major: number, version: string, bin: string, port: number, dir: string, query: (db: string, sql: string) => any[], exec: (db: string, sql: string) => string }, redis: { bin: string, version: string } }>}
 */
async function ensureQueueServices() {
	const missing = [];
	if (!commandPath('redis-server')) missing.push('redis-server');
	if (!findPostgres()) missing.push('postgresql');
	if (missing.length) await timed(`apt-get install ${missing.join(' ')}`, async () => aptInstall(missing));
	const redisBin = commandPath('redis-server');
	const pg = findPostgres();
	if (!redisBin || !pg) throw new Error(`still missing after apt-get: ${!redisBin ? 'redis-server ' : ''}${!pg ? `${PG_ROOT}/*/bin/initdb` : ''}`);
	if (!cluster) {
		cluster = timed(`Postgres ${pg.major} scratch cluster`, () => startCluster(pg));
		cluster.catch(() => (cluster = undefined));
	}
	return { postgres: await cluster, redis: { bin: redisBin, version: versionOf(redisBin, ['--version']) } };
}

function postgresUser() {
	if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined; // not root: run as ourselves
	const line = fs
		.readFileSync('/etc/passwd', 'utf8')
		.split('\n')
		.find((l) => l.startsWith('postgres:'));
	if (!line) throw new Error('running as root but there is no `postgres` user (the postgresql package creates it)');
	const [, , uid, gid] = line.split(':');
	return { uid: Number(uid), gid: Number(gid) };
}

async function startCluster(pg) {
	const user = postgresUser();
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kling-n8n-queue-pg-'));
	if (user) fs.chownSync(dir, user.uid, user.gid);
	const data = path.join(dir, 'data');
	const env = { PATH: process.env.PATH, HOME: dir, LANG: 'C', LC_ALL: 'C' };
	const asPg = { cwd: dir, env, ...(user ?? {}) };
	run(path.join(pg.bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale', '--no-sync'], { ...asPg, timeoutMs: 120_000 });
	const port = await freePort();
	const logFile = path.join(dir, 'postgres.log');
	const logFd = fs.openSync(logFile, 'a');
	if (user) fs.fchownSync(logFd, user.uid, user.gid);
	// Scratch data: durability settings off (we kill n8n processes, never Postgres). Socket in our own folder.
	const args = ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'shared_buffers=64MB', '-c', 'max_connections=200'];
	args.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
	const child = spawn(path.join(pg.bin, 'postgres'), args, { ...asPg, detached: true, stdio: ['ignore', logFd, logFd] });
	fs.closeSync(logFd);
	child.unref();
	const entry = {
		name: 'postgres',
		pid: child.pid,
		exited: undefined,
		// Immediate shutdown (the postmaster removes its shared memory itself, which SIGKILL would leak), then a short
		// synchronous wait (exit handlers cannot await) so the scratch folder can go too.
		onExit: () => {
			killGroup(child.pid, 'SIGQUIT');
			const until = Date.now() + 3000;
			const running = () => {
				try {
					return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${child.pid}/stat`, 'utf8')); // a zombie is done
				} catch {
					return alive(child.pid);
				}
			};
			while (running() && Date.now() < until) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
			killGroup(child.pid, 'SIGKILL');
			if (!process.env.KLING_E2E_KEEP) fs.rmSync(dir, { recursive: true, force: true });
		},
	};
	child.on('exit', (code, signal) => (entry.exited = { code, signal }));
	track(entry);
	entry.watchdogPid = startPostgresWatchdog(child.pid, dir);
	const psqlBin = path.join(pg.bin, 'psql');
	const psql = (db, sql, extra = []) =>
		spawnSync(psqlBin, ['-X', '-q', '-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', db, '-At', '-v', 'ON_ERROR_STOP=1', ...extra, '-c', sql], {
			encoding: 'utf8',
			env: { ...process.env, PGCONNECT_TIMEOUT: '10', PGPASSWORD: '' },
			maxBuffer: 512 * 1024 * 1024,
		});
	await waitUntil(
		() => {
			if (entry.exited) throw new Error(`postgres exited (${JSON.stringify(entry.exited)}):\n${fs.readFileSync(logFile, 'utf8').slice(-2000)}`);
			return psql('postgres', 'select 1').status === 0;
		},
		{ timeoutMs: 60_000, intervalMs: 200, message: () => `postgres did not accept connections:\n${fs.readFileSync(logFile, 'utf8').slice(-2000)}` },
	);
	const exec = (db, sql) => {
		const r = psql(db, sql);
		if (r.status !== 0) throw new Error(`psql (${db}) failed: ${(r.stderr || '').trim()}\nSQL: ${sql}`);
		return r.stdout;
	};
	const query = (db, sql) => JSON.parse(exec(db, `select coalesce(json_agg(q), '[]'::json) from (${sql.trim().replace(/;+$/, '')}) q`).trim() || '[]');
	const version = exec('postgres', 'show server_version').trim();
	progress(`Postgres ${version} on 127.0.0.1:${port} (data ${data})`);
	return {
		major: pg.major,
		version,
		bin: pg.bin,
		port,
		pid: child.pid,
		dir,
		logFile,
		exec,
		query,
		async stop() {
			await stopGroup(entry, { signal: 'SIGINT', graceMs: 10_000 }); // SIGINT = fast shutdown
			if (!process.env.KLING_E2E_KEEP) fs.rmSync(dir, { recursive: true, force: true });
		},
	};
}

async function releaseCluster() {
	clusterUsers -= 1;
	if (clusterUsers > 0 || !cluster) return;
	const c = await cluster.catch(() => undefined);
	cluster = undefined;
	if (c) await c.stop();
}

// ------------------------------------------------------------------ Redis ---------------------------------------------

function redisPing(port) {
	return new Promise((resolve) => {
		const sock = net.connect({ host: '127.0.0.1', port });
		let buf = '';
		const done = (ok) => {
			sock.destroy();
			resolve(ok);
		};
		sock.setTimeout(2000, () => done(false));
		sock.on('error', () => done(false));
		sock.on('connect', () => sock.write('PING\r\n'));
		sock.on('data', (d) => {
			buf += d;
			if (buf.includes('\r\n')) done(buf.startsWith('+PONG'));
		});
	});
}

async function startRedis(bin, dir) {
	const port = await freePort();
	const logFile = path.join(dir, 'redis.log');
	const logFd = fs.openSync(logFile, 'a');
	const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no'];
	const child = spawn(bin, args, { cwd: dir, detached: true, stdio: ['ignore', logFd, logFd] });
	fs.closeSync(logFd);
	child.unref();
	const entry = { name: 'redis', pid: child.pid, exited: undefined };
	child.on('exit', (code, signal) => (entry.exited = { code, signal }));
	track(entry);
	entry.watchdogPid = startWatchdog(child.pid);
	await waitUntil(
		async () => {
			if (entry.exited) throw new Error(`redis-server exited (${JSON.stringify(entry.exited)}):\n${fs.readFileSync(logFile, 'utf8').slice(-2000)}`);
			return redisPing(port);
		},
		{ timeoutMs: 30_000, intervalMs: 100, message: () => `redis-server did not answer PING:\n${fs.readFileSync(logFile, 'utf8').slice(-2000)}` },
	);
	return { port, logFile, entry, stop: () => stopGroup(entry, { graceMs: 5_000 }) };
}

// ------------------------------------------------------------------ n8n processes --------------------------------------

const READY_LINE = {
	main: /Editor is now accessible via/,
	webhook: /Webhook listener waiting for requests/,
	worker: /n8n worker is now ready/,
};
const COMMAND = { main: ['start'], webhook: ['webhook'] };

function readLog(file) {
	try {
		return fs.readFileSync(file, 'utf8');
	} catch {
		return '';
	}
}
const tail = (text, lines = 40) => text.trim().split('\n').slice(-lines).join('\n');

/** Default for executions().taskIdsOf: the simulator's task ids (8-digit prefix + 10-digit sequence) and Kling's. */
const TASK_ID_PATTERN = /(?<![\d.])\d{15,20}(?![\d.])/g;

/**
 * Start n8n in queue mode: Postgres + Redis, main + `webhookProcesses` × `n8n webhook` + `workers` × `n8n worker`.
 * Credentials and workflows (export objects with fixed ids, or functions of `where`) are imported with the n8n CLI into
 * the rig's Postgres database and the workflows published before the main starts; the call returns once every process
 * is healthy and the published workflows are activated.
 * @param {object} [opts]
 * @param {any[] | ((where: RigWhere) => any[])} [opts.credentials]
 * @param {any[] | ((where: RigWhere) => any[])} [opts.workflows]
 * @param {string[]} [opts.publish]          workflow ids to publish (default: every workflow given)
 * @param {number} [opts.webhookProcesses]   default 2
 * @param {number} [opts.workers]            default 2
 * @param {number} [opts.concurrency]        worker --concurrency, default 5
 * @param {Record<string, string>} [opts.env] extra env for every n8n process (and the CLI)
 * @param {(name: string) => boolean} [opts.installPackageIn] which processes get the package (default: all). Only for
 *        negative checks: a process without it must fail the "known in every process" test.
 * @param {string} [opts.tarball]            default: KLING_E2E_TARBALL or a fresh `npm pack` (same as n8n.js)
 * @typedef {{ url: string, urls: Record<string, string>, webhookUrl: (path: string) => string }} RigWhere
 */
async function startQueueRig(opts = {}) {
	const startedAt = Date.now();
	const webhookCount = opts.webhookProcesses ?? 2;
	const workerCount = opts.workers ?? 2;
	const concurrency = opts.concurrency ?? 5;
	const [runtime, services] = await Promise.all([
		timed('ensure Node + n8n (install.mjs)', () => harness.ensureRuntime({ n8nVersion: opts.n8nVersion, node: opts.node })),
		ensureQueueServices(),
	]);
	clusterUsers += 1;
	const tarball = opts.tarball || process.env.KLING_E2E_TARBALL || (await harness.packPackage());
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kling-n8n-queue-'));
	const database = `n8n_${path.basename(dir).replace(/[^a-z0-9]/gi, '').toLowerCase()}`;
	const pg = services.postgres;
	let redis;
	/** @type {Map<string, any>} */
	const procs = new Map();
	const used = new Set();
	const port = async () => {
		let p = await freePort();
		while (used.has(p)) p = await freePort();
		used.add(p);
		return p;
	};
	const rig = { dir, database, runtime, procs, pg, publish: [], stopped: false };
	try {
		redis = await startRedis(services.redis.bin, dir);
		rig.redis = redis;
		const names = ['main', ...Array.from({ length: webhookCount }, (_, i) => `webhook-${i + 1}`), ...Array.from({ length: workerCount }, (_, i) => `worker-${i + 1}`)];
		for (const name of names) {
			const kind = name === 'main' ? 'main' : name.replace(/-\d+$/, '');
			const userFolder = path.join(dir, name);
			fs.mkdirSync(userFolder, { recursive: true });
			// Every process gets its own N8N_PORT and N8N_RUNNERS_BROKER_PORT (defaults 5678/5679 collide); workers serve
			// /healthz on QUEUE_HEALTH_CHECK_PORT instead of N8N_PORT.
			const proc = { name, kind, userFolder, logFile: path.join(dir, `${name}.log`), cliLog: path.join(dir, 'n8n-cli.log'), runtime, concurrency, port: await port(), brokerPort: await port() };
			if (kind === 'worker') {
				proc.healthPort = await port();
				proc.healthUrl = `http://127.0.0.1:${proc.healthPort}`;
			} else {
				proc.url = `http://127.0.0.1:${proc.port}`;
				proc.healthUrl = proc.url;
			}
			procs.set(name, proc);
		}
		const publicUrl = procs.get(webhookCount ? 'webhook-1' : 'main').url;
		rig.publicUrl = publicUrl;
		const queueEnv = {
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(redis.port),
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(pg.port),
			DB_POSTGRESDB_DATABASE: database,
			DB_POSTGRESDB_USER: 'postgres',
			DB_POSTGRESDB_PASSWORD: '',
			// What users do behind a load balancer: the public base URL is the webhook tier.
			N8N_WEBHOOK_URL: `${publicUrl}/`,
			WEBHOOK_URL: `${publicUrl}/`,
			N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5',
		};
		for (const proc of procs.values()) {
			const env = harness.n8nEnv({ runtime, userFolder: proc.userFolder, port: proc.port, brokerPort: proc.brokerPort, extra: { ...queueEnv, ...(opts.env ?? {}) } });
			// n8nEnv points N8N_WEBHOOK_URL at the process itself; in a rig every process uses the public one.
			env.N8N_WEBHOOK_URL = queueEnv.N8N_WEBHOOK_URL;
			env.WEBHOOK_URL = queueEnv.WEBHOOK_URL;
			if (proc.kind === 'worker') Object.assign(env, { QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(proc.healthPort) });
			proc.env = env;
			if (!opts.installPackageIn || opts.installPackageIn(proc.name)) proc.packageJson = harness.installTarball(proc.userFolder, tarball, proc.cliLog);
		}
		const main = procs.get('main');
		progress(`queue rig ${dir}: db ${database} on Postgres ${pg.version} :${pg.port}, Redis ${services.redis.version.replace(/^Redis server /, '')} :${redis.port}; ${[...procs.values()].map((p) => `${p.name} :${p.kind === 'worker' ? `${p.healthPort} (health)` : p.port}`).join(', ')}`);

		await timed(`database ${database}`, () => createDatabase(rig, main));
		const where = { url: publicUrl, urls: rigUrls(procs), webhookUrl: (/** @type {string} */ p) => `${publicUrl}/webhook/${p}` };
		const credentials = typeof opts.credentials === 'function' ? opts.credentials(where) : opts.credentials;
		const workflows = (typeof opts.workflows === 'function' ? opts.workflows(where) : opts.workflows) ?? [];
		await importAndPublish(rig, main, { credentials, workflows, publish: opts.publish });
		rig.publish = opts.publish ?? workflows.map((w) => w.id);
		const outboxBefore = outboxHighWater(rig);
		// Main first (it is the leader and activates the workflows); the others do not depend on it.
		launch(main);
		const others = [...procs.values()].filter((p) => p !== main);
		for (const p of others) launch(p);
		await timed(`all ${procs.size} processes healthy`, () => Promise.all([...procs.values()].map((p) => waitHealthy(p))));
		if (rig.publish.length) await timed(`activation of ${rig.publish.length} workflow(s)`, () => waitForActivation(rig, rig.publish, outboxBefore));
		rig.hasDeduplicationKey = pg.query(database, "select column_name from information_schema.columns where table_name = 'execution_entity' and column_name = 'deduplicationKey'").length === 1;
		rig.readyMs = Date.now() - startedAt;
		progress(`queue rig ready in ${(rig.readyMs / 1000).toFixed(1)} s`);
	} catch (err) {
		await stopRig(rig, { keep: true }).catch(() => undefined);
		err.message += `\n(queue rig folder kept for inspection: ${dir})`;
		throw err;
	}
	return decorate(rig);
}

/** @returns {Record<string, string>} */
function rigUrls(procs) {
	/** @type {Record<string, string>} */
	const urls = {};
	for (const p of procs.values()) if (p.url) urls[p.name] = p.url;
	return urls;
}

/** Import credentials/workflows with the CLI (against the rig's Postgres) and publish; runs with the main's env. */
async function importAndPublish(rig, main, { credentials, workflows = [], publish }) {
	const importDir = path.join(rig.dir, 'import');
	fs.mkdirSync(importDir, { recursive: true });
	const stamp = Date.now();
	if (credentials?.length) {
		const file = path.join(importDir, `credentials-${stamp}.json`);
		fs.writeFileSync(file, JSON.stringify(credentials, null, 2));
		await timed('import:credentials', async () => harness.n8nCli(main, ['import:credentials', `--input=${file}`], { expect: /Successfully imported|Imported/i }));
	}
	if (workflows.length) {
		const file = path.join(importDir, `workflows-${stamp}.json`);
		fs.writeFileSync(file, JSON.stringify(workflows, null, 2));
		await timed('import:workflow', async () => harness.n8nCli(main, ['import:workflow', `--input=${file}`], { expect: /Successfully imported|Imported/i }));
	}
	publishWorkflows(rig, main, publish ?? workflows.map((w) => w.id));
}

/**
 * Publish workflows. `n8n publish:workflow --id=…` (2.40.7, `WorkflowRepository.publishVersion` in @n8n/db 1.40.4) is
 * exactly one UPDATE — `active = true, activeVersionId = versionId` after checking that the version is in
 * workflow_history — but boots n8n for it (~5 s per workflow on this machine). The rig runs that same UPDATE (plus the
 * `updatedAt` TypeORM sets) for all ids in one statement, and fails if a workflow or its history row is missing. n8n
 * without `activeVersionId` (older lines) goes through the CLI.
 */
function publishWorkflows(rig, main, ids) {
	if (!ids.length) return;
	const hasColumn = rig.pg.query(rig.database, "select 1 from information_schema.columns where table_name = 'workflow_entity' and column_name = 'activeVersionId'").length === 1;
	if (!hasColumn) {
		const major = Number(rig.runtime.n8nVersion.split('.')[0]);
		for (const id of ids) harness.n8nCli(main, major >= 2 ? ['publish:workflow', `--id=${id}`] : ['update:workflow', `--id=${id}`, '--active=true']);
		return;
	}
	const out = rig.pg.exec(
		rig.database,
		`with u as (update workflow_entity w set active = true, "activeVersionId" = w."versionId", "updatedAt" = CURRENT_TIMESTAMP(3)
		  where w.id in (${ids.map(sqlString).join(',')}) and not w."isArchived"
		    and exists (select 1 from workflow_history h where h."workflowId" = w.id and h."versionId" = w."versionId") returning w.id)
		 select coalesce(json_agg(u.id), '[]'::json) from u`,
	);
	const done = new Set(JSON.parse(out.trim()));
	const missing = ids.filter((id) => !done.has(id));
	if (missing.length) throw new Error(`could not publish ${missing.join(', ')}: not imported, archived, or no workflow_history row for its current version`);
	progress(`published ${ids.join(', ')}`);
}

/**
 * A fresh database for a rig, from a migrated template: every n8n CLI/process migrates an empty database first (~130
 * migrations, ~8 s here). The first rig per n8n install and Postgres major migrates a scratch database with
 * `n8n list:workflow`, dumps it (pg_dump, plain SQL) into `<n8nDir>/.kling-e2e-pg<major>-template.sql`; every rig then
 * restores that dump into its own new database (like n8n.js's sqlite template).
 */
async function createDatabase(rig, main) {
	const { pg, database } = rig;
	const template = path.join(rig.runtime.n8nDir, `.kling-e2e-pg${pg.major}-template.sql`);
	if (!fs.existsSync(template)) {
		await timed('migrated Postgres template (n8n list:workflow + pg_dump, once per n8n install)', async () => {
			const scratch = `${database}_migrate`;
			pg.exec('postgres', `create database ${scratch}`);
			try {
				harness.n8nCli({ ...main, env: { ...main.env, DB_POSTGRESDB_DATABASE: scratch } }, ['list:workflow']);
				const staging = `${template}.${process.pid}`;
				run(path.join(pg.bin, 'pg_dump'), ['-h', '127.0.0.1', '-p', String(pg.port), '-U', 'postgres', '--no-owner', '--no-privileges', '-f', staging, scratch]);
				fs.renameSync(staging, template);
			} finally {
				pg.exec('postgres', `drop database if exists ${scratch} with (force)`);
			}
		});
	}
	pg.exec('postgres', `create database ${database}`);
	run(path.join(pg.bin, 'psql'), ['-X', '-q', '-h', '127.0.0.1', '-p', String(pg.port), '-U', 'postgres', '-d', database, '-v', 'ON_ERROR_STOP=1', '-f', template], { stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Spawn one n8n process in its own process group, with a parent-death watchdog. Does not wait. */
function launch(proc) {
	proc.logOffset = readLog(proc.logFile).length;
	proc.exited = undefined;
	const logFd = fs.openSync(proc.logFile, 'a');
	const args = proc.kind === 'worker' ? ['worker', `--concurrency=${proc.concurrency ?? 5}`] : COMMAND[proc.kind];
	const child = spawn(proc.runtime.nodeBin, [proc.runtime.n8nBin, ...args], { cwd: proc.userFolder, env: proc.env, detached: true, stdio: ['ignore', logFd, logFd] });
	fs.closeSync(logFd);
	proc.pid = child.pid;
	proc.startedAt = Date.now();
	child.on('exit', (code, signal) => (proc.exited = { code, signal }));
	child.unref();
	track(proc);
	proc.watchdogPid = startWatchdog(child.pid);
}

/** /healthz answers 200 (worker: its QUEUE_HEALTH_CHECK_PORT) and the process printed its "ready" line. */
async function waitHealthy(proc) {
	const timeoutMs = Number(process.env.KLING_E2E_START_TIMEOUT_MS || 180_000);
	await waitUntil(
		async () => {
			if (proc.exited) throw new Error(`${proc.name} exited early (${JSON.stringify(proc.exited)}); log tail:\n${tail(readLog(proc.logFile))}`);
			if (!READY_LINE[proc.kind].test(readLog(proc.logFile).slice(proc.logOffset))) return false;
			try {
				const res = await fetch(`${proc.healthUrl}/healthz`, { signal: AbortSignal.timeout(2000) });
				return res.status === 200;
			} catch {
				return false;
			}
		},
		{ timeoutMs, intervalMs: 300, message: () => `${proc.name} not healthy within ${timeoutMs} ms; log tail:\n${tail(readLog(proc.logFile))}` },
	);
	proc.readyMs = Date.now() - proc.startedAt;
	progress(`${proc.name} ready in ${(proc.readyMs / 1000).toFixed(1)} s`);
}

const sqlString = (v) => `'${String(v).replace(/'/g, "''")}'`;

function outboxHighWater(rig) {
	const rows = rig.pg.query(rig.database, "select to_regclass('workflow_publication_outbox') is not null as present");
	if (!rows[0]?.present) return undefined;
	return rig.pg.query(rig.database, 'select coalesce(max(id), 0) as "maxId" from workflow_publication_outbox')[0].maxId;
}

/**
 * Wait until the published workflows are active: n8n 2.40's publication outbox (see n8n.js waitForActivation), read
 * from Postgres. Throws on failed/partial_success with the per-trigger errors, and on a package-load failure or
 * "Unrecognized node type" in the main's log.
 */
async function waitForActivation(rig, ids, outboxBefore, { timeoutMs = 120_000 } = {}) {
	const main = rig.procs.get('main');
	const list = ids.map(sqlString).join(',');
	await waitUntil(
		() => {
			if (main.exited) throw new Error(`main exited (${JSON.stringify(main.exited)}); log tail:\n${tail(readLog(main.logFile))}`);
			const log = readLog(main.logFile).slice(main.logOffset);
			const loadFailure = /(Failed to load package .*|Skipping package .*|Unrecognized node type.*)/.exec(log);
			if (loadFailure) throw new Error(`main: ${loadFailure[1]}\nlog tail:\n${tail(log)}`);
			if (outboxBefore === undefined) return ids.every((id) => new RegExp(`Activated workflow .*\\(ID: ${id}\\)`).test(log));
			const rows = rig.pg.query(rig.database, `select "workflowId", status, "errorMessage" from workflow_publication_outbox where id > ${outboxBefore} and "workflowId" in (${list}) order by id`);
			const latest = new Map(rows.map((r) => [r.workflowId, r]));
			for (const row of latest.values()) {
				if (row.status === 'failed' || row.status === 'partial_success') {
					const triggers = rig.pg.query(rig.database, `select "nodeId", status, "errorMessage" from workflow_publication_trigger_status where "workflowId" = ${sqlString(row.workflowId)}`);
					throw new Error(`n8n could not activate workflow ${row.workflowId} (${row.status}): ${row.errorMessage ?? ''} ${JSON.stringify(triggers)}\nmain log tail:\n${tail(log)}`);
				}
			}
			return ids.every((id) => latest.get(id)?.status === 'completed');
		},
		{ timeoutMs, intervalMs: 500, message: () => `workflows ${ids.join(', ')} were not all activated within ${timeoutMs} ms; main log tail:\n${tail(readLog(main.logFile))}` },
	);
}

/** Published workflows with in-memory triggers (poll, cron, trigger()): the ones a main restart re-activates. */
function reactivatedOnRestart(rig) {
	if (!rig.publish.length) return [];
	const rows = rig.pg.query(
		rig.database,
		`select distinct "workflowId" from workflow_publication_trigger_status where "triggerKind" = 'in-memory' and "workflowId" in (${rig.publish.map(sqlString).join(',')})`,
	);
	return rows.map((r) => r.workflowId);
}

async function stopProc(proc, { kill = false, graceMs = 30_000 } = {}) {
	await stopGroup(proc, { signal: kill ? 'SIGKILL' : 'SIGTERM', graceMs });
}

async function stopRig(rig, { keep = false, graceful = false } = {}) {
	if (rig.stopped) return;
	rig.stopped = true;
	const procs = [...rig.procs.values()];
	// All at once. The rig is thrown away, so SIGKILL by default (a graceful stop costs ~7 s here); `graceful: true`
	// sends SIGTERM first (SIGKILL after 10 s).
	const t = Date.now();
	await Promise.all(procs.map((p) => stopProc(p, { kill: !graceful, graceMs: 10_000 })));
	progress(`queue rig: n8n processes stopped in ${((Date.now() - t) / 1000).toFixed(1)} s`);
	if (rig.redis) await rig.redis.stop();
	const keepIt = keep || !!process.env.KLING_E2E_KEEP;
	if (!keepIt) {
		try {
			rig.pg.exec('postgres', `drop database if exists ${rig.database} with (force)`);
		} catch (err) {
			progress(`could not drop ${rig.database}: ${err.message}`);
		}
		fs.rmSync(rig.dir, { recursive: true, force: true });
		await releaseCluster();
	} else {
		progress(`queue rig kept: ${rig.dir} (database ${rig.database} on 127.0.0.1:${rig.pg.port}; the cluster stops with this process)`);
		clusterUsers -= 1;
	}
}

// ------------------------------------------------------------------ rig API --------------------------------------------

function loadFlatted(n8nDir) {
	return require(require.resolve('flatted', { paths: [n8nDir, path.join(n8nDir, 'node_modules', 'n8n')] }));
}

function decorate(rig) {
	const q = (/** @type {string} */ sql) => rig.pg.query(rig.database, sql);
	const get = (/** @type {string} */ name) => {
		const p = rig.procs.get(name);
		if (!p) throw new Error(`no process "${name}" in this rig (have ${[...rig.procs.keys()].join(', ')})`);
		return p;
	};
	const dedupColumn = rig.hasDeduplicationKey ? ', e."deduplicationKey"' : '';
	const api = {
		dir: rig.dir,
		database: rig.database,
		runtime: rig.runtime,
		/** Seconds from startQueueRig() to everything healthy and activated. */
		readyMs: rig.readyMs,
		/** Postgres (server version, port) and Redis (port) of this rig. */
		postgres: { version: rig.pg.version, major: rig.pg.major, port: rig.pg.port },
		redis: { port: rig.redis.port },
		/** Whether execution_entity has the "deduplicationKey" column (n8n >= 2.40 migration 1778000000000). */
		hasDeduplicationKey: rig.hasDeduplicationKey,
		/** N8N_WEBHOOK_URL of every process: the first webhook process. */
		publicUrl: rig.publicUrl,
		/** Base URL of every HTTP-serving process: { main, 'webhook-1', 'webhook-2', ... }. */
		urls: rigUrls(rig.procs),
		/** Base URLs of the webhook processes, in order. */
		webhookUrls: [...rig.procs.values()].filter((p) => p.kind === 'webhook').map((p) => p.url),
		/** Process names: 'main', 'webhook-1'…, 'worker-1'…. */
		processes: [...rig.procs.keys()],
		/** { name, kind, pid, alive, url?, healthUrl, port?, healthPort?, brokerPort, userFolder, logFile, readyMs } */
		process(/** @type {string} */ name) {
			const p = get(name);
			const { name: n, kind, pid, url, healthUrl, port, healthPort, brokerPort, userFolder, logFile, readyMs } = p;
			return { name: n, kind, pid, alive: !p.exited && alive(pid), url, healthUrl, port, healthPort, brokerPort, userFolder, logFile, readyMs };
		},
		/** Rows of a SELECT on the rig's database (psql, json_agg), e.g. pgQuery('select * from webhook_entity'). */
		pgQuery: q,

		/**
		 * POST (or `method`) to `${base}/webhook/${path}` where base is a process name ('webhook-2', 'main') or a URL.
		 * @returns {Promise<{ status: number, json: any, text: string }>}
		 */
		webhook(/** @type {string} */ target, /** @type {string} */ webhookPath, /** @type {unknown} */ body, /** @type {{ method?: string, headers?: Record<string, string>, query?: string }} */ options = {}) {
			return harness.callWebhook(/^https?:/.test(target) ? target : get(target).url, webhookPath, body, options);
		},

		/**
		 * Executions from Postgres, oldest first: { id, workflowId, mode, status, finished, startedAt, stoppedAt, waitTill,
		 * deduplicationKey (when the column exists), data } — `data` is the raw flatted text of execution_data (use
		 * taskIdsOf / executionData). `withData: false` skips it.
		 * @param {{ workflowId?: string, withData?: boolean }} [filter]
		 * @returns {Array<{ id: number, workflowId: string, mode: string, status: string, finished: boolean, startedAt: string, stoppedAt: string | null, waitTill: string | null, deduplicationKey?: string | null, data?: string }>}
		 */
		executions({ workflowId, withData = true } = {}) {
			const where = workflowId ? ` where e."workflowId" = ${sqlString(workflowId)}` : '';
			const data = withData ? ', d.data' : '';
			return q(
				`select e.id, e."workflowId", e.mode, e.status, e.finished, e."startedAt", e."stoppedAt", e."waitTill"${dedupColumn}${data} from execution_entity e left join execution_data d on d."executionId" = e.id${where} order by e.id`,
			);
		},
		/** Decoded execution data (IRunExecutionData, flatted) of one execution. */
		executionData(/** @type {number | string} */ executionId) {
			const rows = q(`select data from execution_data where "executionId" = ${Number(executionId)}`);
			return rows[0] ? loadFlatted(rig.runtime.n8nDir).parse(rows[0].data) : undefined;
		},
		/**
		 * Task ids an execution row mentions: scans its raw data text with `pattern` (a global RegExp; default: 15-20
		 * digit numbers, the simulator's and Kling's task ids), or, given an array of known ids, returns those it contains.
		 * @param {{ data?: string }} row
		 * @param {RegExp | string[]} [pattern]
		 * @returns {string[]}
		 */
		taskIdsOf(row, pattern = TASK_ID_PATTERN) {
			const text = row.data ?? '';
			if (Array.isArray(pattern)) return pattern.filter((id) => text.includes(`"${id}"`) || new RegExp(`(?<![\\d.])${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\d.])`).test(text));
			const re = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
			return [...new Set([...text.matchAll(re)].map((m) => m[1] ?? m[0]))];
		},
		/**
		 * Wait until `count` executions (of the workflow) have a final status; returns them (without data unless asked).
		 * @param {{ workflowId?: string, count: number, timeoutMs?: number, withData?: boolean }} args
		 */
		async waitForExecutions({ workflowId, count, timeoutMs = 60_000, withData = false }) {
			return waitUntil(
				() => {
					const rows = api.executions({ workflowId, withData }).filter((e) => !['new', 'running', 'waiting'].includes(e.status));
					return rows.length >= count ? rows : undefined;
				},
				{ timeoutMs, intervalMs: 500, message: () => `expected ${count} finished execution(s)${workflowId ? ` of ${workflowId}` : ''}; have ${JSON.stringify(api.executions({ workflowId, withData: false }))}` },
			);
		},
		/** The worker whose log says "Worker started execution <id>", or undefined. */
		workerOf(/** @type {number | string} */ executionId) {
			const re = new RegExp(`Worker started execution ${Number(executionId)} \\(job`);
			return [...rig.procs.values()].find((p) => p.kind === 'worker' && re.test(readLog(p.logFile)))?.name;
		},
		/** Workflow static data as stored in Postgres. */
		staticData(/** @type {string} */ workflowId) {
			const raw = q(`select "staticData" from workflow_entity where id = ${sqlString(workflowId)}`)[0]?.staticData;
			return typeof raw === 'string' ? JSON.parse(raw) : raw;
		},
		/** webhook_entity rows of a workflow: { webhookPath, method, node, webhookId, pathLength }. */
		webhookRows(/** @type {string} */ workflowId) {
			return q(`select "webhookPath", method, node, "webhookId", "pathLength" from webhook_entity where "workflowId" = ${sqlString(workflowId)}`);
		},
		/** Wait until the workflow has at least `count` webhook_entity rows (production webhooks registered). */
		async waitForWebhookRegistered(/** @type {string} */ workflowId, /** @type {{ count?: number, timeoutMs?: number }} */ { count = 1, timeoutMs = 60_000 } = {}) {
			return waitUntil(() => (api.webhookRows(workflowId).length >= count ? api.webhookRows(workflowId) : undefined), {
				timeoutMs,
				intervalMs: 500,
				message: () => `workflow ${workflowId} has no registered webhook after ${timeoutMs} ms`,
			});
		},
		/** Wait until the main has activated these published workflows (publication outbox 'completed' after `since`). */
		waitForActivation: (/** @type {string[]} */ ids, /** @type {{ since?: number, timeoutMs?: number }} */ { since = 0, timeoutMs } = {}) => waitForActivation(rig, ids, since, { timeoutMs }),
		/**
		 * Import (and publish) more credentials/workflows while the rig runs; waits until the main activated them (its
		 * publication reconciler picks them up within ~10 s).
		 * @param {{ credentials?: any[], workflows?: any[], publish?: string[] }} args
		 */
		async importAndPublish({ credentials, workflows = [], publish }) {
			const ids = publish ?? workflows.map((w) => w.id);
			const before = outboxHighWater(rig);
			await importAndPublish(rig, rig.procs.get('main'), { credentials, workflows, publish: ids });
			rig.publish.push(...ids.filter((id) => !rig.publish.includes(id)));
			if (ids.length) await waitForActivation(rig, ids, before);
		},

		/** The process's log so far / its last `n` lines / processes whose log matches `re`. */
		log: (/** @type {string} */ name) => readLog(get(name).logFile),
		logTail: (/** @type {string} */ name, /** @type {number} */ n = 40) => tail(readLog(get(name).logFile), n),
		logsMatching: (/** @type {RegExp} */ re) => [...rig.procs.values()].filter((p) => re.test(readLog(p.logFile))).map((p) => p.name),
		/** Wait for a line matching `re` in one process's log (after `since` characters). */
		async waitForLog(/** @type {string} */ name, /** @type {RegExp} */ re, /** @type {{ timeoutMs?: number, since?: number }} */ { timeoutMs = 30_000, since = 0 } = {}) {
			const p = get(name);
			return waitUntil(() => re.exec(readLog(p.logFile).slice(since)), { timeoutMs, message: () => `${name}: log never matched ${re}; tail:\n${tail(readLog(p.logFile))}` });
		},

		/** SIGKILL the whole process group (n8n + its task runner) of one process; resolves once it is gone. */
		async kill9(/** @type {string} */ name) {
			const p = get(name);
			await stopProc(p, { kill: true, graceMs: 10_000 });
			progress(`${name}: kill -9`);
		},
		/**
		 * Stop one process (SIGTERM, graceful, as a service manager would; `kill: true` for SIGKILL), wait `downtimeMs`,
		 * start it again with the same user folder, ports and env, wait for health (and, for the main, for the
		 * re-activation of workflows with in-memory triggers).
		 * @param {string} name
		 * @param {{ kill?: boolean, downtimeMs?: number }} [options]
		 */
		async restart(name, { kill = false, downtimeMs = 0 } = {}) {
			const p = get(name);
			const reactivate = p.kind === 'main' ? reactivatedOnRestart(rig) : [];
			const before = p.kind === 'main' ? outboxHighWater(rig) : undefined;
			if (!p.exited && alive(p.pid)) await stopProc(p, { kill, graceMs: 30_000 });
			if (downtimeMs) await sleep(downtimeMs);
			await timed(`restart ${name}`, async () => {
				launch(p);
				await waitHealthy(p);
				if (reactivate.length) await waitForActivation(rig, reactivate, before);
			});
		},
		/** Start a process that was stopped or killed (no-op wait if it runs). */
		async start(/** @type {string} */ name) {
			const p = get(name);
			if (!p.exited && alive(p.pid)) return;
			launch(p);
			await waitHealthy(p);
		},
		/**
		 * Resident memory in MB per process group (n8n + its task runner), plus Redis and the whole Postgres cluster
		 * (shared by the rigs of this jest process), from `ps`.
		 * @returns {Record<string, number>}
		 */
		memoryMb() {
			/** @type {Record<string, number>} */
			const out = {};
			const groups = [...[...rig.procs.values()].map((p) => [p.name, p.pid]), ['redis', rig.redis.entry.pid], ['postgres', rig.pg.pid]];
			const table = spawnSync('ps', ['-e', '-o', 'pgid=,rss='], { encoding: 'utf8' })
				.stdout.trim()
				.split('\n')
				.map((l) => l.trim().split(/\s+/).map(Number));
			for (const [name, pid] of groups) {
				if (!alive(pid)) continue;
				out[name] = Math.round(table.filter(([pgid]) => pgid === pid).reduce((sum, [, rss]) => sum + rss, 0) / 1024);
			}
			return out;
		},
		/**
		 * Stop everything: SIGKILL to every n8n process group (`graceful: true`: SIGTERM first), Redis, drop the database,
		 * and the Postgres cluster when no rig of this process uses it. `keep: true` (or KLING_E2E_KEEP=1) keeps the rig
		 * folder and the database.
		 */
		stop: (/** @type {{ keep?: boolean, graceful?: boolean }} */ options = {}) => stopRig(rig, options),
	};
	return api;
}

module.exports = { ensureQueueServices, startQueueRig, TASK_ID_PATTERN };
