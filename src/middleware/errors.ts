import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { AppError } from '../errors.js';
import type { WebContext } from '../web-context.js';
import { renderErrorPage } from '../routes/reader/error-page.js';
import { setErrorCode } from './error-code.js';
import { OUTAGE_RETRY_AFTER_SECONDS, storeOutageOf } from './store-errors.js';

const wantsJson = (req: Request) =>
  req.path.startsWith('/api/') ||
  req.path.startsWith('/desk/queues/api/') ||
  (req.accepts(['html', 'json']) === 'json' && !req.accepts('html'));

/** The last route: a localized 404 page (or JSON under /api). */
export function notFoundHandler(ctx: WebContext): RequestHandler {
  return (req, res) => {
    setErrorCode(res, 'not_found');
    if (wantsJson(req)) {
      res
        .status(404)
        .json({ error: { code: 'not_found', message: `No route for ${req.method} ${req.path}` } });
      return;
    }
    renderErrorPage(ctx, req, res, 404);
  };
}

/**
 * Turns every error into a clear answer: AppError and body-parser errors into their 4xx with
 * a stable code; an unreachable store into 503 `store_unavailable` / `redis_unavailable`
 * with Retry-After; anything else into a logged 500 that reveals nothing.
 */
export function errorHandler(ctx: WebContext): ErrorRequestHandler {
  return (err, req, res, _next) => {
    let status = 500;
    let code = 'internal';
    let message = 'Something went wrong on our side; it has been logged.';
    let details: unknown;
    const outage = storeOutageOf(err);
    if (err instanceof AppError) {
      ({ status, code, message, details } = err);
    } else if (outage) {
      ({ code, message } = outage);
      status = 503;
      res.setHeader('Retry-After', String(OUTAGE_RETRY_AFTER_SECONDS));
      ctx.log.warn({ err: { name: err?.name, message: err?.message }, url: req.originalUrl }, code);
    } else if (err?.name === 'ValidationError' || err?.name === 'CastError') {
      // Mongoose refused a value our own schemas let through: still the client's input.
      status = 400;
      code = 'invalid_request';
      message = 'A field has a value the newsroom cannot store; check the request against docs/api.md';
      ctx.log.warn({ err, url: req.originalUrl }, 'input refused by the model');
    } else if (typeof err?.status === 'number' && err.status >= 400 && err.status < 500) {
      status = err.status;
      code =
        err.type === 'entity.too.large'
          ? 'payload_too_large'
          : err.type === 'entity.parse.failed'
            ? 'malformed_json'
            : 'bad_request';
      message =
        err.type === 'entity.too.large'
          ? `The request body is larger than the limit (${err.limit} bytes)`
          : err.expose
            ? err.message
            : 'Bad request';
    } else {
      ctx.log.error({ err, url: req.originalUrl }, 'unhandled error');
    }
    if (res.headersSent) return;
    setErrorCode(res, code);
    if (wantsJson(req)) {
      res.status(status).json({ error: { code, message, ...(details ? { details } : {}) } });
      return;
    }
    renderErrorPage(ctx, req, res, status, status < 500 ? message : undefined);
  };
}
