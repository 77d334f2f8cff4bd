import { Router, type ErrorRequestHandler, type RequestHandler } from 'express';
import type { WebContext } from '../../web-context.js';
import { deskErrorHandler } from '../desk/desk-errors.js';
import { loadDeskUser } from '../desk/desk-user.js';
import { JOBS } from '../../jobs/registry.js';
import { authenticate } from '../../middleware/authenticate.js';
import { authenticatedByBearer, csrfProtection, csrfToken } from '../../middleware/csrf.js';
import { defaultErrorCode } from '../../middleware/error-code.js';
import { requireRole } from '../../policies/require-role.js';
import { jobQueues } from '../../workflow/queues.js';

/**
 * Bull Board at /desk/queues for admins (desk session or bearer token): queue depths,
 * failed jobs kept after their last attempt, and a retry button. Its pages need inline
 * styles, so this router relaxes the strict CSP (styles only) for its path only; its state
 * changes need the CSRF token like every other cookie-authenticated one.
 *
 * The board itself is built on an admin's first request: its libraries (lodash, valibot, its
 * UI's server) are several megabytes of heap that a web process serving readers never needs.
 * Once built, its router fills a slot in this one's stack after the checks, so every later
 * request, and anything reading the app's routes, goes through it as if built at start.
 */
export function queueBoardRouter(ctx: WebContext, basePath = '/desk/queues'): Router {
  const router = Router();
  const csrf = csrfProtection(ctx);
  // Signed-out, non-admin: the desk's own 401/403 page (its layout and language), not the public one.
  router.use(defaultErrorCode, loadDeskUser(), authenticate, requireRole('admin'), (req, res, next) => {
    // The board's markup has inline styles; its scripts are files, so scripts stay 'self'.
    res.setHeader(
      'Content-Security-Policy',
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline' https://fonts.googleapis.com; font-src 'self' https://fonts.gstatic.com; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
    );
    // The board's client (axios) copies a readable XSRF-TOKEN cookie into X-XSRF-TOKEN on its
    // own-origin calls; its pause, retry, clean and add-job calls are then checked like desk forms.
    if (req.method === 'GET' && !authenticatedByBearer(req)) {
      res.cookie('XSRF-TOKEN', csrfToken(ctx, req, res), {
        path: basePath,
        sameSite: 'strict',
        secure: ctx.config.isProduction,
        httpOnly: false,
      });
    }
    csrf(req, res, next);
  });
  // Empty until the board is built: then its router, in this place of the stack.
  const boardSlot = Router();
  let built: Promise<void> | undefined;
  const buildOnFirstUse: RequestHandler = (_req, _res, next) => {
    built ??= buildBoard(ctx, basePath).then((board) => {
      boardSlot.use(board);
    });
    built.then(
      () => next(),
      (err: unknown) => {
        built = undefined; // tried again by the next request
        next(err);
      },
    );
  };
  router.use(buildOnFirstUse, boardSlot);
  // The board's own JSON calls get the JSON error (code in the body) from the app's handler;
  // its pages get the desk's.
  const deskErrors = deskErrorHandler(ctx);
  router.use(((err, req, res, next) =>
    req.originalUrl.startsWith(`${basePath}/api/`)
      ? next(err)
      : deskErrors(err, req, res, next)) as ErrorRequestHandler);
  return router;
}

async function buildBoard(ctx: WebContext, basePath: string): Promise<Router> {
  const [{ createBullBoard }, { BullMQAdapter }, { ExpressAdapter }] = await Promise.all([
    import('@bull-board/api'),
    import('@bull-board/api/bullMQAdapter'),
    import('@bull-board/express'),
  ]);
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(basePath);
  const queues = [...new Set(JOBS.map((j) => j.queue))].map(
    (name) => new BullMQAdapter(jobQueues(ctx).queue(name)),
  );
  // @bull-board/express pins its own copy of @bull-board/api; the adapter is the same at runtime.
  type BoardServer = Parameters<typeof createBullBoard>[0]['serverAdapter'];
  createBullBoard({
    queues,
    serverAdapter: serverAdapter as unknown as BoardServer,
    options: { uiConfig: { boardTitle: 'Newsroom queues', miscLinks: [{ text: '← Desk', url: '/desk/' }] } },
  });
  return serverAdapter.getRouter() as Router;
}
