/**
 * shared/download.ts: which files are fetched, under which binary property, file name and MIME type, and what
 * a failed download says (mutation testing, issue 16). The two n8n helpers are stand-ins that record their
 * calls; the real request path (n8n-core, simulator, binary store) runs in actionNode.test.ts "binary in and out".
 */
import { NodeOperationError, type IHttpRequestOptions, type INode } from 'n8n-workflow';
import { binaryPropertyName, downloadResults, type DownloadContext } from '../../nodes/KlingAi/shared/download';
import type { KlingTaskItem } from '../../nodes/KlingAi/shared/task';

const NODE: INode = { id: 'n', name: 'Kling AI', type: 'klingAi', typeVersion: 1, position: [0, 0], parameters: {} };

type Answer = { statusCode: number; headers?: Record<string, unknown> } | Error;
function ctx(answer: (url: string) => Answer = () => ({ statusCode: 200, headers: {} }), signal?: AbortSignal) {
	const requests: IHttpRequestOptions[] = [];
	const credentialTypes: string[] = [];
	const prepared: Array<{ fileName?: string; mimeType?: string }> = [];
	const destroyed: string[] = [];
	const c: DownloadContext = {
		getNode: () => NODE,
		getExecutionCancelSignal: () => signal,
		helpers: {
			async httpRequestWithAuthentication(type: string, options: IHttpRequestOptions) {
				credentialTypes.push(type);
				requests.push(options);
				const a = answer(String(options.url));
				if (a instanceof Error) throw a;
				return { statusCode: a.statusCode, headers: a.headers ?? {}, body: { url: options.url, destroy: () => destroyed.push(String(options.url)) } };
			},
			prepareBinaryData: (async (body: { url: string }, fileName?: string, mimeType?: string) => {
				prepared.push({ fileName, mimeType });
				return { data: body.url, fileName, mimeType };
			}) as never,
		},
	};
	return { c, requests, credentialTypes, prepared, destroyed };
}

const item = (extra: Partial<KlingTaskItem> = {}): KlingTaskItem =>
	({ taskId: 'T', videos: [], images: [], seriesImages: [], audios: [], ...extra }) as unknown as KlingTaskItem;
const v = (url: string | null, watermarkUrl: string | null = null) => ({ id: null, url, watermarkUrl, durationSeconds: null });
const im = (index: number, url: string | null, watermarkUrl: string | null = null) => ({ index, url, watermarkUrl });

