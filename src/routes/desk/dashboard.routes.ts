import { Router } from 'express';
import type { WebContext } from '../../web-context.js';
import { deskT, renderDeskPage } from './desk-page.js';
import { currentDeskUser, hasRole } from './desk-user.js';

/** The desk home: what the signed-in person can do next, by role and language pair. */
export function dashboardRoutes(ctx: WebContext): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const user = currentDeskUser(res)!;
    renderDeskPage(ctx, req, res, 'dashboard', {
      title: deskT(ctx, req)('desk:dashboard.title'),
      translator: hasRole(user, 'translator') ? { pairs: user.pairs.map((pair) => ({ pair })) } : undefined,
      reviewer: hasRole(user, 'reviewer') ? { pairs: user.pairs } : undefined,
      editor: hasRole(user, 'editor'),
    });
  });
  return router;
}
