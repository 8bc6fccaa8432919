/**
 * shared/newStandard.ts, rule by rule (issue 16, mutation testing of the new-standard code): the body Kling gets
 * for each route, and the error naming the node field for every documented rule the parameters break.
 */
import { NS_ROUTES, NsRuleError, decideStandard, dualModels, isNsFamily, newOnlyModels, nsPath, routesOf, toNewStandardBody, type NsRoute } from '../../nodes/KlingAi/shared/newStandard';
import { jsonInteger } from '../../nodes/KlingAi/shared/json';
import { validateNsCreate } from '../simulator/newStandard';

const route = (family: string, model: string): NsRoute => {
	const r = NS_ROUTES.find((x) => x.family === family && x.model === model);
	if (!r) throw new Error(`no route ${family} ${model}`);
	return r;
};
const T30 = route('textToVideo', 'kling-3.0');
const TTURBO = route('textToVideo', 'kling-3.0-turbo');
const T26 = route('textToVideo', 'kling-2.6');
const T25 = route('textToVideo', 'kling-2.5-turbo');
const I30 = route('imageToVideo', 'kling-3.0');
const ITURBO = route('imageToVideo', 'kling-3.0-turbo');
const I26 = route('imageToVideo', 'kling-2.6');
const I25 = route('imageToVideo', 'kling-2.5-turbo');
const O30 = route('omniVideo', 'kling-3.0-omni');
const O1 = route('omniVideo', 'kling-o1');
const M30 = route('motionControl', 'kling-3.0');
const M26 = route('motionControl', 'kling-2.6');

/** The NsRuleError a body raises (fails the test when it builds). */
const ruleOf = (r: NsRoute, legacy: Record<string, unknown>): NsRuleError => {
	try {
		toNewStandardBody(r, legacy as never);
	} catch (e) {
		if (e instanceof NsRuleError) return e;
		throw e;
	}
	throw new Error('the body was built: expected an NsRuleError');
};
/** Builds the body and checks the simulator (held to the docs) accepts it at the route's path. */
const bodyOf = (r: NsRoute, legacy: Record<string, unknown>) => {
	const body = toNewStandardBody(r, legacy as never);
	expect(() => validateNsCreate(nsPath(r), body)).not.toThrow();
	return body;
};
const img = (url: string, type?: string) => (type ? { image_url: url, type } : { image_url: url });

describe('route lookups', () => {
	it('paths, families and the model lists the operations show', () => {
		expect(nsPath(TTURBO)).toBe('/text-to-video/kling-3.0-turbo');
		expect(nsPath(M26)).toBe('/motion-control/kling-2.6');
		expect(nsPath(O1)).toBe('/omni-video/kling-o1');
		expect(nsPath(I25)).toBe('/image-to-video/kling-2.5-turbo');
		expect(isNsFamily('omniVideo')).toBe(true);
		expect(isNsFamily('lipSync')).toBe(false);
		expect(isNsFamily('toString')).toBe(false);
		expect(routesOf('motionControl').map((r) => r.model)).toEqual(['kling-3.0', 'kling-2.6']);
		expect(dualModels('textToVideo')).toEqual(['kling-v3', 'kling-v2-6', 'kling-v2-5-turbo']);
		expect(dualModels('omniVideo')).toEqual(['kling-v3-omni', 'kling-video-o1']);
		expect(newOnlyModels('textToVideo')).toEqual(['kling-3.0-turbo']);
		expect(newOnlyModels('imageToVideo')).toEqual(['kling-3.0-turbo']);
		expect(newOnlyModels('omniVideo')).toEqual([]);
	});

	it('decideStandard: a legacy id of another family is legacy; an NS id of another family is not new', () => {
		expect(decideStandard('omniVideo', 'kling-3.0', 'new', 'apiKey')).toEqual({ standard: 'legacy' });
		expect(decideStandard('omniVideo', 'kling-v3', 'new', 'apiKey')).toEqual({ standard: 'legacy' });
		expect(decideStandard('imageToVideo', 'kling-3.0-turbo', 'auto', 'accessKey')).toEqual({ standard: 'new', route: ITURBO, why: 'newOnly' });
		expect(decideStandard('omniVideo', 'kling-video-o1', 'auto', 'apiKey')).toEqual({ standard: 'new', route: O1, why: 'auto' });
		expect(decideStandard('omniVideo', 'kling-video-o1', 'new', 'accessKey')).toEqual({ standard: 'new', route: O1, why: 'chosen' });
	});
});

