/**
 * Image recognize (`POST /v1/videos/image-recognize`, kling-api-2026.md b.12): synchronous segmentation of an
 * image into subject, head, face and clothing cut-outs. Returns the item of a finished task: images[] with
 * `type` (object_seg, head_seg, face_seg, cloth_seg), `isContain` and `url`.
 */
// @ts-nocheck

import { callSyncForItem } from '../../shared/api';
import { mediaInputProperties, resolveMediaInput, type MediaInputSpec } from '../../shared/inputs';
import type { SyncOperation } from '../types';
import { asNodeError } from '../create';

const IMAGE: MediaInputSpec = { name: 'image', displayName: 'Image', kind: 'image', description: 'The image to segment.' };

export const imageRecognize: SyncOperation = {
	resource: 'image',
	value: 'imageRecognize',
	name: 'Recognize Image',
	action: 'Cut out the subject, head, face and clothing of an image',
	description: 'Segment an image with Kling image-recognize (synchronous): subject, head, face and clothing cut-outs as image URLs',
	properties: mediaInputProperties(IMAGE),
	async execute(ctx, i) {
		const image = (await resolveMediaInput(ctx, i, IMAGE))?.value;
		try {
			return await callSyncForItem(ctx, 'imageRecognize', { image }, undefined, i);
		} catch (error) {
			throw asNodeError(ctx, error, i);
		}
	},
};
