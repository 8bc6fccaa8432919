/**
 * The example workflows in examples/*.json (the files users import) must keep matching the nodes they use:
 * every parameter a Kling node sets exists in that node's description and is shown for the other settings
 * (displayOptions), option values are valid, required fields are filled, connections use outputs the node has,
 * and credentials are referenced by the name users get ("Kling AI account"). The node classes are loaded from
 * the TypeScript sources, so renaming a parameter or an option value fails this test until the examples follow.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { INodeProperties, INodePropertyCollection, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { validateCallbackUrl } from '../../nodes/KlingAi/shared/callback';

const REPO = path.resolve(__dirname, '..', '..');
const EXAMPLES_DIR = path.join(REPO, 'examples');
const PACKAGE_NAME: string = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')).name;
const CREDENTIAL_NAME = 'Kling AI account';

/** Node type → TS source of its class (loaded lazily: a node still being written fails only the examples using it). */
const NODE_SOURCES: Record<string, { file: string; className: string }> = {
	klingAi: { file: 'nodes/KlingAi/KlingAi.node.ts', className: 'KlingAi' },
	klingAiTrigger: { file: 'nodes/KlingAi/KlingAiTrigger.node.ts', className: 'KlingAiTrigger' },
	klingAiPollTrigger: { file: 'nodes/KlingAi/KlingAiPollTrigger.node.ts', className: 'KlingAiPollTrigger' },
};

/** Built-in n8n nodes the examples may use (their parameters are checked by the demo in a real n8n). */
const BUILT_IN_TYPES = new Set([
	'n8n-nodes-base.stickyNote',
	'n8n-nodes-base.manualTrigger',
	'n8n-nodes-base.set',
	'n8n-nodes-base.noOp',
	'n8n-nodes-base.removeDuplicates',
	// The AI Agent example (examples/kling-ai-agent-tool.json); n8n 2.40.7 ships these versions.
	'@n8n/n8n-nodes-langchain.chatTrigger',
	'@n8n/n8n-nodes-langchain.agent',
	'@n8n/n8n-nodes-langchain.lmChatOpenAi',
]);

interface ExampleNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id?: string | null; name: string }>;
	webhookId?: string;
}
interface Connection {
	node: string;
	type: string;
	index: number;
}
interface ExampleWorkflow {
	name: string;
	nodes: ExampleNode[];
	connections: Record<string, { main?: Connection[][]; ai_tool?: Connection[][]; ai_languageModel?: Connection[][] }>;
	settings?: Record<string, unknown>;
}

/**
 * What n8n 2.40.7's loader makes of a `usableAsTool` node (cli tool-generation/ai-tools.js convertNodeToAiTool):
 * name + "Tool", no inputs, one ai_tool output. Our node declares its own `toolDescription`, so n8n adds none.
 */
function toolVariant(base: INodeTypeDescription): INodeTypeDescription {
	if (!base.usableAsTool) throw new Error(`${base.name} is not usable as a tool`);
	return { ...base, name: `${base.name}Tool`, displayName: `${base.displayName} Tool`, inputs: [], outputs: ['ai_tool' as never] };
}

function loadDescription(type: string): INodeTypeDescription {
	const short = type.slice(PACKAGE_NAME.length + 1);
	if (short.endsWith('Tool') && NODE_SOURCES[short.slice(0, -'Tool'.length)]) return toolVariant(loadDescription(type.slice(0, -'Tool'.length)));
	const source = NODE_SOURCES[short];
	if (!source) throw new Error(`no node source known for type ${type}`);
	const file = path.join(REPO, source.file);
	if (!fs.existsSync(file)) throw new Error(`${type}: ${source.file} does not exist (yet)`);
	const mod = require(file) as Record<string, new () => INodeType>;
	const NodeClass = mod[source.className];
	if (typeof NodeClass !== 'function') throw new Error(`${source.file} exports no class ${source.className}`);
	return new NodeClass().description;
}

