import { Router, type Request } from 'express';
import { surrogate } from '../../cache/surrogate-keys.js';
import { AppError, notFound } from '../../errors.js';
import { decodeCursor, encodeCursor, pageOfSortedSet, type Cursor } from '../../presenters/cursor.js';
import { pageChrome } from '../../presenters/page-chrome.js';
import { presentCard, sectionName } from '../../presenters/release-card.js';
import { readerUrls, withCursor } from '../../presenters/urls.js';
import { loadCards, publishedLanguages } from '../../read-models/release-index.js';
import { sourceLanguageFallback } from './language-fallback.js';
import type { WebContext } from '../../web-context.js';
import { HTML, languageGuard, readerPage, singleParam, trailingSlash } from './reader-page.js';

export const PAGE_SIZE = 20;
const SECTION_SLUG = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** The `after` cursor of a listing request; a token we did not issue is a 400 in the page's language. */
export function cursorParam(ctx: WebContext, req: Request, lang: string): Cursor | undefined {
  const raw = singleParam(req, 'after');
  if (raw === undefined || raw === '') return undefined;
  const cursor = raw === null ? undefined : decodeCursor(raw);
  if (!cursor) throw new AppError(400, 'bad_cursor', ctx.i18n.t('error.badCursor', { lng: lang }));
  return cursor;
}

/**
 * `/{lang}/news/` (every release) and `/{lang}/sections/{section}/` (one section), newest
 * first, keyset-paginated on the Redis sorted sets the read model keeps.
 */
export function listingsRouter(ctx: WebContext): Router {
  const router = Router();
  const k = ctx.keys.releases;
  const { languages, sourceLanguage } = ctx.config;

  async function render(lang: string, req: Request, section?: string) {
    const after = cursorParam(ctx, req, lang);
    const key = section ? k.section(lang, section) : k.language(lang);
    const [page, sectionSlugs] = await Promise.all([
      pageOfSortedSet(ctx.redis, key, after, PAGE_SIZE),
      ctx.redis.smembers(k.sections(lang)),
    ]);
    const path = section ? readerUrls.section(lang, section) : readerUrls.news(lang);
    const items = (await loadCards(ctx, page.ids)).map((c) => presentCard(ctx, lang, c, !section));
    // Nothing in the language yet: the source language's newest, said so, rather than an
    // empty page (a section of a language that has published elsewhere is simply empty).
    const languageEmpty =
      !items.length && !after && (!section || (await ctx.redis.zcard(k.language(lang))) === 0);
    const fallback = languageEmpty ? await sourceLanguageFallback(ctx, lang, PAGE_SIZE, section) : undefined;
    const alternates = section
      ? await languagesWithSection(section)
      : Object.fromEntries((await publishedLanguages(ctx)).map((l) => [l, readerUrls.news(l)]));
    const heading = section
      ? ctx.i18n.t('section.title', { lng: lang, section: sectionName(ctx, lang, section) })
      : ctx.i18n.t('news.title', { lng: lang });
    const body = ctx.views.page('pages/listing', {
      ...pageChrome(ctx, lang, {
        title: heading,
        path: withCursor(path, after && encodeCursor(after)),
        alternates: after ? {} : alternates,
        xDefault: after ? undefined : alternates[sourceLanguage],
        switchTo: Object.fromEntries(languages.map((l) => [l, alternates[l] ?? readerUrls.news(l)])),
        section,
        noindex: !!fallback,
      }),
      heading,
      items,
      fallback,
      total: page.total,
      sectionLinks: sectionSlugs
        .map((s) => ({
          name: sectionName(ctx, lang, s),
          href: readerUrls.section(lang, s),
          current: s === section,
        }))
        .sort((a, b) => a.name.localeCompare(b.name, lang)),
      pagination: {
        newestHref: after ? path : undefined,
        olderHref: page.next ? withCursor(path, encodeCursor(page.next)) : undefined,
      },
    });
    return { body, fallback };
  }

  /** Section pages exist in the languages that have published something in the section. */
  async function languagesWithSection(section: string): Promise<Record<string, string>> {
    const multi = ctx.redis.multi();
    for (const l of languages) multi.sismember(k.sections(l), section);
    const replies = (await multi.exec()) ?? [];
    return Object.fromEntries(
      languages.filter((_, i) => replies[i]?.[1] === 1).map((l) => [l, readerUrls.section(l, section)]),
    );
  }

  router.get(
    '/:lang/news/',
    languageGuard(ctx),
    trailingSlash,
    readerPage(ctx, async (req, _res, lang) => {
      const { body, fallback } = await render(lang, req);
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
    }),
  );

  router.get(
    '/:lang/sections/:section/',
    languageGuard(ctx),
    trailingSlash,
    readerPage(ctx, async (req, res, lang) => {
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
      const { body, fallback } = await render(lang, req, section);
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
    }),
  );

  return router;
}
