import type { AppContext } from '../context.js';
import { readableSectionKey } from '../i18n/section-labels.js';
import { htmlToText } from '../lib/sanitize-html.js';
import { mapLimit } from '../lib/map-limit.js';
import { Release, type ReleaseDoc } from '../models/release.js';
import { type Cursor, encodeCursor, pageOfSortedSet } from '../presenters/cursor.js';
import { loadCards, type ReleaseCard } from '../read-models/release-index.js';
import { formatsFor } from '../views/format.js';
import { changeNoteText, oneFullStop } from '../presenters/change-note.js';
import { absolutizeHtml, imageTypeOf } from './absolute-urls.js';
import { presentPicture } from '../media/picture.js';
import { fallbackFormat, renditionUrl, widthsFor } from '../media/renditions.js';
import { findOrEncodeRendition } from '../media/renditions-store.js';
import { lastFeedChange } from './feed-changes.js';
import {
  DEFAULT_FEED_LIMIT,
  feedUrl,
  FEED_FORMATS,
  type FeedFormat,
  type FeedTarget,
} from './feed-target.js';
import { xmlSafe } from './xml-safe.js';

/** Localised strings a feed needs; `t` is bound to the feed's language and `feeds` namespace. */
export type FeedT = (key: string, options?: Record<string, unknown>) => string;

export interface FeedTranslation {
  lang: string;
  url: string;
  title: string;
}

/** One release as every feed format sees it; text is already stripped of XML-illegal characters. */
export interface FeedItem {
  releaseId: string;
  /** Never changes on edits of title, slug or body. */
  guid: string;
  title: string;
  url: string;
  /** Plain text: the lead (or the start of the body), after an "Updated" note for corrections. */
  summary: string;
  /** Sanitised body with every URL absolute. */
  contentHtml: string;
  publishedAt: Date;
  /** The correction time of a corrected release, else the publication time. */
  updatedAt: Date;
  corrected: boolean;
  section: string;
  tags: string[];
  creator: string;
  /**
   * The lead picture (else the body's first image): the main rendition with its size, what
   * it shows (caption, else alt text) and its credit, and every width of the fallback format.
   */
  image?: {
    url: string;
    type?: string;
    width?: number;
    height?: number;
    /** Byte length of the main rendition (RSS `enclosure` requires it, Atom's takes it). */
    length?: number;
    description?: string;
    credit?: string;
    renditions?: { url: string; width: number; height: number; type: string }[];
  };
  translations: FeedTranslation[];
  /** The language this release was translated from (absent on an original). */
  translatedFrom?: string;
  /** The version it was translated from, when that is published. */
  original?: FeedTranslation;
  /** A translation whose original changed since it was translated (being revised). */
  outdated: boolean;
  /** When the original changed, for an outdated translation. */
  outdatedSince?: Date;
  /** The release's revision (ninjs `version`). */
  revision: number;
  story: string;
  lang: string;
  slug: string;
}

export interface FeedModel {
  target: FeedTarget;
  lang: string;
  title: string;
  description: string;
  homeUrl: string;
  selfUrl: string;
  /** The same feed in the other formats. */
  otherFormats: { format: FeedFormat; url: string }[];
  hubUrl: string;
  logoUrl: string;
  ttlMinutes: number;
  /** The newest change the feed shows (or an unpublish), for `lastBuildDate` and `Last-Modified`. */
  updated: Date;
  items: FeedItem[];
  /** RFC 5005 paging: the newest page (the subscription URL) and the next older page, if any. */
  firstUrl: string;
  nextUrl?: string;
}

/** The guid of a release in every format: stable across edits (the slug is not part of it). */
export const releaseGuid = (releaseId: string) => `urn:newsroom:release:${releaseId}`;

export const articleUrl = (publicUrl: string, lang: string, slug: string) =>
  `${publicUrl}/${lang}/news/${encodeURIComponent(slug)}`;

/**
 * Gathers a feed from the Redis read model (ids and cards) and the release bodies (`_id`
 * point lookups, in parallel). Runs once per publish per feed URL: the result is cached.
 */
