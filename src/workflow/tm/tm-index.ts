import { createHash } from 'node:crypto';
import type { ChainableCommander } from 'ioredis';
import type { AppContext } from '../../context.js';
import { normalizeSegment } from '../similarity.js';
import { bandKeys } from './tm-minhash.js';

/**
 * The translation memory's Redis read model (rebuildable from MongoDB by `ensureMemoryIndex`):
 *
 * - `tm:<pair>:e` hash: source hash → the entry as the matcher needs it (JSON), so exact
 *   and fuzzy lookups never touch MongoDB;
 * - `tm:<pair>:b2:<band key>` sorted sets: the entries whose MinHash band (over 4-grams,
 *   `tm-minhash.ts`) has that value, newest first, capped at `BUCKET_CAP`, so a lookup reads a
 *   bounded number of ids however large the memory grows;
 * - `tm:built:v2`: set once the index was built from MongoDB in this layout (the v1 layout,
 *   trigram bands under `…:b:…`, is replaced by `ensureMemoryIndex`).
 *
 * The cap is by recency, which only costs recall when a bucket overflows; 4-gram bands keep
 * buckets small enough that a near-duplicate shares an unfilled bucket with its original even
 * at a million entries (docs/benchmarks.md), so the simple rule stays.
 */

/** Newest entries kept per bucket: bounds lookup cost; older near-duplicates fall out first. */
export const BUCKET_CAP = 40;
/** Entries scored per lookup: the ones sharing the most bands with the query. */
export const MAX_CANDIDATES = 50;

export interface IndexedEntry {
  /** The MongoDB `_id`. */
  id: string;
  s: string;
  t: string;
  /** Context hashes. */
  c?: string[];
  /** Story id. */
  st?: string;
  /** When the pair was approved (ISO), shown beside a suggestion. */
  a?: string;
}

/** Hex SHA-256 of the normalised source: the key of exact matches. */
export const sourceHash = (source: string) =>
  createHash('sha256').update(normalizeSegment(source)).digest('hex');

/** The hash of a segment's neighbours (previous and next source), for context matches. */
export const contextHash = (prev = '', next = '') =>
  createHash('sha256')
    .update(`${normalizeSegment(prev)}\u0000${normalizeSegment(next)}`)
    .digest('base64url')
    .slice(0, 16);

/** An entry to index and its bucket score (newer is higher: a bucket keeps its newest). */
export interface ScoredEntry {
  entry: IndexedEntry;
  at: number;
}

/**
 * Queues the commands that add or replace entries (idempotent): one HSET for all, then per
 * bucket touched one ZADD of its new members and one trim to `BUCKET_CAP`. The end state is the
 * same as adding the entries one by one (a bucket keeps the newest by score either way).
 */
function queueEntries(
  pipe: ChainableCommander,
  keys: AppContext['keys'],
  pair: string,
  items: ScoredEntry[],
) {
  const fields: string[] = [];
  const buckets = new Map<string, (string | number)[]>();
  for (const { entry, at } of items) {
    const hash = sourceHash(entry.s);
    fields.push(hash, JSON.stringify(entry));
    for (const band of bandKeys(entry.s)) {
      const members = buckets.get(band) ?? [];
      members.push(at, hash);
      buckets.set(band, members);
    }
  }
  if (fields.length) pipe.hset(keys.tm.entries(pair), ...fields);
  for (const [band, members] of buckets) {
    pipe.zadd(keys.tm.bucket(pair, band), ...members);
    pipe.zremrangebyrank(keys.tm.bucket(pair, band), 0, -(BUCKET_CAP + 1));
  }
}

/** Adds or replaces an entry in the index (idempotent; one MULTI). */
export async function indexEntry(ctx: AppContext, pair: string, entry: IndexedEntry): Promise<void> {
  const multi = ctx.redis.multi();
  queueEntries(multi, ctx.keys, pair, [{ entry, at: Date.now() }]);
  await multi.exec();
}

/**
 * Adds or replaces many entries in one pipeline (a rebuild, a bulk load such as the
 * benchmark's million entries): a few commands per bucket instead of 41 per entry.
 */
export async function indexEntries(ctx: AppContext, pair: string, items: ScoredEntry[]): Promise<void> {
  if (items.length === 0) return;
  const pipe = ctx.redis.pipeline();
  queueEntries(pipe, ctx.keys, pair, items);
  for (const [err] of (await pipe.exec()) ?? []) if (err) throw err;
}

export async function unindexEntry(ctx: AppContext, pair: string, source: string): Promise<void> {
  const k = ctx.keys.tm;
  const hash = sourceHash(source);
  const multi = ctx.redis.multi();
  multi.hdel(k.entries(pair), hash);
  for (const band of bandKeys(source)) multi.zrem(k.bucket(pair, band), hash);
  await multi.exec();
}

export async function indexedExact(ctx: AppContext, pair: string, source: string) {
  const raw = await ctx.redis.hget(ctx.keys.tm.entries(pair), sourceHash(source));
  return raw ? (JSON.parse(raw) as IndexedEntry) : null;
}

/** What one fuzzy lookup examined (the benchmark shows it stays bounded as the memory grows). */
export interface CandidateStats {
  /** Bucket members read (at most BANDS × BUCKET_CAP). */
  read: number;
  /** Distinct entries among them. */
  distinct: number;
  /** Entries fetched and scored (at most MAX_CANDIDATES). */
  scored: number;
}

/**
 * The entries sharing the most MinHash bands with `source`, the exact match excluded; ties
 * go to the newest (buckets are read newest first and the sort is stable).
 */
export async function fuzzyCandidates(
  ctx: AppContext,
  pair: string,
  source: string,
  stats?: CandidateStats,
): Promise<IndexedEntry[]> {
  const k = ctx.keys.tm;
  const bands = bandKeys(source);
  if (bands.length === 0) return [];
  const pipe = ctx.redis.pipeline();
  for (const band of bands) pipe.zrevrange(k.bucket(pair, band), 0, -1);
  const results = (await pipe.exec()) ?? [];
  const own = sourceHash(source);
  const hits = new Map<string, number>();
  let read = 0;
  for (const [err, ids] of results) {
    if (err) throw err;
    read += (ids as string[]).length;
    for (const id of ids as string[]) if (id !== own) hits.set(id, (hits.get(id) ?? 0) + 1);
  }
  const best = [...hits]
    .sort((a, b) => b[1] - a[1])
    .slice(0, MAX_CANDIDATES)
    .map(([id]) => id);
  if (stats) Object.assign(stats, { read, distinct: hits.size, scored: best.length });
  if (best.length === 0) return [];
  const raw = await ctx.redis.hmget(k.entries(pair), ...best);
  return raw.filter((e): e is string => e !== null).map((e) => JSON.parse(e) as IndexedEntry);
}
