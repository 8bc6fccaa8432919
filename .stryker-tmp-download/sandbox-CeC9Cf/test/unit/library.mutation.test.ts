/**
 * shared/library.ts mappers (issue 16, mutation testing): the voice / element fields a user sees on an item, from
 * every form Kling answers in, including the edge cases (empty strings, numeric ids, missing lists, fallbacks).
 */
import { idString, isUnknownPath, libraryFromLegacyResult, libraryOutput, mapLegacyElement, mapLegacyVoice, mapNewStandardElement, mapNewStandardVoice } from '../../nodes/KlingAi/shared/library';

const LONG = '829836802793406551';

describe('idString', () => {
	it('keeps strings (trimmed), writes numbers and bigints in full, empty → null', () => {
		expect(idString(LONG)).toBe(LONG);
		expect(idString('  abc  ')).toBe('abc');
		expect(idString('   ')).toBeNull();
		expect(idString('')).toBeNull();
		expect(idString(null)).toBeNull();
		expect(idString(undefined)).toBeNull();
		expect(idString(0)).toBe('0');
		expect(idString(1.5)).toBe('1.5');
		expect(idString(2e21)).toBe('2000000000000000000000');
		expect(idString(BigInt(LONG))).toBe(LONG);
		expect(idString(true)).toBe('true');
	});
});

describe('voices', () => {
	it('legacy voice: every field, empty strings are null, "succeed" is "succeeded", no status key without a status', () => {
		expect(mapLegacyVoice({ voice_id: 7, voice_name: 'Ann', trial_url: 'https://a/t.mp3', owned_by: 'kling', status: 'succeed' })).toEqual({
			voiceId: '7',
			voiceName: 'Ann',
			trialUrl: 'https://a/t.mp3',
			ownedBy: 'kling',
			status: 'succeeded',
		});
		const bare = mapLegacyVoice({ voice_id: 'v', voice_name: '', status: '' });
		expect(bare).toEqual({ voiceId: 'v', voiceName: null, trialUrl: null, ownedBy: null });
		expect('status' in bare).toBe(false);
		expect(mapLegacyVoice({ voice_id: 'v', status: 'deleted' }).status).toBe('deleted');
	});

	it('new-standard voice: id / name / url / owned_by / status', () => {
		expect(mapNewStandardVoice({ type: 'voice', id: 'v1', name: 'Bo', url: 'https://a/p.mp3', owned_by: '123', status: 'succeeded' })).toEqual({
			voiceId: 'v1',
			voiceName: 'Bo',
			trialUrl: 'https://a/p.mp3',
			ownedBy: '123',
			status: 'succeeded',
		});
		expect(mapNewStandardVoice({ id: 'v', status: 'succeed' }).status).toBe('succeeded');
		expect('status' in mapNewStandardVoice({ id: 'v' })).toBe(false);
		expect(mapNewStandardVoice({})).toEqual({ voiceId: null, voiceName: null, trialUrl: null, ownedBy: null });
	});
});

describe('legacy elements', () => {
	it('the advanced API: frontal + refer images, refer videos, voice, tags by tag_id / tag_name', () => {
		const e = mapLegacyElement({
			element_id: LONG,
			element_name: 'hero',
			element_description: 'a hero',
			reference_type: 'image_refer',
			element_image_list: { frontal_image: 'https://i/f.png', refer_images: [{ image_url: 'https://i/1.png' }, { url: 'https://i/2.png' }, 'junk'] },
			element_video_list: { refer_videos: [{ video_url: 'https://v/1.mp4' }, { url: 'https://v/2.mp4' }, {}] },
			element_voice_info: { voice_id: 'v9', voice_name: 'Ann', trial_url: 't', owned_by: 'kling' },
			tag_list: [{ tag_id: 'o_1', tag_name: 'People', description: 'd' }, { id: 'o_2', name: 'Pets' }, null],
			owned_by: '42',
			status: 'succeed',
		});
		expect(e).toEqual({
			elementId: LONG,
			name: 'hero',
			description: 'a hero',
			referenceType: 'image_refer',
			images: [
				{ url: 'https://i/f.png', role: 'frontal' },
				{ url: 'https://i/1.png', role: 'refer' },
				{ url: 'https://i/2.png', role: 'refer' },
			],
			videos: [
				{ url: 'https://v/1.mp4', role: 'refer' },
				{ url: 'https://v/2.mp4', role: 'refer' },
				{ url: null, role: 'refer' },
			],
			voice: { voiceId: 'v9', voiceName: 'Ann', trialUrl: 't', ownedBy: 'kling' },
			tags: [
				{ id: 'o_1', name: 'People', description: 'd' },
				{ id: 'o_2', name: 'Pets', description: null },
			],
			ownedBy: '42',
			status: 'succeeded',
		});
	});

	it('the older API: element_frontal_image and element_refer_list; no frontal image → none listed', () => {
		expect(mapLegacyElement({ element_frontal_image: 'f', element_refer_list: [{ image_url: 'r' }] }).images).toEqual([
			{ url: 'f', role: 'frontal' },
			{ url: 'r', role: 'refer' },
		]);
		expect(mapLegacyElement({ element_image_list: { frontal_image: '' }, element_refer_list: [{ image_url: 'r' }] }).images).toEqual([{ url: 'r', role: 'refer' }]);
		// The advanced list wins over the older field when both are present.
		expect(mapLegacyElement({ element_image_list: { frontal_image: 'a' }, element_frontal_image: 'b' }).images).toEqual([{ url: 'a', role: 'frontal' }]);
	});

	it('an element_voice_info without a voice id, or not an object, is no voice; lists that are not lists are empty', () => {
		expect(mapLegacyElement({ element_voice_info: { voice_id: '' } }).voice).toBeNull();
		expect(mapLegacyElement({ element_voice_info: {} }).voice).toBeNull();
		expect(mapLegacyElement({ element_voice_info: ['v'] }).voice).toBeNull();
		expect(mapLegacyElement({ element_image_list: ['x'], element_video_list: 'x', tag_list: {} })).toEqual({
			elementId: null,
			name: null,
			description: null,
			referenceType: null,
			images: [],
			videos: [],
			voice: null,
			tags: [],
			ownedBy: null,
			status: null,
		});
	});
});

