import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importStories } from '../../src/commands/import-stories.js';
import { parseImportFile, ImportFileError } from '../../src/import/parse-import-file.js';
import { Release } from '../../src/models/release.js';
import { Story } from '../../src/models/story.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import { buildImportStory } from '../support/factories.js';

let rt: TestRuntime;
beforeAll(async () => {
  rt = await startTestRuntime();
});
afterAll(async () => {
  await rt?.close();
});

const LANGS = ['ru', 'en', 'hy', 'be', 'kk', 'ky', 'tg'];
const file = (stories: unknown[]) => JSON.stringify({ stories });

describe('import', () => {
  it('is idempotent: a second import of the same file changes nothing', async () => {
    const stories = [buildImportStory({ externalId: 'idem-1' }), buildImportStory({ externalId: 'idem-2' })];
    const first = await importStories(rt.ctx, parseImportFile(file(stories), LANGS).stories);
    expect(first).toMatchObject({ created: 2, updated: 0, unchanged: 0 });
    const before = await Release.find({
      story: { $in: (await Story.find({ externalId: /^idem-/ })).map((s) => s._id) },
    }).lean();
    const second = await importStories(rt.ctx, parseImportFile(file(stories), LANGS).stories);
    expect(second).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
    expect(await Story.countDocuments({ externalId: /^idem-/ })).toBe(2);
    // The bulk path stores no nulls for absent optional fields.
    const stored = await Story.findOne({ externalId: 'idem-1' }).lean();
    expect(stored).not.toHaveProperty('contact');
    expect(before.find((r) => r.lang === 'ru')).not.toHaveProperty('translatedFrom');
    expect(before.find((r) => r.lang === 'en')).toMatchObject({ translatedFrom: 'ru', sourceRevision: 1 });
    const after = await Release.find({ _id: { $in: before.map((r) => r._id) } }).lean();
    expect(after.map((r) => r.revision)).toEqual(before.map((r) => r.revision));
  });

  it('skips by the Redis mirror of import hashes, which follows MongoDB and is rebuilt from it when lost', async () => {
    const original = buildImportStory({ externalId: 'mirror-1' });
    const corrected = structuredClone(original);
    corrected.versions.ru.title = 'Исправленный заголовок';
    const run = async (story: typeof original) =>
      importStories(rt.ctx, parseImportFile(file([story]), LANGS).stories);
    const mirrorHolds = async () => {
      const stored = await Story.findOne({ externalId: 'mirror-1' }).lean();
      expect(stored!.importHash).toMatch(/^[0-9a-f]{32}$/);
      expect(await rt.ctx.redis.hget(rt.ctx.keys.importHashes(), stored!._id)).toBe(stored!.importHash);
      return stored!;
    };

    expect(await run(original)).toMatchObject({ created: 1 });
    const { _id: storyId } = await mirrorHolds();
    // Lost (a flushed Redis): MongoDB decides, and the mirror is written again.
    await rt.ctx.redis.hdel(rt.ctx.keys.importHashes(), storyId);
    expect(await run(original)).toMatchObject({ unchanged: 1, updated: 0 });
    await mirrorHolds();
    // A correction moves both; the old file again is a change back, not a skip.
    expect(await run(corrected)).toMatchObject({ updated: 1 });
    await mirrorHolds();
    expect(await run(original)).toMatchObject({ updated: 1, unchanged: 0 });
    await mirrorHolds();
    expect((await Release.findById(`${storyId}.ru`).lean())!.title).toBe(original.versions.ru.title);
    expect(await run(original)).toMatchObject({ unchanged: 1 });
  });

  it('updates a changed story in place', async () => {
    const story = buildImportStory({ externalId: 'upd-1' });
    await importStories(rt.ctx, parseImportFile(file([story]), LANGS).stories);
    story.versions.ru.title = 'Новый заголовок';
    const summary = await importStories(rt.ctx, parseImportFile(file([story]), LANGS).stories);
    expect(summary).toMatchObject({ created: 0, updated: 1, rejected: [] });
    const s = await Story.findOne({ externalId: 'upd-1' }).lean();
    const ru = await Release.findById(`${s!._id}.ru`).lean();
    expect(ru!.title).toBe('Новый заголовок');
    expect(ru!.revision).toBe(2);
    expect(await Story.countDocuments({ externalId: 'upd-1' })).toBe(1);
  });

  it('imports the valid records of a mixed file and reports the invalid ones by index', () => {
    const good = buildImportStory({ externalId: 'mix-1' });
    const noSource = {
      ...buildImportStory({ externalId: 'mix-2' }),
      sourceLang: 'en',
      versions: { ru: good.versions.ru },
    };
    const unknownLang = buildImportStory({
      externalId: 'mix-3',
      versions: { ...good.versions, xx: good.versions.ru },
    });
    const badField = { ...buildImportStory({ externalId: 'mix-4' }), colour: 'red' };
    const { stories, rejected } = parseImportFile(file([good, noSource, unknownLang, badField, 42]), LANGS);
    expect(stories.map((s) => s.externalId)).toEqual(['mix-1']);
    expect(rejected.map((r) => r.index)).toEqual([1, 2, 3, 4]);
    expect(rejected[0].reason).toMatch(/no 'en' version/);
    expect(rejected[1].reason).toMatch(/xx.*not configured/);
    expect(rejected[2].reason).toMatch(/colour/);
  });

  it('rejects malformed JSON as a whole, naming the problem', () => {
    expect(() => parseImportFile('{"stories": [', LANGS)).toThrow(ImportFileError);
    expect(() => parseImportFile('{"stories": [', LANGS)).toThrow(/not valid JSON/);
    expect(() => parseImportFile('{"items": []}', LANGS)).toThrow(/stories/);
  });

  it('removes scripts and event handlers from body HTML', async () => {
    const story = buildImportStory({
      externalId: 'xss-1',
      versions: {
        ru: {
          title: '<b>Заголовок</b>',
          body: '<p onclick="steal()">Текст<script>alert(1)</script><img src="/img/a.png" onerror="alert(2)"><a href="javascript:alert(3)">ссылка</a></p>',
        },
      },
    });
    await importStories(rt.ctx, parseImportFile(file([story]), LANGS).stories);
    const s = await Story.findOne({ externalId: 'xss-1' }).lean();
    const ru = await Release.findById(`${s!._id}.ru`).lean();
    expect(ru!.body).not.toMatch(/script|onerror|onclick|javascript:/i);
    expect(ru!.body).toContain('<img src="/img/a.png" />');
    expect(ru!.body).toContain('Текст');
  });
});

