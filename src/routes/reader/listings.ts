import { Router } from 'express';
import { surrogate } from '../../cache/surrogate-keys.js';
import { notFound } from '../../errors.js';
import { sectionName } from '../../presenters/release-card.js';
import { readerUrls } from '../../presenters/urls.js';
import { publishedLanguages } from '../../read-models/release-index.js';
import type { WebContext } from '../../web-context.js';
import { listingRoute, renderListing } from './listing-page.js';
import { HTML } from './reader-page.js';

export { PAGE_SIZE } from './listing-page.js';
const SECTION_SLUG = /^[a-z0-9][a-z0-9-]{0,63}$/;

/**
 * `/{lang}/news/` (every release) and `/{lang}/sections/{section}/` (one section), newest
 * first, keyset-paginated on the Redis sorted sets the read model keeps.
 */
export function listingsRouter(ctx: WebContext): Router {
  const router = Router();
  const k = ctx.keys.releases;
  const { languages, sourceLanguage } = ctx.config;

  /** Section pages exist in the languages that have published something in the section. */
  async function languagesWithSection(section: string): Promise<Record<string, string>> {
    const multi = ctx.redis.multi();
    for (const l of languages) multi.sismember(k.sections(l), section);
    const replies = (await multi.exec()) ?? [];
    return Object.fromEntries(
      languages.filter((_, i) => replies[i]?.[1] === 1).map((l) => [l, readerUrls.section(l, section)]),
    );
  }

  listingRoute(router, ctx, '/:lang/news/', async (req, _res, lang) => {
    const { body, fallback } = await renderListing(ctx, lang, req, {
      key: k.language(lang),
      path: readerUrls.news(lang),
      heading: ctx.i18n.t('news.title', { lng: lang }),
      alternates: Object.fromEntries((await publishedLanguages(ctx)).map((l) => [l, readerUrls.news(l)])),
      withSection: true,
      fallback: true,
      extra: { archiveHref: readerUrls.archive(lang) },
    });
    return {
      body,
      type: HTML,
      surrogates: [
        surrogate.listing(lang),
        surrogate.sections(lang),
        surrogate.languages(),
        ...(fallback ? [fallback.surrogate] : []),
      ],
    };
  });

  listingRoute(router, ctx, '/:lang/sections/:section/', async (req, res, lang) => {
    const section = String(req.params.section);
    // Section keys are lower case, as article slugs are: a typed capital still finds it.
    if (section !== section.toLowerCase() && SECTION_SLUG.test(section.toLowerCase())) {
      res.redirect(301, readerUrls.section(lang, section.toLowerCase()));
      return undefined;
    }
    const known =
      SECTION_SLUG.test(section) &&
      ((await ctx.redis.sismember(k.sections(lang), section)) ||
        (await ctx.redis.sismember(k.sections(sourceLanguage), section)));
    if (!known) throw notFound('unknown_section', `There is no section '${section}'`);
    const { body, fallback } = await renderListing(ctx, lang, req, {
      key: k.section(lang, section),
      path: readerUrls.section(lang, section),
      heading: ctx.i18n.t('section.title', { lng: lang, section: sectionName(ctx, lang, section) }),
      alternates: await languagesWithSection(section),
      section,
      fallback: true,
    });
    return {
      body,
      type: HTML,
      // Its alternates are the languages that have the section: their section lists too.
      surrogates: [
        surrogate.section(lang, section),
        ...languages.map((l) => surrogate.sections(l)),
        ...(fallback ? [fallback.surrogate, surrogate.languages()] : []),
      ],
    };
  });

  return router;
}