describe('downloadResults', () => {
	test('every video then every image, each under its own property (data, data_1, ...) and file name', async () => {
		const { c, requests, credentialTypes, prepared } = ctx();
		const binary = await downloadResults(c, item({ videos: [v('https://cdn/v0'), v('https://cdn/v1')], images: [im(3, 'https://cdn/i3')] }), { binaryProperty: 'data' });
		expect(Object.keys(binary)).toEqual(['data', 'data_1', 'data_2']);
		expect(requests.map((r) => r.url)).toEqual(['https://cdn/v0', 'https://cdn/v1', 'https://cdn/i3']);
		expect(prepared).toEqual([
			{ fileName: 'T.mp4', mimeType: 'video/mp4' },
			{ fileName: 'T_1.mp4', mimeType: 'video/mp4' },
			{ fileName: 'T_3.png', mimeType: 'image/png' },
		]);
		expect(credentialTypes).toEqual(['klingAiApi', 'klingAiApi', 'klingAiApi']);
		expect(requests[0]).toMatchObject({ method: 'GET', encoding: 'stream', returnFullResponse: true, ignoreHttpStatusErrors: true, timeout: 600_000 });
	});

	test('results without a URL are skipped; nothing to download gives no binary', async () => {
		const { c, requests } = ctx();
		expect(await downloadResults(c, item({ videos: [v(null)], images: [im(0, null)] }), { binaryProperty: 'data' })).toEqual({});
		expect(requests).toEqual([]);
	});

	test('watermarked: the watermarked file when Kling has one, else the plain one', async () => {
		const { c, requests } = ctx();
		await downloadResults(c, item({ videos: [v('https://cdn/v', 'https://cdn/vw')], images: [im(0, 'https://cdn/i')] }), { binaryProperty: 'file', watermarked: true });
		expect(requests.map((r) => r.url)).toEqual(['https://cdn/vw', 'https://cdn/i']);
		const plain = ctx();
		await downloadResults(plain.c, item({ videos: [v('https://cdn/v', 'https://cdn/vw')] }), { binaryProperty: 'file' });
		expect(plain.requests.map((r) => r.url)).toEqual(['https://cdn/v']);
	});

	test('the MIME type: the server content type without parameters, else (none or octet-stream) the result kind', async () => {
		const types: Record<string, unknown> = { 'https://cdn/a': 'video/quicktime; charset=binary', 'https://cdn/b': 'application/octet-stream', 'https://cdn/c': undefined };
		const { c, prepared } = ctx((url) => ({ statusCode: 200, headers: { 'content-type': types[url] } }));
		await downloadResults(c, item({ videos: [v('https://cdn/a'), v('https://cdn/b'), v('https://cdn/c')] }), { binaryProperty: 'data' });
		expect(prepared.map((p) => p.mimeType)).toEqual(['video/quicktime', 'video/mp4', 'video/mp4']);
	});

	test('the execution cancel signal is passed to each request', async () => {
		const abort = new AbortController();
		const { c, requests } = ctx(undefined, abort.signal);
		await downloadResults(c, item({ videos: [v('https://cdn/a')] }), { binaryProperty: 'data' });
		expect(requests[0].abortSignal).toBe(abort.signal);
	});

	test.each([403, 404, 410])('HTTP %i: the result expired (30 days) — the error says so and names the result, task and item', async (status) => {
		const { c, destroyed } = ctx((url) => ({ statusCode: url.endsWith('b') ? status : 200 }));
		const err = await downloadResults(c, item({ videos: [v('https://cdn/a'), v('https://cdn/b')] }), { binaryProperty: 'data', itemIndex: 2 }).catch((e) => e);
		expect(err).toBeInstanceOf(NodeOperationError);
		expect(err.message).toBe(`Could not download result 2 of task T: HTTP ${status}`);
		expect(err.description).toBe('Kling deletes results 30 days after the task was created. Download results promptly (see "resultsExpireAt").');
		expect(err.context.itemIndex).toBe(2);
		expect(destroyed).toEqual(['https://cdn/b']);
	});

	test.each([400, 500, 503])('HTTP %i: try again later', async (status) => {
		const { c } = ctx(() => ({ statusCode: status }));
		const err = await downloadResults(c, item({ images: [im(0, 'https://cdn/i')] }), { binaryProperty: 'data' }).catch((e) => e);
		expect(err.message).toBe(`Could not download result 1 of task T: HTTP ${status}`);
		expect(err.description).toBe('The result URL did not answer. Try again later.');
	});

	test('a result URL that does not answer at all (connection refused, DNS, timeout): the error names the result, task and item and keeps the cause', async () => {
		const refused = Object.assign(new Error('The service refused the connection - perhaps it is offline'), { code: 'ECONNREFUSED' });
		const { c } = ctx((url) => (url.endsWith('b') ? refused : { statusCode: 200 }));
		const err = await downloadResults(c, item({ videos: [v('https://cdn/a'), v('https://cdn/b')] }), { binaryProperty: 'data', itemIndex: 1 }).catch((e) => e);
		expect(err).toBeInstanceOf(NodeOperationError);
		expect(err.message).toBe('Could not download result 2 of task T: The service refused the connection - perhaps it is offline');
		expect(err.description).toBe('The result URL did not answer. Try again later.');
		expect(err.context.itemIndex).toBe(1);
		expect(err.cause).toBe(refused);
	});

	test('HTTP 399 is not an error', async () => {
		const { c } = ctx(() => ({ statusCode: 399 }));
		await expect(downloadResults(c, item({ images: [im(0, 'https://cdn/i')] }), { binaryProperty: 'data' })).resolves.toHaveProperty('data');
	});
});

test('binaryPropertyName: the base for the first file, _1, _2 ... after it', () => {
	expect([0, 1, 2].map((i) => binaryPropertyName('out', i))).toEqual(['out', 'out_1', 'out_2']);
});
