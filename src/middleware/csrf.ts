import { createHmac } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { doubleCsrf, type DoubleCsrfUtilities } from 'csrf-csrf';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';

/** The hidden form field that carries the token; scripts send the `x-csrf-token` header instead. */
export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'x-csrf-token';

const instances = new WeakMap<AppContext['config'], DoubleCsrfUtilities>();

/** The header Bull Board's HTTP client (axios) sends, copied from the readable `XSRF-TOKEN` cookie. */
export const BOARD_CSRF_HEADER = 'x-xsrf-token';

/**
 * A request that `authenticate` accepted by its bearer token carries no ambient credential a
 * forger could ride. Merely *having* an Authorization header exempts nothing: the desk reads
 * only its cookie, so a request with a cookie and any header is still cookie-authenticated.
 */
export const authenticatedByBearer = (req: Request) => req.authenticatedBy === 'bearer';

function utilities(ctx: AppContext): DoubleCsrfUtilities {
  let u = instances.get(ctx.config);
  if (!u) {
    // A key of its own, derived from the session secret, so one leaked HMAC never serves both.
    const secret = createHmac('sha256', ctx.config.sessionSecret).update('newsroom csrf').digest('hex');
    u = doubleCsrf({
      getSecret: () => secret,
      // A signed-in user's tokens are bound to their session, so one from another browser (or
      // from before sign-in) fails. Anonymous forms (sign-in) get no stored session (a crawler
      // would fill Redis); their token is still checked against its SameSite=Strict cookie.
      getSessionIdentifier: (req) => (req.session?.userId ? req.sessionID : 'anonymous'),
      cookieName: ctx.config.isProduction ? '__Host-newsroom.csrf' : 'newsroom.csrf',
      cookieOptions: { sameSite: 'strict', secure: ctx.config.isProduction, httpOnly: true, path: '/' },
      getCsrfTokenFromRequest: (req) => {
        const header = req.headers[CSRF_HEADER] ?? req.headers[BOARD_CSRF_HEADER];
        if (typeof header === 'string') return header;
        const body = req.body as Record<string, unknown> | undefined;
        return typeof body?.[CSRF_FIELD] === 'string' ? (body[CSRF_FIELD] as string) : undefined;
      },
      skipCsrfProtection: authenticatedByBearer,
    });
    instances.set(ctx.config, u);
  }
  return u;
}

/**
 * Rejects every state-changing request (not GET/HEAD/OPTIONS) whose CSRF token is missing or
 * wrong with 403 `csrf_invalid` (a desk page or JSON under /api). Only requests authenticated
 * by a bearer token are exempt; session-authenticated API calls send the token in
 * `x-csrf-token`, Bull Board's client in `x-xsrf-token`.
 */
export function csrfProtection(ctx: AppContext): RequestHandler {
  const { validateRequest } = utilities(ctx);
  return (req, _res, next) => {
    if (
      req.method === 'GET' ||
      req.method === 'HEAD' ||
      req.method === 'OPTIONS' ||
      authenticatedByBearer(req)
    ) {
      next();
      return;
    }
    if (validateRequest(req)) {
      next();
      return;
    }
    next(
      new AppError(
        403,
        'csrf_invalid',
        'The form expired or did not come from this site (missing or invalid security token). Go back, reload the page and try again.',
      ),
    );
  };
}

/** The token to put into a form's hidden `_csrf` field (or a page's meta tag); sets its cookie. */
export function csrfToken(ctx: AppContext, req: Request, res: Response): string {
  return utilities(ctx).generateCsrfToken(req, res);
}
