#!/usr/bin/env node
/**
 * `npm run demo`: the package in a real n8n, end to end, without a Kling account.
 *
 *   npm run demo                  keyless: local Kling simulator, n8n left open at a printed URL until Ctrl-C
 *   npm run demo -- --once        run the flows, print what happened, exit 0 if every expected outcome happened
 *   npm run demo -- --fast        shorter simulated task times (what the test uses)
 *   npm run demo -- --port 0      n8n on a free port (default 5678 when free)
 *   npm run demo -- --out DIR     where result files are saved (default ./demo-output)
 *   npm run demo -- --live        real Kling API: KLING_ACCESS_KEY, KLING_SECRET_KEY, PUBLIC_WEBHOOK_URL (https),
 *                                 optional KLING_REGION (global | china | globalLegacy). Uses your credits.
 *
 * What it does: builds and packs the package, starts the Kling simulator, starts n8n 2.40.7 (test/e2e/harness) with
 * the package installed from the tarball, imports the credential "Kling AI account" and the example workflows from
 * examples/ (templated with this n8n's URL), publishes the receiving workflow, then runs the flows and reports.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ensureInstall } from '../tools/ensure-install.mjs';

// A fresh clone: install node_modules from package-lock.json before anything below needs it.
if (!ensureInstall()) process.exit(1);

const require = createRequire(import.meta.url);
const harness = require('../e2e/harness/n8n.js');
const { startSimulator } = require('../simulator');

const REPO = harness.REPO;
// KLING_DEMO_EXAMPLES_DIR: run the demo on edited copies of the examples (development of the examples).
const EXAMPLES = process.env.KLING_DEMO_EXAMPLES_DIR ? path.resolve(process.env.KLING_DEMO_EXAMPLES_DIR) : path.join(REPO, 'examples');
const T0 = Date.now();

// ------------------------------------------------------------------ arguments ------------------------------------------

const USAGE = `Usage: npm run demo -- [--once] [--fast] [--port N] [--out DIR] [--live [--yes]] [--keep]
  --once        run the demo flows, then stop everything; exit 0 only if every expected outcome happened
  --fast        short simulated task times (processing after 0.3 s, finished after 1 s)
  --port N      n8n port (default 5678 if free, else a free port; 0 = a free port)
  --out DIR     folder for downloaded result files (default ./demo-output)
  --keep        keep n8n's throwaway user folder (database, logs) after stopping
  --live        use the REAL Kling API (costs credits). Needs KLING_ACCESS_KEY, KLING_SECRET_KEY and
                PUBLIC_WEBHOOK_URL (an https URL forwarded to this n8n, for callbacks); KLING_REGION optional
  --yes         live mode: do not wait 10 s before creating paid tasks`;

let args;
try {
	args = parseArgs({
		options: {
			once: { type: 'boolean', default: false },
			fast: { type: 'boolean', default: false },
			port: { type: 'string' },
			out: { type: 'string' },
			keep: { type: 'boolean', default: false },
			live: { type: 'boolean', default: false },
			yes: { type: 'boolean', default: false },
			help: { type: 'boolean', default: false },
		},
		strict: true,
	}).values;
} catch (error) {
	process.stderr.write(`${error.message}\n${USAGE}\n`);
	process.exit(2);
}
if (args.help) {
	process.stdout.write(`${USAGE}\n`);
	process.exit(0);
}

// ------------------------------------------------------------------ output ---------------------------------------------

const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;
const elapsed = () => secs(Date.now() - T0);
const say = (line = '') => process.stdout.write(`${line}\n`);
let stepNo = 0;
let STEPS = 7; // live mode skips the dropped-callback step
const step = (title) => say(`\n[${++stepNo}/${STEPS}] ${title}  (${elapsed()})`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every outcome the demo expects; --once exits non-zero when one did not happen. */
const outcomes = [];
function outcome(ok, text, detail) {
	outcomes.push({ ok, text });
	say(`  ${ok ? '✔' : '✘'} ${text}`);
	if (detail) for (const line of [].concat(detail)) say(`      ${line}`);
	return ok;
}
const note = (text) => say(`    ${text}`);

// ------------------------------------------------------------------ live mode: refuse without the settings ------------

