import type { AppContext } from '../context.js';
import { Release, type ReleaseDoc } from '../models/release.js';
import { tagSlugsOf } from '../lib/slug.js';
import { dropReadModel } from '../redis/keys.js';

/** What listings, feeds and the language switcher need of a release, without touching MongoDB. */
export interface ReleaseCard {
  id: string;
  story: string;
  lang: string;
  slug: string;
  title: string;
  /** Plain text. */
  lead: string;
  /** The lead's inline HTML when it has markup (cards stored before have none: `lead` is plain). */
  leadHtml?: string;
  section: string;
  tags: string[];
  /** The distinct URL keys of its tags (`tagSlug`): its tag pages and tag lists. */
  tagSlugs?: string[];
  publishedAt: string;
  updatedAt: string;
  correctedAt?: string;
  /** What readers were told of the latest correction. */
  correctionNote?: string;
  /** The latest visible ("Updated") change after publication. */
  updateNotedAt?: string;
  outdated: boolean;
  translatedFrom?: string;
  /** The lead picture for thumbnails (alt text: this language's). */
  image?: {
    media: string;
    width: number;
    height: number;
    hasAlpha?: boolean;
    alt: string;
    caption?: string;
    credit?: string;
  };
}

/**
 * What a card shows where it is listed among an article's related stories (`presentCard`:
 * title, lead, link, date, section, thumbnail). A change elsewhere in it (an outdated mark,
 * `updatedAt`) leaves those pages as they are.
 */
const SHOWN: (keyof ReleaseCard)[] = ['title', 'lead', 'leadHtml', 'slug', 'publishedAt', 'section', 'image'];

/** Whether a release's card looks different on a list after a change (or appears or goes). */
export function cardShowsDifferently(
  before: ReleaseCard | undefined,
  after: ReleaseCard | undefined,
): boolean {
  if (!before || !after) return true;
  return SHOWN.some((k) => JSON.stringify(before[k] ?? null) !== JSON.stringify(after[k] ?? null));
}

export function toCard(r: ReleaseDoc): ReleaseCard {
  return {
    id: r._id,
    story: r.story,
    lang: r.lang,
    slug: r.slug,
    title: r.title,
    lead: r.lead ?? '',
    leadHtml: r.leadHtml ?? undefined,
    section: r.section,
    tags: r.tags ?? [],
    tagSlugs: tagSlugsOf(r.tags ?? []),
    publishedAt: (r.publishedAt ?? r.createdAt).toISOString(),
    updatedAt: (r.updatedAt ?? r.publishedAt ?? new Date()).toISOString(),
    correctedAt: r.correctedAt?.toISOString(),
    correctionNote: r.correctedAt
      ? [...(r.changeNotes ?? [])].reverse().find((n) => n.kind === 'correction')?.note || undefined
      : undefined,
    updateNotedAt: r.updateNotedAt?.toISOString(),
    outdated: !!r.outdated,
    translatedFrom: r.translatedFrom ?? undefined,
    image: r.image
      ? {
          media: r.image.media,
          width: r.image.width,
          height: r.image.height,
          hasAlpha: !!r.image.hasAlpha,
          alt: r.image.alt ?? '',
          caption: r.image.caption || undefined,
          credit: r.image.credit || undefined,
        }
      : undefined,
  };
}

/**
 * Brings the Redis read model of one release in line with MongoDB: listed and carded when
 * published, gone otherwise. Reads the current document, so it is idempotent and safe to
 * run late, twice or out of order.
 */
export async function syncReleaseIndex(
  ctx: AppContext,
  releaseId: string,
  /** The current document when the caller has just written it (saves a lookup). */
  current?: ReleaseDoc,
): Promise<{ languageToggled: boolean }> {
  const k = ctx.keys.releases;
  const release = current ?? (await Release.findById(releaseId).lean<ReleaseDoc>());
  const [storyId, lang] = splitReleaseId(releaseId);
  const live = release && release.status === 'published' && release.publishedAt;
  const applied = await ctx.redis.eval(
    SYNC_RELEASE,
    6,
    k.card(releaseId),
    k.language(lang),
    k.section(lang, release?.section ?? ''),
    k.sections(lang),
    k.storyVersions(storyId),
    k.revisions(),
    releaseId,
    live ? JSON.stringify(toCard(release)) : '',
    release ? String(release.revision) : '',
    live ? String(release.publishedAt!.getTime()) : '0',
    release?.section ?? '',
    k.section(lang, ''),
    lang,
    k.tag(lang, ''),
    ...(live ? tagSlugsOf(release.tags ?? []) : []),
  );
  return { languageToggled: applied === 2 };
}

/**
 * One release's read model, atomically and never backwards: a sync that read an older
 * revision than the last one applied (two processes applying one release's changes
 * concurrently) changes nothing. Leaves the section list it was in before a section change.
 * Returns 0 for a stale sync, 1 once applied, 2 when the language's list also went from empty
 * to not (or back): which languages have anything decides hreflang alternates site-wide.
 * KEYS: card, language list, section list, sections, story versions, revisions.
 * ARGV: release id, card JSON ('' = not public), revision ('' = no document), score, section,
 * section list key prefix, language.
 */
