import type { AppContext } from '../context.js';
import { writeRelease } from '../commands/write-release.js';
import { publishTranslationJob } from '../jobs/publish.job.js';
import { publishScheduledJob, releaseHeldStoryJob } from '../jobs/schedule.job.js';
import { taskQaJob } from '../jobs/review.job.js';
import { translationFanOutJob } from '../jobs/translation.job.js';
import { releaseId } from '../models/ids.js';
import { Release, type ReleaseDoc } from '../models/release.js';
import { onOutboxEvent } from '../outbox/outbox.js';
import { isTranslatable } from './coordinated-release.js';
import { jobQueues } from './queues.js';

/**
 * The workflow's reactions to outbox events. Each runs until it succeeds (the relay retries
 * while Redis is down) and is idempotent (deterministic job ids; writeRelease no-ops).
 * Imported once from runtime.ts.
 */

onOutboxEvent('release.changed', async (payload, ctx) => {
  const storyId = String(payload.storyId);
  const lang = String(payload.lang);
  const release = await Release.findById(releaseId(storyId, lang)).lean<ReleaseDoc>();
  if (!Object.values(ctx.config.pivots).includes(lang)) return;
  if (release?.status === 'published' && (payload.contentChanged || release.outdated)) {
    await markDownstreamOutdated(ctx, release);
  }
  if (release && (await isTranslatable(release))) {
    await jobQueues(ctx).enqueue(translationFanOutJob, { storyId, lang, revision: release.revision });
  }
});

onOutboxEvent('release.scheduled', async (payload, ctx) => {
  await enqueueScheduled(ctx, String(payload.releaseId), Number(payload.at));
});

/** A delayed job publishing a release at `at` (idempotent: one job id per release and time). */
export async function enqueueScheduled(ctx: AppContext, releaseId: string, at: number): Promise<void> {
  await jobQueues(ctx).enqueue(
    publishScheduledJob,
    { releaseId, at },
    { delay: Math.max(0, at - Date.now()) },
  );
}

onOutboxEvent('story.embargo', async (payload, ctx) => {
  const at = Number(payload.at);
  await jobQueues(ctx).enqueue(
    releaseHeldStoryJob,
    { storyId: String(payload.storyId), at },
    { delay: Math.max(0, at - Date.now()) },
  );
});

onOutboxEvent('task.submitted', async (payload, ctx) => {
  await jobQueues(ctx).enqueue(taskQaJob, {
    taskId: String(payload.taskId),
    revision: Number(payload.revision),
  });
});

onOutboxEvent('task.approved', async (payload, ctx) => {
  await jobQueues(ctx).enqueue(publishTranslationJob, { taskId: String(payload.taskId) });
});

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
    await writeRelease({
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
    });
  }
}
