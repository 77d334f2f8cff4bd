import { z } from 'zod';
import { defineJob } from '../jobs/define-job.js';
import { ensureAllRenditions } from './renditions-store.js';

export const MEDIA_QUEUE = 'media';

/**
 * After an upload, the worker encodes every rendition (widths × AVIF/WebP/fallback) ahead of
 * readers, so the first page view does not wait for encoders. Safe to run twice: stored
 * renditions are skipped. (A rendition asked for before the job ran is encoded on demand.)
 */
export const deriveMediaJob = defineJob({
  name: 'media.derive',
  queue: MEDIA_QUEUE,
  payload: z.object({ mediaId: z.string().regex(/^[0-9a-f]{32}$/) }),
  options: { attempts: 3, backoff: { type: 'exponential', delay: 2_000 }, removeOnComplete: true },
  jobId: (p) => `media-derive-${p.mediaId}`,
  handler: async (p, ctx) => ({
    made: await ensureAllRenditions(p.mediaId, ctx.config.MEDIA_MAX_MEGAPIXELS * 1_000_000),
  }),
});
