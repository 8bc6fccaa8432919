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
