import type { Rendered } from '../../middleware/cached-response.js';
import { FEED_FORMATS, feedUrl, type FeedFormat } from '../../feeds/feed-target.js';
import { sectionName } from '../../feeds/feed-model.js';
import { pageChrome } from '../../presenters/page-chrome.js';
import { readerUrls } from '../../presenters/urls.js';
import { publishedLanguages } from '../../read-models/release-index.js';
import type { WebContext } from '../../web-context.js';

const FORMAT_NAMES: Record<FeedFormat, string> = { rss: 'RSS 2.0', atom: 'Atom 1.0', json: 'JSON Feed 1.1' };
const FORMAT_TYPES: Record<FeedFormat, string> = {
  rss: 'application/rss+xml',
  atom: 'application/atom+xml',
  json: 'application/feed+json',
};

/** `/{lang}/feeds`: every feed of a language with its URL, what it holds and how to subscribe. */
export async function renderFeedsPage(ctx: WebContext, lang: string): Promise<Rendered> {
  const t = ctx.i18n.getFixedT(lang) as unknown as (k: string, o?: Record<string, unknown>) => string;
  const { publicUrl } = ctx.config;
  const links = (section?: string) =>
    FEED_FORMATS.map((format) => ({
      name: FORMAT_NAMES[format],
      type: FORMAT_TYPES[format],
      url: feedUrl(publicUrl, { lang, section, format }),
    }));
  const [sections, published] = await Promise.all([
    ctx.redis.smembers(ctx.keys.releases.sections(lang)).then((s) => s.sort()),
    publishedLanguages(ctx),
  ]);
  const feedsPages = (langs: string[]) => Object.fromEntries(langs.map((l) => [l, readerUrls.feeds(l)]));
  const title = t('feeds:page.title');
  return {
    body: ctx.views.page('pages/feeds', {
      // Its own canonical, and the switcher leads to the other languages' feeds pages;
      // hreflang names only the languages that have published something.
      ...pageChrome(ctx, lang, {
        title,
        path: readerUrls.feeds(lang),
        alternates: feedsPages(published),
        switchTo: feedsPages(ctx.config.languages),
      }),
      title,
      main: links(),
      sections: sections.map((s) => ({ id: s, label: sectionName(t, s), feeds: links(s) })),
      hubUrl: `${publicUrl}/websub/hub`,
      example: feedUrl(publicUrl, { lang, format: 'rss' }),
    }),
    type: 'text/html; charset=utf-8',
  };
}
