/**
 * Media inputs of the action node: an image, video or audio given as a URL, as raw base64, or as an
 * n8n binary property. Whatever the source, Kling receives a URL or BARE base64 (no `data:` prefix),
 * and size/type are checked against Kling's limits before any request is made.
 */
// @ts-nocheck

import {
	NodeOperationError,
	type IBinaryData,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
	type INodePropertyOptions,
} from 'n8n-workflow';

export type MediaKind = 'image' | 'video' | 'audio';
export type MediaInputType = 'url' | 'base64' | 'binary' | 'none';

export interface MediaLimits {
	readonly maxBytes: number;
	readonly extensions: readonly string[];
	readonly mimeTypes: readonly string[];
	readonly label: string;
}

const MB = 1024 * 1024;

/** Kling's documented input limits (reference kling-api.md §2.4, §3.5). */
export const MEDIA_LIMITS: Readonly<Record<MediaKind, MediaLimits>> = {
	image: { maxBytes: 10 * MB, extensions: ['jpg', 'jpeg', 'png'], mimeTypes: ['image/jpeg', 'image/jpg', 'image/png'], label: 'JPG/JPEG/PNG up to 10 MB' },
	video: { maxBytes: 100 * MB, extensions: ['mp4', 'mov'], mimeTypes: ['video/mp4', 'video/quicktime'], label: 'MP4/MOV up to 100 MB' },
	audio: {
		maxBytes: 5 * MB,
		extensions: ['mp3', 'wav', 'm4a', 'aac'],
		mimeTypes: ['audio/mpeg', 'audio/mp3', 'audio/wav', 'audio/x-wav', 'audio/wave', 'audio/vnd.wave', 'audio/mp4', 'audio/x-m4a', 'audio/m4a', 'audio/aac', 'audio/x-aac', 'audio/aacp'],
		label: 'MP3/WAV/M4A/AAC up to 5 MB',
	},
};

/** Smallest side and aspect-ratio range Kling accepts for images. */
export const IMAGE_MIN_SIDE = 300;
export const IMAGE_MAX_ASPECT = 2.5;

// ------------------------------------------------------------------ description

export interface MediaInputSpec {
	/** Parameter base name: `${name}InputType`, `${name}`, `${name}BinaryProperty`. */
	name: string;
	/** Label used in the UI and in error messages ("Start Frame Image"). */
	displayName: string;
	kind: MediaKind;
	/** Optional inputs get a "None" input type (the default unless `defaultInputType` says otherwise). */
	optional?: boolean;
	/** Default input type; 'url' keeps saved workflows of a formerly required input unchanged. */
	defaultInputType?: 'url' | 'none';
	/** Only a URL is accepted by Kling for this field (e.g. lip-sync video_url). */
	urlOnly?: boolean;
	description?: string;
}

const inputTypeOptions = (spec: MediaInputSpec): INodePropertyOptions[] => {
	const list: INodePropertyOptions[] = [];
	if (spec.optional) list.push({ name: 'None', value: 'none', description: `Do not send a ${spec.displayName.toLowerCase()}` });
	list.push({ name: 'URL', value: 'url', description: 'A public http(s) URL Kling can download' });
	if (!spec.urlOnly) {
		list.push(
			{ name: 'Base64', value: 'base64', description: 'Raw base64 data (a data: prefix is removed before sending)' },
			{ name: 'Binary Property', value: 'binary', description: 'A binary property of the input item (sent as base64)' },
		);
	}
	return list;
};

export function defaultInputType(spec: MediaInputSpec): MediaInputType {
	return spec.defaultInputType ?? (spec.optional ? 'none' : 'url');
}

/**
 * The "…Input Type" selector and the fields it reveals; `show` adds conditions to every one of them
 * (e.g. only for one audio source). The registry adds the operation's own displayOptions.
 */
export function mediaInputProperties(spec: MediaInputSpec, show?: Record<string, string[]>): INodeProperties[] {
	const props = mediaInputFields(spec);
	return show ? props.map((p) => ({ ...p, displayOptions: { show: { ...(p.displayOptions?.show ?? {}), ...show } } })) : props;
}

