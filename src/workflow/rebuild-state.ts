import type { AppContext } from '../context.js';
import { publishTranslationJob } from '../jobs/publish.job.js';
import { reconcileWorkflowJob } from '../jobs/reconcile.job.js';
import { taskQaJob } from '../jobs/review.job.js';
import { sweepLeasesJob } from '../jobs/sweep-leases.job.js';
import { Release, type ReleaseDoc } from '../models/release.js';
import { Task, type TaskDoc } from '../models/translation-task.js';
import { enqueueScheduled } from './outbox-handlers.js';
import { jobQueues } from './queues.js';
import { enqueueReady, markTranslating, recordLease } from './ready-queue.js';
import { ensureMemoryIndex } from './translation-memory.js';

export interface Reconciliation {
  open: number;
  claimed: number;
  /** Submitted tasks whose QA job was missing or failed, requested again. */
  qa: number;
  /** Approved tasks whose publish job was missing, failed or done without publishing, requested again. */
  publish: number;
  scheduled: number;
}

/**
 * Brings the workflow's Redis state and jobs in line with MongoDB, the source of truth, so
 * every task is where its state says: open → in its ready queue (a web process killed between
 * the queue pop and the claim loses nothing); claimed → its lease recorded; submitted → a QA
 * job due; approved → a publish job due (a publish that died half-way is done again). Also
 * every story's `translating` set and, with `scheduled`, a delayed job per scheduled release.
 * Additive and idempotent (ZADD/SADD, deterministic job ids), so it runs at every worker
 * start and every few minutes (`scheduleReconciliation`).
 */
export async function reconcileWorkflow(
  ctx: AppContext,
  opts: { scheduled?: boolean } = {},
): Promise<Reconciliation> {
  const done: Reconciliation = { open: 0, claimed: 0, qa: 0, publish: 0, scheduled: 0 };
  const queues = jobQueues(ctx);
  for await (const task of Task.find().lean<TaskDoc[]>().cursor()) {
    const t = task as unknown as TaskDoc;
    await markTranslating(ctx, t.story, t.to);
    if (t.state === 'open') {
      await enqueueReady(ctx, t);
      done.open++;
    } else if (t.state === 'in_progress') {
      await recordLease(ctx, t);
      done.claimed++;
    } else if (t.state === 'submitted') {
      const r = await queues.ensure(taskQaJob, { taskId: t._id, revision: t.revision });
      if (r !== 'pending') done.qa++;
    } else if (t.state === 'approved') {
      const r = await queues.ensure(publishTranslationJob, { taskId: t._id });
      if (r !== 'pending') done.publish++;
    }
  }
  if (opts.scheduled) {
    // Scheduled releases: their delayed jobs again (a no-op for those Redis still has).
    for (const r of await Release.find({ status: 'scheduled' }, { _id: 1, scheduledAt: 1 }).lean<
      ReleaseDoc[]
    >()) {
      if (!r.scheduledAt) continue;
      await enqueueScheduled(ctx, r._id, new Date(r.scheduledAt).getTime());
      done.scheduled++;
    }
  }
  return done;
}

/**
 * What a worker does at start: the full reconciliation, scheduled releases included, and the
 * translation memory's index (Redis may have restarted empty).
 */
export async function rebuildWorkflowState(ctx: AppContext): Promise<Reconciliation> {
  const done = await reconcileWorkflow(ctx, { scheduled: true });
  await ensureMemoryIndex(ctx);
  return done;
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

/** How often reconciliation runs besides worker start. */
export const RECONCILE_EVERY_MS = 5 * 60_000;

/** Installs the periodic reconciliation (idempotent: one scheduler id per Redis). */
export async function scheduleReconciliation(ctx: AppContext): Promise<void> {
  await jobQueues(ctx)
    .queue(reconcileWorkflowJob.queue)
    .upsertJobScheduler(
      'workflow-reconcile',
      { every: RECONCILE_EVERY_MS },
      { name: reconcileWorkflowJob.name, data: {} },
    );
}