/** n8n-core adds "Poll Times" to every polling node (commonPollingParameters); the examples may set it. */
const POLL_TIMES: INodeProperties = {
	displayName: 'Poll Times',
	name: 'pollTimes',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	default: { item: [{ mode: 'everyMinute' }] },
	options: [
		{
			name: 'item',
			displayName: 'Item',
			values: [
				{
					displayName: 'Mode',
					name: 'mode',
					type: 'options',
					options: ['everyMinute', 'everyHour', 'everyDay', 'everyWeek', 'everyMonth', 'everyX', 'custom'].map((v) => ({ name: v, value: v })),
					default: 'everyDay',
				},
				...['hour', 'minute', 'dayOfMonth', 'weekday', 'value'].map((name) => ({ displayName: name, name, type: 'number' as const, default: 0 })),
				{ displayName: 'Unit', name: 'unit', type: 'options', options: [{ name: 'Minutes', value: 'minutes' }, { name: 'Hours', value: 'hours' }], default: 'hours' },
				{ displayName: 'Cron Expression', name: 'cronExpression', type: 'string', default: '' },
			],
		},
	],
};

const isExpression = (v: unknown) => typeof v === 'string' && v.startsWith('=');

/** n8n's displayOptions conditions (`_cnd`), the subset that matters for a static check. */
function matchesCondition(actual: unknown, expected: unknown): boolean {
	if (expected && typeof expected === 'object' && '_cnd' in (expected as object)) {
		const [op, arg] = Object.entries((expected as { _cnd: Record<string, unknown> })._cnd)[0];
		const n = Number(actual);
		switch (op) {
			case 'eq':
				return actual === arg;
			case 'not':
				return actual !== arg;
			case 'gte':
				return n >= Number(arg);
			case 'lte':
				return n <= Number(arg);
			case 'gt':
				return n > Number(arg);
			case 'lt':
				return n < Number(arg);
			case 'between':
				return n >= Number((arg as { from: number }).from) && n <= Number((arg as { to: number }).to);
			case 'startsWith':
				return String(actual).startsWith(String(arg));
			case 'endsWith':
				return String(actual).endsWith(String(arg));
			case 'includes':
				return String(actual).includes(String(arg));
			case 'regex':
				return new RegExp(String(arg)).test(String(actual));
			case 'exists':
				return actual !== undefined && actual !== null && actual !== '';
			default:
				return true;
		}
	}
	if (Array.isArray(actual)) return actual.includes(expected);
	return actual === expected;
}

class ParameterChecker {
	readonly problems: string[] = [];

	constructor(
		private readonly node: ExampleNode,
		private readonly properties: INodeProperties[],
		/** n8n's `@tool` display option: true for the generated tool variant (type name ending in "Tool"). */
		private readonly isTool = false,
	) {}

	/** The value n8n would use for a top-level parameter: the node's own value, else the default of the shown property. */
	private resolve(name: string, depth: number): unknown {
		if (name in this.node.parameters) return this.node.parameters[name];
		if (depth > 8) return undefined;
		const shown = this.properties.find((p) => p.name === name && this.isShown(p, this.node.parameters, depth + 1));
		return shown?.default;
	}

	/** displayOptions against the node's settings; `siblings` = the collection a nested option lives in. */
	isShown(prop: INodeProperties, siblings: Record<string, unknown>, depth = 0): boolean {
		const valueOf = (key: string): unknown => {
			if (key === '@version') return this.node.typeVersion;
			if (key === '@tool') return this.isTool;
			if (key.startsWith('/')) return this.resolve(key.slice(1), depth);
			if (siblings === this.node.parameters) return this.resolve(key, depth);
			return siblings[key];
		};
		const { show, hide } = prop.displayOptions ?? {};
		for (const [key, values] of Object.entries(show ?? {})) {
			const actual = valueOf(key);
			if (!(values ?? []).some((expected) => matchesCondition(actual, expected))) return false;
		}
		for (const [key, values] of Object.entries(hide ?? {})) {
			const actual = valueOf(key);
			if ((values ?? []).some((expected) => matchesCondition(actual, expected))) return false;
		}
		return true;
	}

	checkAll(): string[] {
		const where = `"${this.node.name}"`;
		for (const [name, value] of Object.entries(this.node.parameters)) {
			this.checkValue(`${where}.${name}`, name, value, this.properties, this.node.parameters);
		}
		for (const prop of this.properties) {
			if (!prop.required || prop.type === 'notice' || prop.type === 'boolean') continue;
			if (!this.isShown(prop, this.node.parameters)) continue;
			const value = this.resolve(prop.name, 0);
			if (value === undefined || value === null || value === '') this.problems.push(`${where}: required parameter "${prop.name}" (${prop.displayName}) is empty`);
		}
		return this.problems;
	}

