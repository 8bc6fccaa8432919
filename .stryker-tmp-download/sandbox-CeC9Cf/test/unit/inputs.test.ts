/**
 * shared/inputs.ts beyond actionInputs.test.ts: the exact limits Kling documents (size, 300 px, 1:2.5), how
 * declared types are read, the messages that name the field, and reading inputs from node parameters and binary
 * properties. Written against mutation-testing survivors (issue 16). The context object below is a plain
 * stand-in for the four IExecuteFunctions members the module reads (real n8n contexts: actionNode.test.ts).
 */
import { NodeOperationError, type IDataObject, type INode } from 'n8n-workflow';
import {
	IMAGE_MAX_ASPECT,
	IMAGE_MIN_SIDE,
	MEDIA_LIMITS,
	MediaInputError,
	checkBase64Media,
	checkMediaBytes,
	checkMediaUrl,
	defaultInputType,
	imageDimensions,
	mediaInputProperties,
	mediaListProperty,
	resolveInlineMedia,
	resolveMediaInput,
	resolveMediaList,
	sniffType,
	toBareBase64,
	type MediaContext,
} from '../../nodes/KlingAi/shared/inputs';
import { png } from '../integration/actionFixtures';

function jpeg(width: number, height: number, sofMarker = 0xc0, before: Buffer[] = []): Buffer {
	const sof = Buffer.from([0xff, sofMarker, 0x00, 0x11, 0x08, height >> 8, height & 0xff, width >> 8, width & 0xff, 0x03, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
	const app0 = Buffer.concat([Buffer.from([0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF\0'), Buffer.alloc(9)]);
	return Buffer.concat([Buffer.from([0xff, 0xd8]), app0, ...before, sof, Buffer.from([0xff, 0xd9])]);
}
const segment = (marker: number, payload = 4) => Buffer.concat([Buffer.from([0xff, marker, 0x00, payload + 2]), Buffer.alloc(payload)]);
const at4 = (tag: string) => Buffer.concat([Buffer.from([0, 0, 0, 8]), Buffer.from(tag), Buffer.alloc(8)]);
const field = (fn: () => unknown): MediaInputError => {
	try {
		fn();
	} catch (e) {
		expect(e).toBeInstanceOf(MediaInputError);
		return e as MediaInputError;
	}
	throw new Error('accepted');
};

describe('sniffType edges', () => {
	test.each([
		['M4B audiobook', Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypM4B '), Buffer.alloc(12)]), { kind: 'audio', ext: 'm4a' }],
		['QuickTime moov atom', at4('moov'), { kind: 'video', ext: 'mov' }],
		['QuickTime mdat atom', at4('mdat'), { kind: 'video', ext: 'mov' }],
		['QuickTime wide atom', at4('wide'), { kind: 'video', ext: 'mov' }],
		['QuickTime free atom', at4('free'), { kind: 'video', ext: 'mov' }],
		['MP3 frame 0xffe3', Buffer.from([0xff, 0xe3]), { kind: 'audio', ext: 'mp3' }],
		['AAC ADTS 0xfff9', Buffer.from([0xff, 0xf9]), { kind: 'audio', ext: 'aac' }],
	])('%s', (_name, buf, expected) => {
		expect(sniffType(buf)).toEqual(expected);
	});

	test.each([
		['a PNG signature cut short', png('x').subarray(0, 7)],
		['a PNG signature with a wrong second half', Buffer.concat([png('x').subarray(0, 4), Buffer.from([0, 0, 0, 0])])],
		['two JPEG bytes', Buffer.from([0xff, 0xd8])],
		['JPEG with a wrong third byte', Buffer.from([0xff, 0xd8, 0x00, 0x00])],
		['ftyp without a brand', Buffer.from([0, 0, 0, 0, 0x66, 0x74, 0x79, 0x70])],
		['RIFF that is not WAVE', Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('AVI ')])],
		['RIFF cut short', Buffer.from('RIFF\0\0\0\0WAV')],
		['ID cut short', Buffer.from('ID')],
		['a single 0xff byte', Buffer.from([0xff])],
		['0xff followed by a non-sync byte', Buffer.from([0xff, 0x10])],
		['an unknown atom', at4('junk')],
		['nothing', Buffer.alloc(0)],
	])('%s is not recognised', (_name, buf) => {
		expect(sniffType(buf)).toBeUndefined();
	});
});

describe('imageDimensions edges', () => {
	test('progressive JPEG (SOF2), fill bytes, and segments skipped by their length before the frame header', () => {
		expect(imageDimensions(jpeg(640, 480, 0xc2))).toEqual({ width: 640, height: 480 });
		expect(imageDimensions(jpeg(640, 480, 0xc0, [Buffer.from([0xff]), segment(0xdb, 10)]))).toEqual({ width: 640, height: 480 });
	});

	test('tables that sit in the SOF marker range (DHT c4, JPG c8, DAC cc) are not frame headers', () => {
		for (const marker of [0xc4, 0xc8, 0xcc]) {
			const table = Buffer.from([0xff, marker, 0x00, 0x11, 0x08, 0x00, 0x10, 0x00, 0x10, ...Buffer.alloc(10)]);
			expect(imageDimensions(jpeg(640, 480, 0xc0, [table]))).toEqual({ width: 640, height: 480 });
		}
	});

	test('the last frame-header marker (cf) counts; markers outside c0-cf do not', () => {
		expect(imageDimensions(jpeg(500, 400, 0xcf))).toEqual({ width: 500, height: 400 });
		expect(imageDimensions(jpeg(500, 400, 0xd0))).toBeUndefined();
		expect(imageDimensions(jpeg(500, 400, 0xbf))).toBeUndefined();
	});

	test('broken or foreign data gives no dimensions', () => {
		const broken = Buffer.concat([Buffer.from([0xff, 0xd8, 0x00, 0x00]), Buffer.alloc(20)]);
		expect(imageDimensions(broken)).toBeUndefined();
		expect(imageDimensions(png('x').subarray(0, 23))).toBeUndefined();
		const noIhdr = Buffer.from(png('x'));
		noIhdr.write('XXXX', 12, 'latin1');
		expect(imageDimensions(noIhdr)).toBeUndefined();
		expect(imageDimensions(Buffer.from([0xff, 0xd8, 0xff]))).toBeUndefined();
		expect(imageDimensions(Buffer.from('GIF89a0000000000000000000000'))).toBeUndefined();
	});

	test('a JPEG whose frame header ends the data is still read (offset + 9 is the last byte needed)', () => {
		const full = jpeg(800, 600);
		const sofStart = full.indexOf(Buffer.from([0xff, 0xc0]));
		expect(imageDimensions(full.subarray(0, sofStart + 10))).toEqual({ width: 800, height: 600 });
		expect(imageDimensions(full.subarray(0, sofStart + 9))).toBeUndefined();
	});
});

describe('checkMediaBytes: the documented limits exactly', () => {
	test('an image of exactly 300 px on its short side and exactly 1:2.5 is accepted; one pixel less or more is not', () => {
		expect(IMAGE_MIN_SIDE).toBe(300);
		expect(IMAGE_MAX_ASPECT).toBe(2.5);
		expect(() => checkMediaBytes('Image', 'image', jpeg(300, 300))).not.toThrow();
		expect(() => checkMediaBytes('Image', 'image', jpeg(750, 300))).not.toThrow();
		expect(() => checkMediaBytes('Image', 'image', jpeg(300, 750))).not.toThrow();
		expect(field(() => checkMediaBytes('Image', 'image', jpeg(299, 400))).message).toBe('"Image" is too small: 299x400 px, Kling needs at least 300 px on each side');
		expect(field(() => checkMediaBytes('Image', 'image', jpeg(400, 299))).message).toBe('"Image" is too small: 400x299 px, Kling needs at least 300 px on each side');
		expect(field(() => checkMediaBytes('Image', 'image', jpeg(751, 300))).message).toBe('"Image" has an aspect ratio of 751:300; Kling accepts 1:2.5 to 2.5:1');
		expect(field(() => checkMediaBytes('Image', 'image', jpeg(300, 751))).message).toBe('"Image" has an aspect ratio of 300:751; Kling accepts 1:2.5 to 2.5:1');
	});

	test('an image whose size cannot be read is not refused for its size', () => {
		const noSof = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(40)]);
		expect(() => checkMediaBytes('Image', 'image', noSof)).not.toThrow();
	});

	test('exactly the maximum size is accepted; one byte more is refused with both sizes and the documented label', () => {
		const max = MEDIA_LIMITS.audio.maxBytes;
		const atMax = Buffer.concat([Buffer.from('ID3'), Buffer.alloc(max - 3)]);
		expect(() => checkMediaBytes('Audio', 'audio', atMax)).not.toThrow();
		const e = field(() => checkMediaBytes('Audio', 'audio', Buffer.concat([atMax, Buffer.alloc(1)])));
		expect(e.message).toBe('"Audio" is too large: 5.0 MB, Kling accepts at most 5.0 MB');
		expect(e.description).toBe('Kling accepts MP3/WAV/M4A/AAC up to 5 MB. Compress or resize the file, or pass a URL instead.');
		expect(e.field).toBe('Audio');
	});

	test('empty data names the field', () => {
		expect(field(() => checkMediaBytes('Mask', 'image', Buffer.alloc(0))).message).toBe('"Mask" is empty');
	});

	test('declared types: MIME parameters and case are ignored, a known extension alone is enough', () => {
		const raw = Buffer.from('not sniffable audio payload');
		expect(() => checkMediaBytes('A', 'audio', raw, { mimeType: 'Audio/MPEG; charset=binary' })).not.toThrow();
		expect(() => checkMediaBytes('A', 'audio', raw, { fileName: 'voice.M4A' })).not.toThrow();
		expect(() => checkMediaBytes('A', 'audio', raw, { mimeType: 'application/octet-stream', fileName: 'voice.wav' })).not.toThrow();
		expect(() => checkMediaBytes('V', 'video', raw, { mimeType: 'video/quicktime' })).not.toThrow();
	});

	test('the unsupported-type message says what was found', () => {
		const raw = Buffer.from('not sniffable audio payload');
		expect(field(() => checkMediaBytes('A', 'audio', raw)).message).toBe('"A" has an unsupported type (unrecognised data)');
		expect(field(() => checkMediaBytes('A', 'audio', raw, { mimeType: 'text/plain' })).message).toBe('"A" has an unsupported type (text/plain)');
		expect(field(() => checkMediaBytes('A', 'audio', raw, { fileName: 'notes.txt' })).message).toBe('"A" has an unsupported type (.txt)');
		expect(field(() => checkMediaBytes('A', 'audio', raw, { mimeType: 'text/plain', fileName: 'a.TXT' })).message).toBe('"A" has an unsupported type (text/plain .txt)');
		expect(field(() => checkMediaBytes('A', 'audio', raw, { fileName: 'noextension' })).message).toBe('"A" has an unsupported type (unrecognised data)');
		const e = field(() => checkMediaBytes('V', 'video', jpeg(400, 400)));
		expect(e.message).toBe('"V" has an unsupported type (JPG image)');
		expect(e.description).toBe('Kling accepts MP4/MOV up to 100 MB.');
	});
});

describe('base64 and URLs', () => {
	test('empty input (also after removing a data: prefix and spaces) names the field', () => {
		expect(field(() => toBareBase64('X', '   ')).message).toBe('"X" is empty');
		expect(field(() => toBareBase64('X', 'data:image/png;base64, \n')).message).toBe('"X" is empty');
		expect(field(() => checkMediaUrl('U', '  ')).message).toBe('"U" is empty');
	});

	test('a data: prefix in any case is removed; missing or wrong padding is repaired', () => {
		const b64 = png('c').toString('base64');
		expect(toBareBase64('X', `DATA:IMAGE/PNG;BASE64,${b64}`)).toBe(b64);
		expect(toBareBase64('X', 'YWJj')).toBe('YWJj');
		expect(toBareBase64('X', 'YWI')).toBe('YWI=');
		expect(toBareBase64('X', 'YQ')).toBe('YQ==');
		expect(toBareBase64('X', 'YW-_')).toBe('YW+/');
	});

	test('wrong padding is recomputed from the data, not kept (regression: "YQ=" stayed "YQ=")', () => {
		expect(toBareBase64('X', 'YQ=')).toBe('YQ==');
		expect(toBareBase64('X', 'YWJj=')).toBe('YWJj');
		expect(toBareBase64('X', 'YWI==')).toBe('YWI=');
		expect(() => toBareBase64('X', 'YWJjZ=')).toThrow('"X" is not valid base64 (truncated data)');
	});

	test('invalid base64 says how to fix it', () => {
		const e = field(() => toBareBase64('X', 'ab$cd'));
		expect(e.message).toBe('"X" is not valid base64');
		expect(e.description).toBe('Paste raw base64 data, or choose URL / Binary Property as the input type.');
		expect(field(() => toBareBase64('X', 'abc+-')).message).toBe('"X" is not valid base64');
		expect(field(() => toBareBase64('X', 'a')).message).toBe('"X" is not valid base64 (truncated data)');
	});

	test('http URLs are accepted as given (trimmed); invalid ones say what to do', () => {
		expect(checkMediaUrl('U', 'http://e.com/a.png')).toBe('http://e.com/a.png');
		const e = field(() => checkMediaUrl('U', 'nope'));
		expect(e.message).toBe('"U" is not a valid URL');
		expect(e.description).toBe('Use a public http(s) URL, or choose Base64 / Binary Property as the input type.');
		expect(field(() => checkMediaUrl('U', 'file:///etc/passwd')).message).toBe('"U" must be an http(s) URL (got file:)');
	});

	test('checkBase64Media returns the base64 after the byte checks, and refuses oversize data before decoding it', () => {
		const b64 = jpeg(400, 400).toString('base64');
		expect(checkBase64Media('I', 'image', b64)).toBe(b64);
		expect(field(() => checkBase64Media('I', 'image', jpeg(100, 100).toString('base64'))).message).toMatch(/too small/);
		const huge = 'A'.repeat(Math.ceil(((MEDIA_LIMITS.audio.maxBytes + 3) * 4) / 3) + 4);
		const e = field(() => checkBase64Media('A', 'audio', huge));
		expect(e.message).toMatch(/^"A" is too large: 5\.0 MB, Kling accepts at most 5\.0 MB$/);
		expect(e.description).toBe('Kling accepts MP3/WAV/M4A/AAC up to 5 MB.');
	});
});

// ------------------------------------------------------------------ reading node parameters

const NODE: INode = { id: 'n', name: 'Kling AI', type: 'klingAi', typeVersion: 1, position: [0, 0], parameters: {} };

function context(parameters: IDataObject, binary: Record<string, { data: Buffer; mimeType?: string; fileName?: string }> = {}): MediaContext {
	return {
		getNode: () => NODE,
		getNodeParameter: ((name: string, _i: number, fallback?: unknown) => (name in parameters ? parameters[name] : fallback)) as MediaContext['getNodeParameter'],
		getInputData: () => [{ json: {}, binary: Object.fromEntries(Object.entries(binary).map(([k, v]) => [k, { data: '', mimeType: v.mimeType ?? '', fileName: v.fileName }])) }],
		helpers: { getBinaryDataBuffer: async (_i: number, name: string) => binary[name].data } as unknown as MediaContext['helpers'],
	};
}

const opError = async (p: Promise<unknown> | (() => unknown)): Promise<NodeOperationError> => {
	const e = await (typeof p === 'function' ? Promise.resolve().then(p) : p).then(
		() => undefined,
		(err: unknown) => err,
	);
	expect(e).toBeInstanceOf(NodeOperationError);
	return e as NodeOperationError;
};

describe('resolveMediaInput', () => {
	const image = { name: 'image', displayName: 'Start Frame Image', kind: 'image' as const };

	test('the default input type: URL for required inputs, None for optional ones unless told otherwise', () => {
		expect(defaultInputType(image)).toBe('url');
		expect(defaultInputType({ ...image, optional: true })).toBe('none');
		expect(defaultInputType({ ...image, optional: true, defaultInputType: 'url' })).toBe('url');
	});

	test('None gives nothing; URL, base64 and binary each give the value and say where it came from', async () => {
		const jpg = jpeg(400, 400);
		expect(await resolveMediaInput(context({}), 0, { ...image, optional: true })).toBeUndefined();
		expect(await resolveMediaInput(context({ image: ' https://e.com/a.jpg ' }), 0, image)).toEqual({ value: 'https://e.com/a.jpg', source: 'url' });
		expect(await resolveMediaInput(context({ imageInputType: 'base64', image: `data:image/jpeg;base64,${jpg.toString('base64')}` }), 0, image)).toEqual({
			value: jpg.toString('base64'),
			source: 'base64',
		});
		expect(await resolveMediaInput(context({ imageInputType: 'binary' }, { data: { data: jpg, mimeType: 'image/jpeg' } }), 0, image)).toEqual({ value: jpg.toString('base64'), source: 'binary' });
		expect(await resolveMediaInput(context({ imageInputType: 'binary', imageBinaryProperty: ' frame ' }, { frame: { data: jpg } }), 0, image)).toEqual({ value: jpg.toString('base64'), source: 'binary' });
	});

	test('bad input becomes a NodeOperationError naming the field and the item, with the hint', async () => {
		const e = await opError(resolveMediaInput(context({ image: 'nope' }), 3, image));
		expect(e.message).toBe('"Start Frame Image" is not a valid URL');
		expect(e.description).toBe('Use a public http(s) URL, or choose Base64 / Binary Property as the input type.');
		expect(e.context.itemIndex).toBe(3);
	});

	test('a URL-only field refuses base64 and binary; an unknown input type is named', async () => {
		const urlOnly = { ...image, urlOnly: true };
		expect((await opError(resolveMediaInput(context({ imageInputType: 'base64', image: 'YWJj' }), 0, urlOnly))).message).toBe('"Start Frame Image" only accepts a URL (got input type "base64")');
		expect((await opError(resolveMediaInput(context({ imageInputType: 'ftp' }), 0, image))).message).toBe('"Start Frame Image Input Type" has an unknown value "ftp"');
	});

	test('binary: an empty property name, or one the item does not have, is named; the bytes are checked against the declared type', async () => {
		expect((await opError(resolveMediaInput(context({ imageInputType: 'binary', imageBinaryProperty: ' ' }), 0, image))).message).toBe('"Start Frame Image Binary Property" is empty');
		const missing = await opError(resolveMediaInput(context({ imageInputType: 'binary', imageBinaryProperty: 'pic' }, { data: { data: jpeg(400, 400) } }), 0, image));
		expect(missing.message).toBe('"Start Frame Image Binary Property": the input item has no binary property "pic"');
		expect(missing.description).toBe('Check the name of the binary property in the previous node\'s output (often "data").');
		const text = await opError(resolveMediaInput(context({ imageInputType: 'binary' }, { data: { data: Buffer.from('plain text'), mimeType: 'text/plain', fileName: 'a.txt' } }), 0, image));
		expect(text.message).toBe('"Start Frame Image" has an unsupported type (text/plain .txt)');
		const declared = await resolveMediaInput(context({ imageInputType: 'binary' }, { data: { data: Buffer.from('unsniffable'), mimeType: 'image/png' } }), 0, image);
		expect(declared?.source).toBe('binary');
	});

	test('errors that are not input errors pass through unchanged', async () => {
		const ctx = context({ imageInputType: 'binary' }, { data: { data: jpeg(400, 400) } });
		const boom = new Error('binary store down');
		ctx.helpers.getBinaryDataBuffer = (async () => {
			throw boom;
		}) as never;
		await expect(resolveMediaInput(ctx, 0, image)).rejects.toBe(boom);
	});
});

describe('resolveInlineMedia', () => {
	test('an http(s) URL (any case) is a URL; anything else is base64 and is checked', () => {
		expect(resolveInlineMedia(context({}), 0, 'Mask', 'image', ' HTTPS://e.com/m.png ')).toBe('HTTPS://e.com/m.png');
		const jpg = jpeg(400, 400).toString('base64');
		expect(resolveInlineMedia(context({}), 0, 'Mask', 'image', `data:image/jpeg;base64,${jpg}`)).toBe(jpg);
	});

	test('errors name the field and the item', async () => {
		const e = await opError(() => resolveInlineMedia(context({}), 2, 'Mask', 'image', 'ab$'));
		expect(e.message).toBe('"Mask" is not valid base64');
		expect(e.context.itemIndex).toBe(2);
	});
});

describe('media lists', () => {
	const spec = { name: 'images', entryName: 'image', displayName: 'Reference Images', entryDisplayName: 'Reference Image', kind: 'image' as const, min: 1, max: 2 };

	test('the list property: required when min > 0, capped at max entries, described with the documented limits', () => {
		const p = mediaListProperty(spec);
		expect(p).toMatchObject({ name: 'images', type: 'fixedCollection', required: true, typeOptions: { multipleValues: true, maxAllowedFields: 2 }, placeholder: 'Add Reference Image' });
		expect(p.description).toBe('1 to 2 reference images (JPG/JPEG/PNG up to 10 MB)');
		expect(mediaListProperty({ ...spec, min: 0, description: 'custom' })).toMatchObject({ required: false, description: 'custom' });
	});

	test('each entry resolved by its input type (URL by default), with its raw entry', async () => {
		const jpg = jpeg(400, 400);
		const entries = [{ data: 'https://e.com/1.png', role: 'a' }, { inputType: 'binary', binaryProperty: 'pic' }];
		const out = await resolveMediaList(context({ images: { image: entries } }, { pic: { data: jpg } }), 0, spec);
		expect(out).toEqual([
			{ value: 'https://e.com/1.png', entry: entries[0] },
			{ value: jpg.toString('base64'), entry: entries[1] },
		]);
		const b64 = await resolveMediaList(context({ images: { image: [{ inputType: 'base64', data: jpg.toString('base64') }] } }), 0, spec);
		expect(b64[0].value).toBe(jpg.toString('base64'));
	});

	test('too few or too many entries, and a bad entry, are errors naming the list or the entry number', async () => {
		const none = await opError(resolveMediaList(context({}), 1, spec));
		expect(none.message).toBe('"Reference Images" is required');
		expect(none.description).toBe('Add 1 to 2 entries.');
		expect(none.context.itemIndex).toBe(1);
		const three = [{ data: 'https://e.com/1' }, { data: 'https://e.com/2' }, { data: 'https://e.com/3' }];
		expect((await opError(resolveMediaList(context({ images: { image: three } }), 0, spec))).message).toBe('"Reference Images" has 3 entries, Kling accepts at most 2');
		const bad = await opError(resolveMediaList(context({ images: { image: [{ data: 'https://e.com/1' }, { data: 'ftp://e.com/2' }] } }), 4, spec));
		expect(bad.message).toBe('"Reference Image 2" must be an http(s) URL (got ftp:)');
		expect(bad.context.itemIndex).toBe(4);
		expect((await opError(resolveMediaList(context({ images: { image: [{}] } }), 0, spec))).message).toBe('"Reference Image 1" is empty');
		expect(await resolveMediaList(context({ images: { image: [null, { data: 'https://e.com/1' }] } }), 0, spec)).toHaveLength(1);
		expect(await resolveMediaList(context({}), 0, { ...spec, min: 0 })).toEqual([]);
	});

	test('an entry without a binary property name reads "data"', async () => {
		const jpg = jpeg(400, 400);
		const out = await resolveMediaList(context({ images: { image: [{ inputType: 'binary' }] } }, { data: { data: jpg } }), 0, spec);
		expect(out[0].value).toBe(jpg.toString('base64'));
	});
});

describe('mediaInputProperties', () => {
	test('the input type selector offers None only for optional inputs and base64/binary only when Kling takes them', () => {
		const values = (spec: Parameters<typeof mediaInputProperties>[0]) =>
			(mediaInputProperties(spec)[0].options as Array<{ value: string }>).map((o) => o.value);
		const base = { name: 'image', displayName: 'Start Frame Image', kind: 'image' as const };
		expect(values(base)).toEqual(['url', 'base64', 'binary']);
		expect(values({ ...base, optional: true })).toEqual(['none', 'url', 'base64', 'binary']);
		expect(values({ ...base, urlOnly: true })).toEqual(['url']);
		const none = (mediaInputProperties({ ...base, optional: true })[0].options as Array<{ value: string; description: string }>)[0];
		expect(none.description).toBe('Do not send a start frame image');
	});
});
