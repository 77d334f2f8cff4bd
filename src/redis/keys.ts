import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * Every Redis key of the newsroom, named in one place. Nothing else builds a key string.
 *
 * All keys sit under `REDIS_PREFIX` (default `{newsroom}`: the braces are a Redis Cluster hash
 * tag, so every key — BullMQ's included — maps to one slot and multi-key scripts work on a
 * cluster). Under it, the first segment says what a key is and whether it may be thrown away:
 *
 * | segment  | kind                 | rebuilt by / lives until                                     |
 * | -------- | -------------------- | ------------------------------------------------------------ |
 * | `rm:`    | read model           | rebuilt from MongoDB (`reindex`, start); may be deleted      |
 * | `wf:`    | queue / lock         | ready queues and leases; re-derived additively, never deleted|
 * | `bull:`  | queue (BullMQ)       | jobs, schedulers, paused state: durable, never deleted       |
 * | `sess:`  | durable state        | desk sessions, until they expire                             |
 * | `rl:`    | counter              | rate-limit windows, expire by themselves                     |
 * | `state:` | durable state        | feeds' change times, publication counts: not in MongoDB      |
 * | `ch:`    | pub/sub channel      | page-cache invalidation and its acknowledgements             |
 *
 * Only `rm:` families may be deleted by pattern (`dropReadModel`, by SCAN): no pattern of
 * that kind can match a queue, a lock or a session, whatever a queue is called.
 */
export function redisKeys(prefix: string) {
  const key = (...parts: (string | number)[]) => [prefix, ...parts].join(':');
  const rm = (family: ReadModelFamily, ...parts: (string | number)[]) => key('rm', family, ...parts);
  return {
    prefix,
    /** BullMQ's `prefix` option: its keys are `<prefix>:bull:<queue>:…`. */
    bullmq: key('bull'),

    /** Read model of published releases (listings, cards, language switcher). */
    releases: {
      /** Published releases of a language, scored by publication time (ms). */
      language: (lang: string) => rm('releases', 'lang', lang),
      section: (lang: string, section: string) => rm('releases', 'section', lang, section),
      /** Sections that have a published release in a language. */
      sections: (lang: string) => rm('releases', 'sections', lang),
      /** Published releases of a language with one tag (by `tagSlug`), scored like the language list. */
      tag: (lang: string, tagSlug: string) => rm('releases', 'tag', lang, tagSlug),
      card: (releaseId: string) => rm('releases', 'card', releaseId),
      /** Hash lang → card JSON of every published version of a story. */
      storyVersions: (storyId: string) => rm('releases', 'versions', storyId),
      /** Versioned: v2 added the tag lists, so the first start after an upgrade rebuilds them. */
      built: () => rm('releases', 'built', 'v2'),
      /** Hash release id → the revision the read model shows (an older, late sync is refused). */
      revisions: () => rm('releases', 'revisions'),
    },

    /**
     * Rendered pages shared by every process (`src/cache/page-cache.ts`): a cache, so a read
     * model family; dropping it costs renders, never data.
     */
    pages: {
      /** Prefix of `<url>` → hash of metadata and gzipped body. */
      pagePrefix: `${rm('pages', 'p')}:`,
      /** Prefix of `<surrogate key>` → set of the URLs tagged with it. */
      tagPrefix: `${rm('pages', 't')}:`,
      /** Stored URLs by store order (eviction order). */
      order: rm('pages', 'order'),
      /** Hash URL → stored bytes. */
      sizes: rm('pages', 'sizes'),
      /** Hash of `bytes` (total stored) and `clock`. */
      stats: rm('pages', 'stats'),
      /** Bumped by every invalidation: a render begun before it is not stored. */
      seq: rm('pages', 'seq'),
      /** Hash release id → the revision whose change was last applied in full (negated: left unpublished). */
      applied: rm('pages', 'applied'),
    },

    /** Read model: the inverted search index and its cached results. */
    search: {
      postings: (lang: string, term: string) => rm('search', lang, 't', term),
      /** Ids having the term in the title or lead (ranking). */
      headingPostings: (lang: string, term: string) => rm('search', lang, 'h', term),
      /** What was indexed for a release (lang, terms and text for snippets), to take it out again. */
      document: (releaseId: string) => rm('search', 'doc', releaseId),
      /** Hash: release id → the revision last applied, so an older sync never overwrites a newer. */
      revisions: () => rm('search', 'rev'),
      /** Bumped on every index change; query results are cached under it. */
      generation: () => rm('search', 'gen'),
      result: (lang: string, generation: string, query: string) =>
        rm('search', lang, 'q', generation, createHash('sha1').update(query).digest('base64url')),
      /** Versioned: a new analysis (v2: src/language stems) makes the next start rebuild the index. */
      built: () => rm('search', 'built', 'v2'),
    },

    /**
     * Read model: each imported story's import hash as stored in MongoDB (hash story id →
     * hash), so that a rerun skips an unchanged record without reading the story. Missing
     * entries are read from MongoDB; owned by `src/commands/import-stories.ts`.
     */
    importHashes: () => rm('import', 'hashes'),

    /** Read model: the translation memory's fuzzy word index (entries live in MongoDB). */
    tm: {
      /** Hash source hash → entry JSON of a pair. */
      entries: (pair: string) => rm('tm', pair, 'e'),
      /** A MinHash band's bucket of source hashes (capped, newest kept); v2: 4-gram bands. */
      bucket: (pair: string, band: string) => rm('tm', pair, 'b2', band),
      /** Versioned like the buckets: the first start after an upgrade rebuilds them. */
      built: () => rm('tm', 'built', 'v2'),
      /** The v1 layout (trigram bands), deleted once v2 is built (`ensureMemoryIndex`). */
      legacy: {
        built: () => rm('tm', 'built'),
        bucketPattern: () => `${globEscape(prefix)}:rm:tm:*:b:*`,
      },
    },

    /**
     * Machine translation: a cache of the provider's answers (dropping it costs provider calls,
     * never data), and a short-lived mark that the provider failed, so a task preparation or a
     * workbench request does not wait for it again at once.
     */
    mt: {
      translation: (provider: string, pair: string, sourceHash: string) =>
        rm('mt', provider, pair, sourceHash),
      down: (provider: string) => key('rl', 'mt-down', provider),
    },

    /** Read model: target languages of a story with an open task (the reader's notice). */
    translating: (storyId: string) => rm('translating', storyId),

    /** Queues and locks of the workflow, derived from MongoDB by `rebuildWorkflowState`. */
    workflow: {
      /** Open tasks of a pair; a claim pops one (ZPOPMIN). */
      ready: (pair: string) => key('wf', 'ready', pair),
      /** Claimed tasks of a pair scored by lease expiry. */
      leases: (pair: string) => key('wf', 'leases', pair),
    },

    /** Durable: when a language's feeds last changed (never moves backwards). */
    feedsChanged: (lang: string) => key('state', 'feeds-changed', lang),
    /**
     * Durable: set of `<taskId>:<dueAt ms>` whose `task.overdue` was recorded, so the periodic
     * check reports each missed due date once (fields of tasks no longer overdue are dropped).
     */
    webhookOverdueReported: key('state', 'webhook-overdue'),
    /** Durable counter: translations published per pair and UTC day. */
    publishedCount: (pair: string, day: string) => key('state', 'published', pair, day),
    /** Durable mark that a task is in `publishedCount` (a rerun of its publish counts nothing). */
    publishedCounted: (taskId: string) => key('state', 'published-counted', taskId),

    /** connect-redis `prefix`: a session is `<prefix>:sess:<id>`. */
    sessionPrefix: `${key('sess')}:`,
    session: (sid: string) => key('sess', sid),
    /** rate-limit-redis `prefix` of one limiter. */
    rateLimitPrefix: (limiter: string) => `${key('rl', limiter)}:`,
    /** Per-account sign-in back-off: failures in the window, and the wait before the next try. */
    signInFailures: (email: string) => key('rl', 'signin-account', email),
    signInWait: (email: string) => key('rl', 'signin-account-wait', email),

    /** Pub/sub channel telling every process to drop its cached pages. */
    pageCacheChannel: key('ch', 'page-cache'),
    /** Prefix of the channel on which one process hears that the others dropped them. */
    pageCacheAckPrefix: `${key('ch', 'page-cache-ack')}:`,
  };
}

