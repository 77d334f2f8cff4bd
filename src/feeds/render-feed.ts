import type { Rendered } from '../middleware/cached-response.js';
import type { WebContext } from '../web-context.js';
import type { Cursor } from '../presenters/cursor.js';
import { cdata } from './xml-safe.js';
import { buildFeedModel, type FeedModel } from './feed-model.js';
import { FEED_CONTENT_TYPES, type FeedTarget } from './feed-target.js';

/** What rendering a feed needs: the app context plus templates and translations. */
export type FeedContext = Pick<
  WebContext,
  'config' | 'log' | 'redis' | 'keys' | 'pageCache' | 'views' | 'i18n'
>;

const MIME = { rss: 'application/rss+xml', atom: 'application/atom+xml', json: 'application/feed+json' };

/**
 * Renders one feed (RSS 2.0, Atom 1.0 or JSON Feed 1.1) with its caching headers. Shared
 * by the public routes (through the page cache) and the WebSub push (the same bytes).
 */
export async function renderFeed(
  ctx: FeedContext,
  target: FeedTarget,
  limit: number,
  after?: Cursor,
): Promise<Rendered> {
  const t = ctx.i18n.getFixedT(target.lang) as unknown as (k: string, o?: Record<string, unknown>) => string;
  const model = await buildFeedModel(ctx, t, target, limit, after);
  const body =
    target.format === 'json'
      ? renderJsonFeed(model)
      : ctx.views.get(`feeds/${target.format}`)(target.format === 'rss' ? rssView(model) : atomView(model));
  return {
    body,
    type: FEED_CONTENT_TYPES[target.format],
    lastModified: model.updated,
    cacheControl: `public, max-age=${ctx.config.FEED_MAX_AGE_SECONDS}`,
    headers: {
      Link: `<${model.hubUrl}>; rel="hub", <${model.selfUrl}>; rel="self"`,
      // Feeds are public syndication data: browser-based readers on other sites may fetch them.
      'Access-Control-Allow-Origin': '*',
      'Cross-Origin-Resource-Policy': 'cross-origin',
    },
  };
}

const rfc822 = (d: Date) => d.toUTCString(); // "Thu, 25 Jul 2024 12:00:00 GMT": four-digit year, GMT
const iso = (d: Date) => d.toISOString();
/** What both XML formats add to an item: ISO times and whether an updated time is due. */
const xmlItem = (i: FeedModel['items'][number]) => ({
  ...i,
  updatedIso: iso(i.updatedAt),
  changed: i.updatedAt.getTime() > i.publishedAt.getTime(),
  outdatedSinceIso: i.outdatedSince ? iso(i.outdatedSince) : undefined,
});
const otherFormats = (m: FeedModel) => m.otherFormats.map((o) => ({ type: MIME[o.format], url: o.url }));

function rssView(m: FeedModel) {
  return {
    ...m,
    otherFormats: otherFormats(m),
    lastBuildDate: rfc822(m.updated),
    items: m.items.map((i) => ({
      ...xmlItem(i),
      pubDate: rfc822(i.publishedAt),
      contentCdata: cdata(i.contentHtml),
    })),
  };
}

function atomView(m: FeedModel) {
  const section = m.target.section ? `:section:${m.target.section}` : '';
  return {
    ...m,
    feedId: `urn:newsroom:feed:${m.lang}${section}`,
    otherFormats: otherFormats(m),
    updatedIso: iso(m.updated),
    items: m.items.map((i) => ({ ...xmlItem(i), publishedIso: iso(i.publishedAt) })),
  };
}

/** JSON Feed 1.1, serialised by JSON.stringify (its escaping is exact; a template's would not be). */
function renderJsonFeed(m: FeedModel): string {
  return JSON.stringify({
    version: 'https://jsonfeed.org/version/1.1',
    title: m.title,
    home_page_url: m.homeUrl,
    feed_url: m.selfUrl,
    description: m.description,
    icon: m.logoUrl,
    language: m.lang,
    hubs: [{ type: 'WebSub', url: m.hubUrl }],
    ...(m.nextUrl ? { next_url: m.nextUrl } : {}),
    items: m.items.map((i) => ({
      id: i.guid,
      url: i.url,
      title: i.title,
      content_html: i.contentHtml,
      summary: i.summary,
      date_published: iso(i.publishedAt),
      date_modified: iso(i.updatedAt),
      authors: [{ name: i.creator }],
      tags: [i.section, ...i.tags],
      language: m.lang,
      ...(i.image ? { image: i.image.url, banner_image: i.image.url } : {}),
      _newsroom: {
        section: i.section,
        corrected: i.corrected,
        original: !i.translatedFrom,
        ...(i.translatedFrom ? { translated_from: i.translatedFrom } : {}),
        ...(i.original ? { translated_from_url: i.original.url } : {}),
        outdated: i.outdated,
        ...(i.outdatedSince ? { outdated_since: iso(i.outdatedSince) } : {}),
        translations: i.translations,
      },
    })),
  });
}
