/**
 * Omni video (`/v1/videos/omni-video`, kling-api-2026.md b.2): text, reference images (or first/end
 * frames), elements and one reference or base video, referenced in the prompt as <<<image_1>>>,
 * <<<element_1>>>, <<<video_1>>>. Multi-shot and 4k on kling-v3-omni.
 */
// @ts-nocheck

import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { mediaInputProperties, mediaListProperty, resolveMediaInput, resolveMediaList, type MediaInputSpec, type MediaListSpec } from '../../shared/inputs';
import type { CreateOperation } from '../types';
import { apiStandardProperties } from './apiStandard';
import {
	V3_DURATIONS,
	VIDEO_ASPECT_RATIOS,
	applyWatermark,
	checkOneOf,
	compact,
	durationOptions,
	elementList,
	fieldError,
	modelProperties,
	modelsWhere,
	options,
	promptProperty,
	readIdList,
	readModel,
	readPrompt,
	str,
	watermarkOption,
} from '../fields';
import { modeProperty, multiShotOptions, readMultiShot, type VideoMode, type VideoModel } from './videoModels';

const omni = (value: string, name: string, v3: boolean): VideoModel => ({
	value,
	name,
	modes: v3 ? ['std', 'pro', '4k'] : ['std', 'pro'],
	longDurations: v3,
	cfgScale: false,
	cameraControl: false,
	sound: true,
	multiShot: v3,
});
/** Capability map (DOC-26 L180–240): O1 3–10 s, no multi-shot; 3.0 Omni 3–15 s, multi-shot, 4k (04/23/2026). */
const MODELS: readonly VideoModel[] = [omni('kling-video-o1', 'Kling Video O1', false), omni('kling-v3-omni', 'Kling V3 Omni', true)];
const O1_DURATIONS = V3_DURATIONS.slice(0, 8); // 3–10 s

const MAX_REFS_WITHOUT_VIDEO = 7;
const MAX_REFS_WITH_VIDEO = 4;
const MAX_ELEMENTS_WITH_FIRST_FRAME = 3;

const IMAGES: MediaListSpec = {
	name: 'images',
	entryName: 'image',
	displayName: 'Images',
	entryDisplayName: 'Image',
	kind: 'image',
	min: 0,
	max: MAX_REFS_WITHOUT_VIDEO,
	description: 'Reference images (&lt;&lt;&lt;image_1&gt;&gt;&gt;, &lt;&lt;&lt;image_2&gt;&gt;&gt; in the prompt) or the first/end frame. Images + elements: at most 7, at most 4 with a reference video.',
	extraValues: [
		{
			displayName: 'Use As',
			name: 'role',
			type: 'options',
			options: [
				{ name: 'Reference', value: 'reference', description: 'A subject, scene or style reference' },
				{ name: 'First Frame', value: 'first_frame', description: 'The video starts with this image' },
				{ name: 'End Frame', value: 'end_frame', description: 'The video ends with this image (needs a first frame)' },
			],
			default: 'reference',
			description: 'How Kling uses this image (image_list[].type)',
		},
	],
};

const VIDEO: MediaInputSpec = {
	name: 'referenceVideo',
	displayName: 'Reference Video',
	kind: 'video',
	optional: true,
	urlOnly: true,
	description: 'Optional: one MP4/MOV (3 s or longer, 720–2160 px, up to 200 MB), &lt;&lt;&lt;video_1&gt;&gt;&gt; in the prompt.',
};

