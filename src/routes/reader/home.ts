import { Router } from 'express';
import { surrogate } from '../../cache/surrogate-keys.js';
import { pageChrome } from '../../presenters/page-chrome.js';
import { presentCard, sectionName } from '../../presenters/release-card.js';
import { homeGraph } from '../../presenters/structured-data.js';
import { readerUrls } from '../../presenters/urls.js';
import { loadCards, publishedLanguages } from '../../read-models/release-index.js';
import { sourceLanguageFallback } from './language-fallback.js';
import type { WebContext } from '../../web-context.js';
import { HTML, readerPage } from './reader-page.js';

const LATEST = 10;
const PER_SECTION = 4;

/** `/{lang}/`: the newest releases, then each section's newest, from the Redis read model. */
export function homeRouter(ctx: WebContext): Router {
  const router = Router();
  const k = ctx.keys.releases;
  router.get(
    '/:lang/',
    readerPage(ctx, async (req, res, lang) => {
      if (!req.path.endsWith('/')) {
        res.redirect(301, readerUrls.home(lang));
        return undefined;
      }
      const [latestIds, sectionSlugs] = await Promise.all([
        ctx.redis.zrevrange(k.language(lang), 0, LATEST - 1),
        ctx.redis.smembers(k.sections(lang)),
      ]);
      const multi = ctx.redis.multi();
      for (const s of sectionSlugs)
        multi.zrevrange(k.section(lang, s), 0, PER_SECTION - 1).zcard(k.section(lang, s));
      const replies = (await multi.exec()) ?? [];
      const sections = await Promise.all(
        sectionSlugs.map(async (slug, i) => {
          const cards = await loadCards(ctx, replies[i * 2][1] as string[]);
          return {
            slug,
            name: sectionName(ctx, lang, slug),
            href: readerUrls.section(lang, slug),
            total: Number(replies[i * 2 + 1][1]),
            newest: cards[0]?.publishedAt ?? '',
            items: cards.map((c) => presentCard(ctx, lang, c, false)),
          };
        }),
      );
      const latest = (await loadCards(ctx, latestIds)).map((c) => presentCard(ctx, lang, c));
      // Nothing here yet: the source language's newest, said so, rather than an empty page.
      const fallback = latest.length ? undefined : await sourceLanguageFallback(ctx, lang, LATEST);
      const published = await publishedLanguages(ctx);
      const alternates = Object.fromEntries(published.map((l) => [l, readerUrls.home(l)]));
      const html = ctx.views.page('pages/home', {
        ...pageChrome(ctx, lang, {
          path: readerUrls.home(lang),
          alternates,
          xDefault: readerUrls.root(),
          noindex: !!fallback,
          jsonLd: [
            homeGraph({
              publicUrl: ctx.config.publicUrl,
              siteName: ctx.i18n.t('site.name', { lng: lang }),
              lang,
            }),
          ],
        }),
        latest,
        fallback,
        sections: sections.filter((s) => s.total > 0).sort((a, b) => b.newest.localeCompare(a.newest)),
      });
      return {
        body: html,
        type: HTML,
        surrogates: [
          surrogate.listing(lang),
          surrogate.languages(),
          ...(fallback ? [fallback.surrogate] : []),
        ],
      };
    }),
  );
  return router;
}
