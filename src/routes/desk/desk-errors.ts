import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError, notFound } from '../../errors.js';
import type { WebContext } from '../../web-context.js';
import { deskMessage } from './desk-messages.js';
import { deskT, renderDeskPage } from './desk-page.js';

const TITLES: Record<number, string> = {
  401: 'publishing:errors.unauthorizedTitle',
  403: 'desk:error.forbiddenTitle',
  404: 'desk:error.notFoundTitle',
  409: 'publishing:errors.conflictTitle',
};

/** The desk's last route: an unknown desk address is a desk 404, not the public site's. */
export const deskNotFound: RequestHandler = (req) => {
  throw notFound('not_found', `No desk page ${req.path}`);
};

/**
 * Desk errors as desk pages, in the desk's language, with a way back: 401 (with a sign-in
 * link), 403, 404, 409 and any other 4xx with the reason; anything else is logged and shown
 * as a 500 that reveals nothing. Never the public site's error page. A request that asks for
 * JSON (the desk's client code) gets `{ error: { code, message } }` with the same message.
 */
export function deskErrorHandler(ctx: WebContext): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    const t = deskT(ctx, req);
    let status = 500;
    let message = t('publishing:errors.serverBody');
    let code = 'internal';
    if (err instanceof AppError) {
      status = err.status;
      code = err.code;
      message = err.status === 404 ? t('publishing:errors.notFoundBody') : deskMessage(t, err);
      if (err.status >= 500) ctx.log.error({ err, url: req.originalUrl }, 'desk error');
    } else if (typeof err?.status === 'number' && err.status >= 400 && err.status < 500) {
      status = err.status;
      code = 'bad_request';
      message = err.type === 'entity.too.large' ? t('publishing:errors.tooLarge') : t('desk:error.title');
    } else {
      ctx.log.error({ err, url: req.originalUrl }, 'unhandled desk error');
    }
    // Client code of the desk (the editor's uploads) asks for JSON: the same reason, as data.
    if (req.accepts(['html', 'json']) === 'json')
      return void res.status(status).json({ error: { code, message } });
    const title =
      status >= 500 ? t('publishing:errors.serverTitle') : t(TITLES[status] ?? 'desk:error.title');
    const signIn = status === 401 ? `/desk/login?next=${encodeURIComponent(req.originalUrl)}` : undefined;
    const back = req.originalUrl.startsWith('/desk/stories/') ? '/desk/stories' : undefined;
    renderDeskPage(ctx, req, res, 'error', { title, message, code, status, signIn, back }, status);
  };
}
