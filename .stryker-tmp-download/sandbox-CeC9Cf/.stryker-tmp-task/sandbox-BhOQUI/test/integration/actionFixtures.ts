/**
 * Fixtures for the Kling AI action node tests: minimal parameters per create operation, and every
 * model x mode combination the node's own description offers (read from the description, so a model
 * added to a description file is covered without touching the tests).
 */
import { NodeHelpers, type IDataObject, type INodeParameters, type INodeProperties } from 'n8n-workflow';
import { NS_ROUTES } from '../../nodes/KlingAi/shared/newStandard';
import { KlingAi } from '../../nodes/KlingAi/KlingAi.node';
import { CREATE_OPERATIONS, type CreateOperation } from '../../nodes/KlingAi/resources';
import { makePng } from '../simulator/media';

export { makePng };

export const node = new KlingAi();
const NEW_ONLY_MODELS = NS_ROUTES.filter((r) => r.legacyModel === null).map((r) => r.model);
export const properties = node.description.properties;

export const IMG = 'https://example.com/kling/input.png';
export const SESSION_PLACEHOLDER = 'identify-face-session';
export const SELECTION_PLACEHOLDER = 'multi-elements-session';
/** Combos whose create makes a synchronous Kling call first (not buildable without a server). */
export const needsServer = (c: { op: { value: string }; variant?: string }) =>
	(c.op.value === 'advancedLipSync' && c.variant === 'identify') || (c.op.value === 'multiElementEdit' && c.variant === 'new');
export const png = (label = 'in', w = 320, h = 320) => makePng(label, w, h);

/** Parameters that make a valid create for the operation (URL inputs), before model/mode are set. */
export function baseParameters(op: CreateOperation, variant?: string): IDataObject {
	const common = { resource: op.resource, operation: op.value };
	switch (op.value) {
		case 'textToVideo':
			return { ...common, prompt: 'a fox in the snow' };
		case 'imageToVideo':
			return { ...common, imageInputType: 'url', image: IMG, prompt: 'the fox runs' };
		case 'multiImageToVideo':
			return { ...common, prompt: 'two foxes', images: { image: [{ inputType: 'url', data: IMG }, { inputType: 'url', data: `${IMG}?2` }] } };
		case 'extendVideo':
			return { ...common, videoId: 'video-123', prompt: 'continue' };
		case 'lipSync':
			return variant === 'audio'
				? { ...common, videoSource: 'videoUrl', videoUrlInputType: 'url', videoUrl: 'https://example.com/v.mp4', lipSyncMode: 'audio2video', audioInputType: 'url', audio: 'https://example.com/a.mp3' }
				: { ...common, videoSource: 'videoId', videoId: 'video-123', lipSyncMode: 'text2video', text: 'Hello there', voiceId: 'oversea_male1' };
		case 'applyEffect':
			if (variant === 'dual') return { ...common, effectInput: 'dual', effectScene: 'hug_pro', leftImageInputType: 'url', leftImage: IMG, rightImageInputType: 'url', rightImage: `${IMG}?r` };
			if (variant === 'dual2025') return { ...common, effectInput: 'dual', effectScene: 'heart_gesture', leftImageInputType: 'url', leftImage: IMG, rightImageInputType: 'url', rightImage: `${IMG}?r` };
			if (variant === 'single2025') return { ...common, effectInput: 'single', effectScene: 'bloombloom', imageInputType: 'url', image: IMG };
			return { ...common, effectInput: 'single', effectScene: 'color_mixing', imageInputType: 'url', image: IMG };
		case 'generateImage':
			return { ...common, prompt: 'a red apple' };
		case 'expandImage':
			return { ...common, imageInputType: 'url', image: IMG, upRatio: 0.2, downRatio: 0.2, leftRatio: 0.3, rightRatio: 0.3 };
		case 'virtualTryOn':
			return { ...common, humanImageInputType: 'url', humanImage: IMG, clothImageInputType: 'url', clothImage: `${IMG}?cloth` };
		case 'omniVideo':
			return variant === 'frames'
				? { ...common, prompt: 'the person dances', images: { image: [{ inputType: 'url', data: IMG, role: 'first_frame' }, { inputType: 'url', data: `${IMG}?end`, role: 'end_frame' }] } }
				: { ...common, prompt: 'the person in <<<image_1>>> waves', images: { image: [{ inputType: 'url', data: IMG }] } };
		case 'motionControl':
			return { ...common, imageInputType: 'url', image: IMG, motionVideoInputType: 'url', motionVideo: 'https://example.com/dance.mp4', characterOrientation: 'video' };
		case 'avatar':
			return { ...common, imageInputType: 'url', image: IMG, audioSource: 'file', soundFileInputType: 'url', soundFile: 'https://example.com/speech.mp3' };
		case 'advancedLipSync':
			// 'session' reuses an identify-face session (SESSION_PLACEHOLDER is replaced by a live one against
			// the simulator); 'identify' runs identify-face inside the create (needs the simulator).
			return variant === 'identify'
				? { ...common, faceSession: 'identify', videoSource: 'videoUrl', videoUrlInputType: 'url', videoUrl: 'https://example.com/talk.mp4', audioSource: 'file', soundFileInputType: 'url', soundFile: 'https://example.com/speech.mp3', soundEndMs: 3000 }
				: { ...common, faceSession: 'session', sessionId: SESSION_PLACEHOLDER, faceId: '0', audioSource: 'file', soundFileInputType: 'url', soundFile: 'https://example.com/speech.mp3', soundEndMs: 3000 };
		case 'multiElementEdit':
			return variant === 'new'
				? { ...common, editMode: 'removal', selectionSession: 'new', videoSource: 'videoUrl', videoUrlInputType: 'url', videoUrl: 'https://example.com/5s.mp4', frameIndex: 0, points: '0.77,0.3; 0.5,0.4', prompt: 'Delete the chick from <<<video_1>>>' }
				: { ...common, editMode: 'swap', selectionSession: 'existing', sessionId: SELECTION_PLACEHOLDER, images: { image: [{ inputType: 'url', data: IMG }] }, prompt: 'Swap it for <<<image_1>>>' };
		case 'omniImage':
			return variant === 'series'
				? { ...common, prompt: 'a poster series of <<<image_1>>>', resultType: 'series', seriesAmount: '3', images: { image: [{ inputType: 'url', data: IMG }] } }
				: { ...common, prompt: 'the dog in <<<image_1>>> as a poster', images: { image: [{ inputType: 'url', data: IMG }] } };
		case 'multiImageToImage':
			return { ...common, subjectImages: { image: [{ inputType: 'url', data: IMG }, { inputType: 'url', data: `${IMG}?2` }] }, sceneImageInputType: 'url', sceneImage: `${IMG}?scene` };
		case 'aiMultiShot':
			return { ...common, frontalImageInputType: 'url', frontalImage: IMG };
		case 'textToAudio':
			return { ...common, prompt: 'Fireworks during a New Year celebration', duration: 3.5 };
		case 'videoToAudio':
			return variant === 'url'
				? { ...common, videoSource: 'videoUrl', videoUrlInputType: 'url', videoUrl: 'https://example.com/silent.mp4', options: { bgmPrompt: 'calm piano' } }
				: { ...common, videoSource: 'videoId', videoId: 'video-123', options: { soundEffectPrompt: 'rain on a roof', asmrMode: true } };
		case 'createVoice':
			return variant === 'videoId' ? { ...common, voiceName: 'From a video', voiceSource: 'videoId', videoId: 'video-123' } : { ...common, voiceName: 'Narrator', voiceSource: 'url', voiceUrl: 'https://example.com/voice.mp3' };
		case 'createElement':
			return variant === 'video'
				? { ...common, elementName: 'Anna', elementDescription: 'A person', referenceType: 'video_refer', referVideoUrl: 'https://example.com/anna.mp4', options: { voiceId: 'voice-1', tags: ['o_102'] } }
				: { ...common, elementName: 'Fox', elementDescription: 'A red fox', referenceType: 'image_refer', frontalImageInputType: 'url', frontalImage: IMG, referImages: { image: [{ inputType: 'url', data: `${IMG}?side` }] } };
		default:
			throw new Error(`no fixture for ${op.value}`);
	}
}

