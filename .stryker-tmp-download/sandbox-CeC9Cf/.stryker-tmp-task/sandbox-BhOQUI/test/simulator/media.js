// @ts-check
'use strict';
/**
 * Media the simulator serves as task results, generated in code: a small structurally valid MP4
 * (ftyp + moov + mdat), a small valid PNG (zlib-compressed scanlines, CRC-checked chunks), and a
 * streamed MP4 of any size that never holds more than one chunk in memory.
 */
const zlib = require('node:zlib');
const crypto = require('node:crypto');
const { Readable } = require('node:stream');

// ---------------------------------------------------------------- PNG

/** @type {Uint32Array | undefined} */
let crcTable;
/** @param {Buffer} buf */
function crc32(buf) {
	if (!crcTable) {
		crcTable = new Uint32Array(256);
		for (let n = 0; n < 256; n++) {
			let c = n;
			for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
			crcTable[n] = c >>> 0;
		}
	}
	let crc = 0xffffffff;
	for (let i = 0; i < buf.length; i++) crc = crcTable[(crc ^ buf[i]) & 0xff] ^ (crc >>> 8);
	return (crc ^ 0xffffffff) >>> 0;
}

/** @param {string} type @param {Buffer} data */
function pngChunk(type, data) {
	const len = Buffer.alloc(4);
	len.writeUInt32BE(data.length);
	const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(typeAndData));
	return Buffer.concat([len, typeAndData, crc]);
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * A small RGB PNG whose colours derive from `label` (so different results differ).
 * @param {string} label @param {number} [width] @param {number} [height]
 */
function makePng(label, width = 32, height = 32) {
	const h = crypto.createHash('sha256').update(label).digest();
	const rows = [];
	for (let y = 0; y < height; y++) {
		const row = Buffer.alloc(1 + width * 3); // filter byte 0 (None)
		for (let x = 0; x < width; x++) {
			row[1 + x * 3] = (h[0] + x * 3) & 0xff;
			row[2 + x * 3] = (h[1] + y * 3) & 0xff;
			row[3 + x * 3] = h[2];
		}
		rows.push(row);
	}
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(width, 0);
	ihdr.writeUInt32BE(height, 4);
	ihdr[8] = 8; // bit depth
	ihdr[9] = 2; // colour type RGB
	ihdr[10] = 0; // compression
	ihdr[11] = 0; // filter
	ihdr[12] = 0; // interlace
	return Buffer.concat([
		PNG_SIGNATURE,
		pngChunk('IHDR', ihdr),
		pngChunk('IDAT', zlib.deflateSync(Buffer.concat(rows))),
		pngChunk('IEND', Buffer.alloc(0)),
	]);
}

// ---------------------------------------------------------------- MP4

/** @param {string} type @param {...Buffer} payloads */
function box(type, ...payloads) {
	const body = Buffer.concat(payloads);
	const head = Buffer.alloc(8);
	head.writeUInt32BE(8 + body.length, 0);
	head.write(type, 4, 'ascii');
	return Buffer.concat([head, body]);
}

/** @param {string} type @param {number} version @param {number} flags @param {...Buffer} payloads */
function fullBox(type, version, flags, ...payloads) {
	const vf = Buffer.alloc(4);
	vf.writeUInt32BE(((version & 0xff) << 24) | (flags & 0xffffff));
	return box(type, vf, ...payloads);
}

/** @param {number[]} values 32-bit big-endian words */
function u32(...values) {
	const b = Buffer.alloc(values.length * 4);
	values.forEach((v, i) => b.writeUInt32BE(v >>> 0, i * 4));
	return b;
}
/** @param {number[]} values */
function u16(...values) {
	const b = Buffer.alloc(values.length * 2);
	values.forEach((v, i) => b.writeUInt16BE(v & 0xffff, i * 2));
	return b;
}

const UNITY_MATRIX = u32(0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000);

/** ftyp + moov describing one (sample-less) video track of `durationSec` seconds. */
function mp4Header(durationSec = 5, width = 320, height = 180) {
	const timescale = 1000;
	const duration = Math.round(durationSec * timescale);
	const ftyp = box('ftyp', Buffer.from('isom', 'ascii'), u32(0x200), Buffer.from('isomiso2avc1mp41', 'ascii'));
	const mvhd = fullBox(
		'mvhd', 0, 0,
		u32(0, 0, timescale, duration, 0x00010000), u16(0x0100, 0), u32(0, 0),
		UNITY_MATRIX, Buffer.alloc(24), u32(2),
	);
	const tkhd = fullBox(
		'tkhd', 0, 3,
		u32(0, 0, 1, 0, duration, 0, 0), u16(0, 0, 0, 0),
		UNITY_MATRIX, u32(width << 16, height << 16),
	);
	const mdhd = fullBox('mdhd', 0, 0, u32(0, 0, timescale, duration), u16(0x55c4 /* 'und' */, 0));
	const hdlr = fullBox('hdlr', 0, 0, u32(0), Buffer.from('vide', 'ascii'), Buffer.alloc(12), Buffer.from('VideoHandler\0', 'ascii'));
	const vmhd = fullBox('vmhd', 0, 1, u16(0, 0, 0, 0));
	const dinf = box('dinf', fullBox('dref', 0, 0, u32(1), fullBox('url ', 0, 1)));
	const stbl = box(
		'stbl',
		fullBox('stsd', 0, 0, u32(0)),
		fullBox('stts', 0, 0, u32(0)),
		fullBox('stsc', 0, 0, u32(0)),
		fullBox('stsz', 0, 0, u32(0, 0)),
		fullBox('stco', 0, 0, u32(0)),
	);
	const moov = box('moov', mvhd, box('trak', tkhd, box('mdia', mdhd, hdlr, box('minf', vmhd, dinf, stbl))));
	return Buffer.concat([ftyp, moov]);
}

