import { RTL } from '../i18n/i18n.js';
import { leadHtmlOf } from '../lib/lead-html.js';
import type { ReleaseDoc } from '../models/release.js';
import type { ReleaseCard } from '../read-models/release-index.js';
import { formatsFor } from '../views/format.js';
import type { WebContext } from '../web-context.js';
import { LANGUAGE_NAMES } from '../i18n/i18n.js';
import { absolutizeHtml } from '../feeds/absolute-urls.js';
import { changeNoteText } from './change-note.js';
import { pageChrome } from './page-chrome.js';
import { breadcrumbs, newsArticle } from './structured-data.js';
import { presentCard, sectionName } from './release-card.js';
import { readerUrls } from './urls.js';
import { CREDIT_SLOT, enhanceInlinePictures, labelInlineCredits } from '../media/inline-pictures.js';
import { presentPicture } from '../media/picture.js';
import { compactContact, telHref, type StoredContact } from '../validation/contact.js';
import { tagSlug } from '../lib/slug.js';
import { shareLinks } from './share-links.js';

export interface Notice {
  kind: 'unavailable' | 'in-progress' | 'translated' | 'outdated';
  text: string;
}

export interface ArticlePageInput {
  /** The interface language of the page (the URL's language). */
  lang: string;
  /** The version shown: the page language's own, or (availability page) another one. */
  release: ReleaseDoc;
  /** Every published version of the story, by language (from the read model). */
  versions: Record<string, ReleaseCard>;
  /** Languages with an open translation task for the story (availability page only). */
  translating?: string[];
  /** The story's press contact, printed under the text. */
  contact?: StoredContact | null;
  /** Related stories of the same language (see read-models/related.ts). */
  related?: ReleaseCard[];
}

/**
 * Wraps each table of the (sanitised) body in a focusable, labelled region that scrolls
 * sideways, so a wide table fits a 360 px screen and keyboard users can scroll it too.
 */
export function scrollableTables(html: string, label: string): string {
  const attr = label.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return html
    .replace(/<table\b/g, `<div class="table-scroll" role="region" tabindex="0" aria-label="${attr}"><table`)
    .replace(/<\/table>/g, '</table></div>');
}

/** The version readers should fall back to: the original (not a translation), else the first configured. */
export function preferredVersion(languages: string[], versions: Record<string, ReleaseCard>) {
  const published = languages.filter((l) => versions[l]);
  return published.find((l) => !versions[l].translatedFrom) ?? published[0];
}

/**
 * An article page's view model. When the release shown is in another language than the page,
 * it is the availability page: the text as published, with a notice saying so in the
 * reader's language (and "translation in progress" where a task is open).
 */