/** Operation variants whose model/mode lists differ (lip-sync modes, one vs two-image effects). */
export function variantsOf(op: CreateOperation): Array<string | undefined> {
	if (op.value === 'lipSync') return ['text', 'audio'];
	if (op.value === 'applyEffect') return ['single', 'dual', 'single2025', 'dual2025'];
	if (op.value === 'omniVideo') return ['reference', 'frames'];
	if (op.value === 'advancedLipSync') return ['session', 'identify'];
	if (op.value === 'multiElementEdit') return ['existing', 'new'];
	if (op.value === 'omniImage') return ['single', 'series'];
	if (op.value === 'videoToAudio') return ['id', 'url'];
	if (op.value === 'createVoice') return ['url', 'videoId'];
	if (op.value === 'createElement') return ['images', 'video'];
	return [undefined];
}

function visible(params: INodeParameters, name: string): INodeProperties[] {
	return properties.filter((p) => p.name === name && NodeHelpers.displayParameter(params, p, null, node.description));
}

function optionValues(p: INodeProperties): string[] {
	return (p.options ?? []).map((o) => String((o as { value: unknown }).value));
}

export interface Combo {
	op: CreateOperation;
	variant?: string;
	model?: string;
	mode?: string;
	parameters: IDataObject;
	label: string;
}

/** Every model x mode the description offers for every create operation (Custom Model Name with a listed value). */
export function allCombos(): Combo[] {
	const combos: Combo[] = [];
	for (const op of CREATE_OPERATIONS) {
		for (const variant of variantsOf(op)) {
			const base = baseParameters(op, variant);
			const [modelProp] = visible(base as INodeParameters, 'model');
			if (!modelProp) {
				combos.push({ op, variant, parameters: base, label: `${op.value}${variant ? `/${variant}` : ''}` });
				continue;
			}
			// Models only on Kling's new standard (API key only) are covered per path in test/integration/newStandard.test.ts.
			const models = optionValues(modelProp).filter((m) => !NEW_ONLY_MODELS.includes(m));
			const listed = models.filter((m) => m !== 'custom');
			for (const model of models) {
				const withModel: IDataObject = model === 'custom' ? { ...base, model, customModel: listed[listed.length - 1] } : { ...base, model };
				const modeProps = visible(withModel as INodeParameters, 'mode');
				if (modeProps.length > 1) throw new Error(`${op.value}/${model}: more than one Mode parameter shown`);
				const modes = modeProps.length ? optionValues(modeProps[0]) : [undefined];
				for (const mode of modes) {
					combos.push({
						op,
						variant,
						model,
						mode,
						parameters: mode === undefined ? withModel : { ...withModel, mode },
						label: `${op.value}${variant ? `/${variant}` : ''} ${model}${model === 'custom' ? `=${String(withModel.customModel)}` : ''} ${mode ?? '(no mode)'}`,
					});
				}
			}
		}
	}
	return combos;
}
