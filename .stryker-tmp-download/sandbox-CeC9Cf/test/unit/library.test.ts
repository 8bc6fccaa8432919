/**
 * Voices, elements and billing exports (issue 14): Kling's documented examples (test/unit/fixtures/libraryDocExamples.ts,
 * verbatim) accepted by the simulator and parsed by the node's mappers; voice / element results in the one normalised
 * item from legacy task results and new-standard outputs; 64-bit element ids parsed without losing digits; the
 * simulator's lists, deletes and cursors keep state.
 */
import { parseJsonLossless, quoteLongIntegers } from '../../nodes/KlingAi/shared/json';
import { classifyResponse } from '../../nodes/KlingAi/shared/transport';
import { idString, libraryFromLegacyResult, mapLegacyElement, mapNewStandardElement, type KlingElement } from '../../nodes/KlingAi/shared/library';
import { parseTaskPayload } from '../../nodes/KlingAi/shared/task';
import { ENDPOINTS, TASK_TYPES } from '../../nodes/KlingAi/shared/endpoints';
import { startSimulator, type KlingSimulator } from '../simulator';
import { validateCreate } from '../simulator/validate';
import { docJson } from './fixtures/klingDocExamples';
import * as DOC from './fixtures/libraryDocExamples';

const API_KEY = 'kling_api_key_test';
const LONG = '829836802793406551';

/** The docs' example with its "string" status filled in (the node refuses an unknown status word). */
const status = (word = 'succeed') => ({ '"task_status": "string"': `"task_status": "${word}"` });
/** DOC-26's custom-voice list example lacks the comma after task_result (a slip of the docs). */
const VOICE_LIST_COMMA = { '      }\n      "final_unit_deduction"': '      },\n      "final_unit_deduction"' };
/** The element create examples are templates: "xxx" and a bare `string` stand for values. */
const ELEMENT_PLACEHOLDERS = {
	'"element_voice_id": string': '"element_voice_id": "850087542757535834"',
	'"callback_url": "xxx"': '"callback_url": "https://example.com/kling-callback"',
	'"tag_id": "xxx"': '"tag_id": "o_102"',
};
const IMAGE_PLACEHOLDERS = {
	...ELEMENT_PLACEHOLDERS,
	'"frontal_image": "xxx"': '"frontal_image": "https://example.com/front.png"',
	'{"image_url": "xxx"}': '{"image_url": "https://example.com/side.png"}',
};
const VIDEO_PLACEHOLDERS = { ...ELEMENT_PLACEHOLDERS, '"video_url": "xxx"': '"video_url": "https://example.com/person.mp4"' };

async function call(sim: KlingSimulator, method: string, path: string, body?: unknown, raw?: string) {
	const res = await fetch(`${sim.url}${path}`, {
		method,
		headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
		body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
	});
	const text = await res.text();
	return { status: res.status, text, json: parseJsonLossless(text) as { code: number; message: string; data: any } };
}

describe('lossless JSON (64-bit ids in Kling answers)', () => {
	it('keeps every digit of integers beyond 2^53 as strings; JSON.parse would round them', () => {
		const text = `{"element_id":${LONG},"n":-9223372036854775807,"small":42,"f":1.5e300,"t":1722769557708,"s":"${LONG}1","esc":"\\"${LONG}"}`;
		expect((JSON.parse(text) as { element_id: number }).element_id).toBe(829836802793406600);
		expect(parseJsonLossless(text)).toEqual({ element_id: LONG, n: '-9223372036854775807', small: 42, f: 1.5e300, t: 1722769557708, s: `${LONG}1`, esc: `"${LONG}` });
	});

	it('leaves text without long integers untouched and still throws on bad JSON', () => {
		const text = '{"a":[1,2.5,"x 12345678901234567 y"],"b":9007199254740991}';
		expect(quoteLongIntegers(text)).toBe(text);
		expect(() => parseJsonLossless(`{"a":${LONG}`)).toThrow(SyntaxError);
	});

	it('the transport parses a text answer losslessly', () => {
		const outcome = classifyResponse({ statusCode: 200, headers: {}, body: `{"code":0,"message":"SUCCEED","data":{"element_id":${LONG}}}` }, 0);
		expect(outcome).toMatchObject({ kind: 'ok', data: { element_id: LONG } });
	});

	it('ids that reach the node as numbers are written out without an exponent', () => {
		expect(idString(12)).toBe('12');
		expect(idString(1e21)).toBe('1000000000000000000000');
		expect(idString(` ${LONG} `)).toBe(LONG);
	});
});

