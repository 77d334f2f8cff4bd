import { Router } from 'express';
import { join } from 'node:path';
import { notFound } from '../../errors.js';
import {
  FEED_FILES,
  FEED_FORMATS,
  parseFeedCursor,
  parseFeedLimit,
  SECTION_PATTERN,
  type FeedFormat,
} from '../../feeds/feed-target.js';
import { renderFeed } from '../../feeds/render-feed.js';
import { renderNinjsFeed, renderNinjsItem } from '../../feeds/render-ninjs.js';
import {
  renderNewsSitemap,
  renderRobots,
  renderSitemapPart,
  renderSitemapRoot,
} from '../../feeds/sitemap.js';
import { surrogate } from '../../cache/surrogate-keys.js';
import { cachedResponse, type Rendered } from '../../middleware/cached-response.js';
import { TEMPLATES_DIR } from '../../paths.js';
import { acceptHubRequest } from '../../websub/hub-request.js';
import type { WebContext } from '../../web-context.js';
import { renderFeedsPage } from './feeds-page.js';

/** A response with the surrogate keys of what it shows (see `src/cache/surrogate-keys.ts`). */
const tagged = <R extends Rendered | undefined>(r: R, ...surrogates: string[]): R =>
  r && ({ ...r, surrogates } as R);

/**
 * Syndication: per-language (and per-section) RSS, Atom and JSON Feed, the human feeds
 * page, sitemaps, robots.txt and the WebSub hub. Every GET is served through the page
 * cache, tagged with what it shows so a change drops only what it touched. Mount before the reader (it has `/:lang/...` routes).
 */
const STORY_ID = /^[A-Za-z0-9_-]{1,100}$/;

export function feedsRouter(ctx: WebContext): Router {
  const router = Router();
  const langs = new Set(ctx.config.languages);

  const feed = (format: FeedFormat) =>
    cachedResponse(ctx, async (req) => {
      const { lang, section } = req.params as { lang: string; section?: string };
      if (!langs.has(lang)) return undefined; // not ours: let the reader answer 404
      if (section !== undefined && !(await sectionExists(lang, section)))
        throw notFound('unknown_section', `There is no section '${section}' in '${lang}'`);
      const rendered = await renderFeed(
        ctx,
        { lang, section, format },
        parseFeedLimit(req.query.limit),
        parseFeedCursor(req.query.after),
      );
      return tagged(rendered, section ? surrogate.section(lang, section) : surrogate.listing(lang));
    });

  // Like the reader's section pages: a section of this language or of the source language.
  const sectionExists = async (lang: string, section: string) =>
    SECTION_PATTERN.test(section) &&
    ((await ctx.redis.sismember(ctx.keys.releases.sections(lang), section)) === 1 ||
      (await ctx.redis.sismember(ctx.keys.releases.sections(ctx.config.sourceLanguage), section)) === 1);

  for (const format of FEED_FORMATS) {
    router.get(`/:lang/${FEED_FILES[format]}`, feed(format));
    router.get(`/:lang/sections/:section/${FEED_FILES[format]}`, feed(format));
  }

  const ninjsFeed = cachedResponse(ctx, async (req) => {
    const { lang, section } = req.params as { lang: string; section?: string };
    if (!langs.has(lang)) return undefined;
    if (section !== undefined && !(await sectionExists(lang, section)))
      throw notFound('unknown_section', `There is no section '${section}' in '${lang}'`);
    return renderNinjsFeed(
      ctx,
      lang,
      section,
      parseFeedLimit(req.query.limit),
      parseFeedCursor(req.query.after),
    );
  });
  router.get('/:lang/ninjs.json', ninjsFeed);
  router.get('/:lang/sections/:section/ninjs.json', ninjsFeed);
  router.get(
    '/:lang/ninjs/:story.json',
    cachedResponse(ctx, async (req) => {
      const { lang, story } = req.params as { lang: string; story: string };
      if (!langs.has(lang)) return undefined;
      if (!STORY_ID.test(story)) throw notFound('unknown_story', `There is no story '${story}'`);
      const rendered = await renderNinjsItem(ctx, lang, story);
      if (!rendered) throw notFound('unknown_release', `Story '${story}' was never published in '${lang}'`);
      return rendered;
    }),
  );

  router.get(
    '/:lang/feeds',
    cachedResponse(ctx, async (req) => {
      const { lang } = req.params as { lang: string };
      return langs.has(lang)
        ? tagged(await renderFeedsPage(ctx, lang), surrogate.sections(lang), surrogate.languages())
        : undefined;
    }),
  );

  router.get(
    '/sitemap.xml',
    cachedResponse(ctx, async () => tagged(await renderSitemapRoot(ctx), surrogate.sitemap())),
  );
  router.get(
    '/sitemaps/:lang/news.xml',
    cachedResponse(ctx, async (req) => {
      const { lang } = req.params as { lang: string };
      if (!langs.has(lang)) return undefined;
      return renderNewsSitemap(ctx, lang, ctx.i18n.t('site.name', { lng: lang }));
    }),
  );
  router.get(
    '/sitemaps/:lang/:page.xml',
    cachedResponse(ctx, async (req) => {
      const { lang, page } = req.params as { lang: string; page: string };
      if (!langs.has(lang) || !/^[1-9]\d{0,5}$/.test(page)) return undefined;
      return tagged(await renderSitemapPart(ctx, lang, Number(page)), surrogate.sitemap());
    }),
  );
  router.get(
    '/robots.txt',
    cachedResponse(ctx, async () => {
      // News sitemaps of the languages that have published something (a language's first
      // release or last withdrawal drops this with the sitemap).
      const counts = await Promise.all(
        ctx.config.languages.map((l) => ctx.redis.zcard(ctx.keys.releases.language(l))),
      );
      const published = ctx.config.languages.filter((_, i) => counts[i] > 0);
      return tagged(renderRobots(ctx.config.publicUrl, published), surrogate.sitemap());
    }),
  );

  router.get('/feeds/logo.png', (_req, res) => {
    res.sendFile(join(TEMPLATES_DIR, 'feeds', 'logo.png'), { maxAge: '1d' });
  });

  router.post('/websub/hub', async (req, res) => {
    await acceptHubRequest(ctx, req.body);
    res.status(202).type('text/plain').send('Accepted: the callback will receive a verification request.\n');
  });

  return router;
}