function mediaInputFields(spec: MediaInputSpec): INodeProperties[] {
	const limits = MEDIA_LIMITS[spec.kind];
	const show = (type: MediaInputType) => ({ show: { [`${spec.name}InputType`]: [type] } });
	const defaultType = defaultInputType(spec);
	const props: INodeProperties[] = [
		{
			displayName: `${spec.displayName} Input Type`,
			name: `${spec.name}InputType`,
			type: 'options',
			noDataExpression: true,
			options: inputTypeOptions(spec),
			default: defaultType,
			description: `How the ${spec.displayName.toLowerCase()} is provided. ${spec.description ?? ''} Accepted: ${limits.label}.`.trim(),
		},
		{
			displayName: `${spec.displayName} URL`,
			name: spec.name,
			type: 'string',
			default: '',
			required: true,
			placeholder: `https://example.com/file.${limits.extensions[0]}`,
			description: `Public http(s) URL of the ${spec.displayName.toLowerCase()} (${limits.label})`,
			displayOptions: show('url'),
		},
	];
	if (!spec.urlOnly) {
		props.push(
			{
				displayName: `${spec.displayName} Base64`,
				name: spec.name,
				type: 'string',
				typeOptions: { rows: 2 },
				default: '',
				required: true,
				description: `Raw base64 of the ${spec.displayName.toLowerCase()} (${limits.label}). A "data:...;base64," prefix is removed.`,
				displayOptions: show('base64'),
			},
			{
				displayName: `${spec.displayName} Binary Property`,
				name: `${spec.name}BinaryProperty`,
				type: 'string',
				default: 'data',
				required: true,
				description: `Name of the input item's binary property holding the ${spec.displayName.toLowerCase()} (${limits.label})`,
				displayOptions: show('binary'),
			},
		);
	}
	return props;
}

// ------------------------------------------------------------------ resolution

/** The slice of IExecuteFunctions media resolution needs. */
export type MediaContext = Pick<IExecuteFunctions, 'getNode' | 'getNodeParameter' | 'getInputData' | 'helpers'>;

export class MediaInputError extends Error {
	constructor(
		readonly field: string,
		message: string,
		readonly description?: string,
	) {
		super(message);
		this.name = 'MediaInputError';
	}
}

function formatBytes(n: number): string {
	return n >= MB ? `${(n / MB).toFixed(1)} MB` : `${Math.ceil(n / 1024)} KB`;
}

/** Detect the file type from its first bytes; undefined when not recognised. */
export function sniffType(buf: Buffer): { kind: MediaKind; ext: string } | undefined {
	if (buf.length >= 8 && buf.readUInt32BE(0) === 0x89504e47 && buf.readUInt32BE(4) === 0x0d0a1a0a) return { kind: 'image', ext: 'png' };
	if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return { kind: 'image', ext: 'jpg' };
	if (buf.length >= 12 && buf.toString('latin1', 4, 8) === 'ftyp') {
		const brand = buf.toString('latin1', 8, 12);
		if (brand.startsWith('M4A') || brand.startsWith('M4B')) return { kind: 'audio', ext: 'm4a' };
		if (brand === 'qt  ') return { kind: 'video', ext: 'mov' };
		return { kind: 'video', ext: 'mp4' };
	}
	if (buf.length >= 12 && buf.toString('latin1', 0, 4) === 'RIFF' && buf.toString('latin1', 8, 12) === 'WAVE') return { kind: 'audio', ext: 'wav' };
	if (buf.length >= 3 && buf.toString('latin1', 0, 3) === 'ID3') return { kind: 'audio', ext: 'mp3' };
	if (buf.length >= 2 && buf[0] === 0xff && (buf[1] & 0xf6) === 0xf0) return { kind: 'audio', ext: 'aac' };
	if (buf.length >= 2 && buf[0] === 0xff && (buf[1] & 0xe0) === 0xe0) return { kind: 'audio', ext: 'mp3' };
	if (buf.length >= 8 && ['moov', 'mdat', 'wide', 'free'].includes(buf.toString('latin1', 4, 8))) return { kind: 'video', ext: 'mov' };
	return undefined;
}

