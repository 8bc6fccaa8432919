import type { Clock } from '../../nodes/KlingAi/shared/wait';

/** A clock that only moves when something sleeps on it; records every sleep. */
export function fakeClock(start = 1_000_000): Clock & { slept: number[] } {
	let now = start;
	const slept: number[] = [];
	return {
		slept,
		now: () => now,
		sleep: async (ms: number) => {
			slept.push(ms);
			now += ms;
		},
	};
}
