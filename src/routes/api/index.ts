import { Router } from 'express';
import type { AppContext } from '../../context.js';
import { authenticate } from '../../middleware/authenticate.js';
import { csrfProtection } from '../../middleware/csrf.js';
import { requireUser } from '../../policies/require-role.js';
import { workflowStats } from '../../workflow/stats.js';
import { apiRoute } from './openapi/api-route.js';
import { openApiDocument } from './openapi/document.js';
import { mtRouter } from './mt.routes.js';
import { taskXliffRouter } from './task-xliff.routes.js';
import { storiesRouter } from './stories.routes.js';
import { tasksRouter } from './tasks.routes.js';
import { termsRouter } from './terms.routes.js';
import { tmRouter } from './tm.routes.js';
import { webhooksRouter } from './webhooks.routes.js';

/**
 * The JSON API under /api/v1 (docs/api.md): session or bearer-token authentication, role
 * and language-pair authorisation, zod-validated input, `{error: {code, message}}` on 4xx.
 * Every route is declared with `apiRoute` and so appears in /api/v1/openapi.json.
 */
export function apiRouter(ctx: AppContext): Router {
  const router = Router();
  let document: ReturnType<typeof openApiDocument> | undefined;
  apiRoute(
    router,
    'get',
    '/openapi.json',
    {
      tag: 'Reference',
      summary: 'This OpenAPI document',
      description: 'Rendered for people at /api/docs.',
      access: 'public',
      responses: { 200: 'OpenAPI 3.1' },
    },
    (_input, _req, res) => {
      // Built once, on first use: by then every route is in the router.
      document ??= openApiDocument(router, {
        version: API_VERSION,
        serverUrl: `${ctx.config.publicUrl}/api/v1`,
      });
      res.set('Cache-Control', 'no-cache').json(document);
    },
  );

  router.use(authenticate);
  // A desk session is an ambient credential: its state changes need the CSRF token too.
  // Bearer-token and anonymous calls skip this (the latter then get a clear 401).
  const csrf = csrfProtection(ctx);
  router.use((req, res, next) => (req.user ? csrf(req, res, next) : next()));
  router.use(storiesRouter(ctx));
  router.use(tasksRouter(ctx));
  router.use(tmRouter(ctx));
  router.use(termsRouter(ctx));
  router.use(webhooksRouter(ctx));
  router.use(mtRouter(ctx));
  router.use(taskXliffRouter(ctx));
  apiRoute(
    router,
    'get',
    '/stats',
    {
      tag: 'Statistics',
      summary: 'Workflow statistics per language pair',
      description:
        'Open tasks by state, the oldest unapproved task’s age, translations published per day (7 days, UTC).',
      access: 'any desk user',
      guards: [requireUser],
      responses: { 200: 'Per-pair statistics' },
    },
    async (_input, _req, res) => {
      res.json({ pairs: await workflowStats(ctx) });
    },
  );
  return router;
}

/** The API's version in the document: /api/v1 changes only compatibly. */
const API_VERSION = '1.0.0';
