import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';

/** What is stored of a rendered response, besides its body. */
export interface PageMeta {
  status: number;
  etag: string;
  lastModified?: string;
  /** Headers to replay (per-response ones such as Content-Length are rebuilt). */
  headers: Record<string, string>;
  /** Surrogate keys (`src/cache/surrogate-keys.ts`): what the page shows. */
  tags: string[];
}

/** A rendered page or feed ready to be sent: body, its gzip form and complete header sets. */
export interface CachedPage extends PageMeta {
  body: Buffer;
  gzip?: Buffer;
  /** The same for every request to its URL: eligible for the shared store and the fast path. */
  shared: boolean;
  sets: HeaderSets;
  /** Bytes held in memory (body and gzip). */
  size: number;
}

/**
 * The four header sets a page can be answered with, each built on first use: a page loaded
 * from the shared store is usually answered once or twice, with one of them.
 */
export class HeaderSets {
  private built: Partial<
    Record<'notModified' | 'plain' | 'gzip' | 'notModifiedGzip', Record<string, string>>
  > = {};
  private gzipTag?: string;

  constructor(
    private readonly meta: PageMeta,
    private readonly bodyLength: number,
    private readonly gzipLength: number | undefined,
  ) {}

  get notModified(): Record<string, string> {
    return (this.built.notModified ??= this.base(this.meta.etag));
  }

  get plain(): Record<string, string> {
    return (this.built.plain ??= { ...this.base(this.meta.etag), 'content-length': String(this.bodyLength) });
  }

  get gzip(): Record<string, string> | undefined {
    if (this.gzipLength === undefined) return undefined;
    return (this.built.gzip ??= {
      ...this.base(this.gzipEtag),
      'content-encoding': 'gzip',
      'content-length': String(this.gzipLength),
    });
  }

  get notModifiedGzip(): Record<string, string> | undefined {
    if (this.gzipLength === undefined) return undefined;
    return (this.built.notModifiedGzip ??= this.base(this.gzipEtag));
  }

  /** A strong ETag names exact bytes, so the gzip body gets its own (RFC 9110 §8.8.3.3). */
  get gzipEtag(): string {
    return (this.gzipTag ??= `${this.meta.etag.slice(0, -1)}-gzip"`);
  }

  private base(etag: string): Record<string, string> {
    const { headers, lastModified } = this.meta;
    return lastModified ? { ...headers, etag, 'last-modified': lastModified } : { ...headers, etag };
  }
}

/**
 * `buf` in a buffer of its own size. zlib hands back a slice of its 16 KB output chunk and
 * ioredis a slice of its socket buffer: kept in a cache, a 4 KB slice holds the whole parent
 * (a 10,000-page run kept 54 MB of 16 KB chunks for 13 MB of gzip).
 */
const ownBytes = (buf: Buffer): Buffer => (buf.byteLength === buf.buffer.byteLength ? buf : Buffer.from(buf));

/** Bodies under this size are sent uncompressed (gzip would not pay off). */
const GZIP_MIN = 1024;

/** A strong ETag of a response body. */
export const etagOf = (body: Buffer | string) => `"${createHash('sha1').update(body).digest('base64url')}"`;

/** Builds the sendable page once, so a hit only picks a header set and writes. */
export function buildPage(meta: PageMeta, rendered: Buffer, shared: boolean, gzip?: Buffer): CachedPage {
  const body = ownBytes(rendered);
  const gz = body.length > GZIP_MIN ? ownBytes(gzip ?? gzipSync(body, { level: 6 })) : undefined;
  return {
    ...meta,
    body,
    gzip: gz,
    shared,
    size: body.length + (gz?.length ?? 0),
    sets: new HeaderSets(meta, body.length, gz?.length),
  };
}

/** The stored form of a page: its metadata as JSON and its body gzipped (a third of the bytes). */
export function serializePage(page: CachedPage): { meta: string; gzip: Buffer } {
  const meta: PageMeta = {
    status: page.status,
    etag: page.etag,
    lastModified: page.lastModified,
    headers: page.headers,
    tags: page.tags,
  };
  return { meta: JSON.stringify(meta), gzip: page.gzip ?? gzipSync(page.body, { level: 6 }) };
}

export function deserializePage(meta: Buffer | string, gzip: Buffer): CachedPage {
  const m = JSON.parse(meta.toString()) as PageMeta;
  // Stored before the request id was left out of the replayed headers: it named one request.
  delete m.headers['x-request-id'];
  return buildPage(m, gunzipSync(gzip), true, gzip);
}
