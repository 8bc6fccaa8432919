/**
 * AI multi-shot (`POST /v1/general/ai-multi-shot`, kling-api-2026.md b.15): three more angles of an element
 * from its frontal image. Results are angle sets `images[{index, url_1, url_2, url_3}]` (item: `angleUrls`).
 */
// @ts-nocheck

import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { mediaInputProperties, resolveMediaInput, type MediaInputSpec } from '../../shared/inputs';
import type { CreateOperation } from '../types';

const FRONTAL: MediaInputSpec = { name: 'frontalImage', displayName: 'Frontal Image', kind: 'image', description: 'The element (person, character or object) seen from the front.' };

async function buildBody(ctx: IExecuteFunctions, i: number): Promise<IDataObject> {
	return { element_frontal_image: (await resolveMediaInput(ctx, i, FRONTAL))?.value };
}

export const aiMultiShot: CreateOperation = {
	resource: 'image',
	value: 'aiMultiShot',
	name: 'AI Multi-Shot',
	action: 'Generate more angles of an element from its front view',
	description: 'Create a Kling AI multi-shot task: three angle images of an element from one frontal image (for element references)',
	taskType: 'aiMultiShot',
	defaultWaitMinutes: 10,
	properties: mediaInputProperties(FRONTAL),
	options: [],
	buildBody,
};
