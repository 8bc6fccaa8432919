/**
 * shared/api.ts reads of the new standard (GET /tasks batch lookup, POST /tasks cursor pages and their page-number
 * emulation) and the remaining branches of the legacy calls, against a scripted Kling over the real n8n-core request
 * path. Every assertion names the exact request sent and the exact result (mutation testing, issue 16).
 */
import { NodeApiError, type IDataObject } from 'n8n-workflow';
import { contextOn, fastPolicy as policy, scriptedKling } from '../helpers/scriptedKling';
import { klingError, ok, type Received } from '../helpers/scriptedServer';
import { NS_MAX_LIMIT } from '../../nodes/KlingAi/shared/newStandard';
import {
	callSyncForItem,
	createTask,
	findTask,
	findTaskAnyType,
	getAccountCosts,
	getNewStandardTasks,
	getTask,
	listNewStandardPage,
	listTasks,
} from '../../nodes/KlingAi/shared/api';

const kling = scriptedKling();
/** Another execution context on the same server (the cursor memo is per context). */
const context = () => contextOn(kling.server);

const ns = (id: string, extra: IDataObject = {}) => ({ id, status: 'succeeded', create_time: 1, update_time: 2, ...extra });
const legacy = (id: string, extra: IDataObject = {}) => ({ task_id: id, task_status: 'submitted', created_at: 1, updated_at: 1, ...extra });

/** "GET /tasks task_ids=a,b": method, path and the decoded query, in order. */
const requests = () =>
	kling.server.received.map((r) => {
		const u = new URL(r.url, 'http://x');
		const qs = [...u.searchParams].map(([k, v]) => `${k}=${v}`).join('&');
		return `${r.method} ${u.pathname}${qs ? ` ${qs}` : ''}`;
	});
const bodies = () => kling.server.received.map((r) => (r.body ? (JSON.parse(r.body) as IDataObject) : undefined));
const query = (r: Received) => Object.fromEntries(new URL(r.url, 'http://x').searchParams);
const ids = (items: Array<{ taskId: string }>) => items.map((i) => i.taskId);

async function rejection(p: Promise<unknown>): Promise<NodeApiError> {
	const err = await p.then(
		() => undefined,
		(e: unknown) => e,
	);
	expect(err).toBeInstanceOf(NodeApiError);
	return err as NodeApiError;
}

describe('getNewStandardTasks: GET /tasks?task_ids= or ?external_task_ids=', () => {
	it('joins the ids with commas under the named key and returns new-standard items', async () => {
		const ctx = await kling.serve(() => ok([ns('a', { external_id: 'ea' }), ns('b')]));
		const items = await getNewStandardTasks(ctx, ['a', 'b'], 'task_ids', policy);
		expect(items.map((i) => [i.taskId, i.externalTaskId, i.taskType, i.status])).toEqual([
			['a', 'ea', 'newStandard', 'succeeded'],
			['b', null, 'newStandard', 'succeeded'],
		]);
		expect(requests()).toEqual(['GET /tasks task_ids=a,b']);
		expect(kling.server.received[0].body).toBe('');
		await getNewStandardTasks(ctx, ['x'], 'external_task_ids', policy);
		expect(query(kling.server.received[1])).toEqual({ external_task_ids: 'x' });
	});

	it('an unknown id (1203 or a non-list answer) is an empty list, not an error', async () => {
		const ctx = await kling.serve((_r, n) => (n === 1 ? klingError(404, 1203, 'task not found') : ok({ not: 'a list' })));
		expect(await getNewStandardTasks(ctx, ['a'], 'task_ids', policy)).toEqual([]);
		expect(await getNewStandardTasks(ctx, ['a'], 'task_ids', policy)).toEqual([]);
		expect(kling.server.received).toHaveLength(2);
	});

	it('another failure throws with the item index', async () => {
		const ctx = await kling.serve(() => klingError(400, 1201, 'bad params'));
		const err = await rejection(getNewStandardTasks(ctx, ['a'], 'task_ids', policy, 4));
		expect(err.context.itemIndex).toBe(4);
		expect(err.httpCode).toBe('400');
	});
});

