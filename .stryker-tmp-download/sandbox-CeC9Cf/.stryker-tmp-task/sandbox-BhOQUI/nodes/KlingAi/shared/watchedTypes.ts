/**
 * "Watch Task Types: Created by This Workflow" of the Kling AI Poll Trigger: which task types the Kling AI
 * nodes of a workflow can create, from their resource / operation / model / API Standard parameters. Pure
 * (the node passes the workflow's nodes in), so the mapping is unit-tested.
 */
// @ts-nocheck

import { isNsFamily, decideStandard, type ApiStandardChoice } from './newStandard';
import { TASK_TYPES, type KlingTaskType } from './endpoints';

/** What the poll trigger sees of a workflow node. */
export interface WorkflowNodeInfo {
	type: string;
	disabled?: boolean;
	parameters?: Record<string, unknown>;
}

/** A create operation: its (resource, operation) → legacy task type. Passed in to keep this file free of resources/. */
export type CreateLookup = (resource: string, operation: string) => KlingTaskType | undefined;
/** The operation a resource shows when its parameter was left at the default (and so is not saved). */
export type DefaultOperationLookup = (resource: string) => string | undefined;

const isKlingActionNode = (type: string): boolean => /(^|\.)klingAi(Tool)?$/.test(type);
const isExpression = (v: unknown): boolean => typeof v === 'string' && v.startsWith('=');

/**
 * The task types the workflow's Kling AI nodes create; undefined when none was found (the caller then watches
 * every type rather than nothing). A parameter given as an expression counts as "could be anything": for
 * resource/operation every type, for the model or API Standard both standards of the operation.
 */
export function taskTypesCreatedBy(
	nodes: readonly WorkflowNodeInfo[],
	createTypeOf: CreateLookup,
	defaultOperationOf: DefaultOperationLookup,
): KlingTaskType[] | undefined {
	const types = new Set<KlingTaskType>();
	let found = false;
	for (const node of nodes) {
		if (node.disabled || !isKlingActionNode(node.type)) continue;
		const p = node.parameters ?? {};
		// n8n leaves default values out of saved parameters: fill the node's defaults.
		const resource = p.resource ?? 'video';
		if (isExpression(resource)) return [...TASK_TYPES];
		const operation = p.operation ?? defaultOperationOf(String(resource));
		if (operation === undefined) continue;
		if (isExpression(operation)) return [...TASK_TYPES];
		const legacy = createTypeOf(String(resource), String(operation));
		if (!legacy) continue; // Get Task, List Tasks, sync calls, account: they create nothing
		found = true;
		const op = String(operation);
		if (!isNsFamily(op)) {
			types.add(legacy);
			continue;
		}
		const model = p.model === 'custom' ? p.customModel : p.model;
		const choice = (p.apiStandard ?? 'legacy') as ApiStandardChoice;
		// A missing model is the operation's default model (saved workflows omit defaults): never new-standard only.
		if (model === undefined && choice === 'legacy') {
			types.add(legacy);
			continue;
		}
		if (model === undefined || isExpression(model) || isExpression(choice)) {
			types.add(legacy);
			types.add('newStandard');
			continue;
		}
		// "Auto" depends on the credential, which the trigger does not read: both.
		const decisions = choice === 'auto' ? (['accessKey', 'apiKey'] as const).map((m) => decideStandard(op, String(model), 'auto', m)) : [decideStandard(op, String(model), choice, 'accessKey')];
		// decideStandard with a newOnly model ignores the credential: an access-key credential fails at create.
		for (const d of decisions) types.add(d.standard === 'new' ? 'newStandard' : legacy);
	}
	return found ? TASK_TYPES.filter((t) => types.has(t)) : undefined;
}
