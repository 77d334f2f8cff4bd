import { gzipSync } from 'node:zlib';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, RequestHandler, Response } from 'express';
import { etagOf, type CachedResponse } from '../cache/page-cache.js';
import type { AppContext } from '../context.js';
import { recordPageCache } from '../metrics/process-metrics.js';

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
    recordPageCache(entry ? 'hit' : 'miss');
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
  /** Complete header sets, built once: for 304, for the plain body and for the gzip body. */
  sets?: {
    notModified: Record<string, string>;
    plain: Record<string, string>;
    gzip?: Record<string, string>;
    notModifiedGzip?: Record<string, string>;
  };
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
 * Answers a GET or HEAD from the page cache with Node's own response API, or returns false.
 * `src/server.ts` calls it before Express sees the request (a hit costs about what a bare
 * Node server does), and `pageCacheFastPath` does the same inside Express for tests. A hit
 * replays the headers the full stack produced when the page was rendered; only pages that
 * depend on nothing but their URL are served here.
 */
export function servePageCacheHit(ctx: AppContext, req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const entry = ctx.pageCache.get(`${req.url}#`) as Entry | undefined;
  if (!entry?.shared) return false;
  recordPageCache('hit');
  send(req, res, entry);
  return true;
}

/** `servePageCacheHit` as Express middleware. */
export function pageCacheFastPath(ctx: AppContext): RequestHandler {
  return (req, res, next) => {
    if (!servePageCacheHit(ctx, req, res)) next();
  };
}

function toEntry(r: Rendered, res: Response, shared: boolean): Entry {
  const body = Buffer.isBuffer(r.body) ? r.body : Buffer.from(r.body, 'utf8');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(res.getHeaders())) {
    if (!PER_RESPONSE.has(name) && typeof value === 'string') headers[name] = value;
  }
  headers['content-type'] = r.type;
  headers['cache-control'] = r.cacheControl ?? 'no-cache';
  headers.vary = 'Accept-Encoding';
  for (const [name, value] of Object.entries(r.headers ?? {})) headers[name.toLowerCase()] = value;
  const entry: Entry = {
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
  // A strong ETag names exact bytes, so the gzip body gets its own (RFC 9110 §8.8.3.3).
  const gzipEtag = `${entry.etag.slice(0, -1)}-gzip"`;
  const lastModified: Record<string, string> = entry.lastModified
    ? { 'last-modified': entry.lastModified }
    : {};
  entry.sets = {
    notModified: { ...headers, etag: entry.etag, ...lastModified },
    plain: { ...headers, etag: entry.etag, ...lastModified, 'content-length': String(body.length) },
    gzip: entry.gzip
      ? {
          ...headers,
          etag: gzipEtag,
          ...lastModified,
          'content-encoding': 'gzip',
          'content-length': String(entry.gzip.length),
        }
      : undefined,
    notModifiedGzip: entry.gzip ? { ...headers, etag: gzipEtag, ...lastModified } : undefined,
  };
  return entry;
}

function send(req: IncomingMessage, res: ServerResponse, entry: Entry): void {
  const sets = entry.sets!;
  const gzip = sets.gzip !== undefined && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
  if (entry.status === 200 && isNotModified(req, entry)) {
    res.writeHead(304, gzip ? sets.notModifiedGzip : sets.notModified);
    res.end();
    return;
  }
  res.writeHead(entry.status, gzip ? sets.gzip : sets.plain);
  if (req.method === 'HEAD') res.end();
  else res.end(gzip ? entry.gzip : entry.body);
}

function isNotModified(req: IncomingMessage, entry: Entry): boolean {
  const inm = req.headers['if-none-match'];
  if (inm)
    // Weak comparison (RFC 9110 §13.1.2): either encoding's tag validates the same content.
    return inm.split(',').some((tag) => {
      const opaque = tag
        .trim()
        .replace(/^W\//, '')
        .replace(/-gzip"$/, '"');
      return opaque === entry.etag || tag.trim() === '*';
    });
  const ims = req.headers['if-modified-since'];
  if (ims && entry.lastModified) {
    const since = Date.parse(ims);
    return !Number.isNaN(since) && Date.parse(entry.lastModified) <= since;
  }
  return false;
}