	private checkValue(where: string, name: string, value: unknown, candidates: INodeProperties[], siblings: Record<string, unknown>): void {
		const named = candidates.filter((p) => p.name === name);
		if (!named.length) {
			this.problems.push(`${where}: no parameter "${name}" in the node description`);
			return;
		}
		const shown = named.filter((p) => this.isShown(p, siblings));
		if (!shown.length) {
			this.problems.push(`${where}: parameter "${name}" exists but is hidden for these settings (displayOptions)`);
			return;
		}
		this.checkType(where, shown[0], value);
	}

	private checkType(where: string, prop: INodeProperties, value: unknown): void {
		if (isExpression(value)) {
			if (prop.noDataExpression) this.problems.push(`${where}: "${prop.name}" does not accept expressions`);
			return;
		}
		const optionValues = () => (prop.options ?? []).map((o) => (o as { value: unknown }).value);
		switch (prop.type) {
			case 'options':
				if (prop.typeOptions?.loadOptionsMethod) return;
				if (!optionValues().includes(value as never)) this.problems.push(`${where}: "${String(value)}" is not an option (${optionValues().join(', ')})`);
				return;
			case 'multiOptions':
				if (prop.typeOptions?.loadOptionsMethod) return;
				if (!Array.isArray(value)) this.problems.push(`${where}: expected a list`);
				else for (const v of value) if (!optionValues().includes(v)) this.problems.push(`${where}: "${String(v)}" is not an option (${optionValues().join(', ')})`);
				return;
			case 'boolean':
				if (typeof value !== 'boolean') this.problems.push(`${where}: expected true/false, got ${JSON.stringify(value)}`);
				return;
			case 'number':
				if (typeof value !== 'number') this.problems.push(`${where}: expected a number, got ${JSON.stringify(value)}`);
				return;
			case 'string':
				if (typeof value !== 'string') this.problems.push(`${where}: expected a string, got ${JSON.stringify(value)}`);
				return;
			case 'collection': {
				if (!value || typeof value !== 'object' || Array.isArray(value)) {
					this.problems.push(`${where}: expected an object`);
					return;
				}
				const options = (prop.options ?? []) as INodeProperties[];
				for (const [key, v] of Object.entries(value)) this.checkValue(`${where}.${key}`, key, v, options, value as Record<string, unknown>);
				return;
			}
			case 'fixedCollection': {
				if (!value || typeof value !== 'object' || Array.isArray(value)) {
					this.problems.push(`${where}: expected an object`);
					return;
				}
				const groups = (prop.options ?? []) as INodePropertyCollection[];
				for (const [groupName, entries] of Object.entries(value)) {
					const group = groups.find((g) => g.name === groupName);
					if (!group) {
						this.problems.push(`${where}: no group "${groupName}" (${groups.map((g) => g.name).join(', ')})`);
						continue;
					}
					const list = prop.typeOptions?.multipleValues ? entries : [entries];
					if (!Array.isArray(list)) {
						this.problems.push(`${where}.${groupName}: expected a list`);
						continue;
					}
					list.forEach((entry: Record<string, unknown>, i: number) => {
						for (const [key, v] of Object.entries(entry ?? {})) this.checkValue(`${where}.${groupName}[${i}].${key}`, key, v, group.values, entry);
					});
				}
				return;
			}
			case 'notice':
				this.problems.push(`${where}: a notice is not a setting`);
				return;
			default:
				return;
		}
	}
}

/** The node's outputs for its parameters: an array, or n8n's `={{ ... }}` expression of $parameter. */
function outputsOf(description: INodeTypeDescription, parameters: Record<string, unknown>): Array<{ displayName?: string }> {
	const outputs = description.outputs as unknown;
	const names = description.outputNames ?? [];
	const norm = (list: unknown[]) =>
		list.map((o, i) => ({ displayName: (typeof o === 'string' ? undefined : (o as { displayName?: string }).displayName) ?? names[i] }));
	if (Array.isArray(outputs)) return norm(outputs);
	if (typeof outputs === 'string' && outputs.startsWith('={{') && outputs.endsWith('}}')) {
		const $parameter = new Proxy(parameters, {
			get: (target, key: string) => (key in target ? target[key] : description.properties.find((p) => p.name === key)?.default),
		});
		// Our own node descriptions: a JSON literal chosen by a parameter.
		const evaluate = new Function('$parameter', `return (${outputs.slice(3, -2)});`) as (p: unknown) => unknown;
		return norm(evaluate($parameter) as unknown[]);
	}
	throw new Error(`cannot read the outputs of ${description.name}: ${JSON.stringify(outputs)}`);
}

