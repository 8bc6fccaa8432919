/** shared/newStandard.ts (route table, standard decision, body translation rules) and the billing lines of task.ts. */
import { NS_ROUTES, NsRuleError, decideStandard, toAtHandles, toNewStandardBody, type NsRoute } from '../../nodes/KlingAi/shared/newStandard';
import { normaliseNewStandard, withTaskType } from '../../nodes/KlingAi/shared/task';
import { NS_ROUTES as SIM_ROUTES, validateNsCreate } from '../simulator/newStandard';

const route = (family: string, model: string): NsRoute => NS_ROUTES.find((r) => r.family === family && r.model === model)!;
const ruleOf = (fn: () => unknown): NsRuleError => {
	try {
		fn();
	} catch (e) {
		if (e instanceof NsRuleError) return e;
		throw e;
	}
	throw new Error('no NsRuleError');
};

describe('route table', () => {
	it('has every documented path exactly once, and the simulator serves the same 12 paths', () => {
		const paths = NS_ROUTES.map((r) => `/${{ textToVideo: 'text-to-video', imageToVideo: 'image-to-video', omniVideo: 'omni-video', motionControl: 'motion-control' }[r.family]}/${r.model}`);
		expect(new Set(paths).size).toBe(12);
		expect(paths.sort()).toEqual(Object.keys(SIM_ROUTES).sort());
	});
});

describe('decideStandard', () => {
	it('new-only models always go new; dual models follow the choice; Auto follows the credential', () => {
		expect(decideStandard('textToVideo', 'kling-3.0-turbo', 'legacy', 'accessKey')).toMatchObject({ standard: 'new', why: 'newOnly' });
		expect(decideStandard('textToVideo', 'kling-3.0', 'legacy', 'apiKey')).toMatchObject({ standard: 'new', why: 'newOnly', route: { model: 'kling-3.0' } });
		expect(decideStandard('textToVideo', 'kling-v3', 'legacy', 'apiKey')).toEqual({ standard: 'legacy' });
		expect(decideStandard('textToVideo', 'kling-v3', 'new', 'accessKey')).toMatchObject({ standard: 'new', why: 'chosen' });
		expect(decideStandard('textToVideo', 'kling-v3', 'auto', 'apiKey')).toMatchObject({ standard: 'new', why: 'auto' });
		expect(decideStandard('textToVideo', 'kling-v3', 'auto', 'accessKey')).toEqual({ standard: 'legacy' });
		expect(decideStandard('textToVideo', 'kling-v1', 'new', 'apiKey')).toEqual({ standard: 'legacy' });
		expect(decideStandard('motionControl', 'kling-v2-6', 'new', 'apiKey')).toMatchObject({ route: { model: 'kling-2.6', family: 'motionControl' } });
	});
});

