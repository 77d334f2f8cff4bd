import mongoose from 'mongoose';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeRelease, inputFromRelease } from '../../src/commands/write-release.js';
import { renderIntoStore } from '../../src/cache/page-renderer.js';
import { Release, type ReleaseDoc } from '../../src/models/release.js';
import { createApp } from '../../src/app.js';
import { importStory } from '../reader/reader-fixtures.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import { createWebContext } from '../../src/server.js';

let rt: TestRuntime;
let a: Awaited<ReturnType<typeof importStory>>;
let b: Awaited<ReturnType<typeof importStory>>;
let draftId: string;

beforeAll(async () => {
  rt = await startTestRuntime();
  // Different tags and sections: neither is among the other's related stories.
  a = await importStory(rt, { section: 'news', tags: ['alpha'] });
  b = await importStory(rt, { section: 'statements', tags: ['beta'] });
  const draft = await writeRelease(
    {
      storyId: 'draft-story',
      lang: 'ru',
      title: 'Черновик',
      body: '<p>Текст</p>',
      section: 'news',
      tags: [],
    },
    rt.ctx,
  );
  draftId = draft.release._id;
  await rt.relay.drain();
});
afterAll(async () => {
  await rt?.close();
});

const pages = () => ({
  aRu: `/ru/news/${a.slugs.ru}`,
  aEn: `/en/news/${a.slugs.en}`,
  bRu: `/ru/news/${b.slugs.ru}`,
  bEn: `/en/news/${b.slugs.en}`,
  ruNews: '/ru/news/',
  ruHome: '/ru/',
  ruRss: '/ru/rss.xml',
  enNews: '/en/news/',
  enRss: '/en/rss.xml',
  ruStatements: '/ru/sections/statements/',
  sitemap: '/sitemap.xml',
});

/** Requests every page twice (rendered, then cached) and returns their ETags. */
async function warm(): Promise<Record<string, string>> {
  const tags: Record<string, string> = {};
  for (const [name, path] of Object.entries(pages())) {
    await request(rt.app).get(path).expect(200);
    tags[name] = (await request(rt.app).get(path).expect(200)).headers.etag;
  }
  return tags;
}

/** Which pages are still cached, in this process and in the shared store. */
async function cached(): Promise<Record<string, { local: boolean; shared: boolean }>> {
  const out: Record<string, { local: boolean; shared: boolean }> = {};
  for (const [name, path] of Object.entries(pages()))
    out[name] = { local: !!rt.ctx.pageCache.get(`${path}#`), shared: await rt.ctx.pageCache.isStored(path) };
  return out;
}

const keptAll = (c: Awaited<ReturnType<typeof cached>>, names: string[]) =>
  names.filter((n) => !c[n].local || !c[n].shared);
const droppedAll = (c: Awaited<ReturnType<typeof cached>>, names: string[]) =>
  names.filter((n) => c[n].local || c[n].shared);

