/**
 * Exact-value tests for nodes/KlingAi/shared/poller.ts (issue 16, mutation testing): the ScanResult fields and the
 * stored cursor of single scans in small hand-built situations, and the exported range functions. Each test names
 * what a user would see go wrong: a task emitted twice or never, list calls wasted, or a cursor that grows.
 */
import { lowestGap, mergeRanges, isCovered, scanTaskType, type ScanOptions, type ScanTask, type TypeCursor } from '../../nodes/KlingAi/shared/poller';
import type { TaskStatus } from '../../nodes/KlingAi/shared/task';

const HOUR = 3_600_000;
const T0 = 1_700_000_000_000;
const MIN = Number.MIN_SAFE_INTEGER;

interface Task extends ScanTask {
	seq: number;
}

/** Kling's list, newest first (later insert first on equal created_at), as in test/unit/poller.test.ts. */
class List {
	tasks: Task[] = [];
	private seq = 0;
	beforePage?: (pageNum: number) => void;
	add(id: string, createdAtMs: number | null, status: TaskStatus = 'succeeded'): Task {
		const t: Task = { taskId: id, status, createdAtMs, seq: ++this.seq };
		this.tasks.push(t);
		return t;
	}
	get(id: string): Task {
		return this.tasks.find((t) => t.taskId === id)!;
	}
	page(n: number, size: number): Task[] {
		this.beforePage?.(n);
		return [...this.tasks]
			.sort((a, b) => (b.createdAtMs ?? 0) - (a.createdAtMs ?? 0) || b.seq - a.seq)
			.slice((n - 1) * size, n * size)
			.map((t) => ({ ...t }));
	}
}

type Over = Partial<ScanOptions<Task>> & { budget?: number; failOn?: number[] };
/** One scan; `budget` pages may be read (the first always, as the node does), `failOn` pages throw. */
async function scan(list: List, cursor: TypeCursor | undefined, pageSize: number, o: Over = {}) {
	let read = 0;
	const { budget = Number.POSITIVE_INFINITY, failOn = [], ...rest } = o;
	return await scanTaskType<Task>({
		cursor,
		fetchPage: async (n) => {
			if (failOn.includes(n)) throw new Error(`HTTP 500 on page ${n}`);
			read++;
			return list.page(n, pageSize);
		},
		pageSize,
		now: T0,
		maxLookBackMs: 48 * HOUR,
		catchUpMs: 0,
		canFetch: () => read < budget,
		mustFetchFirst: true,
		...rest,
	});
}
const ids = (ts: ScanTask[]) => ts.map((t) => t.taskId);
const NONE = { tooOld: 0, missing: 0, overLimit: 0 };

describe('poller (exact): first poll', () => {
	it('history ends at the newest listed task, holding only its ids; running tasks are adopted', async () => {
		const list = new List();
		list.add('a', T0 - 30);
		list.add('b', T0 - 20);
		list.add('c', T0 - 20, 'processing');
		list.add('d', T0 - 10);
		list.add('e', T0 - 10);
		const r = await scan(list, undefined, 10);
		expect(r).toMatchObject({ emit: [], calls: 1, pages: [1], complete: true, stoppedBy: 'done', adopted: 1, dropped: NONE, closedHoles: 0 });
		expect(r.cursor).toEqual({ cov: [[MIN, T0 - 10, null, ['e', 'd']]], pend: { c: T0 - 20 } });
	});
});

