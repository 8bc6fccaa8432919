/**
 * Real n8n, issue 14 "Real n8n" bullet: Text to Speech → Avatar with the speech's audio id → Succeeded with the mp4
 * downloaded; Video to Audio downloads the video and both audio files; Omni Image with a series downloads every image.
 *
 * One n8n instance, one published workflow with a Webhook per flow → Kling AI node(s) (Wait for Completion: Callback,
 * Download Results) → Succeeded / Failed recorders. The simulator finishes tasks after 3 s.
 */
import { startSimulator } from '../simulator';
import * as harness from './harness/n8n';
import { connect, klingNode, recorderNode, webhookNode, workflow, type NodeJson } from './fixtures/build';

jest.setTimeout(20 * 60_000);

const KEYS = { accessKey: 'ak_e2e_media', secretKey: 'sk_e2e_media_secret' };
const CRED = { id: 'klingE2eCredMed01', name: 'Kling simulator' };
const WF = 'klingE2eMedia0001';
const WAIT = { waitForCompletion: 'callback', waitTimeLimit: 2, pollIntervalSeconds: 1, downloadResults: true, binaryPropertyName: 'file' };

/** Flow key → the node that waits (its name), the create path, and the nodes before it. */
const FLOWS: Record<string, { path: string; nodes: Array<[name: string, parameters: Record<string, unknown>]> }> = {
	speech: {
		path: '/v1/videos/avatar/image2video',
		nodes: [
			['Text to Speech', { resource: 'audio', operation: 'textToSpeech', text: 'Welcome to the evening news', voiceId: 'oversea_male1', voiceLanguage: 'en', voiceSpeed: 1 }],
			[
				'Kling AI (speech)',
				{ resource: 'video', operation: 'avatar', imageInputType: 'url', image: 'https://example.com/kling/anchor.png', audioSource: 'audioId', audioId: '={{ $json.audios[0].id }}', mode: 'std', options: {}, ...WAIT },
			],
		],
	},
	v2a: {
		path: '/v1/audio/video-to-audio',
		nodes: [['Kling AI (v2a)', { resource: 'audio', operation: 'videoToAudio', videoSource: 'videoUrl', videoUrlInputType: 'url', videoUrl: 'https://example.com/kling/silent.mp4', options: { bgmPrompt: 'soft piano' }, ...WAIT }]],
	},
	series: {
		path: '/v1/images/omni-image',
		nodes: [
			[
				'Kling AI (series)',
				{
					resource: 'image',
					operation: 'omniImage',
					model: 'kling-v3-omni',
					prompt: 'a poster series of <<<image_1>>>',
					resultType: 'series',
					seriesAmount: '3',
					images: { image: [{ inputType: 'url', data: 'https://example.com/kling/dog.png' }] },
					options: {},
					...WAIT,
				},
			],
		],
	},
};

const waiting = (key: string) => FLOWS[key].nodes[FLOWS[key].nodes.length - 1][0];

function mediaWorkflow(recorderUrl: string): Record<string, unknown> {
	const nodes: NodeJson[] = [];
	const connections = {};
	Object.entries(FLOWS).forEach(([key, flow], row) => {
		const y = row * 300;
		nodes.push(webhookNode(`Start (${key})`, `e2e-media-${key}`, [0, y]));
		let previous = `Start (${key})`;
		flow.nodes.forEach(([name, parameters], i) => {
			nodes.push(klingNode(name, parameters, CRED, [260 * (i + 1), y]));
			connect(connections, previous, name);
			previous = name;
		});
		const x = 260 * (flow.nodes.length + 1);
		nodes.push(recorderNode(`Record ${key} succeeded`, recorderUrl, `${key}-ok`, [x, y - 80]));
		nodes.push(recorderNode(`Record ${key} failed`, recorderUrl, `${key}-fail`, [x, y + 80]));
		connect(connections, previous, `Record ${key} succeeded`, `Record ${key} failed`);
	});
	return workflow(WF, 'E2E: audio and omni image results downloaded', nodes, connections);
}

