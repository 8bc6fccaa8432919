/**
 * The scanning algorithm of the Kling AI Poll Trigger, free of n8n so it can be unit-tested.
 *
 * Kling lists the tasks of one type newest first (`GET <path>?pageNum&pageSize`, pageSize ≤ 500), with no
 * filter and no cursor. Per task type the poller keeps a small cursor:
 *
 * - `cov`: the created_at ranges it has already examined ("coverage"). A task whose created_at lies in a
 *   covered range was seen before: if it was unfinished then, it is in `pend`; otherwise it was emitted, was
 *   already finished before the trigger started, or was filtered out. Ranges carry the ids seen at their two
 *   edges, so tasks created in the same millisecond are told apart.
 * - `pend`: the tasks seen unfinished (id → created_at), however deep in the list they now are.
 * - `resume`: where a scan cut short by the poll budget goes on next time.
 *
 * A poll reads pages from the top until it has passed both the lowest uncovered range and the oldest
 * unfinished task it has not seen yet in this poll (bounded by the maximum look-back). On the way it emits
 * every finished task that is either known unfinished or not covered, and starts watching every unfinished
 * task it does not know yet. Cost: one list call per 500 tasks between now and the oldest unfinished task,
 * not one call per task.
 *
 * Safety of page arithmetic: new tasks only ever appear at the top of the newest-first list (Kling deletes
 * tasks only after 30 days, beyond any look-back), so between two page reads every task can only move down.
 * Reading pages p and p+1 at different moments can therefore repeat tasks, never skip one, and a scan that
 * read pages 1..P can go on at page P+1 in a later poll without missing anything.
 */
import type { TaskStatus } from './task';

/** What the poller needs of a listed task. */
export interface ScanTask {
	taskId: string;
	status: TaskStatus;
	createdAtMs: number | null;
}

/**
 * An examined created_at range [lo, hi]. `loIds`/`hiIds` are the ids seen at exactly `lo`/`hi`;
 * `null` means every task at that instant was seen.
 */
export type CovRange = [lo: number, hi: number, loIds: string[] | null, hiIds: string[] | null];

export interface TypeCursor {
	cov: CovRange[];
	/** Tasks seen unfinished: id → created_at (ms). */
	pend: Record<string, number>;
	/** How many complete scans in a row passed a watched task without finding it (usually absent). */
	miss?: Record<string, number>;
	/**
	 * A scan cut short: continue at page `page + 1`, joining the range that ended at `at` (ids `ids`).
	 * `top` is the newest created_at known when it was cut: tasks created since have created_at ≥ top.
	 */
	resume?: { page: number; at: number; ids: string[]; top: number };
}

export interface PollerLimits {
	/** Watched unfinished tasks per type; beyond this the oldest are dropped (and reported). */
	maxPending: number;
	/** Coverage ranges per type; beyond this the lowest holes are closed (and reported). */
	maxRanges: number;
	/** Ids kept per range edge (tasks created in the same millisecond). */
	maxEdgeIds: number;
	/** Kling's highest pageNum. */
	maxPages: number;
	/** A watched task missing from this many complete scans in a row is dropped. */
	maxMisses: number;
}

export const DEFAULT_LIMITS: PollerLimits = {
	maxPending: 5_000,
	maxRanges: 32,
	maxEdgeIds: 500,
	maxPages: 1_000,
	maxMisses: 3,
};

export interface ScanOptions<T extends ScanTask> {
	/** The type's cursor from the last poll; undefined on the first poll. Never mutated. */
	cursor: TypeCursor | undefined;
	/** Read one page (1-based) of the newest-first list. */
	fetchPage: (pageNum: number) => Promise<T[]>;
	pageSize: number;
	/** Current time (ms); the look-back window is measured from it. */
	now: number;
	/** Tasks created before `now - maxLookBackMs` are ignored and no longer watched. */
	maxLookBackMs: number;
	/**
	 * First poll only: emit tasks that finished within this window before now (0 = start from the newest
	 * listed task, emitting nothing that already finished).
	 */
	catchUpMs: number;
	/** Tasks to skip entirely (for example an external-task-id prefix filter). */
	accept?: (task: T) => boolean;
	/** Asked before every page read except the first when `mustFetchFirst`: is there budget left? */
	canFetch: () => boolean;
	/** Read at least one page even without budget (so every poll makes progress). */
	mustFetchFirst?: boolean;
	limits?: Partial<PollerLimits>;
}

