import type { Request, Router } from 'express';
import { pageOfSortedSet, type PageOptions } from '../../presenters/cursor.js';
import { pageChrome } from '../../presenters/page-chrome.js';
import { presentCard, sectionName } from '../../presenters/release-card.js';
import { readerUrls } from '../../presenters/urls.js';
import { loadCards } from '../../read-models/release-index.js';
import type { WebContext } from '../../web-context.js';
import { sourceLanguageFallback } from './language-fallback.js';
import { pagePosition, pageUrl, paginationLinks } from './paging.js';
import { languageGuard, readerPage, trailingSlash } from './reader-page.js';

export const PAGE_SIZE = 20;

/**
 * Registers a listing page `GET <path>` (`/:lang/…/`): only in a configured language, at its
 * trailing slash (301 otherwise), rendered and cached as a reader page — as every listing is.
 */
export function listingRoute(
  router: Router,
  ctx: WebContext,
  path: string,
  render: Parameters<typeof readerPage>[1],
): void {
  router.get(path, languageGuard(ctx), trailingSlash, readerPage(ctx, render));
}

/** What distinguishes one listing from another: its sorted set, URL, heading and counterparts. */
export interface ListingSpec {
  /** The read-model sorted set listed (newest first). */
  key: string;
  /** The first page's path. */
  path: string;
  heading: string;
  /** Only items scored within these bounds (a month). */
  range?: Pick<PageOptions, 'min' | 'max'>;
  /** The same listing in the languages that have it (hreflang), first page only. */
  alternates: Record<string, string>;
  /** Where the switcher leads in each language (default: the alternate, else that language's news). */
  switchTo?: Record<string, string>;
  section?: string;
  /** Show each item's section (not on a section's own page). */
  withSection?: boolean;
  /** Extra view-model fields for the template (the archive link). */
  extra?: Record<string, unknown>;
  /**
   * News and section pages: with nothing in the language yet, show the source language's
   * newest (`language-fallback.ts`) instead of an empty page.
   */
  fallback?: boolean;
}

/**
 * A listing page (`pages/listing`): one keyset page of a sorted set with the first-page,
 * newer and older links, the section links, and the head tags; the canonical of a later page
 * is itself, without hreflang (its counterparts hold other items).
 */
export async function renderListing(ctx: WebContext, lang: string, req: Request, spec: ListingSpec) {
  const at = pagePosition(ctx, req, lang);
  const k = ctx.keys.releases;
  const [page, sectionSlugs] = await Promise.all([
    pageOfSortedSet(ctx.redis, spec.key, at.after, PAGE_SIZE, {
      before: at.before,
      withNewer: true,
      ...spec.range,
    }),
    ctx.redis.smembers(k.sections(lang)),
  ]);
  const items = (await loadCards(ctx, page.ids)).map((c) => presentCard(ctx, lang, c, spec.withSection));
  const first = !at.after && !at.before;
  // A section of a language that has published elsewhere is simply empty.
  const languageEmpty =
    spec.fallback &&
    !items.length &&
    first &&
    (!spec.section || (await ctx.redis.zcard(k.language(lang))) === 0);
  const fallback = languageEmpty
    ? await sourceLanguageFallback(ctx, lang, PAGE_SIZE, spec.section)
    : undefined;
  const { languages, sourceLanguage } = ctx.config;
  const body = ctx.views.page('pages/listing', {
    ...pageChrome(ctx, lang, {
      title: spec.heading,
      path: pageUrl(spec.path, at),
      alternates: first ? spec.alternates : {},
      xDefault: first ? spec.alternates[sourceLanguage] : undefined,
      switchTo: Object.fromEntries(
        languages.map((l) => [l, spec.switchTo?.[l] ?? spec.alternates[l] ?? readerUrls.news(l)]),
      ),
      section: spec.section,
      noindex: !!fallback,
    }),
    heading: spec.heading,
    items,
    fallback,
    total: page.total,
    sectionLinks: sectionSlugs
      .map((s) => ({
        name: sectionName(ctx, lang, s),
        href: readerUrls.section(lang, s),
        current: s === spec.section,
      }))
      .sort((a, b) => a.name.localeCompare(b.name, lang)),
    pagination: paginationLinks(spec.path, at, page),
    ...spec.extra,
  });
  return { body, fallback };
}