describe('Get Task / findTask on the new standard: task ids first, then external ids', () => {
	it('found by task id: one request, the task whose id matches (not its neighbours)', async () => {
		const ctx = await kling.serve(() => ok([ns('other', { external_id: 'x' }), ns('x', { external_id: 'ext' })]));
		const item = await getTask(ctx, 'newStandard', 'x', policy);
		expect([item.taskId, item.externalTaskId, item.taskType]).toEqual(['x', 'ext', 'newStandard']);
		expect(requests()).toEqual(['GET /tasks task_ids=x']);
	});

	it('found only by external id: the task whose external id matches, after the task-id query', async () => {
		const ctx = await kling.serve((r) =>
			query(r).task_ids ? ok([ns('unrelated')]) : ok([ns('x', { external_id: 'other' }), ns('t-9', { external_id: 'x' })]),
		);
		const item = await getTask(ctx, 'newStandard', 'x', policy, 2);
		expect([item.taskId, item.externalTaskId]).toEqual(['t-9', 'x']);
		expect(requests()).toEqual(['GET /tasks task_ids=x', 'GET /tasks external_task_ids=x']);
	});

	it('a task-id answer whose task only carries the id as external id is not a task-id match', async () => {
		// The task-id query is answered with a task whose *external* id is the id; the external query finds nothing.
		const ctx = await kling.serve((r) => (query(r).task_ids ? ok([ns('t-1', { external_id: 'x' })]) : ok([])));
		expect(await findTask(ctx, 'newStandard', 'x', policy)).toBeUndefined();
		expect(requests()).toEqual(['GET /tasks task_ids=x', 'GET /tasks external_task_ids=x']);
	});

	it('an external-id answer whose task only has the id as task id is not an external-id match', async () => {
		const ctx = await kling.serve((r) => (query(r).task_ids ? ok([]) : ok([ns('x')])));
		expect(await findTask(ctx, 'newStandard', 'x', policy)).toBeUndefined();
		expect(kling.server.received).toHaveLength(2);
	});

	it('findTask finds by task id with one request and by external id with two', async () => {
		const ctx = await kling.serve((r) => (query(r).task_ids === 'x' ? ok([ns('x')]) : query(r).external_task_ids === 'e' ? ok([ns('y', { external_id: 'e' })]) : ok([])));
		expect((await findTask(ctx, 'newStandard', 'x', policy))?.taskId).toBe('x');
		expect(kling.server.received).toHaveLength(1);
		expect((await findTask(ctx, 'newStandard', 'e', policy))?.taskId).toBe('y');
		expect(requests().slice(1)).toEqual(['GET /tasks task_ids=e', 'GET /tasks external_task_ids=e']);
	});

	it('unknown: Kling error 1203 naming the id, the 30-day note and the item index', async () => {
		const ctx = await kling.serve(() => ok([]));
		const err = await rejection(getTask(ctx, 'newStandard', 'gone-1', policy, 3));
		expect(err.message).toBe('Kling error 1203: no new-standard task with ID or external ID "gone-1"');
		expect(err.description).toBe('GET /tasks returned no task with this ID. Tasks are kept for 30 days.');
		expect(err.context.itemIndex).toBe(3);
		expect(err.errorResponse).toMatchObject({ code: 1203, message: 'task not found: gone-1' });
		expect(requests()).toEqual(['GET /tasks task_ids=gone-1', 'GET /tasks external_task_ids=gone-1']);
	});

	it('findTaskAnyType asks the new standard at /tasks between legacy types', async () => {
		const ctx = await kling.serve((r) => (r.url.startsWith('/tasks') ? (query(r).external_task_ids ? ok([ns('n', { external_id: 'e' })]) : ok([])) : klingError(404, 1203, 'nf')));
		const found = await findTaskAnyType(ctx, 'e', ['textToVideo', 'newStandard', 'imageToVideo'], policy);
		expect([found?.taskId, found?.taskType]).toEqual(['n', 'newStandard']);
		expect(requests()).toEqual(['GET /v1/videos/text2video/e', 'GET /tasks task_ids=e', 'GET /tasks external_task_ids=e']);
	});
});

