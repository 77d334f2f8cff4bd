import { Router } from 'express';
import { notFound } from '../../errors.js';
import { routeId } from '../../models/ids.js';
import { Release, type ReleaseDoc } from '../../models/release.js';
import { Route } from '../../models/route.js';
import { pageChrome } from '../../presenters/page-chrome.js';
import { indexKeys, loadCards } from '../../read-models/release-index.js';
import type { WebContext } from '../../web-context.js';

/** Reader pages: language homes and articles. */
export function readerRouter(ctx: WebContext): Router {
  const router = Router();
  const langs = new Set(ctx.config.languages);

  router.get('/', (_req, res) => {
    res.redirect(302, `/${ctx.config.sourceLanguage}/`);
  });

  router.get('/:lang/', async (req, res) => {
    const { lang } = req.params;
    if (!langs.has(lang)) throw notFound('unknown_language', `Language '${lang}' is not configured`);
    const ids = await ctx.redis.zrevrange(indexKeys(ctx).language(lang), 0, 49);
    const items = (await loadCards(ctx, ids)).map((c) => ({ ...c, href: `/${lang}/news/${c.slug}` }));
    res.type('html').send(ctx.views.page('pages/home', { ...pageChrome(ctx, lang), items }));
  });

  router.get('/:lang/news/:slug', async (req, res) => {
    const { lang, slug } = req.params;
    if (!langs.has(lang)) throw notFound('unknown_language', `Language '${lang}' is not configured`);
    const route = await Route.findById(routeId(lang, slug)).lean();
    const release = route ? await Release.findById(route.release).lean<ReleaseDoc>() : null;
    if (!release || release.status !== 'published') throw notFound('unknown_release', 'No such release');
    if (release.slug !== slug) {
      res.redirect(301, `/${lang}/news/${release.slug}`);
      return;
    }
    res
      .type('html')
      .send(ctx.views.page('pages/article', { ...pageChrome(ctx, lang, { title: release.title }), release }));
  });

  return router;
}
