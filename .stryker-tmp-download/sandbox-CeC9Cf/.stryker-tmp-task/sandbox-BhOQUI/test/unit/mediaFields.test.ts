/**
 * The panel a media input builds (shared/inputs.ts mediaInputProperties / mediaListProperty), as n8n shows it:
 * which choices exist, what each reveals, their names and help texts, and the limits named. Evaluated with n8n's
 * own displayParameter (Stryker survivors of 2026-12-01: the builders' texts and display conditions had no test).
 */
import { NodeHelpers, type INodeParameters, type INodeProperties, type INodePropertyCollection, type INodePropertyOptions } from 'n8n-workflow';
import { MEDIA_LIMITS, mediaInputProperties, mediaListProperty, type MediaInputSpec } from '../../nodes/KlingAi/shared/inputs';
import { node } from '../integration/actionFixtures';

const shown = (props: INodeProperties[], parameters: Record<string, unknown>) =>
	props.filter((p) => NodeHelpers.displayParameter(parameters as INodeParameters, p, null, node.description)).map((p) => p.displayName);
const choices = (p: INodeProperties) => (p.options as INodePropertyOptions[]).map((o) => [o.name, o.value]);

describe('one media input', () => {
	const spec: MediaInputSpec = { name: 'poster', displayName: 'Poster', kind: 'image', description: 'The first frame.' };

	test('URL / Base64 / Binary Property, each with its own field, help text and the limits', () => {
		const props = mediaInputProperties(spec);
		const [selector] = props;
		expect(selector).toMatchObject({ displayName: 'Poster Input Type', name: 'posterInputType', default: 'url', noDataExpression: true });
		expect(choices(selector)).toEqual([['URL', 'url'], ['Base64', 'base64'], ['Binary Property', 'binary']]);
		expect((selector.options as INodePropertyOptions[]).map((o) => o.description)).toEqual([
			'A public http(s) URL Kling can download',
			'Raw base64 data (a data: prefix is removed before sending)',
			'A binary property of the input item (sent as base64)',
		]);
		expect(selector.description).toBe(`How the poster is provided. The first frame. Accepted: ${MEDIA_LIMITS.image.label}.`);
		expect(shown(props, { posterInputType: 'url' })).toEqual(['Poster Input Type', 'Poster URL']);
		expect(shown(props, { posterInputType: 'base64' })).toEqual(['Poster Input Type', 'Poster Base64']);
		expect(shown(props, { posterInputType: 'binary' })).toEqual(['Poster Input Type', 'Poster Binary Property']);
		const byName = Object.fromEntries(props.map((p) => [p.displayName, p]));
		expect(byName['Poster URL']).toMatchObject({ name: 'poster', required: true, placeholder: 'https://example.com/file.jpg', description: `Public http(s) URL of the poster (${MEDIA_LIMITS.image.label})` });
		expect(byName['Poster Base64']).toMatchObject({ name: 'poster', required: true, typeOptions: { rows: 2 } });
		expect(byName['Poster Base64'].description).toBe(`Raw base64 of the poster (${MEDIA_LIMITS.image.label}). A "data:...;base64," prefix is removed.`);
		expect(byName['Poster Binary Property']).toMatchObject({ name: 'posterBinaryProperty', default: 'data', required: true });
		expect(byName['Poster Binary Property'].description).toBe(`Name of the input item's binary property holding the poster (${MEDIA_LIMITS.image.label})`);
	});

	test('optional: "None" first and the default; URL only: no base64 or binary field', () => {
		const optional = mediaInputProperties({ ...spec, optional: true });
		expect(optional[0].default).toBe('none');
		expect((optional[0].options as INodePropertyOptions[])[0]).toEqual({ name: 'None', value: 'none', description: 'Do not send a poster' });
		expect(shown(optional, { posterInputType: 'none' })).toEqual(['Poster Input Type']);
		const urlOnly = mediaInputProperties({ ...spec, kind: 'video', urlOnly: true });
		expect(choices(urlOnly[0])).toEqual([['URL', 'url']]);
		expect(urlOnly.map((p) => p.displayName)).toEqual(['Poster Input Type', 'Poster URL']);
		expect(urlOnly[1].placeholder).toBe('https://example.com/file.mp4');
	});

	test('extra conditions apply to every field, and keep each field\'s own', () => {
		const props = mediaInputProperties(spec, { audioSource: ['file'] });
		expect(shown(props, { audioSource: 'file', posterInputType: 'binary' })).toEqual(['Poster Input Type', 'Poster Binary Property']);
		expect(shown(props, { audioSource: 'tts', posterInputType: 'binary' })).toEqual([]);
	});
});

describe('a media list', () => {
	test('entries with URL / Base64 / Binary Property, the count and limits in its help text', () => {
		const list = mediaListProperty({ name: 'refs', displayName: 'Reference Images', entryName: 'image', entryDisplayName: 'Image', kind: 'image', min: 1, max: 4 });
		expect(list).toMatchObject({ type: 'fixedCollection', required: true, placeholder: 'Add Image', typeOptions: { multipleValues: true, maxAllowedFields: 4 } });
		expect(list.description).toBe(`1 to 4 reference images (${MEDIA_LIMITS.image.label})`);
		const [entry] = list.options as INodePropertyCollection[];
		expect(entry).toMatchObject({ displayName: 'Image', name: 'image' });
		const [inputType, data, binary] = entry.values;
		expect(choices(inputType)).toEqual([['URL', 'url'], ['Base64', 'base64'], ['Binary Property', 'binary']]);
		expect(inputType).toMatchObject({ default: 'url', description: 'How this image is provided' });
		expect(shown(entry.values, { inputType: 'url' })).toEqual(['Input Type', 'URL or Base64']);
		expect(shown(entry.values, { inputType: 'base64' })).toEqual(['Input Type', 'URL or Base64']);
		expect(shown(entry.values, { inputType: 'binary' })).toEqual(['Input Type', 'Binary Property']);
		expect(data.description).toBe('Public http(s) URL, or raw base64 when Input Type is Base64');
		expect(binary).toMatchObject({ default: 'data', description: "Name of the input item's binary property holding the image" });
		expect(mediaListProperty({ name: 'x', displayName: 'X', entryName: 'e', entryDisplayName: 'E', kind: 'video', min: 0, max: 1 }).required).toBe(false);
	});
});
