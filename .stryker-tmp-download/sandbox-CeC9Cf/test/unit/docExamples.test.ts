/**
 * Kling's own documented examples (test/unit/fixtures/klingDocExamples.ts, verbatim from the docs):
 * every request example is accepted by the simulator — by its validator and over HTTP — and every
 * response / callback example parses into the one normalised item (shared/task.ts).
 */
import { parseTaskPayload } from '../../nodes/KlingAi/shared/task';
import { isTaskType, ENDPOINTS } from '../../nodes/KlingAi/shared/endpoints';
import { startSimulator, type KlingSimulator } from '../simulator';
import { validateCreate, VALIDATORS } from '../simulator/validate';
import { CALLBACK_EXAMPLE, REQUEST_EXAMPLES, RESPONSE_EXAMPLES, SYNC_REQUEST_EXAMPLES, docJson } from './fixtures/klingDocExamples';

const API_KEY = 'kling_api_key_test';
const known = REQUEST_EXAMPLES.filter((e) => e.taskType in VALIDATORS);

describe('documented request examples are accepted', () => {
	it('every example parses as JSON once placeholders are filled', () => {
		for (const e of REQUEST_EXAMPLES) expect(() => docJson(e.text, e.placeholders)).not.toThrow();
	});

	it.each(known.map((e) => [`${e.taskType}: ${e.label} (line ${e.line})`, e] as const))('validator: %s', (_l, e) => {
		expect(() => validateCreate(e.taskType, docJson(e.text, e.placeholders))).not.toThrow();
	});

	describe('over HTTP', () => {
		let sim: KlingSimulator;
		beforeAll(async () => {
			sim = await startSimulator({ autoAdvance: false });
		});
		afterAll(() => sim.close());

		const post = async (path: string, body: unknown) =>
			await fetch(`${sim.url}${path}`, {
				method: 'POST',
				headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
				body: JSON.stringify(body),
			});

		/** A live simulator session standing in for the docs' session id (which only Kling knows). */
		async function liveSession(kind: 'identifyFace' | 'initSelection'): Promise<string> {
			const path = kind === 'identifyFace' ? '/v1/videos/identify-face' : '/v1/videos/multi-elements/init-selection';
			const r = (await (await post(path, { video_url: 'https://example.com/v.mp4' })).json()) as { data: { session_id: string } };
			if (kind === 'initSelection') {
				await post('/v1/videos/multi-elements/add-selection', { session_id: r.data.session_id, frame_index: 0, points: [{ x: 0.5, y: 0.5 }] });
			}
			return r.data.session_id;
		}

		it.each(known.map((e) => [`${e.taskType}: ${e.label}`, e] as const))('%s', async (_l, e) => {
			expect(isTaskType(e.taskType)).toBe(true);
			const body = docJson(e.text, e.placeholders) as Record<string, unknown>;
			if (e.taskType === 'advancedLipSync') body.session_id = await liveSession('identifyFace');
			if (e.taskType === 'multiElements') body.session_id = await liveSession('initSelection');
			const res = await post(ENDPOINTS[e.taskType as keyof typeof ENDPOINTS].path, body);
			const json = (await res.json()) as { code: number; message: string; data: { task_id: string } };
			expect(json.message).toBe('SUCCEED');
			expect(res.status).toBe(200);
			// "external_task_id": "" is "not set": a second example with "" is not a duplicate.
			const stored = sim.task(json.data.task_id);
			expect(stored?.task.task_info.external_task_id).toBe((docJson(e.text, e.placeholders) as { external_task_id?: string }).external_task_id || undefined);
			expect(stored?.callbackUrl ?? null).toBe((docJson(e.text, e.placeholders) as { callback_url?: string }).callback_url || null);
		});
	});
});

describe('documented synchronous-call examples (identify-face, multi-elements selection) are accepted', () => {
	let sim: KlingSimulator;
	beforeAll(async () => {
		sim = await startSimulator({ autoAdvance: false });
	});
	afterAll(() => sim.close());

	it('in the documented order, with the simulator session standing in for the docs\' session id', async () => {
		let sessionId = '';
		for (const e of SYNC_REQUEST_EXAMPLES) {
			const body = docJson(e.text) as Record<string, unknown>;
			if ('session_id' in body) body.session_id = sessionId;
			const res = await fetch(`${sim.url}${e.path}`, {
				method: 'POST',
				headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
				body: JSON.stringify(body),
			});
			const json = (await res.json()) as { message: string; data: { session_id?: string } };
			expect([e.call, json.message]).toEqual([e.call, 'SUCCEED']);
			if (e.call === 'initSelection') sessionId = String(json.data.session_id);
		}
		expect(SYNC_REQUEST_EXAMPLES.map((e) => e.call)).toEqual(['identifyFace', 'initSelection', 'addSelection', 'deleteSelection', 'clearSelection', 'previewSelection']);
	});
});

describe('documented response and callback examples parse into the normalised item', () => {
	it.each(RESPONSE_EXAMPLES.map((e) => [`${e.label} (line ${e.line})`, e] as const))('%s', (_l, e) => {
		const body = docJson(e.text.replace(/"task_status":\s*"string"/, '"task_status": "succeed"'));
		const type = isTaskType(e.taskType) ? e.taskType : null;
		const item = parseTaskPayload(body, type);
		expect(item).toMatchObject({
			taskId: 'string',
			status: 'succeeded',
			klingStatus: 'succeed',
			finished: true,
			createdAtMs: 1722769557708,
			videos: [{ id: 'string', url: 'string', watermarkUrl: 'string', durationSeconds: null }],
		});
		if (e.text.includes('parent_video')) expect(item.parentVideo).toMatchObject({ id: 'string', url: 'string' });
		if (e.taskType === 'multiElements') expect(item.videos[0].sessionId).toBe('id');
		else expect(item.videos[0].sessionId).toBeUndefined();
		if (type) expect(item.resultKind).toBe('videos');
	});

	it('the documented legacy callback body', () => {
		const body = docJson(CALLBACK_EXAMPLE.text.replace(/"task_status":\s*"string"/, '"task_status": "succeed"'));
		const item = parseTaskPayload(body, null);
		expect(item).toMatchObject({
			taskId: 'string',
			externalTaskId: 'string',
			status: 'succeeded',
			images: [{ index: 0, url: 'string', watermarkUrl: null }],
			videos: [{ id: 'string', url: 'string' }],
			parentVideo: { id: 'string', url: 'string' },
		});
	});
});
