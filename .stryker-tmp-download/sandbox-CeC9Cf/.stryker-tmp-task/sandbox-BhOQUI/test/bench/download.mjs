/**
 * Measurement 3 — peak RSS growth of the n8n process while the Kling AI node's Get Task (Download Results) streams a
 * large simulated video into binary data. Workflow: built-in Webhook (Respond: When Last Node Finishes) → Kling AI
 * Get Task with Download Results. The task is created in the simulator over its HTTP API with `sim:large=<bytes>` in
 * the prompt, so its result URL serves a streamed MP4 of that size. VmRSS of the `n8n start` process is sampled from
 * /proc every 50 ms: baseline for 5 s before, peak from the request until the workflow answered. A 1 MB control run
 * first shows how much the same workflow grows RSS without a large file.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
	WORKFLOW_SETTINGS,
	childPids,
	credentialExport,
	findN8nPid,
	fmt,
	fmtMB,
	harness,
	mdTable,
	median,
	packageOptions,
	progress,
	rssBytes,
	sectionHeader,
	sleep,
	pollUntil,
	sqlite,
	uuid,
	verdict,
} from './lib/common.mjs';
import { startSimulatorWorker } from './lib/simWorker.mjs';

const CRED = { id: 'klingBenchCredDl', name: 'Kling simulator (bench download)' };
const WF = 'klingBenchDownload1';
const PATH = 'bench-download';
const GOAL_BYTES = 64 * 1024 * 1024;

function workflow() {
	return {
		id: WF,
		name: 'Bench: Webhook → Kling AI Get Task (Download Results)',
		active: false,
		settings: WORKFLOW_SETTINGS,
		nodes: [
			{
				id: uuid('bench-dl-webhook'),
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: uuid('bench-dl-webhook-id'),
				parameters: { httpMethod: 'POST', path: PATH, responseMode: 'lastNode', options: {} },
			},
			{
				id: uuid('bench-dl-kling'),
				name: 'Kling AI',
				type: harness.NODE_TYPES.action,
				typeVersion: 1,
				position: [260, 0],
				parameters: {
					resource: 'video',
					operation: 'getTask',
					taskType: 'textToVideo',
					lookupBy: 'taskId',
					taskId: '={{ $json.body.taskId }}',
					downloadResults: true,
					binaryPropertyName: 'data',
					downloadWatermarked: false,
				},
				credentials: { klingAiApi: { id: CRED.id, name: CRED.name } },
			},
		],
		connections: { Webhook: { main: [[{ node: 'Kling AI', type: 'main', index: 0 }]] } },
		pinData: {},
	};
}

/** What n8n 2.40.7 uses when N8N_DEFAULT_BINARY_DATA_MODE is unset, read from the installed n8n-core. */
function defaultBinaryMode(runtime) {
	const file = path.join(runtime.n8nDir, 'node_modules', 'n8n-core', 'dist', 'binary-data', 'binary-data.config.js');
	try {
		const m = /this\.mode \?\?= executionsConfig\.mode === 'queue' \? '(\w+)' : '(\w+)'/.exec(fs.readFileSync(file, 'utf8'));
		return m ? `"${m[2]}" in regular mode, "${m[1]}" in queue mode (n8n-core/dist/binary-data/binary-data.config.js)` : 'unknown (pattern not found in n8n-core)';
	} catch {
		return 'unknown (n8n-core binary-data.config.js not found)';
	}
}

async function createLargeTask(sim, bytes, tag) {
	const res = await fetch(`${sim.url}/v1/videos/text2video`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', authorization: 'Bearer kling_api_key_test' },
		body: JSON.stringify({ model_name: 'kling-v2-5-turbo', prompt: `Bench download of a large video sim:large=${bytes}`, external_task_id: `bench-dl-${tag}-${Date.now()}` }),
	});
	const json = await res.json();
	if (json.code !== 0) throw new Error(`simulator create failed: ${JSON.stringify(json)}`);
	const taskId = json.data.task_id;
	const done = await pollUntil(async () => (await sim.task(taskId))?.task.task_status === 'succeed', { timeoutMs: 30_000, intervalMs: 100 });
	if (!done) throw new Error(`simulated task ${taskId} did not succeed`);
	return taskId;
}

