import { createHash } from 'node:crypto';
import type { AppContext } from '../context.js';
import { TmEntry } from '../models/tm-entry.js';
import type { Suggestion } from '../models/translation-task.js';
import { normalizeSegment, similarity } from './similarity.js';

/**
 * The translation memory: approved segment pairs per language pair. MongoDB holds the
 * entries (`TmEntry`, exact match = point lookup by id); Redis holds a word index for fuzzy
 * matching (`tm:<pair>:w:<word>` → entry ids, `tm:<pair>:e` → entry JSON), rebuilt from
 * MongoDB when missing.
 */

export const FUZZY_THRESHOLD = 0.75;
const MAX_SUGGESTIONS = 3;
const MAX_CANDIDATES = 20;
/** Words in more entries than this say nothing about similarity (stop words). */
const MAX_POSTINGS = 5_000;

export const tmEntryId = (pair: string, source: string) =>
  `${pair}:${createHash('sha256').update(normalizeSegment(source)).digest('hex')}`;

const tmKeys = (ctx: Pick<AppContext, 'key'>, pair: string) => ({
  word: (w: string) => ctx.key('tm', pair, 'w', w),
  entries: () => ctx.key('tm', pair, 'e'),
  built: () => ctx.key('tm', 'built'),
});

const wordsOf = (text: string) => [
  ...new Set(
    text
      .replace(/\{\/?\d+\/?\}/g, ' ')
      .toLowerCase()
      .match(/[\p{L}\p{N}]{3,}/gu) ?? [],
  ),
];

/** Adds (or replaces) approved pairs; idempotent, so a retried publish job changes nothing. */
export async function addToMemory(
  ctx: AppContext,
  pair: string,
  pairs: { source: string; target: string }[],
  taskId?: string,
): Promise<void> {
  for (const { source, target } of pairs) {
    if (!source.trim() || !target.trim()) continue;
    const _id = tmEntryId(pair, source);
    await TmEntry.replaceOne(
      { _id },
      { _id, pair, source: normalizeSegment(source), target, task: taskId, at: new Date() },
      { upsert: true },
    );
    await indexEntry(ctx, pair, _id, normalizeSegment(source), target);
  }
}

async function indexEntry(ctx: AppContext, pair: string, id: string, source: string, target: string) {
  const k = tmKeys(ctx, pair);
  const multi = ctx.redis.multi();
  multi.hset(k.entries(), id, JSON.stringify({ s: source, t: target }));
  for (const w of wordsOf(source)) multi.sadd(k.word(w), id);
  await multi.exec();
}

/** Exact match first (score 1), then fuzzy matches of 75 % and above, best first. */
export async function lookupMemory(ctx: AppContext, pair: string, source: string): Promise<Suggestion[]> {
  const exact = await TmEntry.findById(tmEntryId(pair, source)).lean();
  const out: Suggestion[] = exact ? [{ source: exact.source, target: exact.target, score: 1 }] : [];
  const k = tmKeys(ctx, pair);
  const words = wordsOf(source).slice(0, 40);
  if (words.length === 0) return out;
  const sizes = await Promise.all(words.map((w) => ctx.redis.scard(k.word(w))));
  const useful = words.filter((_, i) => sizes[i] > 0 && sizes[i] <= MAX_POSTINGS);
  if (useful.length === 0) return out;
  const postings = await Promise.all(useful.map((w) => ctx.redis.smembers(k.word(w))));
  const hits = new Map<string, number>();
  for (const ids of postings) for (const id of ids) hits.set(id, (hits.get(id) ?? 0) + 1);
  const candidates = [...hits]
    .filter(([id, n]) => n >= Math.ceil(useful.length / 2) && id !== exact?._id)
    .sort((a, b) => b[1] - a[1])
    .slice(0, MAX_CANDIDATES)
    .map(([id]) => id);
  if (candidates.length === 0) return out;
  const entries = await ctx.redis.hmget(k.entries(), ...candidates);
  const fuzzy = entries
    .filter((e): e is string => e !== null)
    .map((e) => JSON.parse(e) as { s: string; t: string })
    .map((e) => ({ source: e.s, target: e.t, score: Math.round(similarity(source, e.s) * 100) / 100 }))
    .filter((s) => s.score >= FUZZY_THRESHOLD && s.score < 1)
    .sort((a, b) => b.score - a.score);
  return [...out, ...fuzzy].slice(0, MAX_SUGGESTIONS);
}

/** Rebuilds the Redis fuzzy index from MongoDB when this Redis does not have it. */
export async function ensureMemoryIndex(ctx: AppContext): Promise<void> {
  if (await ctx.redis.exists(tmKeys(ctx, '').built())) return;
  for await (const e of TmEntry.find().lean().cursor()) {
    await indexEntry(ctx, e.pair, e._id, e.source, e.target);
  }
  await ctx.redis.set(tmKeys(ctx, '').built(), new Date().toISOString());
}
