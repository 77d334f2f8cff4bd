import type { AppContext } from '../context.js';
import { type Cursor, pageOfSortedSet, type SortedSetPage } from '../presenters/cursor.js';
import { tokenize } from './normalize.js';
import { searchKeys } from './search-index.js';

const MAX_WORDS = 8;
const MAX_EXPANSIONS = 64;
const MIN_PREFIX = 3;
const RESULT_TTL_SECONDS = 120;

export interface SearchPage extends SortedSetPage {
  /** Normalised query words, for highlighting. */
  terms: string[];
}

/**
 * Releases of one language containing every query word (each word also matching as the
 * start of a longer word: "заседан" finds "заседание"), newest first, a page at a time.
 * The matching ids are computed once per query and index generation into a short-lived
 * Redis sorted set, and paged with the same keyset cursor as the listings.
 */
export async function searchReleases(
  ctx: AppContext,
  lang: string,
  query: string,
  after: Cursor | undefined,
  pageSize: number,
): Promise<SearchPage> {
  const terms = tokenize(query).slice(0, MAX_WORDS);
  if (terms.length === 0) return { ids: [], total: 0, terms };
  const k = searchKeys(ctx);
  const generation = (await ctx.redis.get(k.generation())) ?? '0';
  const resultKey = k.result(lang, generation, terms.join(' '));
  if (!(await ctx.redis.exists(resultKey))) {
    const ok = await computeResult(ctx, lang, terms, resultKey);
    if (!ok) return { ids: [], total: 0, terms };
  }
  return { ...(await pageOfSortedSet(ctx.redis, resultKey, after, pageSize)), terms };
}

/** Fills `resultKey` with the matching ids; false when some word matches nothing. */
async function computeResult(ctx: AppContext, lang: string, terms: string[], resultKey: string) {
  const k = searchKeys(ctx);
  const perWord: string[][] = [];
  for (const term of terms) {
    const expansions =
      term.length >= MIN_PREFIX
        ? await ctx.redis.zrangebylex(
            k.vocabulary(lang),
            `[${term}`,
            Buffer.concat([Buffer.from(`[${term}`), Buffer.from([0xff])]),
            'LIMIT',
            0,
            MAX_EXPANSIONS,
          )
        : [term];
    if (expansions.length === 0) return false;
    perWord.push(expansions.map((t) => k.postings(lang, t)));
  }
  const multi = ctx.redis.multi();
  const wordKeys = perWord.map((_, i) => `${resultKey}:w${i}`);
  perWord.forEach((keys, i) => multi.zunionstore(wordKeys[i], keys.length, ...keys, 'AGGREGATE', 'MAX'));
  multi.zinterstore(resultKey, wordKeys.length, ...wordKeys, 'AGGREGATE', 'MAX');
  multi.del(...wordKeys);
  multi.expire(resultKey, RESULT_TTL_SECONDS);
  await multi.exec();
  return true;
}
