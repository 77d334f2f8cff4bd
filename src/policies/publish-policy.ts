import { conflict } from '../errors.js';
import { releaseId } from '../models/ids.js';
import { Release, type ReleaseDoc } from '../models/release.js';
import { Story, type StoryDoc } from '../models/story.js';

/**
 * The publish policy: a translation goes live only when the story's original is live. The
 * original goes first whenever versions are released together (a coordinated or scheduled
 * release publishes the source, then what waits with it), so at the moment a translation is
 * written as published its original is already published.
 *
 * `writeRelease` asks this for every write that makes a release published, so every desk and
 * API route, job and command is held to it; the commands ask `originalIsPublished` first to
 * answer with something better than a refusal (wait with the source, or a clear 409).
 */
export async function originalIsPublished(storyId: string, lang: string): Promise<boolean> {
  const story = await Story.findById(storyId, { sourceLang: 1 }).lean<Pick<StoryDoc, 'sourceLang'>>();
  if (!story || story.sourceLang === lang) return true;
  const original = await Release.findById(releaseId(storyId, story.sourceLang), { status: 1 }).lean<
    Pick<ReleaseDoc, 'status'>
  >();
  return original?.status === 'published';
}

export async function assertOriginalAllowsPublishing(storyId: string, lang: string): Promise<void> {
  if (!(await originalIsPublished(storyId, lang))) {
    throw conflict(
      'original_not_published',
      `The '${lang}' version cannot be published before the story's original is published; schedule it with the original or publish the original first`,
    );
  }
}
