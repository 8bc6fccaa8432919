/**
 * Poll cost (issues 13 and 14): list calls per poll of the Kling AI Poll Trigger for a workflow that creates one task
 * type vs all types, side by side with today's per-type polling (version 1, default Task Types) in one run. Compiles
 * test/bench/pollCostDriver.ts like the `calls` measurement and reads its JSON.
 */
import { fmt, mdTable, progress, sectionHeader, verdict } from './lib/common.mjs';
import { runDriver } from './calls.mjs';

export async function run({ quick, command }) {
	const pending = quick ? 20 : 100;
	const polls = 3;
	progress(`pollcost: running the driver (${pending} pending tasks, ${polls} polls per scenario)`);
	const data = runDriver('pollCostDriver.ts', [String(pending), String(polls)], 10 * 60_000);
	const steady = (res) => Math.max(...res.perPoll);
	const today = steady(data.results[0]);
	const rows = data.results.map((res) => [res.label, res.perPoll.join(' / '), steady(res), res.types, `${fmt(steady(res) / today, 3)}`, `${fmt(today / steady(res), 1)}×`]);
	const one = data.results.slice(1, 4).map(steady);
	const lines = [
		...sectionHeader('Poll cost: list calls per poll, one task type vs all types (Kling AI Poll Trigger)', {
			runtime: undefined,
			command,
			extra: [
				'Where: the real Kling AI Poll Trigger in a real n8n-core TriggerContext (test/helpers/n8n.ts) against the simulator over real HTTP; counts from the simulator request log (GET <path>?pageNum = legacy list call, POST /tasks = new-standard cursor list call)',
				`Each scenario: activation (first scan), ${data.pending} unfinished tasks of the workflow's type watched, then ${data.polls} polls; ${data.taskTypes} task types exist (every legacy type + one for all new-standard tasks)`,
				'Baseline ("today"): version 1 with Task Types at its default, i.e. one list call per task type per poll',
			],
		}),
		...mdTable(['Scenario', `List calls in each of ${data.polls} polls`, 'List calls per poll', 'Distinct list endpoints', 'vs today (ratio)', 'Today / this'], rows),
		'',
		`One type (legacy or new standard, or all 12 new-standard model paths) costs ${one.join(' / ')} call(s) per poll vs ${today} today: ${verdict(one.every((c) => c === 1))} (goal: 1). New-standard tasks of every family are one POST /tasks walk (one call per 500 tasks).`,
		'',
	];
	return { name: 'pollcost', lines };
}