const LIVE_REGIONS = ['global', 'china', 'globalLegacy'];
let live;
if (args.live) {
	const env = process.env;
	const missing = ['KLING_ACCESS_KEY', 'KLING_SECRET_KEY', 'PUBLIC_WEBHOOK_URL'].filter((k) => !env[k] || !env[k].trim());
	const problems = missing.map((k) => `${k} is not set`);
	const region = (env.KLING_REGION || 'global').trim();
	if (!LIVE_REGIONS.includes(region)) problems.push(`KLING_REGION must be one of ${LIVE_REGIONS.join(', ')} (got "${region}")`);
	const publicUrl = (env.PUBLIC_WEBHOOK_URL || '').trim().replace(/\/+$/, '');
	if (publicUrl && !(URL.canParse(publicUrl) && new URL(publicUrl).protocol === 'https:')) {
		problems.push(`PUBLIC_WEBHOOK_URL must be an https URL that reaches this n8n from the internet (got "${publicUrl}")`);
	}
	if (problems.length) {
		process.stderr.write(
			`Live mode refused: ${problems.join('; ')}.\n\n` +
				'Live mode talks to the real Kling API and COSTS CREDITS. It needs:\n' +
				'  KLING_ACCESS_KEY, KLING_SECRET_KEY   your Kling API keys\n' +
				`  KLING_REGION                         ${LIVE_REGIONS.join(' | ')} (default global)\n` +
				'  PUBLIC_WEBHOOK_URL                   a public https URL forwarded to the local n8n (e.g. a tunnel),\n' +
				'                                       so Kling can call back; n8n gets it as WEBHOOK_URL\n' +
				'Without a Kling account, run `npm run demo` (keyless, local simulator).\n',
		);
		process.exit(2);
	}
	live = { accessKey: env.KLING_ACCESS_KEY.trim(), secretKey: env.KLING_SECRET_KEY.trim(), region, publicUrl };
	STEPS = 6;
}

// ------------------------------------------------------------------ workflows --------------------------------------------

const CREDENTIAL = { id: 'klingDemoCredential', name: 'Kling AI account' };
const WF = {
	receive: { file: 'kling-callback-with-poll-fallback.json', id: 'klingDemoReceive01' },
	create: { file: 'kling-create-text-to-video.json', id: 'klingDemoCreate001' },
	createFails: { file: 'kling-create-text-to-video.json', id: 'klingDemoCreateFail' },
	wait: { file: 'kling-create-and-wait.json', id: 'klingDemoWait00001' },
};
const TYPES = harness.NODE_TYPES;
const MANUAL_TRIGGER = 'n8n-nodes-base.manualTrigger';
const FAIL_PROMPT = 'sim:fail A paper boat sailing through a storm (the simulator fails this task on purpose)';

const readExample = (file) => JSON.parse(fs.readFileSync(path.join(EXAMPLES, file), 'utf8'));
const nodeOfType = (wf, type) => wf.nodes.find((n) => n.type === type);

/**
 * Which examples this build can run: every Kling node's type is in dist/ and every parameter it sets exists in the
 * node's description (a feature still being built is reported and skipped, and counts as a missing outcome).
 */
function availability(files, tarball) {
	// Read the node descriptions from the tarball n8n gets (unpacked under test/.tmp, so n8n-workflow resolves).
	const unpacked = path.join(REPO, 'test', '.tmp', `demo-package-${process.pid}`);
	fs.rmSync(unpacked, { recursive: true, force: true });
	fs.mkdirSync(unpacked, { recursive: true });
	const tar = spawnSync('tar', ['-xzf', tarball, '-C', unpacked], { encoding: 'utf8' });
	if (tar.status !== 0) throw new Error(`cannot unpack ${tarball}: ${tar.stderr}`);
	const descriptions = new Map();
	const load = (type) => {
		if (!descriptions.has(type)) {
			const short = type.split('.').pop();
			const className = short.charAt(0).toUpperCase() + short.slice(1);
			const file = path.join(unpacked, 'package', 'dist', 'nodes', 'KlingAi', `${className}.node.js`);
			let description;
			if (fs.existsSync(file)) description = new (require(file)[className])().description;
			descriptions.set(type, description);
		}
		return descriptions.get(type);
	};
	const result = {};
	for (const file of files) {
		if (!fs.existsSync(path.join(EXAMPLES, file))) {
			result[file] = `examples/${file} does not exist yet`;
			continue;
		}
		const wf = readExample(file);
		let problem;
		for (const node of wf.nodes.filter((n) => n.type.startsWith(`${harness.PACKAGE_NAME}.`))) {
			const description = load(node.type);
			if (!description) {
				problem = `node ${node.type} is not built yet`;
				break;
			}
			const names = new Set(description.properties.map((p) => p.name));
			if (description.polling) names.add('pollTimes');
			const unknown = Object.keys(node.parameters).filter((k) => !names.has(k));
			if (unknown.length) {
				problem = `${node.type} has no parameter ${unknown.join(', ')} yet`;
				break;
			}
		}
		result[file] = problem ?? true;
	}
	fs.rmSync(unpacked, { recursive: true, force: true });
	return result;
}

