import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/commands/create-user.js';
import { claimTask } from '../../src/commands/claim-task.js';
import type { TaskDoc } from '../../src/models/translation-task.js';
import { jobQueues } from '../../src/workflow/queues.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import { csrfFrom, deskUser, openTranslationTask, signIn, tokenOf } from '../desk/desk-helpers.js';
import { buildUser } from '../workflow/support.js';

let rt: TestRuntime;
let hyTask: TaskDoc;
let hyTranslator: Awaited<ReturnType<typeof buildUser>>;
let enTranslator: Awaited<ReturnType<typeof buildUser>>;
let enReviewer: Awaited<ReturnType<typeof buildUser>>;
beforeAll(async () => {
  rt = await startTestRuntime();
  hyTranslator = await buildUser(['translator'], ['ru:hy']);
  enTranslator = await buildUser(['translator'], ['ru:en']);
  enReviewer = await buildUser(['reviewer'], ['ru:en']);
  await openTranslationTask(rt.ctx, 'hy');
  hyTask = (await claimTask(rt.ctx, hyTranslator.actor, 'ru:hy'))!;
});
afterAll(async () => {
  await rt?.close();
});

const api = () => request(rt.app);

describe('authorise before anything (issue 8 item 6)', () => {
  it('answers every task route of the API with 403 for a user of another pair, revealing nothing', async () => {
    const id = hyTask._id;
    const attempts = [
      api().get(`/api/v1/tasks/${id}`).set(enTranslator.auth),
      // A stale revision used to answer 409 with the whole task before the pair check.
      api()
        .put(`/api/v1/tasks/${id}/segments`)
        .set(enTranslator.auth)
        .send({ baseRevision: hyTask.revision + 5, segments: [{ i: 0, target: 'x' }] }),
      api()
        .put(`/api/v1/tasks/${id}/segments`)
        .set(enTranslator.auth)
        .send({ baseRevision: hyTask.revision, segments: [{ i: 0, target: 'x' }] }),
      api().post(`/api/v1/tasks/${id}/submit`).set(enTranslator.auth),
      api().post(`/api/v1/tasks/${id}/review`).set(enReviewer.auth).send({ decision: 'approve' }),
      api().post('/api/v1/tasks/claim').set(enTranslator.auth).send({ pair: 'ru:hy' }),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status, res.text).toBe(403);
      expect(res.body.error.code).toBe('forbidden_pair');
      expect(res.text).not.toContain(hyTask.segments[0].source);
      expect(res.body.error.details).toBeUndefined();
    }
    const list = await api().get('/api/v1/tasks').set(enTranslator.auth).expect(200);
    expect(list.body.tasks.map((t: { id: string }) => t.id)).not.toContain(id);
  });

  it('answers the desk task pages with 403 for a user of another pair', async () => {
    const { email, password } = await deskUser({ roles: ['translator', 'reviewer'], pairs: ['ru:en'] });
    const agent = await signIn(rt.app, email, password);
    const _csrf = await tokenOf(agent);
    const id = encodeURIComponent(hyTask._id);
    for (const res of [
      await agent.get(`/desk/tasks/${id}`),
      await agent.post(`/desk/tasks/${id}/segments`).type('form').send({ _csrf, baseRevision: 99 }),
      await agent.post(`/desk/tasks/${id}/submit`).type('form').send({ _csrf, baseRevision: 99 }),
      await agent.get(`/desk/reviews/${id}`),
      await agent.post(`/desk/reviews/${id}`).type('form').send({ _csrf, decision: 'approve' }),
      await agent.post('/desk/tasks/claim').type('form').send({ _csrf, pair: 'ru:hy' }),
    ]) {
      expect(res.status).toBe(403);
      expect(res.text).not.toContain(hyTask.segments[0].source);
    }
  });
});

