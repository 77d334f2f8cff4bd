import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import type { RedisKeys } from '../redis/keys.js';
import { deserializePage, serializePage, type CachedPage } from './cached-page.js';
import { STORE_PAGE, INVALIDATE_PAGES } from './page-store.lua.js';

export { etagOf, type CachedPage } from './cached-page.js';

/** The Redis keys of the shared page store (one owner: this module). */
export interface PageCacheKeys {
  /** `<page><url>`: hash of `m` (metadata JSON) and `g` (gzipped body). */
  page: string;
  /** `<tag><surrogate key>`: set of the URLs tagged with it. */
  tag: string;
  /** Sorted set of stored URLs by store order (the eviction order). */
  order: string;
  /** Hash URL → stored bytes. */
  sizes: string;
  /** Hash of `bytes` (total stored) and `clock` (store counter). */
  stats: string;
  /** Bumped by every invalidation: a render begun before it is not stored. */
  seq: string;
  /** Pub/sub channel of invalidations. */
  channel: string;
  /** Pub/sub channel prefix on which a process receives acknowledgements. */
  ack: string;
}

/** The page store's keys under the configured prefix. */
export const pageCacheKeys = (keys: RedisKeys): PageCacheKeys => ({
  page: keys.pages.pagePrefix,
  tag: keys.pages.tagPrefix,
  order: keys.pages.order,
  sizes: keys.pages.sizes,
  stats: keys.pages.stats,
  seq: keys.pages.seq,
  channel: keys.pageCacheChannel,
  ack: keys.pageCacheAckPrefix,
});

/** What a render saw before it started: a store after an invalidation in between is refused. */
export interface RenderTicket {
  local: number;
  shared: string;
}

interface Message {
  id?: string;
  replyTo?: string;
  tags?: string[];
  all?: boolean;
}

const OFFLINE = 'offline';

/** How long a write waits for every process to confirm an invalidation. */
const ACK_TIMEOUT_MS = 5_000;

/**
 * How many URLs loaded once from the shared store are remembered (the doorkeeper of TinyLFU):
 * a page is kept in this process on its second load among them, not its first. A reader
 * opening a random one of 200,000 articles would otherwise push a hot page out for one that
 * is not asked for again, and every kept page outlives V8's young generation: random reads
 * with every load kept ran at 5,090 and 4,936 req/s, with none kept at 6,474 and 6,202.
 */
const DOORKEEPER = 1_000;

/**
 * Rendered pages and feeds, in two layers:
 * - **Shared store in Redis**, bounded by bytes (oldest stored first out), so a page rendered
 *   once (by the worker when it is published, or by any web process) serves every process,
 *   also a freshly started one.
 * - **In-process LRU** in front of it, bounded by bytes, answering hits without a round trip.
 *
 * Every page carries surrogate keys (`surrogate-keys.ts`). `invalidate(keys)` drops the pages
 * tagged with any of them from Redis, then from every process's LRU through pub/sub, and
 * resolves once every subscribed process has confirmed: a write that awaits it before
 * answering is visible on every web process at once (read-your-writes). A render that began
 * before an invalidation is not stored (`RenderTicket`), so a slow render cannot put an old
 * page back.
 */
export class PageCache {
  private entries = new Map<string, CachedPage>();
  private bytes = 0;
  /** URLs loaded once since the doorkeeper was last emptied (`DOORKEEPER`). */
  private loadedOnce = new Set<string>();
  private seq = 0;
  private subscriber?: Redis;
  private readonly replyTo = `${randomUUID()}`;
  private readonly waiting = new Map<string, { acks: number; expected?: number; done: () => void }>();

  constructor(
    private readonly redis: Redis,
    private readonly keys: PageCacheKeys,
    private readonly maxBytes: number,
    private readonly sharedMaxBytes: number,
    private readonly log: Logger,
  ) {}

