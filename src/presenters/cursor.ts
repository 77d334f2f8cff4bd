import type { Redis } from 'ioredis';
import { z } from 'zod';

/** A position in a newest-first listing: the last item shown (its score and id). */
export interface Cursor {
  score: number;
  id: string;
}

const CursorSchema = z.object({
  s: z.number().int().min(0).max(8.64e15),
  i: z.string().regex(/^[A-Za-z0-9._:-]{1,200}$/),
});

/** An opaque, URL-safe token for a cursor; readers and partners treat it as a black box. */
export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify({ s: cursor.score, i: cursor.id })).toString('base64url');
}

/** The cursor in a token, or undefined when the token is not one we issued (answer 400). */
export function decodeCursor(token: string): Cursor | undefined {
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(token)) return undefined;
  try {
    const parsed = CursorSchema.safeParse(JSON.parse(Buffer.from(token, 'base64url').toString('utf8')));
    return parsed.success ? { score: parsed.data.s, id: parsed.data.i } : undefined;
  } catch {
    return undefined;
  }
}

export interface SortedSetPage {
  ids: string[];
  total: number;
  /** The cursor of the next (older) page, absent on the last page. */
  next?: Cursor;
  /**
   * The way to the previous (newer) page: `first` when it is the first page, a cursor to read
   * `before` otherwise; absent on the first page.
   */
  newer?: Cursor | 'first';
}

export interface PageOptions {
  /** Read the page just newer than this position instead (a "newer" link). */
  before?: Cursor;
  /** Only items scored within these bounds, inclusive (a month of the archive). */
  min?: number;
  max?: number;
  /** Work out the way back to newer items (two more reads on a later page; listings want it). */
  withNewer?: boolean;
}

/**
 * One page of a Redis sorted set ordered newest first by (score, id), keyset-paginated: the
 * page after a cursor holds the items strictly older than it, so page N costs what page 1
 * costs (no offset) and an item published meanwhile neither repeats nor disappears. Ties on
 * the score (same publication time) are ordered by id, as Redis itself orders them. With
 * `before`, the page is the items just newer than the cursor, so a reader can walk back.
 */
export async function pageOfSortedSet(
  redis: Redis,
  key: string,
  after: Cursor | undefined,
  pageSize: number,
  opts: PageOptions = {},
): Promise<SortedSetPage> {
  const min = opts.min ?? '-inf';
  const max = opts.max ?? '+inf';
  const multi = redis.multi();
  if (opts.before) {
    // Same score and a larger id: newer. Then everything with a higher score, nearest first.
    const b = opts.before.score;
    multi.zrangebyscore(key, b, b, 'WITHSCORES');
    multi.zrangebyscore(key, `(${b}`, max, 'WITHSCORES', 'LIMIT', 0, pageSize);
  } else if (after) {
    // Same score and a smaller id: still older. Then everything with a lower score.
    multi.zrevrangebyscore(key, after.score, after.score, 'WITHSCORES');
    multi.zrevrangebyscore(key, `(${after.score}`, min, 'WITHSCORES', 'LIMIT', 0, pageSize + 1);
  } else {
    multi.zrevrangebyscore(key, max, min, 'WITHSCORES', 'LIMIT', 0, pageSize + 1);
  }
  multi.zcount(key, min, max);
  const results = (await multi.exec()) ?? [];
  const lists = results.slice(0, -1).map(([err, value]) => {
    if (err) throw err;
    return pairs(value as string[]);
  });
  const total = Number(results[results.length - 1]?.[1] ?? 0);
  let page: Cursor[];
  let hasOlder: boolean;
  if (opts.before) {
    const b = opts.before;
    page = [...lists[0].filter((x) => x.id > b.id), ...lists[1]].slice(0, pageSize).reverse();
    hasOlder = true; // the cursor's own item at least
  } else {
    const items = after ? [...lists[0].filter((x) => x.id < after.id), ...lists[1]] : lists[0];
    page = items.slice(0, pageSize);
    hasOlder = items.length > pageSize;
  }
  const last = page[page.length - 1];
  return {
    ids: page.map((x) => x.id),
    total,
    next: hasOlder && last ? { score: last.score, id: last.id } : undefined,
    newer:
      opts.withNewer && (after || opts.before)
        ? await newerThan(redis, key, page[0], pageSize, max)
        : undefined,
  };
}

/** How to reach the items newer than `first`: none, the first page, or a `before` cursor. */
async function newerThan(
  redis: Redis,
  key: string,
  first: Cursor | undefined,
  pageSize: number,
  max: number | string,
): Promise<SortedSetPage['newer']> {
  if (!first) return 'first';
  const replies =
    (await redis
      .multi()
      .zrangebyscore(key, first.score, first.score)
      .zcount(key, `(${first.score}`, max)
      .exec()) ?? [];
  const ties = (replies[0]?.[1] as string[] | undefined) ?? [];
  const count = ties.filter((id) => id > first.id).length + Number(replies[1]?.[1] ?? 0);
  if (count === 0) return undefined;
  return count <= pageSize ? 'first' : first;
}

function pairs(flat: string[]): Cursor[] {
  const out: Cursor[] = [];
  for (let i = 0; i < flat.length; i += 2) out.push({ id: flat[i], score: Number(flat[i + 1]) });
  return out;
}
