import { Router } from 'express';
import { surrogate } from '../../cache/surrogate-keys.js';
import { notFound } from '../../errors.js';
import { SLUG_PATTERN, tagSlug } from '../../lib/slug.js';
import { readerUrls } from '../../presenters/urls.js';
import { loadCards } from '../../read-models/release-index.js';
import type { WebContext } from '../../web-context.js';
import { listingRoute, renderListing } from './listing-page.js';
import { HTML } from './reader-page.js';

/**
 * `/{lang}/tags/{tag}/`: the releases of a language with one tag, newest first, paged like
 * every listing, from the tag's sorted set in the read model. The tag is named as the
 * newest release writes it; a tag with nothing published in the language is a 404.
 */
export function tagsRouter(ctx: WebContext): Router {
  const router = Router();
  const k = ctx.keys.releases;
  const { languages } = ctx.config;

  listingRoute(router, ctx, '/:lang/tags/:tag/', async (req, _res, lang) => {
    const slug = String(req.params.tag);
    if (!SLUG_PATTERN.test(slug) || slug.length > 200) throw notFound('unknown_tag', `No tag '${slug}'`);
    const multi = ctx.redis.multi();
    for (const l of languages) multi.exists(k.tag(l, slug));
    multi.zrevrange(k.tag(lang, slug), 0, 0);
    const replies = (await multi.exec()) ?? [];
    const [newest] = await loadCards(ctx, (replies[languages.length]?.[1] as string[] | undefined) ?? []);
    const name = newest?.tags.find((t) => tagSlug(t) === slug);
    if (!name) throw notFound('unknown_tag', `No release in '${lang}' has the tag '${slug}'`);
    const alternates = Object.fromEntries(
      languages.filter((_, i) => replies[i]?.[1] === 1).map((l) => [l, readerUrls.tag(l, slug)]),
    );
    return {
      body: (
        await renderListing(ctx, lang, req, {
          key: k.tag(lang, slug),
          path: readerUrls.tag(lang, slug),
          heading: ctx.i18n.t('browse:tags.title', { lng: lang, tag: name }),
          alternates,
          withSection: true,
        })
      ).body,
      type: HTML,
      // The tag in every language: whether they have it decides this page's alternates.
      surrogates: languages.map((l) => surrogate.tag(l, slug)),
    };
  });

  return router;
}
