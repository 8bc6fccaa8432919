/**
 * What an AI agent reads when the Kling AI node runs as its tool: ONE compact JSON object per task,
 * whatever happened — succeeded (result URLs, durations, task id), failed (Kling's reason), still
 * running (the task id and how to check it later) or an error — instead of the node's Succeeded /
 * Failed outputs (n8n hands an agent only a tool's first output) and instead of the full task item
 * (its `raw` Kling body is verbose for a model; kept only when asked for).
 */
// @ts-nocheck

import type { IDataObject } from 'n8n-workflow';
import type { KlingImage, KlingTaskItem, KlingVideo } from './task';

export type ToolOutcome = 'succeeded' | 'failed' | 'timedOut' | 'running' | 'error';

export interface ToolResultOptions {
	/** Keep Kling's raw task body (`raw`). */
	includeRaw?: boolean;
	/** A sentence about how the node waited (e.g. that a callback wait became polling). */
	waitNote?: string;
}

const CHECK_LATER = 'Check it later with the Kling AI tool\'s "Get Task" operation (by task ID), or tell the user the task ID.';

function isTask(json: IDataObject): json is KlingTaskItem {
	return typeof json.taskId === 'string' && typeof json.status === 'string';
}

const videoOf = (v: KlingVideo): IDataObject => ({ url: v.url, ...(v.durationSeconds !== null ? { durationSeconds: v.durationSeconds } : {}) });
const imageOf = (i: KlingImage): IDataObject => ({ url: i.url, ...(i.angleUrls ? { angleUrls: i.angleUrls } : {}), ...(i.type ? { type: i.type, isContain: i.isContain ?? null } : {}) });

function outcomeOf(json: IDataObject): ToolOutcome {
	if (json.waitTimedOut === true) return 'timedOut';
	if (typeof json.error === 'string' && json.error) return 'error';
	if (json.status === 'succeeded') return 'succeeded';
	if (json.status === 'failed') return 'failed';
	return 'running';
}

function messageOf(outcome: ToolOutcome, json: IDataObject): string {
	const task = isTask(json) ? json : undefined;
	const id = task ? `Kling task ${task.taskId}` : 'The Kling request';
	switch (outcome) {
		case 'succeeded': {
			const videos = task?.videos?.length ?? 0;
			const images = (task?.images?.length ?? 0) + (task?.seriesImages?.length ?? 0);
			const audios = task?.audios?.length ?? 0;
			const count = (n: number, noun: string) => (n ? `${n} ${noun}${n > 1 ? 's' : ''}` : '');
			const what = [count(videos, 'video'), count(images, 'image'), count(audios, 'audio')].filter(Boolean).join(' and ') || 'its result';
			return `${id} succeeded with ${what}. The URLs are below; Kling deletes results after 30 days.`;
		}
		case 'failed':
			return `${id} failed: ${task?.statusMessage || 'Kling gave no reason'}. No result was produced; a retry needs changed input (it starts a new paid task).`;
		case 'timedOut':
			return `${id} did not finish within the wait limit (last status: ${String(json.status)}). It may still finish. ${CHECK_LATER}`;
		case 'running':
			return `${id} was accepted and is ${String(json.status)}; this call did not wait for it. ${CHECK_LATER}`;
		case 'error':
			return json.downloadFailed === true
				? `${id} succeeded, but downloading its results failed: ${String(json.error)}. The result URLs below still work.`
				: `${id} could not be completed: ${String(json.error)}`;
	}
}

/** The compact result for one item the node produced (a task item, a timed-out/failed item or an error item). */
export function toolResultJson(json: IDataObject, options: ToolResultOptions = {}): IDataObject {
	const outcome = outcomeOf(json);
	const out: IDataObject = { outcome, message: messageOf(outcome, json) };
	if (isTask(json)) {
		out.taskId = json.taskId;
		if (json.externalTaskId) out.externalTaskId = json.externalTaskId;
		out.status = json.status;
		if (json.taskType) out.taskType = json.taskType;
		if (outcome === 'failed' || json.statusMessage) out.reason = json.statusMessage || null;
		if (json.videos?.length) out.videos = json.videos.map(videoOf);
		if (json.images?.length) out.images = json.images.map(imageOf);
		// Audios, series images and angle sets are passed as the item has them (already compact).
		if (json.seriesImages?.length) out.seriesImages = json.seriesImages.map(imageOf);
		if (json.audios?.length) out.audios = json.audios as unknown as IDataObject[];
		if (json.parentVideo) out.parentVideo = videoOf(json.parentVideo);
		if (json.unitsDeducted !== null && json.unitsDeducted !== undefined) out.unitsDeducted = json.unitsDeducted;
		if (outcome === 'succeeded' && json.resultsExpireAt) out.resultsExpireAt = json.resultsExpireAt;
	}
	if (outcome === 'error') {
		out.error = json.error;
		if (typeof json.errorDescription === 'string' && json.errorDescription) out.details = json.errorDescription;
	}
	if (json.downloadFailed === true) out.downloadFailed = true;
	if (options.waitNote) out.waitNote = options.waitNote;
	if (options.includeRaw && json.raw !== undefined) out.raw = json.raw;
	return out;
}

/** Items that are not Kling tasks (e.g. resource packs) pass through; `raw` is dropped unless asked for. */
export function compactForTool(json: IDataObject, options: ToolResultOptions = {}): IDataObject {
	if (isTask(json) || json.waitTimedOut === true || (typeof json.error === 'string' && json.error)) return toolResultJson(json, options);
	if (options.includeRaw || !('raw' in json)) return json;
	const { raw: _raw, ...rest } = json;
	return rest;
}
