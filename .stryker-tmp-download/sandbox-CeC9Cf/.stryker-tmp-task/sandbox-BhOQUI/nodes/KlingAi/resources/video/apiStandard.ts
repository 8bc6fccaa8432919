/** The "API Standard" parameter of the operations whose models Kling also offers on its new standard. */
// @ts-nocheck

import type { INodeProperties } from 'n8n-workflow';
import { dualModels, type NsFamily } from '../../shared/newStandard';

export function apiStandardProperties(family: NsFamily): INodeProperties[] {
	// Models only on the new standard say so in their name ("Kling 3.0 Turbo (API Key Only)").
	const props: INodeProperties[] = [
		{
			displayName: 'API Standard',
			name: 'apiStandard',
			type: 'options',
			options: [
				{
					name: 'Legacy (V1 Endpoints)',
					value: 'legacy',
					description: 'Kling\'s /v1 endpoints: works with access/secret keys and with an API key',
				},
				{
					name: 'Auto (From the Credential)',
					value: 'auto',
					description: 'New standard when the credential has an API key, legacy when it has access/secret keys',
				},
				{
					name: 'New (Model in Path, API Key Only)',
					value: 'new',
					description: 'Kling\'s new-standard endpoint for this model; the credential must use an API key',
				},
			],
			default: 'legacy',
			description:
				'Which of Kling\'s two API standards creates the task. The model is the same; new-standard tasks are read at /tasks and appear as task type "New Standard".',
			displayOptions: { show: { model: dualModels(family) } },
		},
	];
	return props;
}
