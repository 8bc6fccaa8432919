/**
 * Measurement 5b — the fault-injection soak of soak.mjs in n8n queue mode: Postgres + Redis, one main, two
 * `n8n webhook` processes behind a round-robin balancer on 127.0.0.1 (Kling's callbacks land on either), two workers.
 * The Kling AI Trigger is set to "Only Through the Poll Trigger" (the README's queue-mode layout). On top of the soak's
 * faults: kill -9 of webhook-1 and worker-1 after a quarter of the batches, and a restart of the main (the leader that
 * runs the Poll Trigger) after half.
 */
import { run as runSoak } from './soak.mjs';

export async function run(options) {
	const result = await runSoak({ ...options, mode: 'queue' });
	return { ...result, name: 'soak-queue' };
}
