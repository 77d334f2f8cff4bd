import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, RequestHandler, Response } from 'express';
import { buildPage, etagOf, type CachedPage } from '../cache/cached-page.js';
import type { AppContext } from '../context.js';
import { recordPageCache } from '../metrics/process-metrics.js';
import { surrogate } from '../cache/surrogate-keys.js';

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
  /**
   * Surrogate keys (`src/cache/surrogate-keys.ts`) of what the response shows: a change drops
   * the cached copy only when it touches one of them. None: dropped by every public change.
   */
  surrogates?: string[];
}

/**
 * Serves a rendered page or feed from the page cache (this process, then the shared store in
 * Redis), rendering it on a miss. Handles `ETag`/`If-None-Match`, `Last-Modified`/
 * `If-Modified-Since` (304), gzip (kept pre-compressed) and HEAD. The cache key is the
 * method-independent URL plus `keyExtra(req)` (for anything else the rendering depends on,
 * e.g. a cookie); only pages without `keyExtra` go to the shared store. Only 200 responses
 * are cached; a change drops the pages whose surrogate keys it touches.
 */
export function cachedResponse(
  ctx: AppContext,
  render: (req: Request, res: Response) => Promise<Rendered | undefined>,
  keyExtra?: (req: Request) => string,
): RequestHandler {
  return async (req, res, next) => {
    const key = `${req.originalUrl}#${keyExtra?.(req) ?? ''}`;
    const renderer = isRenderRequest(req);
    // The shared store was consulted by `serveCachedPage` before routing.
    let entry = renderer ? undefined : ctx.pageCache.get(key);
    recordPageCache(entry ? 'hit' : 'miss');
    if (!entry) {
      const ticket = await ctx.pageCache.ticket();
      const rendered = await render(req, res);
      if (!rendered || res.headersSent) {
        if (!res.headersSent) next();
        return;
      }
      entry = toEntry(rendered, res, !keyExtra);
      if (entry.status === 200) {
        const shared = await ctx.pageCache.store(key, req.originalUrl, entry, ticket, { local: !renderer });
        // The renderer wants the outcome, not the bytes it just stored.
        if (renderer)
          return void res
            .status(204)
            .set(STORED_HEADER, shared ? '1' : '0')
            .end();
      }
    }
    send(req, res, entry);
  };
}

/** Headers of the first response that must not be replayed (they belong to that request or body). */
const PER_RESPONSE = new Set([
  'x-request-id',
  'content-length',
  'content-encoding',
  'etag',
  'last-modified',
  'set-cookie',
  'vary',
]);

/** Paths never served from the page cache (sessions, assets): no store lookup for them. */
const UNCACHED = /^\/(desk|api|assets|healthz|readyz|metrics)(\/|$|\?)/;

/**
 * Answers a GET or HEAD from this process's page cache with Node's own response API, or
 * returns false. `src/server.ts` calls it before Express sees the request (a hit costs about
 * what a bare Node server does). A hit replays the headers the full stack produced when the
 * page was rendered; only pages that depend on nothing but their URL are served here.
 */
export function servePageCacheHit(ctx: AppContext, req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const entry = ctx.pageCache.get(`${req.url}#`);
  if (!entry?.shared) return false;
  recordPageCache('hit');
  send(req, res, entry);
  return true;
}

/**
 * The page renderer's own requests (`src/cache/page-renderer.ts`) skip this process's copy so
 * that they reach the shared store; the header carries a secret of this process.
 */
export const RENDER_HEADER = 'x-newsroom-render';
export const RENDER_SECRET = randomBytes(16).toString('hex');
const isRenderRequest = (req: IncomingMessage) => req.headers[RENDER_HEADER] === RENDER_SECRET;
/** A render request's answer (204, no body): `1` when the shared store now holds the page. */
export const STORED_HEADER = 'x-newsroom-stored';

/** Requests whose URL was already looked up in the shared store (server, then app). */
const looked = new WeakSet<IncomingMessage>();

/**
 * `servePageCacheHit`, then the shared store in Redis (a page rendered by the worker when it
 * was published, or by another web process); resolves false when neither has it.
 */
export async function serveCachedPage(
  ctx: AppContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<boolean> {
  if (isRenderRequest(req)) return false;
  if (servePageCacheHit(ctx, req, res)) return true;
  if (looked.has(req)) return false;
  looked.add(req);
  if ((req.method !== 'GET' && req.method !== 'HEAD') || !req.url || UNCACHED.test(req.url)) return false;
  const entry = await ctx.pageCache.load(req.url);
  if (!entry) return false;
  recordPageCache('hit');
  send(req, res, entry);
  return true;
}

/** `serveCachedPage` as Express middleware (the app without `src/server.ts`, as in tests). */
export function pageCacheFastPath(ctx: AppContext): RequestHandler {
  return async (req, res, next) => {
    // Marked before answering: the request metrics read it when the response finishes.
    res.locals.fromPageCache = true;
    let served = false;
    try {
      served = await serveCachedPage(ctx, req, res);
    } finally {
      res.locals.fromPageCache = served;
    }
    if (!served) next();
  };
}

function toEntry(r: Rendered, res: Response, shared: boolean): CachedPage {
  const body = Buffer.isBuffer(r.body) ? r.body : Buffer.from(r.body, 'utf8');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(res.getHeaders())) {
    if (!PER_RESPONSE.has(name) && typeof value === 'string') headers[name] = value;
  }
  headers['content-type'] = r.type;
  headers['cache-control'] = r.cacheControl ?? 'no-cache';
  headers.vary = 'Accept-Encoding';
  for (const [name, value] of Object.entries(r.headers ?? {})) headers[name.toLowerCase()] = value;
  const meta = {
    status: r.status ?? 200,
    etag: etagOf(body),
    lastModified: r.lastModified
      ? new Date(Math.floor(r.lastModified.getTime() / 1000) * 1000).toUTCString()
      : undefined,
    headers,
    tags: r.surrogates?.length ? r.surrogates : [surrogate.unknown()],
  };
  return buildPage(meta, body, shared);
}

function send(req: IncomingMessage, res: ServerResponse, entry: CachedPage): void {
  const sets = entry.sets;
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

function isNotModified(req: IncomingMessage, entry: CachedPage): boolean {
  const inm = req.headers['if-none-match'];
  // The common case, a client sending back the one tag it was given: no parsing.
  if (inm === entry.etag || inm === entry.sets.gzipEtag) return true;
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