const SYNC_RELEASE = `
if ARGV[3] ~= '' then
  local known = tonumber(redis.call('HGET', KEYS[6], ARGV[1]) or '-1')
  if known > tonumber(ARGV[3]) then return 0 end
  redis.call('HSET', KEYS[6], ARGV[1], ARGV[3])
else
  redis.call('HDEL', KEYS[6], ARGV[1])
end
local wasEmpty = redis.call('ZCARD', KEYS[2]) == 0
local prev = redis.call('GET', KEYS[1])
if prev then
  local ok, old = pcall(cjson.decode, prev)
  if ok and old.section then redis.call('ZREM', ARGV[6] .. old.section, ARGV[1]) end
  if ok and type(old.tagSlugs) == 'table' then
    for _, t in ipairs(old.tagSlugs) do redis.call('ZREM', ARGV[8] .. t, ARGV[1]) end
  end
end
if ARGV[2] ~= '' then
  for i = 9, #ARGV do redis.call('ZADD', ARGV[8] .. ARGV[i], ARGV[4], ARGV[1]) end
  redis.call('ZADD', KEYS[2], ARGV[4], ARGV[1])
  redis.call('ZADD', KEYS[3], ARGV[4], ARGV[1])
  redis.call('SADD', KEYS[4], ARGV[5])
  redis.call('SET', KEYS[1], ARGV[2])
  redis.call('HSET', KEYS[5], ARGV[7], ARGV[2])
else
  redis.call('ZREM', KEYS[2], ARGV[1])
  redis.call('DEL', KEYS[1])
  redis.call('HDEL', KEYS[5], ARGV[7])
end
if wasEmpty ~= (redis.call('ZCARD', KEYS[2]) == 0) then return 2 end
return 1
`;

export function splitReleaseId(releaseId: string): [string, string] {
  const dot = releaseId.lastIndexOf('.');
  return [releaseId.slice(0, dot), releaseId.slice(dot + 1)];
}

/** Rebuilds the whole read model from MongoDB (after Redis lost its data, or by `newsroom reindex`). */
export async function rebuildReleaseIndex(ctx: AppContext): Promise<number> {
  const k = ctx.keys.releases;
  await dropReadModel(ctx.redis, ctx.keys, 'releases');
  let count = 0;
  let multi = ctx.redis.multi();
  for await (const release of Release.find({ status: 'published' }).lean<ReleaseDoc[]>().cursor()) {
    if (!release.publishedAt) continue;
    const card = toCard(release);
    const score = release.publishedAt.getTime();
    multi.zadd(k.language(release.lang), score, release._id);
    multi.zadd(k.section(release.lang, release.section), score, release._id);
    multi.sadd(k.sections(release.lang), release.section);
    for (const t of card.tagSlugs ?? []) multi.zadd(k.tag(release.lang, t), score, release._id);
    multi.set(k.card(release._id), JSON.stringify(card));
    multi.hset(k.storyVersions(release.story), release.lang, JSON.stringify(card));
    if (++count % 500 === 0) {
      await multi.exec();
      multi = ctx.redis.multi();
    }
  }
  multi.set(k.built(), new Date().toISOString());
  await multi.exec();
  return count;
}

/** Rebuilds the read model when Redis does not have it (a fresh or flushed Redis). */
export async function ensureReleaseIndex(ctx: AppContext): Promise<void> {
  if (!(await ctx.redis.exists(ctx.keys.releases.built()))) {
    const n = await rebuildReleaseIndex(ctx);
    ctx.log.info(`rebuilt the published-release index from MongoDB (${n} releases)`);
  }
}

/**
 * The configured languages that have published anything (one pipeline of ZCARDs), in their
 * configured order. A language without releases is left out of hreflang alternates, and its
 * listings show the source language's newest instead of an empty page.
 */
export async function publishedLanguages(ctx: AppContext): Promise<string[]> {
  const { languages } = ctx.config;
  const multi = ctx.redis.multi();
  for (const l of languages) multi.zcard(ctx.keys.releases.language(l));
  const replies = (await multi.exec()) ?? [];
  return languages.filter((_, i) => Number(replies[i]?.[1]) > 0);
}

/** Cards of published releases, newest first. */
export async function loadCards(ctx: AppContext, releaseIds: string[]): Promise<ReleaseCard[]> {
  if (releaseIds.length === 0) return [];
  const raw = await ctx.redis.mget(releaseIds.map((id) => ctx.keys.releases.card(id)));
  return raw.filter((r): r is string => r !== null).map((r) => JSON.parse(r) as ReleaseCard);
}

/** Every published version of a story, keyed by language. */
export async function storyVersions(ctx: AppContext, storyId: string): Promise<Record<string, ReleaseCard>> {
  const raw = await ctx.redis.hgetall(ctx.keys.releases.storyVersions(storyId));
  return Object.fromEntries(
    Object.entries(raw).map(([lang, json]) => [lang, JSON.parse(json) as ReleaseCard]),
  );
}