export type StopReason = 'done' | 'budget' | 'error' | 'pageLimit';

export interface ScanResult<T extends ScanTask> {
	/** Finished tasks to emit (oldest created first), each once. */
	emit: T[];
	/** The cursor to store; undefined when a first poll read nothing (the next poll is a first poll again). */
	cursor: TypeCursor | undefined;
	/** List calls made. */
	calls: number;
	/** Pages read, in order (for tests and logs). */
	pages: number[];
	/** True when everything that had to be examined was. */
	complete: boolean;
	stoppedBy: StopReason;
	error?: unknown;
	/** Unfinished tasks that started being watched. */
	adopted: number;
	/** Watched tasks given up: too old, missing from the list, or over the limit. */
	dropped: { tooOld: number; missing: number; overLimit: number };
	/** Coverage holes closed because of the range limit (tasks in them may be missed). */
	closedHoles: number;
}

/* ---------- coverage ranges ---------- */

interface Range {
	lo: number;
	hi: number;
	loIds: Set<string> | null;
	hiIds: Set<string> | null;
}

const fromStored = (r: CovRange): Range => ({
	lo: Number(r[0]),
	hi: Number(r[1]),
	loIds: r[2] === null ? null : new Set(r[2]),
	hiIds: r[3] === null ? null : new Set(r[3]),
});

function capIds(ids: Set<string> | null, max: number): string[] | null {
	return ids === null ? null : [...ids].slice(-max);
}

const toStored = (r: Range, maxIds: number): CovRange => [r.lo, r.hi, capIds(r.loIds, maxIds), capIds(r.hiIds, maxIds)];

function union(a: Set<string> | null, b: Set<string> | null): Set<string> | null {
	return a === null || b === null ? null : new Set([...a, ...b]);
}

function pointCovers(ids: Set<string> | null, id: string): boolean {
	return ids === null || ids.has(id);
}

/** Was a task with this created_at and id examined before? */
export function isCovered(ranges: readonly Range[], createdAt: number, id: string): boolean {
	for (const r of ranges) {
		if (createdAt > r.lo && createdAt < r.hi) return true;
		if (createdAt === r.lo && pointCovers(r.loIds, id)) return true;
		if (createdAt === r.hi && pointCovers(r.hiIds, id)) return true;
	}
	return false;
}

/** Merge `b` into `a` (a.lo ≤ b.lo) when the union is exactly representable; undefined otherwise. */
function tryMerge(a: Range, b: Range): Range | undefined {
	const overlaps = b.lo < a.hi;
	// Touching at one instant: merge only when one side saw every task at that instant, or one side is
	// just that instant (then its ids join the other's edge).
	const touches = b.lo === a.hi;
	if (!overlaps && !touches) return undefined;
	if (touches && !overlaps) {
		const aPoint = a.lo === a.hi;
		const bPoint = b.lo === b.hi;
		if (!(a.hiIds === null || b.loIds === null || aPoint || bPoint)) return undefined;
	}
	const loIds = a.lo === b.lo ? union(a.loIds, b.loIds) : a.loIds;
	let hi: number;
	let hiIds: Set<string> | null;
	if (a.hi > b.hi) [hi, hiIds] = [a.hi, a.hiIds];
	else if (b.hi > a.hi) [hi, hiIds] = [b.hi, b.hiIds];
	else [hi, hiIds] = [a.hi, union(a.hiIds, b.hiIds)];
	// Touching at one instant: the union of both edge sets is what was seen there.
	if (touches && !overlaps) {
		const at = a.hi;
		const seenAt = union(a.hiIds, b.loIds);
		const merged: Range = { lo: a.lo, hi, loIds: a.lo === at ? union(loIds, seenAt) : loIds, hiIds: hi === at ? union(hiIds, seenAt) : hiIds };
		return merged;
	}
	return { lo: a.lo, hi, loIds, hiIds };
}

export function mergeRanges(ranges: readonly Range[]): Range[] {
	const sorted = [...ranges].sort((x, y) => x.lo - y.lo || x.hi - y.hi);
	const out: Range[] = [];
	for (const r of sorted) {
		const last = out[out.length - 1];
		const merged = last ? tryMerge(last, r) : undefined;
		if (merged) out[out.length - 1] = merged;
		else out.push({ ...r });
	}
	return out;
}

/**
 * The lowest created_at at or above `floor` where an unexamined task may sit: scanning must go on until a
 * page ends strictly below it. Conservative (an edge instant counts as possibly unexamined).
 */