describe('poller (exact): first poll, continued', () => {
	it('keeps at most maxEdgeIds ids per range edge (the cursor stays small when many tasks share a millisecond)', async () => {
		const list = new List();
		for (const id of ['a', 'b', 'c', 'd']) list.add(id, T0 - 10);
		const r = await scan(list, undefined, 10, { limits: { maxEdgeIds: 2 } });
		expect(r.cursor!.cov).toEqual([[MIN, T0 - 10, null, ['b', 'a']]]);
	});

	it("history ends at the newest listed task, not at n8n's clock: a task Kling lists later in that millisecond is new", async () => {
		// n8n's clock runs 1 s ahead of Kling's: `now` is later than every created_at Kling gives.
		const list = new List();
		list.add('old', T0 - 10);
		const first = await scan(list, undefined, 10, { now: T0 + 1_000 });
		expect(first.cursor!.cov).toEqual([[MIN, T0 - 10, null, ['old']]]);
		list.add('late', T0 - 10);
		list.add('later', T0 - 5);
		const next = await scan(list, first.cursor, 10, { now: T0 + 1_001 });
		expect(ids(next.emit)).toEqual(['late', 'later']);
	});

	it('when the newest millisecond fills page 1, the first poll reads one more page, not the whole history', async () => {
		const list = new List();
		list.add('e', T0 - 2);
		list.add('d', T0 - 1);
		list.add('c', T0 - 1);
		list.add('b', T0);
		list.add('a', T0);
		const r = await scan(list, undefined, 2);
		expect(r).toMatchObject({ emit: [], pages: [1, 2], stoppedBy: 'done', complete: true });
		expect(r.cursor).toEqual({ cov: [[MIN, T0, null, ['a', 'b']]], pend: {} });
	});

	it('with mustFetchFirst one page is read even without budget; without it nothing is read and the cursor is kept as it was', async () => {
		const list = new List();
		list.add('a', T0 - 10);
		const cursor: TypeCursor = { cov: [[T0 - 50, T0 - 20, ['p'], ['q']]], pend: { w: T0 - 30 }, miss: { w: 1 }, resume: { page: 1, at: T0 - 50, ids: ['p'], top: T0 - 20 } };
		const before = JSON.parse(JSON.stringify(cursor));
		const forced = await scan(list, cursor, 10, { canFetch: () => false, mustFetchFirst: true });
		expect(forced).toMatchObject({ calls: 1, pages: [2], stoppedBy: 'budget', complete: false });
		const idle = await scan(list, cursor, 10, { canFetch: () => false, mustFetchFirst: false });
		expect(idle).toMatchObject({ emit: [], calls: 0, pages: [], stoppedBy: 'budget', complete: false, adopted: 0, dropped: NONE });
		expect(idle.cursor).toEqual(before);
		expect(cursor).toEqual(before);
		// A cursor saved before `top` existed: a poll that reads nothing leaves it (and its resume point) as it was.
		const { top: _top, ...oldResume } = cursor.resume!;
		const oldFormat = { ...cursor, resume: oldResume } as TypeCursor;
		const oldIdle = await scan(list, oldFormat, 10, { canFetch: () => false, mustFetchFirst: false });
		expect(oldIdle.cursor!.resume).toEqual({ page: 1, at: T0 - 50, ids: ['p'] });
		expect(oldFormat.resume).toEqual({ page: 1, at: T0 - 50, ids: ['p'] });
		const firstIdle = await scan(list, undefined, 10, { canFetch: () => false, mustFetchFirst: false });
		expect(firstIdle).toMatchObject({ calls: 0, cursor: undefined });
	});
});

describe('poller (exact): listing details', () => {
	it('a task listed without created_at at the top of the first page counts as created now', async () => {
		const page: Task[] = [
			{ taskId: 'nul', status: 'succeeded', createdAtMs: null, seq: 2 },
			{ taskId: 'n', status: 'succeeded', createdAtMs: T0 - 1, seq: 1 },
		];
		const r = await scan(new List(), { cov: [[MIN, T0 - 5, null, null]], pend: {} }, 5, { fetchPage: async () => page });
		expect(ids(r.emit).sort()).toEqual(['n', 'nul']);
		expect(r.cursor).toEqual({ cov: [[MIN, T0, null, ['nul']]], pend: {} });
	});

	it('tasks created while a scan is between pages push page 1 onto page 2: the resume point stays where the run got', async () => {
		const list = new List();
		list.add('h1', T0 - 100);
		const first = await scan(list, undefined, 3);
		for (let i = 1; i <= 6; i++) list.add(`a${i}`, T0 + i);
		list.beforePage = (n) => {
			if (n === 2) for (let i = 7; i <= 9; i++) list.add(`a${i}`, T0 + i);
		};
		const cut = await scan(list, first.cursor, 3, { budget: 2, now: T0 + 10 });
		list.beforePage = undefined;
		expect(ids(cut.emit)).toEqual(['a4', 'a5', 'a6']);
		expect(cut.cursor!.resume).toEqual({ page: 2, at: T0 + 4, ids: ['a4'], top: T0 + 6 });
		const rest = await scan(list, cut.cursor, 3, { now: T0 + 10 });
		expect(ids(rest.emit)).toEqual(['a1', 'a2', 'a3', 'a7', 'a8', 'a9']);
	});
});

