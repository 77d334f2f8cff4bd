import { isDuplicateKey } from '../errors.js';
import { retryWhenBusy } from '../db/retry-when-busy.js';
import { Media, MediaRendition, type MediaDoc, type MediaRenditionDoc } from '../models/media.js';
import { putBlob, readBlob } from './blob-store.js';
import {
  CONTENT_TYPES,
  encodeRendition,
  formatsFor,
  isRendition,
  widthsFor,
  type RenditionFormat,
} from './renditions.js';

export const renditionId = (mediaId: string, width: number, format: RenditionFormat) =>
  `${mediaId}/${width}.${format}`;

/** Encodings of one rendition in progress in this process, so a burst of requests encodes once. */
const inFlight = new Map<string, Promise<MediaRenditionDoc>>();

async function loadOriginal(media: MediaDoc): Promise<Buffer> {
  const original = await readBlob(media.original);
  if (!original) throw new Error(`media ${media._id}: original blob ${media.original} is missing`);
  return original.bytes;
}

/**
 * The stored rendition, encoded and stored first if it does not exist yet. Safe to run
 * concurrently in many processes: the blob is content-addressed and the rendition document an
 * insert by `_id` (the loser's E11000 is ignored and the winner's document read).
 */
export async function ensureRendition(
  media: MediaDoc,
  width: number,
  format: RenditionFormat,
  maxPixels: number,
  original?: Buffer,
): Promise<MediaRenditionDoc> {
  const id = renditionId(media._id, width, format);
  const stored = await MediaRendition.findById(id).lean<MediaRenditionDoc>();
  if (stored) return stored;
  let pending = inFlight.get(id);
  if (!pending) {
    pending = (async () => {
      const encoded = await encodeRendition(
        original ?? (await loadOriginal(media)),
        width,
        format,
        maxPixels,
      );
      const blob = await putBlob(encoded.bytes, CONTENT_TYPES[format]);
      const doc = {
        _id: id,
        media: media._id,
        blob,
        contentType: CONTENT_TYPES[format],
        width: encoded.width,
        height: encoded.height,
        bytes: encoded.bytes.length,
      };
      try {
        await retryWhenBusy(() => MediaRendition.create(doc));
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        return (await MediaRendition.findById(id).lean<MediaRenditionDoc>())!;
      }
      return doc as MediaRenditionDoc;
    })().finally(() => inFlight.delete(id));
    inFlight.set(id, pending);
  }
  return pending;
}

/**
 * The rendition a URL names, encoded first when the worker has not made it yet: `null` when
 * the picture does not exist, `undefined` when it is not offered at that width or format.
 * Shared by `/media/…` and the feeds (whose enclosures need the byte length).
 */
export async function findOrEncodeRendition(
  mediaId: string,
  width: number,
  format: RenditionFormat,
  maxPixels: number,
): Promise<MediaRenditionDoc | null | undefined> {
  const stored = await MediaRendition.findById(renditionId(mediaId, width, format)).lean<MediaRenditionDoc>();
  if (stored) return stored;
  const media = await Media.findById(mediaId).lean<MediaDoc>();
  if (!media) return null;
  if (!isRendition(media, width, format)) return undefined;
  return ensureRendition(media, width, format, maxPixels);
}

/** Every rendition of a media item (what the `media.derive` job makes after an upload). */
export async function ensureAllRenditions(mediaId: string, maxPixels: number): Promise<number> {
  const media = await Media.findById(mediaId).lean<MediaDoc>();
  if (!media) return 0;
  let original: Buffer | undefined;
  let made = 0;
  for (const width of widthsFor(media)) {
    for (const format of formatsFor(media)) {
      if (await MediaRendition.exists({ _id: renditionId(media._id, width, format) })) continue;
      original ??= await loadOriginal(media);
      await ensureRendition(media, width, format, maxPixels, original);
      made++;
    }
  }
  return made;
}
