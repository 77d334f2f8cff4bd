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
}

/**
 * One page of a Redis sorted set ordered newest first by (score, id), keyset-paginated: the
 * page after a cursor holds the items strictly older than it, so page N costs what page 1
 * costs (no offset) and an item published meanwhile neither repeats nor disappears. Ties on
 * the score (same publication time) are ordered by id, as Redis itself orders them.
 */
export async function pageOfSortedSet(
  redis: Redis,
  key: string,
  after: Cursor | undefined,
  pageSize: number,
): Promise<SortedSetPage> {
  const multi = redis.multi();
  if (after) {
    // Same score and a smaller id: still older. Then everything with a lower score.
    multi.zrevrangebyscore(key, after.score, after.score, 'WITHSCORES');
    multi.zrevrangebyscore(key, `(${after.score}`, '-inf', 'WITHSCORES', 'LIMIT', 0, pageSize + 1);
  } else {
    multi.zrevrange(key, 0, pageSize, 'WITHSCORES');
  }
  multi.zcard(key);
  const results = (await multi.exec()) ?? [];
  const lists = results.slice(0, -1).map(([err, value]) => {
    if (err) throw err;
    return pairs(value as string[]);
  });
  const total = Number(results[results.length - 1]?.[1] ?? 0);
  let items = lists.flat();
  if (after) {
    const ties = lists[0].filter((x) => x.id < after.id);
    items = [...ties, ...lists[1]];
  }
  const page = items.slice(0, pageSize);
  const last = page[page.length - 1];
  return {
    ids: page.map((x) => x.id),
    total,
    next: items.length > pageSize && last ? { score: last.score, id: last.id } : undefined,
  };
}

function pairs(flat: string[]): Cursor[] {
  const out: Cursor[] = [];
  for (let i = 0; i < flat.length; i += 2) out.push({ id: flat[i], score: Number(flat[i + 1]) });
  return out;
}
