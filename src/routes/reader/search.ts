import { Router, type Request } from 'express';
import { surrogate } from '../../cache/surrogate-keys.js';
import { AppError, badRequest } from '../../errors.js';
import { encodeCursor } from '../../presenters/cursor.js';
import { pageChrome } from '../../presenters/page-chrome.js';
import { sectionName } from '../../presenters/release-card.js';
import { readerUrls, withCursor } from '../../presenters/urls.js';
import { loadCards, publishedLanguages } from '../../read-models/release-index.js';
import { endOfDay, startOfDay } from '../../search/day-bounds.js';
import { highlight, snippet } from '../../search/normalize.js';
import { indexedTexts } from '../../search/search-index.js';
import { searchReleases, type SearchFilters } from '../../search/search-releases.js';
import type { WebContext } from '../../web-context.js';
import { PAGE_SIZE } from './listings.js';
import { cursorParam } from './paging.js';
import { HTML, readerPage, singleParam } from './reader-page.js';

const MAX_QUERY = 200;
const SECTION_SLUG = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** The section and date filters of a search request; a malformed one is a 400 in the page's language. */
function filtersOf(
  ctx: WebContext,
  req: Request,
  lang: string,
): { filters: SearchFilters; raw: Record<string, string> } {
  const raw: Record<string, string> = {};
  for (const name of ['section', 'from', 'to']) {
    const value = singleParam(req, name);
    if (value === null) throw badRequest('bad_query', `Give at most one '${name}'`);
    if (value) raw[name] = value.trim();
  }
  const bad = () => new AppError(400, 'bad_filter', ctx.i18n.t('search.badFilter', { lng: lang }));
  if (raw.section && !SECTION_SLUG.test(raw.section)) throw bad();
  const from = raw.from ? startOfDay(raw.from, ctx.config.NEWSROOM_TIMEZONE) : undefined;
  const to = raw.to ? endOfDay(raw.to, ctx.config.NEWSROOM_TIMEZONE) : undefined;
  if ((raw.from && !from) || (raw.to && !to)) throw bad();
  return { filters: { section: raw.section, from, to }, raw };
}

/**
 * `/{lang}/search?q=&section=&from=&to=`: the language's releases containing every word in
 * some inflection (src/language), title matches first, then newest; each with a highlighted
 * snippet of the body around the match; paginated.
 */
export function searchRouter(ctx: WebContext): Router {
  const router = Router();
  router.get(
    '/:lang/search',
    readerPage(ctx, async (req, _res, lang) => {
      const raw = singleParam(req, 'q');
      if (raw === null) throw badRequest('bad_query', 'Give one search query: ?q=words');
      const q = (raw ?? '').trim().slice(0, MAX_QUERY);
      const { filters, raw: rawFilters } = filtersOf(ctx, req, lang);
      const after = cursorParam(ctx, req, lang);
      const page = q ? await searchReleases(ctx, lang, q, filters, after, PAGE_SIZE) : undefined;
      const [cards, texts, sectionSlugs, published] = await Promise.all([
        page ? loadCards(ctx, page.ids) : [],
        page ? indexedTexts(ctx, page.ids) : new Map<string, string>(),
        ctx.redis.smembers(ctx.keys.releases.sections(lang)),
        publishedLanguages(ctx),
      ]);
      const params = { q, ...rawFilters };
      const path = readerUrls.search(lang);
      const title = ctx.i18n.t('search.title', { lng: lang });
      const html = ctx.views.page('pages/search', {
        ...pageChrome(ctx, lang, {
          title: q ? `${title}: ${q}` : title,
          path: readerUrls.search(lang, q),
          noindex: true,
          alternates: Object.fromEntries(published.map((l) => [l, readerUrls.search(l, q)])),
          switchTo: Object.fromEntries(ctx.config.languages.map((l) => [l, readerUrls.search(l, q)])),
        }),
        searchQuery: q,
        filters: rawFilters,
        sections: sectionSlugs
          .map((s) => ({ value: s, name: sectionName(ctx, lang, s), selected: s === rawFilters.section }))
          .sort((a, b) => a.name.localeCompare(b.name, lang)),
        total: page?.total ?? 0,
        results: cards.map((c) => ({
          href: readerUrls.article(c.lang, c.slug),
          publishedAt: c.publishedAt,
          section: sectionName(ctx, lang, c.section),
          titleHtml: highlight(lang, c.title, page!.terms),
          leadHtml: c.lead ? highlight(lang, c.lead, page!.terms) : '',
          snippetHtml: snippet(lang, texts.get(c.id) ?? '', page!.terms),
        })),
        pagination: page && {
          newestHref: after ? withCursor(path, undefined, params) : undefined,
          olderHref: page.next ? withCursor(path, encodeCursor(page.next), params) : undefined,
        },
      });
      return {
        body: html,
        type: HTML,
        surrogates: [surrogate.search(lang), surrogate.sections(lang), surrogate.languages()],
      };
    }),
  );
  return router;
}
