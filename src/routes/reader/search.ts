import { Router } from 'express';
import { badRequest } from '../../errors.js';
import { encodeCursor } from '../../presenters/cursor.js';
import { pageChrome } from '../../presenters/page-chrome.js';
import { readerUrls, withCursor } from '../../presenters/urls.js';
import { loadCards } from '../../read-models/release-index.js';
import { highlight } from '../../search/normalize.js';
import { searchReleases } from '../../search/search-releases.js';
import type { WebContext } from '../../web-context.js';
import { cursorParam, PAGE_SIZE } from './listings.js';
import { HTML, readerPage, singleParam } from './reader-page.js';

const MAX_QUERY = 200;

/**
 * `/{lang}/search?q=`: the language's releases containing every word (case, diacritics and
 * ё/е ignored; words match as prefixes), newest first, matches highlighted, paginated.
 */
export function searchRouter(ctx: WebContext): Router {
  const router = Router();
  router.get(
    '/:lang/search',
    readerPage(ctx, async (req, _res, lang) => {
      const raw = singleParam(req, 'q');
      if (raw === null) throw badRequest('bad_query', 'Give one search query: ?q=words');
      const q = (raw ?? '').trim().slice(0, MAX_QUERY);
      const after = cursorParam(ctx, req, lang);
      const page = q ? await searchReleases(ctx, lang, q, after, PAGE_SIZE) : undefined;
      const cards = page ? await loadCards(ctx, page.ids) : [];
      const path = readerUrls.search(lang);
      const title = ctx.i18n.t('search.title', { lng: lang });
      const html = ctx.views.page('pages/search', {
        ...pageChrome(ctx, lang, {
          title: q ? `${title}: ${q}` : title,
          path: readerUrls.search(lang, q),
          noindex: true,
          alternates: Object.fromEntries(ctx.config.languages.map((l) => [l, readerUrls.search(l, q)])),
        }),
        searchQuery: q,
        total: page?.total ?? 0,
        results: cards.map((c) => ({
          href: readerUrls.article(c.lang, c.slug),
          publishedAt: c.publishedAt,
          titleHtml: highlight(c.title, page!.terms),
          leadHtml: c.lead ? highlight(c.lead, page!.terms) : '',
        })),
        pagination: page && {
          newestHref: after ? withCursor(path, undefined, { q }) : undefined,
          olderHref: page.next ? withCursor(path, encodeCursor(page.next), { q }) : undefined,
        },
      });
      return { body: html, type: HTML };
    }),
  );
  return router;
}
