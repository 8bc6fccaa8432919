/**
 * In-process ledger: which state of which task this process has already emitted for a workflow.
 *
 * One ledger per workflow, shared in-process by the Kling AI Trigger and the Poll Trigger, with a
 * synchronous check-and-set (`claim`) so concurrent duplicate callbacks cannot both pass. It is a
 * fast pre-filter, not the authority: across processes and restarts n8n's execution
 * de-duplication key decides (exactlyOnce.ts). A small, bounded copy is mirrored into workflow
 * static data (`global` → `klingAiLedger`) for n8n versions without that key; it holds only claims
 * older than PERSIST_AFTER_MS, so a crash between a claim and the start of its execution never
 * leaves a task recorded as delivered (the Poll Trigger then finds and emits it again).
 */
// @ts-nocheck

import type { IDataObject } from 'n8n-workflow';
import { isNewerState, isTerminal, type KlingTaskItem, type TaskStatus } from './task';

export type EmitSource = 'callback' | 'poll' | 'wait';

export interface LedgerEntry {
	status: TaskStatus;
	updatedAtMs: number | null;
	/** When this state was recorded (ms). */
	at: number;
	via: EmitSource;
}

export const STATIC_DATA_KEY = 'klingAiLedger';
/** Entries mirrored into static data: a constant, so a callback's cost does not grow with history. */
export const PERSISTED_ENTRIES = 64;
/** Terminal claims remembered for toPersisted(): room for bursts younger than PERSIST_AFTER_MS. */
export const RECENT_TERMINAL_MAX = 4_096;
/** A claim is mirrored only once its execution has surely been created (n8n does that within ms). */
export const PERSIST_AFTER_MS = 5_000;
const STATUS_CODES: TaskStatus[] = ['submitted', 'processing', 'succeeded', 'failed'];

export class TaskLedger {
	private readonly entries = new Map<string, LedgerEntry>();
	/** When this process last wrote the ledger's copy into static data (ms; 0 = never). */
	lastPersistedAt = 0;
	/** Task ids of terminal claims, oldest first, bounded: what toPersisted() walks (never the whole map). */
	private recentTerminal: string[] = [];

	constructor(readonly capacity = 20_000) {}

	get size(): number {
		return this.entries.size;
	}

	get(taskId: string): LedgerEntry | undefined {
		return this.entries.get(taskId);
	}

	/**
	 * Synchronous check-and-set. Records the item's state and returns true when it is newer than
	 * anything recorded for the task (so the caller should emit it); false for duplicates, stale and
	 * out-of-order states, and anything after a terminal state.
	 */
	claim(item: Pick<KlingTaskItem, 'taskId' | 'status' | 'updatedAtMs'>, via: EmitSource, now = Date.now()): boolean {
		const prev = this.entries.get(item.taskId);
		if (!isNewerState(prev, item)) return false;
		this.set(item.taskId, { status: item.status, updatedAtMs: item.updatedAtMs, at: now, via });
		return true;
	}

	/** Undo a claim whose emission failed, so a later delivery can emit it. */
	release(taskId: string, previous: LedgerEntry | undefined): void {
		if (previous) this.set(taskId, previous);
		else this.entries.delete(taskId);
	}

	/** Merge entries from persisted state; never replaces a newer in-memory state. */
	merge(taskId: string, entry: LedgerEntry): void {
		const prev = this.entries.get(taskId);
		if (isNewerState(prev, entry)) this.set(taskId, entry);
	}

	hasTerminal(taskId: string): boolean {
		const e = this.entries.get(taskId);
		return !!e && isTerminal(e.status);
	}

	entriesSince(at: number): Array<[string, LedgerEntry]> {
		return [...this.entries].filter(([, e]) => e.at >= at);
	}

	private set(taskId: string, entry: LedgerEntry): void {
		this.entries.delete(taskId);
		this.entries.set(taskId, entry);
		if (isTerminal(entry.status)) {
			this.recentTerminal.push(taskId);
			if (this.recentTerminal.length > RECENT_TERMINAL_MAX) this.recentTerminal = this.recentTerminal.slice(-RECENT_TERMINAL_MAX / 2);
		}
		while (this.entries.size > this.capacity) {
			const oldest = this.entries.keys().next().value as string;
			this.entries.delete(oldest);
		}
	}

	/**
	 * Compact form for static data: the newest `limit` terminal entries claimed at or before `settledAt`
	 * (newest last). Walks from the newest end and stops after `limit`, so the cost is bounded.
	 */
	toPersisted(settledAt = Date.now() - PERSIST_AFTER_MS, limit = PERSISTED_ENTRIES): IDataObject {
		const terminal: Array<[string, LedgerEntry]> = [];
		const seen = new Set<string>();
		for (let i = this.recentTerminal.length - 1; i >= 0 && terminal.length < limit; i--) {
			const id = this.recentTerminal[i];
			const e = this.entries.get(id);
			if (seen.has(id) || !e || !isTerminal(e.status) || e.at > settledAt) continue;
			seen.add(id);
			terminal.push([id, e]);
		}
		terminal.reverse();
		const tasks: IDataObject = {};
		for (const [id, e] of terminal) tasks[id] = [STATUS_CODES.indexOf(e.status), e.updatedAtMs ?? 0, e.at, e.via];
		return { v: 1, tasks };
	}

	loadPersisted(data: unknown): number {
		const tasks = (data as IDataObject | undefined)?.tasks;
		if (!tasks || typeof tasks !== 'object') return 0;
		let n = 0;
		for (const [id, raw] of Object.entries(tasks as IDataObject)) {
			if (!Array.isArray(raw)) continue;
			const status = STATUS_CODES[Number(raw[0])];
			if (!status) continue;
			this.merge(id, { status, updatedAtMs: Number(raw[1]) || null, at: Number(raw[2]) || 0, via: (raw[3] as EmitSource) ?? 'callback' });
			n++;
		}
		return n;
	}
}

const LEDGERS = new Map<string, TaskLedger>();

/** The process-wide ledger of a workflow (trigger, poll trigger and waits of one workflow share it). */
export function ledgerFor(workflowId: string | undefined): TaskLedger {
	const key = workflowId ?? '(unsaved workflow)';
	let ledger = LEDGERS.get(key);
	if (!ledger) {
		ledger = new TaskLedger();
		LEDGERS.set(key, ledger);
	}
	return ledger;
}

/**
 * Seed the ledger from static data, then return a function that writes it back. The copy is rewritten at most
 * once per PERSIST_AFTER_MS per ledger (each rewrite makes n8n save the workflow's static data); what a skipped
 * write would have added is in the next one. `force` writes regardless (e.g. the first write of a process).
 */
export function syncWithStaticData(ledger: TaskLedger, globalStaticData: IDataObject, now: () => number = Date.now): (force?: boolean) => void {
	ledger.loadPersisted(globalStaticData[STATIC_DATA_KEY]);
	return (force = false) => {
		const at = now();
		if (!force && globalStaticData[STATIC_DATA_KEY] !== undefined && at - ledger.lastPersistedAt < PERSIST_AFTER_MS) return;
		ledger.lastPersistedAt = at;
		globalStaticData[STATIC_DATA_KEY] = ledger.toPersisted(at - PERSIST_AFTER_MS);
	};
}

/** For tests: forget every in-process ledger (simulates a restart). */
export function resetLedgers(): void {
	LEDGERS.clear();
}
