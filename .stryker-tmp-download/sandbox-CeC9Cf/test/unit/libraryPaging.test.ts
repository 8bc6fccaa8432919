/**
 * shared/library.ts paging (issue 16, mutation testing): List Voices / List Elements walk pageNum pages until the
 * limit or a short page, and billing exports walk next_cursor, against a fake Kling answering at the n8n request
 * helper (the transport and the paging code run unchanged). What is checked is what Kling is asked and what the
 * user gets: the number of entries, never more than the limit.
 */
import type { IHttpRequestOptions } from 'n8n-workflow';
import { exportBilling, listLibrary } from '../../nodes/KlingAi/shared/library';
import type { KlingRequestContext } from '../../nodes/KlingAi/shared/transport';

interface Sent {
	method: string;
	url: string;
	qs?: Record<string, unknown>;
	body?: unknown;
}
/** A fake Kling: `answer(request)` gives `data` of a code-0 envelope. */
function kling(answer: (req: Sent) => unknown): { ctx: KlingRequestContext; sent: Sent[] } {
	const sent: Sent[] = [];
	const ctx: KlingRequestContext = {
		getNode: () => ({ id: 'n', name: 'Kling AI', type: 'n8n-nodes-kling-ai.klingAi', typeVersion: 1, position: [0, 0], parameters: {} }),
		helpers: {
			httpRequestWithAuthentication: async (_c: string, o: IHttpRequestOptions) => {
				const req: Sent = { method: String(o.method), url: o.url, qs: o.qs as Record<string, unknown>, body: typeof o.body === 'string' ? JSON.parse(o.body) : o.body };
				sent.push(req);
				return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: 0, message: 'SUCCEED', request_id: 'r', data: answer(req) }) };
			},
		},
	};
	return { ctx, sent };
}
const voiceTask = (n: number, voices = 1) => ({ task_id: `t${n}`, task_status: 'succeed', task_result: { voices: Array.from({ length: voices }, (_, k) => ({ voice_id: `v${n}_${k}` })) } });

describe('listLibrary', () => {
	it('walks pageNum 1, 2, ... while pages are full, and stops at the limit', async () => {
		const total = 1600;
		const { ctx, sent } = kling((req) => {
			const { pageNum, pageSize } = req.qs as { pageNum: number; pageSize: number };
			const from = (pageNum - 1) * pageSize;
			return Array.from({ length: Math.max(0, Math.min(pageSize, total - from)) }, (_, k) => voiceTask(from + k));
		});
		const out = await listLibrary(ctx, 'customVoices', 1500);
		expect(out).toHaveLength(1500);
		expect(out[1499]).toMatchObject({ voiceId: 'v1499_0', taskId: 't1499' });
		expect(sent.map((r) => [r.method, r.url, r.qs])).toEqual([
			['GET', '/v1/general/custom-voices', { pageNum: 1, pageSize: 1000 }],
			['GET', '/v1/general/custom-voices', { pageNum: 2, pageSize: 1000 }],
		]);
	});

	it('a short page ends the list; a full last page asks once more', async () => {
		const short = kling((req) => ((req.qs as { pageNum: number }).pageNum === 1 ? [voiceTask(1), voiceTask(2)] : [voiceTask(9)]));
		expect(await listLibrary(short.ctx, 'presetVoices', 3)).toHaveLength(2);
		expect(short.sent).toHaveLength(1);
		// A full page of tasks without a voice yet (still processing): not enough entries, so page 2 is asked for.
		const exact = kling((req) => ((req.qs as { pageNum: number }).pageNum === 1 ? [1, 2, 3, 4].map((n) => voiceTask(n, 0)) : [voiceTask(5)]));
		expect(await listLibrary(exact.ctx, 'presetVoices', 4)).toHaveLength(1);
		expect(exact.sent.map((r) => r.qs)).toEqual([
			{ pageNum: 1, pageSize: 4 },
			{ pageNum: 2, pageSize: 4 },
		]);
	});

	it('a task holding several voices never yields more than the limit', async () => {
		const { ctx } = kling(() => [voiceTask(1, 2), voiceTask(2, 2)]);
		const out = await listLibrary(ctx, 'customVoices', 3);
		expect(out.map((v) => (v as { voiceId: string }).voiceId)).toEqual(['v1_0', 'v1_1', 'v2_0']);
	});
});

describe('exportBilling', () => {
	const query = { startTimeMs: 1, endTimeMs: 2, filters: [] };
	const records = (page: string, n: number) => Array.from({ length: n }, (_, k) => ({ id: `${page}-${k}` }));

	it('walks next_cursor with the cursor alone and cuts the last page at the limit', async () => {
		const { ctx, sent } = kling((req) => {
			const cursor = (req.body as { cursor?: string }).cursor;
			return cursor === undefined ? { has_more: true, next_cursor: 'c2', result: { detail: records('p1', 500) } } : { has_more: true, next_cursor: 'c3', result: { detail: records(cursor, 500) } };
		});
		const out = await exportBilling(ctx, 'balance', query, 700);
		expect(out).toHaveLength(700);
		expect(out[699]).toEqual({ id: 'c2-199' });
		expect(sent.map((r) => r.body)).toEqual([{ start_time: 1, end_time: 2, limit: 500 }, { cursor: 'c2' }]);
	});

	it('has_more false ends the walk even when Kling still sends a cursor; a repeated cursor ends it too', async () => {
		const done = kling(() => ({ has_more: false, next_cursor: 'again', result: { detail: records('p', 2) } }));
		expect(await exportBilling(done.ctx, 'package', query, 100)).toHaveLength(2);
		expect(done.sent).toHaveLength(1);
		const loop = kling(() => ({ has_more: true, next_cursor: 'same', result: { detail: records('p', 1) } }));
		expect(await exportBilling(loop.ctx, 'package', query, 100)).toHaveLength(2);
		expect(loop.sent).toHaveLength(2);
	});
});
