import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revokeApiToken } from '../../src/workflow/api-tokens.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import { buildUser } from '../workflow/support.js';

let rt: TestRuntime;
let editor: Awaited<ReturnType<typeof buildUser>>;
let translator: Awaited<ReturnType<typeof buildUser>>;
beforeAll(async () => {
  rt = await startTestRuntime({ NEWSROOM_LANGUAGES: 'ru,en,hy' });
  editor = await buildUser(['editor']);
  translator = await buildUser(['translator'], ['ru:en']);
});
afterAll(async () => {
  await rt?.close();
});
const api = () => request(rt.app);

describe('JSON API: authentication and errors', () => {
  it('answers 401 with a stable code without credentials or with a bad token', async () => {
    const none = await api().get('/api/v1/tasks');
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ error: { code: 'unauthenticated', message: expect.any(String) } });
    const bad = await api().get('/api/v1/tasks').set('Authorization', 'Bearer nrt_nope');
    expect(bad.status).toBe(401);
    expect(bad.body.error.code).toBe('invalid_token');
    const malformed = await api().get('/api/v1/tasks').set('Authorization', 'Basic abc');
    expect(malformed.body.error.code).toBe('invalid_token');
  });

  it('stops accepting a revoked token', async () => {
    const u = await buildUser(['translator'], ['ru:en']);
    expect((await api().get('/api/v1/tasks').set(u.auth)).status).toBe(200);
    expect(await revokeApiToken(u.token)).toBe(1);
    const after = await api().get('/api/v1/tasks').set(u.auth);
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('invalid_token');
  });

  it('authorises by role and language pair', async () => {
    const claimOther = await api().post('/api/v1/tasks/claim').set(translator.auth).send({ pair: 'ru:hy' });
    expect(claimOther.status).toBe(403);
    expect(claimOther.body.error.code).toBe('forbidden_pair');
    const editorClaims = await api().post('/api/v1/tasks/claim').set(editor.auth).send({ pair: 'ru:en' });
    expect(editorClaims.status).toBe(403);
    expect(editorClaims.body.error.code).toBe('forbidden_role');
    const translatorCreates = await api()
      .post('/api/v1/stories')
      .set(translator.auth)
      .send({ title: 't', body: 'b' });
    expect(translatorCreates.status).toBe(403);
  });

  it('validates input with 400 and a code naming the problem', async () => {
    const badPair = await api().post('/api/v1/tasks/claim').set(translator.auth).send({ pair: 'russian' });
    expect(badPair.status).toBe(400);
    expect(badPair.body.error).toMatchObject({
      code: 'invalid_request',
      message: expect.stringContaining('pair'),
    });
    const json = await api()
      .post('/api/v1/tasks/claim')
      .set(translator.auth)
      .set('Content-Type', 'application/json')
      .send('{"pair": ');
    expect(json.status).toBe(400);
    expect(json.body.error.code).toBe('malformed_json');
    const lang = await api()
      .post('/api/v1/stories')
      .set(editor.auth)
      .send({ lang: 'xx', title: 't', body: '<p>b</p>' });
    expect(lang.status).toBe(400);
    expect(lang.body.error.code).toBe('unknown_language');
    const missing = await api().get('/api/v1/tasks/nope').set(translator.auth);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('task_not_found');
    const story = await api().get('/api/v1/stories/nope').set(editor.auth);
    expect(story.status).toBe(404);
    expect(story.body.error.code).toBe('story_not_found');
  });

  it('answers 204 when no task is open', async () => {
    const r = await api().post('/api/v1/tasks/claim').set(translator.auth).send({ pair: 'ru:en' });
    expect(r.status).toBe(204);
  });
});

describe('JSON API: stories', () => {
  it('creates, lists, edits with a base revision (409 when stale) and requests translations', async () => {
    const created = await api()
      .post('/api/v1/stories')
      .set(editor.auth)
      .send({ title: 'Черновик', body: '<p>Текст.</p>', targets: ['en'] });
    expect(created.status).toBe(201);
    const id = created.body.story.id;
    expect(created.body.story.languages.ru.release).toMatchObject({ status: 'draft', revision: 1 });
    expect(created.body.story.languages.en).toEqual({ release: null, task: null });

    const list = await api().get('/api/v1/stories?lang=ru&status=draft').set(editor.auth);
    expect(list.body.stories.map((s: { storyId: string }) => s.storyId)).toContain(id);

    const edited = await api()
      .patch(`/api/v1/stories/${id}/ru`)
      .set(editor.auth)
      .send({ baseRevision: 1, title: 'Новость', status: 'published' });
    expect(edited.status).toBe(200);
    expect(edited.body.story.languages.ru.release).toMatchObject({
      status: 'published',
      revision: 2,
      title: 'Новость',
    });
    const stale = await api()
      .patch(`/api/v1/stories/${id}/ru`)
      .set(editor.auth)
      .send({ baseRevision: 1, title: 'x' });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('revision_conflict');

    const requested = await api()
      .post(`/api/v1/stories/${id}/translations`)
      .set(editor.auth)
      .send({ langs: ['en'], priority: 8, dueAt: '2030-01-01T00:00:00Z' });
    expect(requested.status).toBe(202);
    expect(['created', 'exists', 'updated']).toContain(requested.body.languages.en);
    expect(requested.body.story.languages.en.task).toMatchObject({ state: 'open', pair: 'ru:en' });
    const bad = await api()
      .post(`/api/v1/stories/${id}/translations`)
      .set(editor.auth)
      .send({ langs: ['ru'] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('not_a_target');

    const stats = await api().get('/api/v1/stats').set(editor.auth);
    expect(stats.status).toBe(200);
    const en = stats.body.pairs.find((p: { pair: string }) => p.pair === 'ru:en');
    expect(en.backlog.open).toBeGreaterThanOrEqual(1);
    expect(en.oldestTaskAgeSeconds).toBeGreaterThanOrEqual(0);

    const taskId = requested.body.story.languages.en.task.id;
    expect((await api().post(`/api/v1/tasks/${taskId}/cancel`).set(translator.auth)).status).toBe(403);
    const cancelled = await api()
      .post(`/api/v1/tasks/${taskId}/cancel`)
      .set(editor.auth)
      .send({ note: 'not needed' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.task.state).toBe('cancelled');
    const after = await api().get(`/api/v1/stories/${id}`).set(editor.auth);
    expect(after.body.story.languages.en.task).toBeNull();
    const twice = await api().post(`/api/v1/tasks/${taskId}/cancel`).set(editor.auth);
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('task_closed');
  });
});

describe('Bull Board', () => {
  it('is for admins only', async () => {
    const admin = await buildUser(['admin']);
    expect((await api().get('/desk/queues').set(admin.auth)).status).toBe(200);
    expect((await api().get('/desk/queues').set(translator.auth)).status).toBe(403);
  });
});