describe('listNewStandardPage: one POST /tasks page', () => {
	const page = (data: unknown) => () => ok(data);

	it('the limit is clamped to 1..NS_MAX_LIMIT; without a cursor the time window and filters are sent', async () => {
		const ctx = await kling.serve(page({ result: [ns('a')], next_cursor: 'c2', has_more: true }));
		const res = await listNewStandardPage(ctx, { limit: 20, filters: { startTime: 1000, endTime: 2000, statuses: ['succeeded', 'failed'], productTypes: ['video'] } }, policy);
		expect(res).toEqual({ items: [expect.objectContaining({ taskId: 'a', taskType: 'newStandard' })], nextCursor: 'c2', hasMore: true });
		await listNewStandardPage(ctx, { limit: 0 }, policy);
		await listNewStandardPage(ctx, { limit: -3 }, policy);
		await listNewStandardPage(ctx, { limit: NS_MAX_LIMIT + 1 }, policy);
		await listNewStandardPage(ctx, { limit: NS_MAX_LIMIT }, policy);
		await listNewStandardPage(ctx, { limit: 1 }, policy);
		expect(requests()).toEqual(Array(6).fill('POST /tasks'));
		expect(bodies()).toEqual([
			{
				limit: 20,
				start_time: 1000,
				end_time: 2000,
				filters: [
					{ key: 'status', values: ['succeeded', 'failed'] },
					{ key: 'product_type', values: ['video'] },
				],
			},
			{ limit: 1 },
			{ limit: 1 },
			{ limit: NS_MAX_LIMIT },
			{ limit: NS_MAX_LIMIT },
			{ limit: 1 },
		]);
		expect(NS_MAX_LIMIT).toBe(500);
	});

	it('a cursor excludes start_time/end_time but keeps the filters; a zero start time is still sent', async () => {
		const ctx = await kling.serve(page({ result: [] }));
		await listNewStandardPage(ctx, { cursor: 'c1', limit: 5, filters: { startTime: 1000, endTime: 2000, productTypes: ['image'] } }, policy);
		await listNewStandardPage(ctx, { cursor: '', limit: 5, filters: { startTime: 0, endTime: 0 } }, policy);
		await listNewStandardPage(ctx, { cursor: null, limit: 5, filters: { endTime: 9 } }, policy);
		await listNewStandardPage(ctx, { limit: 5, filters: { startTime: 7 } }, policy);
		expect(bodies()).toEqual([
			{ limit: 5, cursor: 'c1', filters: [{ key: 'product_type', values: ['image'] }] },
			{ limit: 5, start_time: 0, end_time: 0 },
			{ limit: 5, end_time: 9 },
			{ limit: 5, start_time: 7 },
		]);
	});

	it('empty filter lists send no filters; only statuses send only the status filter', async () => {
		const ctx = await kling.serve(page({ result: [] }));
		await listNewStandardPage(ctx, { limit: 5, filters: { statuses: [], productTypes: [] } }, policy);
		await listNewStandardPage(ctx, { limit: 5, filters: { statuses: ['processing'] } }, policy);
		await listNewStandardPage(ctx, { limit: 5, filters: { productTypes: ['audio'] } }, policy);
		expect(bodies()).toEqual([
			{ limit: 5 },
			{ limit: 5, filters: [{ key: 'status', values: ['processing'] }] },
			{ limit: 5, filters: [{ key: 'product_type', values: ['audio'] }] },
		]);
	});

	it('next_cursor "" or not a string is null; has_more only counts with a cursor and only when it is true', async () => {
		const answers: unknown[] = [
			{ result: [ns('a')], next_cursor: '', has_more: true },
			{ result: [ns('b')], next_cursor: 42, has_more: true },
			{ result: [ns('c')], next_cursor: 'n', has_more: false },
			{ result: [ns('d')], next_cursor: 'n', has_more: 'true' },
			{ result: [ns('e')], next_cursor: 'n', has_more: true },
			{ result: { not: 'a list' }, next_cursor: 'n' },
			null,
		];
		const ctx = await kling.serve((_r, n) => ok(answers[n - 1]));
		const got = [];
		for (let i = 0; i < answers.length; i++) {
			const r = await listNewStandardPage(ctx, { limit: 5 }, policy);
			got.push([ids(r.items), r.nextCursor, r.hasMore]);
		}
		expect(got).toEqual([
			[['a'], null, false],
			[['b'], null, false],
			[['c'], 'n', false],
			[['d'], 'n', false],
			[['e'], 'n', true],
			[[], 'n', false],
			[[], null, false],
		]);
	});

	it('a failure throws with the item index', async () => {
		const ctx = await kling.serve(() => klingError(400, 1201, 'bad params'));
		const err = await rejection(listNewStandardPage(ctx, { limit: 5 }, policy, 6));
		expect(err.context.itemIndex).toBe(6);
	});
});

