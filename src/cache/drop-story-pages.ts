import type { AppContext } from '../context.js';
import { jobQueues } from '../workflow/queues.js';
import { renderPagesJob } from './render-pages.job.js';
import { surrogate } from './surrogate-keys.js';

/**
 * A story-level change readers see on every version (its press contact): drops the story's
 * pages in every process, then has the worker render them again. No listing shows it.
 */
export async function dropStoryPages(ctx: AppContext, storyId: string): Promise<void> {
  await ctx.pageCache.invalidate([surrogate.story(storyId)]);
}

/** The outbox reaction: drop again (a repeat is harmless), then render ahead of readers. */
export async function refreshStoryPages(ctx: AppContext, storyId: string, eventId: string): Promise<void> {
  await dropStoryPages(ctx, storyId);
  // BullMQ refuses ':' in a job id; the event's id makes a repeated relay a no-op.
  const jobId = `pages.${eventId.replaceAll(':', '.')}`;
  await jobQueues(ctx).enqueue(renderPagesJob, { storyIds: [storyId], langs: [] }, { jobId });
}
