import { createHash } from 'node:crypto';
import type { AppContext } from '../context.js';
import { retryWhenBusy } from '../db/retry-when-busy.js';
import { isDuplicateKey } from '../errors.js';
import { Media, type MediaDoc } from '../models/media.js';
import { emitEvent } from '../outbox/outbox.js';
import type { Actor } from '../policies/actor.js';
import { assertRole } from '../policies/task-policy.js';
import { putBlob } from './blob-store.js';
import { inspectUpload } from './inspect-upload.js';

/** A media item's id: from the original's bytes, so one picture uploaded twice is one item. */
export const mediaIdOf = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex').slice(0, 32);

export const mediaLimits = (ctx: AppContext) => ({
  maxBytes: Math.floor(ctx.config.MEDIA_MAX_MB * 1024 * 1024),
  maxPixels: ctx.config.MEDIA_MAX_MEGAPIXELS * 1_000_000,
});

export interface PictureUpload {
  data: Buffer;
  filename?: string;
  mimeType?: string;
}

/**
 * Stores an uploaded picture: checked whole first (`inspectUpload`: nothing is written for a
 * refused file), then the original's blob, then the media document last, so there is never a
 * media item without its bytes. A `media.uploaded` event has the worker make the renditions.
 * The same bytes again answer the existing item (`created: false`).
 */
export async function uploadMedia(
  ctx: AppContext,
  actor: Actor,
  upload: PictureUpload,
): Promise<{ media: MediaDoc; created: boolean }> {
  assertRole(actor, 'editor');
  const picture = await inspectUpload(upload.data, upload, mediaLimits(ctx));
  const id = mediaIdOf(upload.data);
  const existing = await Media.findById(id).lean<MediaDoc>();
  if (existing) return { media: existing, created: false };
  const original = await putBlob(upload.data, picture.mime);
  const doc = {
    _id: id,
    original,
    format: picture.format,
    width: picture.width,
    height: picture.height,
    hasAlpha: picture.hasAlpha,
    bytes: upload.data.length,
    filename: upload.filename?.slice(0, 255),
    uploadedBy: actor.id,
  };
  try {
    await retryWhenBusy(() => Media.create(doc));
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    return { media: (await Media.findById(id).lean<MediaDoc>())!, created: false };
  }
  await emitEvent(`media.uploaded:${id}`, 'media.uploaded', { mediaId: id });
  return { media: (await Media.findById(id).lean<MediaDoc>()) ?? (doc as MediaDoc), created: true };
}
