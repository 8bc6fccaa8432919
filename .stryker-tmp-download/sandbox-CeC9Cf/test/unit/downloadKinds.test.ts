/**
 * shared/download.ts for every result kind (issue 16, mutation testing of the new parts): which files a task item
 * downloads, their binary property names, file names and MIME types, and the errors a user sees. The n8n helpers
 * are the boundary: the request helper answers like a CDN, prepareBinaryData records what the node would store.
 */
import { Readable } from 'node:stream';
import { NodeOperationError } from 'n8n-workflow';
import { binaryPropertyName, downloadResults, fileTypeOfContentType, fileTypeOfUrl, hasResultFiles, type DownloadContext } from '../../nodes/KlingAi/shared/download';
import { parseTaskPayload } from '../../nodes/KlingAi/shared/task';

interface Cdn {
	ctx: DownloadContext;
	files: Array<[string, string, string]>;
	urls: string[];
	destroyed: number;
}
/** A CDN answering `status` and `types[url]` (default application/octet-stream) for each URL. */
function cdn(types: Record<string, string> = {}, status: (url: string) => number = () => 200): Cdn {
	const out: Cdn = { files: [], urls: [], destroyed: 0, ctx: undefined as never };
	out.ctx = {
		getNode: () => ({ id: 'n', name: 'Kling AI', type: 'n8n-nodes-kling-ai.klingAi', typeVersion: 1, position: [0, 0], parameters: {} }),
		helpers: {
			httpRequestWithAuthentication: async (_c: string, o: { url: string }) => {
				out.urls.push(o.url);
				const body = Readable.from(['x']);
				const destroy = body.destroy.bind(body);
				body.destroy = ((e?: Error) => {
					out.destroyed++;
					return destroy(e);
				}) as typeof body.destroy;
				return { statusCode: status(o.url), headers: types[o.url] === undefined ? {} : { 'content-type': types[o.url] }, body };
			},
			prepareBinaryData: async (_b: unknown, fileName?: string, mimeType?: string) => {
				out.files.push(['', String(fileName), String(mimeType)]);
				return { data: '', fileName, mimeType: String(mimeType) } as never;
			},
		},
	} as unknown as DownloadContext;
	return out;
}
const legacy = (taskResult: Record<string, unknown>) => parseTaskPayload({ task_id: 'T', task_status: 'succeed', task_result: taskResult }, null);
const names = (c: Cdn) => c.files.map(([, f, m]) => `${f} ${m}`);

describe('file types from URLs and content types', () => {
	it('URL extensions: path only, case-insensitive, jpeg → jpg, 2–4 characters, known types only', () => {
		expect(fileTypeOfUrl('out/clip.mp4')).toBe('mp4');
		expect(fileTypeOfUrl('https://cdn/x/clip.MOV?sig=a.png')).toBe('mov');
		expect(fileTypeOfUrl('https://cdn/x/a.jpeg')).toBe('jpg');
		expect(fileTypeOfUrl('https://cdn/x/a.m4a')).toBe('m4a');
		expect(fileTypeOfUrl('https://cdn/x?f=a.png')).toBeUndefined();
		expect(fileTypeOfUrl('https://cdn/x.mp4/')).toBeUndefined();
		expect(fileTypeOfUrl('https://cdn/x.webpx')).toBeUndefined();
		expect(fileTypeOfUrl('x.p')).toBeUndefined();
		expect(fileTypeOfUrl('')).toBeUndefined();
	});

	it('content types: parameters and case ignored, the aliases CDNs use', () => {
		expect(fileTypeOfContentType(' Video/MP4 ; codecs=avc1')).toBe('mp4');
		expect(fileTypeOfContentType('audio/mp3')).toBe('mp3');
		expect(fileTypeOfContentType('audio/wave')).toBe('wav');
		expect(fileTypeOfContentType('audio/wav')).toBe('wav');
		expect(fileTypeOfContentType('image/jpg')).toBe('jpg');
		expect(fileTypeOfContentType('audio/mp4')).toBe('m4a');
		expect(fileTypeOfContentType('video/quicktime')).toBe('mov');
		expect(fileTypeOfContentType('')).toBeUndefined();
		expect(fileTypeOfContentType('text/html')).toBeUndefined();
	});

	it('binary property names: the base, then _1, _2', () => {
		expect(binaryPropertyName('data', 0)).toBe('data');
		expect(binaryPropertyName('data', 2)).toBe('data_2');
	});
});

