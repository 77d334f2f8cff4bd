import compression from 'compression';
import cookieParser from 'cookie-parser';
import express, { type Express } from 'express';
import helmet from 'helmet';
import { multipartForms } from './middleware/multipart.js';
import { join } from 'node:path';
import { pageCacheFastPath } from './middleware/cached-response.js';
import { cleanRequestInput } from './middleware/clean-input.js';
import { errorHandler, notFoundHandler } from './middleware/errors.js';
import { observeRequests, restoreRequestContext } from './middleware/observe-requests.js';
import { ROOT } from './paths.js';
import { CLIENT_ASSETS_DIR } from './views/client-assets.js';
import { healthRouter } from './routes/health.js';
import { metricsRouter } from './routes/metrics.routes.js';
import { feedsRouter } from './routes/feeds/index.js';
import { readerRouter } from './routes/reader/index.js';
import { mediaRouter } from './routes/media/media.routes.js';
import { apiRouter } from './routes/api/index.js';
import { apiDocsRouter } from './routes/api-docs.routes.js';
import { queueBoardRouter } from './routes/api/queue-board.js';
import { sessionMiddleware } from './middleware/session.js';
import { deskRouter } from './routes/desk/index.js';
import type { WebContext } from './web-context.js';

/** Builds the Express app (no listen): tests import it, server.ts serves it. */
export function createApp(ctx: WebContext): Express {
  const app = express();
  app.disable('x-powered-by');
  // Forwarded headers only from the proxies named in TRUST_PROXY (none by default).
  app.set('trust proxy', ctx.config.TRUST_PROXY ?? false);
  app.set('etag', false); // we compute our own strong ETags on cached responses
  app.use(observeRequests(ctx, () => app.router)); // request id, access log line, request metrics
  app.use(pageCacheFastPath(ctx)); // cached public pages and feeds skip the rest of the stack
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'https:', 'data:'],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
      crossOriginEmbedderPolicy: false,
    }),
  );
  app.use(compression());
  app.use(healthRouter(ctx));
  app.use(metricsRouter(ctx)); // Prometheus, for a scraper holding METRICS_TOKEN
  // Client bundles (public/assets/, content-hashed names) are immutable; the rest of public/ is not.
  app.use('/assets', express.static(CLIENT_ASSETS_DIR, { immutable: true, maxAge: '365d', index: false }));
  app.use('/assets', express.static(join(ROOT, 'public'), { maxAge: ctx.config.isProduction ? '1d' : 0 }));
  app.use(mediaRouter(ctx)); // picture renditions: public, immutable, no session
  app.use(express.json({ limit: '2mb' }));
  app.use(express.urlencoded({ extended: false, limit: '2mb' }));
  app.use('/desk', multipartForms); // file uploads (TMX, TBX, XLIFF imports)
  app.use(cookieParser());
  app.use(restoreRequestContext);
  app.use(cleanRequestInput); // control characters out, query operators refused, for every route
  app.use(['/desk', '/api'], sessionMiddleware(ctx), restoreRequestContext); // desk sessions; reader pages never touch Redis for them
  app.use('/desk/queues', queueBoardRouter(ctx)); // Bull Board, admins only
  app.use('/desk', deskRouter(ctx));
  app.use('/api/v1', apiRouter(ctx));
  app.use('/api/docs', apiDocsRouter()); // the API reference page, with a CSP of its own
  app.use(feedsRouter(ctx)); // before the reader: it has /:lang/... routes
  app.use(readerRouter(ctx));
  app.use(notFoundHandler(ctx));
  app.use(errorHandler(ctx));
  return app;
}
