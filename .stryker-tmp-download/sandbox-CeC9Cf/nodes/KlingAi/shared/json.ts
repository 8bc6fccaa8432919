/**
 * JSON request bodies with 64-bit integer ids. Kling types element ids (and other ids) as `long`
 * (e.g. 829836802793406551), which a JavaScript number cannot hold: JSON.stringify of the number would
 * send 829836802793406600. The node keeps such ids as digit strings, marks them with jsonInteger(), and
 * serializeJsonBody() writes them as bare JSON integers with every digit. The transport sends the
 * resulting string unchanged, so Kling receives exactly these bytes.
 */
// @ts-nocheck

import { randomUUID } from 'node:crypto';

const LONG_MAX = 9223372036854775807n;

/** A non-negative integer id kept as its decimal digits; serialised as a bare JSON integer. */
export class JsonInteger {
	readonly digits: string;
	constructor(digits: string) {
		if (!isLongId(digits)) throw new RangeError(`not a 64-bit integer id: ${JSON.stringify(digits)}`);
		this.digits = digits.replace(/^0+(?=\d)/, '');
	}
	toJSON(): string {
		// Only reached when a JsonInteger is stringified outside serializeJsonBody (e.g. in an item): keep the digits.
		return this.digits;
	}
}

/** Whether `value` is the decimal form of an integer Kling's `long` can hold (0 … 2^63-1). */
export function isLongId(value: string): boolean {
	return /^\d{1,19}$/.test(value) && BigInt(value) <= LONG_MAX;
}

export function jsonInteger(digits: string): JsonInteger {
	return new JsonInteger(digits.trim());
}

/**
 * JSON.stringify, except that every JsonInteger becomes a bare integer token with all its digits.
 * A per-call random marker stands in for the ids during stringify, so no user text can collide with it.
 */
export function serializeJsonBody(body: unknown): string {
	const marker = `__kling_int_${randomUUID()}__`;
	const json = JSON.stringify(body, function (this: unknown, key: string, value: unknown) {
		const original = (this as Record<string, unknown> | undefined)?.[key];
		return original instanceof JsonInteger ? `${marker}${original.digits}` : value;
	});
	if (json === undefined) return 'null';
	return json.replace(new RegExp(`"${marker}(\\d+)"`, 'g'), '$1');
}

/**
 * JSON.parse for Kling's answers, except that an integer too large for a JavaScript number (> 2^53, e.g. an
 * element_id such as 829836802793406551) becomes its digit string instead of a rounded number. Only bare
 * integer tokens outside strings are touched; everything else parses exactly as JSON.parse does (and throws
 * where it throws).
 */
export function parseJsonLossless(text: string): unknown {
	return JSON.parse(quoteLongIntegers(text));
}

/** The JSON text with every integer token beyond Number.MAX_SAFE_INTEGER turned into a JSON string. */
export function quoteLongIntegers(text: string): string {
	// Fast path: no run of 16+ digits at all, so nothing can be unsafe.
	if (!/\d{16}/.test(text)) return text;
	let out = '';
	let last = 0;
	let inString = false;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (inString) {
			if (c === 0x5c) i++; // backslash: skip the escaped character
			else if (c === 0x22) inString = false;
			continue;
		}
		if (c === 0x22) {
			inString = true;
			continue;
		}
		const isDigit = c >= 0x30 && c <= 0x39;
		if (!isDigit && c !== 0x2d) continue;
		// A number token: [-]digits[.digits][e[+-]digits]
		let j = i + (c === 0x2d ? 1 : 0);
		while (j < text.length && text.charCodeAt(j) >= 0x30 && text.charCodeAt(j) <= 0x39) j++;
		const next = text[j];
		const integer = next !== '.' && next !== 'e' && next !== 'E';
		const token = text.slice(i, j);
		if (integer && token.replace('-', '').length >= 16 && !Number.isSafeInteger(Number(token))) {
			out += `${text.slice(last, i)}"${token}"`;
			last = j;
		}
		// Skip the rest of a non-integer number so its fraction/exponent digits are not read as a token.
		while (j < text.length && /[0-9.eE+-]/.test(text[j])) j++;
		i = j - 1;
	}
	return last === 0 ? text : out + text.slice(last);
}

/** A Kling field as text: null for missing, null or empty values; numbers as their decimal text. */
export function textOrNull(v: unknown): string | null {
	return v === null || v === undefined || v === '' ? null : String(v);
}
