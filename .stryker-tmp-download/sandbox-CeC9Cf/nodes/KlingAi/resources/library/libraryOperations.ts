/**
 * The Library resource besides its two create tasks: list custom / preset voices and elements, delete them,
 * and the older synchronous element create (kling-api-2026.md b.10, b.11; DOC-26 L6189–6380, L6731–6915;
 * DOC-CN custom-elements.md). Domain logic (paths, paging, shapes, the delete-path fallback) is in
 * shared/library.ts; this file only reads parameters.
 */
// @ts-nocheck

import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { resolveMediaInput, resolveMediaList, mediaInputProperties, mediaListProperty } from '../../shared/inputs';
import { LIBRARY_LISTS, LIBRARY_MAX_PAGE_NUM, createLegacyElement, deleteElement, deleteVoice, listLibrary, type LibraryList } from '../../shared/library';
import { fieldError, options, readIdList, readLimit, returnAllProperties, str } from '../fields';
import type { SyncOperation } from '../types';
import { FRONTAL_IMAGE, REFER_IMAGES, elementNameProperties, elementTagsOption, readElementBasics } from './createElement';

/** Operations that answer several items (one per voice / element); routed by execute.ts. */
export const LIBRARY_LIST_OPERATIONS: INodePropertyOptions[] = [
	{ name: 'List Voices', value: 'listVoices', action: 'List voices', description: 'List your custom voices or Kling\'s preset voices, one item per voice' },
	{ name: 'List Elements', value: 'listElements', action: 'List elements', description: 'List your custom elements or Kling\'s preset elements, one item per element' },
];

const show = (operation: string) => ({ show: { resource: ['library'], operation: [operation] } });

function sourceProperty(operation: string): INodeProperties {
	return {
		displayName: 'Source',
		name: 'librarySource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Custom (Mine)', value: 'custom', description: 'The ones this account created' },
			{ name: 'Kling Presets', value: 'preset', description: "Kling's official library" },
		],
		default: 'custom',
		displayOptions: show(operation),
	};
}

export const libraryListProperties: INodeProperties[] = [
	sourceProperty('listVoices'),
	...returnAllProperties(show('listVoices').show),
	sourceProperty('listElements'),
	{
		displayName: 'Element API',
		name: 'elementApi',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Advanced (Since 02/2026)', value: 'advanced', description: 'Elements made by Create Element (advanced-custom-elements)' },
			{ name: 'Older Synchronous API', value: 'legacy', description: 'Elements made by Create Element (Older API) (custom-elements)' },
		],
		default: 'advanced',
		description: 'Kling keeps the two element APIs apart: each lists only its own elements',
		displayOptions: show('listElements'),
	},
	...returnAllProperties(show('listElements').show),
];

function listOf(ctx: IExecuteFunctions, i: number, operation: string): LibraryList {
	const source = str(ctx, 'librarySource', i, 'custom');
	if (source !== 'custom' && source !== 'preset') throw fieldError(ctx, i, 'Source', `has an unknown value "${source}"`);
	if (operation === 'listVoices') return source === 'custom' ? 'customVoices' : 'presetVoices';
	const api = str(ctx, 'elementApi', i, 'advanced');
	if (api !== 'advanced' && api !== 'legacy') throw fieldError(ctx, i, 'Element API', `has an unknown value "${api}"`);
	if (api === 'legacy') return source === 'custom' ? 'legacyElements' : 'legacyPresetElements';
	return source === 'custom' ? 'customElements' : 'presetElements';
}

/** List Voices / List Elements: one item per voice or element, Return All or up to Limit. */
export async function executeLibraryList(ctx: IExecuteFunctions, operation: string, i: number): Promise<INodeExecutionData[]> {
	const list = listOf(ctx, i, operation);
	const limit = readLimit(ctx, i, LIBRARY_LISTS[list].maxPageSize * LIBRARY_MAX_PAGE_NUM);
	const entries = await listLibrary(ctx, list, limit, i);
	return entries.map((entry) => ({ json: entry as unknown as IDataObject, pairedItem: { item: i } }));
}

// ------------------------------------------------------------------ deletes and the older element create

export const deleteVoiceOperation: SyncOperation = {
	resource: 'library',
	value: 'deleteVoice',
	name: 'Delete Voice',
	action: 'Delete a custom voice',
	description: 'Delete one of your custom voices (preset voices cannot be deleted)',
	properties: [
		{
			displayName: 'Voice ID',
			name: 'voiceId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. 850087542757535834',
			description: 'The voice_id of the custom voice (voices[0].voiceId of Create Voice, or List Voices)',
		},
	],
	async execute(ctx, i) {
		const voiceId = readId(ctx, i, 'Voice ID', 'voiceId', false);
		return { voiceId, ...(await deleteVoice(ctx, voiceId, i)) };
	},
};

export const deleteElementOperation: SyncOperation = {
	resource: 'library',
	value: 'deleteElement',
	name: 'Delete Element',
	action: 'Delete a custom element',
	description: 'Delete one of your custom elements (either element API; preset elements cannot be deleted)',
	properties: [
		{
			displayName: 'Element ID',
			name: 'elementId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. 829836802793406551',
			description: 'The element_id (elements[0].elementId of Create Element, or List Elements). Pass it as text: 64-bit IDs lose digits as numbers.',
		},
	],
	async execute(ctx, i) {
		const elementId = readId(ctx, i, 'Element ID', 'elementId', true);
		return { elementId, ...(await deleteElement(ctx, elementId, i)) };
	},
};

/** One id: a number that already lost digits (> 2^53) is refused; element ids must be whole numbers. */
function readId(ctx: IExecuteFunctions, i: number, field: string, parameter: string, integer: boolean): string {
	const ids = readIdList(ctx, i, field, ctx.getNodeParameter(parameter, i, ''), 1, { integer });
	if (!ids) throw fieldError(ctx, i, field, 'is required');
	return ids[0];
}

const legacyShow = { resource: ['library'], operation: ['createElementLegacy'] };

export const createElementLegacy: SyncOperation = {
	resource: 'library',
	value: 'createElementLegacy',
	name: 'Create Element (Older API)',
	action: 'Create an element with the older element API',
	description: 'Create an element at once with Kling\'s older synchronous element API (custom-elements): a frontal image and 1 to 3 more',
	properties: [
		...elementNameProperties(),
		...mediaInputProperties(FRONTAL_IMAGE),
		mediaListProperty(REFER_IMAGES),
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			displayOptions: { show: legacyShow },
			options: [elementTagsOption],
		},
	],
	async execute(ctx, i) {
		const body = readElementBasics(ctx, i, options(ctx, i));
		const frontal = await resolveMediaInput(ctx, i, FRONTAL_IMAGE);
		if (!frontal) throw fieldError(ctx, i, 'Frontal Image', 'is required');
		const refer = await resolveMediaList(ctx, i, REFER_IMAGES);
		body.element_frontal_image = frontal.value;
		body.element_refer_list = refer.map((r) => ({ image_url: r.value }));
		// Keep Kling's field order of the docs: name, description, frontal image, refer list, tags.
		const { tag_list: tags, ...rest } = body;
		return { ...(await createLegacyElement(ctx, tags ? { ...rest, tag_list: tags } : rest, i)) } as unknown as IDataObject;
	},
};

export const LIBRARY_SYNC_OPERATIONS: readonly SyncOperation[] = [createElementLegacy, deleteVoiceOperation, deleteElementOperation];
