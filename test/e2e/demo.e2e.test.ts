/**
 * `npm run demo -- --once` works: the demo (test/demo/demo.mjs) runs as a child process exactly as a user starts it
 * (fast simulator timings, a free port, its own output folder) and must exit 0 after every flow did what it says:
 * callback → Succeeded, sim:fail → Failed, a dropped callback recovered by the poll trigger, create-and-wait →
 * Succeeded with the downloaded video, each task once, result files saved. Its output streams to stderr as progress.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

jest.setTimeout(25 * 60_000);

const REPO = path.resolve(__dirname, '..', '..');

function runDemo(args: string[]): Promise<{ code: number | null; output: string }> {
	return new Promise((resolve, reject) => {
		const env = { ...process.env };
		delete env.NODE_ENV; // jest's "test"; the demo and n8n run as a user would start them
		const child = spawn(process.execPath, [path.join(REPO, 'test', 'demo', 'demo.mjs'), ...args], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
		let output = '';
		const onData = (chunk: Buffer) => {
			output += chunk.toString();
			process.stderr.write(chunk);
		};
		child.stdout.on('data', onData);
		child.stderr.on('data', onData);
		child.on('error', reject);
		child.on('close', (code) => resolve({ code, output }));
	});
}

describe('npm run demo -- --once', () => {
	const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kling-demo-e2e-'));
	let result: { code: number | null; output: string };

	beforeAll(async () => {
		result = await runDemo(['--once', '--fast', '--port', '0', '--out', outDir]);
	}, 25 * 60_000);

	afterAll(() => fs.rmSync(outDir, { recursive: true, force: true }));

	test('exits 0 and says that every expected outcome happened', () => {
		expect(result.output).toMatch(/✔ Demo finished in [\d.]+ s: (\d+) of \1 expected outcomes happened\./);
		expect(result.output).not.toMatch(/^\s*✘/m);
		expect(result.code).toBe(0);
	});

	test('reports each flow in plain words: callback → Succeeded / Failed, poll recovery, create and wait', () => {
		const out = result.output;
		expect(out).toMatch(/✔ credential "Kling AI account" tests OK against the simulator/);
		// The Kling AI Trigger hands callbacks to the Poll Trigger of the workflow: one execution under n8n's key.
		expect(out).toMatch(/✔ task \d+: Kling called back → Kling AI Trigger → Kling AI Poll Trigger → Succeeded → Save video \(execution \d+, mode trigger/);
		expect(out).toMatch(/✔ task \d+: Kling called back → Kling AI Trigger → Kling AI Poll Trigger → Failed → Handle failure \(execution \d+, mode trigger/);
		expect(out).toMatch(/Kling's reason: ".*sim:fail.*"/);
		expect(out).toMatch(/the simulator dropped \d+ callback\(s\) of task \d+ \(.*succeed.*\)/);
		expect(out).toMatch(/✔ task \d+: the poll found it → Kling AI Poll Trigger → Succeeded → Save video \(execution \d+, mode trigger/);
		expect(out).toMatch(/✔ task \d+: Kling AI: Text to Video \(wait\) → Succeeded → Save video \(execution \d+/);
		expect(out).toMatch(/Kling called this execution's resume URL \(\/webhook-waiting\/\d+/);
		expect(out).toMatch(/✔ exactly once: each of the 3 task\(s\) for the receiving workflow arrived there once \(callback or poll, never both\); the create-and-wait task stayed in its own workflow/);
	});

	test('saves the downloaded videos as <taskId>.mp4 in the folder it prints', () => {
		expect(result.output).toContain(`saved`);
		expect(result.output).toContain(outDir);
		const files = fs.readdirSync(outDir).filter((f) => /^\d+\.mp4$/.test(f));
		expect(files.length).toBeGreaterThanOrEqual(2);
		for (const file of files) {
			const bytes = fs.readFileSync(path.join(outDir, file));
			expect(bytes.subarray(4, 8).toString('latin1')).toBe('ftyp');
			expect(result.output).toContain(file);
		}
	});
});