describe('which files an item has', () => {
	it('angle sets, recognize segments, series images and audios count; voices, elements and empty URLs do not', () => {
		expect(hasResultFiles(legacy({ images: [{ url_1: 'a' }] }))).toBe(true);
		expect(hasResultFiles(legacy({ images: [{ url: '' }] }))).toBe(false);
		expect(hasResultFiles(legacy({ videos: [{ url: null }] }))).toBe(false);
		expect(hasResultFiles(legacy({ audios: [{ url_wav: 'w' }] }))).toBe(true);
		expect(hasResultFiles(legacy({ audios: [{ id: 'a' }] }))).toBe(false);
		expect(hasResultFiles(legacy({ voices: [{ voice_id: 'v', trial_url: 'https://a/t.mp3' }], elements: [{ element_id: 1 }] }))).toBe(false);
		expect(hasResultFiles(parseTaskPayload({ id: 'n', status: 'succeeded', outputs: [{ type: 'audio', mp3_url: 'm' }] }))).toBe(true);
	});
});

describe('downloadResults: names and types per kind', () => {
	it('videos, images with their angles or segments, series images, audios: in that order', async () => {
		const c = cdn({ 'https://c/v1': 'video/mp4', 'https://c/seg': 'image/png' });
		const item = legacy({
			videos: [{ url: 'https://c/v0.mp4' }, { url: 'https://c/v1' }],
			images: [
				{ index: 3, url_1: 'https://c/a1.png', url_2: 'https://c/a2.jpeg' },
				{ index: 4, url: 'https://c/seg', type: 'head_seg', is_contain: true },
			],
			series_images: [{ url: 'https://c/s0.webp' }, { index: 7, url: 'https://c/s7.png' }],
			audios: [{ url_mp3: 'https://c/m', url_wav: 'https://c/w' }, { url: 'https://c/p.wav' }],
		});
		const binary = await downloadResults(c.ctx, item, { binaryProperty: 'file' });
		expect(Object.keys(binary)).toEqual(['file', ...Array.from({ length: 9 }, (_, k) => `file_${k + 1}`)]);
		expect(names(c)).toEqual([
			'T.mp4 video/mp4',
			'T_1.mp4 video/mp4',
			'T_3_1.png image/png',
			'T_3_2.jpg image/jpeg',
			'T_4_head_seg.png image/png',
			'T_series_0.webp image/webp',
			'T_series_7.png image/png',
			'T_audio.mp3 audio/mpeg',
			'T_audio.wav audio/wav',
			'T_audio_1.wav audio/wav',
		]);
	});

	it('Kling\'s stated type (url_mp3 / url_wav) and the URL\'s extension win over the served type; the served MIME type is kept', async () => {
		const c = cdn({ 'https://c/m': 'audio/wav', 'https://c/x.png': 'image/jpeg', 'https://c/g': 'image/webp', 'https://c/o': 'application/octet-stream; x=1' });
		await downloadResults(c.ctx, legacy({ images: [{ url: 'https://c/x.png' }, { url: 'https://c/g' }, { url: 'https://c/o' }], audios: [{ url_mp3: 'https://c/m' }] }), { binaryProperty: 'd' });
		expect(names(c)).toEqual(['T_0.png image/jpeg', 'T_1.webp image/webp', 'T_2.png image/png', 'T_audio.mp3 audio/wav']);
	});

	it('no extension and nothing served: videos are MP4, images, angles and series images PNG', async () => {
		const c = cdn();
		await downloadResults(c.ctx, legacy({ videos: [{ url: 'https://c/v' }], images: [{ index: 0, url_1: 'https://c/a' }], series_images: [{ url: 'https://c/s' }] }), { binaryProperty: 'd' });
		expect(names(c)).toEqual(['T.mp4 video/mp4', 'T_0_1.png image/png', 'T_series_0.png image/png']);
	});

	it('the served content type is stored without its parameters and spaces; a response without headers uses the table type', async () => {
		const c = cdn({ 'https://c/i': 'image/webp ; q=1' });
		await downloadResults(c.ctx, legacy({ images: [{ url: 'https://c/i' }] }), { binaryProperty: 'd' });
		expect(names(c)).toEqual(['T_0.webp image/webp']);
		const bare = cdn();
		const request = bare.ctx.helpers.httpRequestWithAuthentication;
		bare.ctx.helpers.httpRequestWithAuthentication = async function (this: unknown, c: string, o) {
			const res = (await request.call(this, c, o)) as Record<string, unknown>;
			return { ...res, headers: undefined };
		};
		await downloadResults(bare.ctx, legacy({ videos: [{ url: 'https://c/v' }] }), { binaryProperty: 'd' });
		expect(names(bare)).toEqual(['T.mp4 video/mp4']);
	});

	it('an audio with no stated type: the served type decides, else MP3', async () => {
		const c = cdn({ 'https://c/a': 'audio/x-wav', 'https://c/b': 'text/plain' });
		await downloadResults(c.ctx, legacy({ audios: [{ url: 'https://c/a' }, { url: 'https://c/b' }, { url: 'https://c/c' }] }), { binaryProperty: 'd' });
		expect(names(c)).toEqual(['T_audio.wav audio/x-wav', 'T_audio_1.mp3 text/plain', 'T_audio_2.mp3 audio/mpeg']);
	});

	it('Watermarked takes the watermark URL of videos, images and series images when Kling gives one', async () => {
		const item = legacy({
			videos: [{ url: 'https://c/v.mp4', watermark_url: 'https://c/vw.mp4' }, { url: 'https://c/v2.mp4' }],
			images: [{ url: 'https://c/i.png', watermark_url: 'https://c/iw.png' }],
			series_images: [{ url: 'https://c/s.png', watermark_url: 'https://c/sw.png' }],
		});
		const plain = cdn();
		await downloadResults(plain.ctx, item, { binaryProperty: 'd' });
		expect(plain.urls).toEqual(['https://c/v.mp4', 'https://c/v2.mp4', 'https://c/i.png', 'https://c/s.png']);
		const marked = cdn();
		await downloadResults(marked.ctx, item, { binaryProperty: 'd', watermarked: true });
		expect(marked.urls).toEqual(['https://c/vw.mp4', 'https://c/v2.mp4', 'https://c/iw.png', 'https://c/sw.png']);
	});

	it('a new-standard task downloads its video, image and audio outputs', async () => {
		const c = cdn();
		const item = parseTaskPayload({ id: 'N', status: 'succeeded', outputs: [{ type: 'video', url: 'https://c/v.mp4' }, { type: 'image', url: 'https://c/i.png' }, { type: 'audio', mp3_url: 'https://c/a.mp3', wav_url: 'https://c/a.wav' }] });
		await downloadResults(c.ctx, item, { binaryProperty: 'data' });
		expect(names(c)).toEqual(['N.mp4 video/mp4', 'N_0.png image/png', 'N_audio.mp3 audio/mpeg', 'N_audio.wav audio/wav']);
	});
});

