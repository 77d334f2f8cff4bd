import { z } from 'zod';
import { defineJob } from '../jobs/define-job.js';
import { readerUrls } from '../presenters/urls.js';
import { storyVersions } from '../read-models/release-index.js';
import { renderIntoStore } from './page-renderer.js';

export const PAGES_QUEUE = 'pages';

/** The pages a published change is rendered into ahead of readers. */
async function pagesOf(
  ctx: Parameters<typeof storyVersions>[0],
  storyIds: string[],
  langs: string[],
): Promise<string[]> {
  const urls: string[] = [];
  for (const storyId of storyIds) {
    // Every language version: the language switcher of each changed with this one.
    for (const card of Object.values(await storyVersions(ctx, storyId)))
      urls.push(readerUrls.article(card.lang, card.slug));
  }
  for (const lang of langs) urls.push(readerUrls.home(lang), readerUrls.news(lang), `/${lang}/rss.xml`);
  return urls;
}

/**
 * Render-on-publish: after a release change (or an import) the worker renders the story's
 * pages in every language, and the language's home, listing and feed, into the shared page
 * store, so a reader's first request after a publish or a restart is a store hit, not a
 * render from the document store. Safe to run twice: a stored page is not rendered again.
 */
export const renderPagesJob = defineJob({
  name: 'pages.render',
  queue: PAGES_QUEUE,
  payload: z.object({
    storyIds: z.array(z.string().min(1)).max(1000),
    langs: z.array(z.string().min(1)).max(50),
  }),
  options: { attempts: 3, backoff: { type: 'exponential', delay: 2_000 }, removeOnComplete: true },
  handler: async (p, ctx) => ({
    stored: await renderIntoStore(ctx, await pagesOf(ctx, p.storyIds, p.langs)),
  }),
});
