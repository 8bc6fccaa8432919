import { KlingPayloadError, isNewerState, normaliseStatus, parseTaskPayload } from '../../nodes/KlingAi/shared/task';
import { PERSIST_AFTER_MS, PERSISTED_ENTRIES, RECENT_TERMINAL_MAX, TaskLedger, syncWithStaticData, STATIC_DATA_KEY } from '../../nodes/KlingAi/shared/ledger';

// Official legacy callback body (reference §5.1), with values filled in.
const legacy = {
	task_id: '842250903629086785',
	task_status: 'succeed',
	task_status_msg: '',
	created_at: 1722769557708,
	updated_at: 1722769617708,
	final_unit_deduction: '10',
	final_balance_deduction: { quota: '10', list_price: '1.4' },
	task_info: { parent_video: { id: 'pv1', url: 'https://cdn.example/p.mp4', duration: '5' }, external_task_id: 'n8n-abc' },
	task_result: {
		videos: [{ id: 'v1', url: 'https://cdn.example/v.mp4', duration: '5.1' }],
	},
};

describe('task payload forms', () => {
	test('bare legacy task object (the official callback form)', () => {
		const item = parseTaskPayload(legacy, 'extendVideo');
		expect(item).toMatchObject({
			taskId: '842250903629086785',
			externalTaskId: 'n8n-abc',
			status: 'succeeded',
			klingStatus: 'succeed',
			finished: true,
			taskType: 'extendVideo',
			resultKind: 'videos',
			createdAt: '2024-08-04T11:05:57.708Z',
			createdAtMs: 1722769557708,
			updatedAtMs: 1722769617708,
			unitsDeducted: 10,
			videos: [{ id: 'v1', url: 'https://cdn.example/v.mp4', watermarkUrl: null, durationSeconds: 5.1 }],
			parentVideo: { id: 'pv1', durationSeconds: 5 },
			resultsExpireAt: '2024-09-03T11:05:57.708Z',
		});
		expect(item.raw).toEqual(legacy);
	});

	test('{code, message, data}-wrapped form gives the same item', () => {
		const wrapped = parseTaskPayload({ code: 0, message: 'SUCCEED', request_id: 'r', data: legacy }, 'extendVideo');
		expect({ ...wrapped, raw: undefined }).toEqual({ ...parseTaskPayload(legacy, 'extendVideo'), raw: undefined });
	});

	test('new-standard {id, status, outputs} form (official test callback)', () => {
		const item = parseTaskPayload({
			id: '1234567890',
			status: 'succeeded',
			message: '',
			create_time: 1781080778802,
			update_time: 1781080794151,
			external_id: 'ext-1',
			outputs: [{ type: 'video', url: 'https://cdn.example/o.mp4', duration: 5 }, { type: 'image', url: 'https://cdn.example/o.png' }],
		});
		expect(item).toMatchObject({ taskId: '1234567890', externalTaskId: 'ext-1', status: 'succeeded', finished: true, createdAtMs: 1781080778802 });
		expect(item.videos[0]).toMatchObject({ url: 'https://cdn.example/o.mp4', durationSeconds: 5 });
		expect(item.images[0]).toMatchObject({ index: 0, url: 'https://cdn.example/o.png' });
	});

	test('a JSON string body is parsed', () => {
		expect(parseTaskPayload(JSON.stringify(legacy)).taskId).toBe('842250903629086785');
	});

	test('image results, failed tasks and missing optional fields', () => {
		const item = parseTaskPayload({ task_id: 9, task_status: 'failed', task_status_msg: 'risk control', task_result: { images: [{ index: 1, url: 'u' }] } });
		expect(item).toMatchObject({ taskId: '9', status: 'failed', statusMessage: 'risk control', images: [{ index: 1, url: 'u', watermarkUrl: null }], createdAt: null, unitsDeducted: null, resultKind: 'images' });
	});

	test.each([
		['not JSON', '{nope', 'not_json'],
		['an array', [legacy], 'not_a_task'],
		['no task id', { task_status: 'succeed' }, 'no_task_id'],
		['unknown status', { task_id: '1', task_status: 'exploded' }, 'unknown_status'],
		['unrelated object', { hello: 'world' }, 'no_task_id'],
		['wrapped error envelope without data', { code: 1201, message: 'bad' }, 'no_task_id'],
	])('rejects %s with a precise reason', (_n, body, reason) => {
		try {
			parseTaskPayload(body);
			throw new Error('expected a KlingPayloadError');
		} catch (e) {
			expect(e).toBeInstanceOf(KlingPayloadError);
			expect((e as KlingPayloadError).reason).toBe(reason);
		}
	});

	test('succeed and succeeded both mean success; seconds are tolerated as timestamps', () => {
		expect(normaliseStatus('succeed')).toBe('succeeded');
		expect(normaliseStatus('SUCCEEDED')).toBe('succeeded');
		expect(parseTaskPayload({ task_id: '1', task_status: 'processing', created_at: 1722769557 }).createdAtMs).toBe(1722769557000);
	});
});

