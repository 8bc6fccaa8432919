/**
 * Kling AI action node: request bodies built through a REAL n8n-core ExecuteContext (parameters
 * resolved by n8n, defaults from the description), checked against the simulator's strict
 * validator; and every pre-request validation error names the field. No network here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NodeHelpers, NodeOperationError, type IDataObject, type INodeParameters } from 'n8n-workflow';
import { executeContext, initBinaryData, simulatorCredentials } from '../helpers/n8n';
import { buildCreateBody } from '../../nodes/KlingAi/resources/create';
import { CREATE_OPERATIONS, findCreateOperation } from '../../nodes/KlingAi/resources';
import { ENDPOINTS } from '../../nodes/KlingAi/shared/endpoints';
import { allCombos, baseParameters, needsServer, node, png } from '../integration/actionFixtures';
import { validateCreate } from '../simulator/validate';

const creds = simulatorCredentials('http://127.0.0.1:9');

function ctxFor(parameters: IDataObject, items = [{ json: {} }], mode: 'manual' | 'trigger' = 'manual') {
	return executeContext({ nodeType: node, parameters, credentials: creds }, items, mode);
}

async function bodyFor(parameters: IDataObject, items?: Array<{ json: IDataObject }>, itemIndex = 0) {
	const op = findCreateOperation(String(parameters.resource), String(parameters.operation));
	if (!op) throw new Error('not a create operation');
	return await buildCreateBody(ctxFor(parameters, items), itemIndex, op);
}

async function expectFieldError(parameters: IDataObject, field: RegExp) {
	const error = await bodyFor(parameters).then(
		() => undefined,
		(e: unknown) => e,
	);
	expect(error).toBeInstanceOf(NodeOperationError);
	expect((error as Error).message).toMatch(field);
	return error as NodeOperationError;
}

describe('registry', () => {
	it('maps every create operation to a task type of ENDPOINTS of the same resource', () => {
		for (const op of CREATE_OPERATIONS) {
			expect(ENDPOINTS[op.taskType].resource).toBe(op.resource);
		}
		expect(new Set(CREATE_OPERATIONS.map((o) => o.taskType)).size).toBe(CREATE_OPERATIONS.length);
	});

	it('offers the documented operations with camelCase values and actions', () => {
		const ops = node.description.properties.filter((p) => p.name === 'operation');
		const byResource = Object.fromEntries(
			ops.map((p) => [String(p.displayOptions?.show?.resource?.[0]), (p.options ?? []).map((o) => o as { value: string; action?: string })]),
		);
		expect(byResource.video.map((o) => o.value).sort()).toEqual(
			[
				'advancedLipSync',
				'applyEffect',
				'avatar',
				'extendVideo',
				'getTask',
				'identifyFace',
				'imageToVideo',
				'lipSync',
				'listTasks',
				'motionControl',
				'multiElementEdit',
				'multiElementSelection',
				'multiImageToVideo',
				'omniVideo',
				'textToVideo',
			].sort(),
		);
		expect(byResource.image.map((o) => o.value).sort()).toEqual(
			['aiMultiShot', 'expandImage', 'generateImage', 'getTask', 'imageRecognize', 'listTasks', 'multiImageToImage', 'omniImage', 'virtualTryOn'].sort(),
		);
		expect(byResource.audio.map((o) => o.value).sort()).toEqual(['getTask', 'listTasks', 'textToAudio', 'textToSpeech', 'videoToAudio'].sort());
		expect(byResource.account.map((o) => o.value)).toEqual(['getBalanceDeductions', 'getResourcePacks', 'getUnitDeductions']);
		expect(byResource.library.map((o) => o.value).sort()).toEqual(
			['createElement', 'createElementLegacy', 'createVoice', 'deleteElement', 'deleteVoice', 'getTask', 'listElements', 'listTasks', 'listVoices'].sort(),
		);
		for (const list of Object.values(byResource)) for (const o of list) expect(o.action).toBeTruthy();
		expect(node.description.usableAsTool).toBe(true);
	});
});

describe('description', () => {
	it('never shows two parameters with the same name at once, and every create shows callback, wait and options', () => {
		const waits = ['dontWait', 'callback', 'poll', 'callbackThenPoll'];
		for (const combo of allCombos()) {
			for (const waitForCompletion of waits) {
				const params = { ...combo.parameters, waitForCompletion, callback: 'trigger' } as INodeParameters;
				const shown = node.description.properties.filter((p) => NodeHelpers.displayParameter(params, p, null, node.description)).map((p) => p.name);
				expect(shown.filter((n, i) => shown.indexOf(n) !== i)).toEqual([]);
				expect(shown).toContain('options');
				expect(shown).toContain('waitForCompletion');
				expect(shown.includes('callbackUrl')).toBe(waitForCompletion === 'dontWait');
				expect(shown.includes('waitTimeLimit')).toBe(waitForCompletion !== 'dontWait');
			}
		}
	});

	it('subtitle, themed icon, codex with documentation links', () => {
		expect(node.description.subtitle).toContain('$parameter["operation"]');
		expect(node.description.icon).toEqual({ light: 'file:kling.svg', dark: 'file:kling.dark.svg' });
		const codex = JSON.parse(readFileSync(join(__dirname, '../../nodes/KlingAi/KlingAi.node.json'), 'utf8'));
		expect(codex.node).toBe('n8n-nodes-kling-ai.klingAi');
		expect(codex.resources.primaryDocumentation.length).toBeGreaterThan(0);
		expect(codex.categories.length).toBeGreaterThan(0);
	});
});

describe('every model x mode combination the node offers builds a body the simulator validator accepts', () => {
	const combos = allCombos();
	it('covers every create operation', () => {
		expect(new Set(combos.map((c) => c.op.value)).size).toBe(CREATE_OPERATIONS.length);
		expect(combos.length).toBeGreaterThan(40);
	});
	it.each(combos.filter((c) => !needsServer(c)).map((c) => [c.label, c] as const))('%s', async (_label, combo) => {
		const body = await bodyFor(combo.parameters);
		expect(() => validateCreate(combo.op.taskType, body)).not.toThrow();
		// external_task_id only where the endpoint's field table documents it (not on the legacy lip-sync).
		expect(typeof body.external_task_id).toBe(ENDPOINTS[combo.op.taskType].externalTaskId ? 'string' : 'undefined');
		if (combo.model && combo.model !== 'custom' && !['lipSync', 'applyEffect', 'advancedLipSync'].includes(combo.op.value)) expect(body.model_name).toBe(combo.model);
		if (combo.mode) expect(JSON.stringify(body)).toContain(`"mode":"${combo.mode}"`);
		// Video durations are strings ("5"); text to audio's is a float (3.0–10.0, DOC-26 L5485).
		if (body.duration !== undefined) expect(typeof body.duration).toBe(combo.op.taskType === 'textToAudio' ? 'number' : 'string');
	});
});

describe('external_task_id only where the field table documents it', () => {
	it('the legacy lip-sync offers no External Task ID and sends none; the others do', () => {
		const collections = node.description.properties.filter((p) => p.name === 'options' && p.type === 'collection');
		for (const op of CREATE_OPERATIONS) {
			const mine = collections.find((c) => c.displayOptions?.show?.operation?.includes(op.value) && c.displayOptions?.show?.resource?.includes(op.resource));
			const names = ((mine?.options ?? []) as Array<{ name: string }>).map((o) => o.name);
			expect([op.value, names.includes('externalTaskId')]).toEqual([op.value, ENDPOINTS[op.taskType].externalTaskId]);
		}
		expect(ENDPOINTS.lipSync.externalTaskId).toBe(false);
	});
});

describe('bodies carry what the user set, and nothing they did not', () => {
	it('text to video with options', async () => {
		const body = await bodyFor({
			...baseParameters(CREATE_OPERATIONS[0]),
			model: 'kling-v1',
			mode: 'pro',
			duration: '10',
			aspectRatio: '9:16',
			options: {
				negativePrompt: 'blur',
				cfgScale: 0.7,
				cameraControlType: 'simple',
				cameraConfig: { values: { zoom: 5 } },
				watermark: true,
				externalTaskId: 'order-42',
			},
		});
		expect(body).toEqual({
			model_name: 'kling-v1',
			mode: 'pro',
			duration: '10',
			prompt: 'a fox in the snow',
			aspect_ratio: '9:16',
			negative_prompt: 'blur',
			cfg_scale: 0.7,
			camera_control: { type: 'simple', config: { horizontal: 0, vertical: 0, pan: 0, tilt: 0, roll: 0, zoom: 5 } },
			watermark_info: { enabled: true },
			external_task_id: 'order-42',
		});
		expect(() => validateCreate('textToVideo', body)).not.toThrow();
	});

	it('kling-v2-master sends no mode; kling-v3 takes 4k and 3-15 s; sound on for v2-6', async () => {
		const t2v = findCreateOperation('video', 'textToVideo')!;
		const v2 = await bodyFor({ ...baseParameters(t2v), model: 'kling-v2-master', mode: 'pro' });
		expect(v2.mode).toBeUndefined();
		const v3 = await bodyFor({ ...baseParameters(t2v), model: 'kling-v3', mode: '4k', duration: '12' });
		expect(v3).toMatchObject({ mode: '4k', duration: '12' });
		expect(() => validateCreate('textToVideo', v3)).not.toThrow();
		const sound = await bodyFor({ ...baseParameters(t2v), model: 'kling-v2-6', mode: 'pro', options: { sound: true } });
		expect(sound.sound).toBe('on');
		expect(() => validateCreate('textToVideo', sound)).not.toThrow();
	});

	it('kling-v3 multi-shot: custom shots become multi_prompt (durations as strings), prompt not sent', async () => {
		const t2v = findCreateOperation('video', 'textToVideo')!;
		const body = await bodyFor({
			...baseParameters(t2v),
			model: 'kling-v3',
			duration: '10',
			options: { multiShot: 'customize', shots: { shot: [{ prompt: 'a door opens', duration: 4 }, { prompt: 'a cat walks in', duration: 6 }] } },
		});
		expect(body).toMatchObject({
			multi_shot: true,
			shot_type: 'customize',
			multi_prompt: [
				{ index: 1, prompt: 'a door opens', duration: '4' },
				{ index: 2, prompt: 'a cat walks in', duration: '6' },
			],
		});
		expect(body.prompt).toBeUndefined();
		expect(() => validateCreate('textToVideo', body)).not.toThrow();
		const i2v = findCreateOperation('video', 'imageToVideo')!;
		const smart = await bodyFor({ ...baseParameters(i2v), model: 'kling-v3', options: { multiShot: 'intelligence' } });
		expect(smart).toMatchObject({ multi_shot: true, shot_type: 'intelligence', prompt: 'the fox runs' });
		expect(() => validateCreate('imageToVideo', smart)).not.toThrow();
	});

	it('image to video: end frame without a start frame (kling-v1-6 pro), voices on kling-v2-6 pro with sound', async () => {
		const i2v = findCreateOperation('video', 'imageToVideo')!;
		const tailOnly = await bodyFor({ ...baseParameters(i2v), imageInputType: 'none', model: 'kling-v1-6', mode: 'pro', imageTailInputType: 'url', imageTail: 'https://example.com/end.png' });
		expect(tailOnly.image).toBeUndefined();
		expect(tailOnly.image_tail).toBe('https://example.com/end.png');
		expect(() => validateCreate('imageToVideo', tailOnly)).not.toThrow();
		const voices = await bodyFor({ ...baseParameters(i2v), model: 'kling-v2-6', mode: 'pro', options: { sound: true, voiceIds: 'v-1, v-2' } });
		expect(voices).toMatchObject({ sound: 'on', voice_list: [{ voice_id: 'v-1' }, { voice_id: 'v-2' }] });
		expect(() => validateCreate('imageToVideo', voices)).not.toThrow();
	});

	it('options the selected model does not take are hidden, and n8n drops them from the body', async () => {
		const t2v = findCreateOperation('video', 'textToVideo')!;
		const body = await bodyFor({ ...baseParameters(t2v), model: 'kling-v2-6', mode: 'pro', options: { cfgScale: 0.5, cameraControlType: 'down_back', sound: true } });
		expect(body.cfg_scale).toBeUndefined();
		expect(body.camera_control).toBeUndefined();
		expect(body.sound).toBe('on');
		const v1 = await bodyFor({ ...baseParameters(t2v), model: 'kling-v1', options: { sound: true } });
		expect(v1.sound).toBeUndefined();
	});

	it('lip sync: text mode, and audio from base64 (bare, no data: prefix)', async () => {
		const op = findCreateOperation('video', 'lipSync')!;
		const text = await bodyFor({ ...baseParameters(op, 'text'), voiceLanguage: 'zh', voiceSpeed: 1.25 });
		expect(text).toMatchObject({ input: { video_id: 'video-123', mode: 'text2video', text: 'Hello there', voice_id: 'oversea_male1', voice_language: 'zh', voice_speed: 1.3 } });
		const mp3 = Buffer.concat([Buffer.from('ID3'), Buffer.alloc(200, 1)]);
		const audio = await bodyFor({ ...baseParameters(op, 'audio'), audioInputType: 'base64', audio: `data:audio/mpeg;base64,${mp3.toString('base64')}` });
		expect(audio.input).toMatchObject({ mode: 'audio2video', audio_type: 'file', audio_file: mp3.toString('base64'), video_url: 'https://example.com/v.mp4' });
		expect(() => validateCreate('lipSync', audio)).not.toThrow();
	});

	it('effects: the 09/2026 shape (input.image / input.images, no model, mode or duration); 2025 presets keep theirs', async () => {
		const op = findCreateOperation('video', 'applyEffect')!;
		const pro = await bodyFor({ ...baseParameters(op, 'dual'), model: 'kling-v1-6', mode: 'pro', duration: '10' });
		expect(pro).toEqual({ effect_scene: 'hug_pro', input: { images: ['https://example.com/kling/input.png', 'https://example.com/kling/input.png?r'] }, external_task_id: expect.any(String) });
		const one = await bodyFor(baseParameters(op, 'single'));
		expect(one.input).toEqual({ image: 'https://example.com/kling/input.png' });
		const newScene = await bodyFor({ ...baseParameters(op, 'dual'), effectScene: 'custom', customEffectScene: 'brand_new_duo' });
		expect(newScene).toMatchObject({ effect_scene: 'brand_new_duo', input: { images: [expect.any(String), expect.any(String)] } });
		for (const b of [pro, one, newScene]) expect(() => validateCreate('videoEffects', b)).not.toThrow();
		const legacy = await bodyFor({ ...baseParameters(op, 'dual2025'), model: 'kling-v1-6', mode: 'pro', duration: '10' });
		expect(legacy).toMatchObject({ effect_scene: 'heart_gesture', input: { model_name: 'kling-v1-6', mode: 'pro', duration: '10', images: [expect.any(String), expect.any(String)] } });
		const custom = await bodyFor({ ...baseParameters(op, 'single'), effectScene: 'custom', customEffectScene: 'squish' });
		expect(custom).toMatchObject({ effect_scene: 'squish', input: { duration: '5' } });
		await expectFieldError({ ...baseParameters(op, 'single'), effectScene: 'custom', customEffectScene: 'kiss_pro' }, /"Effect Scene" "kiss_pro" takes two images/);
		await expectFieldError({ ...baseParameters(op, 'dual'), effectScene: 'custom', customEffectScene: 'color_mixing' }, /"Effect Scene" "color_mixing" takes one image/);
	});

	it('image generation with a base64 reference image and subject fidelity', async () => {
		const op = findCreateOperation('image', 'generateImage')!;
		const b64 = png('ref').toString('base64');
		const body = await bodyFor({
			...baseParameters(op),
			referenceImageInputType: 'base64',
			referenceImage: b64,
			options: { imageReference: 'subject', humanFidelity: 0.6, imageFidelity: 0.4, n: 4, aspectRatio: '21:9', resolution: '2k' },
		});
		expect(body).toMatchObject({ image: b64, image_reference: 'subject', human_fidelity: 0.6, image_fidelity: 0.4, n: 4, aspect_ratio: '21:9', resolution: '2k' });
		expect(() => validateCreate('imageGeneration', body)).not.toThrow();
	});

	it('image from a binary property is sent as bare base64', async () => {
		await initBinaryData();
		const helperCtx = ctxFor({ resource: 'video', operation: 'getTask' });
		const binary = await helperCtx.helpers.prepareBinaryData(png('bin'), 'start.png', 'image/png');
		const op = findCreateOperation('video', 'imageToVideo')!;
		const body = await bodyFor({ ...baseParameters(op), model: 'kling-v1-6', imageInputType: 'binary', imageBinaryProperty: 'photo' }, [
			{ json: {}, binary: { photo: binary } } as never,
		]);
		expect(body.image).toBe(png('bin').toString('base64'));
		expect(() => validateCreate('imageToVideo', body)).not.toThrow();
	});

	it('the generated external_task_id is stable per execution and item, and differs between items', async () => {
		const op = findCreateOperation('video', 'textToVideo')!;
		const params = baseParameters(op);
		const a = await bodyFor(params, [{ json: {} }, { json: {} }], 0);
		const b = await bodyFor(params, [{ json: {} }, { json: {} }], 0);
		const c = await bodyFor(params, [{ json: {} }, { json: {} }], 1);
		expect(a.external_task_id).toBe(b.external_task_id);
		expect(a.external_task_id).not.toBe(c.external_task_id);
		expect(String(a.external_task_id)).toMatch(/^n8n-[0-9a-f]{24}$/);
	});

	it('the generated external_task_id differs between runs of the node in one execution (a loop), so a later run never gets the earlier task back', async () => {
		const op = findCreateOperation('video', 'textToVideo')!;
		const params = baseParameters(op);
		const run = async (runIndex: number) =>
			await buildCreateBody(executeContext({ nodeType: node, parameters: params, credentials: creds, runIndex }, [{ json: {} }]), 0, op);
		const [first, again, second] = [await run(0), await run(0), await run(1)];
		expect(first.external_task_id).toBe(again.external_task_id);
		expect(first.external_task_id).not.toBe(second.external_task_id);
	});

	it('tasks the node waits for get the n8n-wait- prefix, which the Poll Trigger skips by default', async () => {
		const op = findCreateOperation('video', 'textToVideo')!;
		const waited = await bodyFor({ ...baseParameters(op), waitForCompletion: 'poll' });
		expect(String(waited.external_task_id)).toMatch(/^n8n-wait-[0-9a-f]{24}$/);
		const own = await bodyFor({ ...baseParameters(op), waitForCompletion: 'poll', options: { externalTaskId: 'mine-1' } });
		expect(own.external_task_id).toBe('mine-1');
	});
});

describe('callback setting', () => {
	const op = findCreateOperation('video', 'textToVideo')!;
	it('Kling AI Trigger: appends kling_type and the credential-derived token', async () => {
		const body = await bodyFor({ ...baseParameters(op), callback: 'trigger', callbackUrl: 'https://n8n.example.com/webhook/abc/webhook' });
		const url = new URL(String(body.callback_url));
		expect(url.origin + url.pathname).toBe('https://n8n.example.com/webhook/abc/webhook');
		expect(url.searchParams.get('kling_type')).toBe('textToVideo');
		expect(url.searchParams.get('kling_token')).toMatch(/^[A-Za-z0-9_-]{32}$/);
		expect(String(body.callback_url)).not.toContain('sk_test');
	});
	it('Custom URL is sent unchanged (no token)', async () => {
		const body = await bodyFor({ ...baseParameters(op), callback: 'custom', callbackUrl: 'https://example.com/cb?mine=1' });
		expect(body.callback_url).toBe('https://example.com/cb?mine=1');
	});
	it('a /webhook-test/ URL is refused in a production run, accepted in a manual run', async () => {
		const parameters = { ...baseParameters(op), callback: 'trigger', callbackUrl: 'https://n8n.example.com/webhook-test/abc/webhook' };
		await expect(buildCreateBody(ctxFor(parameters, undefined, 'trigger'), 0, op)).rejects.toThrow(/"Trigger Production URL".*test URL/);
		await expect(buildCreateBody(ctxFor(parameters), 0, op)).resolves.toHaveProperty('callback_url');
	});
	it('plain http off loopback is refused', async () => {
		await expectFieldError({ ...baseParameters(op), callback: 'custom', callbackUrl: 'http://example.com/cb' }, /"Callback URL".*https/);
	});
});

describe('bad parameters give a NodeOperationError naming the field', () => {
	const t2v = findCreateOperation('video', 'textToVideo')!;
	const i2v = findCreateOperation('video', 'imageToVideo')!;
	const lip = findCreateOperation('video', 'lipSync')!;
	const gen = findCreateOperation('image', 'generateImage')!;
	const expand = findCreateOperation('image', 'expandImage')!;

	it.each([
		['prompt over 2500 characters', { ...baseParameters(t2v), prompt: 'x'.repeat(2501) }, /"Prompt" is too long: 2501/],
		['missing prompt', { ...baseParameters(t2v), prompt: '  ' }, /"Prompt" is required/],
		['cfg_scale above 1', { ...baseParameters(t2v), model: 'kling-v1', options: { cfgScale: 1.5 } }, /"CFG Scale" must be between 0 and 1/],
		['cfg_scale below 0', { ...baseParameters(t2v), model: 'kling-v1', options: { cfgScale: -0.1 } }, /"CFG Scale" must be between 0 and 1/],
		['4k on a non-v3 model (expression)', { ...baseParameters(t2v), model: 'kling-v1-6', mode: '4k' }, /"Mode" must be one of std, pro/],
		['12 s on a 5/10 s model', { ...baseParameters(t2v), model: 'kling-v1-6', duration: '12' }, /"Duration" must be one of 5, 10/],
		['negative prompt too long', { ...baseParameters(t2v), options: { negativePrompt: 'n'.repeat(2501) } }, /"Negative Prompt" is too long/],
		['simple camera with no movement', { ...baseParameters(t2v), model: 'kling-v1', options: { cameraControlType: 'simple' } }, /"Camera Movement" must have exactly one non-zero value.*got 0/],
		['simple camera with two movements', { ...baseParameters(t2v), model: 'kling-v1', options: { cameraControlType: 'simple', cameraConfig: { values: { pan: 1, zoom: 2 } } } }, /got 2/],
		['camera value out of range', { ...baseParameters(t2v), model: 'kling-v1', options: { cameraControlType: 'simple', cameraConfig: { values: { zoom: 11 } } } }, /"Camera Movement zoom" must be between -10 and 10/],
		['empty custom model', { ...baseParameters(t2v), model: 'custom', customModel: ' ' }, /"Custom Model Name" is empty/],
		[
			'image + image_tail + camera control together',
			{ ...baseParameters(i2v), model: 'kling-v1', imageTailInputType: 'url', imageTail: 'https://example.com/end.png', options: { cameraControlType: 'forward_up' } },
			/"End Frame Image" and "Camera Control" cannot be used together/,
		],
		[
			'end frame + motion brush',
			{ ...baseParameters(i2v), model: 'kling-v1', imageTailInputType: 'url', imageTail: 'https://example.com/end.png', options: { staticMask: 'https://example.com/m.png' } },
			/"End Frame Image" and "Motion Brush" cannot be used together/,
		],
		['bad dynamic masks JSON', { ...baseParameters(i2v), model: 'kling-v1', options: { dynamicMasks: '[{' } }, /"Motion Brush Dynamic Masks \(JSON\)" is not valid JSON/],
		['a trajectory of one point', { ...baseParameters(i2v), model: 'kling-v1', options: { dynamicMasks: JSON.stringify([{ mask: 'https://e.com/m.png', trajectories: [{ x: 1, y: 1 }] }]) } }, /1 trajectory points/],
		['bad start frame URL', { ...baseParameters(i2v), image: 'not a url' }, /"Start Frame Image" is not a valid URL/],
		['lip sync text mode without text', { ...baseParameters(lip, 'text'), text: '' }, /"Text" is required in "Text to Speech" mode/],
		['lip sync text over 120', { ...baseParameters(lip, 'text'), text: 't'.repeat(121) }, /"Text" is too long: 121 characters, Kling accepts at most 120/],
		['lip sync voice speed', { ...baseParameters(lip, 'text'), voiceSpeed: 2.5 }, /"Voice Speed" must be between 0.8 and 2/],
		['lip sync without video id', { ...baseParameters(lip, 'text'), videoId: '' }, /"Video ID" is required/],
		['n above 9', { ...baseParameters(gen), options: { n: 10 } }, /"Number of Images" must be between 1 and 9/],
		['n below 1', { ...baseParameters(gen), options: { n: 0 } }, /"Number of Images" must be between 1 and 9/],
		['reference type without image', { ...baseParameters(gen), options: { imageReference: 'face' } }, /"Reference Type" needs a Reference Image/],
		['human fidelity without subject', { ...baseParameters(gen), referenceImageInputType: 'url', referenceImage: 'https://e.com/r.png', options: { imageReference: 'face', humanFidelity: 0.3 } }, /"Human Fidelity" only applies/],
		['21:9 on kling-v1', { ...baseParameters(gen), model: 'kling-v1', options: { aspectRatio: '21:9' } }, /"Aspect Ratio" 21:9 is not supported by kling-v1/],
		['expand ratio above 2', { ...baseParameters(expand), upRatio: 2.5 }, /"Expand Up" must be between 0 and 2/],
		['expand ratio below 0', { ...baseParameters(expand), leftRatio: -0.1 }, /"Expand Left" must be between 0 and 2/],
		['expanded area above 3x', { ...baseParameters(expand), upRatio: 1, downRatio: 0.5, leftRatio: 0.2, rightRatio: 0.2 }, /3\.50x the original area/],
		['all expand ratios 0', { ...baseParameters(expand), upRatio: 0, downRatio: 0, leftRatio: 0, rightRatio: 0 }, /are all 0/],
		['external task id too long', { ...baseParameters(t2v), options: { externalTaskId: 'e'.repeat(129) } }, /"External Task ID" is too long/],
	])('%s', async (_name, parameters, message) => {
		await expectFieldError(parameters as IDataObject, message);
	});

	it('media: too large, wrong type, too small, and a missing binary property', async () => {
		const big = Buffer.concat([png('big'), Buffer.alloc(10 * 1024 * 1024)]);
		await expectFieldError({ ...baseParameters(i2v), imageInputType: 'base64', image: big.toString('base64') }, /"Start Frame Image" is too large: 10\.\d MB, Kling accepts at most 10\.0 MB/);
		const mp3 = Buffer.concat([Buffer.from('ID3'), Buffer.alloc(100, 1)]);
		await expectFieldError({ ...baseParameters(i2v), imageInputType: 'base64', image: mp3.toString('base64') }, /"Start Frame Image" has an unsupported type \(MP3 audio\)/);
		await expectFieldError({ ...baseParameters(i2v), imageInputType: 'base64', image: png('small', 100, 400).toString('base64') }, /"Start Frame Image" is too small: 100x400 px/);
		await expectFieldError({ ...baseParameters(i2v), imageInputType: 'base64', image: png('wide', 1000, 300).toString('base64') }, /aspect ratio of 1000:300/);
		await expectFieldError({ ...baseParameters(i2v), imageInputType: 'base64', image: '***' }, /"Start Frame Image" is not valid base64/);
		await expectFieldError({ ...baseParameters(i2v), imageInputType: 'binary', imageBinaryProperty: 'nope' }, /"Start Frame Image Binary Property": the input item has no binary property "nope"/);
		const bigAudio = Buffer.concat([Buffer.from('ID3'), Buffer.alloc(5 * 1024 * 1024 + 10)]);
		await expectFieldError({ ...baseParameters(lip, 'audio'), audioInputType: 'base64', audio: bigAudio.toString('base64') }, /"Audio" is too large/);
		await expectFieldError({ ...baseParameters(lip, 'audio'), audioInputType: 'base64', audio: png('x').toString('base64') }, /"Audio" has an unsupported type \(PNG image\)/);
	});
});
