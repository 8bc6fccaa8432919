/**
 * Create Element: an advanced custom element from images or one video (kling-api-2026.md b.11; DOC-26 L6461–6657).
 * Limits from the docs: name ≤ 20, description ≤ 100 characters; image_refer = one frontal image + 1–3 other
 * images (JPG/PNG ≤ 10 MB, ≥ 300 px, 1:2.5–2.5:1 — checked here for base64/binary inputs); video_refer = one
 * MP4/MOV URL (3–8 s, 1080p, 16:9 or 9:16, ≤ 200 MB — Kling checks these, the node cannot without downloading it).
 */
// @ts-nocheck

import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { mediaInputProperties, mediaListProperty, resolveMediaInput, resolveMediaList, type MediaInputSpec, type MediaListSpec } from '../../shared/inputs';
import type { CreateOperation } from '../types';
import { readUrl } from './createVoice';
import { checkMaxLength, fieldError, options, optString, str } from '../fields';

export const MAX_ELEMENT_NAME = 20;
export const MAX_ELEMENT_DESCRIPTION = 100;

export const FRONTAL_IMAGE: MediaInputSpec = { name: 'frontalImage', displayName: 'Frontal Image', kind: 'image', description: 'The element seen from the front.' };
export const REFER_IMAGES: MediaListSpec = {
	name: 'referImages',
	entryName: 'image',
	displayName: 'Other Reference Images',
	entryDisplayName: 'Reference Image',
	kind: 'image',
	min: 1,
	max: 3,
	description: '1 to 3 more images of the element from other angles or close up (JPG/JPEG/PNG up to 10 MB)',
};

/** Kling's element tags (DOC-26 L6560). */
export const ELEMENT_TAGS = [
	{ name: 'Hottest', value: 'o_101' },
	{ name: 'Character', value: 'o_102' },
	{ name: 'Animal', value: 'o_103' },
	{ name: 'Item', value: 'o_104' },
	{ name: 'Costume', value: 'o_105' },
	{ name: 'Scene', value: 'o_106' },
	{ name: 'Effect', value: 'o_107' },
	{ name: 'Others', value: 'o_108' },
] as const;

/** Name, description and tags: the fields both element APIs share. */
export function elementNameProperties(): INodeProperties[] {
	return [
		{
			displayName: 'Element Name',
			name: 'elementName',
			type: 'string',
			default: '',
			required: true,
			description: `Name of the element (element_name), at most ${MAX_ELEMENT_NAME} characters`,
		},
		{
			displayName: 'Element Description',
			name: 'elementDescription',
			type: 'string',
			default: '',
			required: true,
			description: `What the element is (element_description), at most ${MAX_ELEMENT_DESCRIPTION} characters`,
		},
	];
}

export const elementTagsOption: INodeProperties = {
	displayName: 'Tags',
	name: 'tags',
	type: 'multiOptions',
	options: [...ELEMENT_TAGS],
	default: [],
	description: 'Tags of the element (tag_list)',
};

/** element_name, element_description and tag_list, checked. */
export function readElementBasics(ctx: IExecuteFunctions, i: number, opts: IDataObject): IDataObject {
	const name = str(ctx, 'elementName', i).trim();
	if (!name) throw fieldError(ctx, i, 'Element Name', 'is required');
	checkMaxLength(ctx, i, 'Element Name', name, MAX_ELEMENT_NAME);
	const description = str(ctx, 'elementDescription', i).trim();
	if (!description) throw fieldError(ctx, i, 'Element Description', 'is required');
	checkMaxLength(ctx, i, 'Element Description', description, MAX_ELEMENT_DESCRIPTION);
	const body: IDataObject = { element_name: name, element_description: description };
	const tags = (Array.isArray(opts.tags) ? opts.tags : []).map(String);
	const known: readonly string[] = ELEMENT_TAGS.map((t) => t.value);
	for (const tag of tags) if (!known.includes(tag)) throw fieldError(ctx, i, 'Tags', `has an unknown tag "${tag}"`, `Kling's tags: ${known.join(', ')}.`);
	if (tags.length) body.tag_list = tags.map((tag_id) => ({ tag_id }));
	return body;
}

async function buildBody(ctx: IExecuteFunctions, i: number): Promise<IDataObject> {
	const opts = options(ctx, i);
	const body = readElementBasics(ctx, i, opts);
	const referenceType = str(ctx, 'referenceType', i, 'image_refer');
	if (referenceType === 'image_refer') {
		const frontal = await resolveMediaInput(ctx, i, FRONTAL_IMAGE);
		if (!frontal) throw fieldError(ctx, i, 'Frontal Image', 'is required');
		const refer = await resolveMediaList(ctx, i, REFER_IMAGES);
		body.reference_type = referenceType;
		body.element_image_list = { frontal_image: frontal.value, refer_images: refer.map((r) => ({ image_url: r.value })) };
	} else if (referenceType === 'video_refer') {
		const url = readUrl(ctx, i, 'Reference Video URL', 'referVideoUrl');
		body.reference_type = referenceType;
		body.element_video_list = { refer_videos: [{ video_url: url }] };
	} else {
		throw fieldError(ctx, i, 'Reference Type', `has an unknown value "${referenceType}"`, 'Use Images (image_refer) or Video (video_refer).');
	}
	const voiceId = optString(opts, 'voiceId')?.trim();
	if (voiceId) body.element_voice_id = voiceId;
	return body;
}

const images = { referenceType: ['image_refer'] };

export const createElement: CreateOperation = {
	resource: 'library',
	value: 'createElement',
	name: 'Create Element',
	action: 'Create an element from images or a video',
	description: 'Create an advanced custom element (a character, animal, item …) from images or a short video; its element ID works in Image to Video, Omni Video and Motion Control',
	taskType: 'customElement',
	defaultWaitMinutes: 30,
	properties: [
		...elementNameProperties(),
		{
			displayName: 'Reference Type',
			name: 'referenceType',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'Images', value: 'image_refer', description: 'A multi-image element: one frontal image and 1 to 3 more' },
				{ name: 'Video', value: 'video_refer', description: 'A video character element: one 3–8 s video of a realistic person (a voice in it is cloned too)' },
			],
			default: 'image_refer',
			description: 'What defines the element (reference_type)',
		},
		...mediaInputProperties(FRONTAL_IMAGE, images),
		{ ...mediaListProperty(REFER_IMAGES), displayOptions: { show: images } },
		{
			displayName: 'Reference Video URL',
			name: 'referVideoUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://example.com/person.mp4',
			description: 'Public http(s) URL of one MP4/MOV video: 3 to 8 s, 1080p, 16:9 or 9:16, at most 200 MB, a realistic person',
			displayOptions: { show: { referenceType: ['video_refer'] } },
		},
	],
	options: [
		{
			displayName: 'Voice ID',
			name: 'voiceId',
			type: 'string',
			default: '',
			description: 'Bind a voice from the voice library to the element (element_voice_id), e.g. one made by Create Voice',
		},
		elementTagsOption,
	],
	buildBody,
};