describe('ordering rules', () => {
	const s = (status: 'submitted' | 'processing' | 'succeeded' | 'failed', updatedAtMs: number | null = 1) => ({ status, updatedAtMs });
	test.each([
		[undefined, s('processing'), true],
		[s('submitted'), s('processing'), true],
		[s('processing'), s('succeeded'), true],
		[s('processing', 5), s('processing', 5), false],
		[s('processing', 5), s('processing', 6), true],
		[s('processing'), s('submitted', 99), false],
		[s('succeeded'), s('processing', 99), false],
		[s('succeeded'), s('succeeded', 99), false],
		[s('failed'), s('succeeded', 99), false],
	])('%j then %j → newer=%s', (prev, next, expected) => {
		expect(isNewerState(prev, next)).toBe(expected);
	});
});

describe('ledger', () => {
	const item = (taskId: string, status: 'processing' | 'succeeded' | 'failed', updatedAtMs = 1) => ({ taskId, status, updatedAtMs });

	test('claims each terminal state once; late progress and duplicates are refused', () => {
		const l = new TaskLedger();
		expect(l.claim(item('a', 'processing'), 'callback')).toBe(true);
		expect(l.claim(item('a', 'succeeded', 2), 'callback')).toBe(true);
		expect(l.claim(item('a', 'succeeded', 2), 'poll')).toBe(false);
		expect(l.claim(item('a', 'processing', 3), 'callback')).toBe(false);
		expect(l.get('a')).toMatchObject({ status: 'succeeded', via: 'callback' });
	});

	test('release undoes a claim', () => {
		const l = new TaskLedger();
		l.claim(item('a', 'processing'), 'callback');
		const prev = l.get('a');
		l.claim(item('a', 'failed', 2), 'callback');
		l.release('a', prev);
		expect(l.claim(item('a', 'failed', 2), 'poll')).toBe(true);
	});

	test('bounded: the oldest entries are evicted', () => {
		const l = new TaskLedger(3);
		for (const id of ['a', 'b', 'c', 'd']) l.claim(item(id, 'succeeded'), 'poll');
		expect(l.size).toBe(3);
		expect(l.get('a')).toBeUndefined();
	});

	test('persists settled terminal states into static data and seeds a fresh ledger (restart)', () => {
		const staticData: Record<string, unknown> = {};
		const l1 = new TaskLedger();
		let now = 1_000_000;
		const write = syncWithStaticData(l1, staticData as never, () => now);
		l1.claim(item('a', 'succeeded', 5), 'callback', now);
		l1.claim(item('b', 'processing'), 'callback', now);
		write();
		// Younger than PERSIST_AFTER_MS: its execution may not exist yet, so it is not recorded.
		expect(Object.keys((staticData[STATIC_DATA_KEY] as { tasks: object }).tasks)).toEqual([]);
		now += PERSIST_AFTER_MS;
		write();
		expect(Object.keys((staticData[STATIC_DATA_KEY] as { tasks: object }).tasks)).toEqual(['a']);
		const l2 = new TaskLedger();
		syncWithStaticData(l2, JSON.parse(JSON.stringify(staticData)));
		expect(l2.claim(item('a', 'succeeded', 5), 'poll')).toBe(false);
		expect(l2.claim(item('b', 'succeeded', 5), 'poll')).toBe(true);
	});

	test('the copy is rewritten at most once per PERSIST_AFTER_MS (each rewrite costs n8n a static-data save)', () => {
		const staticData: Record<string, unknown> = {};
		const l = new TaskLedger();
		let now = 1_000_000;
		const write = syncWithStaticData(l, staticData as never, () => now);
		write();
		const first = staticData[STATIC_DATA_KEY];
		l.claim(item('a', 'succeeded', 1), 'callback', now - PERSIST_AFTER_MS);
		now += 1_000;
		write();
		expect(staticData[STATIC_DATA_KEY]).toBe(first);
		now += PERSIST_AFTER_MS;
		write();
		expect(staticData[STATIC_DATA_KEY]).not.toBe(first);
		expect(Object.keys((staticData[STATIC_DATA_KEY] as { tasks: object }).tasks)).toEqual(['a']);
		write(true);
	});

	test('a burst of claims younger than PERSIST_AFTER_MS does not push the settled ones out of the copy', () => {
		const l = new TaskLedger();
		for (let i = 0; i < 100; i++) l.claim(item(`old${i}`, 'succeeded', 1), 'poll', 1_000);
		for (let i = 0; i < 2_000; i++) l.claim(item(`new${i}`, 'succeeded', 1), 'poll', 100_000);
		const tasks = Object.keys((l.toPersisted(50_000) as { tasks: object }).tasks);
		expect(tasks).toHaveLength(PERSISTED_ENTRIES);
		expect(tasks.every((id) => id.startsWith('old'))).toBe(true);
	});

	test('persists the NEWEST settled terminal entries, at most PERSISTED_ENTRIES, oldest first', () => {
		const l = new TaskLedger();
		const ids = Array.from({ length: PERSISTED_ENTRIES + 50 }, (_, i) => `t${i}`);
		ids.forEach((id, i) => l.claim(item(id, 'succeeded', i), 'poll', 1_000 + i));
		l.claim(item('late', 'failed', 1), 'poll', 10_000_000);
		const tasks = Object.keys((l.toPersisted(5_000_000) as { tasks: object }).tasks);
		expect(tasks).toHaveLength(PERSISTED_ENTRIES);
		expect(tasks).toEqual(ids.slice(-PERSISTED_ENTRIES));
		expect(tasks).not.toContain('late');
	});

	test('persisting walks only recent terminal claims: its cost does not grow with the tasks seen', () => {
		const l = new TaskLedger();
		for (let i = 0; i < 10_000; i++) l.claim(item(`p${i}`, 'processing'), 'poll', 1);
		for (let i = 0; i < 10_000; i++) l.claim(item(`s${i}`, 'succeeded', 1), 'poll', 1);
		const entries = Object.keys((l.toPersisted(10) as { tasks: object }).tasks);
		expect(entries).toHaveLength(PERSISTED_ENTRIES);
		expect(entries[entries.length - 1]).toBe('s9999');
		// The walk is bounded by the recent-claims list, not by the 15,000 entries in the ledger.
		expect((l as unknown as { recentTerminal: string[] }).recentTerminal.length).toBeLessThanOrEqual(RECENT_TERMINAL_MAX);
	});
});

describe('what a malformed task body is called (the webhook answers 400 with this reason)', () => {
	const reasonOf = (body: unknown) => {
		try {
			parseTaskPayload(body);
		} catch (e) {
			return { reason: (e as KlingPayloadError).reason, message: (e as Error).message };
		}
		return undefined;
	};

	test('a task_id without a status is "not a task" (naming the field), not "no task id"', () => {
		expect(reasonOf({ task_id: 't1' })).toMatchObject({ reason: 'not_a_task', message: expect.stringContaining('task_status') });
	});

	test('a missing task_id is named as such even when other fields are wrong too', () => {
		expect(reasonOf({ task_status: 42 })).toMatchObject({ reason: 'no_task_id', message: 'Body has no task_id' });
	});

	test('a nested field is named by its dotted path', () => {
		const r = reasonOf({ task_id: 't1', task_status: 'succeed', task_result: { videos: [{ id: 'v', url: 5 }] } });
		expect(r?.reason).toBe('not_a_task');
		expect(r?.message).toMatch(/task_result\.videos\.0\.url/);
	});
});
