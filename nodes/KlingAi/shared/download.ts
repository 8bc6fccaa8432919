/**
 * Streamed download of task results into n8n binary data. Goes through httpRequestWithAuthentication
 * (proxy, logging); the credential adds its token only for the Kling API origin, never for CDN hosts.
 */
import { NodeOperationError, type IBinaryKeyData, type IExecuteFunctions, type IHttpRequestOptions, type INode } from 'n8n-workflow';

type PrepareBinaryData = IExecuteFunctions['helpers']['prepareBinaryData'];
/** The response stream, typed through n8n's own signature (node:stream may not be imported here). */
type BinaryStream = Parameters<PrepareBinaryData>[0] & { destroy?: () => void };
import { FILE_TYPES, type FileType } from './endpoints';
import { CREDENTIAL_NAME } from './transport';
import type { KlingTaskItem } from './task';

export interface DownloadContext {
	getNode(): INode;
	helpers: {
		httpRequestWithAuthentication(this: unknown, credentialsType: string, requestOptions: IHttpRequestOptions): Promise<unknown>;
		prepareBinaryData: PrepareBinaryData;
	};
	getExecutionCancelSignal?: () => AbortSignal | undefined;
}

export interface DownloadOptions {
	/** Binary property of the first file; further files get `_1`, `_2`, ... */
	binaryProperty: string;
	/** Download the watermarked variant when Kling provides one. */
	watermarked?: boolean;
	itemIndex?: number;
}

interface Target {
	url: string;
	/** File name without extension (named after the task). */
	baseName: string;
	extension: string;
	mimeType: string;
	/** The extension was not given by Kling's field name: the response's content type may correct it. */
	guessed: boolean;
}

const EXTENSION_ALIASES: Record<string, FileType> = { jpeg: 'jpg' };

/** The file type a URL's path names (".../output.jpeg?x" → jpg), if it is one results come in. */
export function fileTypeOfUrl(url: string): FileType | undefined {
	let path = url;
	try {
		path = new URL(url).pathname;
	} catch {
		// not absolute: look at the string itself
	}
	const ext = /\.([A-Za-z0-9]{2,4})$/.exec(path)?.[1].toLowerCase();
	if (!ext) return undefined;
	const type = EXTENSION_ALIASES[ext] ?? ext;
	return type in FILE_TYPES ? (type as FileType) : undefined;
}

/** The file type of a response content type ("audio/mpeg; x" → mp3), if it is one results come in. */
export function fileTypeOfContentType(contentType: string): FileType | undefined {
	const mime = contentType.split(';')[0].trim().toLowerCase();
	const aliases: Record<string, FileType> = { 'audio/mp3': 'mp3', 'audio/x-wav': 'wav', 'audio/wave': 'wav', 'image/jpg': 'jpg' };
	if (aliases[mime]) return aliases[mime];
	return (Object.keys(FILE_TYPES) as FileType[]).find((t) => FILE_TYPES[t] === mime);
}

/**
 * A target whose type Kling states (`url_mp3`, a video) keeps it; otherwise the URL's extension decides,
 * then `fallback` (refined by the response's content type when the URL says nothing).
 */
function target(url: string | null, baseName: string, stated: FileType | undefined, fallback: FileType): Target | undefined {
	if (!url) return undefined;
	const fromUrl = stated ? undefined : fileTypeOfUrl(url);
	const type = stated ?? fromUrl ?? fallback;
	return { url, baseName, extension: type, mimeType: FILE_TYPES[type], guessed: !stated && !fromUrl };
}

/** Every file of a task item, in binary-property order: videos, images (each angle of a set), series images, audios (MP3 then WAV). */
function targetsOf(item: KlingTaskItem, watermarked: boolean): Target[] {
	const pick = (u: string | null, w: string | null) => (watermarked && w ? w : u);
	const id = item.taskId;
	const list: Array<Target | undefined> = [];
	item.videos.forEach((v, i) => list.push(target(pick(v.url, v.watermarkUrl), `${id}${i ? `_${i}` : ''}`, undefined, 'mp4')));
	item.images.forEach((im, i) => {
		const base = `${id}_${im.index ?? i}`;
		if (im.angleUrls?.length) im.angleUrls.forEach((u, k) => list.push(target(u, `${base}_${k + 1}`, undefined, 'png')));
		else list.push(target(pick(im.url, im.watermarkUrl), im.type ? `${base}_${im.type}` : base, undefined, 'png'));
	});
	item.seriesImages.forEach((im, i) => list.push(target(pick(im.url, im.watermarkUrl), `${id}_series_${im.index ?? i}`, undefined, 'png')));
	item.audios.forEach((a, i) => {
		const base = `${id}_audio${i ? `_${i}` : ''}`;
		if (a.mp3Url || a.wavUrl) {
			list.push(target(a.mp3Url, base, 'mp3', 'mp3'), target(a.wavUrl, base, 'wav', 'wav'));
		} else list.push(target(a.url, base, undefined, 'mp3'));
	});
	return list.filter((t): t is Target => t !== undefined);
}

/** Whether the item has any file to download (videos, images, angle sets, series images, audios). */
export function hasResultFiles(item: KlingTaskItem): boolean {
	return targetsOf(item, false).length > 0;
}

export function binaryPropertyName(base: string, index: number): string {
	return index === 0 ? base : `${base}_${index}`;
}

const RETRY_LATER = 'The result URL did not answer. Try again later.';

export async function downloadResults(ctx: DownloadContext, item: KlingTaskItem, options: DownloadOptions): Promise<IBinaryKeyData> {
	const binary: IBinaryKeyData = {};
	const targets = targetsOf(item, !!options.watermarked);
	for (const [i, target] of targets.entries()) {
		let res: { statusCode: number; headers: Record<string, unknown>; body: BinaryStream };
		try {
			res = (await ctx.helpers.httpRequestWithAuthentication.call(ctx, CREDENTIAL_NAME, {
				method: 'GET',
				url: target.url,
				encoding: 'stream',
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				timeout: 10 * 60_000,
				abortSignal: ctx.getExecutionCancelSignal?.(),
			})) as typeof res;
		} catch (error) {
			// No answer at all (connection refused, DNS, timeout): say which result of which task, for which item.
			throw new NodeOperationError(ctx.getNode(), error as Error, {
				message: `Could not download result ${i + 1} of task ${item.taskId}: ${(error as Error).message}`,
				description: RETRY_LATER,
				itemIndex: options.itemIndex,
			});
		}
		if (res.statusCode >= 400) {
			res.body?.destroy?.();
			const expired = res.statusCode === 403 || res.statusCode === 404 || res.statusCode === 410;
			throw new NodeOperationError(
				ctx.getNode(),
				`Could not download result ${i + 1} of task ${item.taskId}: HTTP ${res.statusCode}`,
				{
					itemIndex: options.itemIndex,
					description: expired
						? 'Kling deletes results 30 days after the task was created. Download results promptly (see "resultsExpireAt").'
						: RETRY_LATER,
				},
			);
		}
		const contentType = String(res.headers?.['content-type'] ?? '').split(';')[0].trim();
		const served = target.guessed ? fileTypeOfContentType(contentType) : undefined;
		const extension = served ?? target.extension;
		const mimeType = contentType && contentType !== 'application/octet-stream' ? contentType : target.mimeType;
		binary[binaryPropertyName(options.binaryProperty, i)] = await ctx.helpers.prepareBinaryData(res.body, `${target.baseName}.${extension}`, mimeType);
	}
	return binary;
}