describe('precise invalidation (surrogate keys)', () => {
  it('a published edit drops that story in each language, its listings, feeds and the sitemap, nothing else', async () => {
    await warm();
    const before = await cached();
    expect(keptAll(before, Object.keys(pages()))).toEqual([]);

    const r = await Release.findById(`${a.storyId}.ru`).lean<ReleaseDoc>();
    await writeRelease({ ...inputFromRelease(r!), title: 'Исправленный заголовок' }, rt.ctx);
    // Dropped before writeRelease returned: no relay needed.
    const after = await cached();
    expect(droppedAll(after, ['aRu', 'aEn', 'ruNews', 'ruHome', 'ruRss', 'sitemap'])).toEqual([]);
    expect(keptAll(after, ['bRu', 'bEn', 'enNews', 'enRss', 'ruStatements'])).toEqual([]);
    expect((await request(rt.app).get(pages().ruNews)).text).toContain('Исправленный заголовок');

    // The relay's later pass is a repeat: other stories stay cached.
    await warm();
    await rt.relay.drain();
    expect(keptAll(await cached(), ['bRu', 'bEn', 'enNews', 'enRss', 'ruStatements'])).toEqual([]);
  });

  it('a draft edit drops nothing public', async () => {
    await rt.relay.drain();
    const etags = await warm();
    const d = await Release.findById(draftId).lean<ReleaseDoc>();
    await writeRelease({ ...inputFromRelease(d!), title: 'Черновик, правка' }, rt.ctx);
    await rt.relay.drain();
    expect(keptAll(await cached(), Object.keys(pages()))).toEqual([]);
    expect((await request(rt.app).get(pages().ruNews)).headers.etag).toBe(etags.ruNews);
  });

  it('an unpublish drops the listings and the story in every language', async () => {
    await warm();
    const r = await Release.findById(`${b.storyId}.en`).lean<ReleaseDoc>();
    await writeRelease({ ...inputFromRelease(r!), status: 'archived' }, rt.ctx);
    const after = await cached();
    expect(droppedAll(after, ['bRu', 'bEn', 'enNews', 'enRss', 'sitemap'])).toEqual([]);
    expect(keptAll(after, ['aRu', 'aEn', 'ruStatements'])).toEqual([]);
    // The English version is gone (410), with links to what exists of the story.
    const gone = await request(rt.app).get(pages().bEn).expect(410);
    expect(gone.text).toContain(`/ru/news/${b.slugs.ru}`);
  });
});

describe('shared page store', () => {
  it('a page rendered ahead (as the worker does on publish) serves a fresh process without the document store', async () => {
    const path = `/ru/news/${a.slugs.ru}`;
    await rt.ctx.pageCache.invalidateAll();
    expect(await renderIntoStore(rt.ctx, [path])).toBe(1);

    // A second web process on the same stores, started after the render: its memory is empty.
    const other = await startTestRuntime({
      MONGODB_URI: rt.env.MONGODB_URI,
      REDIS_PREFIX: rt.env.REDIS_PREFIX,
    });
    const app = createApp(await createWebContext(other));
    const queries: string[] = [];
    // What a render would read (the relay's own polling of the outbox is not a page read).
    mongoose.set('debug', (collection: string, method: string) => {
      if (collection !== 'outboxevents') queries.push(`${collection}.${method}`);
    });
    try {
      const res = await request(app).get(path).expect(200);
      expect(res.text).toContain('Исправленный заголовок');
      expect(queries).toEqual([]);
      await request(app).get(path).set('If-None-Match', res.headers.etag).expect(304);
      const gz = await request(app).get(path).set('Accept-Encoding', 'gzip');
      expect(gz.headers['content-encoding']).toBe('gzip');
    } finally {
      mongoose.set('debug', false);
      await other.close();
    }
  });

  it('stays within its byte bound, oldest out', async () => {
    const small = await startTestRuntime({
      MONGODB_URI: rt.env.MONGODB_URI,
      REDIS_PREFIX: `${rt.env.REDIS_PREFIX}s`,
      PAGE_STORE_MB: '1',
    });
    try {
      // Pages of ~40 KB gzipped would be too few to fill 1 MB: store synthetic ones directly.
      const { buildPage, etagOf } = await import('../../src/cache/cached-page.js');
      const { randomBytes } = await import('node:crypto');
      for (let i = 0; i < 40; i++) {
        const body = randomBytes(60_000); // incompressible
        const page = buildPage({ status: 200, etag: etagOf(body), headers: {}, tags: ['t'] }, body, true);
        await small.ctx.pageCache.store(`/p/${i}#`, `/p/${i}`, page, await small.ctx.pageCache.ticket());
      }
      const stats = await small.ctx.pageCache.stats();
      expect(stats.sharedBytes).toBeLessThanOrEqual(1024 * 1024);
      expect(stats.sharedPages).toBeGreaterThan(5);
      expect(await small.ctx.pageCache.isStored('/p/39')).toBe(true);
      expect(await small.ctx.pageCache.isStored('/p/0')).toBe(false);
      expect(stats.bytes).toBeLessThanOrEqual(64 * 1024 * 1024);
    } finally {
      await small.close();
    }
  });
});