function modeAndDurationProperties(): INodeProperties[] {
	const v3 = modelsWhere(MODELS, (m) => m.longDurations);
	const o1 = MODELS.filter((m) => !m.longDurations).map((m) => m.value);
	const mode = (values: readonly VideoMode[], shownFor: string[]): INodeProperties =>
		modeProperty({
			values,
			default: 'pro',
			description: 'Generation mode (Kling defaults omni video to Professional); 4K on kling-v3-omni without a reference video',
			displayOptions: { show: { model: shownFor } },
		});
	const duration = (values: readonly string[], shownFor: string[]): INodeProperties => ({
		displayName: 'Duration',
		name: 'duration',
		type: 'options',
		options: durationOptions(values),
		default: '5',
		description: 'Length of the video in seconds (ignored when a base video is edited: the result keeps its length)',
		displayOptions: { show: { model: shownFor } },
	});
	return [mode(['std', 'pro'], o1), mode(['std', 'pro', '4k'], v3), duration(O1_DURATIONS, o1), duration(V3_DURATIONS, v3)];
}

async function buildBody(ctx: IExecuteFunctions, i: number): Promise<IDataObject> {
	const { value: modelName, known } = readModel(ctx, i, MODELS);
	const model = known;
	const modes = known?.modes ?? ['std', 'pro', '4k'];
	const mode = str(ctx, 'mode', i, 'pro');
	checkOneOf(ctx, i, 'Mode', mode, modes, known ? `model ${modelName} supports ${modes.join(', ')}` : '');
	const duration = str(ctx, 'duration', i, '5');
	const durations = known && !known.longDurations ? O1_DURATIONS : V3_DURATIONS;
	checkOneOf(ctx, i, 'Duration', duration, durations, known ? `model ${modelName} supports ${durations[0]} to ${durations[durations.length - 1]} seconds` : '');
	const opts = options(ctx, i);
	const multiShot = readMultiShot(ctx, i, opts, duration, model);
	const prompt = multiShot.shot_type === 'customize' ? undefined : readPrompt(ctx, i, true);

	const images = await resolveMediaList(ctx, i, IMAGES);
	const roles = images.map(({ entry }) => String(entry.role ?? 'reference'));
	const hasFirst = roles.includes('first_frame');
	if (roles.filter((r) => r === 'first_frame').length > 1 || roles.filter((r) => r === 'end_frame').length > 1) {
		throw fieldError(ctx, i, 'Images', 'may have at most one First Frame and one End Frame');
	}
	if (roles.includes('end_frame') && !hasFirst) throw fieldError(ctx, i, 'Images', 'have an End Frame but no First Frame', 'Kling needs a first frame whenever an end frame is given.');

	const elements = readIdList(ctx, i, 'Element IDs', opts.elementIds, MAX_REFS_WITHOUT_VIDEO, { integer: true }) ?? [];
	const videoType = str(ctx, 'referenceVideoInputType', i, 'none');
	const video = videoType === 'none' ? undefined : await resolveMediaInput(ctx, i, VIDEO);
	const referType = str(ctx, 'referenceVideoType', i, 'feature');
	checkOneOf(ctx, i, 'Reference Video Use', referType, ['feature', 'base']);
	const editing = video !== undefined && referType === 'base';
	const refs = images.length + elements.length;
	const maxRefs = video ? MAX_REFS_WITH_VIDEO : MAX_REFS_WITHOUT_VIDEO;
	if (refs > maxRefs) {
		throw fieldError(ctx, i, 'Images', `and Element IDs add up to ${refs}; Kling accepts at most ${maxRefs}${video ? ' with a reference video' : ''}`);
	}
	if (hasFirst && elements.length > MAX_ELEMENTS_WITH_FIRST_FRAME) throw fieldError(ctx, i, 'Element IDs', `has ${elements.length} IDs; with a first frame Kling accepts at most ${MAX_ELEMENTS_WITH_FIRST_FRAME}`);
	if (editing && roles.some((r) => r !== 'reference')) throw fieldError(ctx, i, 'Images', 'cannot have a First/End Frame when the reference video is edited (base)');
	if (mode === '4k' && video) throw fieldError(ctx, i, 'Mode', 'cannot be 4K with a reference video');
	const sound = opts.sound === undefined ? undefined : opts.sound === true ? 'on' : 'off';
	if (sound === 'on' && video) throw fieldError(ctx, i, 'Generate Sound', 'must be off with a reference video', 'Use "Keep Reference Video Sound" to keep its audio.');
	const aspectRatio = str(ctx, 'aspectRatio', i, '16:9');
	checkOneOf(ctx, i, 'Aspect Ratio', aspectRatio, VIDEO_ASPECT_RATIOS.map((o) => String(o.value)));

	const body: IDataObject = {
		model_name: modelName,
		prompt,
		image_list: images.length ? images.map(({ value }, n) => compact({ image_url: value, type: roles[n] === 'reference' ? undefined : roles[n] })) : undefined,
		element_list: elementList(elements.length ? elements : undefined),
		video_list: video
			? [compact({ video_url: video.value, refer_type: referType, keep_original_sound: opts.keepVideoSound === undefined ? undefined : opts.keepVideoSound === true ? 'yes' : 'no' })]
			: undefined,
		sound,
		mode,
		// "Required when NOT using a first frame or video editing"; the result follows the frame/video otherwise.
		aspect_ratio: hasFirst || editing ? undefined : aspectRatio,
		duration: editing ? undefined : duration,
		...multiShot,
	};
	applyWatermark(body, opts);
	return compact(body);
}

