import type { AppContext } from '../context.js';
import { notFound } from '../errors.js';
import { Story, type StoryDoc } from '../models/story.js';
import { emitEvent } from '../outbox/outbox.js';
import type { Actor } from '../policies/actor.js';
import { assertRole } from '../policies/task-policy.js';
import { dropStoryPages } from '../cache/drop-story-pages.js';
import { compactContact, zContact, type Contact } from '../validation/contact.js';

/**
 * Sets (or, all fields empty, removes) the press contact printed under every version of a
 * story. The story's pages follow before this returns (read-your-writes), and a
 * `story.contact` outbox event repeats that where Redis was away, then renders them again.
 */
export async function setStoryContact(
  ctx: AppContext,
  actor: Actor,
  storyId: string,
  raw: Contact,
): Promise<Contact | undefined> {
  assertRole(actor, 'editor');
  const contact = compactContact(zContact.parse(raw));
  const story = await Story.findById(storyId).lean<StoryDoc>();
  if (!story) throw notFound('story_not_found', `No story '${storyId}'`);
  if (JSON.stringify(compactContact(story.contact)) === JSON.stringify(contact)) return contact;
  await Story.updateOne({ _id: storyId }, contact ? { $set: { contact } } : { $unset: { contact: 1 } });
  await emitEvent(`story.contact:${storyId}:${Date.now()}`, 'story.contact', { storyId });
  await dropStoryPages(ctx, storyId).catch((err: unknown) =>
    ctx.log.warn({ err, storyId }, 'story pages not dropped yet; the outbox relay will'),
  );
  return contact;
}
