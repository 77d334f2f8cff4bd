import { movesOnLists, surrogate, surrogatesOfChange } from '../cache/surrogate-keys.js';
import type { AppContext } from '../context.js';
import { touchFeeds } from '../feeds/feed-changes.js';
import { Release, type ReleaseDoc } from '../models/release.js';
import { syncSearchIndex } from '../search/search-index.js';
import { relatedNeighbours } from './related.js';
import {
  cardShowsDifferently,
  splitReleaseId,
  syncReleaseIndex,
  toCard,
  type ReleaseCard,
} from './release-index.js';

/**
 * What a release change means for readers, applied at once: the listing read model, the
 * search index and the feeds' change time follow MongoDB, and the cached pages that showed
 * the release (by surrogate key) are dropped in Redis and in every process, confirmed.
 *
 * The write itself calls this before it answers (read-your-writes on every web process);
 * the outbox relay calls it again for the same event, which is then a harmless repeat and
 * the safety net when the first call failed (Redis down) or raced a concurrent write.
 * Reads the current document, never the caller's copy, so a late or doubled call is right.
 * A change that is public neither before nor after (a draft edit) drops nothing.
 */
export async function applyReleaseChange(
  ctx: AppContext,
  releaseId: string,
): Promise<{ public: boolean; dropped: number }> {
  // Commands would wait for Redis to come back; the relay applies the change then instead.
  if (ctx.redis.status !== 'ready') throw new Error('Redis is not connected');
  const [storyId, lang] = splitReleaseId(releaseId);
  const k = ctx.keys.releases;
  const release = await Release.findById(releaseId).lean<ReleaseDoc>();
  const live = release?.status === 'published' && !!release.publishedAt;
  const [previous, sectionKnown, appliedRevision] = await Promise.all([
    ctx.redis.get(k.card(releaseId)),
    live ? ctx.redis.sismember(k.sections(lang), release.section) : Promise.resolve(1),
    ctx.redis.hget(ctx.keys.pages.applied, releaseId),
  ]);
  const before = previous ? (JSON.parse(previous) as ReleaseCard) : undefined;
  const revision = release?.revision ?? 0;
  // The last complete pass: its revision, negative when it left the release unpublished.
  const applied = appliedRevision === null ? undefined : Number(appliedRevision);
  const appliedUpTo = applied === undefined ? undefined : Math.abs(applied);
  // Not public, and nothing of it public since the last complete pass (or ever): a draft
  // edit, which drops nothing. The card alone does not say so: a concurrent apply (the
  // relay's, or this write's own that failed halfway) may have taken the card out of an
  // unpublished release and not yet its postings and pages; that is finished here.
  if (!before && !live && (applied === undefined || applied < 0 || appliedUpTo! >= revision)) {
    return { public: false, dropped: 0 };
  }

  const { languageToggled } = await syncReleaseIndex(ctx, releaseId, release ?? undefined);
  await syncSearchIndex(ctx, releaseId, release ?? undefined);
  await touchFeeds(ctx, lang);
  // The card already as this revision leaves it (every write gives it a new `updatedAt`):
  // another apply of this revision got that far. After its complete pass (the relay after the
  // write) no page is left to drop. Before it, what the card was is lost to this apply, so it
  // drops as if the card had changed and moved, the current document's card standing for the
  // one taken out; the other apply, if it is only slow, drops the rest itself.
  const after = live ? toCard(release) : undefined;
  const caughtUp = previous === (after ? JSON.stringify(after) : null);
  if (caughtUp && appliedUpTo !== undefined && appliedUpTo >= revision) return { public: true, dropped: 0 };
  const was = before ?? (caughtUp && release ? toCard(release) : undefined);
  const moved = caughtUp || movesOnLists(was, after);
  const tags = surrogatesOfChange({
    storyId,
    lang,
    before: was,
    after,
    newSection: sectionKnown === 0,
    cardChanged: caughtUp || cardShowsDifferently(was, after),
    movedOnLists: moved,
    // Another sync (the WebSub job's) may have made the change first: a language left with
    // at most one release may just have appeared or emptied.
    languageToggled: languageToggled || (await ctx.redis.zcard(k.language(lang))) <= 1,
    timeZone: ctx.config.NEWSROOM_TIMEZONE,
  });
  // Later articles that may now list this one among their related stories. A release that
  // keeps its place on its lists (its text was edited) is already a candidate of every page
  // that shows it, and those pages carry its card or candidate key: no neighbour to look for.
  const neighbours = after && moved ? await relatedNeighbours(ctx, [after]) : [];
  const dropped = await ctx.pageCache.invalidate([...tags, ...neighbours.map(surrogate.story)]);
  await ctx.redis.hset(ctx.keys.pages.applied, releaseId, after ? revision : -revision);
  return { public: true, dropped };
}
