/**
 * The editor, in a real browser (issue 15): Debian's chromium driven by playwright-core against n8n 2.40.7 with the
 * package installed from its tarball (test/e2e/harness). What a newcomer sees:
 * - the node creator finds all three nodes by "Kling", "Kolors" and "text to video", as the first step and under
 *   "What happens next?", and the Kling AI action list is exactly the node's operations;
 * - a fresh node of each kind opens with no issue markers, the trigger shows its Test and Production URLs and the
 *   trigger-panel text of its description;
 * - the credential form saves and its connection test passes against the simulator;
 * - light and dark theme load the matching icon; the receive-results example keeps every node name clear of the
 *   "Execute workflow" button after zoom-to-fit.
 * Screenshots of each step go to test/.tmp/screenshots (gitignored); KLING_E2E_README_SHOTS=1 also writes the small
 * README screenshots into docs/screenshots/.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { INodePropertyOptions } from 'n8n-workflow';
import { chromium, selectors, type Browser, type Locator, type Page } from 'playwright-core';
import { KlingAi } from '../../nodes/KlingAi/KlingAi.node';
import { startSimulator } from '../simulator';
import { ensureChromium } from './harness/chromium';
import * as harness from './harness/n8n';

jest.setTimeout(20 * 60_000);

const SHOTS = path.join(harness.REPO, 'test/.tmp/screenshots');
const README_SHOTS = process.env.KLING_E2E_README_SHOTS === '1' ? path.join(harness.REPO, 'docs/screenshots') : undefined;
const SIM_KEYS = { accessKey: 'ak_e2e', secretKey: 'sk_e2e_secret_value' };
const RECEIVE = { file: 'kling-callback-with-poll-fallback.json', id: 'klingUiReceive001' };
const SEARCH_TERMS = ['Kling', 'Kolors', 'text to video'];
const NODE_NAMES = ['Kling AI', 'Kling AI Poll Trigger'];

/** The action list n8n should build: every operation's `action`, nothing else. */
const OPERATION_ACTIONS = new KlingAi().description.properties
	.filter((p) => p.name === 'operation')
	.flatMap((p) => (p.options as INodePropertyOptions[]).map((o) => String(o.action)))
	.sort();

type Sim = Awaited<ReturnType<typeof startSimulator>>;
type N8n = Awaited<ReturnType<typeof harness.startN8n>>;