export async function buildFeedModel(
  ctx: AppContext,
  t: FeedT,
  target: FeedTarget,
  limit: number,
  /** For an archive page (RFC 5005 paged feed): the last item of the newer page. */
  after?: Cursor,
): Promise<FeedModel> {
  const { publicUrl } = ctx.config;
  const { lang, section } = target;
  const k = ctx.keys.releases;
  const listKey = section ? k.section(lang, section) : k.language(lang);
  const page = await pageOfSortedSet(ctx.redis, listKey, after, limit);
  const ids = page.ids;
  const [{ items, cards }, changedAt] = await Promise.all([
    loadFeedItems(ctx, t, lang, ids),
    lastFeedChange(ctx, lang),
  ]);
  const sectionLabel = section ? sectionName(t, section) : undefined;
  const siteName = xmlSafe(t('common:site.name'));
  const newest = Math.max(
    changedAt,
    ...cards.map((c) => Math.max(Date.parse(c.updatedAt) || 0, Date.parse(c.publishedAt) || 0)),
  );
  return {
    target,
    lang,
    title: xmlSafe(
      sectionLabel
        ? t('feeds:channel.sectionTitle', { site: siteName, section: sectionLabel })
        : t('feeds:channel.title', { site: siteName }),
    ),
    description: xmlSafe(
      sectionLabel
        ? t('feeds:channel.sectionDescription', { site: siteName, section: sectionLabel })
        : t('feeds:channel.description', { site: siteName }),
    ),
    homeUrl: section ? `${publicUrl}/${lang}/sections/${section}/` : `${publicUrl}/${lang}/`,
    selfUrl: pagedUrl(feedUrl(publicUrl, target), limit, after),
    firstUrl: pagedUrl(feedUrl(publicUrl, target), limit),
    nextUrl: page.next ? pagedUrl(feedUrl(publicUrl, target), limit, page.next) : undefined,
    otherFormats: FEED_FORMATS.filter((f) => f !== target.format).map((format) => ({
      format,
      url: feedUrl(publicUrl, { ...target, format }),
    })),
    hubUrl: `${publicUrl}/websub/hub`,
    logoUrl: `${publicUrl}/feeds/logo.png`,
    ttlMinutes: ctx.config.FEED_TTL_MINUTES,
    updated: new Date(newest > 0 ? newest : 0),
    items,
  };
}

/**
 * Feed items of published releases of one language, in the order of `ids`, from the read
 * model (cards, versions) and the bodies (`_id` point lookups, in parallel); a release
 * unpublished since the index was read is left out. Shared by every feed format and ninjs.
 */
export async function loadFeedItems(
  ctx: AppContext,
  t: FeedT,
  lang: string,
  ids: string[],
): Promise<{ items: FeedItem[]; cards: ReleaseCard[] }> {
  const cards = (await loadCards(ctx, ids)).filter((c) => c.lang === lang);
  const [bodies, versions, imageBytes] = await Promise.all([
    mapLimit(cards, 16, (c) => feedBodyOf(ctx.config.publicUrl, c)),
    loadStoryVersions(ctx, cards),
    mapLimit(cards, 16, async (c) => (c.image ? mainRenditionBytes(ctx, c.image) : undefined)),
  ]);
  const siteName = xmlSafe(t('common:site.name'));
  const items: FeedItem[] = [];
  cards.forEach((card, i) => {
    const body = bodies[i];
    if (!body) return; // unpublished since the index was read
    const item = toItem(ctx, t, card, body, versions[i], siteName, ctx.config.languages);
    if (item.image && imageBytes[i]) item.image.length = imageBytes[i];
    items.push({ ...item, revision: body.revision });
  });
  return { items, cards };
}

/** What a feed item takes from a release's body: the HTML with absolute URLs and a summary. */
interface FeedBody {
  html: string;
  /** The body's first image, when the release has no lead picture. */
  image?: string;
  /** The start of the body's text, for an item without a lead. */
  excerpt: string;
  revision: number;
}

