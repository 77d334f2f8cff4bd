import type { Worker } from 'bullmq';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOBS, startWorkers } from '../../src/jobs/registry.js';
import { Release } from '../../src/models/release.js';
import { putGlossaryTerm } from '../../src/workflow/glossary.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import { approveByApi, awaitInReview, awaitPublished, buildUser, eventually } from './support.js';

let rt: TestRuntime;
let workers: Worker[];
const LANGS = 'ru,en,hy';

beforeAll(async () => {
  rt = await startTestRuntime({ NEWSROOM_LANGUAGES: LANGS });
  workers = startWorkers(rt.ctx, JOBS, 2);
});
afterAll(async () => {
  await Promise.all((workers ?? []).map((w) => w.close()));
  await rt?.close();
});

const RU_BODY =
  '<p>Саммит <a href="https://odkb.example/summit">ОДКБ</a> пройдёт 27 июня 2025 года. Участвуют семь государств.</p><p>Главы государств обсудят безопасность.</p>';
const EN = {
  title: 'CSTO summit in Minsk',
  lead: 'Leaders meet in June.',
  s1: 'The {1}CSTO{/1} summit will take place on 27 June 2025.',
  s2: 'Seven states take part.',
  s3: 'The heads of state will discuss security.',
};

describe('the whole path', () => {
  it('publish ru → tasks → claim → save → submit → QA → approve → en published; edit ru → outdated, only the changed segment', async () => {
    const editor = await buildUser(['editor']);
    const translator = await buildUser(['translator'], ['ru:en']);
    const reviewer = await buildUser(['reviewer'], ['ru:en']);
    await putGlossaryTerm('ru:en', 'ОДКБ', 'CSTO');
    const api = () => request(rt.app);

    // Publish the Russian original.
    const created = await api().post('/api/v1/stories').set(editor.auth).send({
      title: 'Саммит ОДКБ в Минске',
      lead: 'Лидеры встретятся в июне.',
      body: RU_BODY,
      publish: true,
    });
    expect(created.status).toBe(201);
    const storyId = created.body.story.id as string;

    // One task per target language appears (fan-out job in the translation queue).
    const story = await eventually(async () => {
      const r = await api().get(`/api/v1/stories/${storyId}`).set(editor.auth);
      const l = r.body.story.languages;
      return l.en.task && l.hy.task ? r.body.story : null;
    });
    expect(story.languages.en.task.state).toBe('open');
    expect(story.languages.hy.task.pair).toBe('ru:hy');
    expect(await rt.ctx.redis.smembers(rt.ctx.keys.translating(storyId))).toEqual(
      expect.arrayContaining(['en', 'hy']),
    );

    // Claim, save, submit.
    const claim = await api().post('/api/v1/tasks/claim').set(translator.auth).send({ pair: 'ru:en' });
    expect(claim.status).toBe(200);
    const task = claim.body.task;
    expect(task.state).toBe('in_progress');
    expect(task.segments.map((s: { source: string }) => s.source)).toEqual([
      'Саммит ОДКБ в Минске',
      'Лидеры встретятся в июне.',
      'Саммит {1}ОДКБ{/1} пройдёт 27 июня 2025 года.',
      'Участвуют семь государств.',
      'Главы государств обсудят безопасность.',
    ]);
    const targets = [EN.title, EN.lead, EN.s1, EN.s2, EN.s3];

    // A first submit with a dropped number is refused with per-segment QA errors.
    const broken = await api()
      .put(`/api/v1/tasks/${task.id}/segments`)
      .set(translator.auth)
      .send({
        baseRevision: task.revision,
        segments: targets.map((target, i) => ({
          i,
          target: i === 2 ? 'The {1}CSTO{/1} summit is in June.' : target,
          confirmed: true,
        })),
      });
    expect(broken.status).toBe(200);
    const refused = await api().post(`/api/v1/tasks/${task.id}/submit`).set(translator.auth);
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('qa_failed');
    expect(refused.body.error.details.errors).toEqual([
      expect.objectContaining({ i: 2, check: 'date_missing' }),
    ]);

    const saved = await api()
      .put(`/api/v1/tasks/${task.id}/segments`)
      .set(translator.auth)
      .send({
        baseRevision: broken.body.task.revision,
        segments: [{ i: 2, target: EN.s1, confirmed: true }],
      });
    expect(saved.status).toBe(200);
    const submitted = await api().post(`/api/v1/tasks/${task.id}/submit`).set(translator.auth);
    expect(submitted.status).toBe(202);
    // A double submit is a no-op.
    expect((await api().post(`/api/v1/tasks/${task.id}/submit`).set(translator.auth)).status).toBe(202);

    // QA in the review queue, then the task waits for a reviewer who is not its translator.
    await awaitInReview(rt.app, reviewer, task.id);
    expect((await approveByApi(rt.app, translator, task.id)).status).toBe(403);
    expect((await approveByApi(rt.app, reviewer, task.id)).status).toBe(200);

    // The publish job writes the English release; it shows on /en/ and in /en/rss.xml.
    const en = await awaitPublished(`${storyId}.en`);
    expect(en.translatedFrom).toBe('ru');
    expect(en.people.map((p) => [p.userId, p.role])).toEqual(
      expect.arrayContaining([
        [translator.actor.id, 'translator'],
        [reviewer.actor.id, 'reviewer'],
      ]),
    );
    expect(en.outdated).toBe(false);
    expect(en.body).toContain('<a href="https://odkb.example/summit">CSTO</a>');
    await eventually(async () => (await api().get('/en/')).text.includes(EN.title));
    await eventually(async () => (await api().get('/en/rss.xml')).text.includes(EN.title));
    await eventually(async () => !(await rt.ctx.redis.sismember(rt.ctx.keys.translating(storyId), 'en')));
    const done = await api().get(`/api/v1/tasks/${task.id}`).set(reviewer.auth);
    expect(done.body.task.state).toBe('published');
    expect(done.body.task.history.map((h: { to: string }) => h.to)).toEqual([
      'open',
      'in_progress',
      'submitted',
      'in_review',
      'approved',
      'published',
    ]);

    // Edit the second sentence of the Russian original.
    const ru = await Release.findById(`${storyId}.ru`).lean();
    const edit = await api()
      .patch(`/api/v1/stories/${storyId}/ru`)
      .set(editor.auth)
      .send({
        baseRevision: ru!.revision,
        body: RU_BODY.replace('Участвуют семь государств.', 'Участвуют восемь государств.'),
      });
    expect(edit.status).toBe(200);

    await eventually(async () => (await Release.findById(`${storyId}.en`).lean())?.outdated === true);
    const again = await eventually(async () => {
      const r = await api().get('/api/v1/tasks?pair=ru:en&state=open').set(translator.auth);
      return r.body.tasks.find((t: { story: string }) => t.story === storyId);
    });
    const retask = (await api().get(`/api/v1/tasks/${again.id}`).set(translator.auth)).body.task;
    const work = retask.segments.filter((s: { needsWork: boolean }) => s.needsWork);
    expect(work).toEqual([
      expect.objectContaining({
        source: 'Участвуют восемь государств.',
        changed: { oldSource: 'Участвуют семь государств.', oldTarget: EN.s2 },
      }),
    ]);
    expect(
      retask.segments
        .filter((s: { needsWork: boolean }) => !s.needsWork)
        .map((s: { target: string }) => s.target),
    ).toEqual([EN.title, EN.lead, EN.s1, EN.s3]);
  });
});
