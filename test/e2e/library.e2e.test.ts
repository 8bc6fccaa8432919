/**
 * Real n8n, issue 14 (voices): Create Voice with create-and-wait (Wait for Kling to Call Back) ends on Succeeded
 * with voices[0].voiceId, and a List Voices node after it finds that voice — the voice-clone task is a real task
 * type (callback to the execution's resume URL, the same item shape), and the voice list is read through n8n's own
 * HTTP stack (text answers parsed losslessly by the node).
 *
 * One n8n instance, one workflow: Webhook → Kling AI (Create Voice, wait) → Succeeded → recorder → Kling AI
 * (List Voices) → recorder; Failed → recorder. The simulator finishes the clone after 1.5 s.
 */
import { startSimulator } from '../simulator';
import * as harness from './harness/n8n';
import { connect, klingNode, recorderNode, webhookNode, workflow } from './fixtures/build';

jest.setTimeout(15 * 60_000);

const KEYS = { accessKey: 'ak_e2e_library', secretKey: 'sk_e2e_library_secret' };
const CRED = { id: 'klingE2eCredLib01', name: 'Kling simulator' };
const WF = 'klingE2eLibrary01';

function libraryWorkflow(recorderUrl: string): Record<string, unknown> {
	const connections = {};
	const nodes = [
		webhookNode('Start', 'e2e-library-voice', [0, 0]),
		klingNode(
			'Clone Voice',
			{ resource: 'library', operation: 'createVoice', voiceName: 'E2E Narrator', voiceSource: 'url', voiceUrl: 'https://example.com/voice.mp3', options: {}, waitForCompletion: 'callback', waitTimeLimit: 2, pollIntervalSeconds: 1 },
			CRED,
			[260, 0],
		),
		recorderNode('Record voice', recorderUrl, 'voice-ok', [520, -80]),
		recorderNode('Record failure', recorderUrl, 'voice-fail', [520, 80]),
		klingNode('List Voices', { resource: 'library', operation: 'listVoices', librarySource: 'custom', returnAll: true }, CRED, [780, -80]),
		recorderNode('Record list', recorderUrl, 'list', [1040, -80]),
	];
	connect(connections, 'Start', 'Clone Voice');
	connect(connections, 'Clone Voice', 'Record voice', 'Record failure');
	connect(connections, 'Record voice', 'List Voices');
	connect(connections, 'List Voices', 'Record list');
	return workflow(WF, 'E2E: clone a voice, then list voices', nodes, connections);
}

describe('real n8n: clone a voice with create-and-wait, then list it', () => {
	let sim: Awaited<ReturnType<typeof startSimulator>>;
	let n8n: Awaited<ReturnType<typeof harness.startN8n>>;
	let recorder: Awaited<ReturnType<typeof harness.startRecorder>>;

	beforeAll(async () => {
		sim = await startSimulator({ port: 0, ...KEYS, timings: { toProcessingMs: 500, toFinishMs: 1500 }, seed: 14 });
		recorder = await harness.startRecorder();
		n8n = await harness.startN8n({
			credentials: [
				harness.loadFixture('credential.kling.json', { CRED_ID: CRED.id, CRED_NAME: CRED.name, ACCESS_KEY: KEYS.accessKey, SECRET_KEY: KEYS.secretKey, SIM_URL: sim.url, WEBHOOK_SECRET: '' }),
			],
			workflows: () => [libraryWorkflow(recorder.url)],
		});
	}, 15 * 60_000);

	afterAll(async () => {
		await n8n?.stop();
		await recorder?.close();
		await sim?.close();
	});

	it('Succeeded with voices[0].voiceId; List Voices finds the voice', async () => {
		const startedAt = Date.now();
		expect((await n8n.webhook('e2e-library-voice', {})).status).toBe(200);
		const create = await harness.waitUntil(() => sim.requests.find((r) => r.method === 'POST' && r.path === '/v1/general/custom-voices' && r.at >= startedAt && r.status === 200), {
			timeoutMs: 30_000,
			message: () => `the simulator never accepted the voice clone; last requests ${JSON.stringify(sim.requests.slice(-3).map((r) => [r.path, r.status, r.code]))}`,
		});
		const body = create.body as Record<string, unknown>;
		expect(body).toMatchObject({ voice_name: 'E2E Narrator', voice_url: 'https://example.com/voice.mp3' });
		expect(String(body.callback_url)).toMatch(/\/webhook-waiting\//);
		const taskId = String(sim.task(String(body.external_task_id))!.task.task_id);
		const item = await harness.waitUntil(() => (recorder.records('voice-ok') as Array<Record<string, unknown>>).find((i) => i.taskId === taskId), {
			timeoutMs: 60_000,
			intervalMs: 250,
			message: () => `no Succeeded item for voice task ${taskId}; failed: ${JSON.stringify(recorder.records('voice-fail'))}\n${n8n.logTail(30)}`,
		});
		const voiceId = String(sim.task(taskId)!.task.task_result.voices[0].voice_id);
		expect(item).toMatchObject({ taskId, taskType: 'customVoice', status: 'succeeded', resultKind: 'voices', voices: [{ voiceId, voiceName: 'E2E Narrator' }] });
		const listed = await harness.waitUntil(() => (recorder.records('list') as Array<Record<string, unknown>>).find((i) => i.voiceId === voiceId), {
			timeoutMs: 30_000,
			message: () => `List Voices did not return ${voiceId}: ${JSON.stringify(recorder.records('list'))}\n${n8n.logTail(30)}`,
		});
		expect(listed).toMatchObject({ voiceId, voiceName: 'E2E Narrator', taskId });
		expect(recorder.records('voice-fail')).toHaveLength(0);
		harness.progress(`voice ${voiceId} cloned and listed ${Date.now() - startedAt} ms after the webhook call`);
	});
});
