/**
 * The Kling simulator in a worker thread, so that the bench's own blocking work (the harness's synchronous sqlite
 * queries, /proc sampling) never stalls the simulator's answers or callback deliveries.
 *
 *   const sim = await startSimulatorWorker(options, { createFaultRate: 0.05, createFaultCodes: [1303, 5000], seed });
 *   sim.url; await sim.state(); await sim.task(id); await sim.setOptions({...}); await sim.close();
 *
 * `createFaultRate`: that share of create requests (decided per request from a seeded generator) is answered with one
 * of `createFaultCodes`, on top of the simulator's own queued faults.
 */
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = fileURLToPath(import.meta.url);

export async function startSimulatorWorker(options = {}, extras = {}) {
	const worker = new Worker(HERE, { workerData: { options, extras } });
	const pending = new Map();
	let seq = 0;
	let readyResolve;
	let readyReject;
	const ready = new Promise((resolve, reject) => {
		readyResolve = resolve;
		readyReject = reject;
	});
	worker.on('message', (msg) => {
		if (msg.type === 'ready') return readyResolve(msg);
		const p = pending.get(msg.id);
		if (!p) return;
		pending.delete(msg.id);
		if (msg.error) p.reject(new Error(msg.error));
		else p.resolve(msg.result);
	});
	worker.on('error', (error) => {
		readyReject(error);
		for (const p of pending.values()) p.reject(error);
		pending.clear();
	});
	const { url } = await ready;
	const call = (op, arg) =>
		new Promise((resolve, reject) => {
			const id = ++seq;
			pending.set(id, { resolve, reject });
			worker.postMessage({ id, op, arg });
		});
	return {
		url,
		/** {tasks: [{task_id, task_status, created_at, updated_at, prompt}], requests, callbacks, injected} */
		state: () => call('state'),
		task: (id) => call('task', id),
		setOptions: (o) => call('setOptions', o),
		async close() {
			try {
				await call('close');
			} finally {
				await worker.terminate();
			}
		},
	};
}

if (!isMainThread && workerData?.options) {
	const require = createRequire(import.meta.url);
	const { startSimulator } = require(path.resolve(path.dirname(HERE), '..', '..', 'simulator'));
	const { options, extras } = workerData;
	const sim = await startSimulator(options);
	const injected = {};
	if (extras.createFaultRate) {
		let s = (extras.seed ?? 0x2545f491) >>> 0;
		const random = () => {
			s = (s + 0x6d2b79f5) >>> 0;
			let t = s;
			t = Math.imul(t ^ (t >>> 15), t | 1);
			t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
			return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
		};
		const codes = extras.createFaultCodes ?? [1303, 5000];
		const takeQueued = sim.takeCreateError.bind(sim);
		sim.takeCreateError = () => {
			const queued = takeQueued();
			if (queued) return queued;
			if (random() >= extras.createFaultRate) return undefined;
			const code = codes[Math.floor(random() * codes.length)];
			injected[code] = (injected[code] ?? 0) + 1;
			return { code, times: 0 };
		};
	}
	const ops = {
		state: () => ({
			tasks: sim.tasks().map((t) => ({
				task_id: t.task_id,
				task_status: t.task_status,
				created_at: t.created_at,
				updated_at: t.updated_at,
				external_task_id: t.task_info?.external_task_id,
				prompt: sim.task(t.task_id)?.body?.prompt ?? null,
			})),
			requests: sim.requests.map((r) => ({
				method: r.method,
				path: r.path,
				query: r.query,
				externalTaskId: r.body && typeof r.body === 'object' ? r.body.external_task_id : undefined,
				status: r.status,
				code: r.code,
				held: r.held ?? false,
				at: r.at,
			})),
			callbacks: sim.callbacks.map((c) => ({
				taskId: c.taskId,
				status: c.status,
				delivered: c.delivered,
				statusCode: c.statusCode,
				dropped: c.dropped,
				duplicate: c.duplicate,
				reordered: c.reordered,
				error: c.error,
				at: c.at,
			})),
			pendingDeliveries: sim.pending.size,
			injected,
		}),
		task: (id) => sim.task(id) ?? null,
		setOptions: (o) => sim.setOptions(o),
		close: async () => {
			await sim.close();
			return true;
		},
	};
	parentPort.on('message', async (msg) => {
		try {
			const result = await ops[msg.op](msg.arg);
			parentPort.postMessage({ id: msg.id, result });
		} catch (error) {
			parentPort.postMessage({ id: msg.id, error: String(error?.stack ?? error) });
		}
	});
	parentPort.postMessage({ type: 'ready', url: sim.url });
}
