/**
 * The pure scanning algorithm of the Kling AI Poll Trigger (nodes/KlingAi/shared/poller.ts), against an
 * in-memory model of Kling's newest-first task list (same ordering rule as the simulator: created_at
 * descending, later insert first on ties). Small page sizes exercise the page logic cheaply.
 */
import {
	DEFAULT_LIMITS,
	isCovered,
	lowestGap,
	mergeRanges,
	scanTaskType,
	type ScanOptions,
	type ScanTask,
	type TypeCursor,
	savableCursors,
	type PassedTask,
} from '../../nodes/KlingAi/shared/poller';
import type { TaskStatus } from '../../nodes/KlingAi/shared/task';

interface FakeTask extends ScanTask {
	seq: number;
	externalTaskId: string | null;
}

class FakeList {
	private tasks: FakeTask[] = [];
	private seq = 0;
	clock = 1_700_000_000_000;
	calls = 0;
	/** Called before each page is served (to insert tasks while a scan runs). */
	beforePage?: (pageNum: number) => void;

	add(status: TaskStatus = 'submitted', createdAtMs: number | null = this.clock, externalTaskId: string | null = null): FakeTask {
		const t: FakeTask = { taskId: `t${String(++this.seq).padStart(6, '0')}`, status, createdAtMs, seq: this.seq, externalTaskId };
		this.tasks.push(t);
		return t;
	}

	addMany(n: number, status: TaskStatus = 'submitted', stepMs = 1): FakeTask[] {
		const out: FakeTask[] = [];
		for (let i = 0; i < n; i++) {
			this.tick(stepMs);
			out.push(this.add(status));
		}
		return out;
	}

	tick(ms = 1): void {
		this.clock += ms;
	}

	finish(t: FakeTask, status: TaskStatus = 'succeeded'): void {
		t.status = status;
	}

	sorted(): FakeTask[] {
		return [...this.tasks].sort((a, b) => (b.createdAtMs ?? 0) - (a.createdAtMs ?? 0) || b.seq - a.seq);
	}

	page(pageNum: number, pageSize: number): FakeTask[] {
		this.beforePage?.(pageNum);
		this.calls++;
		return this.sorted()
			.slice((pageNum - 1) * pageSize, pageNum * pageSize)
			.map((t) => ({ ...t }));
	}
}

const HOUR = 3_600_000;

/** Drives polls like the node does: carries the cursor, collects emissions. */
class Poller {
	cursor: TypeCursor | undefined;
	emitted: string[] = [];
	lastCalls = 0;
	lastPages: number[] = [];

	constructor(
		readonly list: FakeList,
		readonly opts: Partial<Omit<ScanOptions<FakeTask>, 'cursor' | 'fetchPage' | 'now'>> & { budgetPages?: number } = {},
	) {}

	async poll(overrides: Partial<ScanOptions<FakeTask>> & { budgetPages?: number } = {}): Promise<string[]> {
		const pageSize = overrides.pageSize ?? this.opts.pageSize ?? 5;
		const budgetPages = overrides.budgetPages ?? this.opts.budgetPages ?? Number.POSITIVE_INFINITY;
		let fetched = 0;
		const result = await scanTaskType<FakeTask>({
			cursor: this.cursor,
			fetchPage: async (p) => {
				fetched++;
				return this.list.page(p, pageSize);
			},
			pageSize,
			now: this.list.clock,
			maxLookBackMs: 48 * HOUR,
			catchUpMs: 0,
			canFetch: () => fetched < budgetPages,
			mustFetchFirst: true,
			...this.opts,
			...overrides,
		});
		this.cursor = result.cursor;
		this.lastCalls = result.calls;
		this.lastPages = result.pages;
		const ids = result.emit.map((t) => t.taskId);
		this.emitted.push(...ids);
		return ids;
	}
}

const dupes = (ids: string[]) => ids.filter((id, i) => ids.indexOf(id) !== i);

