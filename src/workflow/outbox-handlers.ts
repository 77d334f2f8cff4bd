import type { AppContext } from '../context.js';
import { writeRelease } from '../commands/write-release.js';
import { publishTranslationJob } from '../jobs/publish.job.js';
import { publishScheduledJob, releaseHeldStoryJob } from '../jobs/schedule.job.js';
import { taskQaJob } from '../jobs/review.job.js';
import { translationFanOutJob } from '../jobs/translation.job.js';
import { releaseId } from '../models/ids.js';
import { Release, type ReleaseDoc } from '../models/release.js';
import type { OutboxPayload } from '../outbox/events.js';
import { isTranslatable } from './coordinated-release.js';
import { jobQueues } from './queues.js';

/**
 * The workflow's reactions to outbox events, listed in `src/outbox/handlers.ts`. Each runs
 * until it succeeds (the relay retries while Redis is down) and is idempotent (deterministic
 * job ids; writeRelease no-ops).
 */

/** A pivot-language release changed: mark translations made from it outdated, fan out new tasks. */
export async function followSourceChange(
  ctx: AppContext,
  { storyId, lang, contentChanged }: OutboxPayload<'release.changed'>,
): Promise<void> {
  const release = await Release.findById(releaseId(storyId, lang)).lean<ReleaseDoc>();
  if (!Object.values(ctx.config.pivots).includes(lang)) return;
  if (release?.status === 'published' && (contentChanged || release.outdated)) {
    await markDownstreamOutdated(ctx, release);
  }
  if (release && (await isTranslatable(release))) {
    await jobQueues(ctx).enqueue(translationFanOutJob, { storyId, lang, revision: release.revision });
  }
}

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

/**
 * Marks the published translations made from an older version of `release` outdated (still
 * shown, with a notice). Their own release.changed events carry the mark down the pivot chain.
 */
async function markDownstreamOutdated(ctx: AppContext, release: ReleaseDoc): Promise<void> {
  for (const [to, from] of Object.entries(ctx.config.pivots)) {
    if (from !== release.lang) continue;
    const t = await Release.findById(releaseId(release.story, to)).lean<ReleaseDoc>();
    if (!t || t.status !== 'published' || t.outdated || t.translatedFrom !== release.lang) continue;
    if (!release.outdated && t.sourceRevision === release.revision) continue;
    await writeRelease(
      {
        storyId: t.story,
        lang: t.lang,
        title: t.title,
        lead: t.lead,
        body: t.body,
        section: t.section,
        tags: t.tags ?? [],
        outdated: true,
        by: { userId: 'system', name: 'System', role: 'system' },
        note: `source ${release._id} changed (revision ${release.revision})`,
      },
      ctx,
    );
  }
}
