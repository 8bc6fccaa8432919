/**
 * The Kling simulator (test/simulator) against its contract: auth verdicts, create-body validation
 * per endpoint, lifecycle and callbacks (received by a real local server), Standard Webhooks
 * signing, callback fault knobs, queries, create faults, media files, control API and CLI.
 */
import * as http from 'node:http';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { SignJWT } from 'jose';
import {
	startSimulator,
	signWebhook,
	ENDPOINTS as SIM_ENDPOINTS,
	SYNC_PATHS as SIM_SYNC_PATHS,
	type KlingSimulator,
} from '../simulator';
import { ENDPOINTS, SYNC_PATHS, TASK_TYPES, ACCOUNT_COSTS_PATH } from '../../nodes/KlingAi/shared/endpoints';
import { MEDIA_VALIDATION } from './fixtures/mediaDocExamples';
import { verifyStandardWebhook } from '../../nodes/KlingAi/shared/signature';
import { signKlingJwt } from '../../credentials/KlingAiApi.credentials';

jest.setTimeout(15_000);

const API_KEY = 'kling_api_key_test';
const WEBHOOK_SECRET = 'whsec_dGVzdHNlY3JldHRlc3RzZWNyZXR0ZXN0c2VjcmV0MTI=';
const B64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const IMG = 'https://example.com/cat.png';

const nowSec = () => Math.floor(Date.now() / 1000);

async function jwt(o: { iss?: string; secret?: string; exp?: number; nbf?: number } = {}): Promise<string> {
	return new SignJWT({})
		.setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
		.setIssuer(o.iss ?? 'ak_test')
		.setExpirationTime(o.exp ?? nowSec() + 1800)
		.setNotBefore(o.nbf ?? nowSec() - 5)
		.sign(new TextEncoder().encode(o.secret ?? 'sk_test'));
}

interface Answer {
	status: number;
	json: any;
	headers: Headers;
}

async function call(
	sim: KlingSimulator,
	method: string,
	urlPath: string,
	o: { body?: unknown; token?: string | null; signal?: AbortSignal } = {},
): Promise<Answer> {
	const headers: Record<string, string> = { 'content-type': 'application/json' };
	const token = o.token === undefined ? API_KEY : o.token;
	if (token !== null) headers.authorization = `Bearer ${token}`;
	const res = await fetch(`${sim.url}${urlPath}`, {
		method,
		headers,
		body: o.body === undefined ? undefined : JSON.stringify(o.body),
		signal: o.signal,
	});
	const text = await res.text();
	return { status: res.status, json: text ? JSON.parse(text) : null, headers: res.headers };
}

const create = (sim: KlingSimulator, type: keyof typeof ENDPOINTS, body: unknown) =>
	call(sim, 'POST', ENDPOINTS[type].path, { body });

const costsPath = () => `${ACCOUNT_COSTS_PATH}?start_time=${Date.now() - 3_600_000}&end_time=${Date.now()}`;

interface Received {
	headers: http.IncomingHttpHeaders;
	raw: string;
	body: any;
}

async function receiver(): Promise<{ url: string; received: Received[]; close: () => Promise<void> }> {
	const received: Received[] = [];
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const raw = Buffer.concat(chunks).toString('utf8');
			received.push({ headers: req.headers, raw, body: JSON.parse(raw) });
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end('{"ok":true}');
		});
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
	const port = (server.address() as { port: number }).port;
	return {
		url: `http://127.0.0.1:${port}/hook?kling_type=textToVideo`,
		received,
		close: () =>
			new Promise<void>((r) => {
				server.close(() => r());
				server.closeAllConnections();
			}),
	};
}

/** Top-level boxes of an MP4 buffer; throws if sizes do not tile the buffer exactly. */
function mp4Boxes(buf: Buffer): Array<{ type: string; size: number; start: number }> {
	const boxes: Array<{ type: string; size: number; start: number }> = [];
	let offset = 0;
	while (offset < buf.length) {
		let size = buf.readUInt32BE(offset);
		const type = buf.toString('ascii', offset + 4, offset + 8);
		if (size === 1) size = Number(buf.readBigUInt64BE(offset + 8));
		if (size < 8 || offset + size > buf.length) throw new Error(`bad box ${type} size ${size} at ${offset}`);
		boxes.push({ type, size, start: offset });
		offset += size;
	}
	return boxes;
}

// ---------------------------------------------------------------------------------------------

describe('simulator endpoint table', () => {
	it('serves exactly the paths of nodes/KlingAi/shared/endpoints.ts', () => {
		expect(SIM_SYNC_PATHS).toEqual(SYNC_PATHS);
		expect(Object.keys(SIM_ENDPOINTS).sort()).toEqual([...TASK_TYPES].sort());
		for (const t of TASK_TYPES) {
			expect(SIM_ENDPOINTS[t].path).toBe(ENDPOINTS[t].path);
			expect(SIM_ENDPOINTS[t].resultKind).toBe(ENDPOINTS[t].resultKind);
		}
	});
});

describe('auth verdicts (JWT checked with jose, API keys)', () => {
	let sim: KlingSimulator;
	beforeAll(async () => {
		sim = await startSimulator({ autoAdvance: false });
	});
	afterAll(() => sim.close());

	it('accepts a fresh JWT and logs iss without the token', async () => {
		const token = await jwt();
		const r = await call(sim, 'GET', costsPath(), { token });
		expect(r.status).toBe(200);
		expect(r.json.code).toBe(0);
		const entry = sim.requests[sim.requests.length - 1];
		expect(entry.auth).toMatchObject({ ok: true, code: 0, iss: 'ak_test', kind: 'jwt' });
		const log = JSON.stringify(sim.requests);
		expect(log).not.toContain(token);
		expect(log).not.toContain('sk_test');
	});

	it.each([
		['a wrong secret', () => jwt({ secret: 'not_the_secret' }), 1002],
		['nbf in the future', () => jwt({ nbf: nowSec() + 600 }), 1003],
		['an expired token', () => jwt({ exp: nowSec() - 60, nbf: nowSec() - 3600 }), 1004],
		['an unknown iss', () => jwt({ iss: 'ak_somebody_else' }), 1002],
		['a malformed token', async () => 'not.a.jwt', 1002],
	])('refuses %s with its Kling code and HTTP 401', async (_name, make, code) => {
		const r = await call(sim, 'GET', costsPath(), { token: await make() });
		expect(r.status).toBe(401);
		expect(r.json).toMatchObject({ code });
		expect(typeof r.json.request_id).toBe('string');
		expect(sim.requests[sim.requests.length - 1].auth).toMatchObject({ ok: false, code });
	});

	it("accepts the shipped credential's JWT and judges a skewed clock with 1003/1004", async () => {
		const ok = await call(sim, 'GET', costsPath(), { token: signKlingJwt('ak_test', 'sk_test', nowSec()) });
		expect(ok.json.code).toBe(0);
		const ahead = await call(sim, 'GET', costsPath(), { token: signKlingJwt('ak_test', 'sk_test', nowSec() + 600) });
		expect(ahead.json.code).toBe(1003);
		const behind = await call(sim, 'GET', costsPath(), { token: signKlingJwt('ak_test', 'sk_test', nowSec() - 3600) });
		expect(behind.json.code).toBe(1004);
	});

	it('answers 1001 when the Authorization header is missing', async () => {
		const r = await call(sim, 'GET', costsPath(), { token: null });
		expect(r.status).toBe(401);
		expect(r.json.code).toBe(1001);
		expect(sim.requests[sim.requests.length - 1].auth).toMatchObject({ ok: false, code: 1001, present: false });
	});

	it('accepts a static API key and never logs it', async () => {
		const r = await call(sim, 'GET', costsPath(), { token: API_KEY });
		expect(r.status).toBe(200);
		expect(sim.requests[sim.requests.length - 1].auth).toMatchObject({ ok: true, kind: 'apiKey', iss: null });
		expect(JSON.stringify(sim.requests)).not.toContain(API_KEY);
	});
});

