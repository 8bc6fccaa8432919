/**
 * shared/ledger.ts beyond the basics in task.test.ts: what a restart sees (the static-data copy, its encoding and
 * its limits), release/merge/eviction, and the per-workflow ledgers. Written against mutation-testing survivors
 * (issue 16): each test is about something a user would notice (a task emitted twice, or never).
 */
import {
	PERSIST_AFTER_MS,
	PERSISTED_ENTRIES,
	RECENT_TERMINAL_MAX,
	STATIC_DATA_KEY,
	TaskLedger,
	ledgerFor,
	resetLedgers,
	syncWithStaticData,
} from '../../nodes/KlingAi/shared/ledger';

type Status = 'submitted' | 'processing' | 'succeeded' | 'failed';
const item = (taskId: string, status: Status, updatedAtMs: number | null = 1) => ({ taskId, status, updatedAtMs });
const persistedIds = (l: TaskLedger, settledAt: number, limit?: number) => Object.keys((l.toPersisted(settledAt, limit) as { tasks: object }).tasks);

describe('ledger: claims, release, merge', () => {
	test('release without a previous state forgets the task: the next delivery emits it', () => {
		const l = new TaskLedger();
		expect(l.claim(item('a', 'succeeded'), 'callback', 10)).toBe(true);
		l.release('a', undefined);
		expect(l.get('a')).toBeUndefined();
		expect(l.size).toBe(0);
		expect(l.hasTerminal('a')).toBe(false);
		expect(l.claim(item('a', 'succeeded'), 'poll', 11)).toBe(true);
		expect(l.get('a')).toEqual({ status: 'succeeded', updatedAtMs: 1, at: 11, via: 'poll' });
	});

	test('release restores the previous state exactly', () => {
		const l = new TaskLedger();
		l.claim(item('a', 'processing', 3), 'poll', 5);
		const prev = l.get('a');
		l.claim(item('a', 'succeeded', 4), 'callback', 6);
		l.release('a', prev);
		expect(l.get('a')).toEqual({ status: 'processing', updatedAtMs: 3, at: 5, via: 'poll' });
		expect(l.hasTerminal('a')).toBe(false);
	});

	test('merge takes a newer persisted state but never replaces a newer in-memory one', () => {
		const l = new TaskLedger();
		l.claim(item('a', 'processing', 5), 'poll', 1);
		l.merge('a', { status: 'processing', updatedAtMs: 4, at: 99, via: 'callback' });
		expect(l.get('a')).toMatchObject({ updatedAtMs: 5, at: 1, via: 'poll' });
		l.merge('a', { status: 'succeeded', updatedAtMs: 6, at: 100, via: 'callback' });
		expect(l.get('a')).toEqual({ status: 'succeeded', updatedAtMs: 6, at: 100, via: 'callback' });
		l.merge('b', { status: 'failed', updatedAtMs: null, at: 7, via: 'wait' });
		expect(l.get('b')).toEqual({ status: 'failed', updatedAtMs: null, at: 7, via: 'wait' });
	});

	test('hasTerminal: only succeeded and failed count', () => {
		const l = new TaskLedger();
		l.claim(item('s', 'submitted'), 'poll');
		l.claim(item('p', 'processing'), 'poll');
		l.claim(item('ok', 'succeeded'), 'poll');
		l.claim(item('ko', 'failed'), 'poll');
		expect(['s', 'p', 'ok', 'ko', 'unknown'].map((id) => l.hasTerminal(id))).toEqual([false, false, true, true, false]);
	});

	test('entriesSince includes claims made exactly at the given time, and not earlier ones', () => {
		const l = new TaskLedger();
		l.claim(item('early', 'succeeded'), 'poll', 99);
		l.claim(item('at', 'succeeded'), 'poll', 100);
		l.claim(item('late', 'processing'), 'callback', 101);
		expect(l.entriesSince(100).map(([id]) => id)).toEqual(['at', 'late']);
		expect(l.entriesSince(102)).toEqual([]);
	});

	test('a claim without a time is stamped with the current time', () => {
		jest.useFakeTimers({ now: 1_234_567 });
		try {
			const l = new TaskLedger();
			l.claim(item('a', 'succeeded'), 'callback');
			expect(l.get('a')?.at).toBe(1_234_567);
		} finally {
			jest.useRealTimers();
		}
	});

	test('eviction drops the least recently claimed task: a task that moved on is kept', () => {
		const l = new TaskLedger(3);
		l.claim(item('a', 'processing'), 'poll');
		l.claim(item('b', 'processing'), 'poll');
		l.claim(item('c', 'processing'), 'poll');
		l.claim(item('a', 'succeeded', 2), 'poll');
		l.claim(item('d', 'processing'), 'poll');
		expect(l.size).toBe(3);
		expect(l.get('b')).toBeUndefined();
		expect(l.hasTerminal('a')).toBe(true);
	});

	test('by default it remembers 20,000 tasks', () => {
		const l = new TaskLedger();
		for (let i = 0; i <= 20_000; i++) l.claim(item(`t${i}`, 'processing'), 'poll', 1);
		expect(l.size).toBe(20_000);
		expect(l.get('t0')).toBeUndefined();
		expect(l.get('t1')).toBeDefined();
	});
});