describe('documented response examples parse into the one item', () => {
	it('custom voice query (DOC-26 L6161) → voices[] on the item', () => {
		const item = parseTaskPayload(docJson(DOC.VOICE_QUERY_RESPONSE, status()), 'customVoice');
		expect(item).toMatchObject({ taskId: 'string', status: 'succeeded', taskType: 'customVoice', resultKind: 'voices', unitsDeducted: null, elements: [] });
		expect(item.voices).toEqual([{ voiceId: 'string', voiceName: 'string', trialUrl: 'string', ownedBy: 'kling' }]);
	});

	it('custom / preset voice lists (DOC-26 L6232, L6305) are lists of such tasks', () => {
		const custom = docJson(DOC.VOICE_LIST_RESPONSE, { ...status(), ...VOICE_LIST_COMMA }) as { data: unknown[] };
		const preset = docJson(DOC.PRESET_VOICE_LIST_RESPONSE, status()) as { data: unknown[] };
		for (const data of [custom.data, preset.data]) {
			expect(data.map((t) => parseTaskPayload(t, 'customVoice').voices[0].ownedBy)).toEqual(['kling']);
		}
	});

	it('element query (DOC-26 L6692) → elements[] with the voice and a string id', () => {
		const item = parseTaskPayload(docJson(DOC.ELEMENT_QUERY_RESPONSE, status()), 'customElement');
		expect(item.resultKind).toBe('elements');
		expect(item.elements).toEqual([
			{
				elementId: '0',
				name: 'string',
				description: 'string',
				referenceType: 'video_refer',
				images: [],
				videos: [],
				voice: { voiceId: 'string', voiceName: 'string', trialUrl: 'string', ownedBy: 'kling' },
				tags: [],
				ownedBy: 'kling',
				status: 'succeeded',
			},
		]);
	});

	it('element lists (DOC-26 L6769, L6841): an empty element_voice_info is no voice', () => {
		for (const text of [DOC.ELEMENT_LIST_RESPONSE, DOC.PRESET_ELEMENT_LIST_RESPONSE]) {
			const [task] = (docJson(text, status()) as { data: unknown[] }).data;
			expect(parseTaskPayload(task, 'customElement').elements[0]).toMatchObject({ elementId: '0', voice: null, status: 'succeeded' });
		}
	});

	it('the older API answers the element itself (DOC-CN): frontal + refer images, tags', () => {
		const { data } = docJson(DOC.LEGACY_ELEMENT_CREATE_RESPONSE, { '"element_id": "long"': `"element_id": ${LONG}` }) as { data: Record<string, unknown> };
		// docJson is JSON.parse: the bare id there has lost digits, which is why the transport parses losslessly.
		const viaTransport = classifyResponse({ statusCode: 200, headers: {}, body: JSON.stringify({ code: 0, data: { ...data, element_id: 0 } }).replace('"element_id":0', `"element_id":${LONG}`) }, 0);
		const element = mapLegacyElement((viaTransport as { data: Record<string, unknown> }).data);
		expect(element).toEqual({
			elementId: LONG,
			name: 'string',
			description: 'string',
			referenceType: null,
			images: [
				{ url: 'image_url_0', role: 'frontal' },
				{ url: 'image_url_1', role: 'refer' },
				{ url: 'image_url_2', role: 'refer' },
				{ url: 'image_url_3', role: 'refer' },
			],
			videos: [],
			voice: null,
			tags: [{ id: 'o_101', name: 'string', description: 'string' }],
			ownedBy: 'string',
			status: null,
		} satisfies KlingElement);
	});

	it('deletes answer {task_id, task_status} (DOC-26 L6367, L6902)', () => {
		for (const text of [DOC.VOICE_DELETE_RESPONSE, DOC.ELEMENT_DELETE_RESPONSE]) expect((docJson(text) as { data: object }).data).toEqual({ task_id: 'string', task_status: 'string' });
	});

	it('voice and element create answers parse as submitted tasks of their type', () => {
		expect(parseTaskPayload(docJson(DOC.VOICE_CREATE_RESPONSE, status('submitted')), 'customVoice')).toMatchObject({ status: 'submitted', externalTaskId: 'string', voices: [] });
		expect(parseTaskPayload(docJson(DOC.ELEMENT_CREATE_RESPONSE, status('submitted')), 'customElement')).toMatchObject({ status: 'submitted', elements: [] });
	});
});

