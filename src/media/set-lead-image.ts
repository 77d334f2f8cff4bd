import { z } from 'zod';
import type { AppContext } from '../context.js';
import { badRequest, notFound } from '../errors.js';
import { releaseId } from '../models/ids.js';
import { Media, type MediaDoc } from '../models/media.js';
import { Release, type ReleaseDoc } from '../models/release.js';
import type { Actor } from '../policies/actor.js';
import { assertRole } from '../policies/task-policy.js';
import { inputFromRelease, writeRelease } from '../commands/write-release.js';
import { uploadMedia, type PictureUpload } from './upload-media.js';

export const LeadImageInput = z.object({
  baseRevision: z.coerce.number().int().min(1),
  alt: z.string().trim().max(1000).default(''),
  caption: z.string().trim().max(2000).default(''),
  credit: z.string().trim().max(300).default(''),
  /** An already stored media item (e.g. uploaded from the editor) instead of a file. */
  media: z
    .string()
    .regex(/^[0-9a-f]{32}$/)
    .optional(),
  remove: z.boolean().default(false),
});
export type LeadImageInput = z.input<typeof LeadImageInput>;

/** A release's lead picture: the stored item's size and this language's texts (the desk's and the import's). */
export const releaseImageOf = (
  media: MediaDoc,
  text: { alt: string; caption?: string; credit?: string },
): NonNullable<ReleaseDoc['image']> => ({
  media: media._id,
  width: media.width,
  height: media.height,
  hasAlpha: !!media.hasAlpha,
  alt: text.alt,
  caption: text.caption ?? '',
  credit: text.credit ?? '',
});

/**
 * Sets, changes or removes the lead picture of one language version: a new file (stored
 * first, so a refused file changes nothing), or new alt text, caption or credit for the
 * current one. Written through writeRelease with the revision the editor saw, so it is one
 * more revision of the release (409 on a stale form) and pages and feeds follow.
 */
export async function setLeadImage(
  ctx: AppContext,
  actor: Actor,
  storyId: string,
  lang: string,
  raw: LeadImageInput,
  upload?: PictureUpload,
): Promise<ReleaseDoc> {
  assertRole(actor, 'editor');
  const input = LeadImageInput.parse(raw);
  const existing = await Release.findById(releaseId(storyId, lang)).lean<ReleaseDoc>();
  if (!existing) throw notFound('release_not_found', `Story ${storyId} has no ${lang} version yet`);
  let image: ReleaseDoc['image'] | null = null;
  if (!input.remove) {
    if (!input.alt)
      throw badRequest('image_alt_required', 'Describe the picture for readers who cannot see it (alt text)');
    let media: MediaDoc | null = null;
    if (upload) media = (await uploadMedia(ctx, actor, upload)).media;
    else if (input.media) media = await Media.findById(input.media).lean<MediaDoc>();
    else if (existing.image) media = await Media.findById(existing.image.media).lean<MediaDoc>();
    if (!media) throw badRequest('image_missing', 'Choose a picture file to upload');
    image = releaseImageOf(media, input);
  }
  const { release } = await writeRelease(
    {
      ...inputFromRelease(existing),
      image,
      expectedRevision: input.baseRevision,
      by: { userId: actor.id, name: actor.name, role: 'editor' },
      note: image ? 'lead picture' : 'lead picture removed',
    },
    ctx,
  );
  return release;
}