describe('import slugs', () => {
  it('de-duplicates derived slugs within one file and rejects a taken explicit slug', async () => {
    const a = buildImportStory({ externalId: 'same-title-1' });
    const b = buildImportStory({ externalId: 'same-title-2', versions: { ru: { ...a.versions.ru } } });
    const c = buildImportStory({
      externalId: 'explicit-taken',
      versions: { ru: { title: 'Другое', body: '<p>x</p>', slug: 'fixed-slug' } },
    });
    const d = buildImportStory({
      externalId: 'explicit-taken-2',
      versions: { ru: { title: 'Ещё', body: '<p>y</p>', slug: 'fixed-slug' } },
    });
    const summary = await importStories(rt.ctx, parseImportFile(file([a, b, c, d]), LANGS).stories);
    expect(summary.created).toBe(3);
    expect(summary.rejected).toEqual([
      expect.objectContaining({
        index: 3,
        externalId: 'explicit-taken-2',
        reason: expect.stringMatching(/fixed-slug/),
      }),
    ]);
    const slugs = await Promise.all(
      ['same-title-1', 'same-title-2'].map(async (x) => {
        const s = await Story.findOne({ externalId: x }).lean();
        return (await Release.findById(`${s!._id}.ru`).lean())!.slug;
      }),
    );
    expect(new Set(slugs).size).toBe(2);
    expect(slugs.some((s) => s.endsWith('-2'))).toBe(true);
  });
});