  /** Subscribes to invalidations from other processes (and to acknowledgements of ours). */
  async listen(): Promise<void> {
    this.subscriber = this.redis.duplicate({ enableAutoPipelining: false });
    const ackChannel = this.keys.ack + this.replyTo;
    this.subscriber.on('message', (channel: string, raw: string) => {
      if (channel === ackChannel) return this.acknowledged(raw);
      let msg: Message;
      try {
        msg = JSON.parse(raw) as Message;
      } catch {
        msg = { all: true };
      }
      if (msg.all || !msg.tags) this.clear();
      else this.dropLocal(msg.tags);
      if (msg.id && msg.replyTo) void this.redis.publish(this.keys.ack + msg.replyTo, msg.id).catch(() => {});
    });
    // After a reconnect we may have missed messages: start clean.
    this.subscriber.on('ready', () => this.clear());
    this.subscriber.on('error', (err) => this.log.debug({ err }, 'page cache subscriber error'));
    // A process without a local cache (worker, CLI) has nothing to drop: it only hears its acks.
    if (this.maxBytes > 0) await this.subscriber.subscribe(this.keys.channel, ackChannel);
    else await this.subscriber.subscribe(ackChannel);
  }

  async close(): Promise<void> {
    this.subscriber?.disconnect();
    for (const w of this.waiting.values()) w.done();
  }

