/**
 * JSON request bodies with 64-bit integer ids. Kling types element ids (and other ids) as `long`
 * (e.g. 829836802793406551), which a JavaScript number cannot hold: JSON.stringify of the number would
 * send 829836802793406600. The node keeps such ids as digit strings, marks them with jsonInteger(), and
 * serializeJsonBody() writes them as bare JSON integers with every digit. The transport sends the
 * resulting string unchanged, so Kling receives exactly these bytes.
 */
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