describe('downloadResults: errors', () => {
	const item = legacy({ videos: [{ url: 'https://c/ok.mp4' }, { url: 'https://c/bad.mp4' }] });
	const errorFor = async (status: number): Promise<{ e: NodeOperationError; c: Cdn }> => {
		const c = cdn({}, (u) => (u.endsWith('bad.mp4') ? status : 200));
		try {
			await downloadResults(c.ctx, item, { binaryProperty: 'd', itemIndex: 2 });
		} catch (e) {
			return { e: e as NodeOperationError, c };
		}
		throw new Error('no error');
	};

	it.each([403, 404, 410])('HTTP %i: the result has expired (30 days), naming the file and task', async (status) => {
		const { e, c } = await errorFor(status);
		expect(e).toBeInstanceOf(NodeOperationError);
		expect(e.message).toBe(`Could not download result 2 of task T: HTTP ${status}`);
		expect(e.description).toMatch(/30 days after the task was created/);
		expect(e.context.itemIndex).toBe(2);
		expect(c.destroyed).toBe(1);
	});

	it.each([400, 500, 502])('HTTP %i: the URL did not answer', async (status) => {
		const { e } = await errorFor(status);
		expect(e.message).toBe(`Could not download result 2 of task T: HTTP ${status}`);
		expect(e.description).toBe('The result URL did not answer. Try again later.');
	});

	it('HTTP 399 and below is a file', async () => {
		const c = cdn({}, () => 399);
		await downloadResults(c.ctx, item, { binaryProperty: 'd' });
		expect(c.files).toHaveLength(2);
	});
});
