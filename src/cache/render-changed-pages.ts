import type { AppContext } from '../context.js';
import type { OutboxPayload } from '../outbox/events.js';
import { splitReleaseId } from '../read-models/release-index.js';
import { jobQueues } from '../workflow/queues.js';
import { renderPagesJob } from './render-pages.job.js';

/**
 * How long a language's home, listing and feed wait before the worker renders them again.
 * They change with every release of the language, so in a newsroom approving all day they
 * would be rendered once per change; within this window the changes share one render. The
 * pages are dropped at once, so readers never see the old ones: until the render, the first
 * request renders them, as it would without this.
 */
export const LISTING_RENDER_WINDOW_MS = 3_000;

// Apart from the job definition: the job registry imports that, and the queues import the registry.
/** Has the worker render what a release change touched (a no-op for pages still stored). */
export async function renderChangedPages(
  ctx: AppContext,
  { releaseId, revision }: OutboxPayload<'release.changed'>,
): Promise<void> {
  const [storyId, lang] = splitReleaseId(releaseId);
  const queues = jobQueues(ctx);
  // The story's own pages at once: a random article is what readers arrive at.
  await queues.enqueue(
    renderPagesJob,
    { storyIds: [storyId], langs: [] },
    { jobId: `pages.${releaseId}.${revision}` },
  );
  // The language's listings and feed once per window: one job id per window, due at its end.
  const now = Date.now();
  const window = Math.floor(now / LISTING_RENDER_WINDOW_MS);
  await queues.enqueue(
    renderPagesJob,
    { storyIds: [], langs: [lang] },
    {
      jobId: `pages.lang.${lang}.${window}`,
      delay: (window + 1) * LISTING_RENDER_WINDOW_MS - now,
    },
  );
}
