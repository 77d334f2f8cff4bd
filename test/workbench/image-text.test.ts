import type { Worker } from 'bullmq';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOBS, startWorkers } from '../../src/jobs/registry.js';
import { Release } from '../../src/models/release.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import { approveByApi, awaitInReview, awaitPublished, buildUser, eventually } from '../workflow/support.js';

/**
 * Image text is translated: an image's alt and title and a figure's caption are segments of
 * the task, labelled as such, and the published English page carries the English alt text
 * (it used to keep the Russian one). A line break splits a paragraph into two segments.
 */
let rt: TestRuntime;
let workers: Worker[];

beforeAll(async () => {
  rt = await startTestRuntime({ NEWSROOM_LANGUAGES: 'ru,en' });
  workers = startWorkers(rt.ctx, JOBS, 2);
});
afterAll(async () => {
  await Promise.all((workers ?? []).map((w) => w.close()));
  await rt?.close();
});

const BODY =
  '<h2>Итоги встречи</h2><p>Первая строка<br>вторая строка</p>' +
  '<figure><img src="https://odkb.example/m/1.jpg" alt="Главы государств в Минске" title="Фото пресс-службы"><figcaption>Встреча глав государств</figcaption></figure>';

const ENGLISH: Record<string, string> = {
  'Саммит в Минске': 'Summit in Minsk',
  'Итоги встречи': 'Outcome of the meeting',
  'Первая строка': 'First line',
  'вторая строка': 'second line',
  'Главы государств в Минске': 'Heads of state in Minsk',
  'Фото пресс-службы': 'Press service photo',
  'Встреча глав государств': 'The heads of state meet',
};

describe('image text and line breaks as segments', () => {
  it('labels headings, captions and alt text, and publishes the English alt text', async () => {
    const editor = await buildUser(['editor']);
    const translator = await buildUser(['translator'], ['ru:en']);
    const reviewer = await buildUser(['reviewer'], ['ru:en']);
    const api = () => request(rt.app);
    const created = await api()
      .post('/api/v1/stories')
      .set(editor.auth)
      .send({ title: 'Саммит в Минске', body: BODY, publish: true });
    expect(created.status).toBe(201);
    const storyId = created.body.story.id as string;
    const ru = await Release.findById(`${storyId}.ru`).lean();
    expect(ru!.body).toContain('alt="Главы государств в Минске"'); // the sanitiser keeps it

    await eventually(async () => {
      const r = await api().get(`/api/v1/stories/${storyId}`).set(editor.auth);
      return r.body.story.languages.en.task;
    });
    const claim = await api().post('/api/v1/tasks/claim').set(translator.auth).send({ pair: 'ru:en' });
    const task = claim.body.task;
    expect(task.segments.map((s: { role: string | null; source: string }) => [s.role, s.source])).toEqual([
      [null, 'Саммит в Минске'],
      ['heading', 'Итоги встречи'],
      ['paragraph', 'Первая строка'],
      ['paragraph', 'вторая строка'],
      ['alt', 'Главы государств в Минске'],
      ['image_title', 'Фото пресс-службы'],
      ['caption', 'Встреча глав государств'],
    ]);

    const saved = await api()
      .put(`/api/v1/tasks/${task.id}/segments`)
      .set(translator.auth)
      .send({
        baseRevision: task.revision,
        segments: task.segments.map((s: { i: number; source: string }) => ({
          i: s.i,
          target: ENGLISH[s.source],
          confirmed: true,
        })),
      });
    expect(saved.status).toBe(200);
    expect((await api().post(`/api/v1/tasks/${task.id}/submit`).set(translator.auth)).status).toBe(202);
    await awaitInReview(rt.app, reviewer, task.id);
    expect((await approveByApi(rt.app, reviewer, task.id)).status).toBe(200);
    const en = await awaitPublished(`${storyId}.en`);
    expect(en.body).toContain('<h2>Outcome of the meeting</h2>');
    expect(en.body).toMatch(/First line<br ?\/?>second line/);
    expect(en.body).toContain('alt="Heads of state in Minsk"');
    expect(en.body).toContain('title="Press service photo"');
    expect(en.body).toContain('<figcaption>The heads of state meet</figcaption>');
    expect(en.body).not.toMatch(/[А-Яа-я]/);
    // Until the English version reaches the read model, /en/stories/:id answers
    // 200 with the original and noindex (the empty-language fallback); wait for
    // the English page itself.
    const page = await eventually(async () => {
      const r = await api().get(`/en/stories/${storyId}`).redirects(3);
      return r.status === 200 &&
        r.text.includes('<html lang="en"') &&
        !r.text.includes('name="robots" content="noindex"')
        ? r.text
        : null;
    });
    expect(page).toContain('alt="Heads of state in Minsk"');
  }, 120_000);
});