// ---------------------------------------------------------------------------------------------

type Case = [body: Record<string, unknown>, field: string];
const VALIDATION: Record<string, { valid: Array<Record<string, unknown>>; invalid: Case[] }> = {
	// New-standard bodies are validated per model path (test/simulator/newStandard.js; test/integration/newStandard.test.ts).
	newStandard: { valid: [], invalid: [] },
	textToVideo: {
		valid: [
			{ model_name: 'kling-v2-5-turbo', prompt: 'a cat', mode: 'pro', duration: '10', aspect_ratio: '9:16', callback_url: 'https://x.test/cb', external_task_id: 'v-t2v-1', watermark_info: { enabled: true } },
			{ prompt: 'a dog', cfg_scale: 0.3, camera_control: { type: 'simple', config: { zoom: 5 } } },
			{ model_name: 'kling-v3', prompt: 'x', duration: '12', mode: '4k', sound: 'on' },
			{ model_name: 'kling-v2-6', prompt: 'x', mode: 'pro', sound: 'on', voice_list: [{ voice_id: 'v1' }] },
			{ model_name: 'kling-v3', multi_shot: true, shot_type: 'customize', duration: '10', multi_prompt: [{ index: 1, prompt: 'a', duration: '4' }, { index: 2, prompt: 'b', duration: '6' }] },
			{ model: 'kling-v1', prompt: 'legacy model field' },
		],
		invalid: [
			[{ prompt: 'a cat', cfg_scale: 1.5 }, 'cfg_scale'],
			[{ prompt: 'a cat', duration: 5 }, 'duration'],
			[{ prompt: 'a cat', seed: 3 }, 'seed'],
			[{ negative_prompt: 'no prompt' }, 'prompt'],
			[{ prompt: 'x'.repeat(2501) }, 'prompt'],
			[{ prompt: 'a', model_name: 'kling-v2-1' }, 'model_name'],
			[{ prompt: 'a', mode: 'standard' }, 'mode'],
			[{ prompt: 'a', aspect_ratio: '4:3' }, 'aspect_ratio'],
			[{ prompt: 'a', camera_control: { type: 'simple', config: { zoom: 5, pan: 2 } } }, 'camera_control.config'],
			[{ prompt: 'a', camera_control: { type: 'simple' } }, 'camera_control.config'],
			[{ prompt: 'a', camera_control: { type: 'simple', config: { zoom: 0, pan: 0 } } }, 'camera_control.config'],
			[{ prompt: 'a', camera_control: { type: 'simple', config: { zoom: 11 } } }, 'camera_control.config.zoom'],
			[{ prompt: 'a', camera_control: { type: 'orbit' } }, 'camera_control.type'],
			[{ prompt: 'a', model_name: 'kling-v2-master', cfg_scale: 0.5 }, 'cfg_scale'],
			[{ prompt: 'a', callback_url: 'ftp://x/cb' }, 'callback_url'],
			[{ prompt: 'a', mode: '4k' }, 'mode'],
			// Capability map: kling-v2-6 std is silent only; voice control is kling-v2-6 only.
			[{ prompt: 'a', model_name: 'kling-v2-6', sound: 'on' }, 'sound'],
			[{ prompt: 'a', model_name: 'kling-v3', sound: 'on', voice_list: [{ voice_id: 'v1' }] }, 'voice_list'],
		],
	},
	imageToVideo: {
		valid: [
			{ model_name: 'kling-v2-1', image: IMG, prompt: 'walk', duration: '5', mode: 'pro' },
			{ image: B64, image_tail: IMG, model_name: 'kling-v1-6' },
			{ image_tail: B64 },
			{ image: B64, static_mask: B64, dynamic_masks: [{ mask: B64, trajectories: [{ x: 1, y: 2 }, { x: 3, y: 4 }] }] },
			{ image: IMG, camera_control: { type: 'down_back' } },
			{ image: IMG, model_name: 'kling-v3', element_list: [{ element_id: 829836802793406 }, { element_id: 2 }] },
		],
		invalid: [
			[{ prompt: 'no image' }, 'image'],
			[{ image: `data:image/png;base64,${B64}` }, 'image'],
			[{ image: IMG, aspect_ratio: '16:9' }, 'aspect_ratio'],
			[{ image: IMG, image_tail: IMG, camera_control: { type: 'down_back' } }, 'camera_control'],
			[{ image: IMG, static_mask: B64, camera_control: { type: 'forward_up' } }, 'camera_control'],
			[{ image: IMG, image_tail: IMG, dynamic_masks: [{ mask: B64, trajectories: [{ x: 1, y: 1 }, { x: 2, y: 2 }] }] }, 'dynamic_masks'],
			[{ image: IMG, dynamic_masks: [{ mask: B64, trajectories: [{ x: 1, y: 1 }] }] }, 'dynamic_masks[0].trajectories'],
			[{ image: 'not base64 !!' }, 'image'],
			[{ image: IMG, model_name: 'kling-v9' }, 'model_name'],
			[{ image: IMG, duration: '7' }, 'duration'],
			[{ image: IMG, model_name: 'kling-v3', element_list: [{ element_id: '829836802793406551' }] }, 'element_list[0].element_id'],
			[{ image: IMG, model_name: 'kling-v2-6', element_list: [{ element_id: 1 }] }, 'element_list'],
			[{ image: IMG, image_tail: IMG, model_name: 'kling-v2-6', mode: 'pro', sound: 'on' }, 'sound'],
		],
	},
	multiImageToVideo: {
		valid: [{ model_name: 'kling-v1-6', image_list: [{ image: IMG }, { image: B64 }], prompt: 'together', aspect_ratio: '1:1', duration: '10' }],
		invalid: [
			[{ image_list: [{ image: IMG }] }, 'prompt'],
			[{ prompt: 'x', image_list: [1, 2, 3, 4, 5].map(() => ({ image: IMG })) }, 'image_list'],
			[{ prompt: 'x', image_list: [{ url: IMG }] }, 'image_list[0].url'],
			[{ prompt: 'x', image_list: [{ image: IMG }], model_name: 'kling-v1' }, 'model_name'],
		],
	},
	extendVideo: {
		valid: [{ video_id: 'vid-1', prompt: 'continue', cfg_scale: 0.5, negative_prompt: 'blur' }],
		invalid: [
			[{ prompt: 'continue' }, 'video_id'],
			[{ video_id: 'v', cfg_scale: -0.1 }, 'cfg_scale'],
			[{ video_id: 'v', duration: '5' }, 'duration'],
		],
	},
	lipSync: {
		valid: [
			{ input: { mode: 'text2video', video_id: 'vid-1', text: 'hello', voice_id: 'oversea_male1', voice_language: 'en', voice_speed: 1.2 } },
			{ input: { mode: 'audio2video', video_url: 'https://x.test/v.mp4', audio_type: 'url', audio_url: 'https://x.test/a.mp3' }, callback_url: '' },
			{ input: { mode: 'audio2video', video_id: 'vid-1', audio_type: 'file', audio_file: B64 } },
		],
		invalid: [
			[{ input: { mode: 'text2video', video_id: 'v', text: 'x'.repeat(121), voice_id: 'a' } }, 'input.text'],
			[{ input: { mode: 'text2video', video_id: 'v', text: 'hi' } }, 'input.voice_id'],
			[{ input: { mode: 'text2video', video_id: 'v', video_url: 'https://x/v.mp4', text: 'hi', voice_id: 'a' } }, 'input.video_url'],
			[{ input: { mode: 'text2video', text: 'hi', voice_id: 'a' } }, 'input.video_id'],
			[{ input: { mode: 'text2video', video_id: 'v', text: 'hi', voice_id: 'a', voice_speed: 2.5 } }, 'input.voice_speed'],
			[{ input: { mode: 'audio2video', video_id: 'v' } }, 'input.audio_type'],
			[{ input: { mode: 'audio2video', video_id: 'v', audio_type: 'url' } }, 'input.audio_url'],
			[{ input: { mode: 'sing', video_id: 'v' } }, 'input.mode'],
			[{ input: { mode: 'text2video', video_id: 'v', text: 'hi', voice_id: 'a' }, mode: 'text2video' }, 'mode'],
			[{}, 'input'],
			// The legacy lip-sync field table has no external_task_id: the simulator does not vouch for it.
			[{ input: { mode: 'text2video', video_id: 'v', text: 'hi', voice_id: 'a' }, external_task_id: 'lip-ext' }, 'external_task_id'],
		],
	},
	videoEffects: {
		valid: [
			{ effect_scene: 'squish', input: { image: IMG, duration: '5' } },
			{ effect_scene: 'hug', input: { model_name: 'kling-v1-6', mode: 'std', images: [IMG, B64], duration: '10' } },
			{ effect_scene: 'kiss', input: { image: [IMG, IMG], duration: '5' } },
			// 09/2026 shape: no duration/model_name/mode; *_pro two-image scenes take `images`.
			{ effect_scene: 'hug_pro', input: { images: [IMG, B64] } },
			{ effect_scene: 'pet_lion_pro', input: { image: IMG }, external_task_id: '' },
		],
		invalid: [
			[{ effect_scene: 'hug', input: { images: [IMG], duration: '5' } }, 'input.images'],
			[{ effect_scene: 'hug_pro', input: { image: IMG } }, 'input.image'],
			[{ effect_scene: 'hug_pro', input: { images: [IMG, IMG], duration: 5 } }, 'input.duration'],
			[{ effect_scene: 'squish', input: { image: IMG, duration: '15' } }, 'input.duration'],
			[{ effect_scene: 'squish', input: { duration: '5' } }, 'input.image'],
			[{ input: { image: IMG, duration: '5' } }, 'effect_scene'],
			[{ effect_scene: 'fight', input: { model_name: 'kling-v1', images: [IMG, IMG], duration: '5' } }, 'input.model_name'],
		],
	},
	imageGeneration: {
		valid: [
			{ model_name: 'kling-v2-1', prompt: 'a castle', n: 4, aspect_ratio: '21:9', resolution: '2k' },
			{ prompt: 'me', image: B64, image_reference: 'subject', image_fidelity: 0.6, human_fidelity: 0.4 },
		],
		invalid: [
			[{ prompt: 'x', n: 10 }, 'n'],
			[{ prompt: 'x', image_reference: 'face' }, 'image'],
			[{ prompt: 'x', image: IMG, image_fidelity: 1.2 }, 'image_fidelity'],
			[{ prompt: 'x', resolution: '4k' }, 'resolution'],
			[{ prompt: 'x', aspect_ratio: '5:4' }, 'aspect_ratio'],
			[{ prompt: 'x', image: IMG, negative_prompt: 'no' }, 'negative_prompt'],
			[{ n: 1 }, 'prompt'],
			[{ prompt: 'x', model_name: 'kling-v1', aspect_ratio: '21:9' }, 'aspect_ratio'],
			[{ prompt: 'x', n: 1.5 }, 'n'],
		],
	},
	imageExpand: {
		valid: [{ image: IMG, up_expansion_ratio: 0.5, down_expansion_ratio: 0.5, left_expansion_ratio: 0.2, right_expansion_ratio: 0.2, prompt: 'sky', n: 2 }],
		invalid: [
			[{ up_expansion_ratio: 0.5 }, 'image'],
			[{ image: IMG, left_expansion_ratio: 2.5 }, 'left_expansion_ratio'],
			[{ image: IMG, up_expansion_ratio: 2, left_expansion_ratio: 2 }, 'up_expansion_ratio'],
			[{ image: IMG, n: 0 }, 'n'],
		],
	},
	omniVideo: {
		valid: [
			{ model_name: 'kling-video-o1', prompt: '<<<image_1>>> waves', image_list: [{ image_url: IMG }], aspect_ratio: '16:9', duration: '7' },
			{ prompt: 'dance', image_list: [{ image_url: IMG, type: 'first_frame' }, { image_url: B64, type: 'end_frame' }] },
			{ prompt: 'edit <<<video_1>>>', video_list: [{ video_url: 'https://x.test/v.mp4', refer_type: 'base', keep_original_sound: 'yes' }] },
			{ model_name: 'kling-v3-omni', prompt: 'x', aspect_ratio: '1:1', duration: '15', mode: '4k', element_list: [{ element_id: 829836802793406 }] },
		],
		invalid: [
			[{ prompt: 'x' }, 'aspect_ratio'],
			[{ prompt: 'x', aspect_ratio: '1:1', image_list: [{ image_url: IMG, type: 'end_frame' }] }, 'image_list'],
			[{ prompt: 'x', aspect_ratio: '1:1', duration: '15' }, 'duration'],
			[{ prompt: 'x', aspect_ratio: '1:1', mode: '4k' }, 'mode'],
			[{ prompt: 'x', aspect_ratio: '1:1', sound: 'on', video_list: [{ video_url: 'https://x.test/v.mp4', refer_type: 'feature' }] }, 'sound'],
			[{ prompt: 'x', aspect_ratio: '1:1', video_list: [{ video_url: B64 }] }, 'video_list[0].video_url'],
			[{ prompt: 'x', aspect_ratio: '1:1', element_list: [{ element_id: '1' }] }, 'element_list[0].element_id'],
			[{ prompt: 'x', aspect_ratio: '1:1', multi_shot: true, shot_type: 'intelligence' }, 'multi_shot'],
			[{ aspect_ratio: '1:1' }, 'prompt'],
		],
	},
	motionControl: {
		valid: [
			{ model_name: 'kling-v2-6', image_url: IMG, video_url: 'https://x.test/d.mp4', character_orientation: 'image', mode: 'pro', keep_original_sound: 'yes', callback_url: '', external_task_id: 'mc-1' },
			{ model_name: 'kling-v3', image_url: B64, video_url: 'https://x.test/d.mp4', character_orientation: 'video', mode: 'std', element_list: [{ element_id: 1 }] },
		],
		invalid: [
			[{ image_url: IMG, video_url: 'https://x.test/d.mp4', mode: 'std' }, 'character_orientation'],
			[{ image_url: IMG, video_url: 'https://x.test/d.mp4', character_orientation: 'image' }, 'mode'],
			[{ video_url: 'https://x.test/d.mp4', character_orientation: 'image', mode: 'std' }, 'image_url'],
			[{ image_url: IMG, video_url: B64, character_orientation: 'image', mode: 'std' }, 'video_url'],
			[{ image_url: IMG, video_url: 'https://x.test/d.mp4', character_orientation: 'image', mode: 'std', element_list: [{ element_id: 1 }] }, 'element_list'],
			[{ image_url: IMG, video_url: 'https://x.test/d.mp4', character_orientation: 'image', mode: 'std', duration: '5' }, 'duration'],
		],
	},
	avatar: {
		valid: [
			{ image: IMG, sound_file: 'https://x.test/a.mp3', prompt: 'nods', mode: 'pro' },
			{ image: B64, audio_id: 'tts-1' },
		],
		invalid: [
			[{ image: IMG }, 'audio_id'],
			[{ image: IMG, audio_id: 'a', sound_file: 'https://x.test/a.mp3' }, 'sound_file'],
			[{ sound_file: 'https://x.test/a.mp3' }, 'image'],
			[{ image: IMG, audio_id: 'a', mode: '4k' }, 'mode'],
			[{ image: IMG, audio_id: 'a', model_name: 'kling-v1' }, 'model_name'],
		],
	},
	advancedLipSync: {
		// Field checks only (the session check runs after them and is tested with a live session below).
		valid: [],
		invalid: [
			[{ face_choose: [{ face_id: '0', audio_id: 'a', sound_start_time: 0, sound_end_time: 3000, sound_insert_time: 0 }] }, 'session_id'],
			[{ session_id: 's', face_choose: [] }, 'face_choose'],
			[{ session_id: 's', face_choose: [{ face_id: '0', sound_start_time: 0, sound_end_time: 3000, sound_insert_time: 0 }] }, 'face_choose[0].audio_id'],
			[{ session_id: 's', face_choose: [{ face_id: '0', audio_id: 'a', sound_start_time: 0, sound_end_time: 1000, sound_insert_time: 0 }] }, 'face_choose[0].sound_end_time'],
			[{ session_id: 's', face_choose: [{ face_id: '0', audio_id: 'a', sound_start_time: 0, sound_end_time: 3000 }] }, 'face_choose[0].sound_insert_time'],
			[{ session_id: 's', face_choose: [{ face_id: '0', audio_id: 'a', sound_start_time: 0, sound_end_time: 3000, sound_insert_time: 0, sound_volume: 3 }] }, 'face_choose[0].sound_volume'],
		],
	},
	multiElements: {
		valid: [],
		invalid: [
			[{ edit_mode: 'removal', prompt: 'x' }, 'session_id'],
			[{ session_id: 's', edit_mode: 'recolor', prompt: 'x' }, 'edit_mode'],
			[{ session_id: 's', edit_mode: 'swap', prompt: 'x', image_list: [] }, 'image_list'],
			[{ session_id: 's', edit_mode: 'addition', prompt: 'x', image_list: [{ image: IMG }, { image: IMG }, { image: IMG }] }, 'image_list'],
			[{ session_id: 's', edit_mode: 'removal', image_list: [] }, 'prompt'],
			[{ session_id: 's', edit_mode: 'removal', prompt: 'x', duration: '7' }, 'duration'],
		],
	},
	virtualTryOn: {
		valid: [
			{ model_name: 'kolors-virtual-try-on-v1-5', human_image: IMG, cloth_image: B64 },
			{ human_image: B64 },
		],
		invalid: [
			[{ cloth_image: IMG }, 'human_image'],
			[{ human_image: IMG, model_name: 'kolors-v2' }, 'model_name'],
			[{ human_image: IMG, prompt: 'x' }, 'prompt'],
		],
	},
	// Audio and newer image families (kling-api-2026.md b.8–b.15).
	...MEDIA_VALIDATION,
	// Voices and elements: test/unit/library.test.ts has the documented examples and the lists / deletes.
	customVoice: {
		valid: [{ voice_name: 'Narrator', voice_url: 'https://x.test/voice.mp3', external_task_id: 'v-voice-1' }, { voice_name: 'From video', video_id: 'video-1', voice_url: '' }],
		invalid: [
			[{ voice_url: 'https://x.test/voice.mp3' }, 'voice_name'],
			[{ voice_name: 'x'.repeat(21), video_id: 'v' }, 'voice_name'],
			[{ voice_name: 'No source' }, 'voice_url'],
			[{ voice_name: 'n', voice_url: 'https://x.test/voice.ogg' }, 'voice_url'],
			[{ voice_name: 'n', voice_url: B64 }, 'voice_url'],
		],
	},
	customElement: {
		valid: [
			{ element_name: 'Fox', element_description: 'A red fox', reference_type: 'image_refer', element_image_list: { frontal_image: IMG, refer_images: [{ image_url: B64 }] }, tag_list: [{ tag_id: 'o_103' }] },
			{ element_name: 'Anna', element_description: 'A person', reference_type: 'video_refer', element_video_list: { refer_videos: [{ video_url: 'https://x.test/anna.mp4' }] }, element_voice_id: 'voice-1' },
		],
		invalid: [
			[{ element_description: 'd', reference_type: 'image_refer', element_image_list: { frontal_image: IMG, refer_images: [{ image_url: IMG }] } }, 'element_name'],
			[{ element_name: 'n', element_description: 'd'.repeat(101), reference_type: 'image_refer', element_image_list: { frontal_image: IMG, refer_images: [{ image_url: IMG }] } }, 'element_description'],
			[{ element_name: 'n', element_description: 'd', reference_type: 'image_refer' }, 'element_image_list'],
			[{ element_name: 'n', element_description: 'd', reference_type: 'image_refer', element_image_list: { frontal_image: IMG, refer_images: [] } }, 'element_image_list.refer_images'],
			[{ element_name: 'n', element_description: 'd', reference_type: 'image_refer', element_image_list: { frontal_image: IMG, refer_images: [1, 2, 3, 4].map((n) => ({ image_url: `${IMG}?${n}` })) } }, 'element_image_list.refer_images'],
			[{ element_name: 'n', element_description: 'd', reference_type: 'video_refer', element_video_list: { refer_videos: [{ video_url: 'https://x.test/a.mp4' }, { video_url: 'https://x.test/b.mp4' }] } }, 'element_video_list.refer_videos'],
			[{ element_name: 'n', element_description: 'd', reference_type: 'video_refer', element_video_list: { refer_videos: [{ video_url: B64 }] } }, 'element_video_list.refer_videos[0].video_url'],
			[{ element_name: 'n', element_description: 'd', reference_type: 'audio_refer' }, 'reference_type'],
			[{ element_name: 'n', element_description: 'd', reference_type: 'image_refer', element_image_list: { frontal_image: IMG, refer_images: [{ image_url: IMG }] }, tag_list: [{ tag_id: 'o_999' }] }, 'tag_list[0].tag_id'],
		],
	},
};

