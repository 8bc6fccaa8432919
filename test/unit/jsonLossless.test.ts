/**
 * shared/json.ts parseJsonLossless / quoteLongIntegers (issue 16, mutation testing): Kling's answers parse exactly
 * as JSON.parse does, except that integers beyond 2^53 keep every digit as strings.
 */
import { parseJsonLossless, quoteLongIntegers, textOrNull } from '../../nodes/KlingAi/shared/json';

const LONG = '829836802793406551';

describe('parseJsonLossless', () => {
	it('long integers become their digits, anywhere outside strings, first / middle / last / alone', () => {
		expect(parseJsonLossless(`[${LONG},1,98765432109876543210]`)).toEqual([LONG, 1, '98765432109876543210']);
		expect(parseJsonLossless(LONG)).toBe(LONG);
		expect(parseJsonLossless(`{"a":{"id":${LONG}},"b":[ ${LONG} ]}`)).toEqual({ a: { id: LONG }, b: [LONG] });
		expect(parseJsonLossless(`{"n":-${LONG}}`)).toEqual({ n: `-${LONG}` });
		expect(quoteLongIntegers(`{"id":${LONG},"x":2}`)).toBe(`{"id":"${LONG}","x":2}`);
	});

	it('the 2^53 boundary: safe integers stay numbers (also with 16 digits), unsafe ones become strings', () => {
		expect(parseJsonLossless('[9007199254740991,-9007199254740991,1000000000000000]')).toEqual([9007199254740991, -9007199254740991, 1000000000000000]);
		expect(parseJsonLossless('[9007199254740992,9007199254740993,-9007199254740993]')).toEqual(['9007199254740992', '9007199254740993', '-9007199254740993']);
	});

	it('numbers with a fraction or exponent are numbers, whatever their digit count', () => {
		for (const text of [
			'[12345678901234567890.5]',
			'[12345678901234567890e2]',
			'[12345678901234567890E2]',
			'[0.12345678901234567890123]',
			'[1.5e12345678901234567]',
			'[1E+12345678901234567, 2]',
			'[-1.0e-12345678901234567]',
		]) {
			expect(parseJsonLossless(text)).toEqual(JSON.parse(text));
		}
		expect(parseJsonLossless(`[1.12345678901234567890,${LONG}]`)).toEqual([1.1234567890123457, LONG]);
	});

	it('digits inside strings are left alone, escaped quotes and backslashes included', () => {
		const strings = [`{"s":"${LONG}"}`, `{"s":"a\\"${LONG}"}`, `{"${LONG}":1}`, `{"s":"x ${LONG} y","t":"\\u0041"}`];
		for (const text of strings) expect(parseJsonLossless(text)).toEqual(JSON.parse(text));
		// An escaped backslash ends the string: the number after it is outside.
		expect(parseJsonLossless(`["\\\\",${LONG}]`)).toEqual(['\\', LONG]);
		expect(parseJsonLossless(`["\\"",${LONG},"${LONG}"]`)).toEqual(['"', LONG, LONG]);
	});

	it('text without a 16-digit run is returned as is, and invalid JSON still throws', () => {
		const text = '{"a":[1,-2.5e3,"123456789012345"],"b":900719925474099}';
		expect(quoteLongIntegers(text)).toBe(text);
		expect(parseJsonLossless(text)).toEqual(JSON.parse(text));
		expect(() => parseJsonLossless('{"a":')).toThrow(SyntaxError);
		expect(() => parseJsonLossless(`{"a":${LONG}`)).toThrow(SyntaxError);
		expect(() => parseJsonLossless(`{"a":${LONG}x}`)).toThrow(SyntaxError);
	});

	it('a long run of digits only inside a string leaves the text unchanged', () => {
		const text = `{"s":"${LONG}","n":5}`;
		expect(quoteLongIntegers(text)).toBe(text);
	});
});

describe('textOrNull (Kling\'s optional text fields)', () => {
	test('absent, null and empty are null; anything else is its text', () => {
		expect(textOrNull(null)).toBeNull();
		expect(textOrNull(undefined)).toBeNull();
		expect(textOrNull('')).toBeNull();
		expect(textOrNull(' ')).toBe(' ');
		expect(textOrNull('voice_1')).toBe('voice_1');
		expect(textOrNull(0)).toBe('0');
		expect(textOrNull(false)).toBe('false');
		expect(textOrNull(829394800054140928n)).toBe('829394800054140928');
	});
});

describe('quoteLongIntegers at its edges', () => {
	test('a long number with a fraction or exponent is a plain number; a long integer at the very end of the text is kept whole', () => {
		expect(parseJsonLossless('[12345678901234567890.5,12345678901234567890e2,-12345678901234567890E1]')).toEqual([12345678901234567890.5, 12345678901234567890e2, -12345678901234567890e1]);
		expect(parseJsonLossless('829836802793406551')).toBe('829836802793406551');
		expect(parseJsonLossless('-829836802793406551')).toBe('-829836802793406551');
	});
});
