/** shared/api.ts tests against a scripted Kling: a node using the Kling credential, its context on the real n8n-core request path. */
import { NodeConnectionTypes, type INodeType } from 'n8n-workflow';
import { executeContext, simulatorCredentials } from './n8n';
import { ScriptedServer, type Received, type ScriptedResponse } from './scriptedServer';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../../nodes/KlingAi/shared/transport';

export const credentialedNode: INodeType = {
	description: {
		displayName: 'Dummy', name: 'dummy', group: [], version: 1, description: '', defaults: {},
		inputs: [NodeConnectionTypes.Main], outputs: [NodeConnectionTypes.Main], properties: [],
		credentials: [{ name: 'klingAiApi', required: true }],
	},
};

/** Retries without waiting, a 2 s timeout, a fixed jitter. */
export const fastPolicy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, timeoutMs: 2_000, sleep: async () => undefined, random: () => 0.5 };

/** A new execution context whose credential points at the server (each context has its own per-context state). */
export const contextOn = (server: ScriptedServer) =>
	executeContext({ nodeType: credentialedNode, parameters: {}, credentials: simulatorCredentials(server.url) });

/** One scripted Kling per test: `serve(handler)` starts it and returns a context on it; it stops after each test. */
export function scriptedKling() {
	const kling = {
		server: undefined as unknown as ScriptedServer,
		async serve(handler: (req: Received, n: number) => ScriptedResponse) {
			kling.server = await new ScriptedServer(handler).start();
			return contextOn(kling.server);
		},
	};
	afterEach(async () => {
		if (kling.server) await kling.server.stop();
		kling.server = undefined as unknown as ScriptedServer;
	});
	return kling;
}