const exampleFiles = fs.existsSync(EXAMPLES_DIR) ? fs.readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.json')).sort() : [];
const load = (file: string): ExampleWorkflow => JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8'));
const klingNodes = (wf: ExampleWorkflow) => wf.nodes.filter((n) => n.type.startsWith(`${PACKAGE_NAME}.`));

describe('example workflows (examples/*.json)', () => {
	test('there are examples, and the create example is among them', () => {
		expect(exampleFiles).toContain('kling-create-text-to-video.json');
	});

	describe.each(exampleFiles)('%s', (file) => {
		const wf = load(file);

		test('is a well-formed workflow: unique names and ids, connections between existing nodes, known node types', () => {
			expect(typeof wf.name).toBe('string');
			const names = wf.nodes.map((n) => n.name);
			expect(new Set(names).size).toBe(names.length);
			const ids = wf.nodes.map((n) => n.id);
			expect(new Set(ids).size).toBe(ids.length);
			for (const [source, byType] of Object.entries(wf.connections)) {
				expect(names).toContain(source);
				for (const outputs of Object.values(byType)) for (const targets of outputs ?? []) for (const t of targets) expect(names).toContain(t.node);
			}
			for (const node of wf.nodes) {
				expect(Array.isArray(node.position) && node.position.length === 2).toBe(true);
				const known = BUILT_IN_TYPES.has(node.type) || node.type.startsWith(`${PACKAGE_NAME}.`);
				if (!known) throw new Error(`${file}: node "${node.name}" has an unexpected type ${node.type}`);
			}
			expect(klingNodes(wf).length).toBeGreaterThan(0);
		});

		test('every Kling node: type and version exist, parameters exist, are shown and valid, required ones filled', () => {
			const problems: string[] = [];
			for (const node of klingNodes(wf)) {
				const description = loadDescription(node.type);
				expect(node.type).toBe(`${PACKAGE_NAME}.${description.name}`);
				const versions = Array.isArray(description.version) ? description.version : [description.version];
				expect(versions).toContain(node.typeVersion);
				const properties = description.polling ? [...description.properties, POLL_TIMES] : description.properties;
				problems.push(...new ParameterChecker(node, properties, description.name.endsWith('Tool')).checkAll());
			}
			expect(problems).toEqual([]);
		});

		test('Kling nodes use the credential "Kling AI account" of the node\'s credential type', () => {
			for (const node of klingNodes(wf)) {
				const description = loadDescription(node.type);
				const required = (description.credentials ?? []).filter((c) => c.required).map((c) => c.name);
				expect(Object.keys(node.credentials ?? {}).sort()).toEqual(required.sort());
				for (const ref of Object.values(node.credentials ?? {})) expect(ref.name).toBe(CREDENTIAL_NAME);
			}
		});

		test('connections leave Kling nodes only on outputs the node has', () => {
			for (const node of klingNodes(wf)) {
				const outputs = outputsOf(loadDescription(node.type), node.parameters);
				const used = wf.connections[node.name]?.main ?? [];
				const lastUsed = used.reduce((last, targets, index) => (targets.length ? index : last), -1);
				if (lastUsed >= outputs.length) throw new Error(`${file}: "${node.name}" connects output ${lastUsed} but has ${outputs.length}`);
			}
		});

		test('triggers have a webhook id; no Remove Duplicates step (not atomic under concurrency, so never offered as the guarantee)', () => {
			for (const node of wf.nodes) {
				if (node.type === `${PACKAGE_NAME}.klingAiTrigger`) expect(node.webhookId).toMatch(/^[0-9a-f-]{36}$/);
				expect(node.type).not.toBe('n8n-nodes-base.removeDuplicates');
			}
		});
	});

	test('the create example calls back to the trigger of the callback example (same webhook id), as a production URL', () => {
		const create = load('kling-create-text-to-video.json');
		const action = klingNodes(create).find((n) => n.type === `${PACKAGE_NAME}.klingAi`)!;
		expect(action.parameters.callback).toBe('trigger');
		const url = validateCallbackUrl(String(action.parameters.callbackUrl), { productionRun: true });
		expect(url.protocol).toBe('https:');
		const receiverFile = 'kling-callback-with-poll-fallback.json';
		if (!exampleFiles.includes(receiverFile)) return;
		const trigger = load(receiverFile).nodes.find((n) => n.type === `${PACKAGE_NAME}.klingAiTrigger`)!;
		expect(url.pathname).toBe(`/webhook/${trigger.webhookId}/webhook`);
	});

	test('the poll trigger only takes tasks meant for the callback workflow: the create example sets the prefix it filters on', () => {
		const receiverFile = 'kling-callback-with-poll-fallback.json';
		if (!exampleFiles.includes(receiverFile)) return;
		const poll = load(receiverFile).nodes.find((n) => n.type === `${PACKAGE_NAME}.klingAiPollTrigger`)!;
		const prefix = String((poll.parameters.filters as Record<string, unknown>)?.externalTaskIdPrefix ?? '');
		expect(prefix).not.toBe('');
		const action = klingNodes(load('kling-create-text-to-video.json')).find((n) => n.type === `${PACKAGE_NAME}.klingAi`)!;
		const externalTaskId = String((action.parameters.options as Record<string, unknown>)?.externalTaskId ?? '');
		expect(externalTaskId.startsWith(`=${prefix}`) || externalTaskId.startsWith(prefix)).toBe(true);
		// A task another workflow waits for must not reach the poll trigger: the wait example uses no such prefix.
		const waitFile = 'kling-create-and-wait.json';
		if (exampleFiles.includes(waitFile)) {
			const waiting = klingNodes(load(waitFile)).find((n) => n.type === `${PACKAGE_NAME}.klingAi`)!;
			expect(String((waiting.parameters.options as Record<string, unknown>)?.externalTaskId ?? '')).not.toMatch(new RegExp(`^=?${prefix}`));
		}
	});

	test('the callback example: both triggers feed the same Succeeded and Failed steps', () => {
		const file = 'kling-callback-with-poll-fallback.json';
		if (!exampleFiles.includes(file)) return;
		const wf = load(file);
		const trigger = wf.nodes.find((n) => n.type === `${PACKAGE_NAME}.klingAiTrigger`)!;
		const poll = wf.nodes.find((n) => n.type === `${PACKAGE_NAME}.klingAiPollTrigger`)!;
		const targets = (node: ExampleNode) => (wf.connections[node.name]?.main ?? []).map((list) => list.map((c) => c.node).sort());
		expect(targets(trigger)).toEqual(targets(poll));
		for (const node of [trigger, poll]) {
			expect(outputsOf(loadDescription(node.type), node.parameters).map((o) => o.displayName).slice(0, 2)).toEqual(['Succeeded', 'Failed']);
		}
	});
});

