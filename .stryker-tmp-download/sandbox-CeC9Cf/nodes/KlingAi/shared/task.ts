/**
 * The Kling task object in all its documented forms, and the one normalised item every
 * node emits (Get Task, List Tasks, callback trigger, poll trigger, create-and-wait).
 */
// @ts-nocheck

import { z } from 'zod';
import type { IDataObject } from 'n8n-workflow';
import { ENDPOINTS, isTaskType, type KlingTaskType, type ResultKind } from './endpoints';
import { parseJsonLossless, textOrNull } from './json';
import { libraryFromLegacyResult, libraryOutput, type KlingElement, type KlingVoice } from './library';

const NEW_STANDARD_TYPE: KlingTaskType = 'newStandard';

const numeric = z.union([z.number(), z.string()]).nullish();
const str = z.union([z.string(), z.number()]).nullish();

const videoSchema = z
	.object({ id: str, url: z.string().nullish(), watermark_url: z.string().nullish(), duration: numeric })
	.passthrough();
const imageSchema = z
	.object({ index: numeric, url: z.string().nullish(), watermark_url: z.string().nullish() })
	.passthrough();
/** Audio in both legacy spellings: TTS `{id,url,duration}`, text/video to audio `{id,url_mp3,url_wav,duration_mp3,duration_wav}`. */
const audioSchema = z.object({ id: str }).passthrough();

/** Legacy-standard task object (query responses and callback bodies). */
export const legacyTaskSchema = z
	.object({
		task_id: z.union([z.string().min(1), z.number()]),
		task_status: z.string().min(1),
		task_status_msg: z.string().nullish(),
		task_info: z
			.object({
				external_task_id: z.string().nullish(),
				parent_video: z.object({ id: str, url: z.string().nullish(), duration: numeric }).passthrough().nullish(),
			})
			.passthrough()
			.nullish(),
		task_result: z
			.object({
				videos: z.array(videoSchema).nullish(),
				images: z.array(imageSchema).nullish(),
				audios: z.array(audioSchema).nullish(),
				series_images: z.array(imageSchema).nullish(),
				result_type: z.string().nullish(),
			})
			.passthrough()
			.nullish(),
		final_unit_deduction: numeric,
		created_at: numeric,
		updated_at: numeric,
	})
	.passthrough();

/** New-standard task object (2026 endpoints): `{id, status, outputs}`. */
export const newStandardTaskSchema = z
	.object({
		id: z.union([z.string().min(1), z.number()]),
		status: z.string().min(1),
		message: z.string().nullish(),
		external_id: z.string().nullish(),
		create_time: numeric,
		update_time: numeric,
		outputs: z.array(z.object({ type: z.string().nullish() }).passthrough()).nullish(),
		billing: z.array(z.object({}).passthrough()).nullish(),
	})
	.passthrough();

/** `{code, message, data}` envelope that some guides show around callback bodies. */
export const envelopeSchema = z
	.object({ code: z.number(), message: z.string().nullish(), request_id: z.string().nullish(), data: z.unknown() })
	.passthrough();

export type LegacyTask = z.infer<typeof legacyTaskSchema>;
export type NewStandardTask = z.infer<typeof newStandardTaskSchema>;

export type TaskStatus = 'submitted' | 'processing' | 'succeeded' | 'failed';

export const TERMINAL_STATUSES: readonly TaskStatus[] = ['succeeded', 'failed'];

const STATUS_ALIASES: Record<string, TaskStatus> = {
	submitted: 'submitted',
	pending: 'submitted',
	queued: 'submitted',
	processing: 'processing',
	running: 'processing',
	succeed: 'succeeded',
	succeeded: 'succeeded',
	success: 'succeeded',
	failed: 'failed',
	fail: 'failed',
};

export function normaliseStatus(raw: unknown): TaskStatus | undefined {
	return typeof raw === 'string' ? STATUS_ALIASES[raw.trim().toLowerCase()] : undefined;
}

export function isTerminal(status: TaskStatus): boolean {
	return status === 'succeeded' || status === 'failed';
}

const STATUS_RANK: Record<TaskStatus, number> = { submitted: 0, processing: 1, succeeded: 2, failed: 2 };

export interface KlingVideo {
	id: string | null;
	url: string | null;
	watermarkUrl: string | null;
	durationSeconds: number | null;
	/** Multi-element editing only: the selection session the video was made from. */
	sessionId?: string;
}