export type RedisKeys = ReturnType<typeof redisKeys>;

/** The read models that may be deleted by pattern and rebuilt from MongoDB. */
export const READ_MODEL_FAMILIES = [
  'releases',
  'search',
  'tm',
  'mt',
  'translating',
  'pages',
  'import',
] as const;
export type ReadModelFamily = (typeof READ_MODEL_FAMILIES)[number];

/** SCAN's glob treats `*?[]\` specially; a prefix is matched literally. */
const globEscape = (s: string) => s.replace(/[*?[\]\\]/g, '\\$&');

/** The SCAN pattern of one read-model family: it matches that family's keys and nothing else. */
export const readModelPattern = (prefix: string, family: ReadModelFamily) =>
  `${globEscape(prefix)}:rm:${family}:*`;

/** Iterates the keys matching `pattern` with SCAN (never KEYS, which blocks Redis). */
export async function* scanKeys(redis: Redis, pattern: string, count = 1000): AsyncGenerator<string[]> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', count);
    cursor = next;
    if (keys.length > 0) yield keys;
  } while (cursor !== '0');
}

/**
 * Deletes every key of a read-model family (before a rebuild from MongoDB). The only delete
 * by pattern in the newsroom: it takes a family name, not a pattern, so it cannot reach a
 * queue, a lock or a session.
 */
export async function dropReadModel(
  redis: Redis,
  keys: Pick<RedisKeys, 'prefix'>,
  family: ReadModelFamily,
): Promise<number> {
  let deleted = 0;
  for await (const batch of scanKeys(redis, readModelPattern(keys.prefix, family))) {
    deleted += await redis.unlink(...batch);
  }
  return deleted;
}
