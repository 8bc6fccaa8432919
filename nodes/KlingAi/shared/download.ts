/**
 * Streamed download of task results into n8n binary data. Goes through httpRequestWithAuthentication
 * (proxy, logging); the credential adds its token only for the Kling API origin, never for CDN hosts.
 */
import { NodeOperationError, type IBinaryKeyData, type IExecuteFunctions, type IHttpRequestOptions, type INode } from 'n8n-workflow';

type PrepareBinaryData = IExecuteFunctions['helpers']['prepareBinaryData'];
/** The response stream, typed through n8n's own signature (node:stream may not be imported here). */
type BinaryStream = Parameters<PrepareBinaryData>[0] & { destroy?: () => void };
import { RESULT_KINDS } from './endpoints';
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
	fileName: string;
	mimeType: string;
}

function targetsOf(item: KlingTaskItem, watermarked: boolean): Target[] {
	const pick = (u: string | null, w: string | null) => (watermarked && w ? w : u);
	const video: { fileExtension: string; mimeType: string } = RESULT_KINDS.videos;
	const image: { fileExtension: string; mimeType: string } = RESULT_KINDS.images;
	const videos = item.videos
		.map((v, i) => ({ url: pick(v.url, v.watermarkUrl), fileName: `${item.taskId}${i ? `_${i}` : ''}.${video.fileExtension}`, mimeType: video.mimeType }))
		.filter((t): t is Target => !!t.url);
	const images = item.images
		.map((im, i) => ({ url: pick(im.url, im.watermarkUrl), fileName: `${item.taskId}_${im.index ?? i}.${image.fileExtension}`, mimeType: image.mimeType }))
		.filter((t): t is Target => !!t.url);
	return [...videos, ...images];
}

export function binaryPropertyName(base: string, index: number): string {
	return index === 0 ? base : `${base}_${index}`;
}

export async function downloadResults(ctx: DownloadContext, item: KlingTaskItem, options: DownloadOptions): Promise<IBinaryKeyData> {
	const binary: IBinaryKeyData = {};
	const targets = targetsOf(item, !!options.watermarked);
	for (const [i, target] of targets.entries()) {
		const res = (await ctx.helpers.httpRequestWithAuthentication.call(ctx, CREDENTIAL_NAME, {
			method: 'GET',
			url: target.url,
			encoding: 'stream',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: 10 * 60_000,
			abortSignal: ctx.getExecutionCancelSignal?.(),
		})) as { statusCode: number; headers: Record<string, unknown>; body: BinaryStream };
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
						: 'The result URL did not answer. Try again later.',
				},
			);
		}
		const contentType = String(res.headers?.['content-type'] ?? '').split(';')[0].trim();
		const mimeType = contentType && contentType !== 'application/octet-stream' ? contentType : target.mimeType;
		binary[binaryPropertyName(options.binaryProperty, i)] = await ctx.helpers.prepareBinaryData(res.body, target.fileName, mimeType);
	}
	return binary;
}