describe('create-body validation per endpoint (1200/1201 naming the field)', () => {
	let sim: KlingSimulator;
	beforeAll(async () => {
		sim = await startSimulator({ autoAdvance: false });
	});
	afterAll(() => sim.close());

	it('covers every endpoint', () => {
		expect(Object.keys(VALIDATION).sort()).toEqual([...TASK_TYPES].sort());
	});

	for (const [type, { valid, invalid }] of Object.entries(VALIDATION)) {
		if (!valid.length && !invalid.length) continue;
		describe(type, () => {
			if (valid.length) it.each(valid.map((b, i) => [i, b]))('accepts valid body #%s', async (_i, body) => {
				const r = await create(sim, type as keyof typeof ENDPOINTS, body);
				expect(r.json.message).toBe('SUCCEED');
				expect(r.status).toBe(200);
				expect(r.json.code).toBe(0);
				expect(typeof r.json.data.task_id).toBe('string');
				expect(r.json.data.task_status).toBe('submitted');
			});
			it.each(invalid.map(([b, f]) => [f, b]))('rejects a bad %s', async (field, body) => {
				const r = await create(sim, type as keyof typeof ENDPOINTS, body);
				expect(r.status).toBe(400);
				expect([1200, 1201]).toContain(r.json.code);
				expect(r.json.message.startsWith(`${field}: `)).toBe(true);
				expect(r.json.data).toBeUndefined();
			});
		});
	}

	it('says why a data: prefix is refused, and that duration must be a string', async () => {
		const a = await create(sim, 'imageToVideo', { image: `data:image/png;base64,${B64}` });
		expect(a.json.message).toMatch(/^image: .*data:/);
		const b = await create(sim, 'textToVideo', { prompt: 'x', duration: 10 });
		expect(b.json.message).toMatch(/^duration: must be a string/);
		const c = await create(sim, 'textToVideo', { prompt: 'x', cfg_scale: 2 });
		expect(c.json).toMatchObject({ code: 1201, message: 'cfg_scale: must be between 0 and 1' });
	});

	it('rejects a body that is not JSON and a duplicate external_task_id with 1201 naming it', async () => {
		const bad = await fetch(`${sim.url}${ENDPOINTS.textToVideo.path}`, {
			method: 'POST',
			headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
			body: '{"prompt":',
		});
		expect(((await bad.json()) as { code: number }).code).toBe(1200);
		const first = await create(sim, 'textToVideo', { prompt: 'x', external_task_id: 'dup-1' });
		expect(first.json.code).toBe(0);
		const again = await create(sim, 'imageGeneration', { prompt: 'x', external_task_id: 'dup-1' });
		expect(again.status).toBe(400);
		expect(again.json.code).toBe(1201);
		expect(again.json.message).toMatch(/^external_task_id: /);
	});

	it('omits task_info in the create answer where Kling does (image generation, try-on, multi-image)', async () => {
		const g = await create(sim, 'imageGeneration', { prompt: 'x', external_task_id: 'no-info-1' });
		expect(g.json.data.task_info).toBeUndefined();
		const t = await create(sim, 'textToVideo', { prompt: 'x', external_task_id: 'info-1' });
		expect(t.json.data.task_info).toEqual({ external_task_id: 'info-1' });
		expect(t.json.data.created_at).toBeGreaterThan(1e12);
	});
});

