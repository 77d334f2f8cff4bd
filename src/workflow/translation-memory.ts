import type { AppContext } from '../context.js';
import { scanKeys } from '../redis/keys.js';
import { TmEntry, type TmEntryDoc, type TmOrigin } from '../models/tm-entry.js';
import type { Suggestion } from '../models/translation-task.js';
import { normalizeSegment } from './similarity.js';
import {
  contextHash,
  fuzzyCandidates,
  indexEntries,
  indexEntry,
  indexedExact,
  sourceHash,
  type CandidateStats,
  type IndexedEntry,
  type ScoredEntry,
} from './tm/tm-index.js';
import { FUZZY_MIN_PERCENT, diffSources, scoreMatch } from './tm/tm-score.js';

/**
 * The translation memory: approved segment pairs per language pair. MongoDB holds the
 * entries (`TmEntry`, the source of truth, browsed and edited on the TM screen); Redis holds
 * the matcher's read model (`tm/tm-index.ts`: entries by source hash, MinHash buckets).
 *
 * The suggestion API the workbench consumes is `lookupMemory(ctx, pair, source, context?)`
 * → `Suggestion[]`, best first: a 101 % context match or 100 % exact match, then fuzzy
 * matches of 75 % and above with band, penalties and a diff of the sources.
 */

/** Kept for callers that import it: the lowest fuzzy score offered, as a fraction. */
export const FUZZY_THRESHOLD = FUZZY_MIN_PERCENT / 100;
const MAX_SUGGESTIONS = 5;
/** Distinct neighbour contexts remembered per entry. */
const MAX_CONTEXTS = 20;

export const tmEntryId = (pair: string, source: string) => `${pair}:${sourceHash(source)}`;

/** The segments around the one being looked up or stored, for 101 % context matches. */
export interface SegmentContext {
  prev?: string;
  next?: string;
}

/** The sources before and after segment `at`: what a 101 % context match compares. */
export const neighbours = (segments: { source: string }[], at: number) => ({
  prev: segments[at - 1]?.source ?? '',
  next: segments[at + 1]?.source ?? '',
});

export interface MemoryPair extends SegmentContext {
  source: string;
  target: string;
  tags?: Record<string, string>;
  note?: string;
  /** Who wrote this target when not the provenance's author (a reviewer's correction). */
  by?: string;
}

export interface MemoryProvenance {
  origin?: TmOrigin;
  story?: string;
  /** User id (or `system`) recorded as the author of the change. */
  by?: string;
  file?: string;
}

/**
 * Adds (or updates) approved pairs. Idempotent, so a retried publish job changes nothing;
 * a re-added source keeps its creation record and gains the new context.
 */
export async function addToMemory(
  ctx: AppContext,
  pair: string,
  pairs: MemoryPair[],
  taskId?: string,
  provenance: MemoryProvenance = {},
): Promise<number> {
  let added = 0;
  for (const p of pairs) {
    const source = normalizeSegment(p.source);
    if (!source || !p.target.trim()) continue;
    const _id = tmEntryId(pair, source);
    const old = await TmEntry.findById(_id).lean<TmEntryDoc>();
    const context = p.prev !== undefined || p.next !== undefined ? contextHash(p.prev, p.next) : undefined;
    const contexts = [...new Set([...(old?.contexts ?? []), ...(context ? [context] : [])])].slice(
      -MAX_CONTEXTS,
    );
    const now = new Date();
    const by = p.by ?? provenance.by ?? 'system';
    const doc: TmEntryDoc = {
      _id,
      pair,
      source,
      target: p.target,
      ...(p.tags && Object.keys(p.tags).length ? { tags: p.tags } : old?.tags ? { tags: old.tags } : {}),
      origin: provenance.origin ?? (taskId ? 'task' : 'edit'),
      ...(provenance.story ? { story: provenance.story } : old?.story ? { story: old.story } : {}),
      ...(taskId ? { task: taskId } : {}),
      ...(provenance.file ? { file: provenance.file } : {}),
      ...(contexts.length ? { contexts } : {}),
      ...(p.note || old?.note ? { note: p.note || old?.note } : {}),
      createdAt: old?.createdAt ?? now,
      createdBy: old?.createdBy ?? by,
      at: now,
      by,
    };
    await TmEntry.replaceOne({ _id }, doc, { upsert: true });
    await indexEntry(ctx, pair, indexedOf(doc));
    added++;
  }
  return added;
}

