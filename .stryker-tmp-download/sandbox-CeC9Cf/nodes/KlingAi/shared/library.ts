/**
 * The voice and element libraries (kling-api-2026.md b.10, b.11, §3.1, §3.2) and the billing exports (b.17):
 * the shapes Kling answers in, mapped to the node's items, and the list / delete / export calls.
 *
 * Voices and elements reach the node in four forms, all mapped to the same two item shapes:
 * - legacy task results `task_result.voices[]` / `task_result.elements[]` (create-task queries, lists, callbacks);
 * - new-standard `outputs[]` items of type `voice` / `element` (their reference list is `references[]` on the
 *   query page and `materials[]` on the callback page — UNCERTAIN which is right, so both are read);
 * - the older synchronous element API, whose answers are bare element objects (DOC-CN custom-elements.md).
 * Element ids are 64-bit (`long`): they are strings here. The transport parses Kling's answers losslessly
 * (`parseJsonLossless`), so an id above 2^53 arrives as its digit string; a number only reaches this code when
 * the JSON was parsed by someone else first (then String() keeps what is left of it).
 */
// @ts-nocheck

import { NodeApiError, NodeOperationError, type IDataObject } from 'n8n-workflow';
import { BILLING_PATHS, ENDPOINTS, LIBRARY_PATHS } from './endpoints';
import { textOrNull } from './json';
import { DEFAULT_RETRY_POLICY, klingApiRequest, type KlingRequestContext, type RetryPolicy } from './transport';

export interface KlingVoice {
	voiceId: string | null;
	voiceName: string | null;
	/** Preview audio (legacy `trial_url`, new-standard `url`). */
	trialUrl: string | null;
	/** `kling` = Kling's preset library, otherwise the creator's id. */
	ownedBy: string | null;
	/** New-standard only: `succeeded` or `deleted`. */
	status?: string;
}

export interface KlingElementMedia {
	url: string | null;
	/** `frontal` or `refer` (images); `refer` (videos). */
	role: string | null;
}

export interface KlingElementTag {
	id: string | null;
	name: string | null;
	description: string | null;
}

export interface KlingElement {
	/** 64-bit id, always its decimal digits. */
	elementId: string | null;
	name: string | null;
	description: string | null;
	/** `image_refer` (multi-image element) or `video_refer` (video character element); null when Kling does not say. */
	referenceType: string | null;
	images: KlingElementMedia[];
	videos: KlingElementMedia[];
	voice: KlingVoice | null;
	tags: KlingElementTag[];
	ownedBy: string | null;
	/** `succeeded` (Kling's legacy `succeed` normalised) or `deleted`. */
	status: string | null;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const objects = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObj) : []);
const s = textOrNull;

/** An id as its digits: a string stays as sent; a number is written out in full (no exponent). */
export function idString(v: unknown): string | null {
	if (typeof v === 'number') return Number.isInteger(v) ? BigInt(v).toString() : String(v);
	if (typeof v === 'bigint') return v.toString();
	return s(typeof v === 'string' ? v.trim() : v);
}

function libraryStatus(v: unknown): string | null {
	const status = s(v);
	return status === 'succeed' ? 'succeeded' : status;
}

const NS_ELEMENT_TYPES: Record<string, string> = { video_character_elements: 'video_refer', multi_image_elements: 'image_refer' };

// ------------------------------------------------------------------ voices

/** Legacy `{voice_id, voice_name, trial_url, owned_by}` (DOC-26 L6122–6188; element_voice_info has the same keys). */
export function mapLegacyVoice(v: Obj): KlingVoice {
	const voice: KlingVoice = { voiceId: idString(v.voice_id), voiceName: s(v.voice_name), trialUrl: s(v.trial_url), ownedBy: s(v.owned_by) };
	if (s(v.status)) voice.status = libraryStatus(v.status) as string;
	return voice;
}