// ---------------------------------------------------------------------------------------------

describe('lifecycle and callbacks', () => {
	let sim: KlingSimulator;
	let hook: Awaited<ReturnType<typeof receiver>>;
	beforeEach(async () => {
		hook = await receiver();
		sim = await startSimulator({ webhookSecret: WEBHOOK_SECRET, timings: { toProcessingMs: 10, toFinishMs: 40 } });
	});
	afterEach(async () => {
		await sim.close();
		await hook.close();
	});

	it('runs submitted → processing → succeed and posts signed bare task objects', async () => {
		const created = await create(sim, 'textToVideo', { prompt: 'a cat', duration: '10', callback_url: hook.url, external_task_id: 'life-1' });
		const taskId = created.json.data.task_id;
		await sim.waitFor(() => hook.received.length >= 2);
		expect(hook.received.map((r) => r.body.task_status)).toEqual(['processing', 'succeed']);
		for (const r of hook.received) {
			expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
			expect(r.body.code).toBeUndefined();
			expect(r.body.task_id).toBe(taskId);
			expect(r.body.task_info.external_task_id).toBe('life-1');
			const verdict = verifyStandardWebhook({ secret: WEBHOOK_SECRET, headers: r.headers, rawBody: r.raw, nowSeconds: nowSec() });
			expect(verdict.ok).toBe(true);
			expect(r.headers['webhook-signature']).toBe(
				signWebhook(WEBHOOK_SECRET, String(r.headers['webhook-id']), String(r.headers['webhook-timestamp']), r.raw),
			);
		}
		const done = hook.received[1].body;
		expect(done.task_result.videos).toEqual([{ id: expect.any(String), url: `${sim.url}/media/${taskId}/0.mp4`, duration: '10' }]);
		expect(typeof done.final_unit_deduction).toBe('string');
		expect(done.updated_at).toBeGreaterThan(hook.received[0].body.updated_at);
		expect(done.created_at).toBeGreaterThan(1e12);

		const got = await call(sim, 'GET', `${ENDPOINTS.textToVideo.path}/${taskId}`);
		expect(got.json.data).toEqual(done);
		expect(sim.callbacks.map((c) => [c.status, c.delivered, c.statusCode])).toEqual([
			['processing', true, 200],
			['succeed', true, 200],
		]);
	});

	it('fails a task whose prompt contains sim:fail, with task_status_msg', async () => {
		await create(sim, 'lipSync', { input: { mode: 'text2video', video_id: 'v1', text: 'say sim:fail', voice_id: 'a' }, callback_url: hook.url });
		await sim.waitFor(() => hook.received.some((r) => r.body.task_status === 'failed'));
		const failed = hook.received.find((r) => r.body.task_status === 'failed')!.body;
		expect(failed.task_status_msg).toMatch(/\S/);
		expect(failed.task_result).toBeUndefined();
		expect(failed.task_info.parent_video).toMatchObject({ id: 'v1' });
	});

	it('failureRate 1 fails every task; progress:false sends only the terminal callback', async () => {
		sim.setOptions({ failureRate: 1, callbacks: { progress: false } });
		await create(sim, 'imageGeneration', { prompt: 'x', callback_url: hook.url });
		await sim.waitFor(() => sim.tasks()[0].task_status === 'failed');
		await sim.waitFor(() => hook.received.length === 1);
		expect(hook.received[0].body.task_status).toBe('failed');
		expect(sim.callbacks.map((c) => c.status)).toEqual(['failed']);
	});

	it('autoAdvance:false keeps tasks until advance(); images per n; extend carries parent_video', async () => {
		sim.setOptions({ autoAdvance: false });
		const img = await create(sim, 'imageGeneration', { prompt: 'x', n: 3, callback_url: hook.url, watermark_info: { enabled: true } });
		const ext = await create(sim, 'extendVideo', { video_id: 'vid-77', external_task_id: 'ext-1' });
		expect(sim.tasks().map((t) => t.task_status)).toEqual(['submitted', 'submitted']);
		const id = img.json.data.task_id;
		sim.advance(id, 'processing');
		const done = sim.advance(id, 'succeed');
		expect(done.task_result.images).toEqual([0, 1, 2].map((index) => ({
			index,
			url: `${sim.url}/media/${id}/${index}.png`,
			watermark_url: `${sim.url}/media/${id}/${index}-wm.png`,
		})));
		await sim.waitFor(() => hook.received.length === 2);
		const extended = sim.advance('ext-1', 'succeed');
		expect(extended.task_id).toBe(ext.json.data.task_id);
		expect(extended.task_info.parent_video).toEqual({ id: 'vid-77', url: expect.stringMatching(/\.mp4$/), duration: '5' });
		expect(() => sim.advance('nope', 'succeed')).toThrow(/unknown task/);
	});
});

