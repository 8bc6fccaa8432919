/**
 * How n8n 2.40's node creator (editor-ui `features/shared/nodeCreator`) will list our three nodes, derived
 * from the codex files and the descriptions with the editor's own rules:
 * - `useViewStacks.filterOutAiNodes`: outside the AI panel, search drops every node whose codex categories
 *   contain "AI" unless `subcategories.AI` contains "Root Nodes" ("what happens next?" and the first step).
 * - `useActionsGeneration.modeCategory`: for a node in category "AI", every option of the first parameter named
 *   `mode` becomes an extra action ("Standard", "Professional" from our video `mode`).
 * - `generateMergedNodesAndActions`: `klingAiTrigger` is merged into the `klingAi` entry, which then shows the
 *   trigger's description.
 * - search keys (`sublimeSearch`): displayName and codex.alias.
 * The real editor is driven by test/e2e/editor.e2e.test.ts; this file keeps the invariants next to the code.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { INodeProperties, INodePropertyOptions, INodeTypeDescription } from 'n8n-workflow';
import { KlingAi } from '../../nodes/KlingAi/KlingAi.node';
import { KlingAiPollTrigger } from '../../nodes/KlingAi/KlingAiPollTrigger.node';
import { KlingAiTrigger } from '../../nodes/KlingAi/KlingAiTrigger.node';

interface Codex {
	node: string;
	categories: string[];
	subcategories?: Record<string, string[]>;
	alias?: string[];
}
const codexOf = (file: string): Codex => JSON.parse(readFileSync(join(__dirname, '../../nodes/KlingAi', file), 'utf8')) as Codex;

const NODES: Array<[string, INodeTypeDescription, Codex]> = [
	['Kling AI', new KlingAi().description, codexOf('KlingAi.node.json')],
	['Kling AI Trigger', new KlingAiTrigger().description, codexOf('KlingAiTrigger.node.json')],
	['Kling AI Poll Trigger', new KlingAiPollTrigger().description, codexOf('KlingAiPollTrigger.node.json')],
];

/** useViewStacks.filterOutAiNodes (n8n 2.40): true when the node survives search outside the AI panel. */
function visibleInNormalSearch(codex: Codex): boolean {
	if (!codex.categories.includes('AI')) return true;
	return codex.subcategories?.AI?.includes('Root Nodes') === true;
}

/** useActionsGeneration: resourceCategories + modeCategory for a node with a `resource` parameter. */
function generatedActions(description: INodeTypeDescription, codex: Codex): string[] {
	const props = description.properties;
	const resource = props.find((p) => p.name === 'resource');
	const actions: string[] = [];
	for (const r of (resource?.options ?? []) as INodePropertyOptions[]) {
		const ops = props.find((p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes(r.value));
		for (const o of (ops?.options ?? []) as INodePropertyOptions[]) actions.push(o.action ?? `${r.name} ${o.name}`);
	}
	if (codex.categories.includes('AI')) {
		const mode = props.find((p: INodeProperties) => p.name.toLowerCase() === 'mode');
		for (const o of (mode?.options ?? []) as INodePropertyOptions[]) actions.push(o.action ?? o.name);
	}
	return actions;
}

const searchable = (description: INodeTypeDescription, codex: Codex) => [description.displayName, ...(codex.alias ?? [])].join(' | ').toLowerCase();

describe('node creator (n8n 2.40 rules)', () => {
	it.each(NODES)('%s: codex names the node and is found by normal search (not filtered as an AI sub-node)', (_name, description, codex) => {
		expect(codex.node).toBe(`n8n-nodes-kling-ai.${description.name}`);
		expect(codex.categories.length).toBeGreaterThan(0);
		expect(visibleInNormalSearch(codex)).toBe(true);
		// Not in category AI at all: that category also turns `mode` into actions and files the node as a sub-node.
		expect(codex.categories).not.toContain('AI');
	});

	it.each(NODES)('%s: "Kling", "Kolors" and "text to video" find it', (_name, description, codex) => {
		for (const term of ['kling', 'kolors', 'text to video']) expect(searchable(description, codex)).toContain(term);
	});

	it('the action list is exactly the operations (no "Standard"/"Professional" from the mode parameter)', () => {
		const [, description, codex] = NODES[0];
		const actions = generatedActions(description, codex);
		const operations = description.properties
			.filter((p) => p.name === 'operation')
			.flatMap((p) => (p.options ?? []) as INodePropertyOptions[]);
		expect(actions).toHaveLength(operations.length);
		expect(actions).not.toContain('Standard');
		expect(actions).not.toContain('Professional');
		expect(new Set(actions).size).toBe(actions.length);
		// The same rule with the old codex (category AI) adds the mode options: proves what this test guards.
		expect(generatedActions(description, { ...codex, categories: ['AI'] }).length).toBeGreaterThan(operations.length);
	});

	it('the merged "Kling AI" entry shows the trigger description, so that text describes the whole package', () => {
		const trigger = NODES[1][1];
		expect(trigger.name.replace('Trigger', '')).toBe(NODES[0][1].name); // n8n merges by this rule
		expect(trigger.description).toMatch(/video/i);
		expect(trigger.description).toMatch(/image/i);
		expect(trigger.description).toMatch(/callback|finish/i);
	});

	it('the action node stays usable as an AI Agent tool (n8n makes "Kling AI Tool" with its own AI/Tools codex)', () => {
		expect(NODES[0][1].usableAsTool).toBe(true);
		expect(NODES[0][1].group).not.toContain('trigger');
	});

	it('actions read as English sentences ("Get an image task")', () => {
		const actions = generatedActions(NODES[0][1], NODES[0][2]);
		expect(actions).toContain('Get an image task');
		expect(actions).toContain('Get a video task');
		expect(actions.filter((a) => /\ba [aeiou]/i.test(a))).toEqual([]);
	});
});
