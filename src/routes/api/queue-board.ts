import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Router } from 'express';
import type { AppContext } from '../../context.js';
import { JOBS } from '../../jobs/registry.js';
import { authenticate } from '../../middleware/authenticate.js';
import { requireRole } from '../../policies/require-role.js';
import { jobQueues } from '../../workflow/queues.js';

/**
 * Bull Board at /desk/queues for admins (desk session or bearer token): queue depths,
 * failed jobs kept after their last attempt, and a retry button. Its pages need their own
 * scripts and styles, so this router relaxes the strict CSP for its path only.
 */
export function queueBoardRouter(ctx: AppContext, basePath = '/desk/queues'): Router {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(basePath);
  const queues = [...new Set(JOBS.map((j) => j.queue))].map(
    (name) => new BullMQAdapter(jobQueues(ctx).queue(name)),
  );
  // @bull-board/express pins its own copy of @bull-board/api; the adapter is the same at runtime.
  type BoardServer = Parameters<typeof createBullBoard>[0]['serverAdapter'];
  createBullBoard({ queues, serverAdapter: serverAdapter as unknown as BoardServer });
  const router = Router();
  router.use(authenticate, requireRole('admin'), (_req, res, next) => {
    res.setHeader(
      'Content-Security-Policy',
      "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline' https://fonts.googleapis.com; font-src 'self' https://fonts.gstatic.com; img-src 'self' data:; frame-ancestors 'none'",
    );
    next();
  });
  router.use(serverAdapter.getRouter());
  return router;
}