export function lowestGap(ranges: readonly Range[], floor: number): number {
	let g = floor;
	for (const r of [...ranges].sort((x, y) => x.lo - y.lo)) {
		if (r.lo < g || (r.lo === g && r.loIds === null)) g = Math.max(g, r.hi);
		else break;
	}
	return g;
}

/* ---------- one contiguous run of pages ---------- */

class Run {
	/** Lowest and highest created_at read in this run, with the ids read at exactly those instants. */
	lo = Number.POSITIVE_INFINITY;
	hi = Number.NEGATIVE_INFINITY;
	loIds = new Set<string>();
	hiIds = new Set<string>();
	endOfList = false;

	/**
	 * @param seed the end of the range a cut-short scan left (see TypeCursor.resume); this run starts at the
	 *   page after it. Every task below the old range's end sits at or after this run's first page, since tasks
	 *   only move down the list. So once this run has read below `seed.at`, the old range and this run together
	 *   have read everything in between and the run joins the old range. At `seed.at` itself that includes every
	 *   task there only when a newer task already existed (`at < top`): tasks created later are newer than it.
	 */
	constructor(private readonly seed?: { at: number; ids: string[]; full: boolean }) {}

	static continuing(resume: NonNullable<TypeCursor['resume']>): Run {
		return new Run({ at: resume.at, ids: resume.ids, full: resume.at < (resume.top ?? Number.NEGATIVE_INFINITY) });
	}

	get empty(): boolean {
		return this.lo > this.hi;
	}

	add(createdAt: number, id: string): void {
		if (createdAt > this.hi) {
			this.hi = createdAt;
			this.hiIds = new Set([id]);
		} else if (createdAt === this.hi) {
			this.hiIds.add(id);
		}
		if (createdAt < this.lo) {
			this.lo = createdAt;
			this.loIds = new Set([id]);
		} else if (createdAt === this.lo) {
			this.loIds.add(id);
		}
	}

	/** The created_at range this run has examined completely (undefined: nothing). */
	range(): Range | undefined {
		// Nothing is listed after the last page: everything below what was read is examined too.
		const lo = this.endOfList ? Number.MIN_SAFE_INTEGER : this.lo;
		const loIds = this.endOfList ? null : new Set(this.loIds);
		const seed = this.seed;
		if (seed && (this.endOfList || (!this.empty && this.lo < seed.at))) {
			const atSeed = seed.full ? null : new Set(seed.ids);
			if (this.empty || this.hi < seed.at) return { lo, loIds, hi: seed.at, hiIds: atSeed };
			if (this.hi === seed.at) return { lo, loIds, hi: seed.at, hiIds: atSeed && new Set([...atSeed, ...this.hiIds]) };
			return { lo, loIds, hi: this.hi, hiIds: new Set(this.hiIds) };
		}
		if (this.empty) return undefined;
		return { lo, loIds, hi: this.hi, hiIds: new Set(this.hiIds) };
	}
}

/* ---------- the scan ---------- */

function isTerminalStatus(status: TaskStatus): boolean {
	return status === 'succeeded' || status === 'failed';
}

