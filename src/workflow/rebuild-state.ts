import type { AppContext } from '../context.js';
import { Release, type ReleaseDoc } from '../models/release.js';
import { Task, type TaskDoc } from '../models/translation-task.js';
import { sweepLeasesJob } from '../jobs/sweep-leases.job.js';
import { enqueueScheduled } from './outbox-handlers.js';
import { jobQueues } from './queues.js';
import { enqueueReady, markTranslating, recordLease } from './ready-queue.js';
import { ensureMemoryIndex } from './translation-memory.js';

/**
 * Brings the workflow's Redis state in line with MongoDB, the source of truth: every open
 * task in its ready queue, every claimed task's lease, every story's `translating` set, and
 * the translation memory's fuzzy index, and a delayed job per scheduled release. Additive and idempotent (ZADD/SADD), so it is safe
 * to run at every worker start, also after Redis lost its data.
 */
export async function rebuildWorkflowState(
  ctx: AppContext,
): Promise<{ open: number; claimed: number; scheduled: number }> {
  let open = 0;
  let claimed = 0;
  for await (const task of Task.find().lean<TaskDoc[]>().cursor()) {
    const t = task as unknown as TaskDoc;
    await markTranslating(ctx, t.story, t.to);
    if (t.state === 'open') {
      await enqueueReady(ctx, t);
      open++;
    } else if (t.state === 'in_progress') {
      await recordLease(ctx, t);
      claimed++;
    }
  }
  await ensureMemoryIndex(ctx);
  // Scheduled releases: their delayed jobs again (a no-op for those Redis still has).
  let scheduled = 0;
  for (const r of await Release.find({ status: 'scheduled' }, { _id: 1, scheduledAt: 1 }).lean<
    ReleaseDoc[]
  >()) {
    if (!r.scheduledAt) continue;
    await enqueueScheduled(ctx, r._id, new Date(r.scheduledAt).getTime());
    scheduled++;
  }
  return { open, claimed, scheduled };
}

/** Languages of a story with an open task (what the reader's "translation in progress" shows). */
export const translatingLanguages = (ctx: AppContext, storyId: string) =>
  ctx.redis.smembers(ctx.keys.translating(storyId));

/** Installs the once-a-minute lease sweep (idempotent: one scheduler id per Redis). */
export async function scheduleLeaseSweep(ctx: AppContext): Promise<void> {
  await jobQueues(ctx)
    .queue(sweepLeasesJob.queue)
    .upsertJobScheduler('workflow-sweep-leases', { every: 60_000 }, { name: sweepLeasesJob.name, data: {} });
}
