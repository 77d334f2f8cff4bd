import { z } from 'zod';
import type { AppContext } from '../context.js';
import { badRequest, notFound } from '../errors.js';
import { releaseId } from '../models/ids.js';
import { RELEASE_STATUSES, Release, type ReleaseDoc } from '../models/release.js';
import { Story, type StoryDoc } from '../models/story.js';
import type { Actor } from '../policies/actor.js';
import { assertRole } from '../policies/task-policy.js';
import { assertLanguages } from './create-story.js';
import { zSlug } from '../lib/slug.js';
import { writeRelease } from './write-release.js';

export const EditReleaseInput = z.object({
  /** The release revision the edit is based on (0 to create a missing language version). */
  baseRevision: z.number().int().min(0),
  title: z.string().trim().min(1).max(500).optional(),
  lead: z.string().max(2_000).optional(),
  body: z.string().min(1).max(1_000_000).optional(),
  slug: zSlug.optional(),
  status: z.enum(RELEASE_STATUSES).optional(),
  note: z.string().max(2_000).optional(),
});
export type EditReleaseInput = z.input<typeof EditReleaseInput>;

/**
 * Edits one language version of a story (or creates it when missing). A stale
 * `baseRevision` answers 409. Touches only that language: other versions change state only
 * through their own events (e.g. a translation becoming outdated).
 */
export async function editRelease(
  ctx: AppContext,
  actor: Actor,
  storyId: string,
  lang: string,
  raw: EditReleaseInput,
): Promise<ReleaseDoc> {
  assertRole(actor, 'editor');
  const input = EditReleaseInput.parse(raw);
  assertLanguages(ctx, [lang]);
  const story = await Story.findById(storyId).lean<StoryDoc>();
  if (!story) throw notFound('story_not_found', `No story '${storyId}'`);
  const existing = await Release.findById(releaseId(storyId, lang)).lean<ReleaseDoc>();
  const title = input.title ?? existing?.title;
  const body = input.body ?? existing?.body;
  if (!title || !body) {
    throw badRequest(
      'missing_fields',
      `The '${lang}' version does not exist yet; send title and body to create it`,
    );
  }
  const { release } = await writeRelease(
    {
      storyId,
      lang,
      title,
      lead: input.lead ?? existing?.lead ?? '',
      body,
      slug: input.slug,
      status: input.status,
      section: existing?.section ?? story.section,
      tags: existing?.tags ?? story.tags ?? [],
      expectedRevision: input.baseRevision,
      by: { userId: actor.id, name: actor.name, role: 'editor' },
      note: input.note,
    },
    ctx,
  );
  return release;
}