/** One scan outside the Poller driver, to look at the whole ScanResult. */
const scanOnce = async (list: FakeList, cursor: TypeCursor | undefined, pageSize: number, overrides: Partial<ScanOptions<FakeTask>> = {}) =>
	await scanTaskType<FakeTask>({
		cursor,
		fetchPage: async (n) => list.page(n, pageSize),
		pageSize,
		now: list.clock,
		maxLookBackMs: 48 * HOUR,
		catchUpMs: 0,
		canFetch: () => true,
		...overrides,
	});

describe('poller: first poll', () => {
	it('emits nothing that finished before activation and reads one page', async () => {
		const list = new FakeList();
		list.addMany(12, 'succeeded');
		list.addMany(3, 'failed');
		const p = new Poller(list);
		expect(await p.poll()).toEqual([]);
		expect(p.lastCalls).toBe(1);
		expect(await p.poll()).toEqual([]);
	});

	it('watches tasks already running on the first page and emits them when they finish', async () => {
		const list = new FakeList();
		list.addMany(10, 'succeeded');
		const running = list.addMany(2, 'processing');
		const p = new Poller(list);
		await p.poll();
		expect(Object.keys(p.cursor!.pend).sort()).toEqual(running.map((t) => t.taskId).sort());
		list.finish(running[0]);
		list.finish(running[1], 'failed');
		expect((await p.poll()).sort()).toEqual(running.map((t) => t.taskId).sort());
		expect(p.cursor!.pend).toEqual({});
	});

	it('with a catch-up window emits tasks that finished inside it, not before', async () => {
		const list = new FakeList();
		const old = list.add('succeeded', list.clock - 5 * HOUR);
		const recent = list.add('succeeded', list.clock - 1 * HOUR);
		const running = list.add('processing', list.clock - 30 * 60_000);
		const p = new Poller(list, { catchUpMs: 2 * HOUR });
		expect(await p.poll()).toEqual([recent.taskId]);
		expect(p.emitted).not.toContain(old.taskId);
		list.finish(running);
		expect(await p.poll()).toEqual([running.taskId]);
	});

	it('an empty list, then tasks: everything after activation is new', async () => {
		const list = new FakeList();
		const p = new Poller(list);
		expect(await p.poll()).toEqual([]);
		const t = list.addMany(3, 'succeeded');
		expect(await p.poll()).toEqual(t.map((x) => x.taskId));
	});

	it('a first poll that could not read stays a first poll (no flood later)', async () => {
		const list = new FakeList();
		list.addMany(20, 'succeeded');
		const p = new Poller(list);
		const failing = await scanTaskType<FakeTask>({
			cursor: undefined,
			fetchPage: async () => {
				throw new Error('network down');
			},
			pageSize: 5,
			now: list.clock,
			maxLookBackMs: 48 * HOUR,
			catchUpMs: 0,
			canFetch: () => true,
			mustFetchFirst: true,
		});
		expect(failing.stoppedBy).toBe('error');
		expect(failing.cursor).toBeUndefined();
		expect(await p.poll()).toEqual([]);
	});
});

