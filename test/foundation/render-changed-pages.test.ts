import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  LISTING_RENDER_WINDOW_MS,
  STORY_RENDER_WINDOW_MS,
  renderChangedPages,
} from '../../src/cache/render-changed-pages.js';
import { PAGES_QUEUE } from '../../src/cache/render-pages.job.js';
import { jobQueues } from '../../src/workflow/queues.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';

let rt: TestRuntime;
beforeAll(async () => {
  rt = await startTestRuntime();
});
afterAll(async () => {
  await rt?.close();
});

const change = (storyId: string, lang: string, revision: number) => ({
  releaseId: `${storyId}.${lang}`,
  storyId,
  lang,
  revision,
  contentChanged: true,
});

describe('render-on-publish after a release change', () => {
  it("renders a story's pages once per short window and a language's listings once per longer one", async () => {
    const queue = jobQueues(rt.ctx).queue(PAGES_QUEUE);
    await queue.obliterate({ force: true });
    // Changes of two stories in one language, and one in another, early in both windows (the
    // story window divides the listing window).
    const into = Date.now() % LISTING_RENDER_WINDOW_MS;
    if (into > 200) await new Promise((r) => setTimeout(r, LISTING_RENDER_WINDOW_MS - into + 20));
    await renderChangedPages(rt.ctx, change('s1', 'ru', 2));
    await renderChangedPages(rt.ctx, change('s2', 'ru', 5));
    await renderChangedPages(rt.ctx, change('s2', 'en', 3));

    const jobs = await queue.getJobs(['waiting', 'delayed', 'prioritized']);
    const stories = jobs.filter((j) => j.data.storyIds.length > 0);
    const listings = jobs.filter((j) => j.data.langs.length > 0);
    // s2's two changes (its source, then its translation) share one render of its pages.
    expect(stories.map((j) => j.data.storyIds[0]).sort()).toEqual(['s1', 's2']);
    for (const j of stories) {
      expect(j.data.langs).toEqual([]);
      expect(j.opts.delay).toBeGreaterThan(0);
      expect(j.opts.delay).toBeLessThanOrEqual(STORY_RENDER_WINDOW_MS);
    }
    // One listing render per language for the window, due when it ends.
    expect(listings.map((j) => j.data.langs[0]).sort()).toEqual(['en', 'ru']);
    for (const j of listings) {
      expect(j.data.storyIds).toEqual([]);
      expect(j.opts.delay).toBeGreaterThan(0);
      expect(j.opts.delay).toBeLessThanOrEqual(LISTING_RENDER_WINDOW_MS);
    }
    await queue.obliterate({ force: true });
  });
});