export const omniVideo: CreateOperation = {
	resource: 'video',
	value: 'omniVideo',
	name: 'Omni Video',
	action: 'Generate or edit a video from text, images, elements and a video',
	description: 'Create a Kling Omni video task (kling-video-o1, kling-v3-omni): references, first/end frames, elements, a reference or edited video, multi-shot',
	taskType: 'omniVideo',
	defaultWaitMinutes: 30,
	properties: [
		promptProperty({
			required: true,
			description: 'What to generate; refer to inputs as &lt;&lt;&lt;image_1&gt;&gt;&gt;, &lt;&lt;&lt;element_1&gt;&gt;&gt;, &lt;&lt;&lt;video_1&gt;&gt;&gt; (at most 2500 characters). Not used with Multi-Shot "Custom Shots".',
		}),
		...modelProperties(MODELS, 'kling-video-o1', 'generates the video. Mode, duration and multi-shot follow the model.'),
		...apiStandardProperties('omniVideo'),
		...modeAndDurationProperties(),
		{
			displayName: 'Aspect Ratio',
			name: 'aspectRatio',
			type: 'options',
			options: VIDEO_ASPECT_RATIOS,
			default: '16:9',
			description: 'Frame shape; not sent with a first frame or an edited (base) video, whose shape the result keeps',
		},
		mediaListProperty(IMAGES),
		...mediaInputProperties(VIDEO),
		{
			displayName: 'Reference Video Use',
			name: 'referenceVideoType',
			type: 'options',
			options: [
				{ name: 'Reference (Feature)', value: 'feature', description: 'Use its camera movement, motion or context, e.g. "generate the next shot of &lt;&lt;&lt;video_1&gt;&gt;&gt;"' },
				{ name: 'Edit This Video (Base)', value: 'base', description: 'Change the video itself; the result keeps its length' },
			],
			default: 'feature',
			description: 'How Kling uses the video (video_list[].refer_type)',
			displayOptions: { hide: { referenceVideoInputType: ['none'] } },
		},
	],
	options: [
		{
			displayName: 'Element IDs',
			name: 'elementIds',
			type: 'string',
			default: '',
			placeholder: '829836802793406551, 829836802793406552',
			description: 'Kling element IDs (element_list), separated by commas; &lt;&lt;&lt;element_1&gt;&gt;&gt; in the prompt. At most 3 with a first frame; images + elements at most 7 (4 with a video).',
		},
		{ displayName: 'Generate Sound', name: 'sound', type: 'boolean', default: false, description: 'Whether to generate audio (must be off with a reference video)' },
		{ displayName: 'Keep Reference Video Sound', name: 'keepVideoSound', type: 'boolean', default: true, description: "Whether to keep the reference video's sound (keep_original_sound)" },
		...multiShotOptions(modelsWhere(MODELS, (m) => m.multiShot === true)),
		watermarkOption,
	],
	buildBody,
};
