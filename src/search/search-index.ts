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
 * otherwise. Reads the current document unless the caller has it, so it is idempotent and
 * safe to run late or twice.
 *
 * Two syncs of one release can overlap (the write's own and the relay's for an earlier
 * revision). Every change of a release is a new revision (`writeRelease`), so the index keeps
 * the revision it last applied, and a sync applies only atomically against what it read
 * (`APPLY_SYNC`): one that read an older revision than the one applied changes nothing, and
 * one that lost a race to another sync reads Redis again and recomputes, never MongoDB.
 */
export async function syncSearchIndex(
  ctx: AppContext,
  releaseId: string,
  /** The current document when the caller has just written it (saves a lookup). */
  current?: ReleaseDoc,
): Promise<void> {
  const release = current ?? (await Release.findById(releaseId).lean<ReleaseDoc>());
  // Each lost race means another sync applied in between; a few are plenty.
  for (let attempt = 0; attempt < 8; attempt++) {
    if (await syncOnce(ctx, releaseId, release)) return;
  }
  throw new Error(`search index: release ${releaseId} kept changing under its sync`);
}

/** One sync from `release` as read; false when another sync applied since Redis was read. */
async function syncOnce(ctx: AppContext, releaseId: string, release: ReleaseDoc | null): Promise<boolean> {
  const k = ctx.keys.search;
  // Both at once (MULTI): a document read from before another sync with the revision read
  // from after it would pass the script's check with the wrong postings to take out.
  const read = await ctx.redis.multi().get(k.document(releaseId)).hget(k.revisions(), releaseId).exec();
  const failed = !read ? new Error('search index: the read was discarded') : (read[0][0] ?? read[1][0]);
  if (failed) throw failed;
  const previousJson = read![0][1] as string | null;
  const known = read![1][1] as string | null;
  // A newer revision is indexed already: this sync read the document before it was written.
  if (known !== null && release && Number(known) > release.revision) return true;
  const revision = release ? String(release.revision) : '';
  const previous = previousJson ? (JSON.parse(previousJson) as Partial<IndexedDocument>) : undefined;
  const live = release?.status === 'published' && release.publishedAt ? release : undefined;
  // Unchanged since it was indexed: the relay's repeat of the write's own sync, or a status or
  // people change. Analysing the body again would cost the most of a change's work for nothing.
  const unchanged =
    (live && previous?.fingerprint !== undefined && previous.fingerprint === fingerprintOf(live)) ||
    (!live && !previous);
  if (unchanged && (known ?? '') === revision) return true;
  const removals: string[] = [];
  const additions: string[] = [];
  const doc = live && !unchanged ? indexedDocument(live) : undefined;
  if (!unchanged) {
    if (previous?.lang) {
      // Same language and time: only the terms that left are removed (the rest are re-added as is).
      const same = doc && previous.lang === doc.lang && previous.fingerprint !== undefined;
      const keep = new Set(same ? doc.terms : []);
      const keepHeading = new Set(same ? doc.heading : []);
      for (const term of previous.terms ?? [])
        if (!keep.has(term)) removals.push(k.postings(previous.lang, term));
      for (const term of previous.heading ?? [])
        if (!keepHeading.has(term)) removals.push(k.headingPostings(previous.lang, term));
    }
    if (doc) {
      for (const term of doc.terms) additions.push(k.postings(doc.lang, term));
      for (const term of doc.heading) additions.push(k.headingPostings(doc.lang, term));
    }
  }
  const applied = await ctx.redis.eval(
    APPLY_SYNC,
    3,
    k.revisions(),
    k.document(releaseId),
    k.generation(),
    releaseId,
    known ?? '',
    revision,
    unchanged ? 'keep' : doc ? JSON.stringify(doc) : '',
    live ? String(live.publishedAt!.getTime()) : '0',
    String(removals.length),
    String(doc?.terms.length ?? 0),
    ...removals,
    ...additions,
  );
  return applied === 1;
}

/**
 * Applies one sync if the release's indexed revision is still the one the sync read (else
 * 0: the caller reads again). KEYS: revisions, document, generation. ARGV: release id, the
 * revision read ('' = none), the revision applied ('' = no document), the document JSON
 * ('keep' = only the revision moves; '' = not public), score, number of posting keys to
 * leave, number of term postings among the additions, then the keys to leave, the term
 * postings and the heading postings to join.
 */
const APPLY_SYNC = `
local known = redis.call('HGET', KEYS[1], ARGV[1]) or ''
if known ~= ARGV[2] then return 0 end
if ARGV[3] ~= '' then redis.call('HSET', KEYS[1], ARGV[1], ARGV[3]) else redis.call('HDEL', KEYS[1], ARGV[1]) end
if ARGV[4] == 'keep' then return 1 end
local removals = tonumber(ARGV[6])
local terms = tonumber(ARGV[7])
local first = 8
for i = first, first + removals - 1 do redis.call('ZREM', ARGV[i], ARGV[1]) end
for i = first + removals, first + removals + terms - 1 do redis.call('ZADD', ARGV[i], ARGV[5], ARGV[1]) end
for i = first + removals + terms, #ARGV do redis.call('ZADD', ARGV[i], 1, ARGV[1]) end
if ARGV[4] ~= '' then redis.call('SET', KEYS[2], ARGV[4]) else redis.call('DEL', KEYS[2]) end
redis.call('INCR', KEYS[3])
return 1
`;

/** Rebuilds the whole search index from MongoDB (a fresh or flushed Redis, or `reindex`). */
export async function rebuildSearchIndex(ctx: AppContext): Promise<number> {
  const k = ctx.keys.search;
  await dropReadModel(ctx.redis, ctx.keys, 'search');
  let count = 0;
  let multi = ctx.redis.multi();
  for await (const release of Release.find({ status: 'published' }).lean<ReleaseDoc[]>().cursor()) {
    if (!release.publishedAt) continue;
    addPostings(ctx, multi, release._id, indexedDocument(release), release.publishedAt);
    multi.hset(k.revisions(), release._id, String(release.revision));
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
