import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importStories } from '../../src/commands/import-stories.js';
import { parseImportFile } from '../../src/import/parse-import-file.js';
import { Release } from '../../src/models/release.js';
import { Route } from '../../src/models/route.js';
import { Story } from '../../src/models/story.js';
import { StoryWorkflow } from '../../src/models/story-workflow.js';
import { parseIsoDate } from '../../src/validation/dates.js';
import { buildImportStory } from '../support/factories.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import { buildUser } from '../workflow/support.js';

let rt: TestRuntime;
let editor: Awaited<ReturnType<typeof buildUser>>;
beforeAll(async () => {
  rt = await startTestRuntime();
  editor = await buildUser(['editor']);
});
afterAll(async () => {
  await rt?.close();
});

const api = () => request(rt.app);
const LANGS = ['ru', 'en', 'hy', 'be', 'kk', 'ky', 'tg'];
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const counts = async () => ({
  stories: await Story.countDocuments(),
  routes: await Route.countDocuments(),
  releases: await Release.countDocuments(),
  workflows: await StoryWorkflow.countDocuments(),
});

describe('validated at the boundary, nothing half-written (issue 8 item 10)', () => {
  it('answers a malformed explicit slug with 400 and writes nothing', async () => {
    const before = await counts();
    for (const slug of ['', 'ABC', 'a/b', 'Bad Slug!', '-a', 'a--b', 'x'.repeat(201)]) {
      const res = await api()
        .post('/api/v1/stories')
        .set(editor.auth)
        .send({ title: 'Заголовок', body: '<p>Текст</p>', slug, priority: 3 });
      expect(res.status, slug).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
      expect(res.body.error.message).toMatch(/^slug:/);
    }
    expect(await counts()).toEqual(before);
  });

  it('takes back the story when its release cannot be written (slug taken, empty body)', async () => {
    const first = await api()
      .post('/api/v1/stories')
      .set(editor.auth)
      .send({ title: 'Первый', body: '<p>Текст</p>', slug: 'taken-slug', publish: true })
      .expect(201);
    expect(first.body.story).toBeDefined();
    const before = await counts();
    const taken = await api()
      .post('/api/v1/stories')
      .set(editor.auth)
      .send({ title: 'Второй', body: '<p>Текст</p>', slug: 'taken-slug', priority: 2 });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('slug_taken');
    const empty = await api()
      .post('/api/v1/stories')
      .set(editor.auth)
      .send({ title: 'Пусто', body: '<script>alert(1)</script>', priority: 2 });
    expect(empty.status).toBe(422);
    expect(empty.body.error.code).toBe('empty_body');
    expect(await counts()).toEqual(before);
  });

  it('answers a malformed edit slug with 400 and leaves the release as it was', async () => {
    const created = await api()
      .post('/api/v1/stories')
      .set(editor.auth)
      .send({ title: 'Правка', body: '<p>Текст</p>' })
      .expect(201);
    const id = created.body.story.id ?? created.headers.location.split('/').pop();
    const before = await counts();
    const res = await api()
      .patch(`/api/v1/stories/${id}/ru`)
      .set(editor.auth)
      .send({ baseRevision: 1, slug: 'Not/A Slug' });
    expect(res.status).toBe(400);
    expect(await counts()).toEqual(before);
  });
});

describe('control characters (issue 8 item 11)', () => {
  const dirty = 'Сам\u0000мит\u001b[31m в\u0007 Минске\u000b\u007f';

  it('never reach a stored release or a page through the API', async () => {
    const created = await api()
      .post('/api/v1/stories')
      .set(editor.auth)
      .send({
        title: dirty,
        lead: dirty,
        body: `<p>${dirty}</p>\n<p>Вторая\tстрока</p>`,
        publish: true,
        tags: [dirty],
      })
      .expect(201);
    const id = created.headers.location.split('/').pop()!;
    const release = await Release.findById(`${id}.ru`).lean();
    expect(release!.title).toBe('Саммит[31m в Минске');
    expect(CONTROL.test(JSON.stringify(release))).toBe(false);
    expect(release!.body).toContain('\t'); // tab and newline are text
    const page = await api().get(`/ru/news/${release!.slug}`).expect(200);
    expect(CONTROL.test(page.text)).toBe(false);
  });

  it('never reach a stored release through the import', async () => {
    const story = buildImportStory({ externalId: 'ctl-1' });
    story.versions.ru.title = dirty;
    story.versions.ru.body = `<p>${dirty}</p>`;
    const text = JSON.stringify({ stories: [story] });
    const summary = await importStories(rt.ctx, parseImportFile(text, LANGS).stories);
    expect(summary.rejected).toEqual([]);
    const stored = await Release.find({ story: (await Story.findOne({ externalId: 'ctl-1' }))!._id }).lean();
    expect(stored.length).toBe(2);
    expect(CONTROL.test(JSON.stringify(stored))).toBe(false);
    const ru = stored.find((r) => r.lang === 'ru')!;
    const page = await api().get(`/ru/news/${ru.slug}`).expect(200);
    expect(CONTROL.test(page.text)).toBe(false);
  });
});