describe('poller: steady state', () => {
	it('emits each finished task once, whether it finished before or after being seen', async () => {
		const list = new FakeList();
		list.addMany(7, 'succeeded');
		const p = new Poller(list);
		await p.poll();
		const a = list.addMany(2, 'succeeded');
		const b = list.addMany(2, 'processing');
		expect(await p.poll()).toEqual(a.map((t) => t.taskId));
		expect(await p.poll()).toEqual([]);
		list.finish(b[1], 'failed');
		expect(await p.poll()).toEqual([b[1].taskId]);
		list.finish(b[0]);
		expect(await p.poll()).toEqual([b[0].taskId]);
		expect(await p.poll()).toEqual([]);
		expect(dupes(p.emitted)).toEqual([]);
	});

	it('finds a watched task deep in the list (many newer tasks) when it finishes', async () => {
		const list = new FakeList();
		const p = new Poller(list, { pageSize: 10 });
		await p.poll();
		const old = list.addMany(1, 'processing')[0];
		await p.poll();
		list.addMany(125, 'succeeded');
		expect((await p.poll()).length).toBe(125);
		// Only the watched task keeps the scan deep: 126 tasks down to it = 13 pages of 10.
		expect(await p.poll()).toEqual([]);
		expect(p.lastCalls).toBe(13);
		list.finish(old);
		expect(await p.poll()).toEqual([old.taskId]);
		// Nothing watched any more: one page per poll.
		await p.poll();
		expect(p.lastCalls).toBe(1);
	});

	it('many tasks finishing at once are all emitted, once', async () => {
		const list = new FakeList();
		const p = new Poller(list, { pageSize: 50 });
		await p.poll();
		const tasks = list.addMany(650, 'submitted');
		expect(await p.poll()).toEqual([]);
		expect(Object.keys(p.cursor!.pend)).toHaveLength(650);
		for (const t of tasks) list.finish(t, t.seq % 3 ? 'succeeded' : 'failed');
		const out = await p.poll();
		expect(out).toHaveLength(650);
		expect(new Set(out).size).toBe(650);
		expect(await p.poll()).toEqual([]);
	});

	it('tasks created in the same millisecond as the newest seen one are still new', async () => {
		const list = new FakeList();
		const p = new Poller(list, { pageSize: 3 });
		list.addMany(4, 'succeeded');
		await p.poll();
		// Same created_at as the current newest task.
		const twin = list.add('succeeded', list.clock);
		expect(await p.poll()).toEqual([twin.taskId]);
		const moreTwins = [list.add('succeeded', list.clock), list.add('succeeded', list.clock), list.add('succeeded', list.clock)];
		expect((await p.poll()).sort()).toEqual(moreTwins.map((t) => t.taskId).sort());
		expect(await p.poll()).toEqual([]);
	});

	it('tasks inserted while a scan is between pages are neither lost nor emitted twice', async () => {
		const list = new FakeList();
		const p = new Poller(list, { pageSize: 5 });
		await p.poll();
		list.addMany(12, 'succeeded');
		const inserted: FakeTask[] = [];
		list.beforePage = (n) => {
			if (n > 1) {
				list.tick();
				inserted.push(list.add('succeeded'));
			}
		};
		await p.poll();
		list.beforePage = undefined;
		await p.poll();
		expect(dupes(p.emitted)).toEqual([]);
		expect(p.emitted).toHaveLength(12 + inserted.length);
	});

	it('applies the accept filter: other tasks are neither emitted nor watched', async () => {
		const list = new FakeList();
		const p = new Poller(list, { accept: (t) => (t.externalTaskId ?? '').startsWith('wf1-') });
		await p.poll();
		list.tick();
		const mine = list.add('processing', list.clock, 'wf1-a');
		list.tick();
		list.add('processing', list.clock, 'other-b');
		await p.poll();
		expect(Object.keys(p.cursor!.pend)).toEqual([mine.taskId]);
		for (const t of list.sorted()) list.finish(t);
		expect(await p.poll()).toEqual([mine.taskId]);
	});
});

