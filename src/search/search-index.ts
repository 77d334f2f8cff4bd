import { createHash } from 'node:crypto';
import type { AppContext } from '../context.js';
import { analyze } from '../language/index.js';
import { Release, type ReleaseDoc } from '../models/release.js';
import { dropReadModel } from '../redis/keys.js';
import { htmlToText } from './normalize.js';

/**
 * The search index the store cannot give us (FerretDB has no `$text`): a Redis inverted index
 * per language over the terms of src/language (folded, stemmed). Each term has a sorted set of
 * the published release ids containing it anywhere, scored by publication time, and one of
 * the ids having it in the title or lead (the heading), so ranking needs no document reads.
 * Every release change keeps it current (`applyReleaseChange`, first reaction to
 * `release.changed` in `src/outbox/handlers.ts`, and called by the write itself).
 */
/** What the index holds of a release. */
export interface IndexedDocument {
  lang: string;
  terms: string[];
  heading: string[];
  /** The body's text, for the snippet under a result (capped). */
  text: string;
  /** What the terms were made from and when it was published: equal means nothing to redo. */
  fingerprint?: string;
}

type Indexable = Pick<ReleaseDoc, 'lang' | 'title' | 'lead' | 'body' | 'tags'> & {
  publishedAt?: Date | null;
};

/** Names the indexed input exactly, so a repeated sync (the relay after the write) is a no-op. */
const fingerprintOf = (r: Indexable) =>
  createHash('sha1')
    .update(JSON.stringify([r.lang, r.title, r.lead ?? '', r.body, r.tags ?? [], r.publishedAt?.getTime()]))
    .digest('base64url');

const MAX_SNIPPET_SOURCE = 20_000;

/** What a reader can find a release by: title, lead, body text and tags, analysed in its language. */
export function indexedDocument(release: Indexable): IndexedDocument {
  const text = htmlToText(release.body);
  const heading = analyze(release.lang, `${release.title}\n${release.lead ?? ''}`);
  const terms = new Set([
    ...heading,
    ...analyze(release.lang, `${text}\n${(release.tags ?? []).join('\n')}`),
  ]);
  return {
    lang: release.lang,
    terms: [...terms],
    heading,
    text: text.slice(0, MAX_SNIPPET_SOURCE),
    fingerprint: fingerprintOf(release),
  };
}

type Multi = ReturnType<AppContext['redis']['multi']>;

function addPostings(ctx: AppContext, multi: Multi, id: string, doc: IndexedDocument, publishedAt: Date) {
  const k = ctx.keys.search;
  const score = publishedAt.getTime();
  for (const term of doc.terms) multi.zadd(k.postings(doc.lang, term), score, id);
  for (const term of doc.heading) multi.zadd(k.headingPostings(doc.lang, term), 1, id);
  multi.set(k.document(id), JSON.stringify(doc));
}

/**
 * Brings one release's postings in line with MongoDB: indexed when published, gone
 * otherwise. Reads the current document, so it is idempotent and safe to run late or twice.
 *
 * Two syncs of one release can overlap (the write's own and the relay's for an earlier
 * revision): one that read the document before a newer write may put its postings back after
 * the newer sync removed them. So a sync that wrote reads the document again and, when it
 * moved on meanwhile, syncs once more: the last sync to finish has then seen the last write.
 */
export async function syncSearchIndex(
  ctx: AppContext,
  releaseId: string,
  /** The current document when the caller has just written it (saves a lookup). */
  current?: ReleaseDoc,
): Promise<void> {
  let release = current ?? (await Release.findById(releaseId).lean<ReleaseDoc>());
  for (let pass = 0; pass < 3; pass++) {
    if (!(await syncOnce(ctx, releaseId, release))) return;
    // Only the two fields that say whether it moved on: the whole document only if it did.
    const now = await Release.findById(releaseId, { revision: 1, status: 1 }).lean<ReleaseDoc>();
    if (now?.revision === release?.revision && now?.status === release?.status) return;
    release = now && (await Release.findById(releaseId).lean<ReleaseDoc>());
  }
}

/** One sync from `release` as read; false when there was nothing to write. */
async function syncOnce(ctx: AppContext, releaseId: string, release: ReleaseDoc | null): Promise<boolean> {
  const k = ctx.keys.search;
  const previousJson = await ctx.redis.get(k.document(releaseId));
  const previous = previousJson ? (JSON.parse(previousJson) as Partial<IndexedDocument>) : undefined;
  const live = release?.status === 'published' && release.publishedAt ? release : undefined;
  // Unchanged since it was indexed: the relay's repeat of the write's own sync, or a status or
  // people change. Analysing the body again would cost the most of a change's work for nothing.
  if (live && previous?.fingerprint && previous.fingerprint === fingerprintOf(live)) return false;
  if (!live && !previous) return false;
  const doc = live ? indexedDocument(live) : undefined;
  const multi = ctx.redis.multi();
  if (previous?.lang) {
    // Same language and time: only the terms that left are removed (the rest are re-added as is).
    const same = doc && previous.lang === doc.lang && previous.fingerprint !== undefined;
    const keep = new Set(same ? doc.terms : []);
    const keepHeading = new Set(same ? doc.heading : []);
    for (const term of previous.terms ?? [])
      if (!keep.has(term)) multi.zrem(k.postings(previous.lang, term), releaseId);
    for (const term of previous.heading ?? [])
      if (!keepHeading.has(term)) multi.zrem(k.headingPostings(previous.lang, term), releaseId);
  }
  if (live && doc) addPostings(ctx, multi, releaseId, doc, live.publishedAt!);
  else multi.del(k.document(releaseId));
  multi.incr(k.generation());
  await multi.exec();
  return true;
}

/** Rebuilds the whole search index from MongoDB (a fresh or flushed Redis, or `reindex`). */
export async function rebuildSearchIndex(ctx: AppContext): Promise<number> {
  const k = ctx.keys.search;
  await dropReadModel(ctx.redis, ctx.keys, 'search');
  let count = 0;
  let multi = ctx.redis.multi();
  for await (const release of Release.find({ status: 'published' }).lean<ReleaseDoc[]>().cursor()) {
    if (!release.publishedAt) continue;
    addPostings(ctx, multi, release._id, indexedDocument(release), release.publishedAt);
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
  if (!(await ctx.redis.exists(ctx.keys.search.built()))) {
    const n = await rebuildSearchIndex(ctx);
    ctx.log.info(`rebuilt the search index from MongoDB (${n} releases)`);
  }
}

/** Snippet sources of some indexed releases, by id (one MGET). */
export async function indexedTexts(ctx: AppContext, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const raw = await ctx.redis.mget(ids.map((id) => ctx.keys.search.document(id)));
  return new Map(
    ids.flatMap((id, i) => (raw[i] ? [[id, (JSON.parse(raw[i]) as IndexedDocument).text ?? '']] : [])),
  );
}
