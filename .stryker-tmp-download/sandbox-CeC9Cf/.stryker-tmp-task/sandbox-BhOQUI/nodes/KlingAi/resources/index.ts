/**
 * The operation registry: resource → operation → {task type, parameters, body builder}.
 * The node file only composes what is exported here.
 */
// @ts-nocheck

import { updateDisplayOptions, type INodeProperties, type INodePropertyOptions, type NodeHint } from 'n8n-workflow';
import { ENDPOINTS, RESOURCE_LABELS, type KlingResource } from '../shared/endpoints';
import { textToAudio } from './audio/textToAudio';
import { textToSpeech } from './audio/textToSpeech';
import { videoToAudio } from './audio/videoToAudio';
import { aiMultiShot } from './image/aiMultiShot';
import { imageRecognize } from './image/imageRecognize';
import { multiImageToImage } from './image/multiImageToImage';
import { omniImage } from './image/omniImage';
import { billingExportProperties, billingOperationOptions } from './account/billingExports';
import { getResourcePacksProperties } from './account/getResourcePacks';
import { callbackProperties, externalTaskIdOption } from './create';
import { expandImage } from './image/expandImage';
import { generateImage } from './image/generateImage';
import { virtualTryOn } from './image/virtualTryOn';
import { createElement } from './library/createElement';
import { createVoice } from './library/createVoice';
import { LIBRARY_LIST_OPERATIONS, LIBRARY_SYNC_OPERATIONS, libraryListProperties } from './library/libraryOperations';
import { getTaskProperties, listTasksProperties } from './task/taskOperations';
import type { CreateOperation, SyncOperation } from './types';
import { applyEffect } from './video/applyEffect';
import { extendVideo } from './video/extendVideo';
import { imageToVideo } from './video/imageToVideo';
import { advancedLipSync, identifyFace } from './video/advancedLipSync';
import { avatar } from './video/avatar';
import { lipSync } from './video/lipSync';
import { motionControl } from './video/motionControl';
import { multiElementEdit, multiElementSelection } from './video/multiElements';
import { omniVideo } from './video/omniVideo';
import { multiImageToVideo } from './video/multiImageToVideo';
import { textToVideo } from './video/textToVideo';

export type { CreateOperation, SyncOperation } from './types';

/** Every create operation; a new endpoint's description file is added here. */
export const CREATE_OPERATIONS: readonly CreateOperation[] = [
	textToVideo,
	imageToVideo,
	multiImageToVideo,
	extendVideo,
	advancedLipSync,
	lipSync,
	applyEffect,
	omniVideo,
	motionControl,
	avatar,
	multiElementEdit,
	generateImage,
	expandImage,
	virtualTryOn,
	omniImage,
	multiImageToImage,
	aiMultiShot,
	textToAudio,
	videoToAudio,
	createVoice,
	createElement,
];

/** Synchronous calls offered as operations (no task). */
export const SYNC_OPERATIONS: readonly SyncOperation[] = [identifyFace, multiElementSelection, textToSpeech, imageRecognize, ...LIBRARY_SYNC_OPERATIONS];

/** Resources with tasks (Get Task / List Tasks); the order of the node's resource list. */
export const TASK_RESOURCES: readonly KlingResource[] = ['video', 'image', 'audio', 'library'];

export function findSyncOperation(resource: string, operation: string): SyncOperation | undefined {
	return SYNC_OPERATIONS.find((o) => o.resource === resource && o.value === operation);
}

export function findCreateOperation(resource: string, operation: string): CreateOperation | undefined {
	return CREATE_OPERATIONS.find((o) => o.resource === resource && o.value === operation);
}

const byName = (a: INodePropertyOptions, b: INodePropertyOptions) => a.name.localeCompare(b.name);

function taskReadOptions(resource: KlingResource): INodePropertyOptions[] {
	const noun = RESOURCE_LABELS[resource].toLowerCase();
	const article = resource === 'image' || resource === 'audio' ? 'an' : 'a';
	return [
		{
			name: 'Get Task',
			value: 'getTask',
			action: `Get ${article} ${noun} task`,
			description: `Get the status and results of one ${noun} task by task ID or external task ID`,
		},
		{
			name: 'List Tasks',
			value: 'listTasks',
			action: `List ${noun} tasks`,
			description: `List ${noun} tasks of one task type, newest first`,
		},
	];
}

/** The operation a resource starts on (saved workflows omit it when it is left at this default). */
export const DEFAULT_OPERATIONS: Readonly<Record<KlingResource | 'account', string>> = {
	video: 'textToVideo',
	image: 'generateImage',
	audio: 'textToSpeech',
	library: 'createVoice',
	account: 'getResourcePacks',
};