describe('Standard Webhooks signer', () => {
	it('reproduces the official Kling test vector (reference §5.4)', () => {
		const body = '{"id":"1234567890","status":"succeeded","message":"","create_time":1781080778802,"update_time":1781080794151}';
		expect(signWebhook(WEBHOOK_SECRET, '9876543210', 1781080794, body)).toBe('v1,UsKlJP00XoQyOn410NM9xv34sP+Gl0jnOO9Lcpr7NJ4=');
	});

	it('sends no signature headers when no webhook secret is set', async () => {
		const hook = await receiver();
		const sim = await startSimulator({ autoAdvance: false });
		try {
			const r = await create(sim, 'textToVideo', { prompt: 'x', callback_url: hook.url });
			sim.advance(r.json.data.task_id, 'succeed');
			await sim.waitFor(() => hook.received.length === 1);
			expect(hook.received[0].headers['webhook-signature']).toBeUndefined();
			expect(hook.received[0].headers['webhook-id']).toBeUndefined();
		} finally {
			await sim.close();
			await hook.close();
		}
	});
});

describe('callback fault knobs (seeded)', () => {
	let hook: Awaited<ReturnType<typeof receiver>>;
	beforeEach(async () => {
		hook = await receiver();
	});
	afterEach(() => hook.close());

	async function runTasks(sim: KlingSimulator, n: number): Promise<string[]> {
		const ids: string[] = [];
		for (let i = 0; i < n; i++) {
			const r = await create(sim, 'textToVideo', { prompt: `t${i}`, callback_url: hook.url });
			ids.push(r.json.data.task_id);
			sim.advance(r.json.data.task_id, 'processing');
			sim.advance(r.json.data.task_id, 'succeed');
		}
		return ids;
	}

	it('drop: 1 records every callback as dropped and sends nothing', async () => {
		const sim = await startSimulator({ autoAdvance: false, callbacks: { drop: 1 } });
		try {
			await runTasks(sim, 2);
			await sim.waitFor(() => sim.callbacks.length === 4);
			expect(sim.callbacks.every((c) => c.dropped && !c.delivered)).toBe(true);
			expect(hook.received).toHaveLength(0);
		} finally {
			await sim.close();
		}
	});

	it('duplicate: 1 delivers each callback twice with the same webhook-id and body', async () => {
		const sim = await startSimulator({ autoAdvance: false, webhookSecret: WEBHOOK_SECRET, callbacks: { duplicate: 1, progress: false } });
		try {
			await runTasks(sim, 1);
			await sim.waitFor(() => hook.received.length === 2);
			const [a, b] = hook.received;
			expect(a.raw).toBe(b.raw);
			expect(a.headers['webhook-id']).toBe(b.headers['webhook-id']);
			expect(sim.callbacks.map((c) => c.duplicate)).toEqual([false, true]);
		} finally {
			await sim.close();
		}
	});

	it('reorder: 1 delivers the terminal callback before the (stale) processing one', async () => {
		const sim = await startSimulator({ autoAdvance: false, callbacks: { reorder: 1 } });
		try {
			await runTasks(sim, 1);
			await sim.waitFor(() => hook.received.length === 2);
			expect(hook.received.map((r) => r.body.task_status)).toEqual(['succeed', 'processing']);
			expect(hook.received[1].body.updated_at).toBeLessThan(hook.received[0].body.updated_at);
			expect(sim.callbacks[1].reordered).toBe(true);
		} finally {
			await sim.close();
		}
	});

	it('delayMs holds deliveries (recorded only once sent)', async () => {
		const sim = await startSimulator({ autoAdvance: false, callbacks: { delayMs: 100, progress: false } });
		try {
			await runTasks(sim, 1);
			expect(sim.callbacks).toHaveLength(0);
			await sim.waitFor(() => hook.received.length === 1);
		} finally {
			await sim.close();
		}
	});

	it('the same seed gives the same drop/duplicate pattern; another seed a different one', async () => {
		const pattern = async (seed: number) => {
			const sim = await startSimulator({ autoAdvance: false, seed, callbacks: { drop: 0.5, duplicate: 0.3 } });
			try {
				await runTasks(sim, 12);
				await sim.waitFor(() => sim.callbacks.filter((c) => !c.duplicate).length === 24);
				await sim.waitFor(() => sim.callbacks.every((c) => c.dropped || c.statusCode !== null));
				return sim.callbacks.map((c) => `${c.status}:${c.dropped ? 'D' : ''}${c.duplicate ? '2' : ''}`).join(',');
			} finally {
				await sim.close();
			}
		};
		const a = await pattern(7);
		expect(await pattern(7)).toBe(a);
		expect(await pattern(8)).not.toBe(a);
		expect(a).toContain('D');
	});
});

