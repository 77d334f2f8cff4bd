import { z } from 'zod';
import { zIsoDate } from '../validation/dates.js';
import type { AppContext } from '../context.js';
import { notFound } from '../errors.js';
import { Story } from '../models/story.js';
import { emitEvent } from '../outbox/outbox.js';
import type { Actor } from '../policies/actor.js';
import { assertRole } from '../policies/task-policy.js';
import { releaseHeldStory } from '../workflow/coordinated-release.js';
import { assertLanguages } from './create-story.js';

export const HoldInput = z.object({
  /** Languages that must be approved before any version goes live (empty: none). */
  langs: z.array(z.string().min(2).max(20)).max(20).default([]),
  /** Not before this time (null: no embargo). */
  embargoUntil: zIsoDate.nullable().default(null),
});
export type HoldInput = z.input<typeof HoldInput>;

/**
 * Sets (or, with no languages and no embargo, lifts) a story's coordinated-release hold.
 * An embargo is enforced by a delayed job requested through the outbox; lifting the hold
 * releases what is ready at once.
 */
export async function holdStory(ctx: AppContext, actor: Actor, storyId: string, raw: HoldInput) {
  assertRole(actor, 'editor');
  const input = HoldInput.parse(raw);
  assertLanguages(ctx, input.langs);
  const story = await Story.findById(storyId).lean();
  if (!story) throw notFound('story_not_found', `No story '${storyId}'`);
  await Story.updateOne(
    { _id: storyId },
    input.embargoUntil
      ? { $set: { holdUntilLangs: input.langs, embargoUntil: input.embargoUntil } }
      : { $set: { holdUntilLangs: input.langs }, $unset: { embargoUntil: 1 } },
  );
  if (input.embargoUntil) {
    const at = input.embargoUntil.getTime();
    await emitEvent(`story.embargo:${storyId}:${at}`, 'story.embargo', { storyId, at });
  }
  // Lifting releases what waits; a new hold may already be satisfied.
  await releaseHeldStory(ctx, storyId, new Date(), input.langs.length === 0 && !input.embargoUntil);
}
