import { z } from 'zod';
import { publishScheduledRelease } from '../commands/schedule-release.js';
import { releaseHeldStory } from '../workflow/coordinated-release.js';
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

/** At a held story's embargo time: releases it if its languages are ready (else it waits for them). */
export const releaseHeldStoryJob = defineJob({
  name: 'story.release-held',
  queue: 'schedule',
  payload: z.object({ storyId: z.string().min(1), at: z.number().int() }),
  jobId: (p) => `embargo-${p.storyId}-${p.at}`,
  handler: async (p, ctx) => {
    if (p.at > Date.now() + 1_000) throw new Error('ran before its time; retried with backoff');
    return releaseHeldStory(ctx, p.storyId);
  },
});