describe('NsRuleError', () => {
	it('names the field first in its message and keeps the hint', () => {
		const e = ruleOf(T30, { prompt: 'x', negative_prompt: 'blur' });
		expect(e).toBeInstanceOf(Error);
		expect(e.name).toBe('NsRuleError');
		expect(e.message).toBe('"Negative Prompt" is not available on Kling\'s new standard (model kling-3.0)');
		expect(e.field).toBe('Negative Prompt');
		expect(e.hint).toBe('Describe it in the prompt instead, or use the legacy API standard.');
	});

	it.each([
		['negative_prompt', 'Negative Prompt'],
		['cfg_scale', 'CFG Scale'],
		['camera_control', 'Camera Control'],
		['static_mask', 'Motion Brush'],
		['dynamic_masks', 'Motion Brush'],
	])('legacy-only %s is refused naming %s', (key, field) => {
		expect(ruleOf(I30, { prompt: 'x', image: 'a', [key]: key === 'cfg_scale' ? 0 : 'v' }).field).toBe(field);
	});
});

describe('prompt and multi-shot', () => {
	it('text to video: a top-level prompt with @handles, no contents; the prompt is required', () => {
		const body = bodyOf(T25, { prompt: 'a <<<element_1>>> walks', mode: 'pro', duration: '10', aspect_ratio: '9:16' });
		expect(body).toEqual({ prompt: 'a @element_1 walks', settings: { resolution: '1080p', aspect_ratio: '9:16', duration: 10 }, options: {} });
		expect(ruleOf(T25, {}).field).toBe('Prompt');
		expect(ruleOf(T25, { prompt: '' }).message).toBe('"Prompt" is required');
	});

	it('a non-string prompt is not sent', () => {
		expect(bodyOf(I25, { prompt: 5, image: 'a' })).toEqual({ contents: [{ type: 'first_frame', url: 'a' }], options: {} });
	});

	it('custom shots go into the prompt in the "shot n, m, words;" syntax (3.0: multi_shot true)', () => {
		const shots = [
			{ index: 1, duration: 3, prompt: 'a <<<element_1>>> runs' },
			{ index: 2, duration: 2, prompt: 'it stops' },
		];
		const body = bodyOf(T30, { prompt: 'ignored', multi_shot: true, shot_type: 'customize', multi_prompt: shots });
		expect(body).toEqual({ prompt: 'shot 1, 3, a @element_1 runs; shot 2, 2, it stops;', settings: { multi_shot: true }, options: {} });
		// 3.0 Turbo: the syntax works, but there is no multi_shot field.
		expect(bodyOf(TTURBO, { multi_shot: true, shot_type: 'customize', multi_prompt: shots })).toEqual({ prompt: 'shot 1, 3, a @element_1 runs; shot 2, 2, it stops;', options: {} });
	});

	it('a shot missing its words still sends the shot; no shots at all leaves no prompt', () => {
		expect(bodyOf(T30, { multi_shot: true, shot_type: 'customize', multi_prompt: [{ index: 1, duration: 4 }] }).prompt).toBe('shot 1, 4, ;');
		expect(ruleOf(T30, { multi_shot: true, shot_type: 'customize' }).field).toBe('Prompt');
	});

	it('a shot with ";" is refused (Kling separates shots with it)', () => {
		const e = ruleOf(T30, { multi_shot: true, shot_type: 'customize', multi_prompt: [{ index: 1, duration: 3, prompt: 'a; b' }] });
		expect(e.field).toBe('Shots');
		expect(e.message).toBe('"Shots" may not contain ";" on the new standard');
		expect(e.hint).toMatch(/semicolons/);
	});

	it('custom shots on a model without the syntax, Intelligent where there is no field', () => {
		const custom = ruleOf(T26, { multi_shot: true, shot_type: 'customize', multi_prompt: [{ index: 1, duration: 5, prompt: 'x' }] });
		expect(custom.field).toBe('Multi-Shot');
		expect(custom.message).toBe('"Multi-Shot" is not available on model kling-2.6');
		const turbo = ruleOf(TTURBO, { prompt: 'x', multi_shot: true, shot_type: 'intelligence' });
		expect(turbo.message).toBe('"Multi-Shot" "Intelligent" is not available on model kling-3.0-turbo');
		expect(turbo.hint).toMatch(/Custom Shots/);
		const old = ruleOf(T25, { prompt: 'x', multi_shot: true });
		expect(old.field).toBe('Multi-Shot');
		expect(old.hint).toBeUndefined();
	});

	it('Intelligent on 3.0 sends multi_shot true; Off sends false (Kling defaults it to true); older models get no field', () => {
		expect(bodyOf(T30, { prompt: 'x', multi_shot: true, shot_type: 'intelligence' }).settings).toEqual({ multi_shot: true });
		expect(bodyOf(T30, { prompt: 'x' }).settings).toEqual({ multi_shot: false });
		expect(bodyOf(T30, { prompt: 'x', multi_shot: false }).settings).toEqual({ multi_shot: false });
		expect(bodyOf(T26, { prompt: 'x', multi_shot: false })).toEqual({ prompt: 'x', options: {} });
		expect(bodyOf(TTURBO, { prompt: 'x' })).toEqual({ prompt: 'x', options: {} });
	});

	it('prompt length in characters (code points), up to the model maximum', () => {
		expect(bodyOf(T30, { prompt: 'a'.repeat(3072) }).prompt).toHaveLength(3072);
		const long = ruleOf(T30, { prompt: 'a'.repeat(3073) });
		expect(long.field).toBe('Prompt');
		expect(long.message).toBe('"Prompt" is too long: 3073 characters, model kling-3.0 accepts at most 3072');
		// 2,500 emoji are 5,000 UTF-16 units but 2,500 characters.
		expect(bodyOf(T26, { prompt: '😀'.repeat(2500) }).prompt).toBe('😀'.repeat(2500));
		expect(ruleOf(T26, { prompt: 'a'.repeat(2501) }).message).toMatch(/2501 characters, model kling-2.6 accepts at most 2500/);
	});
});

