import { z } from 'zod';
import { publishScheduledRelease } from '../commands/schedule-release.js';
import { defineJob } from './define-job.js';

/**
 * Publishes a scheduled release at its time (a delayed job). One job id per release and
 * time, so re-requesting it (outbox relay, worker-start reconcile) is a no-op.
 */
export const publishScheduledJob = defineJob({
  name: 'release.publish-scheduled',
  queue: 'schedule',
  payload: z.object({ releaseId: z.string().min(1), at: z.number().int() }),
  jobId: (p) => `scheduled-${p.releaseId}-${p.at}`,
  handler: async (p, ctx) => {
    const outcome = await publishScheduledRelease(ctx, p.releaseId, p.at);
    if (outcome === 'early') throw new Error('ran before its time; retried with backoff');
    return outcome;
  },
});