describe('listTasks on the new standard: page numbers emulated on the cursor', () => {
	/** A server with `total` tasks t1..tN; cursor "p<k>" starts at page k (page size from the body). */
	function cursorServer(total: number) {
		return (r: Received) => {
			const body = JSON.parse(r.body) as IDataObject;
			const limit = body.limit as number;
			const pageNo = body.cursor ? Number(String(body.cursor).slice(1)) : 1;
			const start = (pageNo - 1) * limit;
			const result = Array.from({ length: Math.max(0, Math.min(limit, total - start)) }, (_, i) => ns(`t${start + i + 1}`));
			const more = start + limit < total;
			return ok({ result, next_cursor: more ? `p${pageNo + 1}` : '', has_more: more });
		};
	}
	const cursors = () => bodies().map((b) => (b?.cursor as string | undefined) ?? null);

	it('pages 1, 2, 3 in order cost one call each, each with the cursor of the page before', async () => {
		const ctx = await kling.serve(cursorServer(7));
		expect(ids(await listTasks(ctx, 'newStandard', 1, 3, policy))).toEqual(['t1', 't2', 't3']);
		expect(ids(await listTasks(ctx, 'newStandard', 2, 3, policy))).toEqual(['t4', 't5', 't6']);
		expect(ids(await listTasks(ctx, 'newStandard', 3, 3, policy))).toEqual(['t7']);
		expect(cursors()).toEqual([null, 'p2', 'p3']);
		expect(bodies().map((b) => b?.limit)).toEqual([3, 3, 3]);
		expect(requests()).toEqual(Array(3).fill('POST /tasks'));
		// Past the end: no request at all.
		expect(await listTasks(ctx, 'newStandard', 4, 3, policy)).toEqual([]);
		expect(await listTasks(ctx, 'newStandard', 9, 3, policy)).toEqual([]);
		expect(kling.server.received).toHaveLength(3);
		// Page 1 is always read fresh (no cursor), and page 2 again uses the remembered cursor.
		expect(ids(await listTasks(ctx, 'newStandard', 1, 3, policy))).toEqual(['t1', 't2', 't3']);
		expect(ids(await listTasks(ctx, 'newStandard', 2, 3, policy))).toEqual(['t4', 't5', 't6']);
		expect(cursors().slice(3)).toEqual([null, 'p2']);
	});

	it('a page whose predecessor is unknown walks there from page 1, and returns only that page', async () => {
		const ctx = await kling.serve(cursorServer(10));
		expect(ids(await listTasks(ctx, 'newStandard', 3, 2, policy, 1))).toEqual(['t5', 't6']);
		expect(cursors()).toEqual([null, 'p2', 'p3']);
		// Page 5 walks on from the remembered page 3 cursor, not from page 1.
		expect(ids(await listTasks(ctx, 'newStandard', 5, 2, policy))).toEqual(['t9', 't10']);
		expect(cursors()).toEqual([null, 'p2', 'p3', 'p4', 'p5']);
		expect(await listTasks(ctx, 'newStandard', 6, 2, policy)).toEqual([]);
		expect(kling.server.received).toHaveLength(5);
	});

	it('cursors are remembered per context and per page size', async () => {
		const ctx = await kling.serve(cursorServer(10));
		await listTasks(ctx, 'newStandard', 1, 4, policy);
		expect(kling.server.received).toHaveLength(1);
		// Another page size: page 2 walks from page 1 at that size.
		expect(ids(await listTasks(ctx, 'newStandard', 2, 3, policy))).toEqual(['t4', 't5', 't6']);
		expect(bodies().slice(1)).toEqual([{ limit: 3 }, { limit: 3, cursor: 'p2' }]);
		// Another context: nothing remembered, page 2 walks from page 1.
		const other = context();
		expect(ids(await listTasks(other, 'newStandard', 2, 4, policy))).toEqual(['t5', 't6', 't7', 't8']);
		expect(bodies().slice(3)).toEqual([{ limit: 4 }, { limit: 4, cursor: 'p2' }]);
		// The first context still knows page 1's cursor at size 4: one call.
		expect(ids(await listTasks(ctx, 'newStandard', 2, 4, policy))).toEqual(['t5', 't6', 't7', 't8']);
		expect(bodies().slice(5)).toEqual([{ limit: 4, cursor: 'p2' }]);
	});

	it('a last page that still names a next cursor but says has_more false ends the list', async () => {
		const ctx = await kling.serve(() => ok({ result: [ns('only')], next_cursor: 'dangling', has_more: false }));
		expect(ids(await listTasks(ctx, 'newStandard', 1, 5, policy))).toEqual(['only']);
		expect(await listTasks(ctx, 'newStandard', 2, 5, policy)).toEqual([]);
		expect(kling.server.received).toHaveLength(1);
	});

	it('the page size is clamped into the body (page size 0 asks for 1)', async () => {
		const ctx = await kling.serve(cursorServer(3));
		expect(ids(await listTasks(ctx, 'newStandard', 2, 0, policy))).toEqual(['t2']);
		expect(bodies()).toEqual([{ limit: 1 }, { limit: 1, cursor: 'p2' }]);
	});

	it('a failure throws with the item index', async () => {
		const ctx = await kling.serve(() => klingError(400, 1201, 'bad params'));
		const err = await rejection(listTasks(ctx, 'newStandard', 1, 5, policy, 8));
		expect(err.context.itemIndex).toBe(8);
	});
});

