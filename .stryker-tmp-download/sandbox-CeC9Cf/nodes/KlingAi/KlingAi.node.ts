// @ts-nocheck
import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';
import { composeProperties, dontWaitHint, operationSubtitle } from './resources';
import { executeKlingAi } from './resources/execute';
import { isToolRun, toolDescriptionProperties, toolOutputProperties, toolOutputs } from './resources/tool';
import { isWaiting, runCreateAndWait, waitProperties, waitWebhook } from './resources/wait';
import { CREDENTIAL_NAME } from './shared/transport';
import { WAIT_OUTPUTS_EXPRESSION, WAIT_WEBHOOKS } from './shared/wait';

export class KlingAi implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Kling AI',
		name: 'klingAi',
		icon: { light: 'file:kling.svg', dark: 'file:kling.dark.svg' },
		group: ['transform'],
		// Version 2: Generate Image defaults to kling-v3 (the current docs' default). Version 1 nodes keep kling-v2-1:
		// n8n does not save a parameter equal to its default, so changing a default in place would switch them.
		version: [1, 2],
		defaultVersion: 2,
		subtitle: operationSubtitle(),
		description:
			'Generate videos, images and audio with Kling AI (text/image to video, lip sync, effects, image generation, omni image, expansion, virtual try-on, text to speech, sound), check tasks and download results',
		defaults: { name: 'Kling AI' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: WAIT_OUTPUTS_EXPRESSION,
		credentials: [{ name: CREDENTIAL_NAME, required: true }],
		// Resume URL of "Wait for Completion: Callback" (restart webhook, never registered on activation).
		webhooks: WAIT_WEBHOOKS,
		waitingNodeTooltip: 'Waiting for Kling to report that the task finished (callback to this execution\'s resume URL)',
		hints: [dontWaitHint()],
		properties: [...toolDescriptionProperties(), ...composeProperties({ createCommon: waitProperties() }), ...toolOutputProperties()],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const outputs = await executeKlingAi(this, async (ctx, op, itemCount) =>
			isWaiting(ctx) ? await runCreateAndWait(ctx, op, itemCount) : undefined,
		);
		// An AI agent reads only a tool's first output: one compact result per task, whatever the outcome.
		return isToolRun(this) ? toolOutputs(this, outputs) : outputs;
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await waitWebhook(this);
	}
}
