/**
 * shared/api.ts against a scripted Kling (real n8n-core request path): task ids, lookups by any type, lists,
 * creates that keep the sent external id, account costs and synchronous calls (mutation testing, issue 16).
 */
import { fastPolicy as policy, scriptedKling } from '../helpers/scriptedKling';
import { klingError, ok } from '../helpers/scriptedServer';
import {
	GENERATED_ID_PREFIX,
	WAITED_ID_PREFIX,
	callSync,
	createTask,
	findTaskAnyType,
	generateExternalTaskId,
	getAccountCosts,
	getTask,
	listTasks,
} from '../../nodes/KlingAi/shared/api';

const kling = scriptedKling();

const task = (id: string, extra = {}) => ({ task_id: id, task_status: 'submitted', created_at: 1, updated_at: 1, ...extra });
const requests = () => kling.server.received.map((r) => `${r.method} ${r.url}`);

test('generated external task ids: prefix + 24 hex digits of the parts, stable, different per part', () => {
	const id = generateExternalTaskId(['wf', 'exec', 'node', 0]);
	expect(id).toMatch(/^n8n-[0-9a-f]{24}$/);
	expect(GENERATED_ID_PREFIX).toBe('n8n-');
	expect(generateExternalTaskId(['wf', 'exec', 'node', 0])).toBe(id);
	expect(generateExternalTaskId(['wf', 'exec', 'node', 1])).not.toBe(id);
	// Parts are joined with a separator: ['ab', 'c'] and ['a', 'bc'] differ; a missing part is empty.
	expect(generateExternalTaskId(['ab', 'c'])).not.toBe(generateExternalTaskId(['a', 'bc']));
	expect(generateExternalTaskId(['a', undefined])).toBe(generateExternalTaskId(['a', '']));
	expect(generateExternalTaskId(['a'], WAITED_ID_PREFIX)).toMatch(/^n8n-wait-[0-9a-f]{24}$/);
});

test('getTask asks the type endpoint with the id escaped and returns the typed item', async () => {
	const ctx = await kling.serve(() => ok(task('t/1')));
	const item = await getTask(ctx, 'imageToVideo', 't/1', policy);
	expect(item).toMatchObject({ taskId: 't/1', taskType: 'imageToVideo' });
	expect(requests()).toEqual(['GET /v1/videos/image2video/t%2F1']);
});

test('findTaskAnyType asks each type in order until one knows the task', async () => {
	const ctx = await kling.serve((r) => (r.url.startsWith('/v1/videos/image2video/') ? ok(task('x')) : klingError(404, 1203, 'not found')));
	const found = await findTaskAnyType(ctx, 'x', ['textToVideo', 'imageToVideo', 'lipSync'], policy);
	expect(found).toMatchObject({ taskId: 'x', taskType: 'imageToVideo' });
	expect(requests()).toEqual(['GET /v1/videos/text2video/x', 'GET /v1/videos/image2video/x']);
});

test('findTaskAnyType: unknown everywhere is undefined', async () => {
	const ctx = await kling.serve(() => klingError(404, 1203, 'not found'));
	expect(await findTaskAnyType(ctx, 'x', ['textToVideo', 'lipSync'], policy)).toBeUndefined();
	expect(kling.server.received).toHaveLength(2);
});

test('listTasks sends the page and returns typed items; a non-list answer is an empty page', async () => {
	const ctx = await kling.serve((_r, n) => (n === 1 ? ok([task('a'), task('b')]) : ok({ not: 'a list' })));
	const items = await listTasks(ctx, 'textToVideo', 3, 50, policy);
	expect(items.map((i) => [i.taskId, i.taskType])).toEqual([
		['a', 'textToVideo'],
		['b', 'textToVideo'],
	]);
	expect(requests()[0]).toBe('GET /v1/videos/text2video?pageNum=3&pageSize=50');
	expect(await listTasks(ctx, 'textToVideo', 1, 50, policy)).toEqual([]);
});

test('createTask keeps the external id it sent when the answer has none; without one it sends no lookup', async () => {
	const ctx = await kling.serve(() => ok(task('new')));
	const res = await createTask(ctx, 'textToVideo', { prompt: 'x', external_task_id: 'ext-9' }, policy);
	expect(res).toMatchObject({ recovered: false, requestId: 'req-ok', item: { taskId: 'new', externalTaskId: 'ext-9' } });
	const plain = await createTask(ctx, 'textToVideo', { prompt: 'x' }, policy);
	expect(plain.item.externalTaskId).toBeNull();
});

test('createTask: the external id in the answer wins over the one sent', async () => {
	const ctx = await kling.serve(() => ok(task('new', { task_info: { external_task_id: 'from-kling' } })));
	expect((await createTask(ctx, 'textToVideo', { external_task_id: 'sent' }, policy)).item.externalTaskId).toBe('from-kling');
});

test('a lost create found by its external id is the found task, marked recovered, with no request id', async () => {
	const ctx = await kling.serve((r) => (r.method === 'POST' ? klingError(504, 5002, 'timeout') : ok(task('found', { task_info: { external_task_id: 'ext-1' } }))));
	const res = await createTask(ctx, 'textToVideo', { external_task_id: 'ext-1' }, policy);
	expect(res).toEqual({ item: expect.objectContaining({ taskId: 'found', externalTaskId: 'ext-1' }), recovered: true, requestId: null });
});

test('account costs: the time window and, when given, the resource pack name; an empty answer is {}', async () => {
	const ctx = await kling.serve((_r, n) => (n === 1 ? ok({ packs: [1] }) : ok(null)));
	expect(await getAccountCosts(ctx, 1000, 2000, 'pack A', policy)).toEqual({ packs: [1] });
	expect(requests()[0]).toBe('GET /account/costs?start_time=1000&end_time=2000&resource_pack_name=pack%20A');
	expect(await getAccountCosts(ctx, 1000, 2000, undefined, policy)).toEqual({});
	expect(requests()[1]).toBe('GET /account/costs?start_time=1000&end_time=2000');
});

test('synchronous calls POST the body to their path; an empty answer is {}', async () => {
	const ctx = await kling.serve((_r, n) => (n === 1 ? ok({ session_id: 's' }) : ok(undefined)));
	expect(await callSync(ctx, 'identifyFace', { video_id: 'v' }, policy)).toEqual({ session_id: 's' });
	expect(kling.server.received[0]).toMatchObject({ method: 'POST', url: '/v1/videos/identify-face', body: '{"video_id":"v"}' });
	expect(await callSync(ctx, 'identifyFace', { video_id: 'v' }, policy)).toEqual({});
});
