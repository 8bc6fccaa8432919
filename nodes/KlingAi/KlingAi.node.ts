import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { composeProperties } from './resources';
import { executeKlingAi } from './resources/execute';
import { CREDENTIAL_NAME } from './shared/transport';

export class KlingAi implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Kling AI',
		name: 'klingAi',
		icon: { light: 'file:kling.svg', dark: 'file:kling.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description:
			'Generate videos and images with Kling AI (text/image to video, lip sync, effects, image generation, expansion, virtual try-on), check tasks and download results',
		defaults: { name: 'Kling AI' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_NAME, required: true }],
		properties: composeProperties(),
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeKlingAi(this);
	}
}