export async function scanTaskType<T extends ScanTask>(options: ScanOptions<T>): Promise<ScanResult<T>> {
	const limits: PollerLimits = { ...DEFAULT_LIMITS, ...options.limits };
	const { pageSize, now } = options;
	const floor = now - Math.max(0, options.maxLookBackMs);
	const first = options.cursor === undefined;

	// Working copies: the caller's cursor is never touched, so a failed poll leaves it as it was.
	let covBefore: Range[] = (options.cursor?.cov ?? []).map(fromStored);
	const pend: Record<string, number> = { ...(options.cursor?.pend ?? {}) };
	const miss: Record<string, number> = { ...(options.cursor?.miss ?? {}) };
	const previousResume = options.cursor?.resume;
	let initFromFirstPage = false;
	if (first) {
		const catchUp = Math.max(0, options.catchUpMs);
		if (catchUp > 0) covBefore = [{ lo: Number.MIN_SAFE_INTEGER, hi: now - catchUp, loIds: null, hiIds: new Set() }];
		else initFromFirstPage = true;
	}

	const seen = new Set<string>();
	const emit: T[] = [];
	const runs: Range[] = [];
	const pages: number[] = [];
	let calls = 0;
	let adopted = 0;
	let error: unknown;

	const unseenPendingFloor = (): number => {
		let min = Number.POSITIVE_INFINITY;
		for (const [id, c] of Object.entries(pend)) if (!seen.has(id) && c >= floor && c < min) min = c;
		return min;
	};

	const need = (current: Run): number => {
		const r = current.range();
		const cov = mergeRanges(r ? [...covBefore, ...runs, r] : [...covBefore, ...runs]);
		return Math.max(floor, Math.min(lowestGap(cov, floor), unseenPendingFloor()));
	};

	// First poll without catch-up: everything listed when the first page is read counts as history.
	let history: Range | undefined;
	const processPage = (items: T[], run: Run): void => {
		let previousCreatedAt: number | undefined = run.empty ? undefined : run.lo;
		if (initFromFirstPage) {
			initFromFirstPage = false;
			if (items.length) {
				history = { lo: Number.MIN_SAFE_INTEGER, hi: items[0].createdAtMs ?? now, loIds: null, hiIds: new Set() };
				covBefore = [history];
			}
		}
		for (const task of items) {
			// The list is ordered by created_at: a task without one sits where its neighbour does.
			const createdAt = task.createdAtMs ?? previousCreatedAt ?? now;
			previousCreatedAt = createdAt;
			// Tasks sharing the newest instant may fill more than one page: all of them are history.
			if (history && createdAt === history.hi) history.hiIds?.add(task.taskId);
			run.add(createdAt, task.taskId);
			if (seen.has(task.taskId)) continue;
			seen.add(task.taskId);
			if (createdAt < floor) continue;
			if (options.accept && !options.accept(task)) continue;
			const watched = Object.prototype.hasOwnProperty.call(pend, task.taskId);
			if (isTerminalStatus(task.status)) {
				if (watched || !isCovered(covBefore, createdAt, task.taskId)) emit.push(task);
				delete pend[task.taskId];
				delete miss[task.taskId];
			} else if (!watched) {
				pend[task.taskId] = createdAt;
				adopted++;
			}
		}
	};

	/** Read pages from `startPage` on, as one contiguous run. */
	const pass = async (startPage: number, run: Run, force: boolean): Promise<{ stoppedBy: StopReason; lastPage: number }> => {
		let page = startPage;
		let lastPage = 0;
		let stoppedBy: StopReason;
		for (;;) {
			if (page > limits.maxPages) {
				stoppedBy = 'pageLimit';
				break;
			}
			if (!(force && calls === 0) && !options.canFetch()) {
				stoppedBy = 'budget';
				break;
			}
			let items: T[];
			try {
				items = await options.fetchPage(page);
			} catch (e) {
				error = e;
				stoppedBy = 'error';
				break;
			}
			calls++;
			pages.push(page);
			lastPage = page;
			processPage(items, run);
			if (items.length < pageSize) {
				run.endOfList = true;
				stoppedBy = 'done';
				break;
			}
			const lastCreatedAt = run.lo;
			if (lastCreatedAt < need(run)) {
				stoppedBy = 'done';
				break;
			}
			page++;
		}
		const r = run.range();
		if (r) runs.push(r);
		return { stoppedBy, lastPage };
	};

	const force = !!options.mustFetchFirst;
	let stoppedBy: StopReason = 'done';
	let resume: TypeCursor['resume'];
	let topPassFromPageOne: Run | undefined;

	// 1. Finish a scan that the budget cut short last time, where it stopped.
	if (previousResume && !first) {
		const run = Run.continuing(previousResume);
		const deep = await pass(previousResume.page + 1, run, force);
		stoppedBy = deep.stoppedBy;
		if (deep.stoppedBy === 'budget' || deep.stoppedBy === 'error') {
			resume = deep.lastPage ? { page: deep.lastPage, at: run.lo, ids: [...run.loIds], top: 0 } : previousResume;
		}
	}

	// 2. The top of the list: new tasks, then down to the oldest watched task and the lowest hole.
	if (stoppedBy === 'done' || stoppedBy === 'pageLimit') {
		const run = new Run();
		const top = await pass(1, run, force);
		history = undefined;
		stoppedBy = top.stoppedBy;
		// (`resume` is still undefined here: step 1 only sets it when it stopped by budget or error, and then this step does not run.)
		if ((top.stoppedBy === 'budget' || top.stoppedBy === 'error') && top.lastPage) {
			resume = { page: top.lastPage, at: run.lo, ids: [...run.loIds], top: 0 };
		}
		if (top.lastPage) topPassFromPageOne = run;
	}

	// Coverage: what was examined before, plus this poll's runs; the part older than the look-back is dropped.
	const merged = mergeRanges([...covBefore, ...runs]);
	if (resume && resume !== previousResume) resume.top = Math.max(resume.at, ...merged.map((r) => r.hi));
	let cov = merged.filter((r) => r.hi >= floor);
	let closedHoles = 0;
	while (cov.length > limits.maxRanges) {
		const [a, b] = cov;
		cov = [{ lo: a.lo, hi: b.hi, loIds: a.loIds, hiIds: b.hiIds }, ...cov.slice(2)];
		closedHoles++;
	}

	// Watched tasks: drop the ones past the look-back, the ones a complete scan from page 1 passed without
	// finding them (several times in a row), and the oldest beyond the limit.
	const dropped = { tooOld: 0, missing: 0, overLimit: 0 };
	const passedBelow = topPassFromPageOne && !topPassFromPageOne.empty ? topPassFromPageOne.lo : undefined;
	const scanEnded = topPassFromPageOne?.endOfList ?? false;
	for (const [id, createdAt] of Object.entries(pend)) {
		if (createdAt < floor) {
			delete pend[id];
			delete miss[id];
			dropped.tooOld++;
		} else if (!seen.has(id) && (scanEnded || (passedBelow !== undefined && createdAt > passedBelow))) {
			miss[id] = (miss[id] ?? 0) + 1;
			if (miss[id] >= limits.maxMisses) {
				delete pend[id];
				delete miss[id];
				dropped.missing++;
			}
		} else if (seen.has(id)) {
			delete miss[id];
		}
	}
	for (const id of Object.keys(miss)) if (!(id in pend)) delete miss[id];
	const watchedIds = Object.keys(pend);
	if (watchedIds.length > limits.maxPending) {
		watchedIds.sort((x, y) => pend[x] - pend[y]);
		for (const id of watchedIds.slice(0, watchedIds.length - limits.maxPending)) {
			delete pend[id];
			delete miss[id];
			dropped.overLimit++;
		}
	}

	// A first poll that could not read its first page has no starting point yet: it stays a first poll.
	let cursor: TypeCursor | undefined;
	if (!(initFromFirstPage && calls === 0)) {
		cursor = { cov: cov.map((r) => toStored(r, limits.maxEdgeIds)), pend };
		if (Object.keys(miss).length) cursor.miss = miss;
		if (resume) cursor.resume = resume;
	}

	emit.sort((a, b) => (a.createdAtMs ?? 0) - (b.createdAtMs ?? 0));
	return {
		emit,
		cursor,
		calls,
		pages,
		complete: stoppedBy === 'done',
		stoppedBy,
		error,
		adopted,
		dropped,
		closedHoles,
	};
}