// ---------------------------------------------------------------------------------------------

describe('queries', () => {
	let sim: KlingSimulator;
	beforeAll(async () => {
		sim = await startSimulator({ autoAdvance: false });
	});
	afterAll(() => sim.close());

	it('lists newest first with 1-based pageNum and pageSize up to 500', async () => {
		const base = Date.now() - 10_000_000;
		for (let i = 0; i < 650; i++) sim.insertTask('imageExpand', { created_at: base + i * 1000 });
		sim.insertTask('textToVideo', { created_at: base + 999_999_999 });
		const p1 = await call(sim, 'GET', `${ENDPOINTS.imageExpand.path}?pageNum=1&pageSize=500`);
		const p2 = await call(sim, 'GET', `${ENDPOINTS.imageExpand.path}?pageNum=2&pageSize=500`);
		expect(p1.json.data).toHaveLength(500);
		expect(p2.json.data).toHaveLength(150);
		const all = [...p1.json.data, ...p2.json.data];
		expect(all[0].created_at).toBe(base + 649 * 1000);
		for (let i = 1; i < all.length; i++) expect(all[i].created_at).toBeLessThan(all[i - 1].created_at);
		expect(all.every((t) => t.task_status === 'succeed' && t.task_result.images.length === 1)).toBe(true);
		const dflt = await call(sim, 'GET', ENDPOINTS.imageExpand.path);
		expect(dflt.json.data).toHaveLength(30);
		const tooBig = await call(sim, 'GET', `${ENDPOINTS.imageExpand.path}?pageNum=1&pageSize=501`);
		expect(tooBig.status).toBe(400);
		expect(tooBig.json).toMatchObject({ code: 1201, message: expect.stringMatching(/^pageSize: /) });
		const zero = await call(sim, 'GET', `${ENDPOINTS.imageExpand.path}?pageNum=0`);
		expect(zero.json.message).toMatch(/^pageNum: /);
	});

	it('gets a task by task_id, by external_task_id in the path and by ?external_task_id=', async () => {
		const r = await create(sim, 'videoEffects', { effect_scene: 'squish', input: { image: IMG, duration: '5' }, external_task_id: 'fx-ext-1' });
		const id = r.json.data.task_id;
		const byId = await call(sim, 'GET', `${ENDPOINTS.videoEffects.path}/${id}`);
		const byPath = await call(sim, 'GET', `${ENDPOINTS.videoEffects.path}/fx-ext-1`);
		const byQuery = await call(sim, 'GET', `${ENDPOINTS.videoEffects.path}?external_task_id=fx-ext-1`);
		for (const a of [byId, byPath, byQuery]) {
			expect(a.status).toBe(200);
			expect(a.json.data.task_id).toBe(id);
			expect(a.json.data.task_info.external_task_id).toBe('fx-ext-1');
		}
	});

	it('answers 1203 / HTTP 404 for an unknown id or a task of another endpoint', async () => {
		const unknown = await call(sim, 'GET', `${ENDPOINTS.lipSync.path}/does-not-exist`);
		expect(unknown.status).toBe(404);
		expect(unknown.json.code).toBe(1203);
		const t = sim.insertTask('textToVideo', { external_task_id: 'only-t2v' });
		const wrongType = await call(sim, 'GET', `${ENDPOINTS.imageToVideo.path}/${t.task_id}`);
		expect(wrongType.json.code).toBe(1203);
		const unknownQuery = await call(sim, 'GET', `${ENDPOINTS.lipSync.path}?external_task_id=nope`);
		expect(unknownQuery.json.code).toBe(1203);
		const noRoute = await call(sim, 'GET', '/v1/videos/unknown-endpoint');
		expect(noRoute.json.code).toBe(1202);
	});

	it('/account/costs requires start_time and end_time in ms and returns resource packs', async () => {
		const missing = await call(sim, 'GET', ACCOUNT_COSTS_PATH);
		expect(missing.status).toBe(400);
		expect(missing.json.message).toMatch(/^start_time: /);
		const noEnd = await call(sim, 'GET', `${ACCOUNT_COSTS_PATH}?start_time=${Date.now()}`);
		expect(noEnd.json.message).toMatch(/^end_time: /);
		const seconds = await call(sim, 'GET', `${ACCOUNT_COSTS_PATH}?start_time=${nowSec() - 60}&end_time=${nowSec()}`);
		expect(seconds.json.code).toBe(1201);
		const ok = await call(sim, 'GET', costsPath());
		expect(ok.json.code).toBe(0);
		expect(ok.json.data).toMatchObject({ code: 0, msg: expect.any(String) });
		const packs = ok.json.data.resource_pack_subscribe_infos;
		expect(packs.length).toBeGreaterThan(0);
		for (const p of packs) {
			expect(p).toEqual({
				resource_pack_name: expect.any(String),
				resource_pack_id: expect.any(String),
				resource_pack_type: expect.stringMatching(/^(decreasing_total|constant_period)$/),
				total_quantity: expect.any(Number),
				remaining_quantity: expect.any(Number),
				purchase_time: expect.any(Number),
				effective_time: expect.any(Number),
				invalid_time: expect.any(Number),
				status: expect.stringMatching(/^(toBeOnline|online|expired|runOut)$/),
			});
		}
	});
});