/**
 * Feed bodies by release version (its id, last write time and slug: every write sets a new
 * time). A feed shows 50 items and is rendered again on every change in its language, but
 * only the changed item has a new body; the others come from here instead of from a store
 * read and an HTML parse each. Bounded by entries (bodies are 2–10 KB).
 */
const feedBodies = new Map<string, FeedBody>();
/** Byte lengths of main renditions, which never change once encoded. */
const renditionBytes = new Map<string, number>();
const FEED_BODIES_MAX = 2_000;

async function feedBodyOf(publicUrl: string, card: ReleaseCard): Promise<FeedBody | undefined> {
  const key = `${card.id}|${card.updatedAt}|${card.slug}`;
  const known = feedBodies.get(key);
  if (known) return known;
  const release = await Release.findById(card.id)
    .select({ body: 1, status: 1, revision: 1 })
    .lean<Pick<ReleaseDoc, 'body' | 'status' | 'revision'>>();
  if (!release || release.status !== 'published') return undefined;
  const { html, image } = absolutizeHtml(release.body, articleUrl(publicUrl, card.lang, card.slug));
  const body: FeedBody = {
    html,
    image,
    excerpt: excerpt(htmlToText(release.body).replace(/\s+/g, ' ').trim(), 300),
    revision: release.revision,
  };
  if (feedBodies.size >= FEED_BODIES_MAX) feedBodies.clear();
  feedBodies.set(key, body);
  return body;
}

/**
 * The byte length of a lead picture's main rendition (the one feeds link), encoding it first
 * if the worker has not yet: a rendition's bytes never change, so the cached feed stays true.
 * Undefined when it cannot be had (the picture is gone): the item then has no enclosure.
 */
async function mainRenditionBytes(
  ctx: AppContext,
  img: NonNullable<ReleaseCard['image']>,
): Promise<number | undefined> {
  const { main } = presentPicture(img);
  const key = `${img.media}|${main.width}|${fallbackFormat(img)}`;
  const known = renditionBytes.get(key);
  if (known) return known;
  try {
    const rendition = await findOrEncodeRendition(
      img.media,
      main.width,
      fallbackFormat(img),
      ctx.config.MEDIA_MAX_MEGAPIXELS * 1_000_000,
    );
    if (rendition?.bytes) {
      if (renditionBytes.size >= FEED_BODIES_MAX) renditionBytes.clear();
      renditionBytes.set(key, rendition.bytes);
    }
    return rendition?.bytes;
  } catch (err) {
    ctx.log.warn({ err, media: img.media }, 'no rendition for a feed enclosure');
    return undefined;
  }
}

/** A feed URL with its paging parameters (the default limit is left out, so page 1 is the topic URL). */
function pagedUrl(url: string, limit: number, after?: Cursor): string {
  const params = new URLSearchParams();
  if (limit !== DEFAULT_FEED_LIMIT) params.set('limit', String(limit));
  if (after) params.set('after', encodeCursor(after));
  const qs = params.toString();
  return qs ? `${url}?${qs}` : url;
}

/** A section's name in the feed's language (its key made readable when no label exists). */
export const sectionName = (t: FeedT, section: string) =>
  t(`common:sections.${section}`, { defaultValue: readableSectionKey(section) });

function leadImage(publicUrl: string, img: NonNullable<ReleaseCard['image']>): FeedItem['image'] {
  const p = presentPicture(img);
  const type = p.main.type;
  return {
    url: `${publicUrl}${p.main.url}`,
    type,
    width: p.main.width,
    height: p.main.height,
    description: xmlSafe(img.caption || img.alt) || undefined,
    credit: xmlSafe(img.credit ?? '') || undefined,
    renditions: widthsFor(img).map((w) => ({
      url: `${publicUrl}${renditionUrl(img.media, w, fallbackFormat(img))}`,
      width: w,
      height: Math.max(1, Math.round((w * img.height) / img.width)),
      type,
    })),
  };
}

