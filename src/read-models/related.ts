import type { AppContext } from '../context.js';
import { loadCards, splitReleaseId, type ReleaseCard } from './release-index.js';

/** How many related stories an article shows. */
export const RELATED_SHOWN = 4;
/** Candidates read from each list (each tag's, the section's) the article is on. */
const WINDOW = RELATED_SHOWN + 1;

type Listed = Pick<ReleaseCard, 'id' | 'lang' | 'section' | 'tagSlugs' | 'publishedAt'>;

/** The read-model lists a release is on besides its language's: each tag's and its section's. */
function listsOf(ctx: AppContext, card: Listed): string[] {
  const k = ctx.keys.releases;
  return [...(card.tagSlugs ?? []).map((t) => k.tag(card.lang, t)), k.section(card.lang, card.section)];
}

/** The ids of a pipeline's list replies, in order, without repeats. */
function idsOf(replies: [Error | null, unknown][] | null): string[] {
  return [...new Set((replies ?? []).flatMap(([err, ids]) => (err ? [] : (ids as string[]))))];
}

export interface Related {
  /** What the article shows: most tags in common first, then the newest. */
  shown: ReleaseCard[];
  /** Every story the choice was made from: the article's page changes when any of them does. */
  candidates: string[];
}

/**
 * Each list's position of a release, newest first (ZREVRANK: by score, then id, as listings
 * order them); null where the list does not hold it (yet).
 */
async function ranksOf(ctx: AppContext, lists: { key: string; id: string }[]): Promise<(number | null)[]> {
  const multi = ctx.redis.multi();
  for (const l of lists) multi.zrevrank(l.key, l.id);
  const replies = (await multi.exec()) ?? [];
  return lists.map((_, i) => (replies[i]?.[1] as number | null | undefined) ?? null);
}

/**
 * Related stories for an article, from the read model (a few sorted-set reads, no scan):
 * on each of its tag lists and its section list, the WINDOW releases of the same language
 * listed just after it (older, in listing order). Earlier stories only, so that publishing
 * today's story leaves yesterday's articles as they are; only a back-dated publication
 * changes an older article's choice (`relatedNeighbours` names those).
 */
export async function relatedReleases(ctx: AppContext, card: ReleaseCard): Promise<Related> {
  const lists = listsOf(ctx, card).map((key) => ({ key, id: card.id }));
  const ranks = await ranksOf(ctx, lists);
  const multi = ctx.redis.multi();
  lists.forEach((l, i) => {
    const rank = ranks[i];
    if (rank !== null) multi.zrevrange(l.key, rank + 1, rank + WINDOW);
    else multi.zrevrangebyscore(l.key, `(${Date.parse(card.publishedAt)}`, '-inf', 'LIMIT', 0, WINDOW);
  });
  const ids = idsOf(await multi.exec()).filter((id) => id !== card.id);
  const cards = (await loadCards(ctx, ids)).filter((c) => c.story !== card.story);
  const mine = new Set(card.tagSlugs ?? []);
  const shared = (c: ReleaseCard) => (c.tagSlugs ?? []).filter((t) => mine.has(t)).length;
  const shown = [...cards]
    .sort(
      (a, b) => shared(b) - shared(a) || b.publishedAt.localeCompare(a.publishedAt) || (a.id < b.id ? 1 : -1),
    )
    .slice(0, RELATED_SHOWN);
  return { shown, candidates: [...new Set(cards.map((c) => c.story))] };
}

/**
 * The stories whose related choice may now include these releases: on each list a release
 * is on, the WINDOW releases listed just before it (newer) — exactly those that read it
 * among their WINDOW older neighbours. A release leaving a choice needs no search: the page
 * showing it names it among its candidates.
 */
export async function relatedNeighbours(ctx: AppContext, cards: Listed[]): Promise<string[]> {
  if (cards.length === 0) return [];
  const lists = cards.flatMap((card) => listsOf(ctx, card).map((key) => ({ key, id: card.id })));
  const ranks = await ranksOf(ctx, lists);
  const multi = ctx.redis.multi();
  lists.forEach((l, i) => {
    const rank = ranks[i];
    if (rank !== null && rank > 0) multi.zrevrange(l.key, Math.max(0, rank - WINDOW), rank - 1);
  });
  const self = new Set(cards.map((c) => c.id));
  const ids = idsOf(await multi.exec()).filter((id) => !self.has(id));
  return [...new Set(ids.map((id) => splitReleaseId(id)[0]))];
}
