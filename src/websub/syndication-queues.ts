import type { Redis } from 'ioredis';
import type { AppContext } from '../context.js';
import { JobQueues } from '../jobs/registry.js';

const queues = new WeakMap<Redis, JobQueues>();

/**
 * The producer side for syndication jobs in this process: one set of queue connections per
 * Redis client, shared by the hub route and the outbox handler.
 */
export function syndicationQueues(ctx: AppContext): JobQueues {
  let q = queues.get(ctx.redis);
  if (!q) {
    q = new JobQueues(ctx);
    queues.set(ctx.redis, q);
  }
  return q;
}

/** Closes this process's syndication queue connections (tests and shutdown). */
export async function closeSyndicationQueues(ctx: AppContext): Promise<void> {
  const q = queues.get(ctx.redis);
  queues.delete(ctx.redis);
  await q?.close();
}
