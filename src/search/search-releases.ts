import type { AppContext } from '../context.js';
import { analyzeQuery } from '../language/index.js';
import { type Cursor, pageOfSortedSet, type SortedSetPage } from '../presenters/cursor.js';

const MAX_WORDS = 8;
const RESULT_TTL_SECONDS = 120;
/**
 * Rank = HEADING_WEIGHT × (query words found in the title or lead) + publication time (ms):
 * a heading match outranks any body-only match, and recency breaks ties. 1e13 ms is past
 * the year 2286, so the two parts never mix.
 */
const HEADING_WEIGHT = 1e13;

export interface SearchFilters {
  section?: string;
  /** Inclusive publication-time bounds. */
  from?: Date;
  to?: Date;
}

export interface SearchPage extends SortedSetPage {
  /** Every term a query word may match, for highlighting. */
  terms: Set<string>;
}

/**
 * Releases of one language that contain every query word in some inflection (each word's
 * alternatives: stem, name base, transliterations), ranked title/lead matches first, then
 * newest, a page at a time. The ranked ids are computed once per query, filters and index
 * generation into a short-lived Redis sorted set, and paged with the listings' keyset cursor.
 */
export async function searchReleases(
  ctx: AppContext,
  lang: string,
  query: string,
  filters: SearchFilters,
  after: Cursor | undefined,
  pageSize: number,
): Promise<SearchPage> {
  const words = analyzeQuery(lang, query).slice(0, MAX_WORDS);
  const terms = new Set(words.flat());
  if (words.length === 0) return { ids: [], total: 0, terms };
  const k = ctx.keys.search;
  const generation = (await ctx.redis.get(k.generation())) ?? '0';
  const signature = JSON.stringify([words, filters.section, filters.from?.getTime(), filters.to?.getTime()]);
  const resultKey = k.result(lang, generation, signature);
  if (!(await ctx.redis.exists(resultKey))) await computeResult(ctx, lang, words, filters, resultKey);
  return { ...(await pageOfSortedSet(ctx.redis, resultKey, after, pageSize)), terms };
}

async function computeResult(
  ctx: AppContext,
  lang: string,
  words: string[][],
  filters: SearchFilters,
  resultKey: string,
) {
  const k = ctx.keys.search;
  const tmp = (name: string) => `${resultKey}:${name}`;
  const multi = ctx.redis.multi();
  const matched = words.map((_, i) => tmp(`w${i}`));
  const inHeading = words.map((_, i) => tmp(`h${i}`));
  words.forEach((alternatives, i) => {
    const all = alternatives.map((t) => k.postings(lang, t));
    const heading = alternatives.map((t) => k.headingPostings(lang, t));
    multi.zunionstore(matched[i], all.length, ...all, 'AGGREGATE', 'MAX');
    multi.zunionstore(inHeading[i], heading.length, ...heading, 'AGGREGATE', 'MAX');
  });
  // Every word somewhere (score: publication time), narrowed to the section and dates.
  const hits = tmp('hits');
  if (filters.section) {
    const section = ctx.keys.releases.section(lang, filters.section);
    multi.zinterstore(hits, matched.length + 1, ...matched, section, 'WEIGHTS', ...matched.map(() => 1), 0);
  } else {
    multi.zinterstore(hits, matched.length, ...matched, 'AGGREGATE', 'MAX');
  }
  if (filters.from) multi.zremrangebyscore(hits, '-inf', `(${filters.from.getTime()}`);
  if (filters.to) multi.zremrangebyscore(hits, `(${filters.to.getTime()}`, '+inf');
  // Add HEADING_WEIGHT per word found in the heading, then keep only the hits.
  const boosted = tmp('boost');
  multi.zunionstore(
    boosted,
    1 + inHeading.length,
    hits,
    ...inHeading,
    'WEIGHTS',
    1,
    ...inHeading.map(() => HEADING_WEIGHT),
    'AGGREGATE',
    'SUM',
  );
  multi.zinterstore(resultKey, 2, boosted, hits, 'WEIGHTS', 1, 0, 'AGGREGATE', 'SUM');
  multi.del(...matched, ...inHeading, hits, boosted);
  multi.expire(resultKey, RESULT_TTL_SECONDS);
  await multi.exec();
}
