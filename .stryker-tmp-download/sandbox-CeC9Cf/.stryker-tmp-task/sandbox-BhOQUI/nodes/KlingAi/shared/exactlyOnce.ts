/**
 * Exactly once across n8n processes: who may start the execution of a finished task.
 *
 * The authority is n8n's own execution de-duplication key: a unique index in n8n's database,
 * reachable only through `emit(data, undefined, undefined, key)` of a `trigger()` node. The Kling AI
 * Poll Trigger is such a node: it emits every finished task as one execution under
 * `deduplicationKey(workflowId, item)`, so the same task cannot start twice, whichever process,
 * leader or restart emits it. The in-process ledger (ledger.ts) only saves work before that point.
 *
 * A webhook() cannot attach a key. So when the Kling AI Trigger receives a callback in the process
 * where the workflow's Poll Trigger runs (every single-process n8n; the main in queue mode), it hands
 * the task to that Poll Trigger's emitter (registered here): one keyed emission, right away. Where no
 * emitter runs in the process (an `n8n webhook` process in queue mode), the trigger either starts the
 * execution itself (at least once across processes) or leaves the task to the Poll Trigger's next
 * scan (exactly once), as its "Start Executions" option says.
 */
// @ts-nocheck

import { createHash } from 'node:crypto';
import type { EmitSource } from './ledger';
import type { KlingTaskItem } from './task';

/** Bumped only if the meaning of a key changes (old keys then stop matching new ones). */
export const KEY_VERSION = 'v1';
/** n8n's `deduplicationKey` column is a varchar(255). */
export const MAX_KEY_LENGTH = 255;

/**
 * The execution de-duplication key of a task state in a workflow: global across n8n (so it names the
 * workflow) and stable across processes and restarts. Over-long task ids are hashed.
 */
export function deduplicationKey(workflowId: string | undefined, item: Pick<KlingTaskItem, 'taskId' | 'status'>): string {
	const key = `kling:${KEY_VERSION}:${workflowId ?? ''}:${item.taskId}:${item.status}`;
	if (key.length <= MAX_KEY_LENGTH) return key;
	const digest = createHash('sha256').update(key).digest('hex');
	return `kling:${KEY_VERSION}:h:${digest}`;
}

export type DeliverResult = 'emitted' | 'duplicate';

/**
 * A running Kling AI Poll Trigger's way to start the execution of a task under its key. It applies no
 * filter of its own: the Kling AI Trigger already applied its filters to what it hands over.
 */
export interface TaskEmitter {
	/** Node id of the Poll Trigger (for logs). */
	readonly nodeId: string;
	deliver(item: KlingTaskItem, via: EmitSource): Promise<DeliverResult>;
}

const EMITTERS = new Map<string, TaskEmitter>();

const registryKey = (workflowId: string | undefined) => workflowId ?? '(unsaved workflow)';

/** Called by the Poll Trigger when it is activated in this process. One emitter per workflow. */
export function registerEmitter(workflowId: string | undefined, emitter: TaskEmitter): void {
	EMITTERS.set(registryKey(workflowId), emitter);
}

/** Called when the Poll Trigger is deactivated; leaves a newer registration alone. */
export function unregisterEmitter(workflowId: string | undefined, emitter: TaskEmitter): void {
	if (EMITTERS.get(registryKey(workflowId)) === emitter) EMITTERS.delete(registryKey(workflowId));
}

/** The Poll Trigger of this workflow running in this process, if any. */
export function emitterFor(workflowId: string | undefined): TaskEmitter | undefined {
	return EMITTERS.get(registryKey(workflowId));
}

/** How the Kling AI Trigger starts executions. */
export type StartExecutions = 'auto' | 'pollTrigger' | 'here';
export const START_EXECUTIONS: readonly StartExecutions[] = ['auto', 'pollTrigger', 'here'];

export type CallbackRoute = 'handOver' | 'leaveToPoll' | 'startHere';

/**
 * Where a verified, terminal callback goes. Test (manual) listening always starts the execution in
 * the trigger itself, so the editor shows the event.
 */
export function routeCallback(mode: StartExecutions, hasEmitter: boolean, manual: boolean): CallbackRoute {
	if (manual || mode === 'here') return 'startHere';
	if (hasEmitter) return 'handOver';
	return mode === 'pollTrigger' ? 'leaveToPoll' : 'startHere';
}

/** For tests: forget every registered emitter (simulates a restart). */
export function resetEmitters(): void {
	EMITTERS.clear();
}
