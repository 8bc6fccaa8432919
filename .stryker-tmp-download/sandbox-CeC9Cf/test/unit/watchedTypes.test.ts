/**
 * shared/watchedTypes.ts (issue 16, mutation testing): which task types the Poll Trigger's "Watch Task Types:
 * Created by This Workflow" lists, for the workflow's Kling AI nodes, with the node's real operation tables.
 */
import { DEFAULT_OPERATIONS, findCreateOperation } from '../../nodes/KlingAi/resources';
import { TASK_TYPES } from '../../nodes/KlingAi/shared/endpoints';
import { taskTypesCreatedBy, type WorkflowNodeInfo } from '../../nodes/KlingAi/shared/watchedTypes';

const lookup = (r: string, o: string) => findCreateOperation(r, o)?.taskType;
const defaults = (r: string) => DEFAULT_OPERATIONS[r as keyof typeof DEFAULT_OPERATIONS];
const kling = (parameters?: Record<string, unknown>, type = 'n8n-nodes-kling-ai.klingAi'): WorkflowNodeInfo => ({ type, parameters });
const watched = (...nodes: WorkflowNodeInfo[]) => taskTypesCreatedBy(nodes, lookup, defaults);

describe('taskTypesCreatedBy', () => {
	it('counts the Kling AI node and its AI-tool form, not the triggers or look-alikes', () => {
		const t2v = { operation: 'textToVideo', model: 'kling-v2-6' };
		expect(watched(kling(t2v))).toEqual(['textToVideo']);
		expect(watched(kling(t2v, 'n8n-nodes-kling-ai.klingAiTool'))).toEqual(['textToVideo']);
		expect(watched(kling(t2v, 'klingAi'))).toEqual(['textToVideo']);
		expect(watched(kling(t2v, 'n8n-nodes-kling-ai.klingAiTrigger'))).toBeUndefined();
		expect(watched(kling(t2v, 'n8n-nodes-kling-ai.klingAiPollTrigger'))).toBeUndefined();
		expect(watched(kling(t2v, 'n8n-nodes-other.myklingAi'))).toBeUndefined();
		expect(watched(kling(t2v, 'n8n-nodes-kling-ai.klingAiToolbox'))).toBeUndefined();
		expect(watched(kling(t2v, 'klingAi.other'))).toBeUndefined();
	});

	it('a disabled node creates nothing; an enabled one does', () => {
		expect(watched({ ...kling({ operation: 'omniVideo' }), disabled: true })).toBeUndefined();
		expect(watched({ ...kling({ operation: 'omniVideo' }), disabled: false })).toEqual(['omniVideo']);
	});

	it('saved defaults are filled: no parameters = Video / Text to Video with its default model (legacy)', () => {
		expect(watched(kling(undefined))).toEqual(['textToVideo']);
		expect(watched(kling({ resource: 'image' }))).toEqual(['imageGeneration']);
	});

	it('an expression for the resource or operation watches every type', () => {
		expect(watched(kling({ resource: '={{ $json.r }}', operation: 'textToVideo' }))).toEqual([...TASK_TYPES]);
		expect(watched(kling({ operation: 'lipSync' }), kling({ operation: '={{ $json.op }}' }))).toEqual([...TASK_TYPES]);
	});

	it('an unknown resource is skipped, the nodes after it still count', () => {
		expect(watched(kling({ resource: 'nothing' }))).toBeUndefined();
		expect(watched(kling({ resource: 'nothing' }), kling({ operation: 'lipSync' }))).toEqual(['lipSync']);
		expect(watched(kling({ operation: 'getTask' }), kling({ operation: 'lipSync' }))).toEqual(['lipSync']);
	});

	it('operations without a new standard ignore model and API Standard', () => {
		expect(watched(kling({ operation: 'lipSync', model: 'kling-3.0', apiStandard: 'new' }))).toEqual(['lipSync']);
		expect(watched(kling({ operation: 'lipSync', apiStandard: 'new' }))).toEqual(['lipSync']);
		expect(watched(kling({ resource: 'image', operation: 'generateImage', model: '={{ $json.model }}' }))).toEqual(['imageGeneration']);
	});

	it('only nodes that create nothing: undefined (the trigger then watches every type)', () => {
		expect(watched(kling({ operation: 'getTask' }))).toBeUndefined();
		expect(watched(kling({ resource: 'audio' }), kling({ resource: 'image', operation: 'listTasks' }))).toBeUndefined();
	});

	it('a parameter saved as a non-string (a hand-edited workflow) is not an expression and does not break the poll', () => {
		expect(watched(kling({ operation: 'textToVideo', model: 3 }))).toEqual(['textToVideo']);
		expect(watched(kling({ operation: 'textToVideo', model: 'kling-v3', apiStandard: 1 }))).toEqual(['textToVideo']);
	});

	it('the model decides the standard: new-only, dual with each choice, custom model ids', () => {
		expect(watched(kling({ operation: 'textToVideo', model: 'kling-v3', apiStandard: 'new' }))).toEqual(['newStandard']);
		expect(watched(kling({ operation: 'textToVideo', model: 'kling-v3', apiStandard: 'legacy' }))).toEqual(['textToVideo']);
		expect(watched(kling({ operation: 'textToVideo', model: 'kling-v3' }))).toEqual(['textToVideo']);
		expect(watched(kling({ operation: 'textToVideo', model: 'kling-v1', apiStandard: 'new' }))).toEqual(['textToVideo']);
		expect(watched(kling({ operation: 'textToVideo', model: 'kling-v1', apiStandard: 'auto' }))).toEqual(['textToVideo']);
		expect(watched(kling({ operation: 'omniVideo', model: 'kling-video-o1', apiStandard: 'auto' }))).toEqual(['omniVideo', 'newStandard']);
		expect(watched(kling({ operation: 'imageToVideo', model: 'kling-3.0-turbo', apiStandard: 'auto' }))).toEqual(['newStandard']);
		expect(watched(kling({ operation: 'textToVideo', model: 'custom', customModel: 'kling-3.0' }))).toEqual(['newStandard']);
		expect(watched(kling({ operation: 'textToVideo', model: 'custom', customModel: 'kling-v3', apiStandard: 'new' }))).toEqual(['newStandard']);
		// "custom" itself is not a model id: the custom id decides.
		expect(watched(kling({ operation: 'textToVideo', model: 'custom', customModel: 'kling-v2-6', apiStandard: 'legacy' }))).toEqual(['textToVideo']);
	});

	it('a missing model follows the API Standard: legacy → legacy only; otherwise both', () => {
		expect(watched(kling({ operation: 'motionControl', apiStandard: 'legacy' }))).toEqual(['motionControl']);
		expect(watched(kling({ operation: 'motionControl', apiStandard: 'new' }))).toEqual(['motionControl', 'newStandard']);
		expect(watched(kling({ operation: 'motionControl', model: 'custom', apiStandard: 'auto' }))).toEqual(['motionControl', 'newStandard']);
	});

	it('a model or API Standard given as an expression watches both standards', () => {
		expect(watched(kling({ operation: 'textToVideo', model: '={{ $json.model }}' }))).toEqual(['textToVideo', 'newStandard']);
		expect(watched(kling({ operation: 'textToVideo', model: 'kling-v1', apiStandard: '={{ $json.std }}' }))).toEqual(['textToVideo', 'newStandard']);
		expect(watched(kling({ operation: 'textToVideo', model: 'custom', customModel: '={{ $json.m }}', apiStandard: 'legacy' }))).toEqual(['textToVideo', 'newStandard']);
	});

	it('several nodes: the union, in the trigger\'s task type order', () => {
		expect(
			watched(
				kling({ resource: 'library', operation: 'createElement' }),
				kling({ operation: 'omniVideo', model: 'kling-v3-omni', apiStandard: 'new' }),
				kling({ resource: 'audio', operation: 'textToAudio' }),
				kling({ operation: 'textToVideo' }),
				kling({ operation: 'textToVideo' }),
			),
		).toEqual(['textToVideo', 'textToAudio', 'customElement', 'newStandard']);
	});
});
