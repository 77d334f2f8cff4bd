import type { ReleaseDoc } from '../models/release.js';
import type { ReleaseCard } from '../read-models/release-index.js';
import { readerUrls } from './urls.js';

/**
 * schema.org structured data (JSON-LD) for search engines: NewsArticle on articles (with the
 * translation relations between language versions), BreadcrumbList, and the press office as
 * an Organization on home pages. Types and property names are schema.org's; what Google's
 * article guidelines ask for (headline, image, dates, author, publisher) is always present.
 */
export interface SiteIdentity {
  publicUrl: string;
  siteName: string;
  lang: string;
}

const logo = (s: SiteIdentity) => `${s.publicUrl}/feeds/logo.png`;
const home = (s: SiteIdentity) => `${s.publicUrl}${readerUrls.home(s.lang)}`;

/** The press office: publisher and author of every release. */
export function organization(s: SiteIdentity) {
  return {
    '@type': 'Organization',
    '@id': `${s.publicUrl}/#organization`,
    name: s.siteName,
    url: home(s),
    logo: { '@type': 'ImageObject', url: logo(s), width: 144, height: 144 },
  };
}

/** The home page's graph: the Organization and the WebSite with its search action. */
export function homeGraph(s: SiteIdentity) {
  return {
    '@context': 'https://schema.org',
    '@graph': [
      organization(s),
      {
        '@type': 'WebSite',
        '@id': `${home(s)}#website`,
        url: home(s),
        name: s.siteName,
        inLanguage: s.lang,
        publisher: { '@id': `${s.publicUrl}/#organization` },
        potentialAction: {
          '@type': 'SearchAction',
          target: { '@type': 'EntryPoint', urlTemplate: `${s.publicUrl}${readerUrls.search(s.lang)}?q={q}` },
          'query-input': 'required name=q',
        },
      },
    ],
  };
}

/** Home → section → page, as a BreadcrumbList. */
export function breadcrumbs(crumbs: { name: string; url: string }[]) {
  return {
    '@context': 'https://schema.org',
    '@type': 'BreadcrumbList',
    itemListElement: crumbs.map((c, i) => ({
      '@type': 'ListItem',
      position: i + 1,
      name: c.name,
      item: c.url,
    })),
  };
}

const articleId = (s: SiteIdentity, card: Pick<ReleaseCard, 'lang' | 'slug'>) =>
  `${s.publicUrl}${readerUrls.article(card.lang, card.slug)}`;

/** A reference to another language version of the same story. */
const versionRef = (s: SiteIdentity, card: ReleaseCard) => ({
  '@type': 'NewsArticle',
  '@id': `${articleId(s, card)}#article`,
  url: articleId(s, card),
  headline: card.title,
  inLanguage: card.lang,
});

/** The NewsArticle of a published release, linked to its original or its translations. */
export function newsArticle(
  s: SiteIdentity,
  release: Pick<
    ReleaseDoc,
    | 'lang'
    | 'slug'
    | 'title'
    | 'lead'
    | 'tags'
    | 'publishedAt'
    | 'correctedAt'
    | 'updatedAt'
    | 'translatedFrom'
  >,
  versions: Record<string, ReleaseCard>,
  sectionName: string,
  image: { url: string; width?: number; height?: number; caption?: string; creditText?: string } | undefined,
) {
  const url = articleId(s, release);
  const published = release.publishedAt ?? release.updatedAt ?? new Date();
  const modified = release.correctedAt ?? published;
  const others = Object.values(versions).filter((v) => v.lang !== release.lang);
  const original = release.translatedFrom ? versions[release.translatedFrom] : undefined;
  return {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    '@id': `${url}#article`,
    mainEntityOfPage: { '@type': 'WebPage', '@id': url },
    url,
    headline: release.title.length > 110 ? `${release.title.slice(0, 109)}…` : release.title,
    ...(release.lead ? { description: release.lead } : {}),
    image: [
      image
        ? { '@type': 'ImageObject', ...image }
        : { '@type': 'ImageObject', url: logo(s), width: 144, height: 144 },
    ],
    datePublished: new Date(published).toISOString(),
    dateModified: new Date(modified).toISOString(),
    author: [{ '@type': 'Organization', name: s.siteName, url: home(s) }],
    publisher: organization(s),
    inLanguage: release.lang,
    isAccessibleForFree: true,
    articleSection: sectionName,
    ...(release.tags?.length ? { keywords: release.tags.join(', ') } : {}),
    ...(original ? { translationOfWork: versionRef(s, original) } : {}),
    ...(!release.translatedFrom && others.length
      ? { workTranslation: others.map((v) => versionRef(s, v)) }
      : {}),
  };
}

/** JSON for a `<script type="application/ld+json">`: `<` escaped so no text can close the element. */
export const jsonLdText = (data: unknown) => JSON.stringify(data).replace(/</g, '\\u003c');