describe('contents', () => {
	it('image to video: prompt, first and last frame, elements with long ids kept digit for digit', () => {
		const body = bodyOf(I30, {
			prompt: '<<<element_1>>> waves',
			image: 'https://i/f.png',
			image_tail: 'https://i/l.png',
			element_list: [{ element_id: jsonInteger('829836802793406551') }, { element_id: 42 }],
			mode: 'pro',
		});
		expect(body.contents).toEqual([
			{ type: 'prompt', text: '@element_1 waves' },
			{ type: 'first_frame', url: 'https://i/f.png' },
			{ type: 'last_frame', url: 'https://i/l.png' },
			{ type: 'element', element_id: '829836802793406551', id: 'element_1' },
			{ type: 'element', element_id: '42', id: 'element_2' },
		]);
		expect(body.settings).toEqual({ resolution: '1080p', multi_shot: false });
	});

	it('omni: images by role with image_n ids, videos by refer type with video_n ids', () => {
		const body = bodyOf(O30, {
			prompt: 'x',
			image_list: [img('https://i/1.png', 'first_frame'), img('https://i/2.png', 'end_frame'), img('https://i/3.png')],
			video_list: [{ video_url: 'https://v/1.mp4', refer_type: 'feature' }],
		});
		expect(body.contents).toEqual([
			{ type: 'prompt', text: 'x' },
			{ type: 'first_frame', url: 'https://i/1.png', id: 'image_1' },
			{ type: 'last_frame', url: 'https://i/2.png', id: 'image_2' },
			{ type: 'refer_image', url: 'https://i/3.png', id: 'image_3' },
			{ type: 'feature_video', url: 'https://v/1.mp4', id: 'video_1' },
		]);
		// A feature video keeps multi_shot; a base video drops it (it edits that video).
		expect(body.settings).toEqual({ multi_shot: false });
		const two = toNewStandardBody(O30, { prompt: 'x', video_list: [{ video_url: 'a', refer_type: 'feature' }, { video_url: 'b', refer_type: 'base' }] });
		expect((two.contents as object[]).slice(1)).toEqual([
			{ type: 'feature_video', url: 'a', id: 'video_1' },
			{ type: 'base_video', url: 'b', id: 'video_2' },
		]);
		expect(two.settings).toBeUndefined();
	});

	it('a content type the route does not take names its field', () => {
		expect(ruleOf(T30, { prompt: 'x', image: 'a' }).message).toBe('"Start Frame Image" is not available on model kling-3.0 (new standard)');
		expect(ruleOf(ITURBO, { prompt: 'x', image: 'a', image_tail: 'b' }).field).toBe('End Frame Image');
		expect(ruleOf(I25, { prompt: 'x', image: 'a', image_list: [img('r')] }).field).toBe('Images');
		expect(ruleOf(I25, { image: 'a', video_list: [{ video_url: 'https://v/v.mp4' }] }).field).toBe('Reference Video');
		expect(ruleOf(O30, { prompt: 'x', image_url: 'a' }).field).toBe('Character Image');
		expect(ruleOf(O30, { prompt: 'x', video_url: 'a' }).field).toBe('Motion Video');
	});

	it('element limits: up to the maximum, the count in the message; none on a model without elements', () => {
		const els = (n: number) => Array.from({ length: n }, (_, k) => ({ element_id: String(k + 1) }));
		expect((bodyOf(I30, { image: 'a', element_list: els(3) }).contents as object[]).length).toBe(4);
		expect(ruleOf(I30, { image: 'a', element_list: els(4) }).message).toBe('"Element IDs" has 4 IDs; model kling-3.0 accepts at most 3');
		expect((bodyOf(O30, { prompt: 'x', element_list: els(7) }).contents as object[]).length).toBe(8);
		expect(ruleOf(O30, { prompt: 'x', element_list: els(8) }).field).toBe('Element IDs');
		expect(ruleOf(I26, { image: 'a', element_list: els(1) }).message).toBe('"Element IDs" are not available on model kling-2.6 (new standard)');
		// Motion control's parameter is singular.
		const m = { image_url: 'a', video_url: 'https://v/v.mp4', character_orientation: 'image' };
		expect(bodyOf(M30, { ...m, element_list: els(1) }).contents).toContainEqual({ type: 'element', element_id: '1', id: 'element_1' });
		expect(ruleOf(M30, { ...m, element_list: els(2) }).message).toBe('"Element ID" has 2 IDs; model kling-3.0 accepts at most 1');
		expect(ruleOf(M26, { ...m, element_list: els(1) }).message).toBe('"Element ID" are not available on model kling-2.6 (new standard)');
	});

	it('voice limits: up to 2 on kling-2.6, none elsewhere', () => {
		const vs = (n: number) => Array.from({ length: n }, (_, k) => ({ voice_id: k + 100 }));
		const body = bodyOf(I26, { image: 'a', voice_list: vs(2), sound: 'on', mode: 'pro' });
		expect((body.contents as object[]).slice(1)).toEqual([
			{ type: 'voice', voice_id: '100', id: 'voice_1' },
			{ type: 'voice', voice_id: '101', id: 'voice_2' },
		]);
		expect(ruleOf(I26, { image: 'a', voice_list: vs(3), sound: 'on', mode: 'pro' }).message).toBe('"Voice IDs" has 3 IDs; model kling-2.6 accepts at most 2');
		expect(ruleOf(I30, { image: 'a', voice_list: vs(1), sound: 'on' }).message).toBe('"Voice IDs" are not available on model kling-3.0');
	});

	it('required and exclusive contents', () => {
		expect(ruleOf(O30, { prompt: 'x', image_list: [img('b', 'end_frame')] }).message).toBe('"Start Frame Image" is required with an end frame: last-frame-only is not supported on the new standard');
		expect(ruleOf(ITURBO, { prompt: 'x' }).message).toBe('"Start Frame Image" is required by model kling-3.0-turbo on the new standard');
		expect(ruleOf(M26, { image_url: 'a' }).message).toBe('"Character Image" and Motion Video are both required');
		expect(ruleOf(M26, { video_url: 'https://v/v.mp4' }).field).toBe('Character Image');
		expect(ruleOf(M26, {}).field).toBe('Character Image');
		// O1: first + last frame excludes reference images and elements; either frame alone does not.
		const fl = [img('f', 'first_frame'), img('l', 'end_frame')];
		expect(bodyOf(O1, { prompt: 'x', image_list: fl }).contents).toHaveLength(3);
		expect(ruleOf(O1, { prompt: 'x', image_list: fl, element_list: [{ element_id: '1' }] }).message).toBe('"Images" cannot add reference images or elements to a first + last frame on model kling-o1');
		expect(ruleOf(O1, { prompt: 'x', image_list: [...fl, img('r')] }).field).toBe('Images');
		expect(bodyOf(O1, { prompt: 'x', image_list: [img('f', 'first_frame'), img('r')], element_list: [{ element_id: '1' }] }).contents).toHaveLength(4);
		// 3.0 Omni has no such rule.
		expect(bodyOf(O30, { prompt: 'x', image_list: [...fl, img('r')], element_list: [{ element_id: '1' }] }).contents).toHaveLength(5);
	});
});

