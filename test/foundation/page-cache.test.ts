import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeRelease } from '../../src/commands/write-release.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';

let rt: TestRuntime;
beforeAll(async () => {
  rt = await startTestRuntime();
});
afterAll(async () => {
  await rt?.close();
});

const publish = (title: string) =>
  writeRelease({
    storyId: 'cache-story',
    lang: 'ru',
    title,
    body: '<p>Текст</p>',
    section: 'news',
    tags: [],
    status: 'published',
  });

describe('page cache fast path', () => {
  it('replays the full stack headers on a hit and drops the page on publish', async () => {
    await publish('Первая версия');
    await rt.relay.drain();
    const first = await request(rt.app).get('/ru/news/').expect(200);
    expect(first.text).toContain('Первая версия');
    const second = await request(rt.app).get('/ru/news/').expect(200);
    expect(second.headers.etag).toBe(first.headers.etag);
    for (const h of ['content-security-policy', 'x-content-type-options', 'content-type', 'cache-control']) {
      expect(second.headers[h], h).toBe(first.headers[h]);
    }
    await request(rt.app).get('/ru/news/').set('If-None-Match', first.headers.etag).expect(304);

    await publish('Вторая версия');
    await rt.relay.drain();
    const third = await request(rt.app).get('/ru/news/').expect(200);
    expect(third.text).toContain('Вторая версия');
    expect(third.headers.etag).not.toBe(first.headers.etag);
  });

  it('serves gzip from the cache when asked', async () => {
    const res = await request(rt.app).get('/ru/news/').set('Accept-Encoding', 'gzip');
    await request(rt.app).get('/ru/news/').set('Accept-Encoding', 'gzip');
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
  });

  it('keeps a page loaded from the shared store in this process on its second load, not its first', async () => {
    await request(rt.app).get('/ru/news/').expect(200);
    expect(await rt.ctx.pageCache.isStored('/ru/news/')).toBe(true);
    // As a process that has not served it: only the shared store has it.
    rt.ctx.pageCache.clear();
    expect((await rt.ctx.pageCache.load('/ru/news/'))?.status).toBe(200);
    expect(rt.ctx.pageCache.get('/ru/news/#')).toBeUndefined();
    expect((await rt.ctx.pageCache.load('/ru/news/'))?.status).toBe(200);
    expect(rt.ctx.pageCache.get('/ru/news/#')?.status).toBe(200);
  });
});
