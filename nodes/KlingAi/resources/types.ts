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
	 * The request body without callback_url/external_task_id (added by the node). Validates the
	 * parameters first and throws a NodeOperationError naming the field; makes no request.
	 */
	buildBody(ctx: IExecuteFunctions, itemIndex: number): Promise<IDataObject>;
	/** Default "Time Limit" of Wait for Completion, minutes. */
	defaultWaitMinutes: number;
}
