import { z } from 'zod';
import { badRequest } from '../errors.js';
import { type Cursor, decodeCursor } from '../presenters/cursor.js';

export const FEED_FORMATS = ['rss', 'atom', 'json'] as const;
export type FeedFormat = (typeof FEED_FORMATS)[number];

/** File name of each format in feed URLs: `/{lang}/rss.xml`, `/{lang}/sections/{s}/feed.json`. */
export const FEED_FILES: Record<FeedFormat, string> = {
  rss: 'rss.xml',
  atom: 'atom.xml',
  json: 'feed.json',
};

export const FEED_CONTENT_TYPES: Record<FeedFormat, string> = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
};

export const SECTION_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** Which feed: a language, optionally one of its sections, in one format. */
export interface FeedTarget {
  lang: string;
  section?: string;
  format: FeedFormat;
}

/** Site-relative path of a feed, the same string the router matches. */
export function feedPath(t: FeedTarget): string {
  const dir = t.section ? `/${t.lang}/sections/${t.section}` : `/${t.lang}`;
  return `${dir}/${FEED_FILES[t.format]}`;
}

/** Absolute URL of a feed; also its WebSub topic. */
export const feedUrl = (publicUrl: string, t: FeedTarget) => `${publicUrl}${feedPath(t)}`;

const TOPIC_PATH =
  /^\/([a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)\/(?:sections\/([a-z0-9][a-z0-9-]{0,63})\/)?(rss\.xml|atom\.xml|feed\.json)$/;

/**
 * The feed a WebSub topic URL names, or undefined when it is not one of our feeds (another
 * host, an unconfigured language, a query string): a hub serves only its own topics.
 */
export function parseFeedTopic(
  topic: string,
  publicUrl: string,
  languages: string[],
): FeedTarget | undefined {
  if (!topic.startsWith(`${publicUrl}/`)) return undefined;
  const m = TOPIC_PATH.exec(topic.slice(publicUrl.length));
  if (!m || !languages.includes(m[1])) return undefined;
  const format = FEED_FORMATS.find((f) => FEED_FILES[f] === m[3])!;
  return { lang: m[1], section: m[2], format };
}

export const DEFAULT_FEED_LIMIT = 50;
export const MAX_FEED_LIMIT = 200;

const LimitSchema = z
  .string()
  .regex(/^\d{1,4}$/)
  .transform(Number)
  .pipe(z.number().int().min(1).max(MAX_FEED_LIMIT));

/** `?limit=`: a whole number from 1 to 200; absent means 50. Anything else is a 400. */
export function parseFeedLimit(raw: unknown): number {
  if (raw === undefined) return DEFAULT_FEED_LIMIT;
  const parsed = LimitSchema.safeParse(raw);
  if (!parsed.success) {
    throw badRequest(
      'invalid_limit',
      `limit must be a whole number from 1 to ${MAX_FEED_LIMIT} (default ${DEFAULT_FEED_LIMIT}); got '${String(raw)}'`,
    );
  }
  return parsed.data;
}

/** `?after=`: the paging cursor a feed's `next` link carries (RFC 5005); anything else is a 400. */
export function parseFeedCursor(raw: unknown): Cursor | undefined {
  if (raw === undefined) return undefined;
  const cursor = typeof raw === 'string' ? decodeCursor(raw) : undefined;
  if (!cursor) throw badRequest('invalid_cursor', "after must be the value of a feed's next link");
  return cursor;
}
