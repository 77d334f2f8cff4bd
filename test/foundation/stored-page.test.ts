import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildPage, deserializePage, etagOf, serializePage } from '../../src/cache/cached-page.js';

// A page as the shared store holds it: metadata JSON and the gzipped body (`page-cache.ts`).
const rendered = (text: string) => {
  const body = Buffer.from(`<!doctype html><main>${text}</main>`);
  const meta = {
    status: 200,
    etag: etagOf(body),
    headers: { 'content-type': 'text/html' },
    tags: ['story:s1'],
  };
  return { body, page: buildPage(meta, body, true) };
};
const long = 'Заседание Совета министров. '.repeat(200);

describe('a page loaded from the shared store', () => {
  it('answers a gzip client with the stored bytes and inflates only for a plain one', () => {
    const { body, page } = rendered(long);
    const { meta, gzip } = serializePage(page);
    const loaded = deserializePage(meta, gzip);
    expect(loaded.gzip!.equals(page.gzip!)).toBe(true);
    expect(loaded.sets.plain['content-length']).toBe(String(body.length));
    expect(loaded.sets.gzip!['content-length']).toBe(String(page.gzip!.length));
    expect(loaded.size).toBe(page.size);
    // Inflated on demand into a buffer of exactly its size (nothing of a zlib chunk held).
    expect(loaded.body.equals(body)).toBe(true);
    expect(loaded.body.buffer.byteLength).toBe(body.length);
  });

  it('is not inflated until a plain body is asked for', () => {
    const { page } = rendered(long);
    const { meta, gzip } = serializePage(page);
    // The deflate stream damaged after the gzip header: only inflating can notice.
    const damaged = Buffer.from(gzip);
    damaged.fill(0xff, 20, 60);
    const loaded = deserializePage(meta, damaged);
    expect(loaded.sets.gzip).toBeDefined();
    expect(loaded.gzip!.length).toBe(gzip.length);
    expect(() => loaded.body).toThrow();
  });

  it('still reads a page stored before the body length was recorded, and small pages at once', () => {
    const { body, page } = rendered(long);
    const { meta, gzip } = serializePage(page);
    const { length, ...old } = JSON.parse(meta) as { length: number };
    expect(length).toBe(body.length);
    expect(deserializePage(JSON.stringify(old), gzip).body.equals(body)).toBe(true);

    const small = rendered('Коротко');
    const stored = serializePage(small.page);
    const loadedSmall = deserializePage(stored.meta, stored.gzip);
    expect(loadedSmall.gzip).toBeUndefined();
    expect(loadedSmall.body.equals(gunzipSync(stored.gzip))).toBe(true);
  });
});