  /** An in-process hit, or undefined. */
  get(key: string): CachedPage | undefined {
    const hit = this.entries.get(key);
    if (hit) {
      // Map order is insertion order: re-inserting makes it the most recently used.
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  /** A shared page from Redis (kept in this process too when loaded before), or undefined. */
  async load(url: string): Promise<CachedPage | undefined> {
    if (!this.sharedOnline) return undefined;
    const seq = this.seq;
    const [meta, gzip] = await this.redis.hmgetBuffer(this.keys.page + url, 'm', 'g');
    if (!meta || !gzip) return undefined;
    const page = deserializePage(meta, gzip);
    // An invalidation arrived while we read: the copy may be older than it; serve, don't keep.
    if (seq === this.seq && this.loadedBefore(url)) this.keep(`${url}#`, page);
    return page;
  }

  /** Whether `url` was loaded since the doorkeeper was last emptied; remembers it if not. */
  private loadedBefore(url: string): boolean {
    if (this.loadedOnce.delete(url)) return true;
    if (this.loadedOnce.size >= DOORKEEPER) this.loadedOnce.clear();
    this.loadedOnce.add(url);
    return false;
  }

  /** Redis answers now (while it is down, commands would queue): else pages render, unshared. */
  private get sharedOnline(): boolean {
    return this.sharedMaxBytes > 0 && this.redis.status === 'ready';
  }

  /** Whether the shared store holds `url`. */
  async isStored(url: string): Promise<boolean> {
    return (await this.redis.exists(this.keys.page + url)) === 1;
  }

  /** Call before rendering; pass the ticket to `store`. */
  async ticket(): Promise<RenderTicket> {
    const local = this.seq;
    const shared = this.sharedOnline ? ((await this.redis.get(this.keys.seq)) ?? '0') : OFFLINE;
    return { local, shared };
  }

  /**
   * Keeps a rendered page here and, when shared, in Redis, unless an invalidation came since
   * `ticket`. Resolves whether the shared store now holds it. `local: false` (the page
   * renderer's requests) stores it in Redis only: the renderer's process serves no readers.
   */
  async store(
    key: string,
    url: string,
    page: CachedPage,
    ticket: RenderTicket,
    { local = true }: { local?: boolean } = {},
  ): Promise<boolean> {
    if (ticket.local !== this.seq) return false;
    if (local) this.keep(key, page);
    if (!page.shared || !this.sharedOnline || ticket.shared === OFFLINE) return false;
    const { meta, gzip } = serializePage(page);
    const size = gzip.length + meta.length + url.length;
    if (size > this.sharedMaxBytes / 4) return false;
    const k = this.keys;
    const stored = await this.redis.eval(
      STORE_PAGE,
      5 + page.tags.length,
      k.page + url,
      k.order,
      k.sizes,
      k.stats,
      k.seq,
      ...page.tags.map((t) => k.tag + t),
      ticket.shared,
      url,
      gzip,
      meta,
      String(size),
      String(this.sharedMaxBytes),
      k.page,
      k.tag,
    );
    return stored === 1;
  }

  /**
   * Drops every page tagged with one of `tags`, in Redis and in every process, and resolves
   * once every process subscribed to invalidations has confirmed (or after a timeout, logged).
   */
  async invalidate(tags: string[]): Promise<number> {
    if (tags.length === 0) return 0;
    this.dropLocal(tags);
    const k = this.keys;
    const dropped = Number(
      await this.redis.eval(INVALIDATE_PAGES, 4, k.order, k.sizes, k.stats, k.seq, k.page, k.tag, ...tags),
    );
    await this.broadcast({ tags });
    return dropped;
  }

  /** Drops every cached page here, in Redis and in every other process (`newsroom reindex`). */
  async invalidateAll(): Promise<void> {
    this.clear();
    const k = this.keys;
    await this.redis.incr(k.seq);
    for (;;) {
      const urls = await this.redis.zrange(k.order, '0', '499');
      if (urls.length === 0) break;
      await this.redis
        .multi()
        .del(...urls.map((u) => k.page + u))
        .zrem(k.order, ...urls)
        .hdel(k.sizes, ...urls)
        .exec();
    }
    let cursor = '0';
    do {
      const [next, tagKeys] = await this.redis.scan(cursor, 'MATCH', `${k.tag}*`, 'COUNT', 500);
      if (tagKeys.length) await this.redis.del(...tagKeys);
      cursor = next;
    } while (cursor !== '0');
    await this.redis.hset(k.stats, 'bytes', 0);
    await this.broadcast({ all: true });
  }

  /** Entries and bytes held in this process, and bytes in the shared store. */
  async stats(): Promise<{ entries: number; bytes: number; sharedBytes: number; sharedPages: number }> {
    const [sharedBytes, sharedPages] = await Promise.all([
      this.redis.hget(this.keys.stats, 'bytes'),
      this.redis.zcard(this.keys.order),
    ]);
    return {
      entries: this.entries.size,
      bytes: this.bytes,
      sharedBytes: Number(sharedBytes ?? 0),
      sharedPages,
    };
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.seq++;
    this.entries.clear();
    this.bytes = 0;
  }

  private keep(key: string, page: CachedPage): void {
    if (this.maxBytes === 0 || page.size > this.maxBytes / 4) return;
    this.remove(key);
    this.entries.set(key, page);
    this.bytes += page.size;
    for (const k of this.entries.keys()) {
      if (this.bytes <= this.maxBytes) break;
      this.remove(k);
    }
  }

  private remove(key: string): void {
    const page = this.entries.get(key);
    if (!page) return;
    this.entries.delete(key);
    this.bytes -= page.size;
  }

  /**
   * Drops the pages tagged with any of `tags`. A scan, not a tag index: an index costs every
   * page kept or evicted (each of its ~10 tags), and pages are kept thousands of times a
   * second while invalidations come a few times a second.
   */
  private dropLocal(tags: string[]): void {
    this.seq++;
    const dropped = new Set(tags);
    for (const [key, page] of this.entries) if (page.tags.some((t) => dropped.has(t))) this.remove(key);
  }

  /** Publishes an invalidation and waits for every receiver's acknowledgement. */
  private async broadcast(msg: Message): Promise<void> {
    const id = randomUUID();
    let done!: () => void;
    const confirmed = new Promise<void>((resolve) => (done = resolve));
    const wait: { acks: number; expected?: number; done: () => void } = { acks: 0, done };
    this.waiting.set(id, wait);
    let timer: NodeJS.Timeout | undefined;
    try {
      const receivers = await this.redis.publish(
        this.keys.channel,
        JSON.stringify({ ...msg, id, replyTo: this.replyTo }),
      );
      // Acknowledgements may arrive before PUBLISH answers: they are counted in `acks`.
      wait.expected = receivers;
      if (wait.acks >= receivers) return;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          this.log.warn(
            { missing: receivers - wait.acks },
            'page cache: not every process confirmed an invalidation',
          );
          resolve();
        }, ACK_TIMEOUT_MS);
      });
      await Promise.race([confirmed, timeout]);
    } finally {
      clearTimeout(timer);
      this.waiting.delete(id);
    }
  }

  private acknowledged(id: string): void {
    const wait = this.waiting.get(id);
    if (!wait) return;
    wait.acks++;
    if (wait.expected !== undefined && wait.acks >= wait.expected) wait.done();
  }
}