describe('CSRF on every cookie-authenticated state change (issue 8 item 7)', () => {
  it('checks the desk token even when an Authorization header is present', async () => {
    const { email, password } = await deskUser({ roles: ['editor'] });
    const agent = await signIn(rt.app, email, password);
    const res = await agent
      .post('/desk/stories')
      .set('Authorization', 'Bearer nrt_forged')
      .type('form')
      .send({ title: 'Forged', body: '<p>forged</p>' });
    expect(res.status).toBe(403);
    expect(res.headers['x-error-code']).toBe('csrf_invalid');
    // The desk explains it in the desk's language (Russian by default).
    expect(res.text).toContain('Форма устарела');
  });

  it('guards the queue board: admins only, and its state changes need the token', async () => {
    const { email, password } = await deskUser({ roles: ['admin'] });
    const agent = await signIn(rt.app, email, password);
    await jobQueues(rt.ctx).queue('publish').waitUntilReady();
    const page = await agent.get('/desk/queues').expect(200);
    const xsrf = ([] as string[])
      .concat(page.headers['set-cookie'] ?? [])
      .find((c) => c.startsWith('XSRF-TOKEN='));
    expect(xsrf).toMatch(/Path=\/desk\/queues/);
    expect(xsrf).not.toMatch(/HttpOnly/i);
    const token = decodeURIComponent(xsrf!.split(';')[0].slice('XSRF-TOKEN='.length));
    const paths = [
      ['put', '/desk/queues/api/queues/publish/pause'],
      ['put', '/desk/queues/api/queues/publish/resume'],
      ['put', '/desk/queues/api/queues/publish/retry/failed'],
      ['put', '/desk/queues/api/queues/publish/clean/completed'],
      ['post', '/desk/queues/api/queues/publish/add'],
    ] as const;
    for (const [method, path] of paths) {
      const forged = await agent[method](path).send({ name: 'x', data: {} });
      expect(forged.status, path).toBe(403);
      expect(forged.body.error.code).toBe('csrf_invalid');
    }
    // With an Authorization header that is not a valid token: still no way around it.
    const withHeader = await agent.put(paths[0][1]).set('Authorization', 'Bearer nrt_forged');
    expect(withHeader.status).toBe(401);
    expect(await jobQueues(rt.ctx).queue('publish').isPaused()).toBe(false);
    // The board's own client sends the cookie's token back in X-XSRF-TOKEN.
    const paused = await agent.put(paths[0][1]).set('X-XSRF-TOKEN', token);
    expect(paused.status).toBeLessThan(300);
    expect(await jobQueues(rt.ctx).queue('publish').isPaused()).toBe(true);
    await agent.put(paths[1][1]).set('X-XSRF-TOKEN', token).expect(200);
  });

  it('keeps the strict CSP everywhere but the board, and no inline scripts on the board', async () => {
    const { email, password } = await deskUser({ roles: ['admin'] });
    const agent = await signIn(rt.app, email, password);
    for (const path of ['/desk/', '/desk/login', '/ru/', '/desk/queuesX']) {
      const csp = (await agent.get(path)).headers['content-security-policy'] as string;
      expect(csp, path).toContain("script-src 'self'");
      expect(csp, path).not.toContain('unsafe-inline');
    }
    const board = (await agent.get('/desk/queues')).headers['content-security-policy'] as string;
    expect(board).toMatch(/script-src 'self';/);
  });
});

describe('anonymous sign-in page (issue 8 item 15)', () => {
  it('stores no session for anonymous visits, and the form still signs in', async () => {
    const pattern = `${rt.ctx.keys.sessionPrefix}*`;
    const count = async () => (await rt.ctx.redis.keys(pattern)).length;
    const before = await count();
    for (let i = 0; i < 30; i++) await api().get('/desk/login').expect(200);
    expect(await count()).toBe(before);
    const { email, password } = await deskUser({ roles: ['editor'] });
    const agent = await signIn(rt.app, email, password); // GET for the token, POST with it
    await agent.get('/desk/').expect(200);
    expect(await count()).toBe(before + 1);
    // A token from one anonymous browser does not serve another (double-submit cookie).
    const a = await api().get('/desk/login');
    const res = await api()
      .post('/desk/login')
      .type('form')
      .send({ email, password, _csrf: csrfFrom(a.text) });
    expect(res.status).toBe(403);
  });
});

describe('new passwords (issue 8, also)', () => {
  it('refuses common and guessable passwords besides short ones', async () => {
    for (const password of ['password1234', 'qwertyuiop123', 'editor@example.org1', 'aaaaaaaaaaaa']) {
      await expect(
        createUser({ email: 'editor@example.org', name: 'Ed', password, roles: ['editor'] }, ['ru', 'en']),
        password,
      ).rejects.toMatchObject({ status: 400, code: 'weak_password' });
    }
    await expect(
      createUser({ email: 'short@example.org', name: 'S', password: 'abc', roles: ['editor'] }, ['ru']),
    ).rejects.toMatchObject({ code: 'invalid_user' });
    const ok = await createUser(
      {
        email: 'fine@example.org',
        name: 'F',
        password: 'violet tractor under seven moons',
        roles: ['editor'],
      },
      ['ru'],
    );
    expect(ok._id).toBe('fine@example.org');
  });
});
