import { loadSharp } from './load-sharp.js';

/** Widths offered in `srcset` (never above the original's: no upscaling). */
export const RENDITION_WIDTHS = [320, 640, 960, 1280, 1920] as const;
/** Modern formats first; the fallback (JPEG, or PNG for pictures with transparency) last. */
export const RENDITION_FORMATS = ['avif', 'webp', 'jpg', 'png'] as const;
export type RenditionFormat = (typeof RENDITION_FORMATS)[number];

export const CONTENT_TYPES: Record<RenditionFormat, string> = {
  avif: 'image/avif',
  webp: 'image/webp',
  jpg: 'image/jpeg',
  png: 'image/png',
};

interface Picture {
  width: number;
  hasAlpha?: boolean | null;
}

/** The widths a picture is offered in: the standard ones below its width, and its own (capped). */
export function widthsFor(p: Picture): number[] {
  const max = Math.min(p.width, RENDITION_WIDTHS[RENDITION_WIDTHS.length - 1]);
  return [...RENDITION_WIDTHS.filter((w) => w < max), max];
}

/** The fallback format every browser shows: PNG keeps transparency, JPEG otherwise. */
export const fallbackFormat = (p: Picture): RenditionFormat => (p.hasAlpha ? 'png' : 'jpg');

/** Formats a picture is offered in, best first. */
export const formatsFor = (p: Picture): RenditionFormat[] => ['avif', 'webp', fallbackFormat(p)];

export const isRendition = (p: Picture, width: number, format: RenditionFormat) =>
  widthsFor(p).includes(width) && formatsFor(p).includes(format);

/** The URL of one rendition: content-addressed by the media id, so it never changes meaning. */
export const renditionUrl = (mediaId: string, width: number, format: RenditionFormat) =>
  `/media/${mediaId}/${width}.${format}`;

/**
 * Encodes one rendition: EXIF orientation applied, then resized; metadata (EXIF with its GPS
 * position and camera serials, XMP, IPTC) is not copied — sharp writes none unless asked — but
 * the colour profile is converted to sRGB. Animated pictures keep their first frame only.
 */
export async function encodeRendition(
  original: Buffer,
  width: number,
  format: RenditionFormat,
  maxPixels: number,
): Promise<{ bytes: Buffer; width: number; height: number }> {
  const sharp = await loadSharp();
  let img = sharp(original, { limitInputPixels: maxPixels, failOn: 'error' })
    .rotate()
    .resize({ width, withoutEnlargement: true })
    .toColourspace('srgb');
  if (format === 'avif') img = img.avif({ quality: 55, effort: 2 });
  else if (format === 'webp') img = img.webp({ quality: 78 });
  else if (format === 'png') img = img.png({ compressionLevel: 9, palette: false });
  else img = img.flatten({ background: '#ffffff' }).jpeg({ quality: 80, mozjpeg: true, progressive: true });
  const { data, info } = await img.toBuffer({ resolveWithObject: true });
  return { bytes: data, width: info.width, height: info.height };
}
