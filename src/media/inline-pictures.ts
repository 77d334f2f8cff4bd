import Handlebars from 'handlebars';
import { presentPicture } from './picture.js';

/** An `<img>` of one of our renditions, as the editor inserts it (`/media/<id>/<w>.<ext>`). */
const OUR_IMG = /<img\b([^>]*?)\bsrc="\/media\/([0-9a-f]{32})\/\d+\.(?:jpg|png|webp|avif)"([^>]*)>/g;

const attr = (attrs: string, name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(attrs)?.[1];

/** `sizes` of a picture in the article's text column. */
const BODY_SIZES = '(min-width: 48rem) 45rem, 100vw';

/**
 * Turns the body's pictures (sanitised `<img>`s of our renditions, with the original's width
 * and height) into `<picture>`s offering AVIF and WebP in every width, lazily loaded (they are
 * below the lead picture and the first paragraphs). Alt text and other attributes are kept as
 * written (already escaped by the sanitiser); other images are left alone.
 */
export function enhanceInlinePictures(html: string): string {
  return html.replace(OUR_IMG, (tag, before: string, media: string, after: string) => {
    const attrs = `${before} ${after}`;
    const width = Number(attr(attrs, 'width'));
    const height = Number(attr(attrs, 'height'));
    if (!(width > 0 && height > 0)) return tag;
    const hasAlpha = /\.png"/.test(tag);
    const p = presentPicture({ media, width, height, hasAlpha }, { sizes: BODY_SIZES });
    const alt = attr(attrs, 'alt') ?? '';
    const title = attr(attrs, 'title');
    const sources = p.sources
      .map((s) => `<source type="${s.type}" srcset="${s.srcset}" sizes="${p.sizes}">`)
      .join('');
    return (
      `<picture>${sources}<img src="${p.src}" srcset="${p.srcset}" sizes="${p.sizes}" ` +
      `width="${width}" height="${height}" alt="${alt}"${title ? ` title="${title}"` : ''} loading="lazy" decoding="async"></picture>`
    );
  });
}

/** Where the credit goes in the label given to `labelInlineCredits`. */
export const CREDIT_SLOT = '\u0000';

/**
 * The credit of a body figure (the editor writes it as the figcaption's closing `<small>`)
 * labelled as on the lead picture: `<span class="credit">Photo: …</span>` in the page's
 * language. `label` is the localized sentence with `CREDIT_SLOT` for the credit, which stays
 * as the sanitiser escaped it.
 */
export function labelInlineCredits(html: string, label: string): string {
  const [before, after = ''] = label.split(CREDIT_SLOT);
  return html.replace(
    /<small>([^<]*)<\/small>(\s*)<\/figcaption>/g,
    (_m, credit: string, space: string) =>
      `<span class="credit">${Handlebars.escapeExpression(before)}${credit}${Handlebars.escapeExpression(after)}</span>${space}</figcaption>`,
  );
}
