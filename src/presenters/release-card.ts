import type { ReleaseCard } from '../read-models/release-index.js';
import type { WebContext } from '../web-context.js';
import { readerUrls } from './urls.js';

/** A section's name in the page language (its slug when no translation exists). */
export function sectionName(ctx: WebContext, lang: string, section: string): string {
  return ctx.i18n.t(`sections.${section}`, { lng: lang, defaultValue: section });
}

/** A release card as a listing item: links and section name for the page's language. */
export function presentCard(ctx: WebContext, lang: string, card: ReleaseCard, withSection = true) {
  return {
    id: card.id,
    title: card.title,
    lead: card.lead,
    publishedAt: card.publishedAt,
    href: readerUrls.article(card.lang, card.slug),
    sectionName: withSection ? sectionName(ctx, lang, card.section) : undefined,
    sectionHref: readerUrls.section(lang, card.section),
  };
}
