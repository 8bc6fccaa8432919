/**
 * What the node panels show (issue 15, findings 2-4): order and visibility of the wait and callback fields,
 * readable canvas subtitles and hints (evaluated by n8n-core's expression engine), the trigger panel texts,
 * Get Task defaults, the Lip Sync voice list and the credential form.
 */
import { NodeHelpers, type IDataObject, type INodeParameters, type INodeProperties, type INodePropertyOptions } from 'n8n-workflow';
import { KlingAiApi } from '../../credentials/KlingAiApi.credentials';
import { KlingAiTrigger } from '../../nodes/KlingAi/KlingAiTrigger.node';
import { buildCreateBody } from '../../nodes/KlingAi/resources/create';
import { CREATE_OPERATIONS, findCreateOperation } from '../../nodes/KlingAi/resources';
import { resolveBaseUrl } from '../../nodes/KlingAi/shared/baseUrl';
import { executeContext, simulatorCredentials } from '../helpers/n8n';
import { baseParameters, node } from '../integration/actionFixtures';

const props = node.description.properties;
const creds = simulatorCredentials('http://127.0.0.1:9');
const t2v = CREATE_OPERATIONS.find((o) => o.value === 'textToVideo')!;

function shownNames(parameters: IDataObject): string[] {
	return props.filter((p) => NodeHelpers.displayParameter(parameters as INodeParameters, p, null, node.description)).map((p) => p.name);
}
/** n8n-core's evaluateExpression adds the leading "=" itself. */
const evaluate = (expression: string, parameters: IDataObject) =>
	executeContext({ nodeType: node, parameters, credentials: creds }).evaluateExpression(expression.replace(/^=/, ''), 0);

describe('Wait for Completion and the callback destination', () => {
	const base = baseParameters(t2v);

	it('Wait for Completion comes first; the callback destination follows it and only shows with "Don\'t Wait"', () => {
		const order = props.map((p) => p.name);
		expect(order.indexOf('waitForCompletion')).toBeLessThan(order.indexOf('callback'));
		expect(shownNames({ ...base, waitForCompletion: 'dontWait' })).toContain('callback');
		for (const mode of ['callback', 'poll', 'callbackThenPoll']) expect(shownNames({ ...base, waitForCompletion: mode })).not.toContain('callback');
	});

	it('"Callback" does not name both a field and a wait mode', () => {
		const wait = props.find((p) => p.name === 'waitForCompletion')!;
		const callback = props.find((p) => p.name === 'callback')!;
		const waitNames = (wait.options as INodePropertyOptions[]).map((o) => o.name);
		expect(waitNames).not.toContain('Callback');
		expect(callback.displayName).not.toMatch(/^callback$/i);
		expect(waitNames).not.toContain(callback.displayName);
	});

	it('the resume-URL notice shows only for callback waits, the "Don\'t Wait" notice only for Don\'t Wait, no hint on the mode field', () => {
		expect(props.find((p) => p.name === 'waitForCompletion')!.hint).toBeUndefined();
		const at = (mode: string) => shownNames({ ...base, waitForCompletion: mode });
		expect(at('dontWait')).toContain('dontWaitNotice');
		expect(at('dontWait')).not.toContain('callbackWaitNotice');
		for (const mode of ['callback', 'callbackThenPoll']) expect(at(mode)).toContain('callbackWaitNotice');
		for (const mode of ['callback', 'poll', 'callbackThenPoll']) expect(at(mode)).not.toContain('dontWaitNotice');
		expect(at('poll')).not.toContain('callbackWaitNotice');
	});

	it('Poll Interval shows only where the node polls', () => {
		const at = (mode: string) => shownNames({ ...base, waitForCompletion: mode }).includes('pollIntervalSeconds');
		expect([at('dontWait'), at('callback'), at('poll'), at('callbackThenPoll')]).toEqual([false, false, true, true]);
	});

	it('minutes are shown as typed ("30", not "30.00"): no fixed number precision', () => {
		for (const p of props.filter((q) => ['waitTimeLimit', 'pollAfterMinutes'].includes(q.name))) {
			expect(p.typeOptions?.numberPrecision).toBeUndefined();
		}
	});
});

describe('canvas subtitle and output hint (evaluated by n8n)', () => {
	it.each([
		[{ resource: 'video', operation: 'textToVideo' }, 'Text to Video'],
		[{ resource: 'image', operation: 'getTask' }, 'Get Image Task'],
		[{ resource: 'video', operation: 'listTasks' }, 'List Video Tasks'],
		[{ resource: 'account', operation: 'getResourcePacks' }, 'Get Resource Packs'],
	])('%j → %s', (parameters, label) => {
		expect(evaluate(String(node.description.subtitle), parameters)).toBe(label);
	});

	it('every operation has a readable subtitle (no raw value such as "textToVideo: video")', () => {
		for (const p of props.filter((q) => q.name === 'operation')) {
			for (const o of p.options as INodePropertyOptions[]) {
				const subtitle = String(evaluate(String(node.description.subtitle), { resource: p.displayOptions!.show!.resource![0], operation: o.value }));
				expect(subtitle).not.toBe(o.value);
				expect(subtitle).toMatch(/^[A-Z][A-Za-z ()-]+$/);
			}
		}
	});

	it('after a "Don\'t Wait" create the output pane says how to get the video', () => {
		const [hint] = node.description.hints ?? [];
		expect(hint.location).toBe('outputPane');
		expect(hint.whenToDisplay).toBe('afterExecution');
		expect(hint.message).toMatch(/Wait for Completion/);
		const shows = (parameters: IDataObject) => evaluate(String(hint.displayCondition), parameters);
		expect(shows({ resource: 'video', operation: 'textToVideo', waitForCompletion: 'dontWait' })).toBe(true);
		expect(shows({ resource: 'video', operation: 'textToVideo' })).toBe(true);
		expect(shows({ resource: 'video', operation: 'textToVideo', waitForCompletion: 'poll' })).toBe(false);
		expect(shows({ resource: 'video', operation: 'getTask' })).toBe(false);
	});
});

