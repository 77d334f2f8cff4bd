import { createServer, type Server } from 'node:http';
import { createApp } from './app.js';
import { serveCachedPage, servePageCacheHit } from './middleware/cached-response.js';
import { observeCacheHit } from './middleware/observe-requests.js';
import { createI18n } from './i18n/i18n.js';
import type { Runtime } from './runtime.js';
import { registerCoreHelpers } from './views/helpers.js';
import { Views } from './views/views.js';
import type { WebContext } from './web-context.js';

/** Builds the web context (templates compiled, translations loaded) on top of a runtime. */
export async function createWebContext(runtime: Pick<Runtime, 'ctx'>): Promise<WebContext> {
  const { config } = runtime.ctx;
  const i18n = await createI18n(config.languages, config.sourceLanguage);
  const views = new Views();
  registerCoreHelpers(views, i18n, config.NEWSROOM_TIMEZONE);
  return { ...runtime.ctx, views, i18n };
}

/** Listens on HOST:PORT; resolves with the server once it accepts connections. */
export async function listen(ctx: WebContext): Promise<Server> {
  const app = createApp(ctx);
  // Cached pages and feeds are answered before Express is entered at all: from this process
  // synchronously, else from the shared store in Redis. They count in the request metrics as
  // route `page_cache`.
  const server = createServer((req, res) => {
    const started = process.hrtime.bigint();
    if (servePageCacheHit(ctx, req, res)) return observeCacheHit(req, res, started);
    serveCachedPage(ctx, req, res).then(
      (served) => (served ? observeCacheHit(req, res, started) : app(req, res)),
      () => app(req, res),
    );
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(ctx.config.PORT, ctx.config.HOST, () => resolve());
  });
  return server;
}

/** Stops accepting, lets in-flight requests finish (up to `graceMs`), then closes idle sockets. */
export function closeServer(server: Server, graceMs = 10_000): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => server.closeAllConnections(), graceMs);
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
  });
}