describe('poller (exact): budget cuts and resumes', () => {
	/** h1 before activation; then x1..x5 (x2 and x3 in the same millisecond), pages of 3. */
	async function cutScan() {
		const list = new List();
		list.add('h1', T0 - 100);
		const first = await scan(list, undefined, 3);
		expect(first.cursor).toEqual({ cov: [[MIN, T0 - 100, null, ['h1']]], pend: {} });
		list.add('x1', T0 + 1);
		list.add('x2', T0 + 2);
		list.add('x3', T0 + 2);
		list.add('x4', T0 + 3);
		list.add('x5', T0 + 4);
		const cut = await scan(list, first.cursor, 3, { budget: 1, now: T0 + 10 });
		return { list, cut };
	}

	it('a cut scan stores what it read as a range and where to go on (page, edge instant and ids, newest instant)', async () => {
		const { cut } = await cutScan();
		expect(cut).toMatchObject({ calls: 1, pages: [1], complete: false, stoppedBy: 'budget', adopted: 0, dropped: NONE });
		expect(ids(cut.emit)).toEqual(['x3', 'x4', 'x5']);
		expect(cut.cursor).toEqual({
			cov: [
				[MIN, T0 - 100, null, ['h1']],
				[T0 + 2, T0 + 4, ['x3'], ['x5']],
			],
			pend: {},
			resume: { page: 1, at: T0 + 2, ids: ['x3'], top: T0 + 4 },
		});
	});

	it('the resumed run joins the cut range (one range, no hole) when it reaches the end of the list', async () => {
		const { list, cut } = await cutScan();
		const r = await scan(list, cut.cursor, 3, { budget: 2, now: T0 + 10 });
		expect(ids(r.emit)).toEqual(['x1', 'x2']);
		expect(r).toMatchObject({ pages: [2, 3], stoppedBy: 'budget', complete: false });
		expect(r.cursor).toEqual({ cov: [[MIN, T0 + 4, null, ['x5']]], pend: {} });
		// Nothing left: the next poll reads one page.
		const next = await scan(list, r.cursor, 3, { now: T0 + 10 });
		expect(next).toMatchObject({ emit: [], pages: [1], stoppedBy: 'done', complete: true });
	});

	it('a resumed run cut again continues from its own last page and joins the cut range at its edge', async () => {
		const { list, cut } = await cutScan();
		const r = await scan(list, cut.cursor, 3, { budget: 1, now: T0 + 10 });
		expect(ids(r.emit)).toEqual(['x1', 'x2']);
		expect(r.cursor).toEqual({
			cov: [
				[MIN, T0 - 100, null, ['h1']],
				[T0 - 100, T0 + 4, ['h1'], ['x5']],
			],
			pend: {},
			resume: { page: 2, at: T0 - 100, ids: ['h1'], top: T0 + 4 },
		});
	});

	it('finishing the cut scan and reading the top in one poll emits oldest first', async () => {
		const { list, cut } = await cutScan();
		list.add('y1', T0 + 5);
		const r = await scan(list, cut.cursor, 3, { now: T0 + 10 });
		expect(ids(r.emit)).toEqual(['x1', 'x2', 'y1']);
		expect(r).toMatchObject({ pages: [2, 3, 1], stoppedBy: 'done', complete: true });
		expect(r.cursor).toEqual({ cov: [[MIN, T0 + 5, null, ['y1']]], pend: {} });
	});

	it('a resumed run that does not reach the cut instant still joins it: the range reaches up to it', async () => {
		const list = new List();
		list.add('h1', T0 - 100);
		const first = await scan(list, undefined, 3);
		for (let i = 1; i <= 6; i++) list.add(`a${i}`, T0 + i);
		const cut = await scan(list, first.cursor, 3, { budget: 1, now: T0 + 10 });
		expect(cut.cursor!.resume).toEqual({ page: 1, at: T0 + 4, ids: ['a4'], top: T0 + 6 });
		const deep = await scan(list, cut.cursor, 3, { budget: 1, now: T0 + 10 });
		expect(ids(deep.emit)).toEqual(['a1', 'a2', 'a3']);
		expect(deep.cursor).toEqual({
			cov: [
				[MIN, T0 - 100, null, ['h1']],
				[T0 + 1, T0 + 6, ['a1'], ['a6']],
			],
			pend: {},
			resume: { page: 2, at: T0 + 1, ids: ['a1'], top: T0 + 6 },
		});
		const end = await scan(list, cut.cursor, 3, { budget: 2, now: T0 + 10 });
		expect(end.cursor).toEqual({ cov: [[MIN, T0 + 6, null, ['a6']]], pend: {} });
	});

	it('a cut at a millisecond that was also the newest: the ids there are kept, and tasks of it found deeper are not emitted again', async () => {
		const list = new List();
		list.add('h1', T0 - 100);
		const first = await scan(list, undefined, 3);
		list.add('o1', T0 + 3);
		for (const id of ['s1', 's2', 's3', 's4']) list.add(id, T0 + 5);
		const cut = await scan(list, first.cursor, 3, { budget: 1, now: T0 + 10 });
		expect(ids(cut.emit)).toEqual(['s4', 's3', 's2']);
		expect(cut.cursor!.resume).toEqual({ page: 1, at: T0 + 5, ids: ['s4', 's3', 's2'], top: T0 + 5 });
		const deep = await scan(list, cut.cursor, 3, { budget: 1, now: T0 + 10 });
		expect(ids(deep.emit)).toEqual(['o1', 's1']);
		expect(deep.cursor!.cov).toEqual([
			[MIN, T0 - 100, null, ['h1']],
			[T0 - 100, T0 + 5, ['h1'], ['s4', 's3', 's2', 's1']],
		]);
		const again = await scan(list, deep.cursor, 3, { now: T0 + 10 });
		expect(again.emit).toEqual([]);
	});

	it('a resumed run still inside the cut millisecond does not claim the rest of it: the tasks there on later pages are emitted', async () => {
		const list = new List();
		list.add('h1', T0 - 100);
		const first = await scan(list, undefined, 3);
		for (let i = 1; i <= 7; i++) list.add(`z${i}`, T0 + 2);
		list.add('t', T0 + 5);
		const cut = await scan(list, first.cursor, 3, { budget: 1, now: T0 + 10 });
		expect(ids(cut.emit)).toEqual(['z7', 'z6', 't']);
		expect(cut.cursor!.resume).toEqual({ page: 1, at: T0 + 2, ids: ['z7', 'z6'], top: T0 + 5 });
		const mid = await scan(list, cut.cursor, 3, { budget: 1, now: T0 + 10 });
		expect(ids(mid.emit).sort()).toEqual(['z3', 'z4', 'z5']);
		expect(mid.cursor!.cov).toEqual([
			[MIN, T0 - 100, null, ['h1']],
			[T0 + 2, T0 + 5, ['z5', 'z4', 'z3', 'z7', 'z6'], ['t']],
		]);
		const end = await scan(list, mid.cursor, 3, { budget: 1, now: T0 + 10 });
		expect(ids(end.emit).sort()).toEqual(['z1', 'z2']);
	});

	it('a resumed run whose first page is empty (the cut was at the end of the list) covers everything below the cut', async () => {
		const list = new List();
		list.add('p', T0 - 50);
		list.add('m', T0 - 30);
		list.add('q', T0 - 10);
		const cursor: TypeCursor = { cov: [[T0 - 50, T0 - 10, ['p'], ['q']]], pend: {}, resume: { page: 1, at: T0 - 50, ids: ['p'], top: T0 - 10 } };
		const r = await scan(list, cursor, 3);
		expect(r).toMatchObject({ emit: [], pages: [2, 1], stoppedBy: 'done', complete: true });
		expect(r.cursor).toEqual({ cov: [[MIN, T0 - 10, null, ['q']]], pend: {} });
	});

	it('a list error in the resumed run keeps its progress as the resume point; an error on its first page keeps the old one', async () => {
		const { list, cut } = await cutScan();
		const later = await scan(list, cut.cursor, 3, { failOn: [3], now: T0 + 10 });
		expect(later).toMatchObject({ pages: [2], stoppedBy: 'error', complete: false });
		expect(String(later.error)).toContain('page 3');
		expect(later.cursor!.resume).toEqual({ page: 2, at: T0 - 100, ids: ['h1'], top: T0 + 4 });
		const atOnce = await scan(list, cut.cursor, 3, { failOn: [2], now: T0 + 10 });
		expect(atOnce).toMatchObject({ emit: [], calls: 0, pages: [], stoppedBy: 'error', complete: false });
		expect(atOnce.cursor).toEqual(cut.cursor);
	});

	it('a list error below page 1 keeps what the top run read as the resume point', async () => {
		const list = new List();
		list.add('h1', T0 - 100);
		const first = await scan(list, undefined, 3);
		for (const [id, at] of [['x1', 1], ['x2', 2], ['x3', 2], ['x4', 3], ['x5', 4]] as const) list.add(id, T0 + at);
		const r = await scan(list, first.cursor, 3, { failOn: [2], now: T0 + 10 });
		expect(r).toMatchObject({ pages: [1], stoppedBy: 'error', complete: false });
		expect(r.cursor!.resume).toEqual({ page: 1, at: T0 + 2, ids: ['x3'], top: T0 + 4 });
	});

	it('a resume at the page limit: the top of the list is still read', async () => {
		const { list, cut } = await cutScan();
		const r = await scan(list, cut.cursor, 3, { now: T0 + 10, limits: { maxPages: 1 } });
		expect(r).toMatchObject({ pages: [1], stoppedBy: 'pageLimit', complete: false });
		expect(r.cursor!.resume).toBeUndefined();
	});
});