describe('ledger: the static-data copy (what a restart sees)', () => {
	test('each entry keeps status, update time, claim time and source; a fresh ledger reads them back', () => {
		const l = new TaskLedger();
		l.claim(item('ok', 'succeeded', 1_700), 'callback', 10);
		l.claim(item('ko', 'failed', null), 'wait', 20);
		const copy = l.toPersisted(1_000);
		expect(copy).toEqual({ v: 1, tasks: { ok: [2, 1_700, 10, 'callback'], ko: [3, 0, 20, 'wait'] } });

		const fresh = new TaskLedger();
		expect(fresh.loadPersisted(JSON.parse(JSON.stringify(copy)))).toBe(2);
		expect(fresh.get('ok')).toEqual({ status: 'succeeded', updatedAtMs: 1_700, at: 10, via: 'callback' });
		expect(fresh.get('ko')).toEqual({ status: 'failed', updatedAtMs: null, at: 20, via: 'wait' });
		expect(fresh.claim(item('ok', 'succeeded', 1_700), 'poll')).toBe(false);
	});

	test('a claim made exactly at the settle time is persisted; one a millisecond later is not', () => {
		const l = new TaskLedger();
		l.claim(item('at', 'succeeded'), 'poll', 500);
		l.claim(item('after', 'succeeded'), 'poll', 501);
		expect(persistedIds(l, 500)).toEqual(['at']);
	});

	test('only terminal states are persisted (a released terminal claim is not)', () => {
		const l = new TaskLedger();
		l.claim(item('p', 'processing'), 'poll', 1);
		l.claim(item('a', 'processing'), 'poll', 1);
		const prev = l.get('a');
		l.claim(item('a', 'succeeded', 2), 'poll', 2);
		l.release('a', prev);
		l.claim(item('gone', 'succeeded'), 'poll', 3);
		l.release('gone', undefined);
		l.claim(item('ok', 'failed'), 'poll', 4);
		expect(persistedIds(l, 100)).toEqual(['ok']);
	});

	test('a task claimed, released and claimed again is persisted once and counts once towards the limit', () => {
		const l = new TaskLedger();
		l.claim(item('x', 'succeeded'), 'poll', 1);
		l.claim(item('y', 'succeeded'), 'poll', 2);
		l.release('y', undefined);
		l.claim(item('y', 'succeeded'), 'poll', 3);
		expect(persistedIds(l, 100)).toEqual(['x', 'y']);
		expect(persistedIds(l, 100, 2)).toEqual(['x', 'y']);
	});

	test('an evicted task is not persisted', () => {
		const l = new TaskLedger(2);
		l.claim(item('a', 'succeeded'), 'poll', 1);
		l.claim(item('b', 'succeeded'), 'poll', 2);
		l.claim(item('c', 'succeeded'), 'poll', 3);
		expect(persistedIds(l, 100)).toEqual(['b', 'c']);
	});

	test('the default settle time is PERSIST_AFTER_MS before now', () => {
		jest.useFakeTimers({ now: 1_000_000 });
		try {
			const l = new TaskLedger();
			l.claim(item('settled', 'succeeded'), 'poll', 1_000_000 - PERSIST_AFTER_MS);
			l.claim(item('young', 'succeeded'), 'poll', 1_000_000 - PERSIST_AFTER_MS + 1);
			expect(Object.keys((l.toPersisted() as { tasks: object }).tasks)).toEqual(['settled']);
		} finally {
			jest.useRealTimers();
		}
	});

	test('after more than RECENT_TERMINAL_MAX terminal claims the newest are still the ones persisted', () => {
		const l = new TaskLedger();
		for (let i = 0; i <= RECENT_TERMINAL_MAX; i++) l.claim(item(`t${i}`, 'succeeded'), 'poll', 1);
		const ids = persistedIds(l, 10);
		expect(ids).toHaveLength(PERSISTED_ENTRIES);
		expect(ids[ids.length - 1]).toBe(`t${RECENT_TERMINAL_MAX}`);
		expect(ids[0]).toBe(`t${RECENT_TERMINAL_MAX - PERSISTED_ENTRIES + 1}`);
	});

	test('a flood of progress claims after a settled terminal claim does not push it out of the copy', () => {
		const l = new TaskLedger();
		l.claim(item('done', 'succeeded'), 'callback', 1);
		for (let i = 0; i <= RECENT_TERMINAL_MAX; i++) l.claim(item(`p${i}`, 'processing'), 'poll', 2);
		expect(persistedIds(l, 10)).toEqual(['done']);
	});

	test('loadPersisted skips what it cannot read and counts what it merged', () => {
		const l = new TaskLedger();
		expect(l.loadPersisted(undefined)).toBe(0);
		expect(l.loadPersisted({})).toBe(0);
		expect(l.loadPersisted({ v: 1, tasks: 'nope' })).toBe(0);
		expect(l.loadPersisted({ v: 1, tasks: { a: 'x', b: [9, 1, 1, 'poll'], c: [2], d: [1, 0, 0] } })).toBe(2);
		expect(l.get('a')).toBeUndefined();
		expect(l.get('b')).toBeUndefined();
		// Missing fields: no update time, claimed at 0, via callback.
		expect(l.get('c')).toEqual({ status: 'succeeded', updatedAtMs: null, at: 0, via: 'callback' });
		expect(l.get('d')).toEqual({ status: 'processing', updatedAtMs: null, at: 0, via: 'callback' });
	});
});