/* ---------- the copy that may be saved ---------- */

/** A task a poll passed as finished (emitted by it, or already emitted by a callback), and when it was claimed. */
export interface PassedTask {
	type: string;
	createdAt: number;
	/** When this process claimed the task for its execution (ms). */
	claimedAt: number;
}

/**
 * The cursor that may be saved: the poller's own cursor, with every finished task it passed whose execution may
 * not exist yet (claimed less than `settleMs` before `now`) put back among the watched ones.
 *
 * n8n saves static data on every emit, before it creates the execution, and any later emit of the workflow (a
 * callback handed over, the next poll) saves the cursor as it is then. Saved as is, a cursor that passed tasks
 * whose executions n8n had not created yet when the process died never looks at them again. With them still
 * watched, the first poll after a restart finds them again; n8n's de-duplication key refuses the ones whose
 * execution exists. The process itself keeps scanning with the exact cursor (no extra list calls).
 * Entries settled by `now` are removed from `passed`.
 */
export function savableCursors<K extends string>(
	cursors: Partial<Record<K, TypeCursor>>,
	passed: Map<string, PassedTask>,
	now: number,
	settleMs: number,
): Partial<Record<K, TypeCursor>> {
	for (const [id, p] of passed) if (now - p.claimedAt >= settleMs) passed.delete(id);
	const out: Partial<Record<K, TypeCursor>> = { ...cursors };
	const copied = new Set<string>();
	for (const [id, p] of passed) {
		const type = p.type as K;
		const cursor = out[type];
		if (!cursor || Object.prototype.hasOwnProperty.call(cursor.pend, id)) continue;
		if (!copied.has(type)) {
			out[type] = { ...cursor, pend: { ...cursor.pend } };
			copied.add(type);
		}
		out[type]!.pend[id] = p.createdAt;
	}
	return out;
}