export function presentArticlePage(ctx: WebContext, input: ArticlePageInput) {
  const { lang, release, versions } = input;
  const t = ctx.i18n.getFixedT(lang);
  const formats = formatsFor(ctx.config.NEWSROOM_TIMEZONE);
  const available = release.lang !== lang;
  const articlePaths = Object.fromEntries(
    Object.entries(versions).map(([l, card]) => [l, readerUrls.article(l, card.slug)]),
  );
  const switchTo = Object.fromEntries(
    ctx.config.languages.map((l) => [l, articlePaths[l] ?? readerUrls.story(l, release.story)]),
  );
  const original = preferredVersion(ctx.config.languages, versions);

  const notices: Notice[] = [];
  if (available) {
    notices.push({
      kind: 'unavailable',
      text: t('notice.unavailable', {
        lang: t(`languageIn.${lang}`),
        available: t(`languageIn.${release.lang}`),
      }),
    });
    if (input.translating?.includes(lang))
      notices.push({ kind: 'in-progress', text: t('notice.inProgress') });
  }
  if (release.translatedFrom) {
    notices.push({
      kind: 'translated',
      text: t('notice.translatedFrom', {
        from: t(`languageFrom.${release.translatedFrom}`),
        date: formats.date(lang, release.publishedAt),
      }),
    });
    if (release.outdated) {
      const source = versions[release.translatedFrom];
      notices.push({
        kind: 'outdated',
        text: t('notice.outdated', {
          date: formats.date(lang, source?.correctedAt ?? source?.updatedAt ?? release.updatedAt),
        }),
      });
    }
  }

  const section = sectionName(ctx, lang, release.section);
  const site = { publicUrl: ctx.config.publicUrl, siteName: t('site.name'), lang };
  const abs = (path: string) => `${ctx.config.publicUrl}${path}`;
  const picture = release.image
    ? presentPicture(release.image, {
        alt: release.image.alt,
        caption: release.image.caption,
        credit: release.image.credit,
      })
    : undefined;
  const shareImage = picture
    ? {
        url: abs(picture.main.url),
        width: picture.main.width,
        height: picture.main.height,
        type: picture.main.type,
        alt: picture.alt,
      }
    : undefined;
  const imageUrl = available
    ? undefined
    : (shareImage?.url ?? absolutizeHtml(release.body, abs(readerUrls.article(lang, release.slug))).image);
  const published = (release.publishedAt ?? release.updatedAt ?? new Date()).toISOString();
  const jsonLd = available
    ? []
    : [
        newsArticle(
          site,
          release,
          versions,
          section,
          shareImage
            ? {
                url: shareImage.url,
                width: shareImage.width,
                height: shareImage.height,
                ...(picture?.caption ? { caption: picture.caption } : {}),
                ...(picture?.credit ? { creditText: picture.credit } : {}),
              }
            : imageUrl
              ? { url: imageUrl }
              : undefined,
        ),
        breadcrumbs([
          { name: t('site.name'), url: abs(readerUrls.home(lang)) },
          { name: section, url: abs(readerUrls.section(lang, release.section)) },
          { name: release.title, url: abs(readerUrls.article(lang, release.slug)) },
        ]),
      ];
  return {
    ...pageChrome(ctx, lang, {
      jsonLd,
      article: available
        ? undefined
        : {
            publishedTime: published,
            modifiedTime: (
              release.correctedAt ??
              release.publishedAt ??
              release.updatedAt ??
              new Date()
            ).toISOString(),
            section,
            tags: release.tags ?? [],
          },
      title: release.title,
      description: release.lead || undefined,
      path: available ? readerUrls.story(lang, release.story) : readerUrls.article(lang, release.slug),
      alternates: articlePaths,
      xDefault: original ? articlePaths[original] : undefined,
      switchTo,
      ogType: 'article',
      image: shareImage,
      noindex: available,
    }),
    notices,
    article: {
      lang: release.lang,
      dir: RTL.has(release.lang) ? 'rtl' : 'ltr',
      title: release.title,
      // Sanitised at write (or an old plain lead, escaped): safe to place as HTML.
      leadHtml: leadHtmlOf(release),
      body: labelInlineCredits(
        enhanceInlinePictures(scrollableTables(release.body, t('article.tableRegion'))),
        t('article.photoCredit', { credit: CREDIT_SLOT }),
      ),
      picture,
      publishedAt: release.publishedAt,
      correctedAt: release.correctedAt,
      updatedAt: release.updateNotedAt,
      // Corrections and visible updates, as readers are told of them ("Corrected on …: note").
      changeNotes: (release.changeNotes ?? []).map((n) => ({
        kind: n.kind,
        text: changeNoteText(
          t as unknown as Parameters<typeof changeNoteText>[0],
          n.kind === 'correction' ? 'correction' : 'update',
          formats.date(lang, n.at),
          n.note ?? undefined,
        ),
      })),
      sectionName: section,
      sectionHref: readerUrls.section(lang, release.section),
      // A tag links to its page in the text's language (a tag of punctuation only has none).
      tags: (release.tags ?? []).map((name) => {
        const slug = tagSlug(name);
        return { name, href: slug ? readerUrls.tag(release.lang, slug) : undefined };
      }),
      contact: presentContact(input.contact),
    },
    related: (input.related ?? []).map((c) => presentCard(ctx, lang, c)),
    share: available ? undefined : shareLinks(abs(readerUrls.article(lang, release.slug)), release.title),
    otherVersions: ctx.config.languages
      .filter((l) => versions[l] && l !== release.lang)
      .map((l) => ({
        lang: l,
        name: LANGUAGE_NAMES[l] ?? l,
        title: versions[l].title,
        href: articlePaths[l],
      })),
  };
}

/**
 * The page a withdrawn version's URL shows (410 Gone), in the URL's language: it says the
 * version was withdrawn and links to the versions still published, never showing their text
 * as this language's.
 */
export function presentGonePage(
  ctx: WebContext,
  lang: string,
  release: ReleaseDoc,
  versions: Record<string, ReleaseCard>,
) {
  const t = ctx.i18n.getFixedT(lang);
  const formats = formatsFor(ctx.config.NEWSROOM_TIMEZONE);
  const title = t('editorial:gone.title');
  return {
    ...pageChrome(ctx, lang, { title, path: readerUrls.article(lang, release.slug), noindex: true }),
    title,
    text: release.withdrawal?.at
      ? t('editorial:gone.withdrawnOn', { date: formats.date(lang, release.withdrawal.at) })
      : t('editorial:gone.withdrawn'),
    note: release.withdrawal?.note,
    otherVersions: ctx.config.languages
      .filter((l) => versions[l] && l !== lang)
      .map((l) => ({
        lang: l,
        name: LANGUAGE_NAMES[l] ?? l,
        title: versions[l].title,
        href: readerUrls.article(l, versions[l].slug),
      })),
  };
}

/** The press contact as printed: each part optional, the phone as a `tel:` link. */
function presentContact(raw: StoredContact | null | undefined) {
  const c = compactContact(raw);
  if (!c) return undefined;
  return { ...c, telHref: c.phone ? telHref(c.phone) : undefined };
}
