import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Router, type ErrorRequestHandler } from 'express';
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
 */
export function queueBoardRouter(ctx: WebContext, basePath = '/desk/queues'): Router {
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
  router.use(serverAdapter.getRouter());
  // The board's own JSON calls get the JSON error (code in the body) from the app's handler;
  // its pages get the desk's.
  const deskErrors = deskErrorHandler(ctx);
  router.use(((err, req, res, next) =>
    req.originalUrl.startsWith(`${basePath}/api/`)
      ? next(err)
      : deskErrors(err, req, res, next)) as ErrorRequestHandler);
  return router;
}
