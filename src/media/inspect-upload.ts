import type { Metadata } from 'sharp';
import { AppError } from '../errors.js';
import { loadSharp } from './load-sharp.js';

/** Picture formats the newsroom accepts, by what their bytes say (not their name or MIME). */
export const ACCEPTED = {
  'image/jpeg': 'jpeg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/avif': 'avif',
  'image/gif': 'gif',
} as const;
export type AcceptedMime = keyof typeof ACCEPTED;
export type PictureFormat = (typeof ACCEPTED)[AcceptedMime];

/** Extensions a file name may have for each detected type. */
const EXTENSIONS: Record<PictureFormat, string[]> = {
  jpeg: ['jpg', 'jpeg', 'jfif', 'jpe'],
  png: ['png'],
  webp: ['webp'],
  avif: ['avif'],
  gif: ['gif'],
};

export interface UploadLimits {
  maxBytes: number;
  maxPixels: number;
}

export interface InspectedPicture {
  mime: AcceptedMime;
  format: PictureFormat;
  /** After EXIF orientation: what readers see. */
  width: number;
  height: number;
  hasAlpha: boolean;
}

const refuse = (status: number, code: string, message: string) => new AppError(status, code, message);

/** The refusal of a picture over the size limit (an upload, a file or a download of an import). */
export const tooLargeError = (maxBytes: number) =>
  refuse(413, 'media_too_large', `Pictures are limited to ${Math.floor(maxBytes / 1048576)} MB`);

/**
 * Markup or script inside a picture's bytes: the signature of a polyglot (a file that is an image
 * to one program and HTML, SVG or PHP to another). Seven or more fixed bytes by chance in
 * compressed image data are vanishingly unlikely (about 2^-49 per position).
 */
const POLYGLOT_MARKERS = /<(?:script|html|body|iframe|svg|object|embed)[\s>/]|<\?php|<!doctype\s+html/i;
/** ZIP's end-of-central-directory record: an archive glued to a picture (GIFAR and friends). */
const ZIP_END = Buffer.from([0x50, 0x4b, 0x05, 0x06]);

const looksLikeSvg = (bytes: Buffer) => {
  const head = bytes
    .subarray(0, 4096)
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart();
  return /^(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*(?:<!DOCTYPE\s+svg[^>]*>\s*)?<svg[\s>]/i.test(head);
};

/**
 * Decides whether uploaded bytes are a picture we store, before anything is written. Each
 * refusal is a 4xx with a stable code: empty (400 `media_empty`), too big (413
 * `media_too_large`), SVG (415 `media_svg_refused`: it is a document that can carry script),
 * not a supported picture (415 `media_unsupported_type`), a type its name or MIME contradicts
 * (415 `media_type_mismatch`), a polyglot (422 `media_polyglot`), more pixels than allowed
 * (422 `media_too_many_pixels`: decompression bombs are stopped by their header, before
 * decoding), or bytes that do not decode (422 `media_unreadable`).
 */
export async function inspectUpload(
  bytes: Buffer,
  declared: { filename?: string; mimeType?: string },
  limits: UploadLimits,
): Promise<InspectedPicture> {
  if (bytes.length === 0) throw refuse(400, 'media_empty', 'The file is empty');
  if (bytes.length > limits.maxBytes) throw tooLargeError(limits.maxBytes);
  if (
    looksLikeSvg(bytes) ||
    declared.mimeType === 'image/svg+xml' ||
    /\.svgz?$/i.test(declared.filename ?? '')
  )
    throw refuse(
      415,
      'media_svg_refused',
      'SVG files are not accepted: upload a JPEG, PNG, WebP, AVIF or GIF',
    );

  // Imported on first use, like sharp: ~1.5 MB of heap that a process serving readers never needs.
  const { fileTypeFromBuffer } = await import('file-type');
  const detected = await fileTypeFromBuffer(bytes);
  const mime = detected?.mime as AcceptedMime | undefined;
  if (!mime || !(mime in ACCEPTED))
    throw refuse(
      415,
      'media_unsupported_type',
      `This file is not a JPEG, PNG, WebP, AVIF or GIF picture${detected ? ` (it is ${detected.mime})` : ''}`,
    );
  const format = ACCEPTED[mime];
  const declaredMime = declared.mimeType?.toLowerCase().split(';')[0]?.trim();
  const mimeAgrees =
    !declaredMime ||
    declaredMime === 'application/octet-stream' ||
    declaredMime === mime ||
    (declaredMime === 'image/jpg' && format === 'jpeg');
  const ext = /\.([a-z0-9]+)$/i.exec(declared.filename ?? '')?.[1]?.toLowerCase();
  const nameAgrees = !ext || EXTENSIONS[format].includes(ext);
  if (!mimeAgrees || !nameAgrees)
    throw refuse(
      415,
      'media_type_mismatch',
      `The file's contents are ${format.toUpperCase()}, but it was sent as ${[declaredMime, ext && `.${ext}`].filter(Boolean).join(', ')}`,
    );
  if (
    POLYGLOT_MARKERS.test(bytes.toString('latin1')) ||
    bytes.includes(ZIP_END, Math.max(0, bytes.length - 65_557))
  )
    throw refuse(
      422,
      'media_polyglot',
      'The picture carries other content (markup, script or an archive) and was refused',
    );

  const sharp = await loadSharp();
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    throw refuse(422, 'media_unreadable', 'The picture could not be read (damaged or incomplete file)');
  }
  if (!meta.width || !meta.height) throw refuse(422, 'media_unreadable', 'The picture has no dimensions');
  const frames = meta.pages ?? 1;
  if (meta.width * meta.height * frames > limits.maxPixels)
    throw refuse(
      422,
      'media_too_many_pixels',
      `The picture is ${meta.width}×${meta.height}${frames > 1 ? `×${frames} frames` : ''} pixels; at most ${limits.maxPixels} pixels are accepted`,
    );
  // Decode it whole once (bounded by the pixel limit): truncated or corrupt data fails here.
  try {
    await sharp(bytes, { limitInputPixels: limits.maxPixels, failOn: 'error' })
      .rotate()
      .resize(64)
      .raw()
      .toBuffer();
  } catch {
    throw refuse(422, 'media_unreadable', 'The picture could not be decoded (damaged or incomplete file)');
  }
  const rotated = (meta.orientation ?? 1) >= 5;
  return {
    mime,
    format,
    width: rotated ? meta.height : meta.width,
    height: rotated ? meta.width : meta.height,
    hasAlpha: !!meta.hasAlpha,
  };
}