/** New-standard `{type: "voice", id, name, url, owned_by, status}` (and an element's voice material). */
export function mapNewStandardVoice(o: Obj): KlingVoice {
	const voice: KlingVoice = { voiceId: idString(o.id), voiceName: s(o.name), trialUrl: s(o.url), ownedBy: s(o.owned_by) };
	if (s(o.status)) voice.status = libraryStatus(o.status) as string;
	return voice;
}

// ------------------------------------------------------------------ elements

const tagOf = (t: Obj): KlingElementTag => ({ id: s(t.id ?? t.tag_id), name: s(t.name ?? t.tag_name), description: s(t.description) });

/**
 * Legacy element: the advanced API's `{element_id, element_name, element_description, reference_type,
 * element_image_list{frontal_image, refer_images[{image_url}]}, element_video_list{refer_videos[{video_url}]},
 * element_voice_info, tag_list, owned_by, status}` (DOC-26 L6658–6730) and the older synchronous API's
 * `{element_frontal_image, element_refer_list[{image_url}]}` (DOC-CN) — one mapper for both.
 */
export function mapLegacyElement(e: Obj): KlingElement {
	const imageList = isObj(e.element_image_list) ? e.element_image_list : {};
	const videoList = isObj(e.element_video_list) ? e.element_video_list : {};
	const images: KlingElementMedia[] = [];
	const frontal = s(imageList.frontal_image ?? e.element_frontal_image);
	if (frontal) images.push({ url: frontal, role: 'frontal' });
	for (const r of [...objects(imageList.refer_images), ...objects(e.element_refer_list)]) images.push({ url: s(r.image_url ?? r.url), role: 'refer' });
	const videos = objects(videoList.refer_videos).map((r) => ({ url: s(r.video_url ?? r.url), role: 'refer' }));
	const voiceInfo = isObj(e.element_voice_info) && s(e.element_voice_info.voice_id) ? mapLegacyVoice(e.element_voice_info) : null;
	return {
		elementId: idString(e.element_id),
		name: s(e.element_name),
		description: s(e.element_description),
		referenceType: s(e.reference_type),
		images,
		videos,
		voice: voiceInfo,
		tags: objects(e.tag_list).map(tagOf),
		ownedBy: s(e.owned_by),
		status: libraryStatus(e.status),
	};
}

/**
 * New-standard `{type: "element", id, name, description, element_type, references[] | materials[]
 * {type image|video|voice, role, url, (voice: id, name, owned_by)}, owned_by, status, tags[{id, name, description}]}`.
 */
export function mapNewStandardElement(o: Obj): KlingElement {
	const materials = [...objects(o.references), ...objects(o.materials)];
	const media = (type: string) => materials.filter((m) => m.type === type).map((m) => ({ url: s(m.url), role: s(m.role) }));
	const voice = materials.find((m) => m.type === 'voice');
	const elementType = s(o.element_type);
	return {
		elementId: idString(o.id),
		name: s(o.name),
		description: s(o.description),
		referenceType: elementType ? (Object.prototype.hasOwnProperty.call(NS_ELEMENT_TYPES, elementType) ? NS_ELEMENT_TYPES[elementType] : elementType) : null,
		images: media('image'),
		videos: media('video'),
		voice: voice ? mapNewStandardVoice(voice) : null,
		tags: objects(o.tags).map(tagOf),
		ownedBy: s(o.owned_by),
		status: libraryStatus(o.status),
	};
}

/** What a legacy `task_result` holds of the libraries. */
export function libraryFromLegacyResult(taskResult: unknown): { voices: KlingVoice[]; elements: KlingElement[] } {
	const r = isObj(taskResult) ? taskResult : {};
	return { voices: objects(r.voices).map(mapLegacyVoice), elements: objects(r.elements).map(mapLegacyElement) };
}