describe('settings', () => {
	it('Mode → resolution; a mode the model lacks lists what it offers', () => {
		expect(bodyOf(T30, { prompt: 'x', mode: 'std' }).settings).toEqual({ resolution: '720p', multi_shot: false });
		expect(bodyOf(T30, { prompt: 'x', mode: '4k' }).settings).toEqual({ resolution: '4k', multi_shot: false });
		const e = ruleOf(T26, { prompt: 'x', mode: '4k' });
		expect(e.field).toBe('Mode');
		expect(e.message).toBe('"Mode" "4k" has no resolution on model kling-2.6: it offers 720p, 1080p');
		expect(ruleOf(T30, { prompt: 'x', mode: 'ultra' }).message).toBe('"Mode" "ultra" has no resolution on model kling-3.0: it offers 720p, 1080p, 4k');
		expect(ruleOf(T30, { prompt: 'x', mode: 'toString' }).field).toBe('Mode');
	});

	it('Generate Sound → settings.audio; off is accepted silently where there is no audio field', () => {
		expect(bodyOf(T30, { prompt: 'x', sound: 'on' }).settings).toEqual({ audio: 'native', multi_shot: false });
		expect(bodyOf(T30, { prompt: 'x', sound: 'off' }).settings).toEqual({ audio: 'off', multi_shot: false });
		expect(bodyOf(T25, { prompt: 'x', sound: 'off' })).toEqual({ prompt: 'x', options: {} });
		expect(ruleOf(T25, { prompt: 'x', sound: 'on' }).message).toBe('"Generate Sound" is not available on model kling-2.5-turbo (new standard)');
		expect(ruleOf(O1, { prompt: 'x', sound: 'on' }).message).toBe('"Generate Sound" "native" audio is not available on model kling-o1: it accepts original, off');
	});

	it('reference-video and motion sound: original / off, the error names the field the user set', () => {
		expect(bodyOf(O1, { prompt: 'x', video_list: [{ video_url: 'https://v/v.mp4', refer_type: 'feature', keep_original_sound: 'yes' }] }).settings).toEqual({ audio: 'original' });
		expect(bodyOf(O1, { prompt: 'x', video_list: [{ video_url: 'https://v/v.mp4', refer_type: 'feature' }], keep_original_sound: 'no' }).settings).toEqual({ audio: 'off' });
		// No video: Keep Original Sound does not apply.
		expect(bodyOf(O1, { prompt: 'x', keep_original_sound: 'yes' })).toEqual({ contents: [{ type: 'prompt', text: 'x' }], options: {} });
		expect(bodyOf(M26, { image_url: 'a', video_url: 'https://v/v.mp4', keep_original_sound: 'yes', character_orientation: 'image' }).settings).toEqual({ audio: 'original', character_orientation: 'image' });
		const noKeep = { ...TTURBO, family: 'omniVideo' as const, contents: ['prompt', 'feature_video'] as const, audio: null };
		expect(ruleOf(noKeep, { prompt: 'x', video_list: [{ video_url: 'https://v/v.mp4', keep_original_sound: 'yes' }] }).field).toBe('Keep Reference Video Sound');
		const noOriginal = { ...M26, audio: ['native', 'off'] as const };
		const e = ruleOf(noOriginal, { image_url: 'a', video_url: 'https://v/v.mp4', keep_original_sound: 'yes' });
		expect(e.field).toBe('Keep Original Sound');
		expect(e.message).toMatch(/"original" audio is not available on model kling-2.6: it accepts native, off/);
	});

	it('sound on with a reference video is refused, even when Keep Reference Video Sound is set', () => {
		expect(ruleOf(O30, { prompt: 'x', sound: 'on', video_list: [{ video_url: 'https://v/v.mp4', refer_type: 'feature', keep_original_sound: 'yes' }] }).message).toBe(
			'"Generate Sound" must be off with a reference video (new standard)',
		);
		expect(ruleOf(O30, { prompt: 'x', sound: 'on', video_list: [{ video_url: 'https://v/v.mp4', refer_type: 'base' }] }).field).toBe('Generate Sound');
	});

	it('voices need sound on', () => {
		const e = ruleOf(I26, { image: 'a', voice_list: [{ voice_id: 'v' }], mode: 'pro' });
		expect(e.field).toBe('Voice IDs');
		expect(e.message).toMatch(/need Generate Sound on/);
	});

	it('kling-2.6: native audio is 1080p only (no Mode = 720p); start + end frame is 1080p only', () => {
		expect(ruleOf(T26, { prompt: 'x', sound: 'on' }).message).toBe('"Mode" must be Professional (1080p) with sound on model kling-2.6: native audio is 1080p only');
		expect(bodyOf(T26, { prompt: 'x', sound: 'off', mode: 'std' }).settings).toEqual({ audio: 'off', resolution: '720p' });
		expect(bodyOf(T30, { prompt: 'x', sound: 'on', mode: 'std' }).settings).toMatchObject({ audio: 'native', resolution: '720p' });
		expect(ruleOf(I26, { image: 'a', image_tail: 'b' }).message).toBe('"Mode" must be Professional (1080p) with a start and end frame on model kling-2.6');
		expect(bodyOf(I26, { image: 'a', image_tail: 'b', mode: 'pro' }).settings).toEqual({ resolution: '1080p' });
		expect(bodyOf(I26, { image: 'a', mode: 'std' }).settings).toEqual({ resolution: '720p' });
		expect(bodyOf(I30, { image: 'a', image_tail: 'b', mode: 'std' }).settings).toEqual({ resolution: '720p', multi_shot: false });
	});

	it('aspect ratio only where the route has it', () => {
		expect(bodyOf(T26, { prompt: 'x', aspect_ratio: '1:1' }).settings).toEqual({ aspect_ratio: '1:1' });
		expect(bodyOf(I25, { image: 'a', aspect_ratio: '1:1' })).toEqual({ contents: [{ type: 'first_frame', url: 'a' }], options: {} });
	});

	it('duration: an integer within the route list; none on motion control', () => {
		expect(bodyOf(T30, { prompt: 'x', duration: '3' }).settings).toEqual({ duration: 3, multi_shot: false });
		expect(bodyOf(T30, { prompt: 'x', duration: 15 }).settings).toEqual({ duration: 15, multi_shot: false });
		expect(ruleOf(T30, { prompt: 'x', duration: '16' }).message).toBe('"Duration" 16 s is not available on model kling-3.0: it accepts 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 s');
		expect(ruleOf(T30, { prompt: 'x', duration: '2' }).field).toBe('Duration');
		expect(ruleOf(T26, { prompt: 'x', duration: '7' }).message).toBe('"Duration" 7 s is not available on model kling-2.6: it accepts 5, 10 s');
		expect(ruleOf(M30, { image_url: 'a', video_url: 'https://v/v.mp4', duration: '5' }).message).toBe('"Duration" is not available on model kling-3.0');
		expect(bodyOf(O1, { prompt: 'x', duration: '3' }).settings).toEqual({ duration: 3 });
		expect(ruleOf(O1, { prompt: 'x', duration: '11' }).field).toBe('Duration');
	});

	it('kling-o1: a first frame without reference image or video allows 5 or 10 s only', () => {
		const first = img('f', 'first_frame');
		expect(ruleOf(O1, { prompt: 'x', image_list: [first], duration: '3' }).message).toBe('"Duration" must be 5 or 10 s on model kling-o1 with a first frame and no reference image or video');
		expect(bodyOf(O1, { prompt: 'x', image_list: [first], duration: '5' }).settings).toEqual({ duration: 5 });
		expect(bodyOf(O1, { prompt: 'x', image_list: [first], duration: '10' }).settings).toEqual({ duration: 10 });
		expect(bodyOf(O1, { prompt: 'x', image_list: [first], video_list: [{ video_url: 'https://v/v.mp4', refer_type: 'feature' }], duration: '7' }).settings).toMatchObject({ duration: 7 });
		// An element is not a reference image.
		expect(ruleOf(O1, { prompt: 'x', image_list: [first], element_list: [{ element_id: '1' }], duration: '7' }).field).toBe('Duration');
		expect(bodyOf(O1, { prompt: 'x', image_list: [first, img('r')], duration: '7' }).settings).toEqual({ duration: 7 });
		expect(toNewStandardBody(O30, { prompt: 'x', image_list: [first], duration: '7' }).settings).toEqual({ duration: 7, multi_shot: false });
	});

	it('motion control sends the character orientation; watermark goes to options', () => {
		const body = bodyOf(M26, { image_url: 'a', video_url: 'https://v/v.mp4', character_orientation: 'video', watermark_info: { enabled: true } });
		expect(body).toEqual({
			contents: [
				{ type: 'image', url: 'a' },
				{ type: 'video', url: 'https://v/v.mp4' },
			],
			settings: { character_orientation: 'video' },
			options: { watermark_info: { enabled: true } },
		});
		expect(toNewStandardBody(T25, { prompt: 'x', watermark_info: { enabled: false } }).options).toEqual({ watermark_info: { enabled: false } });
	});
});
