import { createHash } from 'node:crypto';
import type { AppContext } from '../context.js';
import { Release, type ReleaseDoc } from '../models/release.js';
import { onOutboxEvent } from '../outbox/outbox.js';
import { htmlToText, tokenize } from './normalize.js';

/**
 * The search index the store cannot give us (FerretDB has no `$text`): a Redis inverted index
 * per language. Each normalised token has a sorted set of the published release ids that
 * contain it, scored by publication time, so a result list is already newest first; a
 * per-language vocabulary (a lexicographic sorted set) turns each query word into a prefix
 * match. Publishing keeps it current through the `release.changed` outbox event.
 */
export const searchKeys = (ctx: Pick<AppContext, 'key'>) => ({
  postings: (lang: string, token: string) => ctx.key('search', lang, 't', token),
  vocabulary: (lang: string) => ctx.key('search', lang, 'vocab'),
  /** What was indexed for a release (lang and tokens), to take it out again. */
  document: (releaseId: string) => ctx.key('search', 'doc', releaseId),
  /** Bumped on every index change; query results are cached under it. */
  generation: () => ctx.key('search', 'gen'),
  result: (lang: string, generation: string, query: string) =>
    ctx.key('search', lang, 'q', generation, createHash('sha1').update(query).digest('base64url')),
  built: () => ctx.key('search', 'built'),
  all: () => `${ctx.key('search')}:*`,
});

interface IndexedDocument {
  lang: string;
  tokens: string[];
}

/** The tokens a reader can find a release by: title, lead, body text and tags. */
export function releaseTokens(release: Pick<ReleaseDoc, 'title' | 'lead' | 'body' | 'tags'>): string[] {
  return tokenize(
    [release.title, release.lead ?? '', htmlToText(release.body), ...(release.tags ?? [])].join(' '),
  );
}

/**
 * Brings one release's postings in line with MongoDB: indexed when published, gone
 * otherwise. Reads the current document, so it is idempotent and safe to run late or twice.
 */
export async function syncSearchIndex(
  ctx: AppContext,
  releaseId: string,
  /** The current document when the caller has just written it (saves a lookup). */
  current?: ReleaseDoc,
): Promise<void> {
  const k = searchKeys(ctx);
  const release = current ?? (await Release.findById(releaseId).lean<ReleaseDoc>());
  const previousJson = await ctx.redis.get(k.document(releaseId));
  const previous = previousJson ? (JSON.parse(previousJson) as IndexedDocument) : undefined;
  const multi = ctx.redis.multi();
  const published = release?.status === 'published' && release.publishedAt;
  const tokens = published ? releaseTokens(release) : [];
  const keep = new Set(published && previous?.lang === release.lang ? tokens : []);
  for (const token of previous?.tokens ?? []) {
    if (!keep.has(token)) multi.zrem(k.postings(previous!.lang, token), releaseId);
  }
  if (published) {
    const score = release.publishedAt!.getTime();
    for (const token of tokens) multi.zadd(k.postings(release.lang, token), score, releaseId);
    if (tokens.length) multi.zadd(k.vocabulary(release.lang), ...tokens.flatMap((t) => [0, t]));
    multi.set(
      k.document(releaseId),
      JSON.stringify({ lang: release.lang, tokens } satisfies IndexedDocument),
    );
  } else {
    multi.del(k.document(releaseId));
  }
  multi.incr(k.generation());
  await multi.exec();
}

/** Rebuilds the whole search index from MongoDB (a fresh or flushed Redis, or `reindex`). */
export async function rebuildSearchIndex(ctx: AppContext): Promise<number> {
  const k = searchKeys(ctx);
  let cursor = '0';
  do {
    const [next, keys] = await ctx.redis.scan(cursor, 'MATCH', k.all(), 'COUNT', 1000);
    cursor = next;
    if (keys.length) await ctx.redis.del(...keys);
  } while (cursor !== '0');
  let count = 0;
  let multi = ctx.redis.multi();
  for await (const release of Release.find({ status: 'published' }).lean<ReleaseDoc[]>().cursor()) {
    if (!release.publishedAt) continue;
    const tokens = releaseTokens(release);
    const score = release.publishedAt.getTime();
    for (const token of tokens) multi.zadd(k.postings(release.lang, token), score, release._id);
    if (tokens.length) multi.zadd(k.vocabulary(release.lang), ...tokens.flatMap((t) => [0, t]));
    multi.set(k.document(release._id), JSON.stringify({ lang: release.lang, tokens }));
    if (++count % 200 === 0) {
      await multi.exec();
      multi = ctx.redis.multi();
    }
  }
  multi.incr(k.generation());
  multi.set(k.built(), new Date().toISOString());
  await multi.exec();
  return count;
}

/** Rebuilds the search index at start when Redis does not have it. */
export async function ensureSearchIndex(ctx: AppContext): Promise<void> {
  if (!(await ctx.redis.exists(searchKeys(ctx).built()))) {
    const n = await rebuildSearchIndex(ctx);
    ctx.log.info(`rebuilt the search index from MongoDB (${n} releases)`);
  }
}

onOutboxEvent('release.changed', async (payload, ctx) => {
  await syncSearchIndex(ctx, String(payload.releaseId));
});
