import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, RequestHandler, Response, Router } from 'express';
import type { AppContext } from '../context.js';
import { requestIdFrom, withRequestId } from '../lib/request-context.js';
import { recordRequest } from '../metrics/process-metrics.js';
import { routerRoutes } from '../routes/api/openapi/router-routes.js';

const idOf = (res: Response): string | undefined => res.locals.requestId as string | undefined;

/**
 * The route template a request matched (`/api/v1/tasks/:id`), never the raw URL, so labels
 * stay few. Read from the app's own router (`req.baseUrl` is gone once an error left it).
 */
function routeNamer(app: () => Router) {
  let paths: WeakMap<object, string> | undefined;
  return (req: Request, res: Response): string => {
    if (res.locals.fromPageCache) return PAGE_CACHE_ROUTE;
    if (!req.route) return res.statusCode === 404 ? 'not_found' : 'other';
    paths ??= new WeakMap(routerRoutes(app()).map((r) => [r.route, r.path]));
    return paths.get(req.route) ?? `${req.baseUrl}${String(req.route.path)}`;
  };
}

/** The `route` label of pages and feeds answered from the page cache, before any router. */
export const PAGE_CACHE_ROUTE = 'page_cache';

/**
 * Records a request the server answered from the page cache before Express was entered
 * (`src/server.ts`): the commonest and fastest answers, which must count in the request rate
 * and latency like every other.
 */
export function observeCacheHit(req: IncomingMessage, res: ServerResponse, started: bigint): void {
  // The whole response is handed to the socket by now (a hit is written in one call): record
  // it at once rather than hold a listener per request until the socket drains.
  recordRequest(
    req.method ?? 'GET',
    PAGE_CACHE_ROUTE,
    res.statusCode,
    Number(process.hrtime.bigint() - started) / 1e9,
  );
}

/**
 * First in the stack: gives the request its id (a client's plain `X-Request-Id`, else a new
 * one), answers it in `X-Request-Id`, makes it current for everything the request runs (log
 * lines carry `reqId`, outbox events and jobs carry it on), and when the response is done
 * logs one line and records its route, status and duration.
 */
export function observeRequests(ctx: AppContext, app: () => Router): RequestHandler {
  const routeOf = routeNamer(app);
  return (req, res, next) => {
    const requestId = requestIdFrom(req.get('x-request-id'));
    res.locals.requestId = requestId;
    res.setHeader('X-Request-Id', requestId);
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = routeOf(req, res);
      recordRequest(req.method, route, res.statusCode, seconds);
      const level = res.statusCode >= 500 ? 'error' : 'info';
      withRequestId(requestId, () =>
        ctx.log[level](
          {
            method: req.method,
            url: req.originalUrl,
            route,
            status: res.statusCode,
            ms: Math.round(seconds * 1000),
          },
          'request',
        ),
      );
    });
    withRequestId(requestId, next);
  };
}

/**
 * Body parsers resume the chain from the request stream's events, outside the request's
 * context; this puts it back (mounted after them).
 */
export const restoreRequestContext: RequestHandler = (_req, res, next) => withRequestId(idOf(res), next);
