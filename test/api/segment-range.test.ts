import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeRelease } from '../../src/commands/write-release.js';
import { newStoryId } from '../../src/models/ids.js';
import { prepareTranslationTask } from '../../src/workflow/prepare-task.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import { buildUser } from '../workflow/support.js';

/** `GET /api/v1/tasks/{id}/segments`: a long task a range at a time, bounded, bad ranges a 400. */
let rt: TestRuntime;
beforeAll(async () => {
  rt = await startTestRuntime();
});
afterAll(async () => {
  await rt?.close();
});

/** An open ru→en task of 251 segments (a title and 250 paragraphs). */
async function longTask(): Promise<string> {
  const storyId = newStoryId();
  const body = Array.from({ length: 250 }, (_, k) => `<p>Абзац номер ${k + 1}.</p>`).join('');
  await writeRelease({
    storyId,
    lang: 'ru',
    title: 'Длинная история',
    body,
    status: 'published',
    section: 'news',
    tags: [],
  });
  const outcome = await prepareTranslationTask(rt.ctx, { storyId, from: 'ru', to: 'en' });
  if (!('task' in outcome)) throw new Error(`no task: ${outcome.status}`);
  return outcome.task._id;
}

describe('a range of a task’s segments', () => {
  it('pages through the whole task by `range.next`, 100 by default, at most 500', async () => {
    const taskId = await longTask();
    const translator = await buildUser(['translator'], ['ru:en']);
    const url = `/api/v1/tasks/${taskId}/segments`;

    const first = await request(rt.app).get(url).set(translator.auth).expect(200);
    expect(first.body.task).toMatchObject({ id: taskId, pair: 'ru:en', state: 'open' });
    expect(first.body.range).toEqual({ from: 0, count: 100, total: 251, next: 100 });
    expect(first.body.progress).toEqual({ confirmed: 0, total: 251 });
    expect(first.body.segments.map((s: { i: number }) => s.i)).toEqual([...Array(100).keys()]);

    // Walking `next` gives the whole task's segments, as GET /tasks/{id} shows them.
    const walked: unknown[] = [];
    for (let from: number | null = 0; from !== null;) {
      const res: request.Response = await request(rt.app)
        .get(url)
        .query({ from, count: 90 })
        .set(translator.auth)
        .expect(200);
      walked.push(...(res.body.segments as unknown[]));
      from = (res.body.range as { next: number | null }).next;
    }
    const whole = await request(rt.app).get(`/api/v1/tasks/${taskId}`).set(translator.auth).expect(200);
    expect(walked).toEqual(whole.body.task.segments);

    const last = await request(rt.app)
      .get(url)
      .query({ from: 200, count: 500 })
      .set(translator.auth)
      .expect(200);
    expect(last.body.range).toEqual({ from: 200, count: 51, total: 251, next: null });
  });

  it('answers 400 invalid_range for a bad range, 403 for another pair, 404 for no task', async () => {
    const taskId = await longTask();
    const translator = await buildUser(['translator'], ['ru:en']);
    const outsider = await buildUser(['translator'], ['ru:hy']);
    const url = `/api/v1/tasks/${taskId}/segments`;
    for (const query of [
      { count: 501 },
      { count: 0 },
      { from: -1 },
      { from: 'abc' },
      { count: '1.5' },
      { from: 251 },
    ]) {
      const res = await request(rt.app).get(url).query(query).set(translator.auth);
      expect(res.status, JSON.stringify(query)).toBe(400);
      expect(res.body.error.code, JSON.stringify(query)).toBe('invalid_range');
    }
    const past = await request(rt.app).get(url).query({ from: 251 }).set(translator.auth);
    expect(past.body.error.details).toEqual({ total: 251 });

    const otherPair = await request(rt.app).get(url).set(outsider.auth).expect(403);
    expect(otherPair.body.error.code).toBe('forbidden_pair');
    expect(JSON.stringify(otherPair.body)).not.toContain('Абзац');
    const missing = await request(rt.app)
      .get('/api/v1/tasks/nope.en.ru1/segments')
      .set(translator.auth)
      .expect(404);
    expect(missing.body.error.code).toBe('task_not_found');
    await request(rt.app).get(url).expect(401);
  });
});