/** The examples as this n8n gets them: fixed ids, the callback URL of this n8n, executions saved. */
function templateWorkflows({ callbackBase, available }) {
	const settings = { executionOrder: 'v1', saveManualExecutions: true, saveDataSuccessExecution: 'all', saveDataErrorExecution: 'all' };
	const out = [];
	const receive = readExample(WF.receive.file);
	const trigger = nodeOfType(receive, TYPES.trigger);
	const callbackUrl = `${callbackBase}/webhook/${trigger.webhookId}/webhook`;
	out.push({ ...receive, id: WF.receive.id, active: false, settings: { ...receive.settings, ...settings } });

	const create = readExample(WF.create.file);
	const setCallback = (wf) => {
		const action = nodeOfType(wf, TYPES.action);
		action.parameters.callbackUrl = callbackUrl;
		return action;
	};
	setCallback(create);
	out.push({ ...create, id: WF.create.id, active: false, settings: { ...create.settings, ...settings } });
	if (!live) {
		const fails = readExample(WF.createFails.file);
		setCallback(fails).parameters.prompt = FAIL_PROMPT;
		out.push({ ...fails, id: WF.createFails.id, name: `[demo] ${fails.name} — fails on purpose (sim:fail)`, active: false, settings: { ...fails.settings, ...settings } });
	}
	if (available[WF.wait.file] === true) {
		const wait = readExample(WF.wait.file);
		out.push({ ...wait, id: WF.wait.id, active: false, settings: { ...wait.settings, ...settings } });
	}
	return { workflows: out, callbackUrl };
}

/** Drop the Poll Trigger from the receiving workflow when this build has none (reported as skipped). */
function withoutPollTrigger(wf) {
	const poll = nodeOfType(wf, TYPES.pollTrigger);
	if (!poll) return wf;
	const connections = { ...wf.connections };
	delete connections[poll.name];
	return { ...wf, nodes: wf.nodes.filter((n) => n !== poll), connections };
}

// ------------------------------------------------------------------ n8n helpers ----------------------------------------

async function portIsFree(port) {
	return new Promise((resolve) => {
		const srv = net.createServer();
		srv.once('error', () => resolve(false));
		srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
	});
}

async function choosePort() {
	if (args.port !== undefined) {
		const port = Number(args.port);
		if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port: not a port number: ${args.port}`);
		if (port === 0) return harness.freePort();
		if (!(await portIsFree(port))) throw new Error(`--port ${port}: the port is in use`);
		return port;
	}
	if (await portIsFree(5678)) return 5678;
	const port = await harness.freePort();
	note(`port 5678 is in use; n8n gets port ${port}`);
	return port;
}

const BROWSER_ID = 'kling-demo-browser';
/** Our own owner session (the harness keeps its cookie private): needed to download binary data. */
async function login(n8n) {
	const res = await fetch(`${n8n.url}/rest/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'browser-id': BROWSER_ID },
		body: JSON.stringify({ emailOrLdapLoginId: harness.OWNER.email, email: harness.OWNER.email, password: harness.OWNER.password }),
	});
	const cookie = (res.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).find((c) => c.startsWith('n8n-auth='));
	if (res.status !== 200 || !cookie) throw new Error(`login as the owner failed: HTTP ${res.status}`);
	return cookie;
}

/** The editor's "Execute workflow" button: a manual run from the Manual Trigger of a stored workflow. */
async function runManually(n8n, workflowId) {
	const wf = n8n.workflows.get(workflowId);
	const manual = wf.nodes.find((n) => n.type === MANUAL_TRIGGER);
	const res = await n8n.rest('POST', `/rest/workflows/${workflowId}/run`, { triggerToStartFrom: { name: manual.name } });
	const executionId = res.json?.data?.executionId ?? res.json?.executionId;
	if (res.status !== 200 || !executionId) throw new Error(`could not start workflow ${workflowId}: HTTP ${res.status} ${res.text.slice(0, 300)}`);
	return String(executionId);
}