export const indexedOf = (e: TmEntryDoc): IndexedEntry => ({
  id: e._id,
  s: e.source,
  t: e.target,
  ...(e.contexts?.length ? { c: e.contexts } : {}),
  ...(e.story ? { st: e.story } : {}),
  ...(e.at ? { a: new Date(e.at).toISOString() } : {}),
});

function suggestionOf(e: IndexedEntry, query: string, context: string | undefined): Suggestion | null {
  const m = scoreMatch(query, e.s, context !== undefined && (e.c ?? []).includes(context));
  if (!m.band) return null;
  return {
    source: e.s,
    target: e.t,
    score: m.percent / 100,
    kind: 'tm',
    band: m.band,
    ...(m.penalties.length ? { penalties: m.penalties } : {}),
    entryId: e.id,
    ...(e.st ? { story: e.st } : {}),
    ...(e.a ? { at: e.a } : {}),
  };
}

/**
 * Context or exact match first, then fuzzy matches of 75 % and above, best first. `stats`,
 * when given, receives what the fuzzy side examined (`bench/tm-lookup.bench.ts`).
 */
export async function lookupMemory(
  ctx: AppContext,
  pair: string,
  source: string,
  around?: SegmentContext,
  stats?: CandidateStats,
): Promise<Suggestion[]> {
  if (!normalizeSegment(source)) return [];
  const context = around ? contextHash(around.prev, around.next) : undefined;
  const [exact, candidates] = await Promise.all([
    indexedExact(ctx, pair, source),
    fuzzyCandidates(ctx, pair, source, stats),
  ]);
  const out: Suggestion[] = [];
  if (exact) out.push(suggestionOf(exact, source, context)!);
  const fuzzy = candidates
    .map((e) => suggestionOf(e, source, context))
    .filter((s): s is Suggestion => s !== null)
    .sort((a, b) => b.score - a.score);
  // Diffs only for what is shown: the word diff costs more than the score.
  return [...out, ...fuzzy]
    .slice(0, MAX_SUGGESTIONS)
    .map((s) => (s.score < 1 ? { ...s, diff: diffSources(s.source, normalizeSegment(source)) } : s));
}

/**
 * Rebuilds the Redis index from MongoDB when this Redis does not have it (or `force`, for
 * `newsroom reindex`): in batches per pair, each entry scored by when it was last approved, so
 * buckets keep the newest as they did. Also the migration from an older bucket layout: the
 * new buckets are filled first, from MongoDB, while the old ones are left alone; only then are
 * the old ones deleted. Nothing is dropped before it has been written again, so an
 * interrupted rebuild loses no entry and simply runs again at the next start.
 */
export async function ensureMemoryIndex(ctx: AppContext, force = false): Promise<number> {
  const k = ctx.keys.tm;
  if (!force && (await ctx.redis.exists(k.built()))) return 0;
  let n = 0;
  const batches = new Map<string, ScoredEntry[]>();
  for await (const e of TmEntry.find().lean<TmEntryDoc>().cursor()) {
    if (e.deletedAt) continue;
    const batch = batches.get(e.pair) ?? [];
    batch.push({ entry: indexedOf(e), at: new Date(e.at).getTime() || 0 });
    batches.set(e.pair, batch);
    if (batch.length >= 500) await indexEntries(ctx, e.pair, batches.get(e.pair)!.splice(0));
    n++;
  }
  for (const [pair, batch] of batches) await indexEntries(ctx, pair, batch);
  await ctx.redis.set(k.built(), new Date().toISOString());
  for await (const keys of scanKeys(ctx.redis, k.legacy.bucketPattern())) await ctx.redis.unlink(...keys);
  await ctx.redis.unlink(k.legacy.built());
  return n;
}
