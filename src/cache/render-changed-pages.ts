import type { AppContext } from '../context.js';
import type { OutboxPayload } from '../outbox/events.js';
import { splitReleaseId } from '../read-models/release-index.js';
import { jobQueues } from '../workflow/queues.js';
import { renderPagesJob } from './render-pages.job.js';

// Apart from the job definition: the job registry imports that, and the queues import the registry.
/** Has the worker render what a release change touched (a no-op for pages still stored). */
export async function renderChangedPages(
  ctx: AppContext,
  { releaseId, revision }: OutboxPayload<'release.changed'>,
): Promise<void> {
  const [storyId, lang] = splitReleaseId(releaseId);
  await jobQueues(ctx).enqueue(
    renderPagesJob,
    { storyIds: [storyId], langs: [lang] },
    { jobId: `pages.${releaseId}.${revision}` },
  );
}