/** Width/height of a PNG or baseline/progressive JPEG; undefined when not found in the data. */
export function imageDimensions(buf: Buffer): { width: number; height: number } | undefined {
	if (buf.length >= 24 && buf.readUInt32BE(0) === 0x89504e47 && buf.toString('latin1', 12, 16) === 'IHDR') {
		return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
	}
	if (buf.length >= 4 && buf[0] === 0xff && buf[1] === 0xd8) {
		let offset = 2;
		while (offset + 9 < buf.length) {
			if (buf[offset] !== 0xff) return undefined;
			const marker = buf[offset + 1];
			if (marker === 0xff) {
				offset += 1;
				continue;
			}
			const length = buf.readUInt16BE(offset + 2);
			const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
			if (isSof) return { height: buf.readUInt16BE(offset + 5), width: buf.readUInt16BE(offset + 7) };
			offset += 2 + length;
		}
	}
	return undefined;
}

function extensionOf(name: string | undefined): string | undefined {
	const match = /\.([A-Za-z0-9]{2,5})$/.exec(name ?? '');
	return match ? match[1].toLowerCase() : undefined;
}

/** Check decoded bytes against Kling's limits for `kind`; throws MediaInputError naming the field. */
export function checkMediaBytes(
	field: string,
	kind: MediaKind,
	buf: Buffer,
	declared: { mimeType?: string; fileName?: string } = {},
): void {
	const limits = MEDIA_LIMITS[kind];
	if (buf.length === 0) throw new MediaInputError(field, `"${field}" is empty`);
	if (buf.length > limits.maxBytes) {
		throw new MediaInputError(
			field,
			`"${field}" is too large: ${formatBytes(buf.length)}, Kling accepts at most ${formatBytes(limits.maxBytes)}`,
			`Kling accepts ${limits.label}. Compress or resize the file, or pass a URL instead.`,
		);
	}
	const sniffed = sniffType(buf);
	const ext = extensionOf(declared.fileName);
	const mime = declared.mimeType?.split(';')[0].trim().toLowerCase();
	const declaredOk = (mime !== undefined && limits.mimeTypes.includes(mime)) || (ext !== undefined && limits.extensions.includes(ext));
	const wrongKind = sniffed !== undefined && sniffed.kind !== kind;
	const unknownAndUndeclared = sniffed === undefined && !declaredOk;
	if (wrongKind || unknownAndUndeclared || (sniffed && !limits.extensions.includes(sniffed.ext))) {
		const found = sniffed ? `${sniffed.ext.toUpperCase()} ${sniffed.kind}` : mime || ext ? `${mime ?? ''}${ext ? ` .${ext}` : ''}`.trim() : 'unrecognised data';
		throw new MediaInputError(field, `"${field}" has an unsupported type (${found})`, `Kling accepts ${limits.label}.`);
	}
	if (kind === 'image') {
		const dims = imageDimensions(buf);
		if (dims) {
			const shortest = Math.min(dims.width, dims.height);
			const ratio = Math.max(dims.width, dims.height) / Math.max(1, shortest);
			if (shortest < IMAGE_MIN_SIDE) {
				throw new MediaInputError(field, `"${field}" is too small: ${dims.width}x${dims.height} px, Kling needs at least ${IMAGE_MIN_SIDE} px on each side`);
			}
			if (ratio > IMAGE_MAX_ASPECT + 1e-9) {
				throw new MediaInputError(field, `"${field}" has an aspect ratio of ${dims.width}:${dims.height}; Kling accepts 1:2.5 to 2.5:1`);
			}
		}
	}
}

const BASE64_RE = /^[A-Za-z0-9+/]*={0,2}$/;
const BASE64URL_RE = /^[A-Za-z0-9_-]*={0,2}$/;

/** Normalise user-supplied base64: strip a `data:` prefix and whitespace, convert base64url. */
export function toBareBase64(field: string, raw: string): string {
	let value = raw.trim();
	const dataUrl = /^data:[^,]*?;base64,/i.exec(value);
	if (dataUrl) value = value.slice(dataUrl[0].length);
	value = value.replace(/\s+/g, '');
	if (!value) throw new MediaInputError(field, `"${field}" is empty`);
	if (!BASE64_RE.test(value)) {
		if (BASE64URL_RE.test(value)) value = value.replace(/-/g, '+').replace(/_/g, '/');
		else throw new MediaInputError(field, `"${field}" is not valid base64`, 'Paste raw base64 data, or choose URL / Binary Property as the input type.');
	}
	// Padding is recomputed from the data characters: a wrongly padded value ('YQ=') is repaired, not kept.
	value = value.replace(/=+$/, '');
	const pad = value.length % 4;
	if (pad === 1) throw new MediaInputError(field, `"${field}" is not valid base64 (truncated data)`);
	return pad ? value + '='.repeat(4 - pad) : value;
}

