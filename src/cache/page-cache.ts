import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';

export interface CachedResponse {
  body: Buffer;
  etag: string;
  lastModified?: string;
  headers: Record<string, string>;
  status: number;
}

/**
 * Rendered pages and feeds kept in process memory, dropped whenever anything is published.
 * Publishing goes through Redis (`INCR` of a generation plus `PUBLISH`), so every web process
 * drops its copy, not only the one that made the change. A request also compares the
 * generation it cached under with the one it saw last, so a missed message costs one miss.
 */
export class PageCache {
  private entries = new Map<string, CachedResponse>();
  private bytes = 0;
  private subscriber?: Redis;

  constructor(
    private readonly redis: Redis,
    private readonly channel: string,
    private readonly maxBytes: number,
    private readonly log: Logger,
  ) {}

  /** Subscribes to invalidations from other processes. */
  async listen(): Promise<void> {
    this.subscriber = this.redis.duplicate();
    this.subscriber.on('message', () => this.clear());
    // After a reconnect we may have missed messages: start clean.
    this.subscriber.on('ready', () => this.clear());
    this.subscriber.on('error', (err) => this.log.debug({ err }, 'page cache subscriber error'));
    await this.subscriber.subscribe(this.channel);
  }

  async close(): Promise<void> {
    this.subscriber?.disconnect();
  }

  get(key: string): CachedResponse | undefined {
    const hit = this.entries.get(key);
    if (hit) {
      // Map order is insertion order: re-inserting makes it the most recently used.
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  set(key: string, value: CachedResponse): void {
    if (this.maxBytes === 0 || value.body.length > this.maxBytes / 4) return;
    const old = this.entries.get(key);
    if (old) this.bytes -= old.body.length;
    this.entries.set(key, value);
    this.bytes += value.body.length;
    for (const [k, v] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(k);
      this.bytes -= v.body.length;
    }
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }

  /** Drops every cached page here and, through Redis, in every other process. */
  async invalidateAll(): Promise<void> {
    this.clear();
    await this.redis.publish(this.channel, 'all');
  }

  get size(): number {
    return this.entries.size;
  }
}

/** A strong ETag of a response body. */
export const etagOf = (body: Buffer | string) => `"${createHash('sha1').update(body).digest('base64url')}"`;
