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
  /** Bytes of the plain body. */
  length: number;
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
 * `buf` in a buffer of (about) its own size. zlib hands back a slice of its 16 KB output chunk
 * and ioredis a slice of its socket buffer: kept in a cache, a 4 KB slice holds the whole
 * parent (a 10,000-page run kept 54 MB of 16 KB chunks for 13 MB of gzip). A few bytes of
 * slack are not worth a copy.
 */
const ownBytes = (buf: Buffer): Buffer => {
  if (buf.buffer.byteLength - buf.byteLength <= SLACK) return buf;
  // Not `Buffer.from`: it copies small buffers into the shared pool (64 KB on Node 24).
  const own = Buffer.allocUnsafeSlow(buf.byteLength);
  buf.copy(own);
  return own;
};
const SLACK = 64;

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
    length: body.length,
    size: body.length + (gz?.length ?? 0),
    sets: new HeaderSets(meta, body.length, gz?.length),
  };
}

/**
 * A stored page whose plain body is inflated on first use: a client that accepts gzip (every
 * browser) is answered with the stored bytes as they are, and a page loaded only for them is
 * never inflated. `size` counts the plain body from the start, so the LRU's bound holds either way.
 */
function storedPage(meta: PageMeta, length: number, gzip: Buffer): CachedPage {
  const gz = ownBytes(gzip);
  let body: Buffer | undefined;
  return {
    ...meta,
    get body(): Buffer {
      // Into one buffer of exactly the body's size on Node 20 (no 16 KB chunks to join or
      // copy); Node 24 hands back a slice of a 64 KB chunk whatever the size, so it is copied.
      return (body ??= ownBytes(gunzipSync(gz, { chunkSize: Math.max(64, length) })));
    },
    gzip: gz,
    shared: true,
    length,
    size: length + gz.length,
    sets: new HeaderSets(meta, length, gz.length),
  };
}

/** What is stored of a page: its metadata (with the plain body's length) and its gzip. */
interface StoredMeta extends PageMeta {
  /** Bytes of the plain body; absent in pages stored before it was recorded. */
  length?: number;
}

/** The stored form of a page: its metadata as JSON and its body gzipped (a third of the bytes). */
export function serializePage(page: CachedPage): { meta: string; gzip: Buffer } {
  const meta: StoredMeta = {
    status: page.status,
    etag: page.etag,
    lastModified: page.lastModified,
    headers: page.headers,
    tags: page.tags,
    length: page.length,
  };
  return { meta: JSON.stringify(meta), gzip: page.gzip ?? gzipSync(page.body, { level: 6 }) };
}

export function deserializePage(meta: Buffer | string, gzip: Buffer): CachedPage {
  const { length, ...m } = JSON.parse(meta.toString()) as StoredMeta;
  // Stored before the request id was left out of the replayed headers: it named one request.
  delete m.headers['x-request-id'];
  // Small bodies are sent uncompressed, so they need their plain bytes at once; so do pages
  // stored before their length was.
  if (length === undefined || length <= GZIP_MIN) return buildPage(m, gunzipSync(gzip), true, gzip);
  return storedPage(m, length, gzip);
}
