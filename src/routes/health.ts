import { Router } from 'express';
import mongoose from 'mongoose';
import type { AppContext } from '../context.js';

const withTimeout = <T>(p: Promise<T>, ms: number) =>
  Promise.race([
    p,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms)),
  ]);

/** `/healthz`: the process is alive. `/readyz`: MongoDB and Redis answer; else 503 naming which. */
export function healthRouter(ctx: AppContext): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const checks = await Promise.allSettled([
      withTimeout(mongoose.connection.db!.command({ ping: 1 }), 1_000),
      withTimeout(ctx.redis.ping(), 1_000),
    ]);
    const failing = (['mongodb', 'redis'] as const).filter((_, i) => checks[i].status === 'rejected');
    res.set('Cache-Control', 'no-store');
    if (failing.length === 0) {
      res.json({ status: 'ready', mongodb: 'ok', redis: 'ok' });
      return;
    }
    const reasons = Object.fromEntries(
      failing.map((name) => [
        name,
        String(
          (checks[name === 'mongodb' ? 0 : 1] as PromiseRejectedResult).reason?.message ?? 'unreachable',
        ),
      ]),
    );
    res.status(503).json({ status: 'unavailable', failing, reasons });
  });
  return router;
}
