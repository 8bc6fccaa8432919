/** shared/endpoints.ts helpers: task-type checks, query paths and the Task Types option lists (mutation testing, issue 16). */
import { ENDPOINTS, TASK_TYPES, endpointsOf, isTaskType, queryPath, taskTypeOptions } from '../../nodes/KlingAi/shared/endpoints';

test('isTaskType: only the listed task types, only strings', () => {
	expect(TASK_TYPES.every((t) => isTaskType(t))).toBe(true);
	expect(isTaskType('TextToVideo')).toBe(false);
	expect(isTaskType('')).toBe(false);
	expect(isTaskType(undefined)).toBe(false);
	expect(isTaskType(['textToVideo'])).toBe(false);
});

test('rows: video rows give videos (mp4), image rows images (png)', () => {
	expect(ENDPOINTS.textToVideo).toMatchObject({ resource: 'video', resultKind: 'videos', fileExtension: 'mp4', mimeType: 'video/mp4', path: '/v1/videos/text2video' });
	expect(ENDPOINTS.imageGeneration).toMatchObject({ resource: 'image', resultKind: 'images', fileExtension: 'png', mimeType: 'image/png' });
	// Legacy lip sync takes no external_task_id; the rows say so, every other row takes one.
	expect(ENDPOINTS.lipSync.externalTaskId).toBe(false);
	expect(ENDPOINTS.textToVideo.externalTaskId).toBe(true);
});

test('queryPath escapes the id (an external id may contain any character)', () => {
	expect(queryPath('textToVideo', 'a b/c?d')).toBe('/v1/videos/text2video/a%20b%2Fc%3Fd');
});

test('endpointsOf and taskTypeOptions split by resource and label options with it', () => {
	const video = endpointsOf('video');
	const image = endpointsOf('image');
	const byResource = (['video', 'image', 'audio', 'library'] as const).map((r) => endpointsOf(r).length);
	expect(byResource.reduce((a, b) => a + b, 0)).toBe(TASK_TYPES.length);
	expect(video.every((e) => e.resource === 'video')).toBe(true);
	expect(image.every((e) => e.resource === 'image')).toBe(true);
	const all = taskTypeOptions();
	expect(all.map((o) => o.value)).toEqual([...TASK_TYPES]);
	expect(all.find((o) => o.value === 'textToVideo')?.name).toBe(`Video: ${ENDPOINTS.textToVideo.label}`);
	expect(all.find((o) => o.value === 'imageGeneration')?.name).toBe(`Image: ${ENDPOINTS.imageGeneration.label}`);
	expect(taskTypeOptions('image').map((o) => o.value)).toEqual(image.map((e) => e.type));
});