function parseUrl(value: string): URL | undefined {
	return URL.canParse(value) ? new URL(value) : undefined;
}

export function checkMediaUrl(field: string, raw: string): string {
	const value = raw.trim();
	if (!value) throw new MediaInputError(field, `"${field}" is empty`);
	const url = parseUrl(value);
	if (!url) throw new MediaInputError(field, `"${field}" is not a valid URL`, 'Use a public http(s) URL, or choose Base64 / Binary Property as the input type.');
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		throw new MediaInputError(field, `"${field}" must be an http(s) URL (got ${url.protocol})`);
	}
	return value;
}

/** Decode base64 and run the byte checks; the decoded buffer is not kept. */
export function checkBase64Media(field: string, kind: MediaKind, base64: string): string {
	const estimated = Math.floor((base64.length * 3) / 4);
	const limits = MEDIA_LIMITS[kind];
	if (estimated - 2 > limits.maxBytes) {
		throw new MediaInputError(field, `"${field}" is too large: ${formatBytes(estimated)}, Kling accepts at most ${formatBytes(limits.maxBytes)}`, `Kling accepts ${limits.label}.`);
	}
	checkMediaBytes(field, kind, Buffer.from(base64, 'base64'));
	return base64;
}

export interface ResolvedMedia {
	/** URL or bare base64, ready for the request body. */
	value: string;
	source: 'url' | 'base64' | 'binary';
}

function toOperationError(ctx: MediaContext, error: unknown, itemIndex: number): never {
	if (error instanceof MediaInputError) {
		throw new NodeOperationError(ctx.getNode(), error.message, { itemIndex, description: error.description });
	}
	throw error;
}

/** Read a media input described by mediaInputProperties(); undefined for an optional input set to None. */
export async function resolveMediaInput(ctx: MediaContext, itemIndex: number, spec: MediaInputSpec): Promise<ResolvedMedia | undefined> {
	const type = ctx.getNodeParameter(`${spec.name}InputType`, itemIndex, defaultInputType(spec)) as MediaInputType;
	try {
		if (type === 'none') return undefined;
		if (type === 'url') return { value: checkMediaUrl(spec.displayName, String(ctx.getNodeParameter(spec.name, itemIndex, ''))), source: 'url' };
		if (spec.urlOnly) throw new MediaInputError(spec.displayName, `"${spec.displayName}" only accepts a URL (got input type "${type}")`);
		if (type === 'base64') {
			const bare = toBareBase64(spec.displayName, String(ctx.getNodeParameter(spec.name, itemIndex, '')));
			return { value: checkBase64Media(spec.displayName, spec.kind, bare), source: 'base64' };
		}
		if (type === 'binary') {
			return { value: await readBinaryMedia(ctx, itemIndex, spec.displayName, spec.kind, String(ctx.getNodeParameter(`${spec.name}BinaryProperty`, itemIndex, 'data'))), source: 'binary' };
		}
		throw new MediaInputError(spec.displayName, `"${spec.displayName} Input Type" has an unknown value "${String(type)}"`);
	} catch (error) {
		return toOperationError(ctx, error, itemIndex);
	}
}

/** A binary property of the item → bare base64 after the size/type checks. */
export async function readBinaryMedia(ctx: MediaContext, itemIndex: number, field: string, kind: MediaKind, property: string): Promise<string> {
	const name = property.trim();
	if (!name) throw new MediaInputError(field, `"${field} Binary Property" is empty`);
	const meta: IBinaryData | undefined = ctx.getInputData()[itemIndex]?.binary?.[name];
	if (!meta) {
		throw new MediaInputError(
			field,
			`"${field} Binary Property": the input item has no binary property "${name}"`,
			'Check the name of the binary property in the previous node\'s output (often "data").',
		);
	}
	const buf = await ctx.helpers.getBinaryDataBuffer(itemIndex, name);
	checkMediaBytes(field, kind, buf, { mimeType: meta.mimeType, fileName: meta.fileName });
	return buf.toString('base64');
}