const FINAL = new Set(['success', 'error', 'crashed', 'canceled']);
async function waitForExecution(n8n, workflowId, executionId, { timeoutMs, onWaiting } = {}) {
	let sawWaiting = false;
	return harness.waitUntil(
		() => {
			const row = n8n.executions(workflowId).find((e) => String(e.id) === String(executionId));
			if (row?.status === 'waiting' && !sawWaiting) {
				sawWaiting = true;
				onWaiting?.(row);
			}
			return row && FINAL.has(row.status) ? { ...row, sawWaiting } : undefined;
		},
		{ timeoutMs, intervalMs: 400, message: () => `execution ${executionId} of ${workflowId} did not finish within ${secs(timeoutMs)}` },
	);
}

const runDataOf = (data) => data?.resultData?.runData ?? {};
/** Items on each output of a node's first run: [[...output 0], [...output 1], ...]. */
const outputsOf = (data, nodeName) => runDataOf(data)[nodeName]?.[0]?.data?.main ?? [];
const errorOf = (data) => {
	const e = data?.resultData?.error;
	return e ? `${e.message}${e.description ? ` — ${e.description}` : ''}` : undefined;
};

/** Executions of the receiving workflow, decoded once each, as "which task came out where". */
function receiverIndex(n8n, receiveWf, sim) {
	const cache = new Map();
	const triggers = receiveWf.nodes.filter((n) => n.type === TYPES.trigger || n.type === TYPES.pollTrigger);
	const outputNames = ['Succeeded', 'Failed', 'Progress'];
	return {
		/** [{ executionId, mode, status, via, trigger, output, item, binary, downstream }] for every emitted task item. */
		deliveries() {
			const out = [];
			for (const row of n8n.executions(WF.receive.id)) {
				if (!FINAL.has(row.status)) continue;
				if (!cache.has(row.id)) cache.set(row.id, n8n.executionData(row.id));
				const data = cache.get(row.id);
				for (const trigger of triggers) {
					outputsOf(data, trigger.name).forEach((items, index) => {
						for (const item of items ?? []) {
							// Nodes that ran after the trigger, in execution order (runData keeps insertion order).
							const downstream = Object.keys(runDataOf(data)).filter((name) => !triggers.some((t) => t.name === name));
							out.push({
								executionId: row.id,
								mode: row.mode,
								status: row.status,
								// The Kling AI Trigger hands callbacks to the Poll Trigger of its process (one keyed execution),
								// so a Poll Trigger execution came from a callback when the simulator delivered one.
								via: trigger.type === TYPES.trigger || deliveredCallback(sim, item.json?.taskId) ? 'callback' : 'poll',
								trigger: trigger.type === TYPES.pollTrigger && deliveredCallback(sim, item.json?.taskId) ? `Kling AI Trigger → ${trigger.name}` : trigger.name,
								output: outputNames[index] ?? `output ${index}`,
								item: item.json,
								binary: item.binary,
								downstream,
								at: Date.parse(row.stoppedAt ?? row.startedAt),
							});
						}
					});
				}
			}
			return out;
		},
		of(taskId) {
			return this.deliveries().filter((d) => d.item?.taskId === taskId);
		},
	};
}

/** Whether the simulator delivered a final callback of the task (unknown without the simulator: false). */
function deliveredCallback(sim, taskId) {
	return !!sim && sim.callbacks.some((c) => c.taskId === taskId && c.delivered && ['succeed', 'failed'].includes(c.status));
}

/** A binary property of an execution item → bytes (n8n's binary-data store, or inline base64). */
async function readBinary(n8n, cookie, binary) {
	if (binary.id) {
		const res = await fetch(`${n8n.url}/rest/binary-data?id=${encodeURIComponent(binary.id)}&action=download`, {
			headers: { cookie, 'browser-id': BROWSER_ID },
		});
		if (res.status !== 200) throw new Error(`GET /rest/binary-data: HTTP ${res.status}`);
		return Buffer.from(await res.arrayBuffer());
	}
	if (typeof binary.data === 'string') return Buffer.from(binary.data, 'base64');
	throw new Error('the binary property has neither an id nor inline data');
}

