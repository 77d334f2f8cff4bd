import { z } from 'zod';
import { returnExpiredLeases } from '../commands/expire-leases.js';
import { defineJob } from './define-job.js';

/**
 * Every minute (a BullMQ job scheduler, one per Redis however many workers run): returns
 * tasks whose lease ran out to their queues, so listings and stats show them open. Claims
 * do the same lazily, so correctness never waits for this sweep.
 */
export const sweepLeasesJob = defineJob({
  name: 'workflow.sweep-leases',
  queue: 'maintenance',
  payload: z.object({}).passthrough(),
  options: { attempts: 1, removeOnComplete: { count: 10 }, removeOnFail: { count: 100 } },
  handler: async (_p, ctx) => {
    const pairs = Object.entries(ctx.config.pivots).map(([to, from]) => `${from}:${to}`);
    let returned = 0;
    for (const pair of pairs) returned += await returnExpiredLeases(ctx, pair);
    return returned;
  },
});
