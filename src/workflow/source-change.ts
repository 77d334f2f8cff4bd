import type { AppContext } from '../context.js';
import { leadInputOf } from '../lib/lead-html.js';
import { writeRelease } from '../commands/write-release.js';
import { translationFanOutJob } from '../jobs/translation.job.js';
import { releaseId } from '../models/ids.js';
import { Release, type ReleaseDoc } from '../models/release.js';
import type { OutboxPayload } from '../outbox/events.js';
import { isTranslatable } from './coordinated-release.js';
import { jobQueues } from './queues.js';

/**
 * The one meaning of "a source changed", whoever changed it — the desk, the API or an import
 * correction: every such write records `release.changed` (`writeRelease`, or the import once
 * a story's versions are all written) and this reaction (`src/outbox/handlers.ts`) follows it.
 * Published translations made from an older version are marked outdated (readers see a
 * notice), and the fan-out opens or replaces the translation tasks, whose preparation carries
 * the translators' saved work on unchanged segments over (`prepare-task.ts`).
 */
export async function followSourceChange(
  ctx: AppContext,
  { storyId, lang, contentChanged }: OutboxPayload<'release.changed'>,
): Promise<void> {
  // Only a language something is translated from has anything downstream.
  if (!Object.values(ctx.config.pivots).includes(lang)) return;
  const release = await Release.findById(releaseId(storyId, lang)).lean<ReleaseDoc>();
  if (release?.status === 'published' && (contentChanged || release.outdated)) {
    await markDownstreamOutdated(ctx, release);
  }
  if (release && (await isTranslatable(release))) {
    await jobQueues(ctx).enqueue(translationFanOutJob, { storyId, lang, revision: release.revision });
  }
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
        ...leadInputOf(t),
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