describe('new-standard voice / element outputs (references[] or materials[], UNCERTAIN: both read)', () => {
	const voice = docJson(DOC.NS_VOICE_OUTPUT) as Record<string, unknown>;
	const element = docJson(DOC.NS_ELEMENT_OUTPUT, { '"element_type": "string"': '"element_type": "video_character_elements"', '"role": "string"': '"role": "frontal"' }) as Record<string, unknown>;
	const task = (outputs: unknown[]) => ({ id: 'ns-1', status: 'succeeded', create_time: 1722769557708, update_time: 1722769557708, outputs });

	it('the documented callback items (materials[]) map to the same shapes as legacy results', () => {
		const item = parseTaskPayload(task([voice, element]), null);
		expect(item.voices).toEqual([{ voiceId: 'string', voiceName: 'string', trialUrl: 'string', ownedBy: 'string', status: 'succeeded' }]);
		expect(item.elements).toEqual([
			{
				elementId: 'string',
				name: 'string',
				description: 'string',
				referenceType: 'video_refer',
				images: [{ url: 'string', role: 'frontal' }],
				videos: [{ url: 'string', role: 'refer' }],
				voice: { voiceId: 'string', voiceName: 'string', trialUrl: 'string', ownedBy: 'string' },
				tags: [{ id: '1', name: 'string', description: 'string' }],
				ownedBy: 'string',
				status: 'string',
			},
		]);
		expect(item.resultKind).toBe('voices');
	});

	it('references[] (the query page) reads the same as materials[]', () => {
		const { materials, ...rest } = element;
		expect(mapNewStandardElement({ ...rest, references: materials })).toEqual(mapNewStandardElement(element));
	});

	it('a 64-bit element id in a new-standard callback body keeps its digits', () => {
		const body = JSON.stringify(task([{ ...element, id: 0 }])).replace('"id":0', `"id":${LONG}`);
		expect(parseTaskPayload(body, null).elements[0].elementId).toBe(LONG);
	});

	it('tasks without voices or elements get empty lists (legacy and new standard)', () => {
		expect(parseTaskPayload({ task_id: 't', task_status: 'succeed', task_result: { videos: [] } }, 'textToVideo')).toMatchObject({ voices: [], elements: [] });
		expect(parseTaskPayload(task([{ type: 'video', id: 'v', url: 'u' }]), null)).toMatchObject({ voices: [], elements: [] });
		expect(libraryFromLegacyResult(undefined)).toEqual({ voices: [], elements: [] });
	});
});

describe('documented request examples are accepted by the simulator', () => {
	let sim: KlingSimulator;
	beforeAll(async () => {
		sim = await startSimulator({ timings: { toProcessingMs: 5, toFinishMs: 20 } });
	});
	afterAll(() => sim.close());

	const examples = [
		['customVoice', 'voice clone (DOC-26 L6095)', DOC.VOICE_CREATE_REQUEST, {}],
		['customElement', 'multi-image element (DOC-26 L6612)', DOC.ELEMENT_CREATE_IMAGES_REQUEST, IMAGE_PLACEHOLDERS],
		['customElement', 'video character element (DOC-26 L6636)', DOC.ELEMENT_CREATE_VIDEO_REQUEST, VIDEO_PLACEHOLDERS],
	] as const;

	it.each(examples)('%s: %s — validator and HTTP', async (type, _label, text, placeholders) => {
		const body = docJson(text, placeholders as Record<string, string>);
		expect(() => validateCreate(type, body)).not.toThrow();
		const r = await call(sim, 'POST', ENDPOINTS[type].path, body);
		expect(r.json).toMatchObject({ code: 0, data: { task_status: 'submitted' } });
	});

	it('billing export examples (DOC-NEW) are accepted and answer the documented shape', async () => {
		for (const [path, text] of [
			['/account/billing/balance', DOC.BALANCE_REQUEST],
			['/account/billing/package', DOC.PACKAGE_REQUEST],
		] as const) {
			const r = await call(sim, 'POST', path, docJson(text));
			expect(r.json.code).toBe(0);
			expect(Object.keys(r.json.data).sort()).toEqual(['has_more', 'next_cursor', 'result']);
			expect(Object.keys(r.json.data.result).sort()).toEqual(['count', 'detail']);
		}
		// And the simulator's records carry exactly the documented fields.
		const doc = docJson(DOC.PACKAGE_RESPONSE) as { data: { result: { detail: object[] } } };
		const r = await call(sim, 'POST', '/account/billing/package', { start_time: 1e12, end_time: Date.now() + 1000 });
		expect(Object.keys(r.json.data.result.detail[0]).sort()).toEqual(Object.keys(doc.data.result.detail[0]).sort());
		const balanceDoc = docJson(DOC.BALANCE_RESPONSE) as { data: { result: { detail: object[] } } };
		const b = await call(sim, 'POST', '/account/billing/balance', { start_time: 1e12, end_time: Date.now() + 1000 });
		expect(Object.keys(b.json.data.result.detail[0]).sort()).toEqual(Object.keys(balanceDoc.data.result.detail[0]).sort());
	});

	it('the delete-voice example body is accepted for a voice the account owns', async () => {
		sim.insertTask('customVoice' as never, { task_result: { voices: [{ voice_id: '850087542757535834', voice_name: 'Mine', trial_url: 'https://x.test/t.mp3', owned_by: '10001' }] } });
		const r = await call(sim, 'POST', '/v1/general/delete-voices', docJson(DOC.VOICE_DELETE_REQUEST));
		expect(r.json).toMatchObject({ code: 0, data: { task_status: 'succeed' } });
	});
});