/** One new-standard billing line (`billing[]`, kling-api-2026.md §3.2); absent fields are null. */
export interface KlingBillingLine {
	/** `cash` (balance) or `unit` (resource package). */
	chargeType: string | null;
	/** `balance` or `test_balance` (cash only). */
	cashType: string | null;
	/** Kling's decimal string, kept as sent: a discounted price (cash) or units (unit). */
	amount: string | null;
	/** Cash only. */
	currency: string | null;
	/** `video`, `image` or `audio` (unit only). */
	packageType: string | null;
	/** Cash only. */
	listPrice: string | null;
}

export interface KlingImage {
	index: number;
	/** AI multi-shot angle sets have no `url`: this is their first angle (`url_1`). */
	url: string | null;
	watermarkUrl: string | null;
	/** AI multi-shot only: the three angle images of the set (`url_1`, `url_2`, `url_3`). */
	angleUrls?: string[];
	/** Image recognize only: the segment (`object_seg`, `head_seg`, `face_seg`, `cloth_seg`). */
	type?: string;
	/** Image recognize only: whether the image contains that segment (`is_contain`). */
	isContain?: boolean;
	/** New-standard grouped images only (`group_id`). */
	groupId?: string;
}

/**
 * One audio result, whichever naming Kling used: legacy TTS `{id,url,duration}`, legacy
 * `{id,url_mp3,url_wav,duration_mp3,duration_wav}`, new-standard `{id,mp3_url,wav_url,mp3_duration,wav_duration}`.
 */
export interface KlingAudio {
	id: string | null;
	/** The MP3 when there is one, else the only URL Kling gave. */
	url: string | null;
	mp3Url: string | null;
	wavUrl: string | null;
	/** Duration of `url` (the MP3 when there is one), seconds. */
	durationSeconds: number | null;
	wavDurationSeconds: number | null;
}

/** The one item shape all nodes emit. */
export interface KlingTaskItem extends IDataObject {
	taskId: string;
	externalTaskId: string | null;
	status: TaskStatus;
	/** Kling's own status word, unchanged (`succeed`, `succeeded`, ...). */
	klingStatus: string;
	statusMessage: string;
	finished: boolean;
	taskType: KlingTaskType | null;
	resultKind: ResultKind | null;
	createdAt: string | null;
	createdAtMs: number | null;
	updatedAt: string | null;
	updatedAtMs: number | null;
	videos: KlingVideo[];
	images: KlingImage[];
	/** Audio results (text to speech, text to audio, video to audio); [] for other kinds. */
	audios: KlingAudio[];
	/** Omni image `series_images` (result type "series"); [] otherwise. */
	seriesImages: KlingImage[];
	/** Omni image `result_type` ("single" | "series"); null for other kinds. */
	resultType: string | null;
	parentVideo: KlingVideo | null;
	/** Custom voices a voice-clone task made (legacy task_result.voices, new-standard `voice` outputs). */
	voices: KlingVoice[];
	/** Elements an element task made (legacy task_result.elements, new-standard `element` outputs). */
	elements: KlingElement[];
	unitsDeducted: number | null;
	/** New-standard billing lines (empty for legacy tasks). */
	billing: KlingBillingLine[];
	/** When Kling deletes the results (30 days after creation), ISO. */
	resultsExpireAt: string | null;
	raw: IDataObject;
}

export class KlingPayloadError extends Error {
	constructor(
		message: string,
		readonly reason: 'not_json' | 'no_task_id' | 'unknown_status' | 'not_a_task',
	) {
		super(message);
		this.name = 'KlingPayloadError';
	}
}

const RESULT_RETENTION_MS = 30 * 24 * 3600 * 1000;

function toNumber(v: unknown): number | null {
	if (v === null || v === undefined || v === '') return null;
	const n = typeof v === 'number' ? v : Number(v);
	return Number.isFinite(n) ? n : null;
}