describe('poller (exact): watched tasks', () => {
	const FLOOR = T0 - 48 * HOUR;
	const seenAll: TypeCursor['cov'] = [[MIN, T0 - 5, null, null]];

	it('a watched task created exactly at the look-back floor is still looked for, emitted when finished, and kept while running', async () => {
		const list = new List();
		list.add('edge', FLOOR, 'processing');
		list.add('f2', T0 - 20);
		list.add('f1', T0 - 10);
		list.add('n', T0 - 1);
		const cursor: TypeCursor = { cov: seenAll, pend: { edge: FLOOR, old: FLOOR - 1 } };
		const running = await scan(list, cursor, 2);
		expect(running).toMatchObject({ pages: [1, 2], stoppedBy: 'done', complete: true, adopted: 0, dropped: { tooOld: 1, missing: 0, overLimit: 0 } });
		expect(ids(running.emit)).toEqual(['n']);
		expect(running.cursor!.pend).toEqual({ edge: FLOOR });
		list.get('edge').status = 'succeeded';
		const done = await scan(list, running.cursor, 2);
		expect(ids(done.emit)).toEqual(['edge']);
		expect(done.cursor!.pend).toEqual({});
	});

	it('a watched task older than the look-back does not make the scan go deeper; it is dropped as too old', async () => {
		const list = new List();
		list.add('o', FLOOR - 1, 'processing');
		list.add('f3', T0 - 30);
		list.add('f2', T0 - 20);
		list.add('f1', T0 - 10);
		list.add('n', T0 - 1);
		const r = await scan(list, { cov: seenAll, pend: { o: FLOOR - 1 } }, 2);
		expect(r).toMatchObject({ pages: [1], stoppedBy: 'done', complete: true, dropped: { tooOld: 1, missing: 0, overLimit: 0 } });
		expect(ids(r.emit)).toEqual(['n']);
		expect(r.cursor).toEqual({ cov: [[MIN, T0 - 1, null, ['n']]], pend: {} });
	});

	it('the scan goes down to the oldest watched task, whatever order they were watched in', async () => {
		const list = new List();
		list.add('w1', T0 - 40);
		list.add('g', T0 - 30);
		list.add('f', T0 - 20);
		list.add('w2', T0 - 10, 'processing');
		list.add('n', T0 - 1);
		const r = await scan(list, { cov: seenAll, pend: { w1: T0 - 40, w2: T0 - 10 } }, 2);
		expect(ids(r.emit)).toEqual(['w1', 'n']);
		expect(r).toMatchObject({ pages: [1, 2, 3], stoppedBy: 'done', adopted: 0 });
		expect(r.cursor!.pend).toEqual({ w2: T0 - 10 });
	});

	it('the scan goes down to the oldest watched task even when a newer watched one is missing from the list', async () => {
		const list = new List();
		list.add('w1', T0 - 40);
		list.add('g', T0 - 30);
		list.add('f2', T0 - 20);
		list.add('f1', T0 - 10);
		list.add('n', T0 - 1);
		const r = await scan(list, { cov: seenAll, pend: { w1: T0 - 40, ghost: T0 - 20 } }, 2);
		expect(ids(r.emit)).toEqual(['w1', 'n']);
		expect(r.pages).toEqual([1, 2, 3]);
	});

	it('a watched task found again is not adopted again', async () => {
		const list = new List();
		list.add('w', T0 - 10, 'processing');
		list.add('n', T0 - 1, 'processing');
		const r = await scan(list, { cov: seenAll, pend: { w: T0 - 10 } }, 5);
		expect(r.adopted).toBe(1);
		expect(r.cursor!.pend).toEqual({ w: T0 - 10, n: T0 - 1 });
	});

	it('misses count only for watched tasks the scan from page 1 passed; found ones are cleared; the last miss drops', async () => {
		const list = new List();
		for (const [id, at] of [['f4', 40], ['f3', 30], ['f2', 20], ['w', 12], ['f1', 10], ['n', 1]] as const) list.add(id, T0 - at, id === 'w' ? 'processing' : 'succeeded');
		const cursor: TypeCursor = {
			cov: seenAll,
			pend: { above: T0 - 3, atEdge: T0 - 10, below: T0 - 35, gone: T0 - 4, w: T0 - 12 },
			miss: { below: 1, gone: 2, w: 2, orphan: 1 },
		};
		// Budget for page 1 only: the scan passed down to T0 - 10 (f1), no further.
		const r = await scan(list, cursor, 2, { budget: 1 });
		expect(r).toMatchObject({ pages: [1], stoppedBy: 'budget', complete: false, dropped: { tooOld: 0, missing: 1, overLimit: 0 } });
		expect(r.cursor!.pend).toEqual({ above: T0 - 3, atEdge: T0 - 10, below: T0 - 35, w: T0 - 12 });
		expect(r.cursor!.miss).toEqual({ above: 1, below: 1, w: 2 });
		// A whole scan: `w` is found (its misses cleared), the others passed once more.
		const whole = await scan(list, r.cursor, 2);
		expect(whole).toMatchObject({ stoppedBy: 'done', complete: true, dropped: { tooOld: 0, missing: 0, overLimit: 0 } });
		expect(whole.cursor!.miss).toEqual({ above: 2, atEdge: 1, below: 2 });
		expect(Object.keys(whole.cursor!.pend).sort()).toEqual(['above', 'atEdge', 'below', 'w']);
	});

	it('beyond maxPending the oldest watched tasks are dropped and counted; at or below it none', async () => {
		const list = new List();
		list.add('p1', T0 - 30, 'processing');
		list.add('p2', T0 - 20, 'processing');
		list.add('p3', T0 - 10, 'processing');
		const cursor: TypeCursor = { cov: seenAll, pend: { p1: T0 - 30, p2: T0 - 20, p3: T0 - 10 } };
		const over = await scan(list, cursor, 5, { limits: { maxPending: 2 } });
		expect(over.dropped).toEqual({ tooOld: 0, missing: 0, overLimit: 1 });
		expect(over.cursor!.pend).toEqual({ p2: T0 - 20, p3: T0 - 10 });
		const under = await scan(list, cursor, 5, { limits: { maxPending: 5 } });
		expect(under.dropped).toEqual(NONE);
		expect(under.cursor!.pend).toEqual(cursor.pend);
	});

	it('a range ending exactly at the look-back floor is kept (a task at that instant is not emitted twice); older ones are dropped', async () => {
		const list = new List();
		list.add('e', FLOOR);
		list.add('k', T0 - 3);
		list.add('m', T0 - 2);
		list.add('n', T0 - 1);
		const cursor: TypeCursor = { cov: [[FLOOR - 50, FLOOR - 30, null, null], [FLOOR - 20, FLOOR, null, null]], pend: {} };
		const cut = await scan(list, cursor, 2, { budget: 1 });
		expect(ids(cut.emit)).toEqual(['m', 'n']);
		expect(cut.cursor!.cov).toEqual([
			[FLOOR - 20, FLOOR, null, null],
			[T0 - 2, T0 - 1, ['m'], ['n']],
		]);
		const rest = await scan(list, cut.cursor, 2);
		expect(ids(rest.emit)).toEqual(['k']);
	});
});

