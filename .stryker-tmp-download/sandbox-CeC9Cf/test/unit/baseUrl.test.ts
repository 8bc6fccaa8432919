/** shared/baseUrl.ts and shared/errors.ts: where requests go, and how an unknown Kling code reads (mutation testing, issue 16). */
import { BaseUrlError, resolveBaseUrl, validateCustomBaseUrl } from '../../nodes/KlingAi/shared/baseUrl';
import { describeCode } from '../../nodes/KlingAi/shared/errors';

describe('validateCustomBaseUrl', () => {
	test('plain http is accepted on every loopback name, and spaces around the URL are ignored', () => {
		expect(validateCustomBaseUrl('http://localhost:5678/')).toBe('http://localhost:5678');
		expect(validateCustomBaseUrl('http://[::1]:8080/kling')).toBe('http://[::1]:8080/kling');
		expect(validateCustomBaseUrl('  https://gw.example.com/kling//  ')).toBe('https://gw.example.com/kling');
	});

	test.each([
		['ftp://gw.example.com', 'Custom Base URL must use https (http is accepted only for localhost)'],
		['http://gw.example.com', 'Custom Base URL must use https (http is accepted only for localhost)'],
		['https://gw.example.com/#x', 'Custom Base URL must not contain a query, fragment or user info'],
		['https://user@gw.example.com', 'Custom Base URL must not contain a query, fragment or user info'],
		['https://:pw@gw.example.com', 'Custom Base URL must not contain a query, fragment or user info'],
		['https://gw.example.com/V1/', 'Custom Base URL must not end with /v1 or /account: the nodes add the API paths themselves'],
		['https://gw.example.com/kling/account', 'Custom Base URL must not end with /v1 or /account: the nodes add the API paths themselves'],
		['https://gw.example.com/kling/ACCOUNT/', 'Custom Base URL must not end with /v1 or /account: the nodes add the API paths themselves'],
	])('%s is refused with a message that says why', (url, message) => {
		expect(() => validateCustomBaseUrl(url)).toThrow(new BaseUrlError(message));
	});

	test('a path that merely contains v1 or account is a prefix, not an API path', () => {
		expect(validateCustomBaseUrl('https://gw.example.com/v1/kling')).toBe('https://gw.example.com/v1/kling');
		expect(validateCustomBaseUrl('https://gw.example.com/apiv1x')).toBe('https://gw.example.com/apiv1x');
		expect(validateCustomBaseUrl('https://gw.example.com/myaccounts')).toBe('https://gw.example.com/myaccounts');
	});

	test('the invalid-URL message names the value', () => {
		expect(() => validateCustomBaseUrl('gw example')).toThrow('Custom Base URL "gw example" is not a valid URL');
	});
});

describe('resolveBaseUrl', () => {
	test('no region means Global', () => {
		expect(resolveBaseUrl({})).toBe('https://api-singapore.klingai.com');
	});

	test('custom region uses the validated custom URL; a missing one is "empty"', () => {
		expect(resolveBaseUrl({ region: 'custom', customBaseUrl: 'https://gw.example.com/k/' })).toBe('https://gw.example.com/k');
		expect(() => resolveBaseUrl({ region: 'custom' })).toThrow(/Custom Base URL is empty/);
	});

	test('an unknown region is an error naming it', () => {
		expect(() => resolveBaseUrl({ region: 'mars' })).toThrow(new BaseUrlError('Unknown region "mars"'));
	});
});

describe('describeCode', () => {
	test('a known code has its meaning and retry rule; 1303 waits at least 1 s', () => {
		expect(describeCode(1303)).toMatchObject({ retry: 'backoff', minDelayMs: 1000 });
		expect(describeCode(1004).retry).toBe('resign');
	});

	test('an unknown code is reported as such and never retried', () => {
		expect(describeCode(4242)).toEqual({ meaning: 'Unknown Kling error', hint: 'See the Kling error code table.', retry: 'never' });
	});
});

describe('validateCustomBaseUrl: edges found by mutation testing (2026-12-01)', () => {
	test('a URL of spaces only is "empty", not "not a valid URL"', () => {
		expect(() => validateCustomBaseUrl('   ')).toThrow(/^Custom Base URL is empty/);
	});

	test('another scheme on a loopback host is refused too (only http and https exist for Kling)', () => {
		expect(() => validateCustomBaseUrl('ftp://127.0.0.1:2121')).toThrow('Custom Base URL must use https (http is accepted only for localhost)');
	});

	test('a path that only starts with "account" is a prefix like any other', () => {
		expect(validateCustomBaseUrl('https://gw.example.com/accounting')).toBe('https://gw.example.com/accounting');
		expect(validateCustomBaseUrl('https://gw.example.com/account-gw/kling')).toBe('https://gw.example.com/account-gw/kling');
	});
});