/** One new-standard output item as a voice or element, or undefined for other types. */
export function libraryOutput(o: Obj): { voice: KlingVoice } | { element: KlingElement } | undefined {
	if (o.type === 'voice') return { voice: mapNewStandardVoice(o) };
	if (o.type === 'element') return { element: mapNewStandardElement(o) };
	return undefined;
}

// ------------------------------------------------------------------ lists and deletes

/** Kling's page-size maxima: voice lists take pageSize ≤ 1000, element lists ≤ 500 (DOC-26); pageNum ≤ 1000. */
export const LIBRARY_MAX_PAGE_NUM = 1000;

export type LibraryList = 'customVoices' | 'presetVoices' | 'customElements' | 'presetElements' | 'legacyElements' | 'legacyPresetElements';

interface ListSpec {
	path: string;
	maxPageSize: number;
	kind: 'voices' | 'elements';
	/** Entries are task objects holding task_result.voices / .elements (true) or bare elements (the older API). */
	tasks: boolean;
}

export const LIBRARY_LISTS: Readonly<Record<LibraryList, ListSpec>> = {
	customVoices: { path: ENDPOINTS.customVoice.path, maxPageSize: 1000, kind: 'voices', tasks: true },
	presetVoices: { path: LIBRARY_PATHS.presetVoices, maxPageSize: 1000, kind: 'voices', tasks: true },
	customElements: { path: ENDPOINTS.customElement.path, maxPageSize: 500, kind: 'elements', tasks: true },
	presetElements: { path: LIBRARY_PATHS.presetElements, maxPageSize: 500, kind: 'elements', tasks: true },
	legacyElements: { path: LIBRARY_PATHS.legacyElements, maxPageSize: 500, kind: 'elements', tasks: false },
	legacyPresetElements: { path: LIBRARY_PATHS.legacyPresetElements, maxPageSize: 500, kind: 'elements', tasks: false },
};

/** One list entry: the voice or element, with the task that made it (null for presets without one / the older API). */
export type LibraryEntry = (KlingVoice | KlingElement) & { taskId: string | null };

/** Page through a library list (pageNum 1…1000) until `limit` entries or a short page. */
export async function listLibrary(
	ctx: KlingRequestContext,
	list: LibraryList,
	limit: number,
	itemIndex?: number,
	policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): Promise<LibraryEntry[]> {
	const spec = LIBRARY_LISTS[list];
	const pageSize = Math.min(spec.maxPageSize, limit);
	const out: LibraryEntry[] = [];
	for (let pageNum = 1; pageNum <= LIBRARY_MAX_PAGE_NUM && out.length < limit; pageNum++) {
		const res = await klingApiRequest<unknown>(ctx, { method: 'GET', path: spec.path, qs: { pageNum, pageSize }, itemIndex }, policy);
		const page = objects(res.data);
		for (const entry of page) {
			if (!spec.tasks) out.push({ ...mapLegacyElement(entry), taskId: null });
			else {
				const { voices, elements } = libraryFromLegacyResult(entry.task_result);
				for (const x of spec.kind === 'voices' ? voices : elements) out.push({ ...x, taskId: s(entry.task_id) });
			}
		}
		if (page.length < pageSize) break;
	}
	return out.slice(0, limit);
}

export interface DeleteResult extends IDataObject {
	deleted: true;
	taskId: string | null;
	taskStatus: string | null;
	/** The path that accepted the delete. */
	path: string;
}

async function postDelete(ctx: KlingRequestContext, path: string, body: IDataObject, itemIndex: number | undefined, policy: RetryPolicy): Promise<DeleteResult> {
	const res = await klingApiRequest<unknown>(ctx, { method: 'POST', path, body, itemIndex }, policy);
	const data = isObj(res.data) ? res.data : {};
	return { deleted: true, taskId: s(data.task_id), taskStatus: s(data.task_status), path };
}