function operationProperty(resource: KlingResource, defaultOperation: string, extra: INodePropertyOptions[] = []): INodeProperties {
	const creates = [...CREATE_OPERATIONS, ...SYNC_OPERATIONS].filter((o) => o.resource === resource).map((o) => ({
		name: o.name,
		value: o.value,
		action: o.action,
		description: o.description,
	}));
	return {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [resource] } },
		options: [...creates, ...extra, ...taskReadOptions(resource)].sort(byName),
		default: defaultOperation,
	};
}

/**
 * Canvas subtitle: the operation's readable name ("Text to Video", "Get Image Task") instead of raw values.
 * An object literal in parentheses, so the expression never contains "}}" before its end.
 */
export function operationSubtitle(): string {
	const labels: Record<string, string> = { 'account:getResourcePacks': 'Get Resource Packs' };
	for (const op of [...CREATE_OPERATIONS, ...SYNC_OPERATIONS]) labels[`${op.resource}:${op.value}`] = op.name;
	for (const op of LIBRARY_LIST_OPERATIONS) labels[`library:${String(op.value)}`] = op.name;
	for (const op of billingOperationOptions) labels[`account:${String(op.value)}`] = op.name;
	for (const resource of TASK_RESOURCES) {
		const noun = RESOURCE_LABELS[resource];
		labels[`${resource}:getTask`] = `Get ${noun} Task`;
		labels[`${resource}:listTasks`] = `List ${noun} Tasks`;
	}
	return `={{ (${JSON.stringify(labels)})[$parameter["resource"] + ":" + $parameter["operation"]] || $parameter["operation"] }}`;
}

/** Output-pane hint after a create ran with "Don't Wait": the item says submitted, and no file came. */
export function dontWaitHint(): NodeHint {
	const creates = JSON.stringify(CREATE_OPERATIONS.map((o) => o.value));
	return {
		message:
			"Kling accepted the task (status submitted); its result is not ready yet. To get it in this workflow, set <b>Wait for Completion</b> (e.g. Poll Until Finished), or fetch it later with the Get Task operation, a Kling AI Trigger or the Kling AI Poll Trigger.",
		type: 'info',
		location: 'outputPane',
		whenToDisplay: 'afterExecution',
		displayCondition: `={{ ${creates}.includes($parameter["operation"]) && ($parameter["waitForCompletion"] || "dontWait") === "dontWait" }}`,
	};
}

const resourceProperty: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	options: [
		{ name: 'Account', value: 'account', description: 'Resource packs and remaining credits' },
		{ name: 'Audio', value: 'audio', description: 'Text to speech, sound effects and sound for videos' },
		{ name: 'Image', value: 'image', description: 'Generate, expand and try on images' },
		{ name: 'Library', value: 'library', description: 'Custom and preset voices and elements: create, list, delete' },
		{ name: 'Video', value: 'video', description: 'Generate, extend, lip-sync and add effects to videos' },
	],
	default: 'video',
};

const accountOperation: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['account'] } },
	options: [
		{
			name: 'Get Resource Packs',
			value: 'getResourcePacks',
			action: 'Get resource packs',
			description: 'Get the resource packs of the account with their remaining quantity (/account/costs)',
		},
		...billingOperationOptions,
	].sort(byName),
	default: 'getResourcePacks',
};

function showFor(op: CreateOperation | SyncOperation) {
	return { show: { resource: [op.resource], operation: [op.value] } };
}

/** The Options collection of a create operation: its own optional fields + External Task ID, sorted. */
function optionsCollection(op: CreateOperation): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: showFor(op),
		options: [...op.options, ...(ENDPOINTS[op.taskType].externalTaskId ? [externalTaskIdOption] : [])].sort((a, b) =>
			a.displayName.localeCompare(b.displayName),
		),
	};
}

/** Extra top-level parameters every create operation gets (wait settings are added by the node). */
export interface ComposeExtras {
	createCommon?: INodeProperties[];
}

export function composeProperties(extras: ComposeExtras = {}): INodeProperties[] {
	return [
		resourceProperty,
		operationProperty('video', DEFAULT_OPERATIONS.video),
		operationProperty('image', DEFAULT_OPERATIONS.image),
		operationProperty('audio', DEFAULT_OPERATIONS.audio),
		operationProperty('library', DEFAULT_OPERATIONS.library, LIBRARY_LIST_OPERATIONS),
		accountOperation,
		...CREATE_OPERATIONS.flatMap((op) => updateDisplayOptions(showFor(op), op.properties)),
		...SYNC_OPERATIONS.flatMap((op) => updateDisplayOptions(showFor(op), op.properties)),
		// Wait for Completion first: the callback destination below it is shown only for "Don't Wait".
		...(extras.createCommon ?? []),
		...callbackProperties(CREATE_OPERATIONS),
		...CREATE_OPERATIONS.map(optionsCollection),
		...TASK_RESOURCES.flatMap((resource) => [...getTaskProperties(resource), ...listTasksProperties(resource)]),
		...libraryListProperties,
		...getResourcePacksProperties,
		...billingExportProperties,
	];
}
