// Per-module mutation runs for the new-standard / library / watched-types modules (issue 16, TESTING.md
// "New modules"): the same settings as stryker.config.mjs, but each jest project only runs the test files named
// in M2_TESTS (comma-separated paths relative to the repo root), so a mutant does not start every integration test.
// Example: M2_TESTS=test/unit/newStandard.test.ts,test/unit/newStandardRules.test.ts \
//   nice -n 5 npx stryker run stryker.m2.config.mjs --mutate nodes/KlingAi/shared/newStandard.ts --concurrency 1
import base from './stryker.config.mjs';

const files = (process.env.M2_TESTS ?? '').split(',').filter(Boolean);
if (!files.length) throw new Error('M2_TESTS: name the test files to run');
const projects = base.jest.config.projects
	.map((p) => ({ ...p, testMatch: files.filter((f) => f.startsWith(`test/${p.displayName}/`)).map((f) => `<rootDir>/${f}`) }))
	.filter((p) => p.testMatch.length);

export default {
	...base,
	jest: { ...base.jest, config: { projects } },
	incrementalFile: 'reports/stryker-incremental-m2.json',
	htmlReporter: { fileName: 'reports/mutation-m2/mutation.html' },
	jsonReporter: { fileName: 'reports/mutation-m2/mutation.json' },
	tempDirName: '.stryker-tmp-m2',
	concurrency: 1,
	// M2_CHECKER=off: no TypeScript checker. On the loaded shared machine the checker took ~14 of every 15 CPU
	// seconds of a run; without it, mutants that would not compile run as tests too (transpile-only), so a survivor
	// may be one TypeScript would reject (TESTING.md lists each survivor with its reason).
	...(process.env.M2_CHECKER === 'off' ? { checkers: [] } : {}),
};
