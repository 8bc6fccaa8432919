/**
 * shared/exactlyOnce.ts: the execution de-duplication key (n8n's unique index decides on it, so its exact form is
 * the product's promise across processes and restarts), the per-workflow emitter registry and the callback route.
 */
import { createHash } from 'node:crypto';
import {
	MAX_KEY_LENGTH,
	deduplicationKey,
	emitterFor,
	registerEmitter,
	resetEmitters,
	routeCallback,
	unregisterEmitter,
	type StartExecutions,
	type TaskEmitter,
} from '../../nodes/KlingAi/shared/exactlyOnce';

const emitter = (nodeId: string): TaskEmitter => ({ nodeId, deliver: async () => 'emitted' });

describe('deduplicationKey', () => {
	test('names the key version, the workflow, the task and its state', () => {
		expect(deduplicationKey('wf1', { taskId: '842250903629086785', status: 'succeeded' })).toBe('kling:v1:wf1:842250903629086785:succeeded');
	});

	test('an unsaved workflow (no id) still gets a key, without a workflow part', () => {
		expect(deduplicationKey(undefined, { taskId: 't1', status: 'failed' })).toBe('kling:v1::t1:failed');
	});

	test('differs per workflow and per state, so each workflow and each terminal state starts once', () => {
		const keys = new Set([
			deduplicationKey('wf1', { taskId: 't1', status: 'succeeded' }),
			deduplicationKey('wf2', { taskId: 't1', status: 'succeeded' }),
			deduplicationKey('wf1', { taskId: 't1', status: 'failed' }),
			deduplicationKey('wf1', { taskId: 't2', status: 'succeeded' }),
		]);
		expect(keys.size).toBe(4);
	});

	test('a key of exactly 255 characters is kept as is; one character more is hashed (n8n column is varchar(255))', () => {
		const prefix = 'kling:v1:w:';
		const suffix = ':succeeded';
		const exact = 'x'.repeat(MAX_KEY_LENGTH - prefix.length - suffix.length);
		expect(deduplicationKey('w', { taskId: exact, status: 'succeeded' })).toBe(`${prefix}${exact}${suffix}`);
		expect(deduplicationKey('w', { taskId: exact, status: 'succeeded' })).toHaveLength(MAX_KEY_LENGTH);

		const longer = `${exact}y`;
		const hashed = deduplicationKey('w', { taskId: longer, status: 'succeeded' });
		expect(hashed).toMatch(/^kling:v1:h:[0-9a-f]{64}$/);
		expect(hashed.length).toBeLessThanOrEqual(MAX_KEY_LENGTH);
	});

	test('an over-long key is the SHA-256 of the full key: stable across processes, distinct per workflow and state', () => {
		const taskId = 'z'.repeat(400);
		const full = `kling:v1:wf1:${taskId}:succeeded`;
		const expected = `kling:v1:h:${createHash('sha256').update(full).digest('hex')}`;
		expect(deduplicationKey('wf1', { taskId, status: 'succeeded' })).toBe(expected);
		expect(deduplicationKey('wf2', { taskId, status: 'succeeded' })).not.toBe(expected);
		expect(deduplicationKey('wf1', { taskId, status: 'failed' })).not.toBe(expected);
	});
});

describe('emitter registry', () => {
	afterEach(() => resetEmitters());

	test('one emitter per workflow; other workflows see none', () => {
		const a = emitter('poll-a');
		registerEmitter('wf1', a);
		expect(emitterFor('wf1')).toBe(a);
		expect(emitterFor('wf2')).toBeUndefined();
		expect(emitterFor(undefined)).toBeUndefined();
	});

	test('an unsaved workflow (no id) has its own slot', () => {
		const a = emitter('poll-a');
		registerEmitter(undefined, a);
		expect(emitterFor(undefined)).toBe(a);
		expect(emitterFor('wf1')).toBeUndefined();
		unregisterEmitter(undefined, a);
		expect(emitterFor(undefined)).toBeUndefined();
	});

	test('a later activation replaces the emitter; deactivating the old one leaves the newer registration alone', () => {
		const old = emitter('poll-old');
		const newer = emitter('poll-new');
		registerEmitter('wf1', old);
		registerEmitter('wf1', newer);
		expect(emitterFor('wf1')).toBe(newer);
		unregisterEmitter('wf1', old);
		expect(emitterFor('wf1')).toBe(newer);
		unregisterEmitter('wf1', newer);
		expect(emitterFor('wf1')).toBeUndefined();
	});

	test('unregistering one workflow leaves the others', () => {
		const a = emitter('a');
		const b = emitter('b');
		registerEmitter('wf1', a);
		registerEmitter('wf2', b);
		unregisterEmitter('wf1', a);
		expect(emitterFor('wf1')).toBeUndefined();
		expect(emitterFor('wf2')).toBe(b);
	});

	test('resetEmitters forgets every registration (a restart)', () => {
		registerEmitter('wf1', emitter('a'));
		registerEmitter('wf2', emitter('b'));
		resetEmitters();
		expect(emitterFor('wf1')).toBeUndefined();
		expect(emitterFor('wf2')).toBeUndefined();
	});
});

describe('routeCallback', () => {
	const cases: Array<[StartExecutions, boolean, boolean, ReturnType<typeof routeCallback>]> = [
		// Test listening in the editor always starts here, so the editor shows the event.
		['auto', true, true, 'startHere'],
		['pollTrigger', true, true, 'startHere'],
		['pollTrigger', false, true, 'startHere'],
		// "Here" never hands over.
		['here', true, false, 'startHere'],
		['here', false, false, 'startHere'],
		// A Poll Trigger running in this process gets the task (one keyed emission).
		['auto', true, false, 'handOver'],
		['pollTrigger', true, false, 'handOver'],
		// No emitter in this process: auto starts here (at least once), pollTrigger leaves it to the next scan.
		['auto', false, false, 'startHere'],
		['pollTrigger', false, false, 'leaveToPoll'],
	];
	test.each(cases)('mode %s, emitter %s, manual %s → %s', (mode, hasEmitter, manual, route) => {
		expect(routeCallback(mode, hasEmitter, manual)).toBe(route);
	});
});