describe('dates (issue 8 item 12)', () => {
  it('parses strict ISO 8601 in a sane range only', () => {
    expect(parseIsoDate('2025-02-28')?.toISOString()).toBe('2025-02-28T00:00:00.000Z');
    expect(parseIsoDate('2024-02-29T10:30:00Z')?.toISOString()).toBe('2024-02-29T10:30:00.000Z');
    expect(parseIsoDate('2025-06-27T10:00:00+03:00')?.toISOString()).toBe('2025-06-27T07:00:00.000Z');
    for (const bad of [
      '2025-02-30',
      '2025-02-29',
      '2025-13-01',
      '2025-01-01T24:00',
      'true',
      '1',
      '',
      'tomorrow',
      '275760-01-01',
      '1899-12-31',
      '2201-01-01',
      '2025-1-1',
    ])
      expect(parseIsoDate(bad), bad).toBeUndefined();
  });

  it('answers lenient or absurd dates with 400 at every boundary', async () => {
    const created = await api()
      .post('/api/v1/stories')
      .set(editor.auth)
      .send({ title: 'Даты', body: '<p>Текст</p>' })
      .expect(201);
    const id = created.headers.location.split('/').pop()!;
    const before = await counts();
    for (const dueAt of ['2025-02-30', true, 1, '+275760-09-13T00:00:00Z', 'next week']) {
      const res = await api()
        .post('/api/v1/stories')
        .set(editor.auth)
        .send({ title: 'Срок', body: '<p>Текст</p>', dueAt });
      expect(res.status, String(dueAt)).toBe(400);
      expect(res.body.error.message).toMatch(/^dueAt: must be an ISO 8601 date/);
    }
    for (const at of ['2025-02-30T10:00:00Z', true, 0]) {
      const res = await api()
        .put(`/api/v1/stories/${id}/ru/schedule`)
        .set(editor.auth)
        .send({ baseRevision: 1, at });
      expect(res.status, String(at)).toBe(400);
    }
    const translations = await api()
      .post(`/api/v1/stories/${id}/translations`)
      .set(editor.auth)
      .send({ langs: ['en'], dueAt: '2025-02-31' });
    expect(translations.status).toBe(400);
    expect(await counts()).toEqual(before);
    const good = await api()
      .post('/api/v1/stories')
      .set(editor.auth)
      .send({ title: 'Срок', body: '<p>Текст</p>', dueAt: '2030-02-28T12:00:00Z' });
    expect(good.status).toBe(201);
  });

  it('rejects an import record whose date is out of range', () => {
    const story = buildImportStory({ publishedAt: '0001-01-01T00:00:00Z' });
    const { rejected } = parseImportFile(JSON.stringify({ stories: [story] }), LANGS);
    expect(rejected[0]).toMatchObject({ index: 0, externalId: story.externalId });
    expect(rejected[0].reason).toMatch(/publishedAt/);
  });
});

describe('import messages (issue 8 item 13)', () => {
  it('reports a rejected record by its index in the file and its externalId', async () => {
    const a = buildImportStory({ externalId: 'pos-a' });
    a.versions.ru.slug = 'pos-taken';
    const broken = { externalId: 'pos-broken', sourceLang: 'ru', versions: {} };
    const b = buildImportStory({ externalId: 'pos-b' });
    const c = buildImportStory({ externalId: 'pos-c' });
    c.versions.ru.slug = 'pos-taken'; // the fourth record: collides with the second
    const text = JSON.stringify({ stories: [broken, a, b, c] });
    const parsed = parseImportFile(text, LANGS);
    expect(parsed.rejected).toMatchObject([{ index: 0, externalId: 'pos-broken' }]);
    const summary = await importStories(rt.ctx, parsed.stories, undefined, parsed.positions);
    expect(summary.rejected).toMatchObject([{ index: 3, externalId: 'pos-c' }]);
    expect(summary.rejected[0].reason).toMatch(/slug/);
  });
});