/** A URL or base64 string given directly (e.g. a mask in the Options collection). */
export function resolveInlineMedia(ctx: MediaContext, itemIndex: number, field: string, kind: MediaKind, raw: string): string {
	try {
		const value = raw.trim();
		if (/^https?:\/\//i.test(value)) return checkMediaUrl(field, value);
		return checkBase64Media(field, kind, toBareBase64(field, value));
	} catch (error) {
		return toOperationError(ctx, error, itemIndex);
	}
}

// ------------------------------------------------------------------ lists of media inputs

export interface MediaListSpec {
	/** Parameter name of the fixedCollection; entries live under `${name}.${entryName}`. */
	name: string;
	entryName: string;
	/** Label of the list ("Reference Images") and of one entry ("Reference Image" → "Reference Image 2"). */
	displayName: string;
	entryDisplayName: string;
	kind: MediaKind;
	min: number;
	max: number;
	description?: string;
	/** Extra fields of each entry (e.g. an image's role), read back from `entry`. */
	extraValues?: INodeProperties[];
}

/** A repeatable media input: each entry is a URL, raw base64 or a binary property (same checks as one input). */
export function mediaListProperty(spec: MediaListSpec): INodeProperties {
	const limits = MEDIA_LIMITS[spec.kind];
	return {
		displayName: spec.displayName,
		name: spec.name,
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, maxAllowedFields: spec.max },
		default: {},
		required: spec.min > 0,
		placeholder: `Add ${spec.entryDisplayName}`,
		description: spec.description ?? `${spec.min} to ${spec.max} ${spec.displayName.toLowerCase()} (${limits.label})`,
		options: [
			{
				displayName: spec.entryDisplayName,
				name: spec.entryName,
				values: [
					{
						displayName: 'Input Type',
						name: 'inputType',
						type: 'options',
						options: [
							{ name: 'URL', value: 'url' },
							{ name: 'Base64', value: 'base64' },
							{ name: 'Binary Property', value: 'binary' },
						],
						default: 'url',
						description: `How this ${spec.kind} is provided`,
					},
					{
						displayName: 'URL or Base64',
						name: 'data',
						type: 'string',
						default: '',
						description: 'Public http(s) URL, or raw base64 when Input Type is Base64',
						displayOptions: { show: { inputType: ['url', 'base64'] } },
					},
					{
						displayName: 'Binary Property',
						name: 'binaryProperty',
						type: 'string',
						default: 'data',
						description: `Name of the input item's binary property holding the ${spec.kind}`,
						displayOptions: { show: { inputType: ['binary'] } },
					},
					...(spec.extraValues ?? []),
				],
			},
		],
	};
}

/** Read a mediaListProperty(): each entry resolved to a URL or bare base64, with its raw entry. */
export async function resolveMediaList(ctx: MediaContext, itemIndex: number, spec: MediaListSpec): Promise<Array<{ value: string; entry: IDataObject }>> {
	const entries = (((ctx.getNodeParameter(spec.name, itemIndex, {}) as IDataObject)?.[spec.entryName] ?? []) as IDataObject[]).filter(
		(e) => e && typeof e === 'object',
	);
	const fail = (message: string, description?: string) => new NodeOperationError(ctx.getNode(), message, { itemIndex, description });
	if (entries.length < spec.min) throw fail(`"${spec.displayName}" is required`, `Add ${spec.min} to ${spec.max} entries.`);
	if (entries.length > spec.max) throw fail(`"${spec.displayName}" has ${entries.length} entries, Kling accepts at most ${spec.max}`);
	const list: Array<{ value: string; entry: IDataObject }> = [];
	for (const [n, entry] of entries.entries()) {
		const field = `${spec.entryDisplayName} ${n + 1}`;
		try {
			const type = String(entry.inputType ?? 'url');
			let value: string;
			if (type === 'binary') value = await readBinaryMedia(ctx, itemIndex, field, spec.kind, String(entry.binaryProperty ?? 'data'));
			else if (type === 'base64') value = checkBase64Media(field, spec.kind, toBareBase64(field, String(entry.data ?? '')));
			else value = checkMediaUrl(field, String(entry.data ?? ''));
			list.push({ value, entry });
		} catch (error) {
			return toOperationError(ctx, error, itemIndex);
		}
	}
	return list;
}
