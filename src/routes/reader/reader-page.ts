import type { Request, RequestHandler, Response } from 'express';
import { cachedResponse, type Rendered } from '../../middleware/cached-response.js';
import type { WebContext } from '../../web-context.js';

export const HTML = 'text/html; charset=utf-8';

/**
 * A reader page: served from the page cache (ETag, 304, gzip), rendered on a miss. A first
 * path segment that is not a configured language passes the request on (another router may
 * own it; the last one answers a localized 404). `keyExtra` names anything besides the URL
 * the page depends on.
 */
export function readerPage(
  ctx: WebContext,
  render: (req: Request, res: Response, lang: string) => Promise<Rendered | undefined>,
  keyExtra?: (req: Request) => string,
): RequestHandler {
  const languages = new Set(ctx.config.languages);
  const cached = cachedResponse(ctx, (req, res) => render(req, res, String(req.params.lang)), keyExtra);
  return (req, res, next) => {
    if (!languages.has(String(req.params.lang))) return next('route');
    return cached(req, res, next);
  };
}

/** Passes the request on when its first segment is not a configured language (`/api/…`, `/desk/…`). */
export function languageGuard(ctx: WebContext): RequestHandler {
  const languages = new Set(ctx.config.languages);
  return (req, _res, next) => next(languages.has(String(req.params.lang)) ? undefined : 'route');
}

/** Directory-style pages live at a trailing slash; `/en/news` answers 301 to `/en/news/`. */
export const trailingSlash: RequestHandler = (req, res, next) => {
  if (req.path.endsWith('/')) return next();
  const q = req.originalUrl.indexOf('?');
  res.redirect(301, `${req.path}/${q >= 0 ? req.originalUrl.slice(q) : ''}`);
};

/** The one query parameter value, or undefined; repeated parameters (`?q=a&q=b`) count as bad input. */
export function singleParam(req: Request, name: string): string | undefined | null {
  const v = req.query[name];
  if (v === undefined) return undefined;
  return typeof v === 'string' ? v : null;
}