/**
 * A small MP4 (a few hundred bytes): ftyp, moov (mvhd/trak/mdia/minf/stbl), and an mdat carrying `label`.
 * @param {string} label @param {number} [durationSec]
 */
function makeMp4(label, durationSec = 5) {
	return Buffer.concat([mp4Header(durationSec), box('mdat', Buffer.from(`kling-simulator ${label}`, 'utf8'))]);
}

const LARGE_CHUNK = 64 * 1024;

/**
 * A Readable producing exactly `size` bytes: MP4 header, then one mdat box filling the rest
 * (64-bit largesize when needed). Only one 64 KiB zero chunk is ever allocated.
 * @param {number} size
 */
function largeMp4Stream(size) {
	const header = mp4Header(5);
	/** @type {Buffer} */
	let prefix;
	if (size <= header.length + 16) {
		prefix = Buffer.concat([header, Buffer.alloc(16)]).subarray(0, size);
	} else {
		const mdatSize = size - header.length;
		let mdatHead;
		if (mdatSize <= 0xffffffff) {
			mdatHead = Buffer.alloc(8);
			mdatHead.writeUInt32BE(mdatSize, 0);
			mdatHead.write('mdat', 4, 'ascii');
		} else {
			mdatHead = Buffer.alloc(16);
			mdatHead.writeUInt32BE(1, 0);
			mdatHead.write('mdat', 4, 'ascii');
			mdatHead.writeBigUInt64BE(BigInt(mdatSize), 8);
		}
		prefix = Buffer.concat([header, mdatHead]);
	}
	const zeros = Buffer.alloc(LARGE_CHUNK);
	let sent = 0;
	return new Readable({
		highWaterMark: LARGE_CHUNK,
		read() {
			if (sent === 0 && prefix.length) {
				sent = prefix.length;
				this.push(prefix);
				if (sent >= size) this.push(null);
				return;
			}
			const remaining = size - sent;
			if (remaining <= 0) {
				this.push(null);
				return;
			}
			const n = Math.min(remaining, LARGE_CHUNK);
			sent += n;
			this.push(n === LARGE_CHUNK ? zeros : zeros.subarray(0, n));
		},
	});
}

// ---------------------------------------------------------------- audio

/**
 * A small valid WAV (RIFF/WAVE, PCM 8 kHz mono 8-bit): near-silence whose bytes derive from `label`.
 * @param {string} label @param {number} [durationSec]
 */
function makeWav(label, durationSec = 1) {
	const rate = 8000;
	const samples = Math.max(1, Math.round(rate * durationSec));
	const h = crypto.createHash('sha256').update(label).digest();
	const data = Buffer.alloc(samples, 0x80);
	for (let i = 0; i < h.length && i < samples; i++) data[i] = 0x80 + (h[i] % 4);
	const fmt = Buffer.alloc(16);
	fmt.writeUInt16LE(1, 0); // PCM
	fmt.writeUInt16LE(1, 2); // mono
	fmt.writeUInt32LE(rate, 4);
	fmt.writeUInt32LE(rate, 8); // byte rate
	fmt.writeUInt16LE(1, 12); // block align
	fmt.writeUInt16LE(8, 14); // bits per sample
	const chunk = (/** @type {string} */ id, /** @type {Buffer} */ body) => {
		const head = Buffer.alloc(8);
		head.write(id, 0, 'ascii');
		head.writeUInt32LE(body.length, 4);
		return Buffer.concat([head, body]);
	};
	const body = Buffer.concat([Buffer.from('WAVE', 'ascii'), chunk('fmt ', fmt), chunk('data', data)]);
	return Buffer.concat([Buffer.from('RIFF', 'ascii'), u32le(body.length), body]);
}

/** @param {number} n */
function u32le(n) {
	const b = Buffer.alloc(4);
	b.writeUInt32LE(n);
	return b;
}

/** MPEG-1 Layer III frame header: 128 kbit/s, 44.1 kHz, mono, no padding, no CRC. */
const MP3_FRAME_HEADER = Buffer.from([0xff, 0xfb, 0x90, 0xc4]);
/** 144 * 128000 / 44100, rounded down: bytes per frame (1152 samples, ~26 ms). */
const MP3_FRAME_BYTES = 417;

/**
 * A small valid MP3: an ID3v2.3 tag carrying `label`, then silent MPEG-1 Layer III frames (zeroed side
 * information = no audio data), about `durationSec` long.
 * @param {string} label @param {number} [durationSec]
 */
function makeMp3(label, durationSec = 1) {
	const text = Buffer.from(`\u0000kling-simulator ${label}`, 'latin1');
	const frameHead = Buffer.alloc(10);
	frameHead.write('TIT2', 0, 'ascii');
	frameHead.writeUInt32BE(text.length, 4);
	const tagBody = Buffer.concat([frameHead, text]);
	const size = tagBody.length;
	// ID3v2 sizes are syncsafe integers (7 bits per byte).
	const tagHead = Buffer.from([0x49, 0x44, 0x33, 3, 0, 0, (size >> 21) & 0x7f, (size >> 14) & 0x7f, (size >> 7) & 0x7f, size & 0x7f]);
	const frames = Math.max(1, Math.round((durationSec * 44100) / 1152));
	const frame = Buffer.concat([MP3_FRAME_HEADER, Buffer.alloc(MP3_FRAME_BYTES - MP3_FRAME_HEADER.length)]);
	return Buffer.concat([tagHead, tagBody, ...Array.from({ length: frames }, () => frame)]);
}

module.exports = { makePng, makeMp4, makeMp3, makeWav, mp4Header, largeMp4Stream, crc32, PNG_SIGNATURE, MP3_FRAME_HEADER };
