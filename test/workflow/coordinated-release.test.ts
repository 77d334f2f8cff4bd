import type { Worker } from 'bullmq';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { editRelease } from '../../src/commands/edit-release.js';
import { JOBS, startWorkers } from '../../src/jobs/registry.js';
import { Release } from '../../src/models/release.js';
import { TaskPointer, approvedPointerId } from '../../src/models/task-pointer.js';
import type { Actor } from '../../src/policies/actor.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import { awaitOpenTask, buildUser, eventually, translateAndApprove } from './support.js';

const LANGS = ['ru', 'en', 'hy'];
let rt: TestRuntime;
let workers: Worker[];
beforeAll(async () => {
  rt = await startTestRuntime({ NEWSROOM_LANGUAGES: LANGS.join(',') });
  workers = startWorkers(rt.ctx, JOBS, 2);
});
afterAll(async () => {
  await Promise.all((workers ?? []).map((w) => w.close()));
  await rt?.close();
});

async function translate(storyId: string, lang: string, t: Actor, r: Actor) {
  await awaitOpenTask(storyId, lang);
  await translateAndApprove(rt.ctx, t, r, `ru:${lang}`);
  await eventually(() => TaskPointer.findById(approvedPointerId(storyId, lang)).lean());
}

const statuses = async (storyId: string) =>
  Object.fromEntries(
    await Promise.all(
      LANGS.map(async (l) => [l, (await Release.findById(`${storyId}.${l}`).lean())?.status]),
    ),
  );

describe('coordinated release', () => {
  it('holds every version until the chosen languages are approved, then publishes them at once', async () => {
    const editor = await buildUser(['editor'], [], LANGS);
    const t = await buildUser(['translator'], ['ru:en', 'ru:hy'], LANGS);
    const r = await buildUser(['reviewer'], ['ru:en', 'ru:hy'], LANGS);
    const created = await request(rt.app)
      .post('/api/v1/stories')
      .set(editor.auth)
      .send({
        title: 'Совместное заявление',
        body: '<p>Текст заявления.</p>',
        publish: true,
        hold: { langs: ['en', 'hy'] },
      });
    expect(created.status).toBe(201);
    const storyId = created.body.story.id;
    expect(created.body.story.hold).toEqual({ langs: ['en', 'hy'], embargoUntil: null });
    expect(await statuses(storyId)).toEqual({ ru: 'scheduled', en: undefined, hy: undefined });

    await translate(storyId, 'en', t.actor, r.actor);
    expect(await statuses(storyId)).toEqual({ ru: 'scheduled', en: 'scheduled', hy: undefined });
    expect((await request(rt.app).get('/en/')).text).not.toContain('EN Совместное заявление');

    await translate(storyId, 'hy', t.actor, r.actor);
    await eventually(async () => Object.values(await statuses(storyId)).every((s) => s === 'published'));
    const versions = await Promise.all(LANGS.map((l) => Release.findById(`${storyId}.${l}`).lean()));
    expect(new Set(versions.map((v) => v!.publishedAt!.getTime())).size).toBe(1);

    // Afterwards each language lives on its own: correcting English touches nothing else.
    const before = await Promise.all(['ru', 'hy'].map((l) => Release.findById(`${storyId}.${l}`).lean()));
    await editRelease(rt.ctx, editor.actor, storyId, 'en', {
      baseRevision: versions[1]!.revision,
      title: 'Joint statement',
    });
    const after = await Promise.all(['ru', 'hy'].map((l) => Release.findById(`${storyId}.${l}`).lean()));
    expect(after.map((v) => [v!.status, v!.revision])).toEqual(before.map((v) => [v!.status, v!.revision]));
  });

  it('lifting a hold releases what is ready', async () => {
    const editor = await buildUser(['editor'], [], LANGS);
    const created = await request(rt.app)
      .post('/api/v1/stories')
      .set(editor.auth)
      .send({
        title: 'Под эмбарго',
        body: '<p>Текст.</p>',
        publish: true,
        hold: { embargoUntil: '2099-01-01T00:00:00Z' },
      });
    const storyId = created.body.story.id;
    expect(await statuses(storyId)).toMatchObject({ ru: 'scheduled' });
    const lifted = await request(rt.app)
      .put(`/api/v1/stories/${storyId}/hold`)
      .set(editor.auth)
      .send({ langs: [] });
    expect(lifted.status).toBe(200);
    expect(lifted.body.story.languages.ru.release.status).toBe('published');
  });
});