function toMs(v: unknown): number | null {
	const n = toNumber(v);
	if (n === null) return null;
	// Kling timestamps are ms; tolerate seconds from older docs or third parties.
	return n < 1e11 ? Math.round(n * 1000) : Math.round(n);
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const s = textOrNull;

function mapVideo(v: z.infer<typeof videoSchema>): KlingVideo {
	const video: KlingVideo = { id: s(v.id), url: s(v.url), watermarkUrl: s(v.watermark_url), durationSeconds: toNumber(v.duration) };
	// Multi-element editing results name their selection session (DOC-26 L4479); only then is it present.
	const sessionId = s((v as { session_id?: unknown }).session_id);
	if (sessionId) video.sessionId = sessionId;
	return video;
}

function mapImage(im: IDataObject, i: number): KlingImage {
	const image: KlingImage = { index: toNumber(im.index) ?? i, url: s(im.url), watermarkUrl: s(im.watermark_url) };
	// AI multi-shot: three angles per set and no `url` key (DOC-NEW subject-completion).
	const angles = [im.url_1, im.url_2, im.url_3].map(s).filter((u): u is string => u !== null);
	if (angles.length) {
		image.angleUrls = angles;
		if (image.url === null) image.url = angles[0];
	}
	// Image recognize segments (DOC-26 L6420).
	if (im.type !== undefined && im.type !== null) image.type = String(im.type);
	if (typeof im.is_contain === 'boolean') image.isContain = im.is_contain;
	else if (im.is_contain === 'true' || im.is_contain === 'false') image.isContain = im.is_contain === 'true';
	const groupId = s(im.group_id);
	if (groupId) image.groupId = groupId;
	return image;
}

function mapAudio(a: IDataObject): KlingAudio {
	const mp3 = s(a.url_mp3 ?? a.mp3_url);
	const wav = s(a.url_wav ?? a.wav_url);
	const plain = s(a.url);
	const url = mp3 ?? plain ?? wav;
	return {
		id: s(a.id),
		url,
		mp3Url: mp3,
		wavUrl: wav,
		durationSeconds: toNumber(a.duration_mp3 ?? a.mp3_duration ?? a.duration ?? (url !== null && url === wav ? (a.duration_wav ?? a.wav_duration) : null)),
		wavDurationSeconds: toNumber(a.duration_wav ?? a.wav_duration),
	};
}

const NOT_JSON = Symbol('not-json');

function parseJson(text: string): unknown {
	try {
		// Lossless: a callback's 64-bit element_id keeps every digit (as a string).
		return parseJsonLossless(text);
	} catch {
		return NOT_JSON;
	}
}

/**
 * Unwrap any accepted form into the task object: bare legacy task, `{code,message,data}`-wrapped,
 * or new-standard `{id,status,outputs}`. Throws KlingPayloadError with a precise reason.
 */
export function parseTaskPayload(body: unknown, taskType: KlingTaskType | null = null): KlingTaskItem {
	let payload = body;
	if (typeof payload === 'string') {
		payload = parseJson(payload);
		if (payload === NOT_JSON) throw new KlingPayloadError('Body is not JSON', 'not_json');
	}
	if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
		throw new KlingPayloadError('Body is not a Kling task object', 'not_a_task');
	}
	const wrapped = envelopeSchema.safeParse(payload);
	if (wrapped.success && wrapped.data.data && typeof wrapped.data.data === 'object') {
		payload = wrapped.data.data;
	}
	const obj = payload as IDataObject;
	if ('task_id' in obj || 'task_status' in obj) return normaliseLegacy(obj, taskType);
	if ('id' in obj && 'status' in obj) return normaliseNewStandard(obj, taskType);
	throw new KlingPayloadError('Body has no task_id (or id)', 'no_task_id');
}