describe('legacy calls: item indexes, lost creates, pack names and sync items', () => {
	it('getTask and listTasks on a legacy type throw with the item index', async () => {
		const ctx = await kling.serve(() => klingError(400, 1201, 'bad params'));
		expect((await rejection(getTask(ctx, 'textToVideo', 'x', policy, 5))).context.itemIndex).toBe(5);
		expect((await rejection(listTasks(ctx, 'textToVideo', 1, 10, policy, 7))).context.itemIndex).toBe(7);
		expect(requests()).toEqual(['GET /v1/videos/text2video/x', 'GET /v1/videos/text2video pageNum=1&pageSize=10']);
	});

	it('findTask on a legacy type: found, or undefined on 1203; other errors throw', async () => {
		const ctx = await kling.serve((_r, n) => (n === 1 ? ok(legacy('x')) : n === 2 ? klingError(404, 1203, 'nf') : klingError(400, 1201, 'bad')));
		expect((await findTask(ctx, 'textToVideo', 'x', policy))?.taskId).toBe('x');
		expect(await findTask(ctx, 'textToVideo', 'x', policy)).toBeUndefined();
		await rejection(findTask(ctx, 'textToVideo', 'x', policy));
	});

	it('a lost create not found by its external id is re-sent; the external id may sit in options (new standard)', async () => {
		const ctx = await kling.serve((r, n) =>
			n === 1 ? klingError(504, 5002, 'timeout') : r.method === 'GET' ? ok([]) : ok({ id: 'made', status: 'submitted' }),
		);
		const res = await createTask(ctx, 'newStandard', { prompt: 'p', options: { external_task_id: 'e-1' } }, policy, 0, '/v1/videos/kling-3.0/text-to-video');
		expect(res).toEqual({ item: expect.objectContaining({ taskId: 'made', externalTaskId: 'e-1' }), recovered: false, requestId: 'req-ok' });
		expect(requests()).toEqual([
			'POST /v1/videos/kling-3.0/text-to-video',
			'GET /tasks task_ids=e-1',
			'GET /tasks external_task_ids=e-1',
			'POST /v1/videos/kling-3.0/text-to-video',
		]);
	});

	it('a lost new-standard create found by the external id in options is recovered', async () => {
		const ctx = await kling.serve((r) => (r.method === 'POST' ? klingError(504, 5002, 'timeout') : query(r).external_task_ids ? ok([ns('found', { external_id: 'e-2' })]) : ok([])));
		const res = await createTask(ctx, 'newStandard', { options: { external_task_id: 'e-2' } }, policy, 0, '/v1/videos/kling-3.0/text-to-video');
		expect(res).toEqual({ item: expect.objectContaining({ taskId: 'found', externalTaskId: 'e-2' }), recovered: true, requestId: null });
		expect(kling.server.received).toHaveLength(3);
	});

	it('an empty external id is no external id: a lost create is not looked up nor re-sent', async () => {
		const ctx = await kling.serve(() => klingError(504, 5002, 'timeout'));
		const err = await rejection(createTask(ctx, 'textToVideo', { external_task_id: '' }, policy, 2));
		expect(err.message).toContain('the request may have reached Kling, so it was not re-sent');
		expect(err.context.itemIndex).toBe(2);
		expect(requests()).toEqual(['POST /v1/videos/text2video']);
	});

	it('createTask posts the body to the type path unless a path is given', async () => {
		const ctx = await kling.serve(() => ok(legacy('n')));
		const res = await createTask(ctx, 'imageToVideo', { image: 'u' }, policy);
		expect(res.item.externalTaskId).toBeNull();
		expect(kling.server.received[0]).toMatchObject({ method: 'POST', url: '/v1/videos/image2video', body: '{"image":"u"}' });
	});

	it('account costs: an empty pack name is not sent; a failure carries the item index', async () => {
		const ctx = await kling.serve((_r, n) => (n === 1 ? ok({ a: 1 }) : klingError(400, 1201, 'bad')));
		expect(await getAccountCosts(ctx, 1, 2, '', policy)).toEqual({ a: 1 });
		expect(query(kling.server.received[0])).toEqual({ start_time: '1', end_time: '2' });
		expect((await rejection(getAccountCosts(ctx, 1, 2, undefined, policy, 9))).context.itemIndex).toBe(9);
	});

	it('callSyncForItem: a finished item carrying the envelope request id, or the call name and a time when none', async () => {
		const ctx = await kling.serve((_r, n) =>
			n === 1
				? ok({ task_result: { audios: [{ id: 'a1', url: 'https://x/a.mp3', duration: '2' }] } })
				: n === 2
					? { status: 200, body: { code: 0, message: 'SUCCEED', data: null } }
					: klingError(400, 1201, 'bad'),
		);
		const item = await callSyncForItem(ctx, 'textToSpeech', { text: 'hi' }, policy);
		expect([item.taskId, item.status, item.audios.map((a) => a.url)]).toEqual(['req-ok', 'succeeded', ['https://x/a.mp3']]);
		expect(kling.server.received[0]).toMatchObject({ method: 'POST', body: '{"text":"hi"}' });
		const before = Date.now();
		const bare = await callSyncForItem(ctx, 'textToSpeech', { text: 'hi' }, policy);
		const [name, ms] = [bare.taskId.slice(0, 'textToSpeech-'.length), Number(bare.taskId.slice('textToSpeech-'.length))];
		expect(name).toBe('textToSpeech-');
		expect(ms).toBeGreaterThanOrEqual(before);
		expect(ms).toBeLessThanOrEqual(Date.now());
		expect(bare.raw).toEqual({});
		expect((await rejection(callSyncForItem(ctx, 'textToSpeech', {}, policy, 1))).context.itemIndex).toBe(1);
	});
});