const isMp4 = (buf) => buf.length > 12 && buf.subarray(4, 8).toString('latin1') === 'ftyp';
const kb = (n) => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${(n / 1024).toFixed(1)} KB`);

// ------------------------------------------------------------------ main ------------------------------------------------

let sim;
let n8n;
let stopping = false;

async function stopAll(code) {
	if (stopping) return;
	stopping = true;
	say(`\nStopping n8n and the simulator ...`);
	try {
		await n8n?.stop({ keep: args.keep });
	} catch (error) {
		say(`  (n8n stop: ${error.message})`);
	}
	try {
		await sim?.close();
	} catch {
		// already closed
	}
	say(`Stopped (${elapsed()}).`);
	process.exit(code);
}

async function main() {
	const simTimings = args.fast ? { toProcessingMs: 300, toFinishMs: 1000 } : { toProcessingMs: 1500, toFinishMs: 5000 };
	say(
		live
			? '\nKling AI for n8n — LIVE demo against the real Kling API. THIS COSTS CREDITS.'
			: '\nKling AI for n8n — keyless demo: a local Kling simulator plays the Kling API (no account, no credits).',
	);
	say(`Runs n8n ${process.env.KLING_E2E_N8N_VERSION || '2.40.7'} with this package installed from its npm tarball, imports the example workflows from examples/ and runs them.`);

	// 1. build + pack ---------------------------------------------------------------------------------------------------
	step('Build and pack the package (npm run build + npm pack; reused while the sources are unchanged)');
	const tarball = process.env.KLING_E2E_TARBALL || (await harness.packPackage());
	note(`package tarball: ${tarball}`);
	const available = availability([WF.receive.file, WF.create.file, WF.wait.file], tarball);
	// Without a Poll Trigger in this build the receiving workflow runs with the Kling AI Trigger alone.
	const pollReady = available[WF.receive.file] === true;
	if (!pollReady && !/klingAiPollTrigger/.test(String(available[WF.receive.file]))) throw new Error(`examples/${WF.receive.file}: ${available[WF.receive.file]}`);
	if (available[WF.create.file] !== true) throw new Error(`examples/${WF.create.file}: ${available[WF.create.file]}`);
	for (const [file, state] of Object.entries(available)) if (state !== true) note(`not in this build yet: ${file} (${state}) — that part is skipped`);

	// 2. simulator --------------------------------------------------------------------------------------------------------
	step(live ? 'Kling API: the real one' : 'Start the Kling simulator');
	let credentialData;
	if (live) {
		credentialData = { authType: 'accessKey', accessKey: live.accessKey, secretKey: live.secretKey, region: live.region, webhookSecret: '' };
		note(`region ${live.region}; callbacks go to ${live.publicUrl} (forward it to this n8n)`);
	} else {
		sim = await startSimulator({ port: 0, timings: simTimings });
		credentialData = {
			authType: 'accessKey',
			accessKey: sim.options.accessKey,
			secretKey: sim.options.secretKey,
			region: 'custom',
			customBaseUrl: sim.url,
			webhookSecret: '',
		};
		note(`simulator at ${sim.url} (test keys ${sim.options.accessKey} / ${sim.options.secretKey}); tasks: processing after ${secs(simTimings.toProcessingMs)}, finished after ${secs(simTimings.toFinishMs)}`);
	}

	// 3. n8n --------------------------------------------------------------------------------------------------------------
	step('Start n8n with the package, the credential "Kling AI account" and the example workflows (first run installs n8n: a few minutes)');
	const port = await choosePort();
	let prepared;
	n8n = await harness.startN8n({
		tarball,
		port,
		env: live ? { WEBHOOK_URL: `${live.publicUrl}/`, N8N_WEBHOOK_URL: `${live.publicUrl}/` } : {},
		credentials: [{ ...CREDENTIAL, type: harness.CREDENTIAL_TYPE, data: credentialData }],
		workflows: ({ url }) => {
			prepared = templateWorkflows({ callbackBase: live ? live.publicUrl : url, available });
			if (!pollReady) prepared.workflows[0] = withoutPollTrigger(prepared.workflows[0]);
			return prepared.workflows;
		},
		publish: [WF.receive.id],
	});
	n8n.workflows = new Map(prepared.workflows.map((w) => [w.id, w]));
	const receiveWf = n8n.workflows.get(WF.receive.id);
	note(`n8n ${n8n.runtime.n8nVersion} is up at ${n8n.url} (user folder ${n8n.userFolder})`);
	note(`published "${receiveWf.name}"; the Kling AI Trigger's Production URL is ${prepared.callbackUrl}`);
	const cookie = await login(n8n);

	const credTest = await n8n.testCredential({ id: CREDENTIAL.id });
	if (!outcome(credTest.status === 'OK', `credential "Kling AI account" tests OK against ${live ? 'the Kling API' : 'the simulator'}`, credTest.status === 'OK' ? undefined : credTest.message)) {
		throw new Error('the credential test failed; nothing else can work');
	}

	if (live && !args.yes) {
		say('\n  The next steps create 2 real Kling video tasks (kling-v2-5-turbo, 5 s) on your account: this uses credits.');
		say('  Press Ctrl-C within 10 s to stop.');
		await sleep(10_000);
	}

	const receivers = receiverIndex(n8n, receiveWf, sim);
	const taskTimeoutMs = live ? 30 * 60_000 : 60_000;
	const created = [];

	/** Run a create workflow manually and return the created task item. */
	async function createTask(workflowId, label) {
		const wf = n8n.workflows.get(workflowId);
		const action = nodeOfType(wf, TYPES.action);
		const started = Date.now();
		const executionId = await runManually(n8n, workflowId);
		const row = await waitForExecution(n8n, workflowId, executionId, { timeoutMs: 60_000 });
		const data = n8n.executionData(executionId);
		const item = outputsOf(data, action.name)[0]?.[0]?.json;
		if (row.status !== 'success' || !item?.taskId) {
			outcome(false, `${label}: the workflow did not create a task (execution ${executionId}: ${row.status})`, errorOf(data));
			return undefined;
		}
		created.push({ taskId: item.taskId, started });
		outcome(true, `${label}: task ${item.taskId} created (execution ${executionId}, status ${item.status})`, [
			`prompt: "${action.parameters.prompt}"`,
			`external task ID: ${item.externalTaskId}`,
		]);
		return { item, started };
	}

	/** The first delivery of a task to the receiving workflow, or undefined after `timeoutMs`. */
	async function waitForDelivery(taskId, { timeoutMs = taskTimeoutMs } = {}) {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const found = receivers.of(taskId)[0];
			if (found || Date.now() > deadline) return found;
			await sleep(500);
		}
	}

	const describeDelivery = (d, started) =>
		`${d.via === 'callback' ? 'Kling called back →' : 'the poll found it →'} ${d.trigger} → ${d.output} → ${d.downstream.join(' → ') || '(no next step ran)'}` +
		` (execution ${d.executionId}, mode ${d.mode}, ${secs(d.at - started)} after the create)`;

	// 4. create with callback: one succeeds, one fails -------------------------------------------------------------------
	step('Create tasks with Callback = Kling AI Trigger (workflow "' + n8n.workflows.get(WF.create.id).name + '")');
	const ok = await createTask(WF.create.id, 'Create (should succeed)');
	if (ok) {
		note('waiting for Kling to finish the task and call back ...');
		const d = await waitForDelivery(ok.item.taskId);
		if (outcome(!!d && d.via === 'callback' && d.output === 'Succeeded', `task ${ok.item.taskId}: ${d ? describeDelivery(d, ok.started) : 'no delivery'}`)) {
			const video = d.item.videos?.[0];
			const file = d.binary?.data;
			note(`video ${video?.url}${file ? `; the trigger downloaded it into binary "data" (${file.fileName}, ${file.fileSize ?? '?'})` : ''}`);
		}
	}
	if (!live) {
		const bad = await createTask(WF.createFails.id, 'Create (fails on purpose: "sim:fail" in the prompt)');
		if (bad) {
			const d = await waitForDelivery(bad.item.taskId);
			if (outcome(!!d && d.via === 'callback' && d.output === 'Failed', `task ${bad.item.taskId}: ${d ? describeDelivery(d, bad.started) : 'no delivery'}`)) {
				note(`Kling's reason: "${d.item.statusMessage}"`);
			}
		}
	}

	// 5. a dropped callback, recovered by the poll trigger ----------------------------------------------------------------
	let dropped;
	if (!live) {
		step('Drop a callback: the simulator "loses" every callback of the next task; the Kling AI Poll Trigger must find it');
		if (!pollReady) {
			outcome(false, `skipped: ${available[WF.receive.file]}`);
		} else {
			sim.setOptions({ callbacks: { drop: 1 } });
			const lost = await createTask(WF.create.id, 'Create (its callbacks will be dropped)');
			if (lost) {
				await sim.waitFor(() => sim.callbacks.some((c) => c.taskId === lost.item.taskId && c.dropped && ['succeed', 'failed'].includes(c.status)), 60_000);
				sim.setOptions({ callbacks: { drop: 0 } });
				const statuses = sim.callbacks.filter((c) => c.taskId === lost.item.taskId && c.dropped).map((c) => c.status);
				note(`the simulator dropped ${statuses.length} callback(s) of task ${lost.item.taskId} (${statuses.join(', ')}): n8n never heard of it`);
				note('the Poll Trigger polls once a minute (its Poll Every setting); its result is checked after the next step');
				dropped = lost;
			} else {
				sim.setOptions({ callbacks: { drop: 0 } });
			}
		}
	}

	// 6. create and wait ----------------------------------------------------------------------------------------------
	let waited;
	step('Create and wait: one workflow creates the task and continues with the result (Wait for Completion: callback, then poll)');
	if (available[WF.wait.file] !== true) {
		outcome(false, `skipped: ${available[WF.wait.file]}`);
	} else {
		const wf = n8n.workflows.get(WF.wait.id);
		const action = nodeOfType(wf, TYPES.action);
		const started = Date.now();
		const executionId = await runManually(n8n, WF.wait.id);
		note(`execution ${executionId} started ("${wf.name}")`);
		const row = await waitForExecution(n8n, WF.wait.id, executionId, {
			timeoutMs: taskTimeoutMs + 60_000,
			onWaiting: () => note(`execution ${executionId} is waiting (n8n released it; Kling's callback resumes it) ...`),
		});
		const data = n8n.executionData(executionId);
		const [succeeded = [], failed = []] = outputsOf(data, action.name);
		const item = succeeded[0] ?? failed[0];
		const where = succeeded.length ? 'Succeeded' : failed.length ? 'Failed' : 'no output';
		const next = Object.keys(runDataOf(data)).filter((name) => !wf.nodes.find((n) => n.name === name && (n.type === MANUAL_TRIGGER || n.name === action.name)));
		const okWait = row.status === 'success' && where === 'Succeeded' && !!item?.json?.taskId;
		outcome(
			okWait,
			okWait
				? `task ${item.json.taskId}: ${action.name} → ${where} → ${next.join(' → ') || '(no next step)'} (execution ${executionId}, ${row.sawWaiting ? 'waited and resumed, ' : ''}${secs(Date.now() - started)})`
				: `create and wait did not end on Succeeded (execution ${executionId}: ${row.status}, ${where})`,
			okWait ? undefined : errorOf(data),
		);
		if (sim && item?.json?.taskId) {
			const resumeCalls = sim.callbacks.filter((c) => c.taskId === item.json.taskId && c.delivered && /\/webhook-waiting\//.test(c.url));
			if (resumeCalls.length) {
				const url = new URL(resumeCalls[0].url);
				note(`Kling called this execution's resume URL (${url.pathname}) ${resumeCalls.length} time(s): ${resumeCalls.map((c) => `${c.status} → HTTP ${c.statusCode}`).join(', ')}`);
			}
		}
		if (item?.json?.taskId) created.push({ taskId: item.json.taskId, started, viaWait: true });
		if (okWait) waited = { item: item.json, binary: item.binary };
	}

	// 5b. the poll trigger's recovery -------------------------------------------------------------------------------------
	if (dropped) {
		say(`\n  Back to the dropped callback of task ${dropped.item.taskId} (${elapsed()}):`);
		note('waiting for the Kling AI Poll Trigger\'s next run (at most about a minute) ...');
		const d = await waitForDelivery(dropped.item.taskId, { timeoutMs: 150_000 });
		outcome(!!d && d.via === 'poll' && d.output === 'Succeeded', `task ${dropped.item.taskId}: ${d ? describeDelivery(d, dropped.started) : 'not recovered by the poll trigger within 150 s'}`);
	}

	// exactly once ------------------------------------------------------------------------------------------------------
	if (pollReady) {
		// Give the poll trigger a moment to (wrongly) emit something again, then count.
		await sleep(args.fast ? 1_500 : 3_000);
	}
	// Tasks created for the receiving workflow arrive there exactly once; a task the wait workflow handles itself
	// never does (the Poll Trigger only takes External Task IDs with the creating example's prefix).
	const perTask = created.map((c) => {
		const deliveries = receivers.of(c.taskId);
		return { ...c, deliveries, expected: c.viaWait ? 0 : 1 };
	});
	const exact = perTask.every((c) => c.deliveries.length === c.expected);
	const forReceiver = perTask.filter((c) => !c.viaWait).length;
	outcome(
		exact,
		exact
			? `exactly once: each of the ${forReceiver} task(s) for the receiving workflow arrived there once (callback or poll, never both)` +
					(perTask.length > forReceiver ? '; the create-and-wait task stayed in its own workflow' : '')
			: 'a task reached the receiving workflow a wrong number of times',
		perTask.map(
			(c) =>
				`${c.taskId}${c.viaWait ? ' (create and wait)' : ''}: ${c.deliveries.length} × in the receiving workflow${c.deliveries.length ? ` (${c.deliveries.map((d) => `${d.via}/${d.output}`).join(', ')})` : ''}, expected ${c.expected}`,
		),
	);

	// 7. save the downloaded files ---------------------------------------------------------------------------------------
	step('Save the result files n8n downloaded (binary data of the executions)');
	const outDir = path.resolve(args.out ?? path.join(process.cwd(), 'demo-output'));
	fs.mkdirSync(outDir, { recursive: true });
	const files = [];
	const sources = [
		...(waited?.binary ? [{ taskId: waited.item.taskId, binary: waited.binary, from: 'create and wait' }] : []),
		...receivers
			.deliveries()
			.filter((d) => d.output === 'Succeeded' && d.binary)
			.map((d) => ({ taskId: d.item.taskId, binary: d.binary, from: `${d.trigger} (${d.via})` })),
	];
	for (const source of sources) {
		for (const [property, binary] of Object.entries(source.binary)) {
			const bytes = await readBinary(n8n, cookie, binary);
			const ext = binary.fileExtension || path.extname(binary.fileName || '').slice(1) || 'bin';
			const file = path.join(outDir, `${source.taskId}${property === 'data' ? '' : `-${property}`}.${ext}`);
			if (files.some((f) => f.file === file)) continue;
			fs.writeFileSync(file, bytes);
			files.push({ file, bytes, source, binary });
		}
	}
	const good = files.filter((f) => f.bytes.length > 0 && (f.binary.mimeType !== 'video/mp4' || isMp4(f.bytes)));
	outcome(
		good.length > 0 && good.length === files.length,
		good.length ? `saved ${good.length} result file(s) in ${outDir}` : `no result file was saved (folder ${outDir})`,
		files.map((f) => `${path.basename(f.file)}  ${kb(f.bytes.length)}  ${f.binary.mimeType}${isMp4(f.bytes) ? ' (valid MP4 header)' : ''}  from ${f.source.from}`),
	);

	// summary --------------------------------------------------------------------------------------------------------------
	const failedOutcomes = outcomes.filter((o) => !o.ok);
	say(`\n${failedOutcomes.length ? '✘' : '✔'} Demo finished in ${elapsed()}: ${outcomes.length - failedOutcomes.length} of ${outcomes.length} expected outcomes happened.`);
	for (const o of failedOutcomes) say(`   missing: ${o.text}`);
	const code = failedOutcomes.length ? 1 : 0;

	if (args.once) return stopAll(code);

	say('\nn8n stays open so you can look around:');
	say(`  Editor:     ${n8n.url}`);
	say(`  Log in:     ${harness.OWNER.email} / ${harness.OWNER.password}`);
	for (const wf of prepared.workflows) say(`  Workflow:   ${n8n.url}/workflow/${wf.id}  ${wf.name}`);
	say(`  Executions: ${n8n.url}/home/executions`);
	if (sim) say(`  Simulator:  ${sim.url}/__sim/state  (tasks and callbacks it saw)`);
	say(`  Files:      ${outDir}`);
	say('  Try: open "Kling AI: create a video ..." and click "Execute workflow"; the result shows up in the receiving workflow\'s executions.');
	say('\nPress Ctrl-C to stop n8n and the simulator.');
	await new Promise(() => {});
}

process.on('SIGINT', () => stopAll(130));
process.on('SIGTERM', () => stopAll(143));

main().catch(async (error) => {
	say(`\n✘ Demo failed: ${error.message}`);
	if (n8n) say(`  n8n log tail:\n${n8n.logTail(15).replace(/^/gm, '    ')}`);
	await stopAll(1);
});