describe('the AI Agent example (examples/kling-ai-agent-tool.json)', () => {
	const file = 'kling-ai-agent-tool.json';
	const wf = load(file);
	const tool = wf.nodes.find((n) => n.type === `${PACKAGE_NAME}.klingAiTool`)!;

	test('the Kling AI Tool feeds an AI Agent on its ai_tool input; a chat model feeds the same agent', () => {
		expect(exampleFiles).toContain(file);
		expect(tool).toBeDefined();
		const agent = wf.nodes.find((n) => n.type === '@n8n/n8n-nodes-langchain.agent')!;
		expect(wf.connections[tool.name]?.ai_tool).toEqual([[{ node: agent.name, type: 'ai_tool', index: 0 }]]);
		const model = wf.nodes.find((n) => n.type === '@n8n/n8n-nodes-langchain.lmChatOpenAi')!;
		expect(wf.connections[model.name]?.ai_languageModel).toEqual([[{ node: agent.name, type: 'ai_languageModel', index: 0 }]]);
		expect(outputsOf(loadDescription(tool.type), tool.parameters)).toHaveLength(1);
	});

	test('the model fills the prompt with $fromAI(); the tool waits by polling (a callback cannot pause an agent)', () => {
		expect(String(tool.parameters.prompt)).toMatch(/^=\{\{ \$fromAI\('prompt', /);
		expect(tool.parameters.waitForCompletion).toBe('poll');
	});

	test('tool-only parameters are shown for the tool variant and hidden for the plain node', () => {
		const description = loadDescription(`${PACKAGE_NAME}.klingAiTool`);
		const withDescription = { ...tool.parameters, toolDescription: 'Make videos', toolIncludeRaw: false };
		expect(new ParameterChecker({ ...tool, parameters: withDescription }, description.properties, true).checkAll()).toEqual([]);
		const plain = loadDescription(`${PACKAGE_NAME}.klingAi`);
		expect(new ParameterChecker({ ...tool, type: `${PACKAGE_NAME}.klingAi`, parameters: withDescription }, plain.properties).checkAll().join('\n')).toMatch(
			/"toolDescription" exists but is hidden/,
		);
	});
});

describe('the parameter checker itself', () => {
	// Guards against a checker that passes everything.
	const description = loadDescription(`${PACKAGE_NAME}.klingAi`);
	const base: ExampleNode = {
		id: 'x',
		name: 'Kling AI',
		type: `${PACKAGE_NAME}.klingAi`,
		typeVersion: 1,
		position: [0, 0],
		parameters: { resource: 'video', operation: 'textToVideo', prompt: 'a fox', model: 'kling-v2-5-turbo', aspectRatio: '16:9', callback: 'none', options: {} },
	};
	const check = (parameters: Record<string, unknown>) => new ParameterChecker({ ...base, parameters }, description.properties).checkAll();

	test('accepts a valid Text to Video node', () => {
		expect(check(base.parameters)).toEqual([]);
	});
	test('rejects an unknown parameter, a wrong option value, a hidden parameter, an empty required field', () => {
		expect(check({ ...base.parameters, promt: 'typo' }).join('\n')).toMatch(/no parameter "promt"/);
		expect(check({ ...base.parameters, aspectRatio: '4:3' }).join('\n')).toMatch(/"4:3" is not an option/);
		expect(check({ ...base.parameters, callbackUrl: 'https://x.test/webhook/a/webhook' }).join('\n')).toMatch(/"callbackUrl" exists but is hidden/);
		expect(check({ ...base.parameters, callback: 'trigger' }).join('\n')).toMatch(/required parameter "callbackUrl"/);
		expect(check({ ...base.parameters, options: { notAnOption: 1 } }).join('\n')).toMatch(/no parameter "notAnOption"/);
	});
});

/**
 * The editor's zoom-to-fit puts the workflow's bounding box in the viewport and draws the "Execute workflow"
 * button over its bottom centre. A node there has its name hidden (seen on screen with the receive-results
 * example in n8n 2.40). Nodes count as 100×140 (icon + name), stickies by their size.
 */
describe('layout after zoom-to-fit', () => {
	const BUTTON_HALF_WIDTH = 200;
	const BOTTOM_BAND = 150;
	const box = (n: ExampleNode) =>
		n.type === 'n8n-nodes-base.stickyNote'
			? { x: n.position[0], y: n.position[1], w: Number(n.parameters.width ?? 240), h: Number(n.parameters.height ?? 160) }
			: { x: n.position[0], y: n.position[1], w: 100, h: 140 };
	function coveredNodes(wf: ExampleWorkflow): string[] {
		const boxes = wf.nodes.map((n) => ({ n, ...box(n) }));
		const cx = (Math.min(...boxes.map((b) => b.x)) + Math.max(...boxes.map((b) => b.x + b.w))) / 2;
		const bottom = Math.max(...boxes.map((b) => b.y + b.h));
		return boxes
			.filter((b) => b.n.type !== 'n8n-nodes-base.stickyNote')
			.filter((b) => b.x < cx + BUTTON_HALF_WIDTH && b.x + b.w > cx - BUTTON_HALF_WIDTH && b.y + b.h > bottom - BOTTOM_BAND)
			.map((b) => b.n.name);
	}
	test('the receive-results example keeps every node name clear of the Execute button', () => {
		expect(coveredNodes(load('kling-callback-with-poll-fallback.json'))).toEqual([]);
	});
	test('the check flags the old layout (Poll Trigger at the bottom centre)', () => {
		const wf = load('kling-callback-with-poll-fallback.json');
		const old = { ...wf, nodes: wf.nodes.map((n) => (n.type === 'n8n-nodes-base.stickyNote' ? { ...n, position: [n.name === 'How this works' ? -560 : 220, -520] as [number, number], parameters: { ...n.parameters, height: 500 } } : n)) };
		expect(coveredNodes(old)).toEqual(['Kling AI Poll Trigger']);
	});
});