describe('simulator: library state, validation, cursors', () => {
	let sim: KlingSimulator;
	beforeAll(async () => {
		sim = await startSimulator({ timings: { toProcessingMs: 5, toFinishMs: 20 } });
	});
	afterAll(() => sim.close());
	beforeEach(() => sim.reset());

	const elementBody = { element_name: 'Fox', element_description: 'A red fox', reference_type: 'image_refer', element_image_list: { frontal_image: 'https://x.test/f.png', refer_images: [{ image_url: 'https://x.test/s.png' }] } };

	it('the library task types are the node endpoint rows', () => {
		for (const type of ['customVoice', 'customElement'] as const) expect(TASK_TYPES).toContain(type);
		const { ENDPOINTS: SIM_ENDPOINTS } = jest.requireActual('../simulator') as { ENDPOINTS: Record<string, { path: string; resultKind: string }> };
		expect(SIM_ENDPOINTS.customVoice).toEqual({ path: ENDPOINTS.customVoice.path, resultKind: ENDPOINTS.customVoice.resultKind });
		expect(SIM_ENDPOINTS.customElement).toEqual({ path: ENDPOINTS.customElement.path, resultKind: ENDPOINTS.customElement.resultKind });
	});

	it('element ids go out as bare integers above 2^53, and delete marks the element deleted', async () => {
		const created = await call(sim, 'POST', ENDPOINTS.customElement.path, elementBody);
		await sim.waitFor(() => sim.task(created.json.data.task_id)?.task.task_status === 'succeed');
		const q = await call(sim, 'GET', `${ENDPOINTS.customElement.path}/${created.json.data.task_id}`);
		const id = q.json.data.task_result.elements[0].element_id as string;
		expect(q.text).toContain(`"element_id":${id}`);
		expect(BigInt(id) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
		// An id that lost digits finds nothing; the exact digits delete it.
		expect((await call(sim, 'POST', '/v1/general/delete-elements', undefined, `{"element_id":"${BigInt(id) + 1n}"}`)).json).toMatchObject({ code: 1201 });
		expect((await call(sim, 'POST', '/v1/general/delete-elements', { element_id: id })).json.code).toBe(0);
		const list = await call(sim, 'GET', `${ENDPOINTS.customElement.path}?pageNum=1&pageSize=10`);
		expect(list.json.data[0].task_result.elements[0]).toMatchObject({ element_id: id, status: 'deleted' });
	});

	it('deleted voices leave the custom list; presets cannot be deleted; pageSize ≤ 1000 for voices, ≤ 500 for elements', async () => {
		const v = sim.insertTask('customVoice' as never);
		const voiceId = v.task_result.voices[0].voice_id as string;
		expect((await call(sim, 'GET', '/v1/general/custom-voices?pageNum=1&pageSize=1000')).json.data).toHaveLength(1);
		expect((await call(sim, 'POST', '/v1/general/delete-voices', { voice_id: voiceId })).json.code).toBe(0);
		expect((await call(sim, 'GET', '/v1/general/custom-voices?pageNum=1&pageSize=30')).json.data).toEqual([]);
		expect((await call(sim, 'POST', '/v1/general/delete-voices', { voice_id: 'preset_voice_1' })).json).toMatchObject({ code: 1201, message: 'voice_id: only custom voices can be deleted' });
		expect((await call(sim, 'GET', '/v1/general/presets-voices?pageSize=1001')).json).toMatchObject({ code: 1201, message: expect.stringMatching(/^pageSize: /) });
		expect((await call(sim, 'GET', '/v1/general/advanced-presets-elements?pageSize=501')).json).toMatchObject({ code: 1201, message: expect.stringMatching(/^pageSize: /) });
		expect((await call(sim, 'GET', '/v1/general/presets-voices?pageNum=2&pageSize=2')).json.data.map((t: any) => t.task_result.voices[0].voice_id)).toEqual(['preset_voice_3', 'preset_voice_4']);
	});

	it('the older element API: create answers the element, list shows it, delete-elements removes it, delete-advanced-elements does not know it', async () => {
		const body = { element_name: 'Cup', element_description: 'A tea cup', element_frontal_image: 'https://x.test/f.png', element_refer_list: [{ image_url: 'https://x.test/1.png' }], tag_list: [{ tag_id: 'o_104' }] };
		const created = await call(sim, 'POST', '/v1/general/custom-elements', body);
		const id = created.json.data.element_id as string;
		expect(created.text).toContain(`"element_id":${id}`);
		expect(created.json.data.tag_list).toEqual([{ id: 'o_104', name: 'Item', description: '' }]);
		expect((await call(sim, 'GET', '/v1/general/custom-elements?pageNum=1&pageSize=30')).json.data.map((e: any) => e.element_id)).toEqual([id]);
		expect((await call(sim, 'POST', '/v1/general/delete-advanced-elements', { element_id: id })).json.code).toBe(1201);
		expect((await call(sim, 'POST', '/v1/general/delete-elements', { element_id: id })).json.code).toBe(0);
		expect((await call(sim, 'GET', '/v1/general/custom-elements')).json.data).toEqual([]);
		expect((await call(sim, 'POST', '/v1/general/custom-elements', { ...body, element_refer_list: [] })).json).toMatchObject({ code: 1201, message: expect.stringMatching(/^element_refer_list: /) });
	});

	it('billing: start/end required without a cursor, cursors walk every record once, package_name XOR package_id', async () => {
		const lib = jest.requireActual('../simulator/library') as { setBillingRecords: (s: unknown, k: string, n: number) => void };
		lib.setBillingRecords(sim, 'balance', 7);
		expect((await call(sim, 'POST', '/account/billing/balance', { limit: 3 })).json).toMatchObject({ code: 1200, message: 'start_time: is required' });
		expect((await call(sim, 'POST', '/account/billing/balance', { start_time: 2e12, end_time: 1e12 })).json).toMatchObject({ code: 1201, message: expect.stringMatching(/^end_time: /) });
		expect((await call(sim, 'POST', '/account/billing/balance', { start_time: 1e12, end_time: 2e12, filters: [{ key: 'product_type', values: ['video'] }] })).json).toMatchObject({ code: 1201, message: expect.stringMatching(/^filters\[0\]\.key: /) });
		const ids: string[] = [];
		let r = await call(sim, 'POST', '/account/billing/balance', { start_time: 1e12, end_time: Date.now() + 1000, limit: 3 });
		for (;;) {
			ids.push(...r.json.data.result.detail.map((d: any) => d.task_id));
			if (!r.json.data.has_more) break;
			r = await call(sim, 'POST', '/account/billing/balance', { cursor: r.json.data.next_cursor });
		}
		expect(ids).toEqual(Array.from({ length: 7 }, (_, i) => `sim-billing-balance-${i + 1}`));
		expect(r.json.data.next_cursor).toBe('');
		const both = { start_time: 1e12, end_time: 2e12, filters: [{ key: 'package_name', values: ['a'] }, { key: 'package_id', values: ['b'] }] };
		expect((await call(sim, 'POST', '/account/billing/package', both)).json).toMatchObject({ code: 1201, message: expect.stringMatching(/^filters: /) });
	});
});