describe('trigger panel', () => {
	const description = new KlingAiTrigger().description;
	it('says what produces a test event instead of n8n\'s generic "Go to Kling AI and create an event"', () => {
		const panel = description.triggerPanel as { header: string; executionsHelp: { inactive: string; active: string } };
		expect(panel.header).toMatch(/Test URL/);
		expect(panel.executionsHelp.inactive).toMatch(/Kling AI node/);
		expect(panel.executionsHelp.inactive).toMatch(/Test URL/);
		expect(panel.executionsHelp.active).toMatch(/Production URL/);
	});
});

describe('Get Task', () => {
	it('defaults to the incoming item\'s task ID and shows a placeholder that cannot pass for a value', () => {
		for (const name of ['taskId', 'externalTaskId']) {
			const fields = props.filter((p) => p.name === name && p.displayOptions?.show?.operation?.includes('getTask'));
			// One per resource with tasks: video, image, audio, library.
			expect(fields.length).toBe(4);
			for (const p of fields) {
				expect(String(p.default)).toMatch(/^=\{\{ \$json\.\w+ \}\}$/);
				expect(String(p.placeholder)).toMatch(/^e\.g\. /);
			}
		}
	});
	it('a fresh Get Task node has no parameter issues (required fields filled by default)', () => {
		const parameters = NodeHelpers.getNodeParameters(props, { resource: 'image', operation: 'getTask' }, true, false, null, node.description);
		const issues = NodeHelpers.getNodeParametersIssues(props, { parameters, name: 'x', type: 't', typeVersion: 1, position: [0, 0], id: 'x' } as never, node.description);
		expect(issues).toBeNull();
	});
});

describe('Lip Sync voice', () => {
	const op = findCreateOperation('video', 'lipSync')!;
	const lip = (extra: IDataObject) => ({ ...baseParameters(op), videoSource: 'videoId', videoId: 'video-123', lipSyncMode: 'text2video', text: 'Hi', ...extra });
	const voiceOf = async (parameters: IDataObject) =>
		((await buildCreateBody(executeContext({ nodeType: node, parameters, credentials: creds }), 0, op)).input as IDataObject).voice_id;

	it('offers Kling voices plus a custom voice id', () => {
		const voice = props.find((p) => p.name === 'voiceId')!;
		expect(voice.type).toBe('options');
		const values = (voice.options as INodePropertyOptions[]).map((o) => o.value);
		expect(values).toEqual(expect.arrayContaining(['oversea_male1', 'genshin_vindi2', 'custom']));
		const custom = props.find((p: INodeProperties) => p.name === 'customVoiceId')!;
		expect(custom.displayOptions?.show?.voiceId).toEqual(['custom']);
	});
	it('sends the chosen voice, the custom id, or (nodes saved when Voice ID was free text) the saved id', async () => {
		expect(await voiceOf(lip({}))).toBe('oversea_male1');
		expect(await voiceOf(lip({ voiceId: 'genshin_vindi2', customVoiceId: 'ignored' }))).toBe('genshin_vindi2');
		expect(await voiceOf(lip({ voiceId: 'custom', customVoiceId: ' my_voice ' }))).toBe('my_voice');
		expect(await voiceOf(lip({ voiceId: 'saved_voice' }))).toBe('saved_voice');
	});
});

describe('credential form', () => {
	const cred = new KlingAiApi();
	it('says the webhook secret is optional and where it comes from', () => {
		const secret = cred.properties.find((p) => p.name === 'webhookSecret')!;
		expect(secret.displayName).toMatch(/optional/i);
		expect(secret.required).toBeFalsy();
		expect(secret.hint).toMatch(/Kling console/);
	});
	it('an empty Custom Base URL is required in the form and fails with a clear message', () => {
		expect(cred.properties.find((p) => p.name === 'customBaseUrl')!.required).toBe(true);
		expect(() => resolveBaseUrl({ region: 'custom', customBaseUrl: '' })).toThrow(/Custom Base URL is empty/);
		expect(() => resolveBaseUrl({ region: 'custom', customBaseUrl: '  ' })).toThrow(/choose a Region/);
	});
});

describe('Video to Audio names its own video limits', () => {
	it('the video URL field says 3 to 20 s, not the lip-sync 2 to 60 s it shares the fields with', () => {
		const v2a = findCreateOperation('audio', 'videoToAudio')!;
		const texts = v2a.properties.map((p) => `${p.displayName}: ${p.description ?? ''}`).join('\n');
		expect(texts).toMatch(/3 to 20 s/);
		expect(texts).not.toMatch(/2 to 60 s|face/);
		const lipSync = findCreateOperation('video', 'advancedLipSync')!;
		expect(lipSync.properties.map((p) => p.description ?? '').join('\n')).toMatch(/2 to 60 s/);
	});

	it('the "Don\'t Wait" hint speaks of any result, not only videos and images', () => {
		const hint = node.description.hints?.[0];
		expect(hint?.message).not.toMatch(/video or image/);
	});
});
