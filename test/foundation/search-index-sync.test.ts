import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inputFromRelease, writeRelease } from '../../src/commands/write-release.js';
import { analyze } from '../../src/language/index.js';
import type { ReleaseDoc } from '../../src/models/release.js';
import { rebuildSearchIndex, syncSearchIndex } from '../../src/search/search-index.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';

let rt: TestRuntime;
beforeAll(async () => {
  rt = await startTestRuntime();
});
afterAll(async () => {
  await rt?.close();
});

const term = (word: string) => analyze('ru', word)[0];
const holds = async (word: string, id: string) =>
  (await rt.ctx.redis.zscore(rt.ctx.keys.search.postings('ru', term(word)), id)) !== null;
const generation = async () => Number((await rt.ctx.redis.get(rt.ctx.keys.search.generation())) ?? 0);

describe('search index sync', () => {
  it('skips a repeat, and on an edit drops only the words that left', async () => {
    const { release } = await writeRelease(
      {
        storyId: 'search-sync',
        lang: 'ru',
        title: 'Заседание в Минске',
        body: '<p>Обсуждали торговлю и транспорт.</p>',
        section: 'news',
        tags: [],
        status: 'published',
      },
      rt.ctx,
    );
    expect(await holds('торговля', release._id)).toBe(true);
    expect(await holds('Минск', release._id)).toBe(true);

    // The relay's repeat of the write's own sync changes nothing, not even the generation
    // that search results are cached under.
    const before = await generation();
    await syncSearchIndex(rt.ctx, release._id);
    expect(await generation()).toBe(before);

    const edited = await writeRelease(
      {
        ...inputFromRelease(release),
        body: '<p>Обсуждали энергетику и транспорт.</p>',
        expectedRevision: release.revision,
      },
      rt.ctx,
    );
    expect(edited.changed).toBe(true);
    expect(await generation()).toBeGreaterThan(before);
    expect(await holds('торговля', release._id)).toBe(false);
    expect(await holds('энергетика', release._id)).toBe(true);
    expect(await holds('транспорт', release._id)).toBe(true);
    expect(await holds('Минск', release._id)).toBe(true);

    // Unpublished: every posting goes.
    await writeRelease({ ...inputFromRelease(edited.release), status: 'draft' }, rt.ctx);
    expect(await holds('транспорт', release._id)).toBe(false);
    expect(await holds('Минск', release._id)).toBe(false);
  });

  it('a sync that read an older version (the relay, late) does not leave its postings behind', async () => {
    const { release: published } = await writeRelease(
      {
        storyId: 'search-late',
        lang: 'ru',
        title: 'Совещание в Бишкеке',
        body: '<p>Говорили о таможне.</p>',
        section: 'news',
        tags: [],
        status: 'published',
      },
      rt.ctx,
    );
    await writeRelease({ ...inputFromRelease(published), status: 'draft' }, rt.ctx);
    expect(await holds('таможня', published._id)).toBe(false);
    // The relay's sync for the published revision, which read the document before the
    // unpublish and writes only now: it must notice the document moved on.
    await syncSearchIndex(rt.ctx, published._id, published);
    expect(await holds('таможня', published._id)).toBe(false);
    expect(await holds('Бишкек', published._id)).toBe(false);
  });

  it('overlapping syncs of three revisions end at the newest, whatever order they finish in', async () => {
    const words = ['Ереван', 'Астана', 'Душанбе'];
    const versions: ReleaseDoc[] = [];
    const input = {
      storyId: 'search-overlap',
      lang: 'ru',
      title: 'Встреча',
      body: `<p>Встреча в городе ${words[0]}.</p>`,
      section: 'news',
      tags: [] as string[],
      status: 'published' as const,
    };
    for (const [i, word] of words.entries()) {
      const { release } = await writeRelease(
        { ...input, body: `<p>Встреча в городе ${word}.</p>`, expectedRevision: i === 0 ? undefined : i },
        rt.ctx,
      );
      versions.push(release);
    }
    const id = versions[0]._id;
    // Thirty syncs at once, each from a version as some process might have read it.
    await Promise.all(
      Array.from({ length: 30 }, (_, i) => syncSearchIndex(rt.ctx, id, versions[i % versions.length])),
    );
    expect(await holds('Душанбе', id)).toBe(true);
    expect(await holds('Ереван', id)).toBe(false);
    expect(await holds('Астана', id)).toBe(false);
    expect(await rt.ctx.redis.hget(rt.ctx.keys.search.revisions(), id)).toBe(String(versions[2].revision));

    // A rebuild keeps the revisions, so a late sync of an old version still changes nothing.
    await rebuildSearchIndex(rt.ctx);
    await syncSearchIndex(rt.ctx, id, versions[0]);
    expect(await holds('Ереван', id)).toBe(false);
    expect(await holds('Душанбе', id)).toBe(true);
  });
});