describe('real n8n: audio and image series results end on Succeeded with every file downloaded', () => {
	let sim: Awaited<ReturnType<typeof startSimulator>>;
	let n8n: Awaited<ReturnType<typeof harness.startN8n>>;
	let recorder: Awaited<ReturnType<typeof harness.startRecorder>>;

	beforeAll(async () => {
		sim = await startSimulator({ port: 0, ...KEYS, timings: { toProcessingMs: 1000, toFinishMs: 3000 }, seed: 14 });
		recorder = await harness.startRecorder();
		n8n = await harness.startN8n({
			credentials: [
				harness.loadFixture('credential.kling.json', { CRED_ID: CRED.id, CRED_NAME: CRED.name, ACCESS_KEY: KEYS.accessKey, SECRET_KEY: KEYS.secretKey, SIM_URL: sim.url, WEBHOOK_SECRET: '' }),
			],
			workflows: () => [mediaWorkflow(recorder.url)],
		});
	}, 20 * 60_000);

	afterAll(async () => {
		await n8n?.stop();
		await recorder?.close();
		await sim?.close();
	});

	/** Start the flow, wait for its Succeeded item and return it with the binary of the execution that ran the waiting node. */
	async function runFlow(key: string) {
		const flow = FLOWS[key];
		const startedAt = Date.now();
		const res = await n8n.webhook(`e2e-media-${key}`, { flow: key });
		expect(res.status).toBe(200);
		const create = await harness.waitUntil(() => sim.requests.find((r) => r.method === 'POST' && r.path === flow.path && r.at >= startedAt && r.status === 200), {
			timeoutMs: 30_000,
			message: () => `the simulator never accepted the ${key} create; last requests ${JSON.stringify(sim.requests.slice(-3).map((r) => [r.path, r.status, r.code]))}`,
		});
		const body = create.body as Record<string, unknown>;
		const taskId = String(sim.task(String(body.external_task_id))!.task.task_id);
		expect(String(body.callback_url)).toMatch(/\/webhook-waiting\//);
		const item = await harness.waitUntil(() => (recorder.records(`${key}-ok`) as Array<Record<string, unknown>>).find((i) => i.taskId === taskId), {
			timeoutMs: 60_000,
			intervalMs: 250,
			message: () => `no Succeeded item for ${key} task ${taskId}; failed: ${JSON.stringify(recorder.records(`${key}-fail`))}\n${n8n.logTail(30)}`,
		});
		expect(recorder.records(`${key}-fail`)).toHaveLength(0);
		const out = await harness.waitUntil(
			() => {
				for (const row of n8n.executions(WF).reverse()) {
					if (row.status !== 'success') continue;
					const runs = n8n.executionData(row.id)?.resultData?.runData?.[waiting(key)];
					const first = runs?.[runs.length - 1]?.data?.main?.[0]?.[0];
					if (first?.json?.taskId === taskId) return first;
				}
				return undefined;
			},
			{ timeoutMs: 30_000, message: `no finished execution for ${key} task ${taskId}` },
		);
		const files = Object.fromEntries(Object.entries((out.binary ?? {}) as Record<string, { fileName: string; mimeType: string }>).map(([k, b]) => [k, [b.fileName, b.mimeType]]));
		harness.progress(`${key}: task ${taskId} succeeded with ${Object.keys(files).length} file(s) ${Date.now() - startedAt} ms after the webhook call`);
		return { taskId, body, item, files };
	}

	it('Text to Speech → Avatar: the speech audio id is sent, the avatar mp4 downloaded', async () => {
		const { taskId, body, item, files } = await runFlow('speech');
		const tts = sim.requests.filter((r) => r.path === '/v1/audio/tts' && r.status === 200);
		expect(tts).toHaveLength(1);
		expect(body).not.toHaveProperty('sound_file');
		expect(item).toMatchObject({ taskId, status: 'succeeded', taskType: 'avatar', resultKind: 'videos' });
		expect(files).toEqual({ file: [`${taskId}.mp4`, 'video/mp4'] });
		// The TTS item the Avatar node read its audio id from (its own run in the same execution).
		const row = n8n.executions(WF).reverse().find((r) => n8n.executionData(r.id)?.resultData?.runData?.['Text to Speech']);
		const speech = n8n.executionData(row!.id)!.resultData!.runData!['Text to Speech'][0].data!.main![0]![0].json as { status: string; resultKind: string; audios: Array<{ id: string }> };
		expect(speech).toMatchObject({ status: 'succeeded', resultKind: 'audios' });
		expect(body.audio_id).toBe(speech.audios[0].id);
	});

	it('Video to Audio: the video and both audio files', async () => {
		const { taskId, item, files } = await runFlow('v2a');
		expect(item).toMatchObject({ status: 'succeeded', resultKind: 'videos+audios', parentVideo: { url: 'https://example.com/kling/silent.mp4' } });
		expect(files).toEqual({
			file: [`${taskId}.mp4`, 'video/mp4'],
			file_1: [`${taskId}_audio.mp3`, 'audio/mpeg'],
			file_2: [`${taskId}_audio.wav`, 'audio/wav'],
		});
	});

	it('Omni Image series: every image of the series', async () => {
		const { taskId, item, files } = await runFlow('series');
		expect(item).toMatchObject({ status: 'succeeded', resultType: 'series' });
		expect(files).toEqual({
			file: [`${taskId}_series_0.png`, 'image/png'],
			file_1: [`${taskId}_series_1.png`, 'image/png'],
			file_2: [`${taskId}_series_2.png`, 'image/png'],
		});
	});
});
