/** 64-bit ids: kept as strings in the node, written as bare JSON integers with every digit. */
import { JsonInteger, isLongId, jsonInteger, serializeJsonBody } from '../../nodes/KlingAi/shared/json';

describe('serializeJsonBody', () => {
	it('writes marked ids as bare integers without losing digits (a number would)', () => {
		expect(JSON.stringify({ id: 829836802793406551 })).toBe('{"id":829836802793406600}');
		const body = { prompt: 'x', element_list: [{ element_id: jsonInteger('829836802793406551') }, { element_id: jsonInteger('9223372036854775807') }] };
		expect(serializeJsonBody(body)).toBe('{"prompt":"x","element_list":[{"element_id":829836802793406551},{"element_id":9223372036854775807}]}');
	});

	it('leaves every other value exactly as JSON.stringify writes it, marker-looking text included', () => {
		const body = { a: '"__kling_int_x__1"', b: [1, 'two', null, { c: true }], d: '829836802793406551' };
		expect(serializeJsonBody(body)).toBe(JSON.stringify(body));
	});

	it('refuses what is not a 64-bit id', () => {
		expect(isLongId('9223372036854775807')).toBe(true);
		expect(isLongId('9223372036854775808')).toBe(false);
		expect(isLongId('12a')).toBe(false);
		expect(isLongId('')).toBe(false);
		expect(() => new JsonInteger('-1')).toThrow(RangeError);
		expect(jsonInteger(' 007 ').digits).toBe('7');
	});
});

describe('64-bit ids: edges (mutation testing, issue 16)', () => {
	it('an id stringified outside a request body (e.g. in an output item) keeps its digits as a string', () => {
		expect(JSON.stringify({ id: jsonInteger('829836802793406551') })).toBe('{"id":"829836802793406551"}');
	});

	it('a bare id, nothing, and several ids in one string are all written correctly', () => {
		expect(serializeJsonBody(jsonInteger('829836802793406551'))).toBe('829836802793406551');
		expect(serializeJsonBody(undefined)).toBe('null');
		expect(serializeJsonBody([jsonInteger('1'), 'x', jsonInteger('22')])).toBe('[1,"x",22]');
	});

	it('only whole strings of up to 19 digits are ids; leading zeros are dropped, a single 0 is kept', () => {
		expect(isLongId('a1')).toBe(false);
		expect(isLongId('1a')).toBe(false);
		expect(isLongId('1 2')).toBe(false);
		expect(isLongId('00000000000000000001')).toBe(false);
		expect(isLongId('0')).toBe(true);
		expect(jsonInteger('000').digits).toBe('0');
		expect(jsonInteger('0100').digits).toBe('100');
		expect(() => jsonInteger('12a')).toThrow('not a 64-bit integer id: "12a"');
	});
});