describe('syncWithStaticData', () => {
	test('seeds the ledger from static data at once', () => {
		const staticData = { [STATIC_DATA_KEY]: { v: 1, tasks: { a: [2, 5, 1, 'poll'] } } };
		const l = new TaskLedger();
		syncWithStaticData(l, staticData);
		expect(l.hasTerminal('a')).toBe(true);
	});

	test('the first write happens even within PERSIST_AFTER_MS of process start (no copy yet)', () => {
		const staticData: Record<string, unknown> = {};
		const l = new TaskLedger();
		l.lastPersistedAt = 1_000_000;
		const write = syncWithStaticData(l, staticData as never, () => 1_000_001);
		write();
		expect(staticData[STATIC_DATA_KEY]).toEqual({ v: 1, tasks: {} });
		expect(l.lastPersistedAt).toBe(1_000_001);
	});

	test('rewrites exactly PERSIST_AFTER_MS after the last write, with claims settled by then; force writes at once', () => {
		const staticData: Record<string, unknown> = {};
		const l = new TaskLedger();
		let now = 1_000_000;
		const write = syncWithStaticData(l, staticData as never, () => now);
		write();
		const first = staticData[STATIC_DATA_KEY];
		l.claim(item('a', 'succeeded'), 'callback', now);
		now += PERSIST_AFTER_MS - 1;
		write();
		expect(staticData[STATIC_DATA_KEY]).toBe(first);
		write(true);
		expect(staticData[STATIC_DATA_KEY]).not.toBe(first);
		// Forced at PERSIST_AFTER_MS - 1 after the claim: not settled yet.
		expect(Object.keys((staticData[STATIC_DATA_KEY] as { tasks: object }).tasks)).toEqual([]);
		const second = staticData[STATIC_DATA_KEY];
		now += PERSIST_AFTER_MS;
		write();
		expect(staticData[STATIC_DATA_KEY]).not.toBe(second);
		expect(Object.keys((staticData[STATIC_DATA_KEY] as { tasks: object }).tasks)).toEqual(['a']);
	});

	test('exactly PERSIST_AFTER_MS after the last write is late enough to write again', () => {
		const staticData: Record<string, unknown> = {};
		const l = new TaskLedger();
		let now = 2_000_000;
		const write = syncWithStaticData(l, staticData as never, () => now);
		write();
		const first = staticData[STATIC_DATA_KEY];
		now += PERSIST_AFTER_MS;
		write();
		expect(staticData[STATIC_DATA_KEY]).not.toBe(first);
	});
});

describe('ledgerFor', () => {
	afterEach(() => resetLedgers());

	test('one ledger per workflow, shared by every caller in the process; a restart forgets them', () => {
		const a = ledgerFor('wf1');
		expect(ledgerFor('wf1')).toBe(a);
		expect(ledgerFor('wf2')).not.toBe(a);
		expect(ledgerFor(undefined)).toBe(ledgerFor(undefined));
		expect(ledgerFor(undefined)).not.toBe(a);
		a.claim(item('t', 'succeeded'), 'poll');
		resetLedgers();
		expect(ledgerFor('wf1')).not.toBe(a);
		expect(ledgerFor('wf1').get('t')).toBeUndefined();
	});
});
