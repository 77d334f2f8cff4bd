import type { ErrorRequestHandler } from 'express';
import { AppError } from '../../errors.js';
import type { WebContext } from '../../web-context.js';
import { deskT, renderDeskPage } from './desk-page.js';

/**
 * Desk errors as desk pages: a 4xx AppError (CSRF, forbidden, not found, conflict) is shown
 * with its message and a way back; anything else goes on to the app's handler (logged 500).
 */
export function deskErrorHandler(ctx: WebContext): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (!(err instanceof AppError) || err.status >= 500 || res.headersSent) return next(err);
    const t = deskT(ctx, req);
    const title =
      err.status === 403
        ? t('desk:error.forbiddenTitle')
        : err.status === 404
          ? t('desk:error.notFoundTitle')
          : t('desk:error.title');
    renderDeskPage(ctx, req, res, 'error', { title, message: err.message, code: err.code }, err.status);
  };
}