export function normaliseLegacy(obj: IDataObject, taskType: KlingTaskType | null = null): KlingTaskItem {
	const parsed = legacyTaskSchema.safeParse(obj);
	if (!parsed.success) {
		const missingId = parsed.error.issues.some((i) => i.path[0] === 'task_id');
		throw new KlingPayloadError(
			missingId ? 'Body has no task_id' : `Body is not a Kling task: ${parsed.error.issues[0].path.join('.')} ${parsed.error.issues[0].message}`,
			missingId ? 'no_task_id' : 'not_a_task',
		);
	}
	const t = parsed.data;
	const status = normaliseStatus(t.task_status);
	if (!status) throw new KlingPayloadError(`Unknown task_status "${t.task_status}"`, 'unknown_status');
	const createdAtMs = toMs(t.created_at);
	const updatedAtMs = toMs(t.updated_at);
	const pv = t.task_info?.parent_video;
	return buildItem({
		taskId: String(t.task_id),
		externalTaskId: s(t.task_info?.external_task_id),
		status,
		klingStatus: t.task_status,
		statusMessage: t.task_status_msg ?? '',
		taskType,
		createdAtMs,
		updatedAtMs,
		videos: (t.task_result?.videos ?? []).map(mapVideo),
		images: (t.task_result?.images ?? []).map((im, i) => mapImage(im as IDataObject, i)),
		audios: (t.task_result?.audios ?? []).map((a) => mapAudio(a as IDataObject)),
		seriesImages: (t.task_result?.series_images ?? []).map((im, i) => mapImage(im as IDataObject, i)),
		resultType: s(t.task_result?.result_type),
		parentVideo: pv ? mapVideo(pv) : null,
		...libraryFromLegacyResult(t.task_result),
		unitsDeducted: toNumber(t.final_unit_deduction),
		billing: [],
		raw: obj,
	});
}

export function normaliseNewStandard(obj: IDataObject, taskType: KlingTaskType | null = null): KlingTaskItem {
	const parsed = newStandardTaskSchema.safeParse(obj);
	if (!parsed.success) throw new KlingPayloadError('Body has no id', 'no_task_id');
	const t = parsed.data;
	const status = normaliseStatus(t.status);
	if (!status) throw new KlingPayloadError(`Unknown status "${t.status}"`, 'unknown_status');
	const videos: KlingVideo[] = [];
	const images: KlingImage[] = [];
	const audios: KlingAudio[] = [];
	const voices: KlingVoice[] = [];
	const elements: KlingElement[] = [];
	for (const out of t.outputs ?? []) {
		const o = out as IDataObject;
		const lib = libraryOutput(o);
		if (lib) {
			if ('voice' in lib) voices.push(lib.voice);
			else elements.push(lib.element);
		} else if (o.type === 'video') {
			videos.push({ id: s(o.id), url: s(o.url), watermarkUrl: s(o.watermark_url), durationSeconds: toNumber(o.duration) });
		} else if (o.type === 'image') {
			// The output's `type` says "image"; the item's image `type` is an image-recognize segment only.
			images.push(mapImage({ ...o, type: undefined }, images.length));
		} else if (o.type === 'audio') {
			audios.push(mapAudio(o));
		}
	}
	const billing: KlingBillingLine[] = (t.billing ?? []).map((b) => {
		const line = b as IDataObject;
		return {
			chargeType: s(line.charge_type),
			cashType: s(line.cash_type),
			amount: s(line.amount),
			currency: s(line.currency),
			packageType: s(line.package_type),
			listPrice: s(line.list_price),
		};
	});
	// Units only: a cash line's amount is money, not units (lines without charge_type count as units, as before).
	const billed = (t.billing ?? []).reduce<number | null>((sum, b) => {
		const line = b as IDataObject;
		if (line.charge_type !== undefined && line.charge_type !== null && line.charge_type !== 'unit') return sum;
		const n = toNumber(line.amount ?? line.units);
		return n === null ? sum : (sum ?? 0) + n;
	}, null);
	return buildItem({
		taskId: String(t.id),
		externalTaskId: s(t.external_id),
		status,
		klingStatus: t.status,
		statusMessage: t.message ?? '',
		// Every new-standard task is one type: POST /tasks lists them together without naming the path.
		taskType: NEW_STANDARD_TYPE,
		createdAtMs: toMs(t.create_time),
		updatedAtMs: toMs(t.update_time),
		videos,
		images,
		audios,
		seriesImages: [],
		resultType: null,
		parentVideo: null,
		voices,
		elements,
		unitsDeducted: billed,
		billing,
		raw: obj,
	});
}

interface ItemParts {
	taskId: string;
	externalTaskId: string | null;
	status: TaskStatus;
	klingStatus: string;
	statusMessage: string;
	taskType: KlingTaskType | null;
	createdAtMs: number | null;
	updatedAtMs: number | null;
	videos: KlingVideo[];
	images: KlingImage[];
	audios: KlingAudio[];
	seriesImages: KlingImage[];
	resultType: string | null;
	parentVideo: KlingVideo | null;
	voices: KlingVoice[];
	elements: KlingElement[];
	unitsDeducted: number | null;
	billing: KlingBillingLine[];
	raw: IDataObject;
}

