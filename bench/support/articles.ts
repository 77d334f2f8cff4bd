/**
 * What the reader benchmarks share about the store they read: every article path (from the
 * read model in Redis, not from a web process) and publishing churn through the API.
 */
import type { Redis } from 'ioredis';
import { redisKeys } from '../../src/redis/keys.js';

const keys = redisKeys('{newsroom}');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Article paths of every published release, from the read model's cards. */
export async function articlePaths(redis: Redis): Promise<{ path: string; story: string }[]> {
  const out: { path: string; story: string }[] = [];
  for (const lang of ['ru', 'en', 'kk']) {
    const ids = await redis.zrange(keys.releases.language(lang), '0', '-1');
    for (let i = 0; i < ids.length; i += 1000) {
      const cards = await redis.mget(ids.slice(i, i + 1000).map((id) => keys.releases.card(id)));
      for (const c of cards) {
        if (!c) continue;
        const card = JSON.parse(c) as { lang: string; slug: string; story: string };
        out.push({ path: `/${card.lang}/news/${encodeURIComponent(card.slug)}`, story: card.story });
      }
    }
  }
  return out;
}

let churnEdit = 0;

/**
 * Publishing churn while a case is measured: every second one source edit and one edit of a
 * published translation through the API (both are `writeRelease` + the same invalidation as
 * an approval's publish job). Counts what the writes answered.
 */
export function startChurn(
  base: string,
  auth: Record<string, string>,
  storyIds: string[],
  readBase?: string,
) {
  let stopped = false;
  // `stale`: reads through the second web process, right after an edit's 2xx from the first,
  // that still showed the old title (issue 15: must stay 0).
  const counts = { edits: 0, failed: 0, readsAfter2xx: 0, stale: 0 };
  const edit = async (lang: string) => {
    const id = storyIds[Math.floor(Math.random() * storyIds.length)];
    const story = (await (await fetch(`${base}/api/v1/stories/${id}`, { headers: auth })).json()) as {
      story: {
        languages: Record<string, { release: { revision: number; title: string; slug: string } | null }>;
      };
    };
    const edited = story.story.languages[lang]?.release ? lang : 'ru';
    const r = story.story.languages[edited].release!;
    const mark = `(${(++churnEdit).toString(36)}${Date.now().toString(36)})`;
    const res = await fetch(`${base}/api/v1/stories/${id}/${edited}`, {
      method: 'PATCH',
      headers: auth,
      body: JSON.stringify({
        baseRevision: r.revision,
        title: `${r.title.replace(/ \([0-9a-z]+\)$/, '')} ${mark}`,
      }),
    });
    await res.arrayBuffer();
    if (!res.ok) {
      counts.failed++;
      return;
    }
    counts.edits++;
    if (!readBase) return;
    const page = await fetch(`${readBase}/${edited}/news/${encodeURIComponent(r.slug)}`);
    counts.readsAfter2xx++;
    if (!(await page.text()).includes(mark)) counts.stale++;
  };
  const loop = (async () => {
    while (!stopped) {
      const t = Date.now();
      await Promise.all([edit('ru'), edit('en')]).catch(() => counts.failed++);
      await sleep(Math.max(0, 1000 - (Date.now() - t)));
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await loop;
      return counts;
    },
  };
}
