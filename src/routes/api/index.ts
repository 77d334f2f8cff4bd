import { Router } from 'express';
import type { AppContext } from '../../context.js';
import { authenticate } from '../../middleware/authenticate.js';
import { csrfProtection } from '../../middleware/csrf.js';
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
  // A desk session is an ambient credential: its state changes need the CSRF token too.
  // Bearer-token and anonymous calls skip this (the latter then get a clear 401).
  const csrf = csrfProtection(ctx);
  router.use((req, res, next) => (req.user ? csrf(req, res, next) : next()));
  router.use(storiesRouter(ctx));
  router.use(tasksRouter(ctx));
  router.get('/stats', requireUser, async (_req, res) => {
    res.json({ pairs: await workflowStats(ctx) });
  });
  return router;
}
