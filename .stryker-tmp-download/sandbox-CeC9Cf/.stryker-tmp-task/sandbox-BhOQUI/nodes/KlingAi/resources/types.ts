// @ts-nocheck
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { KlingResource, KlingTaskType } from '../shared/endpoints';

/**
 * One "create a task" operation. A description file exports one of these; the registry
 * (resources/index.ts) turns it into the operation option, its parameters, its Options
 * collection and the body it sends. Adding an endpoint = one ENDPOINTS row + one such file.
 */
export interface CreateOperation {
	resource: KlingResource;
	/** Operation value (camelCase). */
	value: string;
	/** Option label ("Text to Video"). */
	name: string;
	/** Action text shown in the node picker and to AI agents ("Generate a video from a text prompt"). */
	action: string;
	description: string;
	taskType: KlingTaskType;
	/** Top-level parameters of the operation (displayOptions for resource/operation are added by the registry). */
	properties: INodeProperties[];
	/** Entries of the operation's "Options" collection (External Task ID is added by the registry). */
	options: INodeProperties[];
	/**
	 * The request body without callback_url/external_task_id (added by the node). Validates ALL the
	 * parameters first and throws a NodeOperationError naming the field; the only requests it may make
	 * come after that: synchronous preparation steps Kling documents for the family (e.g. Lip Sync runs
	 * identify-face when no session is given).
	 */
	buildBody(ctx: IExecuteFunctions, itemIndex: number): Promise<IDataObject>;
	/** Default "Time Limit" of Wait for Completion, minutes. */
	defaultWaitMinutes: number;
}

/**
 * One synchronous Kling call offered as an operation (no task: e.g. Identify Face). The registry
 * shows it next to the create operations; execute() returns one item per input item.
 */
export interface SyncOperation {
	resource: KlingResource;
	value: string;
	name: string;
	action: string;
	description: string;
	/** Top-level parameters (displayOptions for resource/operation are added by the registry). */
	properties: INodeProperties[];
	/** Validates the parameters (NodeOperationError naming the field) before its request. */
	execute(ctx: IExecuteFunctions, itemIndex: number): Promise<IDataObject>;
}
