import type { Rendered } from '../middleware/cached-response.js';
import { Release, type ReleaseDoc } from '../models/release.js';
import type { Cursor } from '../presenters/cursor.js';
import { buildFeedModel, type FeedT, loadFeedItems } from './feed-model.js';
import { canceledNinjs, NINJS_STANDARD, toNinjs } from './ninjs.js';
import type { FeedContext } from './render-feed.js';
import { xmlSafe } from './xml-safe.js';

const JSON_TYPE = 'application/json; charset=utf-8';

const feedT = (ctx: FeedContext, lang: string) => ctx.i18n.getFixedT(lang) as unknown as FeedT;

const headers = { 'Access-Control-Allow-Origin': '*', 'Cross-Origin-Resource-Policy': 'cross-origin' };

/**
 * `/{lang}/ninjs.json` (and per section): the newest releases of a language as ninjs 2.1
 * objects, newest first, with `next_url` to the next older page (same cursor as the feeds).
 * ninjs defines the object, not a list; the wrapper is ours and documented.
 */
export async function renderNinjsFeed(
  ctx: FeedContext,
  lang: string,
  section: string | undefined,
  limit: number,
  after?: Cursor,
): Promise<Rendered> {
  const t = feedT(ctx, lang);
  const model = await buildFeedModel(ctx, t, { lang, section, format: 'json' }, limit, after);
  const swap = (url: string) => url.replace(/feed\.json(?=\?|$)/, 'ninjs.json');
  const c = { publicUrl: ctx.config.publicUrl, siteName: xmlSafe(t('common:site.name')), t };
  return {
    body: JSON.stringify({
      standard: NINJS_STANDARD,
      language: lang,
      feed_url: swap(model.selfUrl),
      ...(model.nextUrl ? { next_url: swap(model.nextUrl) } : {}),
      items: model.items.map((i) => toNinjs(i, c)),
    }),
    type: JSON_TYPE,
    lastModified: model.updated,
    cacheControl: `public, max-age=${ctx.config.FEED_MAX_AGE_SECONDS}`,
    headers,
  };
}

/**
 * `/{lang}/ninjs/{storyId}.json`: one release as a ninjs object; an unpublished (archived)
 * release answers `pubstatus: canceled`, so a partner can kill its copy; undefined (404)
 * for a draft, a scheduled release or a story without this language.
 */
export async function renderNinjsItem(
  ctx: FeedContext,
  lang: string,
  storyId: string,
): Promise<Rendered | undefined> {
  const t = feedT(ctx, lang);
  const releaseId = `${storyId}.${lang}`;
  const { items } = await loadFeedItems(ctx, t, lang, [releaseId]);
  const c = { publicUrl: ctx.config.publicUrl, siteName: xmlSafe(t('common:site.name')), t };
  if (items[0]) {
    return {
      body: JSON.stringify(toNinjs(items[0], c)),
      type: JSON_TYPE,
      lastModified: items[0].updatedAt,
      cacheControl: `public, max-age=${ctx.config.FEED_MAX_AGE_SECONDS}`,
      headers,
    };
  }
  const release = await Release.findById(releaseId)
    .select({ status: 1, updatedAt: 1 })
    .lean<Pick<ReleaseDoc, 'status' | 'updatedAt'>>();
  // Archived is what unpublishing leaves; a draft or a scheduled release was never out.
  if (release?.status !== 'archived') return undefined;
  return {
    body: JSON.stringify(canceledNinjs(releaseId, lang, release.updatedAt ?? new Date())),
    type: JSON_TYPE,
    cacheControl: `public, max-age=${ctx.config.FEED_MAX_AGE_SECONDS}`,
    headers,
  };
}