function toItem(
  ctx: AppContext,
  t: FeedT,
  card: ReleaseCard,
  body: FeedBody,
  versions: Record<string, ReleaseCard>,
  creator: string,
  languages: string[],
): FeedItem {
  const { publicUrl, NEWSROOM_TIMEZONE } = ctx.config;
  const url = articleUrl(publicUrl, card.lang, card.slug);
  const { html, image } = body;
  const publishedAt = new Date(card.publishedAt);
  // A correction is marked as one (with its note); a visible update says "Updated"; a silent
  // update changes the text and nothing else.
  const correctedAt = card.correctedAt ? new Date(card.correctedAt) : undefined;
  const updateNotedAt = card.updateNotedAt ? new Date(card.updateNotedAt) : undefined;
  const corrected = !!correctedAt && correctedAt.getTime() > publishedAt.getTime();
  const noted = !!updateNotedAt && updateNotedAt.getTime() > publishedAt.getTime();
  const text = card.lead.trim() || body.excerpt;
  const formats = formatsFor(NEWSROOM_TIMEZONE);
  const source = card.translatedFrom ? versions[card.translatedFrom] : undefined;
  const outdated = !!card.translatedFrom && card.outdated;
  const outdatedSince = outdated
    ? new Date(source?.correctedAt ?? source?.updatedAt ?? card.updatedAt)
    : undefined;
  const changedAt = Math.max(
    publishedAt.getTime(),
    corrected ? correctedAt!.getTime() : 0,
    noted ? updateNotedAt!.getTime() : 0,
  );
  const changeNote =
    corrected && correctedAt!.getTime() === changedAt
      ? changeNoteText(t, 'correction', formats.date(card.lang, correctedAt), card.correctionNote)
      : noted
        ? changeNoteText(t, 'update', formats.date(card.lang, updateNotedAt))
        : '';
  const notes = [
    outdated
      ? oneFullStop(t('feeds:item.outdatedNote', { date: formats.date(card.lang, outdatedSince) }))
      : '',
    changeNote,
  ];
  const version = (l: string): FeedTranslation => ({
    lang: l,
    url: articleUrl(publicUrl, l, versions[l].slug),
    title: xmlSafe(versions[l].title),
  });
  // An outdated translation counts as changed when its original changed: pollers see it move.
  const updatedAt = new Date(Math.max(changedAt, outdatedSince?.getTime() ?? 0));
  return {
    releaseId: card.id,
    story: card.story,
    lang: card.lang,
    slug: card.slug,
    revision: 1,
    guid: releaseGuid(card.id),
    title: xmlSafe(card.title),
    url,
    summary: xmlSafe([...notes, text].filter(Boolean).join(' ')),
    contentHtml: xmlSafe(html),
    publishedAt,
    updatedAt,
    corrected,
    section: xmlSafe(card.section),
    tags: card.tags.map(xmlSafe).filter(Boolean),
    creator,
    image: card.image
      ? leadImage(publicUrl, card.image)
      : image
        ? { url: image, type: imageTypeOf(image) }
        : undefined,
    translations: languages.filter((l) => l !== card.lang && versions[l]).map(version),
    original: source && card.translatedFrom ? version(card.translatedFrom) : undefined,
    outdated,
    outdatedSince,
    translatedFrom: card.translatedFrom,
  };
}

/** Every published version of each card's story (by language), in one Redis round trip. */
export async function loadStoryVersions(
  ctx: AppContext,
  cards: ReleaseCard[],
): Promise<Record<string, ReleaseCard>[]> {
  if (cards.length === 0) return [];
  const pipeline = ctx.redis.pipeline();
  for (const c of cards) pipeline.hgetall(ctx.keys.releases.storyVersions(c.story));
  const results = (await pipeline.exec()) ?? [];
  return results.map(([, raw]) =>
    Object.fromEntries(
      Object.entries((raw ?? {}) as Record<string, string>).map(([l, json]) => [
        l,
        JSON.parse(json) as ReleaseCard,
      ]),
    ),
  );
}

function excerpt(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${space > max / 2 ? cut.slice(0, space) : cut}…`;
}