/** `POST /v1/general/delete-voices {voice_id}` (custom voices only). */
export async function deleteVoice(ctx: KlingRequestContext, voiceId: string, itemIndex?: number, policy: RetryPolicy = DEFAULT_RETRY_POLICY): Promise<DeleteResult> {
	return await postDelete(ctx, LIBRARY_PATHS.deleteVoices, { voice_id: voiceId }, itemIndex, policy);
}

/** A 404 that says the path is unknown (no Kling code, or 1202), not that the element is (1203). */
export function isUnknownPath(error: unknown): boolean {
	const e = error as { httpCode?: unknown; message?: unknown };
	return String(e?.httpCode ?? '') === '404' && !/Kling error 1203/.test(String(e?.message ?? ''));
}

/**
 * Delete an element: `{element_id}` as a JSON string (the field tables type it `string`), so every digit of
 * the 64-bit id is sent. The path is UNCERTAIN (see LIBRARY_PATHS.deleteElements): delete-elements first, and
 * delete-advanced-elements when Kling answers that the first path does not exist.
 */
export async function deleteElement(ctx: KlingRequestContext, elementId: string, itemIndex?: number, policy: RetryPolicy = DEFAULT_RETRY_POLICY): Promise<DeleteResult> {
	const body = { element_id: elementId };
	try {
		return await postDelete(ctx, LIBRARY_PATHS.deleteElements, body, itemIndex, policy);
	} catch (error) {
		if (!isUnknownPath(error)) throw error instanceof NodeApiError || error instanceof NodeOperationError ? error : new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
		return await postDelete(ctx, LIBRARY_PATHS.deleteElementsAlternative, body, itemIndex, policy);
	}
}

/** The older synchronous element create: answers the element itself (DOC-CN custom-elements.md). */
export async function createLegacyElement(ctx: KlingRequestContext, body: IDataObject, itemIndex?: number, policy: RetryPolicy = DEFAULT_RETRY_POLICY): Promise<KlingElement> {
	const res = await klingApiRequest<unknown>(ctx, { method: 'POST', path: LIBRARY_PATHS.legacyElements, body, itemIndex }, policy);
	return mapLegacyElement(isObj(res.data) ? res.data : {});
}

// ------------------------------------------------------------------ billing exports

export type BillingExport = keyof typeof BILLING_PATHS;
export const BILLING_MAX_LIMIT = 500;
/** Safety stop for a cursor that never ends (Kling documents none). */
export const BILLING_MAX_PAGES = 10_000;

export interface BillingQuery {
	startTimeMs: number;
	endTimeMs: number;
	filters: Array<{ key: string; values: string[] }>;
}

/**
 * Walk a billing export: the first request carries the time range, limit and filters; each next one only the
 * `next_cursor` ("when cursor is provided, it overrides all other parameters"). Stops at `limit` records,
 * `has_more: false`, an empty cursor, or a cursor seen before.
 */
export async function exportBilling(
	ctx: KlingRequestContext,
	kind: BillingExport,
	query: BillingQuery,
	limit: number,
	itemIndex?: number,
	policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): Promise<IDataObject[]> {
	const out: IDataObject[] = [];
	const seen = new Set<string>();
	let body: IDataObject = {
		start_time: query.startTimeMs,
		end_time: query.endTimeMs,
		limit: Math.min(BILLING_MAX_LIMIT, limit),
		...(query.filters.length ? { filters: query.filters } : {}),
	};
	for (let page = 0; page < BILLING_MAX_PAGES && out.length < limit; page++) {
		const res = await klingApiRequest<unknown>(ctx, { method: 'POST', path: BILLING_PATHS[kind], body, itemIndex }, policy);
		const data = isObj(res.data) ? res.data : {};
		const result = isObj(data.result) ? data.result : {};
		out.push(...(objects(result.detail) as IDataObject[]));
		const cursor = s(data.next_cursor);
		if (data.has_more !== true || !cursor || seen.has(cursor)) break;
		seen.add(cursor);
		body = { cursor };
	}
	return out.slice(0, limit);
}
