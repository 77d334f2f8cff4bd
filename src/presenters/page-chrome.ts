import { LANGUAGE_NAMES, OG_LOCALES, RTL } from '../i18n/i18n.js';
import { readableSectionKey } from '../i18n/section-labels.js';
import type { WebContext } from '../web-context.js';
import { jsonLdText } from './structured-data.js';
import { readerUrls } from './urls.js';

export interface LanguageLink {
  lang: string;
  name: string;
  href: string;
  current: boolean;
}

export interface PageChromeOptions {
  /** The page's own title (the site name is appended). */
  title?: string;
  description?: string;
  /** The canonical path of this page (default: the language's home). */
  path?: string;
  /** Path of this page's counterpart in each language that has one (hreflang alternates). */
  alternates?: Record<string, string>;
  /** Path for `hreflang="x-default"`: the page for readers whose language is not listed. */
  xDefault?: string;
  /** Where each language's switcher link leads (default: the alternate, else that language's home). */
  switchTo?: Record<string, string>;
  /** On section pages: the section, for its feed autodiscovery links. */
  section?: string;
  ogType?: 'website' | 'article';
  /** The page's share picture (absolute URL): `og:image` and a large Twitter card. */
  image?: { url: string; width: number; height: number; type: string; alt: string };
  /** Pages that duplicate another (availability notice, search, errors) stay out of indexes. */
  noindex?: boolean;
  /** schema.org JSON-LD objects for `<head>` (see structured-data.ts). */
  jsonLd?: unknown[];
  /** Open Graph article properties (articles only). */
  article?: { publishedTime: string; modifiedTime: string; section: string; tags: string[] };
}

const FEEDS = [
  { file: 'rss.xml', type: 'application/rss+xml', key: 'rss', sectionKey: 'sectionRss' },
  { file: 'atom.xml', type: 'application/atom+xml', key: 'atom', sectionKey: 'sectionAtom' },
  { file: 'feed.json', type: 'application/feed+json', key: 'json', sectionKey: 'sectionJson' },
] as const;

/**
 * What every page's layout needs: language and direction, site name, navigation, the
 * language switcher, and the `<head>` links (canonical, hreflang alternates, Open Graph,
 * feed autodiscovery). Every URL in `<head>` is absolute (PUBLIC_URL).
 */
export function pageChrome(ctx: WebContext, lang: string, opts: PageChromeOptions) {
  const t = ctx.i18n.getFixedT(lang);
  const abs = (path: string) => `${ctx.config.publicUrl}${path}`;
  const path = opts.path ?? readerUrls.home(lang);
  const siteName = t('site.name');
  const alternates = opts.alternates ?? {};
  const switcher: LanguageLink[] = ctx.config.languages.map((l) => ({
    lang: l,
    name: LANGUAGE_NAMES[l] ?? l,
    href: readerUrls.chooseLanguage(l, opts.switchTo?.[l] ?? alternates[l] ?? readerUrls.home(l)),
    current: l === lang,
  }));
  const sectionName = opts.section
    ? t(`sections.${opts.section}`, { defaultValue: readableSectionKey(opts.section) })
    : '';
  const feeds = FEEDS.flatMap((f) => [
    {
      type: f.type,
      href: `${readerUrls.feedBase(lang)}${f.file}`,
      title: t(`subscribe.${f.key}`, { site: siteName }),
    },
    ...(opts.section
      ? [
          {
            type: f.type,
            href: `${readerUrls.feedBase(lang, opts.section)}${f.file}`,
            title: t(`subscribe.${f.sectionKey}`, { section: sectionName }),
          },
        ]
      : []),
  ]);
  const alternateLangs = Object.keys(alternates).filter((l) => ctx.config.languages.includes(l));
  return {
    lang,
    dir: RTL.has(lang) ? 'rtl' : 'ltr',
    siteName,
    pageTitle: opts.title ? `${opts.title} — ${siteName}` : siteName,
    homeHref: readerUrls.home(lang),
    newsHref: readerUrls.news(lang),
    searchHref: readerUrls.search(lang),
    feedsHref: readerUrls.feeds(lang),
    switcher,
    meta: {
      description: opts.description,
      canonical: abs(path),
      noindex: !!opts.noindex,
      alternates: [
        ...alternateLangs.map((l) => ({ hreflang: l, href: abs(alternates[l]) })),
        ...(opts.xDefault ? [{ hreflang: 'x-default', href: abs(opts.xDefault) }] : []),
      ],
      og: {
        type: opts.ogType ?? 'website',
        title: opts.title ?? siteName,
        siteName,
        url: abs(path),
        description: opts.description,
        locale: OG_LOCALES[lang] ?? lang,
        localeAlternates: alternateLangs.filter((l) => l !== lang).map((l) => OG_LOCALES[l] ?? l),
        image: opts.image,
        twitterCard: opts.image ? 'summary_large_image' : 'summary',
      },
      feeds: feeds.map((f) => ({ ...f, hreflang: lang })),
      article: opts.article,
      jsonLd: (opts.jsonLd ?? []).map(jsonLdText),
    },
  };
}

export type PageChrome = ReturnType<typeof pageChrome>;
