import { z } from 'zod';
import { fanOutTranslations } from '../workflow/fan-out.js';
import { defineJob } from './define-job.js';

/**
 * Fan-out of a published (or changed) release into one translation task per target
 * language. The job id derives from story, language and release revision, so the outbox
 * relaying the same change twice enqueues it once.
 */
export const translationFanOutJob = defineJob({
  name: 'translation.fan-out',
  queue: 'translation',
  payload: z.object({
    storyId: z.string().min(1),
    lang: z.string().min(2),
    revision: z.number().int().min(1),
  }),
  options: { attempts: 8, backoff: { type: 'exponential', delay: 1_000 } },
  jobId: (p) => `fanout-${p.storyId}-${p.lang}-r${p.revision}`,
  handler: (p, ctx) => fanOutTranslations(ctx, p.storyId, p.lang),
});
