import { Router } from 'express';
import { surrogate } from '../../cache/surrogate-keys.js';
import { notFound } from '../../errors.js';
import { monthBounds, monthsBetween } from '../../lib/months.js';
import { pageChrome } from '../../presenters/page-chrome.js';
import { readerUrls } from '../../presenters/urls.js';
import { formatsFor } from '../../views/format.js';
import type { WebContext } from '../../web-context.js';
import { listingRoute, renderListing } from './listing-page.js';
import { HTML } from './reader-page.js';

/** The middle of a month: its name is the same in every zone. */
const midMonth = (b: { min: number }) => new Date(b.min + 15 * 24 * 3600_000);

/**
 * The date archive: `/{lang}/archive/` lists the months that have releases (with their
 * counts, grouped by year), and `/{lang}/news/{YYYY}/{MM}/` is one month's releases, newest
 * first and paged like every listing. Both read the language's sorted set by score range
 * (publication time): no structure of their own to keep.
 */
export function archiveRouter(ctx: WebContext): Router {
  const router = Router();
  const k = ctx.keys.releases;
  const { languages } = ctx.config;
  const tz = ctx.config.NEWSROOM_TIMEZONE;
  const formats = formatsFor(tz);

  listingRoute(router, ctx, '/:lang/archive/', async (_req, _res, lang) => {
    const [oldest, newest] = await Promise.all([
      ctx.redis.zrangebyscore(k.language(lang), '-inf', '+inf', 'WITHSCORES', 'LIMIT', 0, 1),
      ctx.redis.zrevrange(k.language(lang), 0, 0, 'WITHSCORES'),
    ]);
    const months = oldest.length ? monthsBetween(Number(oldest[1]), Number(newest[1]), tz) : [];
    const multi = ctx.redis.multi();
    for (const m of months) {
      const b = monthBounds(m, tz)!;
      multi.zcount(k.language(lang), b.min, b.max);
    }
    for (const l of languages) multi.exists(k.language(l));
    const replies = (await multi.exec()) ?? [];
    const years = new Map<string, { name: string; href: string; count: number }[]>();
    months.forEach((m, i) => {
      const count = Number(replies[i]?.[1] ?? 0);
      if (count === 0) return;
      const year = years.get(m.slice(0, 4)) ?? [];
      year.push({
        name: formats.month(lang, midMonth(monthBounds(m, tz)!)),
        href: readerUrls.month(lang, m),
        count,
      });
      years.set(m.slice(0, 4), year);
    });
    const published = languages.filter((_, i) => replies[months.length + i]?.[1] === 1);
    const alternates = Object.fromEntries(published.map((l) => [l, readerUrls.archive(l)]));
    const title = ctx.i18n.t('browse:archive.title', { lng: lang });
    const html = ctx.views.page('pages/archive', {
      ...pageChrome(ctx, lang, {
        title,
        path: readerUrls.archive(lang),
        alternates,
        xDefault: alternates[ctx.config.sourceLanguage],
        switchTo: Object.fromEntries(languages.map((l) => [l, readerUrls.archive(l)])),
      }),
      title,
      years: [...years].map(([year, list]) => ({ year, months: list })),
    });
    // Every publication changes a count; another language's first one changes the alternates.
    return { body: html, type: HTML, surrogates: languages.map((l) => surrogate.listing(l)) };
  });

  listingRoute(router, ctx, '/:lang/news/:year/:month/', async (req, _res, lang) => {
    const month = `${String(req.params.year)}-${String(req.params.month)}`;
    const bounds = monthBounds(month, tz);
    if (!bounds) throw notFound('unknown_month', `No month '${month}'`);
    const multi = ctx.redis.multi();
    for (const l of languages) multi.zcount(k.language(l), bounds.min, bounds.max);
    const counts = ((await multi.exec()) ?? []).map((r) => Number(r?.[1] ?? 0));
    if (counts[languages.indexOf(lang)] === 0)
      throw notFound('unknown_month', `Nothing was published in '${lang}' in ${month}`);
    const alternates = Object.fromEntries(
      languages.filter((_, i) => counts[i] > 0).map((l) => [l, readerUrls.month(l, month)]),
    );
    const heading = ctx.i18n.t('browse:archive.monthTitle', {
      lng: lang,
      month: formats.month(lang, midMonth(bounds)),
    });
    return {
      body: (
        await renderListing(ctx, lang, req, {
          key: k.language(lang),
          path: readerUrls.month(lang, month),
          heading,
          range: bounds,
          alternates,
          switchTo: Object.fromEntries(languages.map((l) => [l, alternates[l] ?? readerUrls.archive(l)])),
          withSection: true,
          extra: { archiveHref: readerUrls.archive(lang) },
        })
      ).body,
      type: HTML,
      // The month in every language: their counts decide this page's alternates.
      surrogates: languages.map((l) => surrogate.month(l, month)),
    };
  });

  return router;
}
