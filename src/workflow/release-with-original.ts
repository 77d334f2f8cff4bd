import type { AppContext } from '../context.js';
import { inputFromRelease, writeRelease } from '../commands/write-release.js';
import { releaseId } from '../models/ids.js';
import { Release, type ReleaseDoc } from '../models/release.js';
import { Story, type StoryDoc } from '../models/story.js';
import type { OutboxPayload } from '../outbox/events.js';
import { isHeld } from './coordinated-release.js';

/**
 * Translations approved (or due on schedule) before their original went live wait as
 * `scheduled` without a time; when the original is published they go out with it, with the
 * original's publication time. Idempotent: a published version is skipped, so a repeated
 * event does nothing. Held stories are released by coordinated-release.ts instead.
 */
export async function releaseWaitingTranslations(ctx: AppContext, storyId: string): Promise<string[]> {
  const story = await Story.findById(storyId).lean<StoryDoc>();
  if (!story || isHeld(story)) return [];
  const original = await Release.findById(releaseId(storyId, story.sourceLang)).lean<ReleaseDoc>();
  if (original?.status !== 'published') return [];
  const released: string[] = [];
  for (const lang of ctx.config.languages) {
    if (lang === story.sourceLang) continue;
    const r = await Release.findById(releaseId(storyId, lang)).lean<ReleaseDoc>();
    if (!r || r.status !== 'scheduled' || r.scheduledAt) continue;
    await writeRelease({
      ...inputFromRelease(r),
      status: 'published',
      publishedAt: original.publishedAt ?? new Date(),
      by: { userId: 'system', name: 'Release with the original', role: 'system' },
      note: 'published with its original',
    });
    released.push(lang);
  }
  if (released.length)
    ctx.log.info({ story: storyId, released }, 'translations released with their original');
  return released;
}

/**
 * The reaction to `release.changed`. An original that this revision published takes its
 * waiting translations along. A translation that started waiting looks at its original
 * itself: its approval may have found the original unpublished just before the original's
 * own reaction ran, and then only this one sees both. An edit of an original that was
 * already published (most changes) releases nothing and reads nothing more.
 */
export async function releaseWithOriginal(
  ctx: AppContext,
  { releaseId, wasPublished }: OutboxPayload<'release.changed'>,
): Promise<void> {
  const release = await Release.findById(releaseId).lean<ReleaseDoc>();
  if (!release) return;
  const waiting = release.status === 'scheduled' && !release.scheduledAt;
  const justPublished = release.status === 'published' && !release.translatedFrom && wasPublished !== true;
  if (waiting || justPublished) await releaseWaitingTranslations(ctx, release.story);
}