describe('poller: bounds', () => {
	it('gives up watched tasks older than the maximum look-back and ignores older tasks', async () => {
		const list = new FakeList();
		const p = new Poller(list, { maxLookBackMs: 2 * HOUR });
		await p.poll();
		list.tick();
		const slow = list.add('processing');
		await p.poll();
		list.tick(3 * HOUR);
		list.add('succeeded');
		list.finish(slow);
		const out = await p.poll();
		expect(out).not.toContain(slow.taskId);
		expect(p.cursor!.pend).toEqual({});
	});

	it('drops a watched task that complete scans keep missing', async () => {
		const list = new FakeList();
		const p = new Poller(list);
		await p.poll();
		p.cursor!.pend.ghost = list.clock - 10;
		await p.poll();
		await p.poll();
		expect(p.cursor!.pend.ghost).toBe(list.clock - 10);
		await p.poll();
		expect(p.cursor!.pend.ghost).toBeUndefined();
		expect(p.cursor!.miss).toBeUndefined();
	});

	it('keeps the number of watched tasks bounded (oldest dropped)', async () => {
		const list = new FakeList();
		const p = new Poller(list, { pageSize: 10, limits: { maxPending: 20 } });
		await p.poll();
		const tasks = list.addMany(30, 'processing');
		await p.poll();
		const watched = Object.keys(p.cursor!.pend);
		expect(watched).toHaveLength(20);
		expect(watched).not.toContain(tasks[0].taskId);
		expect(watched).toContain(tasks[29].taskId);
	});

	it('never reads beyond the configured page limit', async () => {
		const list = new FakeList();
		const p = new Poller(list, { pageSize: 1, limits: { maxPages: 4 } });
		await p.poll();
		list.addMany(10, 'succeeded');
		await p.poll();
		expect(p.lastPages).toEqual([1, 2, 3, 4]);
	});

	it('never reads beyond page 1000 with the default limits (Kling\'s highest pageNum)', async () => {
		expect(DEFAULT_LIMITS.maxPages).toBe(1_000);
		const list = new FakeList();
		const p = new Poller(list, { pageSize: 1 });
		await p.poll();
		// 1,005 new tasks, one per page: the scan would need page 1005 to reach the oldest.
		list.addMany(1_005, 'succeeded');
		const result = await scanOnce(list, p.cursor, 1);
		expect(result.stoppedBy).toBe('pageLimit');
		expect(result.calls).toBe(1_000);
		expect(Math.max(...result.pages)).toBe(1_000);
	});

	it('keeps the coverage ranges bounded: holes beyond the limit are closed and reported', async () => {
		const list = new FakeList();
		const t0 = list.clock;
		// A stored cursor with 40 separate ranges (holes between them), all inside the look-back.
		const cov: TypeCursor['cov'] = Array.from({ length: 40 }, (_, i) => [t0 - 4_000 + i * 100, t0 - 4_000 + i * 100 + 10, null, null]);
		const scan = async (limits?: { maxRanges: number }) => await scanOnce(list, { cov, pend: {} }, 5, { canFetch: () => false, mustFetchFirst: true, limits });
		const withDefaults = await scan();
		expect(withDefaults.cursor!.cov.length).toBeLessThanOrEqual(DEFAULT_LIMITS.maxRanges);
		expect(withDefaults.closedHoles).toBeGreaterThanOrEqual(40 - DEFAULT_LIMITS.maxRanges);
		const small = await scan({ maxRanges: 3 });
		expect(small.cursor!.cov).toHaveLength(3);
		expect(small.closedHoles).toBe(37);
		// The lowest holes are closed: the newest ranges stay as they were.
		expect(small.cursor!.cov[0][0]).toBe(cov[0][0]);
		expect(small.cursor!.cov.slice(1)).toEqual(cov.slice(38));
	});

	it('the cursor stays bounded over many budget-cut polls with new tasks arriving', async () => {
		const list = new FakeList();
		const p = new Poller(list, { pageSize: 2, limits: { maxRanges: 4 } });
		await p.poll();
		let most = 0;
		for (let i = 0; i < 60; i++) {
			list.tick(5);
			list.addMany(5, 'succeeded', 3);
			await p.poll({ budgetPages: 1 });
			most = Math.max(most, p.cursor!.cov.length);
		}
		expect(most).toBeLessThanOrEqual(4);
	});
});

