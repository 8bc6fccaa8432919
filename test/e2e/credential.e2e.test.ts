/**
 * Real n8n, scenario 1 (issue 7): the package installed from its `npm pack` tarball is loaded by n8n as a community
 * package (three node types + the credential registered), and the editor's credential "Test" passes with the
 * simulator's keys and fails with Kling's own reason (code 1002) on a wrong secret.
 * One n8n instance for the whole file. Progress lines go to stderr. See test/e2e/README.md.
 */
import { startSimulator } from '../simulator';
import * as harness from './harness/n8n';

jest.setTimeout(20 * 60_000);

const SIM_KEYS = { accessKey: 'ak_e2e', secretKey: 'sk_e2e_secret_value', apiKey: 'kling_api_key_e2e' };
const CRED = { ok: 'klingE2eCredOk01', badSecret: 'klingE2eCredBad1', apiKey: 'klingE2eCredKey1' };

type Sim = Awaited<ReturnType<typeof startSimulator>>;
type N8n = Awaited<ReturnType<typeof harness.startN8n>>;

describe('real n8n: the packed package and its credential', () => {
	let sim: Sim;
	let n8n: N8n;

	beforeAll(async () => {
		sim = await startSimulator({ port: 0, accessKey: SIM_KEYS.accessKey, secretKey: SIM_KEYS.secretKey, apiKeys: [SIM_KEYS.apiKey] });
		const credential = (id: string, name: string, secretKey: string) =>
			harness.loadFixture('credential.kling.json', {
				CRED_ID: id,
				CRED_NAME: name,
				ACCESS_KEY: SIM_KEYS.accessKey,
				SECRET_KEY: secretKey,
				SIM_URL: sim.url,
				WEBHOOK_SECRET: '',
			});
		const apiKeyCredential = credential(CRED.apiKey, 'Kling simulator (API key)', '');
		apiKeyCredential.data = { ...apiKeyCredential.data, authType: 'apiKey', apiKey: SIM_KEYS.apiKey, accessKey: '', secretKey: '' };
		n8n = await harness.startN8n({
			credentials: [
				credential(CRED.ok, 'Kling simulator', SIM_KEYS.secretKey),
				credential(CRED.badSecret, 'Kling simulator (wrong secret)', 'sk_definitely_wrong'),
				apiKeyCredential,
			],
			workflows: [],
		});
	}, 20 * 60_000);

	afterAll(async () => {
		await n8n?.stop();
		await sim?.close();
	});

	test('n8n registers the three node types and the credential from the tarball (package.json "n8n" attribute)', async () => {
		const { nodes, credentials } = await n8n.registeredTypes();
		const byName = new Map<string, Record<string, unknown>>(nodes.map((d: Record<string, unknown>) => [String(d.name), d]));
		for (const type of Object.values(harness.NODE_TYPES)) expect(byName.has(type)).toBe(true);
		expect(credentials.map((c: { name: string }) => c.name)).toContain(harness.CREDENTIAL_TYPE);

		// Triggers are triggers and not AI tools; the action node is usable as a tool (n8n derives a "...Tool" type).
		const trigger = byName.get(harness.NODE_TYPES.trigger)!;
		const poll = byName.get(harness.NODE_TYPES.pollTrigger)!;
		expect(trigger.group).toContain('trigger');
		expect(poll.group).toContain('trigger');
		// A trigger() node (so it can start executions under n8n's de-duplication key), not a poll() node.
		expect(poll.polling).toBeFalsy();
		expect(trigger.usableAsTool).toBeFalsy();
		expect(poll.usableAsTool).toBeFalsy();
		const action = byName.get(harness.NODE_TYPES.action)!;
		expect(action.usableAsTool === true || byName.has(`${harness.NODE_TYPES.action}Tool`)).toBe(true);

		expect(n8n.log()).not.toMatch(/Failed to load package|Skipping package/);
		// Loaded from the community-packages folder, as a user's install is (not from a custom-extensions dir).
		expect(n8n.packageJson.name).toBe(harness.PACKAGE_NAME);
	});

	test('credential test passes with the simulator keys (access key + secret key, and API key)', async () => {
		const before = sim.requests.length;
		await expect(n8n.testCredential({ id: CRED.ok })).resolves.toMatchObject({ status: 'OK' });
		await expect(n8n.testCredential({ id: CRED.apiKey })).resolves.toMatchObject({ status: 'OK' });
		const costs = sim.requests.slice(before).filter((r) => r.path === '/account/costs');
		expect(costs).toHaveLength(2);
		expect(costs.every((r) => r.auth.ok)).toBe(true);
		expect(costs[0].auth.iss).toBe(SIM_KEYS.accessKey);
	});

	test('credential test fails with Kling reason 1002 on a wrong secret, without leaking the secret', async () => {
		const before = sim.requests.length;
		const result = await n8n.testCredential({ id: CRED.badSecret });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/1002/);
		expect(result.message).toMatch(/Authorization is invalid/i);
		expect(result.message).not.toContain('sk_definitely_wrong');
		const seen = sim.requests.slice(before).filter((r) => r.path === '/account/costs');
		expect(seen).toHaveLength(1);
		expect(seen[0].auth).toMatchObject({ ok: false, code: 1002 });
		expect(n8n.log()).not.toContain('sk_definitely_wrong');
		expect(n8n.log()).not.toContain(SIM_KEYS.secretKey);
	});
});
