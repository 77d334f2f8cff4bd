import { presentPicture } from '../media/picture.js';
import type { Rendered } from '../middleware/cached-response.js';
import type { AppContext } from '../context.js';
import { loadCards, type ReleaseCard } from '../read-models/release-index.js';
import { lastFeedChange } from './feed-changes.js';
import { articleUrl, loadStoryVersions } from './feed-model.js';
import { escapeXml, xmlSafe } from './xml-safe.js';

const XML = 'application/xml; charset=utf-8';
const CHUNK = 1000;

/**
 * `/sitemap.xml`: every published release with its translations as `hreflang` alternates.
 * Small sites get one `urlset`; once the total passes SITEMAP_URLS_PER_FILE it becomes a
 * sitemap index of per-language parts, so no file exceeds the 50,000-URL limit.
 */
export async function renderSitemapRoot(ctx: AppContext): Promise<Rendered> {
  const { languages, publicUrl, SITEMAP_URLS_PER_FILE: perFile } = ctx.config;
  const counts = await Promise.all(languages.map((l) => ctx.redis.zcard(ctx.keys.releases.language(l))));
  const total = counts.reduce((a, b) => a + b, 0);
  if (total <= perFile) {
    const ids = (
      await Promise.all(languages.map((l) => ctx.redis.zrange(ctx.keys.releases.language(l), '0', '-1')))
    ).flat();
    return urlset(ctx, ids);
  }
  const parts = languages.flatMap((lang, i) =>
    Array.from(
      { length: Math.ceil(counts[i] / perFile) },
      (_, n) => `${publicUrl}/sitemaps/${lang}/${n + 1}.xml`,
    ),
  );
  const lastmod = new Date(await lastChange(ctx, [])).toISOString();
  const body =
    '<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' +
    parts
      .map((loc) => `<sitemap><loc>${escapeXml(loc)}</loc><lastmod>${lastmod}</lastmod></sitemap>\n`)
      .join('') +
    '</sitemapindex>\n';
  return { body, type: XML, lastModified: new Date(lastmod), cacheControl: 'public, max-age=300' };
}

/** One part of the sitemap index: a language's releases, oldest first, so early parts stay stable. */
export async function renderSitemapPart(
  ctx: AppContext,
  lang: string,
  page: number,
): Promise<Rendered | undefined> {
  const perFile = ctx.config.SITEMAP_URLS_PER_FILE;
  const start = (page - 1) * perFile;
  const ids = await ctx.redis.zrange(
    ctx.keys.releases.language(lang),
    String(start),
    String(start + perFile - 1),
  );
  if (ids.length === 0 && page > 1) return undefined;
  return urlset(ctx, ids);
}

async function urlset(ctx: AppContext, ids: string[]): Promise<Rendered> {
  const { publicUrl, languages, sourceLanguage } = ctx.config;
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml" xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">\n',
  ];
  const cards: ReleaseCard[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = await loadCards(ctx, ids.slice(i, i + CHUNK));
    const versions = await loadStoryVersions(ctx, chunk);
    chunk.forEach((card, j) => {
      cards.push(card);
      const v = versions[j];
      const url = (c: ReleaseCard) => escapeXml(articleUrl(publicUrl, c.lang, c.slug));
      let entry = `<url><loc>${url(card)}</loc><lastmod>${card.correctedAt ?? card.publishedAt}</lastmod>`;
      const published = languages.filter((l) => v[l]);
      if (published.length > 1) {
        for (const l of published)
          entry += `<xhtml:link rel="alternate" hreflang="${l}" href="${url(v[l])}"/>`;
        const fallback = v[sourceLanguage] ?? v[published[0]];
        entry += `<xhtml:link rel="alternate" hreflang="x-default" href="${url(fallback)}"/>`;
      }
      // The lead picture (Google's image extension; only <image:loc> is still read).
      if (card.image)
        entry += `<image:image><image:loc>${escapeXml(publicUrl + presentPicture(card.image).main.url)}</image:loc></image:image>`;
      out.push(`${entry}</url>\n`);
    });
  }
  out.push('</urlset>\n');
  return {
    body: out.join(''),
    type: XML,
    lastModified: new Date(await lastChange(ctx, cards)),
    cacheControl: 'public, max-age=300',
  };
}

const NEWS_WINDOW_MS = 2 * 24 * 3600_000;
const NEWS_MAX = 1000;

/**
 * `/sitemaps/{lang}/news.xml`: a Google News sitemap of one language — only releases
 * published in the last two days, at most 1,000, newest first — each with `news:news`
 * (publication name and language, publication date, title).
 */
export async function renderNewsSitemap(ctx: AppContext, lang: string, siteName: string): Promise<Rendered> {
  const now = Date.now();
  const ids = await ctx.redis.zrevrangebyscore(
    ctx.keys.releases.language(lang),
    now,
    now - NEWS_WINDOW_MS,
    'LIMIT',
    0,
    NEWS_MAX,
  );
  const cards = await loadCards(ctx, ids);
  const body =
    '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n' +
    cards
      .map(
        (c) =>
          `<url><loc>${escapeXml(articleUrl(ctx.config.publicUrl, c.lang, c.slug))}</loc><news:news>` +
          `<news:publication><news:name>${escapeXml(xmlSafe(siteName))}</news:name><news:language>${escapeXml(c.lang)}</news:language></news:publication>` +
          `<news:publication_date>${c.publishedAt}</news:publication_date>` +
          `<news:title>${escapeXml(xmlSafe(c.title))}</news:title></news:news></url>\n`,
      )
      .join('') +
    '</urlset>\n';
  return {
    body,
    type: XML,
    lastModified: new Date(await lastChange(ctx, cards)),
    cacheControl: 'public, max-age=300',
  };
}

async function lastChange(ctx: AppContext, cards: ReleaseCard[]): Promise<number> {
  const changes = await Promise.all(ctx.config.languages.map((l) => lastFeedChange(ctx, l)));
  return Math.max(0, ...changes, ...cards.map((c) => Date.parse(c.updatedAt) || 0));
}

/** `/robots.txt`: everything public may be crawled except the desk and the API; points at the sitemap. */
export function renderRobots(publicUrl: string, languages: string[] = []): Rendered {
  const news = languages.map((l) => `Sitemap: ${publicUrl}/sitemaps/${l}/news.xml\n`).join('');
  return {
    body: `User-agent: *\nDisallow: /desk/\nDisallow: /api/\nDisallow: /websub/\n\nSitemap: ${publicUrl}/sitemap.xml\n${news}`,
    type: 'text/plain; charset=utf-8',
    cacheControl: 'public, max-age=3600',
  };
}