describe('poller: poll budget', () => {
	it('stops when the budget is spent and resumes next poll without losing or repeating tasks', async () => {
		const list = new FakeList();
		const p = new Poller(list, { pageSize: 10 });
		await p.poll();
		const tasks = list.addMany(47, 'succeeded');
		// One page per poll.
		const perPoll: number[] = [];
		for (let i = 0; i < 8; i++) {
			perPoll.push((await p.poll({ budgetPages: 1 })).length);
			expect(p.lastCalls).toBe(1);
		}
		expect(perPoll.slice(0, 5)).toEqual([10, 10, 10, 10, 7]);
		expect(p.emitted.sort()).toEqual(tasks.map((t) => t.taskId).sort());
		expect(dupes(p.emitted)).toEqual([]);
	});

	it('resumes deep even when all tasks share one millisecond', async () => {
		const list = new FakeList();
		const p = new Poller(list, { pageSize: 10 });
		await p.poll();
		list.tick();
		const tasks: FakeTask[] = [];
		for (let i = 0; i < 35; i++) tasks.push(list.add('succeeded', list.clock));
		for (let i = 0; i < 6; i++) await p.poll({ budgetPages: 1 });
		expect(p.emitted.sort()).toEqual(tasks.map((t) => t.taskId).sort());
		expect(dupes(p.emitted)).toEqual([]);
	});

	it('new tasks arriving during a budget-limited catch-up are all emitted once', async () => {
		const list = new FakeList();
		const p = new Poller(list, { pageSize: 10 });
		await p.poll();
		const all = list.addMany(40, 'succeeded');
		for (let i = 0; i < 12; i++) {
			await p.poll({ budgetPages: 2 });
			list.tick();
			all.push(...list.addMany(3, 'succeeded'));
		}
		await p.poll();
		await p.poll();
		expect(dupes(p.emitted)).toEqual([]);
		expect(p.emitted.sort()).toEqual(all.map((t) => t.taskId).sort());
	});

	it('a task created later in the same millisecond as a budget cut is emitted (regression: randomised seed 10)', async () => {
		// The cut scan read only tasks of one instant, which was also the newest known (at == top): a task
		// created afterwards in that millisecond sits above them, so the deep run has not seen every task there.
		const list = new FakeList();
		const p = new Poller(list, { pageSize: 3 });
		await p.poll();
		const T = list.clock + 10;
		const older = list.add('succeeded', T - 1);
		const same = [list.add('succeeded', T), list.add('succeeded', T), list.add('succeeded', T)];
		expect((await p.poll({ budgetPages: 1 })).sort()).toEqual(same.map((t) => t.taskId).sort());
		expect(p.cursor!.resume).toMatchObject({ at: T, top: T });
		const late = list.add('succeeded', T);
		// The deep run finishes the cut scan; the budget allows nothing more.
		expect(await p.poll({ budgetPages: 1 })).toEqual([older.taskId]);
		expect(await p.poll()).toEqual([late.taskId]);
		expect(await p.poll()).toEqual([]);
		expect(dupes(p.emitted)).toEqual([]);
	});

	it('a list error after the first page keeps the progress made', async () => {
		const list = new FakeList();
		const p = new Poller(list, { pageSize: 10 });
		await p.poll();
		const tasks = list.addMany(25, 'succeeded');
		let n = 0;
		const r = await scanOnce(list, p.cursor, 10, {
			fetchPage: async (pg) => {
				if (++n === 2) throw new Error('HTTP 500');
				return list.page(pg, 10);
			},
		});
		expect(r.stoppedBy).toBe('error');
		expect(r.emit).toHaveLength(10);
		p.cursor = r.cursor;
		p.emitted.push(...r.emit.map((t) => t.taskId));
		await p.poll();
		expect(p.emitted.sort()).toEqual(tasks.map((t) => t.taskId).sort());
	});
});

