/**
 * Real n8n, issue 12 "Real n8n" bullet: one create-and-wait per 2026 video family — Omni video, motion control,
 * avatar, Lip Sync (identify-face + advanced-lip-sync in one create), effects with a two-image scene, and the
 * one-run Multi-Element Edit — each ends on Succeeded with the video downloaded into binary data.
 *
 * One n8n instance, one published workflow with one Webhook → Kling AI (Wait for Completion: Callback, Download
 * Results) → Succeeded / Failed recorders branch per family. The simulator finishes tasks after 3 s; each branch
 * takes ~4-6 s once n8n runs.
 */
import { startSimulator } from '../simulator';
import * as harness from './harness/n8n';
import { connect, klingNode, recorderNode, webhookNode, workflow, type NodeJson } from './fixtures/build';

jest.setTimeout(20 * 60_000);

const KEYS = { accessKey: 'ak_e2e_families', secretKey: 'sk_e2e_families_secret' };
const CRED = { id: 'klingE2eCredFam01', name: 'Kling simulator' };
const WF = 'klingE2eFamilies1';
const IMG = 'https://example.com/kling/input.png';
const WAIT = { waitForCompletion: 'callback', waitTimeLimit: 2, pollIntervalSeconds: 1, downloadResults: true, binaryPropertyName: 'video' };

/** Branch key → [Kling endpoint path the create goes to, node parameters]. */
const FAMILIES: Record<string, { path: string; parameters: Record<string, unknown> }> = {
	omni: {
		path: '/v1/videos/omni-video',
		parameters: { resource: 'video', operation: 'omniVideo', prompt: 'the person in <<<image_1>>> waves', model: 'kling-v3-omni', mode: 'pro', duration: '5', aspectRatio: '16:9', images: { image: [{ inputType: 'url', data: IMG, role: 'reference' }] }, options: {} },
	},
	motion: {
		path: '/v1/videos/motion-control',
		parameters: { resource: 'video', operation: 'motionControl', imageInputType: 'url', image: IMG, motionVideoInputType: 'url', motionVideo: 'https://example.com/dance.mp4', characterOrientation: 'video', model: 'kling-v3', mode: 'std', options: { elementId: '829836802793406551' } },
	},
	avatar: {
		path: '/v1/videos/avatar/image2video',
		parameters: { resource: 'video', operation: 'avatar', imageInputType: 'url', image: IMG, audioSource: 'file', soundFileInputType: 'url', soundFile: 'https://example.com/speech.mp3', mode: 'std', options: {} },
	},
	lipsync: {
		path: '/v1/videos/advanced-lip-sync',
		parameters: { resource: 'video', operation: 'advancedLipSync', faceSession: 'identify', videoSource: 'videoUrl', videoUrlInputType: 'url', videoUrl: 'https://example.com/talk.mp4', audioSource: 'file', soundFileInputType: 'url', soundFile: 'https://example.com/speech.mp3', soundEndMs: 3000, options: {} },
	},
	effects: {
		path: '/v1/videos/effects',
		parameters: { resource: 'video', operation: 'applyEffect', effectInput: 'dual', effectScene: 'hug_pro', leftImageInputType: 'url', leftImage: IMG, rightImageInputType: 'url', rightImage: `${IMG}?r`, options: {} },
	},
	elements: {
		path: '/v1/videos/multi-elements',
		parameters: { resource: 'video', operation: 'multiElementEdit', editMode: 'removal', selectionSession: 'new', videoSource: 'videoUrl', videoUrlInputType: 'url', videoUrl: 'https://example.com/5s.mp4', frameIndex: 0, points: '0.5,0.4', prompt: 'Remove the chick from <<<video_1>>>', options: {} },
	},
};

const nodeName = (key: string) => `Kling AI (${key})`;

