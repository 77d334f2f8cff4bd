import { timingSafeEqual, createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { Router, type RequestHandler } from 'express';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import { metricsText } from '../metrics/metrics-text.js';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** `Authorization: Bearer <METRICS_TOKEN>`, compared in constant time. */
function tokenMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return !!m && timingSafeEqual(digest(m[1]), digest(token));
}

/**
 * `GET /metrics` on the main port, in Prometheus text format, for a scraper holding
 * METRICS_TOKEN. Without METRICS_TOKEN the main port has no /metrics (404): use
 * METRICS_PORT, a port of its own that the network keeps private.
 */
export function metricsRouter(ctx: AppContext): Router {
  const router = Router();
  const token = ctx.config.METRICS_TOKEN;
  const serve: RequestHandler = async (req, res) => {
    if (!token) throw new AppError(404, 'not_found', 'Not found');
    if (!tokenMatches(req.get('authorization'), token)) {
      res.set('WWW-Authenticate', 'Bearer realm="metrics"');
      throw new AppError(401, 'invalid_token', 'Send Authorization: Bearer <METRICS_TOKEN>');
    }
    const { contentType, body } = await metricsText(ctx);
    res.set('Cache-Control', 'no-store').type(contentType).send(body);
  };
  router.get('/metrics', serve);
  return router;
}

/**
 * METRICS_PORT: /metrics on a port of its own (every process: web and workers), answered
 * without a token unless METRICS_TOKEN is also set. Resolves with undefined when not configured.
 */
export async function startMetricsServer(ctx: AppContext): Promise<Server | undefined> {
  const port = ctx.config.METRICS_PORT;
  if (port === undefined) return undefined;
  const token = ctx.config.METRICS_TOKEN;
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    if (token && !tokenMatches(req.headers.authorization, token)) {
      res.writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer realm="metrics"' });
      res.end('send Authorization: Bearer <METRICS_TOKEN>\n');
      return;
    }
    metricsText(ctx).then(
      ({ contentType, body }) =>
        res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' }).end(body),
      (err: unknown) => {
        ctx.log.warn({ err }, 'metrics: scrape failed');
        res.writeHead(503, { 'content-type': 'text/plain' }).end('metrics unavailable\n');
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, ctx.config.HOST, () => resolve());
  });
  return server;
}