describe('create faults', () => {
	it('answers the queued errors in order (Kling codes, bare HTTP 429 with Retry-After), then creates', async () => {
		const sim = await startSimulator({
			autoAdvance: false,
			faults: { createErrors: [{ code: 1303, times: 2 }, { code: 5000 }, { http: 429, times: 1, retryAfter: 3 }] },
		});
		try {
			const answers: Answer[] = [];
			for (let i = 0; i < 5; i++) answers.push(await create(sim, 'textToVideo', { prompt: 'x' }));
			expect(answers.map((a) => [a.status, a.json.code])).toEqual([
				[429, 1303],
				[429, 1303],
				[500, 5000],
				[429, undefined],
				[200, 0],
			]);
			expect(answers[3].headers.get('retry-after')).toBe('3');
			expect(sim.tasks()).toHaveLength(1);
			sim.setOptions({ faults: { createErrors: [{ code: 5002 }] } });
			const again = await create(sim, 'textToVideo', { prompt: 'x' });
			expect([again.status, again.json.code]).toEqual([504, 5002]);
		} finally {
			await sim.close();
		}
	});

	it('createTimeoutAfterAccept stores the task but answers only after the hold', async () => {
		const sim = await startSimulator({ autoAdvance: false, faults: { createTimeoutAfterAccept: 1, createHoldMs: 400 } });
		try {
			await expect(
				call(sim, 'POST', ENDPOINTS.textToVideo.path, { body: { prompt: 'x', external_task_id: 'held-1' }, signal: AbortSignal.timeout(100) }),
			).rejects.toThrow();
			const found = await call(sim, 'GET', `${ENDPOINTS.textToVideo.path}/held-1`);
			expect(found.json.data.task_info.external_task_id).toBe('held-1');
			expect(sim.requests.find((r) => r.method === 'POST')!.held).toBe(true);
			const next = await create(sim, 'textToVideo', { prompt: 'x', external_task_id: 'held-2' });
			expect(next.json.code).toBe(0);
		} finally {
			await sim.close();
		}
	});

	it('close() releases a create held for the default 65 s', async () => {
		const sim = await startSimulator({ autoAdvance: false, faults: { createTimeoutAfterAccept: 1 } });
		const pending = create(sim, 'textToVideo', { prompt: 'x', external_task_id: 'held-long' });
		await sim.waitFor(() => sim.task('held-long'));
		await sim.close();
		await expect(pending).rejects.toThrow();
	});
});

