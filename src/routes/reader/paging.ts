import type { Request } from 'express';
import { AppError } from '../../errors.js';
import { decodeCursor, encodeCursor, type Cursor, type SortedSetPage } from '../../presenters/cursor.js';
import { withCursor } from '../../presenters/urls.js';
import type { WebContext } from '../../web-context.js';
import { singleParam } from './reader-page.js';

/** A cursor parameter of a listing request; a token we did not issue is a 400 in the page's language. */
export function cursorParam(
  ctx: WebContext,
  req: Request,
  lang: string,
  name: 'after' | 'before' = 'after',
): Cursor | undefined {
  const raw = singleParam(req, name);
  if (raw === undefined || raw === '') return undefined;
  const cursor = raw === null ? undefined : decodeCursor(raw);
  if (!cursor) throw new AppError(400, 'bad_cursor', ctx.i18n.t('error.badCursor', { lng: lang }));
  return cursor;
}

/** Where a listing request starts: after a cursor (older), before one (newer), or at the top. */
export interface PagePosition {
  after?: Cursor;
  before?: Cursor;
}

/** `?after=` or `?before=` of a listing; both at once, or a token we did not issue, is a 400. */
export function pagePosition(ctx: WebContext, req: Request, lang: string): PagePosition {
  const after = cursorParam(ctx, req, lang, 'after');
  const before = cursorParam(ctx, req, lang, 'before');
  if (after && before) throw new AppError(400, 'bad_cursor', ctx.i18n.t('error.badCursor', { lng: lang }));
  return { after, before };
}

/** This page's own URL (its canonical): the path with its cursor. */
export function pageUrl(path: string, at: PagePosition): string {
  if (at.before) return `${path}?before=${encodeCursor(at.before)}`;
  return withCursor(path, at.after && encodeCursor(at.after));
}

/** The first-page, newer and older links of a listing page (template: partials/pagination). */
export function paginationLinks(path: string, at: PagePosition, page: SortedSetPage) {
  const { newer } = page;
  const links = {
    newestHref: at.after || at.before ? path : undefined,
    newerHref: newer === 'first' ? path : newer ? `${path}?before=${encodeCursor(newer)}` : undefined,
    olderHref: page.next ? withCursor(path, encodeCursor(page.next)) : undefined,
  };
  // A listing that fits one page has no page navigation at all.
  return Object.values(links).some(Boolean) ? links : undefined;
}
