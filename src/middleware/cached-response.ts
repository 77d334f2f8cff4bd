import { gzipSync } from 'node:zlib';
import type { Request, RequestHandler, Response } from 'express';
import { etagOf, type CachedResponse } from '../cache/page-cache.js';
import type { AppContext } from '../context.js';

export interface Rendered {
  body: string | Buffer;
  /** Full Content-Type, e.g. `text/html; charset=utf-8`. */
  type: string;
  status?: number;
  /** For feeds and sitemaps: the time of the newest change they show. */
  lastModified?: Date;
  /** Cache-Control for clients and proxies; default: revalidate every time. */
  cacheControl?: string;
  /** Extra headers, e.g. `Link` or `Vary`. */
  headers?: Record<string, string>;
}

/**
 * Serves a rendered page or feed from the in-process page cache, rendering it on a miss.
 * Handles `ETag`/`If-None-Match`, `Last-Modified`/`If-Modified-Since` (304), gzip (kept
 * pre-compressed in the cache) and HEAD. The cache key is the method-independent URL plus
 * `keyExtra(req)` (for anything else the rendering depends on, e.g. a cookie).
 * Only 200 responses are cached; everything is dropped on publish (see PageCache).
 */
export function cachedResponse(
  ctx: AppContext,
  render: (req: Request, res: Response) => Promise<Rendered | undefined>,
  keyExtra?: (req: Request) => string,
): RequestHandler {
  return async (req, res, next) => {
    const key = `${req.originalUrl}#${keyExtra?.(req) ?? ''}`;
    let entry = ctx.pageCache.get(key);
    if (!entry) {
      const rendered = await render(req, res);
      if (!rendered || res.headersSent) {
        if (!res.headersSent) next();
        return;
      }
      entry = toEntry(rendered, res, !keyExtra);
      if (entry.status === 200) ctx.pageCache.set(key, entry);
    }
    send(req, res, entry);
  };
}

interface Entry extends CachedResponse {
  gzip?: Buffer;
  /** The same for every request to its URL (no `keyExtra`): eligible for the fast path. */
  shared?: boolean;
}

/** Headers of the first response that must not be replayed (they belong to that request or body). */
const PER_RESPONSE = new Set([
  'content-length',
  'content-encoding',
  'etag',
  'last-modified',
  'set-cookie',
  'vary',
]);

/**
 * Answers a GET or HEAD from the page cache before any other middleware runs (security
 * headers, cookies, body parsers, compression, routing): a hit replays the headers the full
 * stack produced when the page was rendered. Only pages that depend on nothing but their URL
 * are served here; everything else falls through to the normal stack.
 */
export function pageCacheFastPath(ctx: AppContext): RequestHandler {
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const entry = ctx.pageCache.get(`${req.originalUrl}#`) as Entry | undefined;
    if (!entry?.shared) return next();
    send(req, res, entry);
  };
}

function toEntry(r: Rendered, res: Response, shared: boolean): Entry {
  const body = Buffer.isBuffer(r.body) ? r.body : Buffer.from(r.body, 'utf8');
  const inherited = Object.fromEntries(
    Object.entries(res.getHeaders())
      .filter(([name, value]) => !PER_RESPONSE.has(name) && typeof value === 'string')
      .map(([name, value]) => [name, String(value)]),
  );
  const headers: Record<string, string> = {
    ...inherited,
    'Content-Type': r.type,
    'Cache-Control': r.cacheControl ?? 'no-cache',
    Vary: 'Accept-Encoding',
    ...r.headers,
  };
  return {
    body,
    gzip: body.length > 1024 ? gzipSync(body, { level: 6 }) : undefined,
    etag: etagOf(body),
    lastModified: r.lastModified
      ? new Date(Math.floor(r.lastModified.getTime() / 1000) * 1000).toUTCString()
      : undefined,
    headers,
    status: r.status ?? 200,
    shared,
  };
}

function send(req: Request, res: Response, entry: Entry): void {
  res.status(entry.status);
  res.set(entry.headers);
  res.set('ETag', entry.etag);
  if (entry.lastModified) res.set('Last-Modified', entry.lastModified);
  if (entry.status === 200 && isNotModified(req, entry)) {
    res.status(304).end();
    return;
  }
  const gzip = entry.gzip && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
  const body = gzip ? entry.gzip! : entry.body;
  if (gzip) res.set('Content-Encoding', 'gzip');
  res.set('Content-Length', String(body.length));
  if (req.method === 'HEAD') res.end();
  else res.end(body);
}

function isNotModified(req: Request, entry: Entry): boolean {
  const inm = req.headers['if-none-match'];
  if (inm)
    return inm.split(',').some((tag) => tag.trim().replace(/^W\//, '') === entry.etag || tag.trim() === '*');
  const ims = req.headers['if-modified-since'];
  if (ims && entry.lastModified) {
    const since = Date.parse(ims);
    return !Number.isNaN(since) && Date.parse(entry.lastModified) <= since;
  }
  return false;
}
