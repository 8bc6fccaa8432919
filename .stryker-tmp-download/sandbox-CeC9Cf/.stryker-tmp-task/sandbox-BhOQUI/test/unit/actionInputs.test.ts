/** Media inputs of the action node (nodes/KlingAi/shared/inputs.ts): type sniffing, dimensions, base64 normalisation, limits. */
import {
	MEDIA_LIMITS,
	MediaInputError,
	checkMediaBytes,
	checkMediaUrl,
	imageDimensions,
	sniffType,
	toBareBase64,
} from '../../nodes/KlingAi/shared/inputs';
import { makeMp4 } from '../simulator/media';
import { png } from '../integration/actionFixtures';

function jpeg(width: number, height: number): Buffer {
	const sof = Buffer.from([0xff, 0xc0, 0x00, 0x11, 0x08, height >> 8, height & 0xff, width >> 8, width & 0xff, 0x03, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
	const app0 = Buffer.concat([Buffer.from([0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF\0'), Buffer.alloc(9)]);
	return Buffer.concat([Buffer.from([0xff, 0xd8]), app0, sof, Buffer.from([0xff, 0xd9])]);
}

const ftyp = (brand: string) => Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from(`ftyp${brand}`), Buffer.alloc(12)]);

describe('sniffType', () => {
	it.each([
		['PNG', png('x'), { kind: 'image', ext: 'png' }],
		['JPEG', jpeg(400, 300), { kind: 'image', ext: 'jpg' }],
		['MP4', makeMp4('v'), { kind: 'video', ext: 'mp4' }],
		['MOV', ftyp('qt  '), { kind: 'video', ext: 'mov' }],
		['M4A', ftyp('M4A '), { kind: 'audio', ext: 'm4a' }],
		['WAV', Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WAVEfmt ')]), { kind: 'audio', ext: 'wav' }],
		['MP3 (ID3)', Buffer.from('ID3\x04\0\0'), { kind: 'audio', ext: 'mp3' }],
		['MP3 (frame)', Buffer.from([0xff, 0xfb, 0x90, 0x44]), { kind: 'audio', ext: 'mp3' }],
		['AAC (ADTS)', Buffer.from([0xff, 0xf1, 0x50, 0x80]), { kind: 'audio', ext: 'aac' }],
	])('%s', (_name, buf, expected) => {
		expect(sniffType(buf)).toEqual(expected);
	});
	it('unknown bytes', () => expect(sniffType(Buffer.from('hello world'))).toBeUndefined());
});

describe('imageDimensions', () => {
	it('PNG and JPEG', () => {
		expect(imageDimensions(png('d', 320, 480))).toEqual({ width: 320, height: 480 });
		expect(imageDimensions(jpeg(1024, 768))).toEqual({ width: 1024, height: 768 });
	});
});

describe('checkMediaBytes', () => {
	it('accepts a JPEG of the right size and shape', () => {
		expect(() => checkMediaBytes('Image', 'image', jpeg(1024, 768))).not.toThrow();
	});
	it('refuses video given as image, tiny and extreme images, and oversize audio', () => {
		expect(() => checkMediaBytes('Image', 'image', makeMp4('v'))).toThrow(/"Image" has an unsupported type \(MP4 video\)/);
		expect(() => checkMediaBytes('Image', 'image', jpeg(200, 200))).toThrow(/too small: 200x200/);
		expect(() => checkMediaBytes('Image', 'image', jpeg(2000, 300))).toThrow(/aspect ratio/);
		const big = Buffer.concat([Buffer.from('ID3'), Buffer.alloc(MEDIA_LIMITS.audio.maxBytes)]);
		expect(() => checkMediaBytes('Audio', 'audio', big)).toThrow(/"Audio" is too large/);
	});
	it('trusts a declared type when the bytes are not recognisable, never against them', () => {
		const raw = Buffer.from('not sniffable audio payload');
		expect(() => checkMediaBytes('Audio', 'audio', raw, { mimeType: 'audio/mpeg', fileName: 'a.mp3' })).not.toThrow();
		expect(() => checkMediaBytes('Audio', 'audio', raw, { mimeType: 'text/plain', fileName: 'a.txt' })).toThrow(MediaInputError);
		expect(() => checkMediaBytes('Audio', 'audio', png('x'), { mimeType: 'audio/mpeg' })).toThrow(/unsupported type \(PNG image\)/);
	});
});

describe('toBareBase64 / checkMediaUrl', () => {
	it('removes a data: prefix and whitespace, converts base64url, restores padding', () => {
		const b64 = png('b').toString('base64');
		expect(toBareBase64('X', `data:image/png;base64,${b64.slice(0, 40)}\n${b64.slice(40)}`)).toBe(b64);
		expect(toBareBase64('X', png('b').toString('base64url'))).toBe(b64);
	});
	it('refuses junk and truncated data', () => {
		expect(() => toBareBase64('X', '%%%')).toThrow(/"X" is not valid base64/);
		expect(() => toBareBase64('X', 'abcde')).toThrow(/truncated/);
	});
	it('URLs must be http(s)', () => {
		expect(checkMediaUrl('U', ' https://e.com/a.png ')).toBe('https://e.com/a.png');
		expect(() => checkMediaUrl('U', 'ftp://e.com/a.png')).toThrow(/"U" must be an http\(s\) URL/);
		expect(() => checkMediaUrl('U', 'nope')).toThrow(/not a valid URL/);
	});
});
