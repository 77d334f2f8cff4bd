import type { AppContext } from '../context.js';
import { jobQueues } from '../workflow/queues.js';
import { deriveMediaJob } from './derive.job.js';

/** The reaction to `media.uploaded`: the worker encodes the renditions (one job per picture). */
export async function enqueueRenditions(ctx: AppContext, mediaId: string): Promise<void> {
  await jobQueues(ctx).enqueue(deriveMediaJob, { mediaId });
}