/**
 * One download. Baseline: RSS sampled every 50 ms until the last 2 s vary by less than 4 MB (at most 30 s; n8n may be
 * releasing memory after start-up), baseline = median of those last 2 s. Then sample while the workflow runs.
 */
async function measure(n8n, pid, sim, bytes, tag) {
	const taskId = await createLargeTask(sim, bytes, tag);
	const group = () => [pid, ...childPids(pid)].reduce((sum, p) => sum + (rssBytes(p) ?? 0), 0);
	const window = [];
	const windowGroup = [];
	const baseStarted = Date.now();
	let stable = false;
	while (Date.now() - baseStarted < 30_000) {
		window.push(rssBytes(pid));
		windowGroup.push(group());
		if (window.length > 40) {
			window.shift();
			windowGroup.shift();
		}
		if (window.length === 40 && Math.max(...window) - Math.min(...window) < 4 * 1024 * 1024) {
			stable = true;
			break;
		}
		await sleep(50);
	}
	let peak = 0;
	let low = Infinity;
	let peakGroup = 0;
	let samples = 0;
	const timer = setInterval(() => {
		const v = rssBytes(pid) ?? 0;
		peak = Math.max(peak, v);
		low = Math.min(low, v);
		peakGroup = Math.max(peakGroup, group());
		samples++;
	}, 50);
	const started = performance.now();
	let answer;
	try {
		const res = await fetch(`${n8n.url}/webhook/${PATH}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ taskId }),
			signal: AbortSignal.timeout(10 * 60_000),
		});
		answer = { status: res.status, text: (await res.text()).slice(0, 300) };
	} finally {
		clearInterval(timer);
	}
	const seconds = (performance.now() - started) / 1000;
	const baseline = median(window);
	return {
		taskId,
		bytes,
		baseline,
		baseMin: Math.min(...window),
		baseMax: Math.max(...window),
		stable,
		peak,
		low,
		growth: peak - baseline,
		groupGrowth: peakGroup - median(windowGroup),
		samples,
		seconds,
		answer,
	};
}

/** The binary the execution recorded, and the file behind it. */
function landedBinary(n8n) {
	const rows = sqlite(
		n8n,
		`select e.id as id, e.status as status, d.data as data from execution_entity e join execution_data d on d.executionId = e.id where e.workflowId = '${WF}' order by e.id desc limit 1`,
		'data',
	);
	const row = rows[0];
	const item = row?.data?.resultData?.runData?.['Kling AI']?.[0]?.data?.main?.[0]?.[0];
	const bin = item?.binary?.data;
	let file;
	if (bin?.id) {
		// filesystem ids look like "filesystem-v2:workflows/<wf>/executions/<id>/binary_data/<uuid>"
		const rel = String(bin.id).replace(/^[^:]+:/, '');
		const candidates = [path.join(n8n.userFolder, '.n8n', 'storage', rel), path.join(n8n.userFolder, '.n8n', 'binaryData', rel)];
		file = candidates.find((f) => fs.existsSync(f));
	}
	return { executionId: row?.id, status: row?.status, bin, fileBytes: file ? fs.statSync(file).size : undefined, file };
}

export async function run({ quick, command, n8nEnv = {} }) {
	const bytes = quick ? 50 * 1024 * 1024 : 500 * 1024 * 1024;
	// In a worker thread: streaming 500 MB must not compete with the RSS sampler on one event loop.
	const sim = await startSimulatorWorker({ port: 0 });
	let n8n;
	try {
		progress(`download: starting n8n (N8N_DEFAULT_BINARY_DATA_MODE=filesystem), file ${fmtMB(bytes)}`);
		const pack = packageOptions();
		n8n = await harness.startN8n({
			...pack.opts,
			env: { N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem', ...n8nEnv },
			credentials: [credentialExport({ ...CRED, simUrl: sim.url })],
			workflows: [workflow()],
		});
		const pid = findN8nPid(n8n);
		if (!pid) throw new Error('could not find the n8n process to sample');
		progress(`download: n8n pid ${pid}; control run with a 1 MB file`);
		const control = await measure(n8n, pid, sim, 1024 * 1024, 'control');
		const controlLanded = landedBinary(n8n);
		progress(`download: control growth ${fmtMB(control.growth)}; now ${fmtMB(bytes)}`);
		await sleep(3000);
		const big = await measure(n8n, pid, sim, bytes, 'large');
		const landed = landedBinary(n8n);
		progress(`download: ${fmtMB(bytes)} in ${fmt(big.seconds)} s, RSS growth ${fmtMB(big.growth)}`);

		const binOk = landed.status === 'success' && landed.fileBytes === bytes && (landed.bin?.bytes === undefined || landed.bin.bytes === bytes);
		const lines = [
			...sectionHeader(`3. Download memory (${fmtMB(bytes)} video into binary data)`, {
				runtime: n8n.runtime,
				command,
				extra: [
					...(pack.note ? [pack.note] : []),
					`Binary data mode: N8N_DEFAULT_BINARY_DATA_MODE=filesystem for this run; n8n ${n8n.runtime.n8nVersion} default when unset: ${defaultBinaryMode(n8n.runtime)}`,
					...Object.entries(n8nEnv).map(([k, v]) => `Extra n8n env: ${k}=${v}`),
					'Workflow: built-in Webhook (Respond: When Last Node Finishes) → Kling AI Get Task with Download Results; the simulator streams the video from /media/large/<bytes>.mp4',
					'RSS: VmRSS of the `n8n start` process from /proc every 50 ms; baseline = median of the last 2 s before the request, once those 2 s varied by < 4 MB (n8n may still release memory after start-up); peak = maximum until the workflow answered',
				],
			}),
			...mdTable(
				['Run', 'File size', 'Baseline RSS (last 2 s: min–max)', 'Lowest / peak RSS during', 'Growth (peak − baseline)', 'Growth / file size', 'Incl. task runner: growth', 'Duration', 'Throughput', 'Samples'],
				[control, big].map((r, i) => [
					i === 0 ? 'control' : 'large',
					fmtMB(r.bytes),
					`${fmtMB(r.baseline)} (${fmtMB(r.baseMin)}–${fmtMB(r.baseMax)})${r.stable ? '' : ', NOT stable after 30 s'}`,
					`${fmtMB(r.low)} / ${fmtMB(r.peak)}`,
					fmtMB(r.growth),
					`${fmt((r.growth / r.bytes) * 100, 1)} %`,
					fmtMB(r.groupGrowth),
					`${fmt(r.seconds)} s`,
					`${fmt(r.bytes / 1024 / 1024 / r.seconds)} MB/s`,
					r.samples,
				]),
			),
			'',
			...mdTable(
				['Check', 'Measured', 'Verdict'],
				[
					[
						`Peak RSS growth < 64 MB while downloading ${fmtMB(bytes)}`,
						`${fmtMB(big.growth)}${big.stable ? '' : ' (baseline was not stable: figure unreliable)'}`,
						big.stable ? verdict(big.growth < GOAL_BYTES) : 'UNRELIABLE',
					],
					[
						'The binary landed (execution data and file on disk)',
						`execution ${landed.executionId} ${landed.status}; binary "data": fileName ${landed.bin?.fileName ?? '?'}, mimeType ${landed.bin?.mimeType ?? '?'}, fileSize ${landed.bin?.fileSize ?? '?'}${landed.bin?.bytes !== undefined ? `, bytes ${landed.bin.bytes}` : ''}; file on disk ${landed.fileBytes ?? 'not found'} bytes (expected ${bytes})`,
						verdict(binOk),
					],
					[
						'Control run (1 MB) landed',
						`execution ${controlLanded.executionId} ${controlLanded.status}, file ${controlLanded.fileBytes ?? 'not found'} bytes`,
						verdict(controlLanded.status === 'success' && controlLanded.fileBytes === 1024 * 1024),
					],
				],
			),
			'',
			`HTTP answer of the workflow: ${big.answer.status}.`,
			'',
		];
		return { name: 'download', lines };
	} finally {
		await n8n?.stop();
		await sim.close();
	}
}