describe('new-standard elements', () => {
	it('element_type names map to the legacy reference types; unknown names pass through; none → null', () => {
		expect(mapNewStandardElement({ element_type: 'video_character_elements' }).referenceType).toBe('video_refer');
		expect(mapNewStandardElement({ element_type: 'multi_image_elements' }).referenceType).toBe('image_refer');
		expect(mapNewStandardElement({ element_type: 'future_elements' }).referenceType).toBe('future_elements');
		expect(mapNewStandardElement({ element_type: '' }).referenceType).toBeNull();
		expect(mapNewStandardElement({}).referenceType).toBeNull();
		expect(mapNewStandardElement({ element_type: 'toString' }).referenceType).toBe('toString');
	});

	it('references[] and materials[] are both read: images, videos by role, the voice material', () => {
		const e = mapNewStandardElement({
			type: 'element',
			id: LONG,
			name: 'n',
			description: 'd',
			references: [{ type: 'image', role: 'frontal', url: 'https://i/f.png' }],
			materials: [
				{ type: 'image', role: 'refer', url: 'https://i/r.png' },
				{ type: 'video', role: 'refer', url: 'https://v/1.mp4' },
				{ type: 'voice', id: 'v1', name: 'Ann', url: 'https://a/v.mp3', owned_by: 'kling' },
				{ type: 'other', url: 'x' },
			],
			tags: [{ id: 't', name: 'T', description: '' }],
			owned_by: 'kling',
			status: 'deleted',
		});
		expect(e).toEqual({
			elementId: LONG,
			name: 'n',
			description: 'd',
			referenceType: null,
			images: [
				{ url: 'https://i/f.png', role: 'frontal' },
				{ url: 'https://i/r.png', role: 'refer' },
			],
			videos: [{ url: 'https://v/1.mp4', role: 'refer' }],
			voice: { voiceId: 'v1', voiceName: 'Ann', trialUrl: 'https://a/v.mp3', ownedBy: 'kling' },
			tags: [{ id: 't', name: 'T', description: null }],
			ownedBy: 'kling',
			status: 'deleted',
		});
		expect(mapNewStandardElement({ materials: [{ type: 'image' }] })).toMatchObject({ images: [{ url: null, role: null }], videos: [], voice: null, status: null });
	});
});

describe('results and outputs', () => {
	it('legacy task_result voices and elements (objects only)', () => {
		expect(libraryFromLegacyResult({ voices: [{ voice_id: 'a' }, 3], elements: [{ element_id: 5 }] })).toEqual({
			voices: [{ voiceId: 'a', voiceName: null, trialUrl: null, ownedBy: null }],
			elements: [expect.objectContaining({ elementId: '5' })],
		});
		expect(libraryFromLegacyResult([{ voice_id: 'a' }])).toEqual({ voices: [], elements: [] });
		expect(libraryFromLegacyResult(null)).toEqual({ voices: [], elements: [] });
	});

	it('an output item is a voice, an element, or neither', () => {
		expect(libraryOutput({ type: 'voice', id: 'v' })).toEqual({ voice: { voiceId: 'v', voiceName: null, trialUrl: null, ownedBy: null } });
		expect(libraryOutput({ type: 'element', id: 'e' })).toEqual({ element: expect.objectContaining({ elementId: 'e' }) });
		expect(libraryOutput({ type: 'video', id: 'x' })).toBeUndefined();
	});
});

describe('isUnknownPath (the delete-element fallback)', () => {
	it('a 404 without Kling code 1203 is an unknown path; 1203 (element not found) and other codes are not', () => {
		expect(isUnknownPath({ httpCode: '404', message: 'Not Found' })).toBe(true);
		expect(isUnknownPath({ httpCode: 404 })).toBe(true);
		expect(isUnknownPath({ httpCode: '404', message: 'Kling error 1202: path not found' })).toBe(true);
		expect(isUnknownPath({ httpCode: '404', message: 'Kling error 1203: element not found' })).toBe(false);
		expect(isUnknownPath({ httpCode: '400', message: 'x' })).toBe(false);
		expect(isUnknownPath({})).toBe(false);
		expect(isUnknownPath(undefined)).toBe(false);
		expect(isUnknownPath(null)).toBe(false);
	});
});
