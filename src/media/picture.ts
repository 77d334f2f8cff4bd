import { CONTENT_TYPES, fallbackFormat, formatsFor, renditionUrl, widthsFor } from './renditions.js';

/** What a page, a feed or structured data needs to know of a stored picture. */
export interface PictureRef {
  media: string;
  width: number;
  height: number;
  hasAlpha?: boolean | null;
}

/** The rendition width used as `src`, `og:image` and in feeds: large enough, not the largest. */
export const MAIN_WIDTH = 1280;

/** `sizes` of an article's lead picture: the column is at most about 45 rem (720 px) wide. */
export const ARTICLE_SIZES = '(min-width: 48rem) 45rem, 100vw';

const heightAt = (p: PictureRef, width: number) => Math.max(1, Math.round((width * p.height) / p.width));

/**
 * A picture's view model: `<source>`s per modern format with a `srcset` of every width, the
 * fallback's `src`/`srcset`, and the width and height of the intrinsic size (so the browser
 * reserves the space before the bytes come: no layout shift). `main` is the fallback
 * rendition at the main width, with its own size, for feeds, `og:image` and JSON-LD.
 */
export function presentPicture(
  p: PictureRef,
  text: { alt?: string; caption?: string; credit?: string; sizes?: string } = {},
) {
  const { media } = p;
  const ref = p;
  const widths = widthsFor(ref);
  const srcset = (format: ReturnType<typeof fallbackFormat>) =>
    widths.map((w) => `${renditionUrl(media, w, format)} ${w}w`).join(', ');
  const fallback = fallbackFormat(ref);
  const mainWidth = [...widths].reverse().find((w) => w <= MAIN_WIDTH) ?? widths[0];
  return {
    id: media,
    alt: text.alt ?? '',
    caption: text.caption || undefined,
    credit: text.credit || undefined,
    width: p.width,
    height: p.height,
    sizes: text.sizes ?? ARTICLE_SIZES,
    sources: formatsFor(ref)
      .filter((f) => f !== fallback)
      .map((f) => ({ type: CONTENT_TYPES[f], srcset: srcset(f) })),
    src: renditionUrl(media, mainWidth, fallback),
    srcset: srcset(fallback),
    main: {
      url: renditionUrl(media, mainWidth, fallback),
      type: CONTENT_TYPES[fallback],
      width: mainWidth,
      height: heightAt(ref, mainWidth),
    },
  };
}
export type PictureView = ReturnType<typeof presentPicture>;