describe('poller (exact): coverage range functions', () => {
	const R = (lo: number, hi: number, loIds: string[] | null = [], hiIds: string[] | null = []) => ({
		lo,
		hi,
		loIds: loIds === null ? null : new Set(loIds),
		hiIds: hiIds === null ? null : new Set(hiIds),
	});

	it('a range touching a single instant joins it, the ids there united', () => {
		expect(mergeRanges([R(10, 20, ['x'], ['a']), R(20, 20, ['b'], ['b'])])).toEqual([R(10, 20, ['x'], ['a', 'b'])]);
	});

	it('touching ranges join when the later saw every task at the shared instant; the lower edge keeps its own ids', () => {
		const merged = mergeRanges([R(10, 20, ['x'], ['a']), R(20, 30, null, ['c'])]);
		expect(merged).toEqual([R(10, 30, ['x'], ['c'])]);
		expect(isCovered(merged, 10, 'z')).toBe(false);
	});

	it('overlapping ranges keep the lower edge ids of the lower range only', () => {
		expect(mergeRanges([R(10, 20, ['a'], ['b']), R(15, 30, ['c'], ['d'])])).toEqual([R(10, 30, ['a'], ['d'])]);
	});

	it('ranges starting at the same instant are merged shortest first, in any input order', () => {
		const a = R(0, 20, [], ['a']);
		const point = R(20, 20, null, null);
		const longer = R(20, 30, ['c'], []);
		expect(mergeRanges([a, longer, point])).toEqual([R(0, 30, [], [])]);
		expect(mergeRanges([longer, point, a])).toEqual([R(0, 30, [], [])]);
	});

	it('lowestGap: ranges in any order; an edge instant counts as examined only when all its ids were seen', () => {
		expect(lowestGap([R(20, 30, null, null), R(0, 10, null, null), R(5, 12, null, null)], 3)).toBe(12);
		expect(lowestGap([R(5, 10, ['a'], [])], 5)).toBe(5);
		expect(lowestGap([R(5, 10, null, [])], 5)).toBe(10);
		expect(lowestGap([R(8, 10, null, [])], 5)).toBe(5);
	});
});
