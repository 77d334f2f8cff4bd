import type { ReleaseCard } from '../read-models/release-index.js';
import { leadHtmlOf } from '../lib/lead-html.js';
import { readableSectionKey } from '../i18n/section-labels.js';
import type { WebContext } from '../web-context.js';
import { readerUrls } from './urls.js';
import { presentPicture } from '../media/picture.js';

/** Listing thumbnails are at most 12 rem wide (see site.css). */
const THUMB_SIZES = '(min-width: 48rem) 12rem, 33vw';

/** A section's name in the page language (its key made readable when no label exists). */
export function sectionName(ctx: WebContext, lang: string, section: string): string {
  return ctx.i18n.t(`sections.${section}`, { lng: lang, defaultValue: readableSectionKey(section) });
}

/** A release card as a listing item: links and section name for the page's language. */
export function presentCard(ctx: WebContext, lang: string, card: ReleaseCard, withSection = true) {
  return {
    id: card.id,
    title: card.title,
    leadHtml: leadHtmlOf(card),
    publishedAt: card.publishedAt,
    href: readerUrls.article(card.lang, card.slug),
    sectionName: withSection ? sectionName(ctx, lang, card.section) : undefined,
    sectionHref: readerUrls.section(lang, card.section),
    // Beside its linked title a thumbnail adds nothing for a screen reader: empty alt.
    thumbnail: card.image
      ? { ...presentPicture(card.image, { alt: '', sizes: THUMB_SIZES }), lazy: true }
      : undefined,
  };
}
