import type { AppContext } from '../context.js';
import { publishTranslationJob } from '../jobs/publish.job.js';
import { publishScheduledJob, releaseHeldStoryJob } from '../jobs/schedule.job.js';
import { taskQaJob } from '../jobs/review.job.js';
import { jobQueues } from './queues.js';

/**
 * The workflow's reactions to outbox events, listed in `src/outbox/handlers.ts`. Each runs
 * until it succeeds (the relay retries while Redis is down) and is idempotent (deterministic
 * job ids; writeRelease no-ops).
 */

/** A delayed job publishing a release at `at` (idempotent: one job id per release and time). */
export async function enqueueScheduled(ctx: AppContext, releaseId: string, at: number): Promise<void> {
  await jobQueues(ctx).enqueue(
    publishScheduledJob,
    { releaseId, at },
    { delay: Math.max(0, at - Date.now()) },
  );
}

/** A delayed job releasing a held story at its embargo time. */
export async function enqueueEmbargoRelease(ctx: AppContext, storyId: string, at: number): Promise<void> {
  await jobQueues(ctx).enqueue(releaseHeldStoryJob, { storyId, at }, { delay: Math.max(0, at - Date.now()) });
}

/** The automatic QA of a submitted revision (one job per task and revision). */
export async function enqueueQa(ctx: AppContext, taskId: string, revision: number): Promise<void> {
  await jobQueues(ctx).enqueue(taskQaJob, { taskId, revision });
}

/** The publish of an approved task (one job per task). */
export async function enqueuePublish(ctx: AppContext, taskId: string): Promise<void> {
  await jobQueues(ctx).enqueue(publishTranslationJob, { taskId });
}