describe('what the transport hands n8n, and odd answers', () => {
	/** Records the options each request hands n8n's httpRequestWithAuthentication (the request still goes out). */
	function recordHelper(ctx: ReturnType<typeof context>) {
		const sent: Array<{ method?: string; url: string }> = [];
		const real = ctx.helpers.httpRequestWithAuthentication;
		ctx.helpers.httpRequestWithAuthentication = async function (this: ThisParameterType<typeof real>, type, options) {
			sent.push({ method: options.method, url: options.url });
			return await real.call(this, type, options);
		};
		return sent;
	}

	it('every read names GET explicitly (n8n and its proxies see the method, not a default)', async () => {
		const ctx = await kling.serve((r) => (r.url.startsWith('/tasks') ? ok([ns('x')]) : r.url.startsWith('/account') ? ok({}) : r.url.includes('?') ? ok([]) : ok(legacy('x'))));
		const sent = recordHelper(ctx);
		await getNewStandardTasks(ctx, ['x'], 'task_ids', policy);
		await getTask(ctx, 'textToVideo', 'x', policy);
		await findTask(ctx, 'textToVideo', 'x', policy);
		await listTasks(ctx, 'textToVideo', 1, 10, policy);
		await getAccountCosts(ctx, 1, 2, undefined, policy);
		expect(sent).toEqual([
			{ method: 'GET', url: '/tasks' },
			{ method: 'GET', url: '/v1/videos/text2video/x' },
			{ method: 'GET', url: '/v1/videos/text2video/x' },
			{ method: 'GET', url: '/v1/videos/text2video' },
			{ method: 'GET', url: '/account/costs' },
		]);
	});

	it('a task in the legacy shape read at /tasks is still a new-standard item (lookup and list)', async () => {
		const ctx = await kling.serve((r) => (r.method === 'GET' ? ok([legacy('l1')]) : ok({ result: [legacy('l2')], next_cursor: '', has_more: false })));
		const [found] = await getNewStandardTasks(ctx, ['l1'], 'task_ids', policy);
		expect([found.taskId, found.taskType]).toEqual(['l1', 'newStandard']);
		const page = await listNewStandardPage(ctx, { limit: 5 }, policy);
		expect(page.items.map((i) => [i.taskId, i.taskType])).toEqual([['l2', 'newStandard']]);
	});

	it('an external id that is not a string is not used: no lookup before a re-send, not copied into the item', async () => {
		const ctx = await kling.serve((_r, n) => (n === 1 ? ok(legacy('n')) : klingError(504, 5002, 'timeout')));
		const made = await createTask(ctx, 'textToVideo', { external_task_id: 12345 }, policy);
		expect(made.item.externalTaskId).toBeNull();
		const err = await rejection(createTask(ctx, 'textToVideo', { options: { external_task_id: 12345 } }, policy));
		expect(err.message).toContain('so it was not re-sent');
		expect(requests()).toEqual(['POST /v1/videos/text2video', 'POST /v1/videos/text2video']);
	});
});
