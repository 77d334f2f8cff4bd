import { Router } from 'express';
import type { AppContext } from '../../context.js';
import { authenticate } from '../../middleware/authenticate.js';
import { requireUser } from '../../policies/require-role.js';
import { workflowStats } from '../../workflow/stats.js';
import { storiesRouter } from './stories.routes.js';
import { tasksRouter } from './tasks.routes.js';

/**
 * The JSON API under /api/v1 (docs/api.md): session or bearer-token authentication, role
 * and language-pair authorisation, zod-validated input, `{error: {code, message}}` on 4xx.
 */
export function apiRouter(ctx: AppContext): Router {
  const router = Router();
  router.use(authenticate);
  router.use(storiesRouter(ctx));
  router.use(tasksRouter(ctx));
  router.get('/stats', requireUser, async (_req, res) => {
    res.json({ pairs: await workflowStats(ctx) });
  });
  return router;
}
