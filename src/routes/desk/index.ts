import { Router, type Request } from 'express';
import { csrfProtection } from '../../middleware/csrf.js';
import type { WebContext } from '../../web-context.js';
import { dashboardRoutes } from './dashboard.routes.js';
import { deskErrorHandler, deskNotFound } from './desk-errors.js';
import { loadDeskUser, requireSignIn } from './desk-user.js';
import { languageRoutes } from './language.routes.js';
import { loginRoutes } from './login.routes.js';
import { reviewRoutes } from './review.routes.js';
import { publishingRoutes } from './publishing.routes.js';
import { storyRoutes } from './story.routes.js';
import { mediaDeskRoutes } from './media.routes.js';
import { overviewRoutes } from './overview.routes.js';
import { writingRoutes } from './writing.routes.js';
import { passwordLinkRoutes, usersRoutes } from './users.routes.js';
import { taskListRoutes } from './task-list.routes.js';
import { taskRoutes } from './task.routes.js';
import { termsDeskRoutes } from './terms.routes.js';
import { tmDeskRoutes } from './tm.routes.js';
import { webhooksDeskRoutes } from './webhooks.routes.js';

/** Bull Board (/desk/queues) is mounted before the desk and guards itself (admins, CSRF). */
const isQueueBoard = (req: Request) => req.path === '/queues' || req.path.startsWith('/queues/');

/**
 * The desk under /desk (sessions are mounted by app.ts): every request gets its user loaded,
 * every state-changing one its CSRF token checked; everything but sign-in needs a signed-in
 * user, and each page checks roles and language pairs itself.
 */
export function deskRouter(ctx: WebContext): Router {
  const router = Router();
  const csrf = csrfProtection(ctx);
  const signedIn = requireSignIn();
  router.use(loadDeskUser());
  router.use((req, res, next) => (isQueueBoard(req) ? next() : csrf(req, res, next)));
  router.use(loginRoutes(ctx));
  router.use(languageRoutes(ctx));
  router.use(passwordLinkRoutes(ctx));
  router.use((req, res, next) => (isQueueBoard(req) ? next() : signedIn(req, res, next)));
  router.use(dashboardRoutes(ctx));
  router.use(taskListRoutes(ctx));
  router.use(taskRoutes(ctx));
  router.use(reviewRoutes(ctx));
  router.use(usersRoutes(ctx));
  router.use(overviewRoutes(ctx));
  router.use(writingRoutes(ctx));
  router.use(publishingRoutes(ctx));
  router.use(mediaDeskRoutes(ctx));
  router.use(storyRoutes(ctx));
  router.use(tmDeskRoutes(ctx));
  router.use(termsDeskRoutes(ctx));
  router.use(webhooksDeskRoutes(ctx));
  router.use(deskNotFound);
  router.use(deskErrorHandler(ctx));
  return router;
}
