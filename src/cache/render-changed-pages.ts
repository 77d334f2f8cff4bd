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

/**
 * How long a story's pages wait before the worker renders them. One edit is often several
 * writes in a row — a source change marks each published translation outdated, a write of
 * its own — and each drops the story's pages in every language: rendered after each write,
 * one source edit rendered about ten pages on a 1,000-story bench (`bench/edit-cost.bench.ts`).
 * Within the window they are rendered once. Dropped at once as well: a reader in between
 * gets the page rendered on request, never the old one. Divides the listing window.
 */
export const STORY_RENDER_WINDOW_MS = 1_000;

/** The window `now` falls in and the delay until its end. */
function windowOf(now: number, ms: number): { window: number; delay: number } {
  const window = Math.floor(now / ms);
  return { window, delay: (window + 1) * ms - now };
}

// Apart from the job definition: the job registry imports that, and the queues import the registry.
/** Has the worker render what a release change touched (a no-op for pages still stored). */
export async function renderChangedPages(
  ctx: AppContext,
  { releaseId }: OutboxPayload<'release.changed'>,
): Promise<void> {
  const [storyId, lang] = splitReleaseId(releaseId);
  const queues = jobQueues(ctx);
  const now = Date.now();
  // One job id per window, due at its end: the changes within it share the render.
  const story = windowOf(now, STORY_RENDER_WINDOW_MS);
  await queues.enqueue(
    renderPagesJob,
    { storyIds: [storyId], langs: [] },
    { jobId: `pages.story.${storyId}.${story.window}`, delay: story.delay },
  );
  const listing = windowOf(now, LISTING_RENDER_WINDOW_MS);
  await queues.enqueue(
    renderPagesJob,
    { storyIds: [], langs: [lang] },
    { jobId: `pages.lang.${lang}.${listing.window}`, delay: listing.delay },
  );
}
