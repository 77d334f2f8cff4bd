import type { AppContext } from '../context.js';
import { inputFromRelease, writeRelease } from '../commands/write-release.js';
import { releaseId } from '../models/ids.js';
import { Release, type ReleaseDoc } from '../models/release.js';
import { Story, type StoryDoc } from '../models/story.js';
import { originalIsPublished } from '../policies/publish-policy.js';

/**
 * Coordinated release: an editor holds a story until a chosen set of languages is approved
 * (`holdUntilLangs`) and/or an embargo time passes (`embargoUntil`, a hard "not before");
 * then every ready version goes live at once with one publication time. While held, versions
 * wait as `scheduled` (without a time) and translation proceeds from the held source.
 */

/** True while a story's publication is held. */
export const isHeld = (story: Pick<StoryDoc, 'holdUntilLangs' | 'embargoUntil'> | null) =>
  !!story && ((story.holdUntilLangs?.length ?? 0) > 0 || !!story.embargoUntil);

/** A version a held story can release: written, not archived, not outdated. */
const ready = (r: ReleaseDoc | null) => !!r && r.status !== 'archived' && !r.outdated;

/**
 * Releases a held story when its condition is met: all held languages ready, or the embargo
 * passed. Idempotent: a released story is no longer held, so a repeat does nothing.
 */
export async function releaseHeldStory(
  ctx: AppContext,
  storyId: string,
  now = new Date(),
  /** Lift the hold: release what is ready whatever the condition. */
  lift = false,
): Promise<boolean> {
  const story = await Story.findById(storyId).lean<StoryDoc>();
  if (!story || (!isHeld(story) && !lift)) return false;
  const versions = await Promise.all(
    ctx.config.languages.map((l) => Release.findById(releaseId(storyId, l)).lean<ReleaseDoc>()),
  );
  const byLang = new Map(versions.filter((r): r is ReleaseDoc => !!r).map((r) => [r.lang, r]));
  const embargo = story!.embargoUntil ? new Date(story!.embargoUntil) : null;
  const langsReady = (story!.holdUntilLangs ?? []).every((l) => ready(byLang.get(l) ?? null));
  const embargoPassed = !embargo || embargo <= now;
  if (!lift && (!langsReady || !embargoPassed)) return false;
  // Clear the hold first: a crash after it leaves versions the editor can publish by hand,
  // never a story published twice.
  await Story.updateOne({ _id: storyId }, { $set: { holdUntilLangs: [] }, $unset: { embargoUntil: 1 } });
  const ordered = [...byLang.values()].sort((a) => (a.lang === story!.sourceLang ? -1 : 1));
  for (const r of ordered) {
    if (r.status !== 'scheduled' || r.scheduledAt || !ready(r)) continue;
    // The publish policy: a translation whose original did not go out keeps waiting for it.
    if (!(await originalIsPublished(storyId, r.lang))) continue;
    await writeRelease(
      {
        ...inputFromRelease(r),
        status: 'published',
        publishedAt: now,
        by: { userId: 'system', name: 'Coordinated release', role: 'system' },
        note: `coordinated release of ${[...byLang.keys()].join(', ')}`,
      },
      ctx,
    );
  }
  ctx.log.info({ story: storyId }, 'coordinated release: every ready version published');
  return true;
}

/**
 * Whether a source release can be translated: published, or waiting in a held story (the
 * point of a coordinated release is translating before anything goes live).
 */
export async function isTranslatable(r: ReleaseDoc | null): Promise<boolean> {
  if (!r || r.outdated) return false;
  if (r.status === 'published') return true;
  if (r.status !== 'scheduled' || r.scheduledAt) return false;
  return isHeld(await Story.findById(r.story).lean<StoryDoc>());
}
