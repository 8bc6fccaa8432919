// @ts-nocheck
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { mediaInputProperties, resolveMediaInput, type MediaInputSpec } from '../../shared/inputs';
import type { CreateOperation } from '../types';
import { compact, modelProperties, readModel } from '../fields';

const MODELS = [
	{ value: 'kolors-virtual-try-on-v1', name: 'Kolors Virtual Try-On V1' },
	{ value: 'kolors-virtual-try-on-v1-5', name: 'Kolors Virtual Try-On V1.5', description: 'Also accepts a combined upper + lower garment image on a white background' },
];

const HUMAN: MediaInputSpec = { name: 'humanImage', displayName: 'Person Image', kind: 'image', description: 'Photo of the person who tries the garment on.' };
const CLOTH: MediaInputSpec = { name: 'clothImage', displayName: 'Garment Image', kind: 'image', description: 'Photo of a single garment (V1.5: also upper + lower combined).' };

async function buildBody(ctx: IExecuteFunctions, i: number): Promise<IDataObject> {
	const { value: model } = readModel(ctx, i, MODELS);
	const human = await resolveMediaInput(ctx, i, HUMAN);
	const cloth = await resolveMediaInput(ctx, i, CLOTH);
	return compact({ model_name: model, human_image: human?.value, cloth_image: cloth?.value });
}

export const virtualTryOn: CreateOperation = {
	resource: 'image',
	value: 'virtualTryOn',
	name: 'Virtual Try-On',
	action: 'Dress a person in a garment',
	description: 'Create a Kolors virtual try-on task from a photo of a person and a photo of a garment',
	taskType: 'virtualTryOn',
	defaultWaitMinutes: 10,
	properties: [...modelProperties(MODELS, 'kolors-virtual-try-on-v1-5', 'renders the try-on'), ...mediaInputProperties(HUMAN), ...mediaInputProperties(CLOTH)],
	options: [],
	buildBody,
};
