// StrykerJS mutation testing of the Kling domain code (issue 16). Run: `npm run mutate` (see TESTING.md).
// One module: `npm run mutate -- --mutate nodes/KlingAi/shared/poller.ts`.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const jestConfig = require('./jest.config.js');

// The unit and integration projects only (the e2e project starts a real n8n: far too slow per mutant). Type checks are
// the TypeScript checker's job here, so ts-jest only transpiles (several times faster per worker start).
const transpileOnly = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'test/tsconfig.json', isolatedModules: true, diagnostics: false }] };
const projects = jestConfig.projects
	.filter((p) => p.displayName === 'unit' || p.displayName === 'integration')
	.map((p) => ({ ...p, transform: transpileOnly }));

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
	packageManager: 'npm',
	testRunner: 'jest',
	jest: {
		projectType: 'custom',
		config: { projects },
	},
	checkers: ['typescript'],
	tsconfigFile: 'tsconfig.json',
	typescriptChecker: { prioritizePerformanceOverAccuracy: true },
	// The Kling domain code (issue 16): every shared module, the trigger helpers and the two trigger nodes (their
	// decision code: filters, confirmation, credential cache, claims/releases, poll runs). Per module:
	// `npm run mutate -- --mutate nodes/KlingAi/shared/ledger.ts` (see TESTING.md for the per-module times).
	mutate: [
		'nodes/KlingAi/shared/**/*.ts',
		'nodes/KlingAi/KlingAiTriggerHelpers.ts',
		'nodes/KlingAi/KlingAiTrigger.node.ts',
		'nodes/KlingAi/KlingAiPollTrigger.node.ts',
	],
	// Our code is under nodes/ and credentials/, not Stryker's default {src,lib,test}/.
	disableTypeChecks: '{nodes,credentials}/**/*.ts',
	coverageAnalysis: 'perTest',
	// Static mutants (module-level constants) run the whole suite each: ~98 % of the time on a 2-core machine. They are
	// reported as Ignored, not silently counted as killed (see TESTING.md).
	ignoreStatic: true,
	// Results of the last run (reports/ is gitignored, see TESTING.md): a rerun tests only mutants whose code or tests changed.
	incremental: true,
	incrementalFile: 'reports/stryker-incremental.json',
	// Shared 2-core machine.
	concurrency: 2,
	timeoutMS: 20_000,
	timeoutFactor: 2,
	reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
	htmlReporter: { fileName: 'reports/mutation/mutation.html' },
	jsonReporter: { fileName: 'reports/mutation/mutation.json' },
	clearTextReporter: { allowColor: false, reportMutants: true, reportScoreTable: true, logTests: false },
	tempDirName: '.stryker-tmp',
	cleanTempDir: true,
	ignorePatterns: ['dist', 'reports', 'coverage', '.e2e-tmp', 'test/e2e', 'test/bench/results', 'demo-output'],
};