/** The result kind a task without a known type shows: what its result lists hold. */
function resultKindOf(p: Pick<ItemParts, 'videos' | 'images' | 'audios' | 'seriesImages' | 'voices' | 'elements'>): ResultKind | null {
	if (p.videos.length) return p.audios.length ? 'videos+audios' : 'videos';
	if (p.images.length || p.seriesImages.length) return 'images';
	if (p.audios.length) return 'audios';
	if (p.voices.length) return 'voices';
	return p.elements.length ? 'elements' : null;
}

function buildItem(p: ItemParts): KlingTaskItem {
	// A new-standard task's kind is what its outputs hold (one type covers every model path); before it has
	// outputs, its table row's (video: every documented new-standard create makes a video).
	const resultKind =
		p.taskType && p.taskType !== NEW_STANDARD_TYPE ? ENDPOINTS[p.taskType].resultKind : (resultKindOf(p) ?? (p.taskType ? ENDPOINTS[p.taskType].resultKind : null));
	return {
		taskId: p.taskId,
		externalTaskId: p.externalTaskId,
		status: p.status,
		klingStatus: p.klingStatus,
		statusMessage: p.statusMessage,
		finished: isTerminal(p.status),
		taskType: p.taskType,
		resultKind,
		createdAt: iso(p.createdAtMs),
		createdAtMs: p.createdAtMs,
		updatedAt: iso(p.updatedAtMs),
		updatedAtMs: p.updatedAtMs,
		videos: p.videos,
		images: p.images,
		audios: p.audios,
		seriesImages: p.seriesImages,
		resultType: p.resultType,
		parentVideo: p.parentVideo,
		voices: p.voices,
		elements: p.elements,
		unitsDeducted: p.unitsDeducted,
		billing: p.billing,
		resultsExpireAt: p.createdAtMs === null ? null : iso(p.createdAtMs + RESULT_RETENTION_MS),
		raw: p.raw,
	};
}

/** Parse a task from a Kling API response `data` (query, create or list entry). */
export function taskFromApi(data: unknown, taskType: KlingTaskType | null): KlingTaskItem {
	return parseTaskPayload(data, taskType);
}

/**
 * The item of a synchronous call that answers its result at once (text to speech, image recognize), in the
 * shape of a finished task. Text to speech answers a task object (`task_id`, `task_status`, `task_result`);
 * image recognize answers only `task_result` and deductions: its item takes the request id as task id and
 * `succeed` as status (Kling answered code 0 with the result). `raw` is Kling's `data` unchanged.
 */
export function syncResultItem(data: IDataObject, fallbackId: string): KlingTaskItem {
	const obj: IDataObject = { ...data };
	if (obj.task_id === undefined || obj.task_id === null || obj.task_id === '') obj.task_id = fallbackId;
	if (obj.task_status === undefined || obj.task_status === null || obj.task_status === '') obj.task_status = 'succeed';
	return { ...normaliseLegacy(obj, null), raw: data };
}

export function withTaskType(item: KlingTaskItem, taskType: string | null | undefined): KlingTaskItem {
	if (!isTaskType(taskType) || item.taskType === taskType) return item;
	// A new-standard task stays one: the URL's kling_type names the operation's family, not where to read it.
	if (item.taskType === NEW_STANDARD_TYPE) return item;
	return { ...item, taskType, resultKind: ENDPOINTS[taskType].resultKind };
}

/**
 * Ordering rule: is `next` a newer state of the task than `prev`?
 * Terminal states never go back; a higher rank wins; equal rank is newer only with a later updated_at.
 */
export function isNewerState(
	prev: { status: TaskStatus; updatedAtMs: number | null } | undefined,
	next: { status: TaskStatus; updatedAtMs: number | null },
): boolean {
	if (!prev) return true;
	if (isTerminal(prev.status)) return false;
	const dr = STATUS_RANK[next.status] - STATUS_RANK[prev.status];
	if (dr !== 0) return dr > 0;
	return (next.updatedAtMs ?? 0) > (prev.updatedAtMs ?? 0);
}

/** Output index for the two/three-output nodes: 0 Succeeded, 1 Failed, 2 Progress. */
export function outputIndexOf(status: TaskStatus): 0 | 1 | 2 {
	return status === 'succeeded' ? 0 : status === 'failed' ? 1 : 2;
}
