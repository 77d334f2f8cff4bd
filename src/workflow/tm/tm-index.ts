import { createHash } from 'node:crypto';
import type { AppContext } from '../../context.js';
import { normalizeSegment } from '../similarity.js';
import { bandKeys } from './tm-minhash.js';

/**
 * The translation memory's Redis read model (rebuildable from MongoDB by `ensureMemoryIndex`):
 *
 * - `tm:<pair>:e` hash: source hash → the entry as the matcher needs it (JSON), so exact
 *   and fuzzy lookups never touch MongoDB;
 * - `tm:<pair>:b:<band key>` sorted sets: the entries whose MinHash band has that value,
 *   newest first, capped at `BUCKET_CAP`, so a lookup reads a bounded number of ids
 *   however large the memory grows;
 * - `tm:built`: set once the index was built from MongoDB.
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

/** Adds or replaces an entry in the index (idempotent). */
export async function indexEntry(ctx: AppContext, pair: string, entry: IndexedEntry): Promise<void> {
  const k = ctx.keys.tm;
  const hash = sourceHash(entry.s);
  const now = Date.now();
  const multi = ctx.redis.multi();
  multi.hset(k.entries(pair), hash, JSON.stringify(entry));
  for (const band of bandKeys(entry.s)) {
    multi.zadd(k.bucket(pair, band), now, hash);
    multi.zremrangebyrank(k.bucket(pair, band), 0, -(BUCKET_CAP + 1));
  }
  await multi.exec();
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

/**
 * The entries sharing the most MinHash bands with `source`, the exact match excluded; ties
 * go to the newest (buckets are read newest first and the sort is stable).
 */
export async function fuzzyCandidates(
  ctx: AppContext,
  pair: string,
  source: string,
): Promise<IndexedEntry[]> {
  const k = ctx.keys.tm;
  const bands = bandKeys(source);
  if (bands.length === 0) return [];
  const pipe = ctx.redis.pipeline();
  for (const band of bands) pipe.zrevrange(k.bucket(pair, band), 0, -1);
  const results = (await pipe.exec()) ?? [];
  const own = sourceHash(source);
  const hits = new Map<string, number>();
  for (const [err, ids] of results) {
    if (err) throw err;
    for (const id of ids as string[]) if (id !== own) hits.set(id, (hits.get(id) ?? 0) + 1);
  }
  if (hits.size === 0) return [];
  const best = [...hits]
    .sort((a, b) => b[1] - a[1])
    .slice(0, MAX_CANDIDATES)
    .map(([id]) => id);
  const raw = await ctx.redis.hmget(k.entries(pair), ...best);
  return raw.filter((e): e is string => e !== null).map((e) => JSON.parse(e) as IndexedEntry);
}
