import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, pageOfSortedSet } from '../../src/presenters/cursor.js';
import { olderHref } from './html.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';

let rt: TestRuntime;
beforeAll(async () => {
  rt = await startTestRuntime();
});
afterAll(async () => {
  await rt?.close();
});

describe('cursors', () => {
  it('round-trip and reject tokens we did not issue', () => {
    const c = { score: 1719216000000, id: 'abc.ru' };
    expect(decodeCursor(encodeCursor(c))).toEqual(c);
    for (const bad of [
      '',
      '!!',
      'e30',
      Buffer.from('{"s":-1,"i":"a"}').toString('base64url'),
      'x'.repeat(500),
    ])
      expect(decodeCursor(bad)).toBeUndefined();
  });
});

describe('keyset pagination on a sorted set', () => {
  it('walks every item once, newest first, even with equal scores and inserts meanwhile', async () => {
    const key = `${rt.ctx.keys.prefix}:test-zset`;
    // 25 items; many share a score (same publication second).
    for (let i = 0; i < 25; i++)
      await rt.ctx.redis.zadd(key, 1000 + Math.floor(i / 4), `id${String(i).padStart(2, '0')}`);
    const expected = (await rt.ctx.redis.zrevrange(key, 0, -1)).slice();
    const walked: string[] = [];
    let cursor: ReturnType<typeof decodeCursor>;
    let pages = 0;
    do {
      const page = await pageOfSortedSet(rt.ctx.redis, key, cursor, 7);
      walked.push(...page.ids);
      cursor = page.next;
      if (pages++ === 1) await rt.ctx.redis.zadd(key, 5000, 'published-meanwhile');
    } while (cursor);
    expect(walked).toEqual(expected);
    expect(new Set(walked).size).toBe(25);
  });

  it('walks back with `before` through the same pages, ties included, within a score range', async () => {
    const key = `${rt.ctx.keys.prefix}:test-zset-back`;
    for (let i = 0; i < 30; i++)
      await rt.ctx.redis.zadd(key, 1000 + Math.floor(i / 3), `id${String(i).padStart(2, '0')}`);
    const range = { min: 1001, max: 1008, withNewer: true }; // 24 items
    const forward: string[][] = [];
    let page = await pageOfSortedSet(rt.ctx.redis, key, undefined, 5, range);
    forward.push(page.ids);
    expect(page.newer).toBeUndefined();
    while (page.next) {
      page = await pageOfSortedSet(rt.ctx.redis, key, page.next, 5, range);
      forward.push(page.ids);
    }
    expect(forward.flat()).toEqual((await rt.ctx.redis.zrevrangebyscore(key, 1008, 1001)).slice());
    const back: string[][] = [page.ids];
    while (page.newer && page.newer !== 'first') {
      page = await pageOfSortedSet(rt.ctx.redis, key, undefined, 5, { ...range, before: page.newer });
      back.unshift(page.ids);
    }
    expect(page.newer).toBe('first');
    back.unshift((await pageOfSortedSet(rt.ctx.redis, key, undefined, 5, range)).ids);
    expect(back).toEqual(forward);
  });

  it('the news listing links to older pages and back to the newest', async () => {
    const { importStories } = await import('../../src/commands/import-stories.js');
    const { buildImportStory } = await import('../support/factories.js');
    await importStories(
      rt.ctx,
      Array.from({ length: 23 }, (_, i) =>
        buildImportStory({
          section: 'paged',
          publishedAt: `2023-03-${String(i + 1).padStart(2, '0')}T10:00:00Z`,
        }),
      ),
    );
    const first = await request(rt.app).get('/en/sections/paged/');
    expect(first.status).toBe(200);
    expect(first.text).toContain('23 releases');
    const second = await request(rt.app).get(olderHref(first.text)!);
    expect(second.status).toBe(200);
    expect(second.text.match(/class="release-title"/g)).toHaveLength(3);
    expect(second.text).toContain('href="/en/sections/paged/">Back to the newest');
    expect(second.text).not.toContain('rel="next"');
  });
});