describe('the n8n editor in chromium', () => {
	let sim: Sim;
	let n8n: N8n;
	let browser: Browser;
	let page: Page;
	const t0 = Date.now();

	const shot = async (name: string, target: Page | Locator = page) => {
		await target.screenshot({ path: path.join(SHOTS, `${name}.png`) });
	};
	const readmeShot = async (name: string, target: Locator) => {
		if (README_SHOTS) await target.screenshot({ path: path.join(README_SHOTS, `${name}.png`) });
	};
	const byTestId = (id: string) => page.getByTestId(id);
	const creatorNames = async () => (await byTestId('node-creator-item-name').allTextContents()).map((t) => t.trim());

	async function newWorkflow() {
		await page.goto(`${n8n.url}/workflow/new`);
		await byTestId('canvas-add-button').waitFor();
	}
	/**
	 * Type into the open node creator's search (replacing what was there) and wait until `expect` is listed, or 8 s.
	 * A panel that just opened can drop the first input event, so the term is typed again once if nothing showed.
	 */
	async function search(term: string, expected: string[] = []) {
		// n8n 2.40 puts the test id on the <input> itself
		const input = page.locator('input[data-test-id="node-creator-search-bar"], [data-test-id="node-creator-search-bar"] input').first();
		const listed = async (ms: number) => {
			for (const name of expected) {
				const item = byTestId('node-creator-item-name').filter({ hasText: new RegExp(`^${name}$`) }).first();
				if (!(await item.waitFor({ timeout: ms }).then(() => true, () => false))) return false;
			}
			return true;
		};
		for (let attempt = 0; attempt < 2; attempt++) {
			await input.fill('');
			await input.pressSequentially(term, { delay: 20 });
			await page.waitForTimeout(300); // the list re-renders after the input event
			if (await listed(4_000)) return;
		}
	}
	async function openNextStepCreator() {
		await byTestId('canvas-handle-plus').first().click();
		await byTestId('node-creator-search-bar').waitFor();
	}
	async function closeNdv() {
		await byTestId('ndv-close-button').click();
		await byTestId('ndv').waitFor({ state: 'hidden' });
	}
	async function expectNoIssues(label: string) {
		expect({ node: label, parameterIssues: await byTestId('parameter-issues').count() }).toEqual({ node: label, parameterIssues: 0 });
		await closeNdv();
		expect({ node: label, canvasIssues: await byTestId('node-issues').count() }).toEqual({ node: label, canvasIssues: 0 });
	}

	beforeAll(async () => {
		fs.mkdirSync(SHOTS, { recursive: true });
		if (README_SHOTS) fs.mkdirSync(README_SHOTS, { recursive: true });
		const executablePath = ensureChromium();
		sim = await startSimulator({ port: 0, ...SIM_KEYS });
		const receive = JSON.parse(fs.readFileSync(path.join(harness.REPO, 'examples', RECEIVE.file), 'utf8'));
		n8n = await harness.startN8n({
			credentials: [
				harness.loadFixture('credential.kling.json', {
					CRED_ID: 'klingAiAccount',
					CRED_NAME: 'Kling AI account',
					...{ ACCESS_KEY: SIM_KEYS.accessKey, SECRET_KEY: SIM_KEYS.secretKey },
					SIM_URL: sim.url,
					WEBHOOK_SECRET: '',
				}),
			],
			workflows: [{ ...receive, id: RECEIVE.id, active: false }],
			publish: [],
		});
		harness.progress(`editor test: n8n ready after ${((Date.now() - t0) / 1000).toFixed(0)} s`);
		selectors.setTestIdAttribute('data-test-id');
		browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
		page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
		page.setDefaultTimeout(20_000);
		await page.goto(`${n8n.url}/signin`);
		await page.locator('input[name=emailOrLdapLoginId]').fill(harness.OWNER.email);
		await page.locator('input[name=password]').fill(harness.OWNER.password);
		await page.keyboard.press('Enter');
		await page.waitForURL((url) => !url.pathname.includes('signin'));
	}, 20 * 60_000);

	afterAll(async () => {
		if (page) await shot('zz-last').catch(() => undefined);
		await browser?.close();
		await n8n?.stop();
		await sim?.close();
		harness.progress(`editor test: ${((Date.now() - t0) / 1000).toFixed(0)} s in all`);
	});

	test('first step: "Kling", "Kolors" and "text to video" find Kling AI and the Poll Trigger', async () => {
		await newWorkflow();
		await byTestId('canvas-add-button').click();
		for (const term of SEARCH_TERMS) {
			await search(term, NODE_NAMES);
			expect({ term, found: await creatorNames() }).toEqual({ term, found: expect.arrayContaining(NODE_NAMES) });
		}
		await search('Kling', NODE_NAMES);
		await shot('01-first-step-search');
		await readmeShot('node-creator-search', byTestId('node-creator'));
	});

	test('the trigger: added as the first step, no issues, shows its URLs and the trigger-panel text', async () => {
		await byTestId('node-creator-item-name').filter({ hasText: /^Kling AI$/ }).click();
		await page.getByText('On new Kling AI event').click();
		const ndv = byTestId('ndv');
		await ndv.waitFor();
		await ndv.getByText('Send a Kling AI task to this Test URL').first().waitFor();
		await ndv.getByText('Webhook URLs').click();
		const testUrl = ndv.getByText(/\/webhook-test\/[0-9a-f-]+\/webhook$/);
		await testUrl.waitFor();
		await byTestId('radio-button-production').click();
		await ndv.getByText(new RegExp(`${n8n.url.replace(/[.]/g, '\\.')}/webhook/[0-9a-f-]+/webhook$`)).waitFor();
		await shot('02-trigger-ndv');
		await expectNoIssues('Kling AI Trigger');
	});

	test('"What happens next?": the same terms find both nodes; the action list is exactly the operations', async () => {
		await openNextStepCreator();
		for (const term of SEARCH_TERMS) {
			await search(term, NODE_NAMES);
			expect({ term, found: await creatorNames() }).toEqual({ term, found: expect.arrayContaining(NODE_NAMES) });
		}
		await search('Kling', NODE_NAMES);
		await byTestId('node-creator-item-name').filter({ hasText: /^Kling AI$/ }).click();
		const actionsHeader = byTestId('node-creator-category-item').filter({ hasText: /^Actions/ });
		await actionsHeader.waitFor();
		// the search results slide out: wait until they are gone before reading the list
		await byTestId('node-creator-item-name').filter({ hasText: /^Kling AI Poll Trigger$/ }).waitFor({ state: 'detached' });
		expect((await actionsHeader.textContent())?.trim()).toBe(`Actions (${OPERATION_ACTIONS.length})`);
		// The list renders in steps (41 actions, slow under load): read it until it stops growing, at most 15 s.
		const readActions = async () => (await creatorNames()).filter((name) => name !== 'On new Kling AI event').sort();
		let listed = await readActions();
		for (let waited = 0; waited < 15_000 && listed.length < OPERATION_ACTIONS.length; waited += 250) {
			await page.waitForTimeout(250);
			listed = await readActions();
		}
		expect(listed).toEqual(OPERATION_ACTIONS);
		await shot('03-next-step-actions');
		await readmeShot('node-creator-actions', byTestId('node-creator'));
	});

	test('a fresh Kling AI node (Get a video task) opens with no issue markers; Text to Video: wait choice first, Don\'t Wait output hint', async () => {
		await byTestId('node-creator-item-name').filter({ hasText: /^Get a video task$/ }).click();
		await byTestId('ndv').waitFor();
		await shot('04-get-task-ndv');
		await expectNoIssues('Kling AI (Get a video task)');

		// Text to Video as the first step of a new workflow (n8n adds a Manual Trigger before it), so "Execute step"
		// runs it at once instead of listening on the Kling AI Trigger above.
		await newWorkflow();
		await byTestId('canvas-add-button').click();
		await search('Kling', NODE_NAMES);
		await byTestId('node-creator-item-name').filter({ hasText: /^Kling AI$/ }).click();
		const t2v = byTestId('node-creator-item-name').filter({ hasText: /^Generate a video from a text prompt$/ });
		if (!(await t2v.isVisible())) await byTestId('node-creator-category-item').filter({ hasText: /^Actions/ }).click();
		await t2v.click();
		const ndv = byTestId('ndv');
		await ndv.waitFor();
		await ndv.getByText('Wait for Completion').first().waitFor();
		await ndv.getByText('Send Status Updates To').first().waitFor();
		await ndv.locator('[data-test-id="parameter-input-prompt"] textarea').fill('A red fox running through fresh snow at sunrise');
		await shot('05-text-to-video-ndv');
		await readmeShot('text-to-video-panel', ndv);
		// "Execute step" with Don't Wait: the simulator answers "submitted", and the output pane says how to get the video.
		await ndv.getByTestId('node-execute-button').click();
		await byTestId('output-panel').getByText(/Kling accepted the task \(status submitted\)/).first().waitFor();
		await shot('05b-text-to-video-dont-wait-output');
		await expectNoIssues('Kling AI (Text to Video, prompt filled)');
	});

	test('a fresh Kling AI Poll Trigger opens with no issue markers', async () => {
		await newWorkflow();
		await byTestId('canvas-add-button').click();
		await search('Kling', NODE_NAMES);
		await byTestId('node-creator-item-name').filter({ hasText: /^Kling AI Poll Trigger$/ }).click();
		await page.getByText('Add to workflow').click();
		await byTestId('ndv').waitFor();
		await shot('06-poll-trigger-ndv');
		await expectNoIssues('Kling AI Poll Trigger');
	});

	test('the credential form saves and its connection test passes against the simulator', async () => {
		await page.goto(`${n8n.url}/home/credentials/create`);
		await byTestId('new-credential-type-select').click();
		await page.keyboard.type('Kling');
		await byTestId('new-credential-type-select-option').filter({ hasText: 'Kling AI API' }).click();
		await byTestId('new-credential-type-button').click();
		const dialog = byTestId('credential-edit-dialog');
		await dialog.waitFor();
		await dialog.getByText('Webhook Signing Secret (Optional)').waitFor();
		await dialog.getByText(/leave empty unless you turned on webhook signatures/).waitFor();
		await dialog.locator('[data-test-id="parameter-input-accessKey"] input').fill(SIM_KEYS.accessKey);
		await dialog.locator('[data-test-id="parameter-input-secretKey"] input').fill(SIM_KEYS.secretKey);
		await dialog.locator('[data-test-id="parameter-input-region"]').click();
		await page.getByRole('option', { name: 'Custom Base URL' }).click();
		await dialog.locator('[data-test-id="parameter-input-customBaseUrl"] input').fill(sim.url);
		await byTestId('credential-save-button').click();
		await byTestId('credentials-config-container-test-success').waitFor({ state: 'visible' });
		expect(await dialog.getByText('Connection tested successfully').count()).toBe(1);
		await shot('07-credential-saved-and-tested');
		await readmeShot('credential-form', dialog);
		await page.keyboard.press('Escape');
	});

	test('the receive-results example: after zoom-to-fit no node name is under the "Execute workflow" button', async () => {
		await page.goto(`${n8n.url}/workflow/${RECEIVE.id}`);
		await byTestId('canvas-node').first().waitFor();
		await byTestId('zoom-to-fit').click();
		await page.waitForTimeout(800); // the fit animates
		await shot('08-receive-results-example');
		const button = await byTestId('execute-workflow-button').boundingBox();
		expect(button).not.toBeNull();
		const nodes = byTestId('canvas-node');
		const covered: string[] = [];
		for (let i = 0; i < (await nodes.count()); i++) {
			const name = String(await nodes.nth(i).getAttribute('data-node-name'));
			const label = await nodes.nth(i).getByText(name, { exact: true }).first().boundingBox();
			if (!label || !button) continue;
			const overlaps = label.x < button.x + button.width && label.x + label.width > button.x && label.y < button.y + button.height && label.y + label.height > button.y;
			if (overlaps) covered.push(name);
		}
		expect(covered).toEqual([]);
	});

	test('light and dark theme load the matching node icon', async () => {
		const iconsFor = async (theme: 'light' | 'dark') => {
			await page.evaluate(`localStorage.setItem('N8N_THEME', '${theme}')`);
			await newWorkflow();
			await byTestId('canvas-add-button').click();
			await search('Kling', NODE_NAMES);
			await page.locator('img[src*="/icons/n8n-nodes-kling-ai/"]').first().waitFor();
			await page.waitForFunction(`[...document.querySelectorAll('img[src*="/icons/n8n-nodes-kling-ai/"]')].every((i) => i.complete)`);
			await shot(`09-theme-${theme}`);
			return await page.$$eval('img[src*="/icons/n8n-nodes-kling-ai/"]', (imgs) =>
				imgs.map((i) => ({ file: (i.getAttribute('src') ?? '').split('/').pop(), loaded: Number((i as unknown as { naturalWidth: number }).naturalWidth) > 0 })),
			);
		};
		const light = await iconsFor('light');
		const dark = await iconsFor('dark');
		expect(light.length).toBeGreaterThan(0);
		expect(dark.length).toBeGreaterThan(0);
		expect(light.every((i) => i.file === 'kling.svg' && i.loaded)).toBe(true);
		expect(dark.every((i) => i.file === 'kling.dark.svg' && i.loaded)).toBe(true);
		await page.evaluate(`localStorage.setItem('N8N_THEME', 'light')`);
	});
});