describe('media', () => {
	let sim: KlingSimulator;
	beforeAll(async () => {
		sim = await startSimulator({ autoAdvance: false });
	});
	afterAll(() => sim.close());

	const fetchBytes = async (url: string) => {
		const res = await fetch(url);
		return { res, buf: Buffer.from(await res.arrayBuffer()) };
	};

	it('serves a small valid MP4 (ftyp first, moov with mvhd, boxes tile the file)', async () => {
		const r = await create(sim, 'textToVideo', { prompt: 'x' });
		const task = sim.advance(r.json.data.task_id, 'succeed');
		const { res, buf } = await fetchBytes(task.task_result.videos[0].url);
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toBe('video/mp4');
		expect(buf.toString('ascii', 4, 8)).toBe('ftyp');
		const boxes = mp4Boxes(buf);
		expect(boxes.map((b) => b.type)).toEqual(['ftyp', 'moov', 'mdat']);
		const moov = buf.subarray(boxes[1].start + 8, boxes[1].start + boxes[1].size);
		expect(mp4Boxes(moov).map((b) => b.type)).toEqual(['mvhd', 'trak']);
		expect(buf.length).toBeLessThan(4096);
		// Media need no Authorization; the log records whether one was sent.
		expect(sim.requests[sim.requests.length - 1]).toMatchObject({ path: expect.stringMatching(/^\/media\//), auth: { present: false } });
	});

	it('serves a valid PNG (signature, IHDR first, IEND last)', async () => {
		const task = sim.insertTask('virtualTryOn');
		const { res, buf } = await fetchBytes(task.task_result.images[0].url);
		expect(res.headers.get('content-type')).toBe('image/png');
		expect(buf.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
		expect(buf.toString('ascii', 12, 16)).toBe('IHDR');
		expect(buf.toString('ascii', buf.length - 8, buf.length - 4)).toBe('IEND');
		expect(buf.readUInt32BE(16)).toBeGreaterThan(0);
	});

	it('404s media of an unknown task', async () => {
		expect((await fetch(`${sim.url}/media/123/0.mp4`)).status).toBe(404);
	});

	it('streams a large MP4 of exactly the size named by sim:large=<bytes>', async () => {
		const size = 5_000_123;
		const r = await create(sim, 'imageToVideo', { image: IMG, prompt: `big one sim:large=${size}` });
		const task = sim.advance(r.json.data.task_id, 'succeed');
		expect(task.task_result.videos[0].url).toBe(`${sim.url}/media/large/${size}.mp4`);
		const res = await fetch(task.task_result.videos[0].url);
		expect(res.headers.get('content-length')).toBe(String(size));
		const reader = res.body!.getReader();
		let total = 0;
		let chunks = 0;
		let head: Buffer | undefined;
		for (;;) {
			const { done, value } = await reader.read();
			if (done) break;
			if (!head) head = Buffer.from(value.subarray(0, 16));
			total += value.length;
			chunks++;
		}
		expect(total).toBe(size);
		expect(chunks).toBeGreaterThan(1);
		expect(head!.toString('ascii', 4, 8)).toBe('ftyp');
	});

	it('can serve media from a separate origin', async () => {
		const other = await startSimulator({ autoAdvance: false, mediaOrigin: 'separate' });
		try {
			const t = other.insertTask('textToVideo');
			expect(other.mediaUrl).not.toBe(other.url);
			expect(t.task_result.videos[0].url.startsWith(`${other.mediaUrl}/media/`)).toBe(true);
			const res = await fetch(t.task_result.videos[0].url);
			expect(res.status).toBe(200);
			expect((await fetch(`${other.mediaUrl}${ENDPOINTS.textToVideo.path}`)).status).toBe(404);
		} finally {
			await other.close();
		}
	});
});

describe('control API and CLI', () => {
	it('exposes state without secrets, options, advance, insert and reset over HTTP', async () => {
		const sim = await startSimulator({ autoAdvance: false, webhookSecret: WEBHOOK_SECRET });
		try {
			const r = await create(sim, 'textToVideo', { prompt: 'x' });
			const id = r.json.data.task_id;
			const post = (p: string, body: unknown) =>
				fetch(`${sim.url}${p}`, { method: 'POST', body: JSON.stringify(body) }).then((x) => x.json() as Promise<any>);
			const opts = await post('/__sim/options', { callbacks: { drop: 0.25 }, faults: { createErrors: [{ code: 1303 }] } });
			expect(opts.data.callbacks.drop).toBe(0.25);
			expect(sim.options.faults.createErrors).toEqual([{ code: 1303, times: 1 }]);
			const adv = await post(`/__sim/tasks/${id}/advance`, { status: 'succeed' });
			expect(adv.data.task_status).toBe('succeed');
			const bad = await post(`/__sim/tasks/${id}/advance`, { status: 'done' });
			expect(bad.code).toBe(1201);
			const inserted = await post('/__sim/tasks', { type: 'imageGeneration', overrides: { task_status: 'processing' } });
			expect(inserted.data.task_status).toBe('processing');
			const state = (await fetch(`${sim.url}/__sim/state`).then((x) => x.json())) as any;
			expect(state.data.tasks).toHaveLength(2);
			expect(state.data.requests.length).toBeGreaterThan(0);
			const text = JSON.stringify(state);
			expect(text).not.toContain('sk_test');
			expect(text).not.toContain(WEBHOOK_SECRET);
			expect(text).not.toContain(API_KEY);
			await post('/__sim/reset', {});
			expect(sim.tasks()).toHaveLength(0);
			expect(sim.requests).toHaveLength(0);
		} finally {
			await sim.close();
		}
	});

	it('CLI prints its URL and serves the API', async () => {
		const child = spawn(process.execPath, [path.join(__dirname, '..', 'simulator', 'cli.js'), '--port', '0', '--fast'], {
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		try {
			const url = await new Promise<string>((resolve, reject) => {
				let out = '';
				child.stdout.on('data', (c: Buffer) => {
					out += c.toString();
					const m = /Kling simulator listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
					if (m) resolve(m[1]);
				});
				child.on('exit', (code) => reject(new Error(`cli exited ${code}`)));
			});
			const res = await fetch(`${url}${costsPath()}`, { headers: { authorization: `Bearer ${API_KEY}` } });
			expect(((await res.json()) as { code: number }).code).toBe(0);
		} finally {
			const exited = new Promise((r) => child.once('exit', r));
			child.kill('SIGTERM');
			await exited;
		}
	});
});

// ---------------------------------------------------------------------------------------------

describe('2026 families: synchronous sessions, lifecycle, query and list', () => {
	let sim: KlingSimulator;
	let hook: Awaited<ReturnType<typeof receiver>>;
	beforeEach(async () => {
		hook = await receiver();
		sim = await startSimulator({ timings: { toProcessingMs: 10, toFinishMs: 40 } });
	});
	afterEach(async () => {
		await sim.close();
		await hook.close();
	});

	it('identify-face answers a session and faces at once; advanced-lip-sync needs that session and one of its faces', async () => {
		const face = await call(sim, 'POST', '/v1/videos/identify-face', { body: { video_url: 'https://x.test/talk.mp4', video_id: '' } });
		expect(face.json.code).toBe(0);
		const sessionId = face.json.data.session_id;
		expect(face.json.data.face_data.map((f: { face_id: string }) => f.face_id)).toEqual(['0', '1']);
		const choose = (faceId: string) => [{ face_id: faceId, sound_file: 'https://x.test/a.mp3', sound_start_time: 0, sound_end_time: 3000, sound_insert_time: 500 }];
		const unknownSession = await create(sim, 'advancedLipSync', { session_id: 'nope', face_choose: choose('0') });
		expect(unknownSession.json.message).toMatch(/^session_id: /);
		const unknownFace = await create(sim, 'advancedLipSync', { session_id: sessionId, face_choose: choose('7') });
		expect(unknownFace.json.message).toMatch(/^face_choose\[0\]\.face_id: /);
		const ok = await create(sim, 'advancedLipSync', { session_id: sessionId, face_choose: choose('1'), callback_url: hook.url, external_task_id: 'als-1' });
		expect(ok.json.code).toBe(0);
		await sim.waitFor(() => hook.received.some((r) => r.body.task_status === 'succeed'));
		const done = await call(sim, 'GET', `${ENDPOINTS.advancedLipSync.path}/als-1`);
		expect(done.json.data.task_info.parent_video.url).toBe('https://x.test/talk.mp4');
		expect(done.json.data.task_result.videos).toHaveLength(1);
		const list = await call(sim, 'GET', `${ENDPOINTS.advancedLipSync.path}?pageNum=1&pageSize=10`);
		expect(list.json.data.map((t: { task_id: string }) => t.task_id)).toEqual([ok.json.data.task_id]);
		const noFace = await call(sim, 'POST', '/v1/videos/identify-face', { body: { video_id: 'x', video_url: 'https://x.test/v.mp4' } });
		expect(noFace.json.message).toMatch(/^video_url: /);
	});

	it('multi-elements: init → add → preview → delete (exact points) → create; results carry the session', async () => {
		const init = await call(sim, 'POST', '/v1/videos/multi-elements/init-selection', { body: { video_url: 'https://x.test/5s.mp4' } });
		const sessionId = init.json.data.session_id;
		const empty = await create(sim, 'multiElements', { session_id: sessionId, edit_mode: 'removal', prompt: 'remove <<<video_1>>>' });
		expect(empty.json.message).toMatch(/^session_id: mark the element/);
		const point = { x: 0.77, y: 0.29 };
		const add = await call(sim, 'POST', '/v1/videos/multi-elements/add-selection', { body: { session_id: sessionId, frame_index: 0, points: [point] } });
		expect(add.json.data.res.rle_mask_list).toHaveLength(1);
		const preview = await call(sim, 'POST', '/v1/videos/multi-elements/preview-selection', { body: { session_id: sessionId } });
		expect(preview.json.data.res.video).toMatch(/^http/);
		const wrongDelete = await call(sim, 'POST', '/v1/videos/multi-elements/delete-selection', { body: { session_id: sessionId, frame_index: 0, points: [{ x: 0.1, y: 0.1 }] } });
		expect(wrongDelete.json.message).toMatch(/^points: /);
		const badPoint = await call(sim, 'POST', '/v1/videos/multi-elements/add-selection', { body: { session_id: sessionId, frame_index: 0, points: [{ x: 2, y: 0 }] } });
		expect(badPoint.json.message).toMatch(/^points\[0\]\.x: /);
		const created = await create(sim, 'multiElements', { session_id: sessionId, edit_mode: 'removal', image_list: [], prompt: 'remove <<<video_1>>>', mode: 'std', duration: '5' });
		expect(created.json.code).toBe(0);
		const taskId = created.json.data.task_id;
		await sim.waitFor(() => sim.task(taskId)?.task.task_status === 'succeed');
		expect(sim.task(taskId)!.task.task_result.videos[0].session_id).toBe(sessionId);
		const clear = await call(sim, 'POST', '/v1/videos/multi-elements/clear-selection', { body: { session_id: sessionId } });
		expect(clear.json.code).toBe(0);
		const afterClear = await create(sim, 'multiElements', { session_id: sessionId, edit_mode: 'swap', image_list: [{ image: IMG }], prompt: 'swap' });
		expect(afterClear.json.message).toMatch(/^session_id: mark the element to swap first/);
		expect((await call(sim, 'GET', '/v1/videos/multi-elements/init-selection')).status).toBe(404);
	});

	it.each(['omniVideo', 'motionControl', 'avatar'] as const)('%s: create → callbacks → query by external id → list', async (type) => {
		const bodies = {
			omniVideo: { prompt: 'x', aspect_ratio: '1:1' },
			motionControl: { image_url: IMG, video_url: 'https://x.test/d.mp4', character_orientation: 'image', mode: 'std' },
			avatar: { image: IMG, audio_id: 'tts-1' },
		};
		const r = await create(sim, type, { ...bodies[type], callback_url: hook.url, external_task_id: `${type}-1` });
		expect(r.json.code).toBe(0);
		await sim.waitFor(() => hook.received.length >= 2);
		expect(hook.received.map((h) => h.body.task_status)).toEqual(['processing', 'succeed']);
		const got = await call(sim, 'GET', `${ENDPOINTS[type].path}/${type}-1`);
		expect(got.json.data.task_result.videos[0].url).toMatch(/\.mp4$/);
		const list = await call(sim, 'GET', `${ENDPOINTS[type].path}?pageNum=1&pageSize=5`);
		expect(list.json.data).toHaveLength(1);
	});
});