describe('toNewStandardBody: the documented rules', () => {
	it('handles <<<x>>> → @x', () => expect(toAtHandles('<<<element_1>>> and <<< voice_2 >>>')).toBe('@element_1 and @voice_2'));

	it('kling-2.6: native audio only in 1080p', () => {
		expect(ruleOf(() => toNewStandardBody(route('textToVideo', 'kling-2.6'), { prompt: 'x', sound: 'on', mode: 'std' })).field).toBe('Mode');
		expect(toNewStandardBody(route('textToVideo', 'kling-2.6'), { prompt: 'x', sound: 'on', mode: 'pro', duration: '5' }).settings).toEqual({ audio: 'native', resolution: '1080p', duration: 5 });
	});

	it('start + end frame on kling-2.5-turbo needs 1080p; last-frame-only is refused', () => {
		const r = route('imageToVideo', 'kling-2.5-turbo');
		expect(ruleOf(() => toNewStandardBody(r, { image: 'a', image_tail: 'b', mode: 'std' })).field).toBe('Mode');
		expect(ruleOf(() => toNewStandardBody(r, { image_tail: 'b', mode: 'pro' })).field).toBe('Start Frame Image');
	});

	it('kling-o1: first frame alone → 5 or 10 s; first + last frame takes no reference image; no native audio', () => {
		const r = route('omniVideo', 'kling-o1');
		expect(ruleOf(() => toNewStandardBody(r, { prompt: 'x', image_list: [{ image_url: 'a', type: 'first_frame' }], duration: '7' })).field).toBe('Duration');
		expect(toNewStandardBody(r, { prompt: 'x', image_list: [{ image_url: 'a', type: 'first_frame' }, { image_url: 'r' }], duration: '7' }).settings).toMatchObject({ duration: 7 });
		expect(ruleOf(() => toNewStandardBody(r, { prompt: 'x', image_list: [{ image_url: 'a', type: 'first_frame' }, { image_url: 'b', type: 'end_frame' }, { image_url: 'r' }] })).field).toBe('Images');
		expect(ruleOf(() => toNewStandardBody(r, { prompt: 'x', sound: 'on' })).field).toBe('Generate Sound');
	});

	it('kling-3.0-omni: reference video keeps its sound as "original"; base video gets no multi_shot', () => {
		const body = toNewStandardBody(route('omniVideo', 'kling-3.0-omni'), { prompt: 'edit <<<video_1>>>', video_list: [{ video_url: 'https://v/1.mp4', refer_type: 'base', keep_original_sound: 'yes' }], aspect_ratio: '16:9' });
		expect(body.contents).toEqual([{ type: 'prompt', text: 'edit @video_1' }, { type: 'base_video', url: 'https://v/1.mp4', id: 'video_1' }]);
		expect(body.settings).toEqual({ audio: 'original', aspect_ratio: '16:9' });
		expect(() => validateNsCreate('/omni-video/kling-3.0-omni', body)).not.toThrow();
	});

	it('3.0 Turbo: no "Intelligent" multi-shot (custom shots only, in the prompt), no sound', () => {
		const r = route('textToVideo', 'kling-3.0-turbo');
		expect(ruleOf(() => toNewStandardBody(r, { prompt: 'x', multi_shot: true, shot_type: 'intelligence' })).field).toBe('Multi-Shot');
		expect(ruleOf(() => toNewStandardBody(r, { prompt: 'x', sound: 'on' })).field).toBe('Generate Sound');
	});

	it('kling-2.6 image to video: voices need sound; at most 2', () => {
		const r = route('imageToVideo', 'kling-2.6');
		expect(ruleOf(() => toNewStandardBody(r, { image: 'a', voice_list: [{ voice_id: 'v' }], sound: 'off' })).field).toBe('Voice IDs');
		const body = toNewStandardBody(r, { prompt: '<<<voice_1>>> says hi', image: 'a', voice_list: [{ voice_id: 'v1' }], sound: 'on', mode: 'pro' });
		expect(body.contents).toContainEqual({ type: 'voice', voice_id: 'v1', id: 'voice_1' });
		expect(() => validateNsCreate('/image-to-video/kling-2.6', body)).not.toThrow();
	});

	it('motion control: audio from Keep Original Sound, character orientation required by the simulator', () => {
		const body = toNewStandardBody(route('motionControl', 'kling-3.0'), { image_url: 'a', video_url: 'https://v/m.mp4', keep_original_sound: 'no', character_orientation: 'video', mode: 'pro' });
		expect(body.settings).toEqual({ audio: 'off', resolution: '1080p', character_orientation: 'video' });
		expect(() => validateNsCreate('/motion-control/kling-3.0', body)).not.toThrow();
		expect(() => validateNsCreate('/motion-control/kling-3.0', { ...body, settings: { audio: 'off' } })).toThrow(/character_orientation/);
	});

	it('the simulator refuses a string duration (the legacy form) on the new standard', () => {
		expect(() => validateNsCreate('/text-to-video/kling-2.6', { prompt: 'x', settings: { duration: '5' } })).toThrow(/settings.duration/);
	});
});

describe('billing lines (task.ts)', () => {
	it('keeps every line, amounts as strings; unitsDeducted sums unit lines only (cash is money, not units)', () => {
		const item = normaliseNewStandard({
			id: '1',
			status: 'succeeded',
			billing: [
				{ charge_type: 'unit', amount: '2.5', package_type: 'video' },
				{ charge_type: 'cash', cash_type: 'balance', amount: '0.70', currency: 'USD', list_price: '1.00' },
			],
		});
		expect(item.unitsDeducted).toBe(2.5);
		expect(item.billing[1]).toEqual({ chargeType: 'cash', cashType: 'balance', amount: '0.70', currency: 'USD', packageType: null, listPrice: '1.00' });
		expect(item.taskType).toBe('newStandard');
		// A callback URL's kling_type (the operation's family) does not turn it back into a legacy type.
		expect(withTaskType(item, 'textToVideo').taskType).toBe('newStandard');
	});
});
