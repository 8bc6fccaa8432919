/**
 * shared/inputs.ts: the file-type sniffing and JPEG size reading that decide what the node sends and which limits it
 * checks, at their byte-level edges (Stryker survivors of 2026-12-01, TESTING.md): each magic number needs every byte,
 * a short buffer is never read past its end, and a JPEG whose segments are broken gives no size.
 */
import { imageDimensions, sniffType } from '../../nodes/KlingAi/shared/inputs';

const b = (...bytes: number[]) => Buffer.from(bytes);

describe('sniffType: every byte of a magic number counts', () => {
	test('JPEG needs FF D8 FF', () => {
		expect(sniffType(b(0xff, 0xd8, 0xff))).toEqual({ kind: 'image', ext: 'jpg' });
		expect(sniffType(b(0xff, 0x00, 0xff))).toBeUndefined();
	});

	test('AAC (ADTS) and MP3 frame sync need FF in the first byte and two bytes at least', () => {
		expect(sniffType(b(0xff, 0xf1))).toEqual({ kind: 'audio', ext: 'aac' });
		expect(sniffType(b(0xff, 0xfb))).toEqual({ kind: 'audio', ext: 'mp3' });
		expect(sniffType(b(0x00, 0xf1))).toBeUndefined();
		expect(sniffType(b(0x00, 0xfb))).toBeUndefined();
		expect(sniffType(b(0xff))).toBeUndefined();
		expect(sniffType(b(0xf1))).toBeUndefined();
	});

	test('QuickTime atoms need the whole 8-byte header', () => {
		expect(sniffType(Buffer.from('\0\0\0\x08moov', 'latin1'))).toEqual({ kind: 'video', ext: 'mov' });
		expect(sniffType(Buffer.from('\0\0\0\x08moo', 'latin1'))).toBeUndefined();
	});
});

describe('imageDimensions: JPEG', () => {
	/** A JPEG start, an APP0 segment of `appLength`, then a SOF0 frame of 640×480. */
	const jpeg = (appLength = 4) =>
		b(0xff, 0xd8, 0xff, 0xe0, 0x00, appLength, ...new Array(appLength - 2).fill(0), 0xff, 0xc0, 0x00, 0x11, 0x08, 0x01, 0xe0, 0x02, 0x80, 0, 0, 0, 0, 0, 0, 0, 0);

	test('reads the frame size after other segments', () => {
		expect(imageDimensions(jpeg())).toEqual({ width: 640, height: 480 });
	});

	test('needs FF D8 at the start', () => {
		const notJpeg = jpeg();
		notJpeg[0] = 0x00;
		expect(imageDimensions(notJpeg)).toBeUndefined();
		const notJpeg2 = jpeg();
		notJpeg2[1] = 0x00;
		expect(imageDimensions(notJpeg2)).toBeUndefined();
	});

	test('a segment that does not start with FF ends the search (no size from garbage)', () => {
		const broken = jpeg();
		broken[2] = 0x00;
		expect(imageDimensions(broken)).toBeUndefined();
	});

	test('a start marker alone has no size', () => {
		expect(imageDimensions(b(0xff, 0xd8, 0xff))).toBeUndefined();
	});
});