describe('poller: randomised exactly-once', () => {
	function rng(seed: number) {
		let s = seed >>> 0;
		return () => {
			s = (s * 1664525 + 1013904223) >>> 0;
			return s / 2 ** 32;
		};
	}

	const isDone = (t: FakeTask) => t.status === 'succeeded' || t.status === 'failed';
	/**
	 * 64 seeds by default (a few ms each). With the resume seed's `at < top` weakened to `at <= top` (tasks of
	 * the same millisecond as a budget cut never emitted), seeds 3, 4, 10, 28, 29, 44, 56 and 57 fail: 8 seeds
	 * did not catch it reliably. More seeds for a stress run: POLLER_FUZZ_SEEDS=2000 npx jest test/unit/poller.test.ts -t randomised
	 */
	const SEEDS = Array.from({ length: Number(process.env.POLLER_FUZZ_SEEDS ?? 64) }, (_, i) => i + 1);
	const PROFILES = {
		calm: { minPage: 4, pageSpread: 5, insertWhileScanning: 0.2, rounds: 40 },
		busy: { minPage: 2, pageSpread: 4, insertWhileScanning: 0.5, rounds: 30 },
	};

	describe.each(Object.entries(PROFILES))('%s list', (_name, profile) => {
		it.each(SEEDS)('seed %i: every task finishing after activation is emitted exactly once', async (seed) => {
			const r = rng(seed);
			const list = new FakeList();
			// History before activation (several tasks may share a millisecond).
			for (let i = 0; i < 6; i++) {
				list.tick(Math.floor(r() * 3));
				list.add(r() < 0.5 ? 'succeeded' : r() < 0.5 ? 'failed' : 'processing');
			}
			const pageSize = profile.minPage + Math.floor(r() * profile.pageSpread);
			// Kling's 1,000-page limit is not what this test is about (tiny pages would hit it).
			const p = new Poller(list, { pageSize, limits: { maxPages: 1_000_000 } });
			// The first poll reads the whole history in one page, so the expectation comes from the list alone:
			// a task that existed at activation is emitted exactly when it was unfinished then.
			const preExisting = new Set(list.sorted().map((t) => t.taskId));
			const unfinishedAtActivation = new Set(list.sorted().filter((t) => !isDone(t)).map((t) => t.taskId));
			await p.poll({ pageSize: 100 });
			const poll = async (o: Parameters<Poller['poll']>[0] = {}) => await p.poll(o);
			let insertedThisPoll = 0;
			list.beforePage = (pageNum) => {
				if (pageNum === 1) insertedThisPoll = 0;
				if (insertedThisPoll < 6 && r() < profile.insertWhileScanning) {
					insertedThisPoll++;
					list.tick(Math.floor(r() * 2));
					list.add(r() < 0.5 ? 'succeeded' : 'processing');
				}
			};
			for (let round = 0; round < profile.rounds; round++) {
				const n = Math.floor(r() * 8);
				for (let i = 0; i < n; i++) {
					list.tick(Math.floor(r() * 2));
					list.add(r() < 0.3 ? 'succeeded' : r() < 0.1 ? 'failed' : 'submitted');
				}
				for (const t of list.sorted()) {
					if ((t.status === 'submitted' || t.status === 'processing') && r() < 0.25) list.finish(t, r() < 0.8 ? 'succeeded' : 'failed');
				}
				await poll({ budgetPages: r() < 0.4 ? 1 + Math.floor(r() * 2) : Number.POSITIVE_INFINITY });
			}
			list.beforePage = undefined;
			for (const t of list.sorted()) if (t.status === 'submitted' || t.status === 'processing') list.finish(t);
			for (let i = 0; i < 3; i++) await poll();

			const expected = list
				.sorted()
				.filter((t) => !preExisting.has(t.taskId) || unfinishedAtActivation.has(t.taskId))
				.map((t) => t.taskId)
				.sort();
			expect(dupes(p.emitted)).toEqual([]);
			expect([...p.emitted].sort()).toEqual(expected);
		});
	});
});

