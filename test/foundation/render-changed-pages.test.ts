import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LISTING_RENDER_WINDOW_MS, renderChangedPages } from '../../src/cache/render-changed-pages.js';
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
  it("renders the story's pages at once and a language's listings once per window", async () => {
    const queue = jobQueues(rt.ctx).queue(PAGES_QUEUE);
    await queue.obliterate({ force: true });
    // Changes of two stories in one language, and one in another, at the start of a window.
    const window = Math.floor(Date.now() / LISTING_RENDER_WINDOW_MS);
    const wait = (window + 1) * LISTING_RENDER_WINDOW_MS - Date.now();
    if (wait < 1_000) await new Promise((r) => setTimeout(r, wait + 50));
    await renderChangedPages(rt.ctx, change('s1', 'ru', 2));
    await renderChangedPages(rt.ctx, change('s2', 'ru', 5));
    await renderChangedPages(rt.ctx, change('s2', 'en', 3));

    const jobs = await queue.getJobs(['waiting', 'delayed', 'prioritized']);
    const stories = jobs.filter((j) => j.data.storyIds.length > 0);
    const listings = jobs.filter((j) => j.data.langs.length > 0);
    expect(stories.map((j) => j.data.storyIds[0]).sort()).toEqual(['s1', 's2', 's2']);
    expect(stories.every((j) => j.data.langs.length === 0 && (j.opts.delay ?? 0) === 0)).toBe(true);
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
