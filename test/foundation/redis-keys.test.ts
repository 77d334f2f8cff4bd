import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishTranslationJob } from '../../src/jobs/publish.job.js';
import {
  READ_MODEL_FAMILIES,
  dropReadModel,
  readModelPattern,
  scanKeys,
  type RedisKeys,
} from '../../src/redis/keys.js';
import { jobQueues } from '../../src/workflow/queues.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';

let rt: TestRuntime;
beforeAll(async () => {
  rt = await startTestRuntime();
});
afterAll(async () => {
  await rt?.close();
});

/** One key of every builder, grouped by family ('other' for queues, locks, sessions, state). */
const sampleKeys = (k: RedisKeys): Record<string, string[]> => ({
  releases: [
    k.releases.language('ru'),
    k.releases.section('ru', 'news'),
    k.releases.sections('ru'),
    k.releases.card('s1.ru'),
    k.releases.storyVersions('s1'),
    k.releases.built(),
    k.releases.revisions(),
  ],
  search: [
    k.search.postings('ru', 'pub'),
    k.search.headingPostings('ru', 'pub'),
    k.search.document('s1.ru'),
    k.search.generation(),
    k.search.result('ru', '1', 'pub'),
    k.search.built(),
  ],
  tm: [k.tm.bucket('ru:en', 'publish'), k.tm.entries('ru:en'), k.tm.built()],
  mt: [k.mt.translation('libretranslate', 'ru:en', 'abc')],
  translating: [k.translating('s1')],
  import: [k.importHashes()],
  pages: [
    `${k.pages.pagePrefix}/ru/news/`,
    `${k.pages.tagPrefix}story:s1`,
    k.pages.order,
    k.pages.sizes,
    k.pages.stats,
    k.pages.seq,
    k.pages.applied,
  ],
  other: [
    k.workflow.ready('ru:en'),
    k.workflow.leases('ru:en'),
    k.feedsChanged('ru'),
    k.publishedCount('ru:en', '2025-01-01'),
    k.publishedCounted('s1.en.ru1'),
    k.webhookOverdueReported,
    k.session('abc'),
    `${k.rateLimitPrefix('signin')}1.2.3.4`,
    k.mt.down('libretranslate'),
  ],
});

async function matching(pattern: string): Promise<string[]> {
  const all: string[] = [];
  for await (const batch of scanKeys(rt.ctx.redis, pattern)) all.push(...batch);
  return all.sort();
}

describe('the Redis key space', () => {
  it('keeps every key under the prefix and its Cluster hash tag, BullMQ included', () => {
    const k = rt.ctx.keys;
    const all = [...Object.values(sampleKeys(k)).flat(), k.bullmq, k.pageCacheChannel];
    expect(k.prefix).toMatch(/^\{[^}]+\}$/);
    for (const key of all) expect(key.startsWith(`${k.prefix}:`)).toBe(true);
    expect(new Set(all).size).toBe(all.length);
  });

  it('lets a read-model pattern match its own family only: never a queue, lock or session', async () => {
    const k = rt.ctx.keys;
    const samples = sampleKeys(k);
    for (const key of Object.values(samples).flat()) await rt.ctx.redis.set(key, '1');
    // Real BullMQ keys, in queues named to collide with read models ("pub…", "search", "tm").
    for (const name of ['publish', 'pub', 'search', 'tm', 'releases']) {
      await jobQueues(rt.ctx).queue(name).add(publishTranslationJob.name, { taskId: 'x' }, { jobId: 'j1' });
    }
    const bull = await matching(`${k.bullmq}:*`);
    expect(bull.length).toBeGreaterThan(5);

    for (const family of READ_MODEL_FAMILIES) {
      expect(await matching(readModelPattern(k.prefix, family))).toEqual([...samples[family]].sort());
    }

    for (const family of READ_MODEL_FAMILIES) await dropReadModel(rt.ctx.redis, k, family);
    expect(await matching(`${k.bullmq}:*`)).toEqual(bull);
    for (const key of samples.other) expect(await rt.ctx.redis.exists(key)).toBe(1);
    for (const family of READ_MODEL_FAMILIES) {
      expect(await matching(readModelPattern(k.prefix, family))).toEqual([]);
    }
  });
});