describe('poller: coverage ranges', () => {
	const R = (lo: number, hi: number, loIds: string[] | null = [], hiIds: string[] | null = []) => ({
		lo,
		hi,
		loIds: loIds === null ? null : new Set(loIds),
		hiIds: hiIds === null ? null : new Set(hiIds),
	});

	it('covers the inside of a range and only the listed ids at its edges', () => {
		const ranges = [R(10, 20, ['a'], ['b'])];
		expect(isCovered(ranges, 15, 'x')).toBe(true);
		expect(isCovered(ranges, 10, 'a')).toBe(true);
		expect(isCovered(ranges, 10, 'z')).toBe(false);
		expect(isCovered(ranges, 20, 'b')).toBe(true);
		expect(isCovered(ranges, 20, 'z')).toBe(false);
		expect(isCovered(ranges, 21, 'b')).toBe(false);
		expect(isCovered([R(10, 20, null, null)], 20, 'z')).toBe(true);
	});

	it('merges overlapping ranges, and touching ones only when the instant is fully seen', () => {
		expect(mergeRanges([R(10, 20), R(15, 30)])).toHaveLength(1);
		expect(mergeRanges([R(10, 20, [], ['a']), R(20, 30, ['b'], [])])).toHaveLength(2);
		const joined = mergeRanges([R(10, 20, [], null), R(20, 30, ['b'], [])]);
		expect(joined).toHaveLength(1);
		expect(isCovered(joined, 20, 'anything')).toBe(true);
		const point = mergeRanges([R(20, 20, ['a'], ['a']), R(20, 30, ['b'], ['c'])]);
		expect(point).toHaveLength(1);
		expect(isCovered(point, 20, 'a') && isCovered(point, 20, 'b')).toBe(true);
		expect(isCovered(point, 20, 'z')).toBe(false);
	});

	it('finds the lowest hole above the floor', () => {
		expect(lowestGap([], 5)).toBe(5);
		expect(lowestGap([R(0, 10), R(5, 12), R(20, 30)], 3)).toBe(12);
		expect(lowestGap([R(0, 10), R(20, 30)], 25)).toBe(30);
		expect(lowestGap([R(8, 10)], 5)).toBe(5);
	});
});

describe('savableCursors: the copy n8n may save keeps passed tasks watched until their executions surely exist', () => {
	const cursor = (pend: Record<string, number> = {}): TypeCursor => ({ cov: [[0, 100, null, null]], pend });
	const passed = (entries: Array<[string, PassedTask]>) => new Map(entries);

	test('a task claimed less than settleMs ago is watched again in the copy; the working cursor is not touched', () => {
		const working = { video: cursor({ w: 5 }) };
		const p = passed([['a', { type: 'video', createdAt: 50, claimedAt: 1_000 }]]);
		const out = savableCursors(working, p, 1_000 + 4_999, 5_000);
		expect(out.video!.pend).toEqual({ w: 5, a: 50 });
		expect(out.video!.cov).toBe(working.video.cov);
		expect(working.video.pend).toEqual({ w: 5 });
		expect(p.has('a')).toBe(true);
	});

	test('at settleMs after the claim the task is forgotten: the copy is the working cursor', () => {
		const working = { video: cursor() };
		const p = passed([['a', { type: 'video', createdAt: 50, claimedAt: 1_000 }]]);
		const out = savableCursors(working, p, 6_000, 5_000);
		expect(out.video).toBe(working.video);
		expect(p.size).toBe(0);
	});

	test('a task already watched keeps its entry; a type without a cursor gets none; many tasks share one copy', () => {
		const working = { video: cursor({ a: 7 }), image: cursor() };
		const p = passed([
			['a', { type: 'video', createdAt: 50, claimedAt: 1_000 }],
			['b', { type: 'video', createdAt: 60, claimedAt: 1_000 }],
			['c', { type: 'video', createdAt: 70, claimedAt: 1_000 }],
			['z', { type: 'audio', createdAt: 70, claimedAt: 1_000 }],
		]);
		const out = savableCursors(working as Partial<Record<string, TypeCursor>>, p, 1_000, 5_000);
		expect(out.video!.pend).toEqual({ a: 7, b: 60, c: 70 });
		expect(out.image).toBe(working.image);
		expect(out).not.toHaveProperty('audio');
		expect(p.size).toBe(4);
	});
});