function familiesWorkflow(recorderUrl: string): Record<string, unknown> {
	const nodes: NodeJson[] = [];
	const connections = {};
	Object.entries(FAMILIES).forEach(([key, family], row) => {
		const y = row * 300;
		nodes.push(webhookNode(`Start (${key})`, `e2e-family-${key}`, [0, y]));
		nodes.push(klingNode(nodeName(key), { ...family.parameters, ...WAIT }, CRED, [260, y]));
		nodes.push(recorderNode(`Record ${key} succeeded`, recorderUrl, `${key}-ok`, [520, y - 80]));
		nodes.push(recorderNode(`Record ${key} failed`, recorderUrl, `${key}-fail`, [520, y + 80]));
		connect(connections, `Start (${key})`, nodeName(key));
		connect(connections, nodeName(key), `Record ${key} succeeded`, `Record ${key} failed`);
	});
	return workflow(WF, 'E2E: create and wait for every 2026 video family', nodes, connections);
}

describe('real n8n: create-and-wait for every 2026 video family ends on Succeeded with the file downloaded', () => {
	let sim: Awaited<ReturnType<typeof startSimulator>>;
	let n8n: Awaited<ReturnType<typeof harness.startN8n>>;
	let recorder: Awaited<ReturnType<typeof harness.startRecorder>>;

	beforeAll(async () => {
		sim = await startSimulator({ port: 0, ...KEYS, timings: { toProcessingMs: 1000, toFinishMs: 3000 }, seed: 12 });
		recorder = await harness.startRecorder();
		n8n = await harness.startN8n({
			credentials: [
				harness.loadFixture('credential.kling.json', { CRED_ID: CRED.id, CRED_NAME: CRED.name, ACCESS_KEY: KEYS.accessKey, SECRET_KEY: KEYS.secretKey, SIM_URL: sim.url, WEBHOOK_SECRET: '' }),
			],
			workflows: () => [familiesWorkflow(recorder.url)],
		});
	}, 20 * 60_000);

	afterAll(async () => {
		await n8n?.stop();
		await recorder?.close();
		await sim?.close();
	});

	it.each(Object.keys(FAMILIES))('%s', async (key) => {
		const family = FAMILIES[key];
		const startedAt = Date.now();
		const res = await n8n.webhook(`e2e-family-${key}`, { family: key });
		expect(res.status).toBe(200);
		const create = await harness.waitUntil(() => sim.requests.find((r) => r.method === 'POST' && r.path === family.path && r.at >= startedAt && r.status === 200), {
			timeoutMs: 30_000,
			message: () => `the simulator never accepted the ${key} create; last requests ${JSON.stringify(sim.requests.slice(-3).map((r) => [r.path, r.status, r.code]))}`,
		});
		const ext = String((create.body as Record<string, unknown>).external_task_id);
		const taskId = String(sim.task(ext)!.task.task_id);
		expect(String((create.body as Record<string, unknown>).callback_url)).toMatch(/\/webhook-waiting\//);
		const item = await harness.waitUntil(() => (recorder.records(`${key}-ok`) as Array<Record<string, unknown>>).find((i) => i.taskId === taskId), {
			timeoutMs: 60_000,
			intervalMs: 250,
			message: () => `no Succeeded item for ${key} task ${taskId}; failed: ${JSON.stringify(recorder.records(`${key}-fail`))}\n${n8n.logTail(30)}`,
		});
		expect(item).toMatchObject({ taskId, status: 'succeeded', finished: true, resultKind: 'videos' });
		expect(recorder.records(`${key}-fail`)).toHaveLength(0);
		// The execution that ran the node holds the downloaded video as binary data.
		const execution = await harness.waitUntil(
			() => {
				for (const row of n8n.executions(WF).reverse()) {
					if (row.status !== 'success') continue;
					const data = n8n.executionData(row.id);
					const runs = data?.resultData?.runData?.[nodeName(key)];
					const out = runs?.[runs.length - 1]?.data?.main?.[0]?.[0];
					if (out?.json?.taskId === taskId) return out;
				}
				return undefined;
			},
			{ timeoutMs: 30_000, message: `no finished execution for ${key} task ${taskId}` },
		);
		expect(execution.binary?.video).toMatchObject({ mimeType: 'video/mp4', fileName: `${taskId}.mp4` });
		harness.progress(`${key}: task ${taskId} succeeded and downloaded ${Date.now() - startedAt} ms after the webhook call`);
	});
});
