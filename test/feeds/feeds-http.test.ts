import { gunzipSync } from 'node:zlib';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Release } from '../../src/models/release.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import { assertWellFormedXml, guidOf, publish } from './support.js';

let rt: TestRuntime;
let base: string;

beforeAll(async () => {
  // Two URLs per sitemap file, so three stories in two languages need a sitemap index.
  rt = await startTestRuntime({ SITEMAP_URLS_PER_FILE: '2' });
  base = rt.ctx.config.publicUrl;
  const at = (day: number) => new Date(Date.UTC(2024, 2, day));
  await publish(rt, { storyId: 'httpa', lang: 'ru', title: 'Альфа', publishedAt: at(1) });
  await publish(rt, {
    storyId: 'httpa',
    lang: 'en',
    title: 'Alpha',
    publishedAt: at(1),
    translatedFrom: 'ru',
  });
  await publish(rt, { storyId: 'httpb', lang: 'ru', title: 'Бета', publishedAt: at(2) });
  await publish(rt, {
    storyId: 'httpc',
    lang: 'ru',
    title: 'Гамма',
    publishedAt: at(3),
    section: 'statements',
  });
});
afterAll(async () => {
  await rt?.close();
});

const TYPES = {
  '/ru/rss.xml': 'application/rss+xml; charset=utf-8',
  '/ru/atom.xml': 'application/atom+xml; charset=utf-8',
  '/ru/feed.json': 'application/feed+json; charset=utf-8',
  '/ru/sections/statements/rss.xml': 'application/rss+xml; charset=utf-8',
};

describe('feed caching as pollers expect', () => {
  it('answers with the right type, validators, a short max-age and the hub in Link', async () => {
    for (const [path, type] of Object.entries(TYPES)) {
      const res = await request(rt.app).get(path).expect(200);
      expect(res.headers['content-type']).toBe(type);
      expect(res.headers.etag).toMatch(/^"[^"]+"$/);
      expect(new Date(res.headers['last-modified']).getTime()).toBeGreaterThan(0);
      expect(res.headers['cache-control']).toMatch(/max-age=\d+/);
      expect(res.headers.link).toBe(`<${base}/websub/hub>; rel="hub", <${base}${path}>; rel="self"`);
      expect(res.headers['access-control-allow-origin']).toBe('*');
      expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    }
  });

  it('200 with validators, 304 for If-None-Match or If-Modified-Since, 200 again after a publish', async () => {
    const first = await request(rt.app).get('/ru/rss.xml').expect(200);
    const { etag, 'last-modified': lastModified } = first.headers;
    await request(rt.app).get('/ru/rss.xml').set('If-None-Match', etag).expect(304);
    await request(rt.app).get('/ru/rss.xml').set('If-Modified-Since', lastModified).expect(304);
    const notMatching = await request(rt.app).get('/ru/rss.xml').set('If-None-Match', '"other"').expect(200);
    expect(notMatching.text).toBe(first.text);

    await new Promise((r) => setTimeout(r, 1100)); // Last-Modified has one-second resolution
    await publish(rt, { storyId: 'httpd', lang: 'ru', title: 'Дельта', publishedAt: new Date() });
    const after = await request(rt.app).get('/ru/rss.xml').set('If-None-Match', etag).expect(200);
    expect(after.text).toContain(guidOf('httpd.ru'));
    expect(after.headers.etag).not.toBe(etag);
    await request(rt.app).get('/ru/rss.xml').set('If-Modified-Since', lastModified).expect(200);
  });

  it('an unpublish of the newest item moves Last-Modified forward, so If-Modified-Since sees it', async () => {
    const res = await request(rt.app).get('/ru/atom.xml').expect(200);
    const lastModified = res.headers['last-modified'];
    // Last-Modified has one-second resolution: let the clock pass it before unpublishing.
    await new Promise((r) => setTimeout(r, 1100));
    const d = await Release.findById('httpd.ru').lean();
    await publish(rt, { storyId: 'httpd', lang: 'ru', title: d!.title, status: 'draft' });
    const after = await request(rt.app)
      .get('/ru/atom.xml')
      .set('If-Modified-Since', lastModified)
      .expect(200);
    expect(after.text).not.toContain(guidOf('httpd.ru'));
    expect(Date.parse(after.headers['last-modified'])).toBeGreaterThan(Date.parse(lastModified));
  });

  it('HEAD gives the headers without a body; gzip when asked', async () => {
    const get = await request(rt.app).get('/ru/feed.json').set('Accept-Encoding', 'identity').expect(200);
    const head = await request(rt.app).head('/ru/feed.json').set('Accept-Encoding', 'identity').expect(200);
    expect(head.headers.etag).toBe(get.headers.etag);
    expect(head.headers['content-type']).toBe(TYPES['/ru/feed.json']);
    expect(head.text ?? '').toBe('');
    const gz = await request(rt.app)
      .get('/ru/rss.xml')
      .set('Accept-Encoding', 'gzip')
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(gz.headers['content-encoding']).toBe('gzip');
    const body = gz.body as Buffer;
    // supertest may already have inflated it; either way the feed must come out.
    const text =
      body[0] === 0x1f && body[1] === 0x8b ? gunzipSync(body).toString('utf8') : body.toString('utf8');
    expect(text).toContain('<rss version="2.0"');
  });
});

describe('per-encoding validators', () => {
  it('a gzip body and an identity body never share a strong ETag; either revalidates', async () => {
    const plain = await request(rt.app).get('/ru/rss.xml').set('Accept-Encoding', 'identity').expect(200);
    const gz = await request(rt.app).get('/ru/rss.xml').set('Accept-Encoding', 'gzip').expect(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(plain.headers.etag).toMatch(/^"[^"]+"$/);
    expect(gz.headers.etag).toMatch(/^"[^"]+"$/);
    expect(gz.headers.etag).not.toBe(plain.headers.etag);
    for (const [encoding, tag, expected] of [
      ['gzip', gz.headers.etag, gz.headers.etag],
      ['gzip', plain.headers.etag, gz.headers.etag],
      ['identity', gz.headers.etag, plain.headers.etag],
    ]) {
      const res = await request(rt.app)
        .get('/ru/rss.xml')
        .set('Accept-Encoding', encoding)
        .set('If-None-Match', tag)
        .expect(304);
      expect(res.headers.etag, `${encoding} with ${tag}`).toBe(expected);
    }
  });
});

describe('discovery', () => {
  it('the sitemap becomes an index of parts, each listing releases with hreflang alternates and x-default', async () => {
    const index = await request(rt.app).get('/sitemap.xml').expect(200);
    expect(index.headers['content-type']).toBe('application/xml; charset=utf-8');
    assertWellFormedXml(index.text);
    expect(index.text).toContain('<sitemapindex');
    const parts = [...index.text.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]);
    expect(parts).toEqual([
      `${base}/sitemaps/ru/1.xml`,
      `${base}/sitemaps/ru/2.xml`,
      `${base}/sitemaps/en/1.xml`,
    ]);

    const urls: string[] = [];
    for (const part of parts) {
      const res = await request(rt.app).get(part.slice(base.length)).expect(200);
      assertWellFormedXml(res.text);
      const locs = [...res.text.matchAll(/<url><loc>([^<]+)<\/loc>/g)].map((m) => m[1]);
      expect(locs.length).toBeLessThanOrEqual(2);
      urls.push(...locs);
    }
    const published = await Release.find({ status: 'published' }).lean();
    expect(urls.sort()).toEqual(published.map((r) => `${base}/${r.lang}/news/${r.slug}`).sort());

    const ruA = published.find((r) => r._id === 'httpa.ru')!;
    const enA = published.find((r) => r._id === 'httpa.en')!;
    const en = await request(rt.app).get('/sitemaps/en/1.xml').expect(200);
    expect(en.text).toContain(
      `<xhtml:link rel="alternate" hreflang="ru" href="${base}/ru/news/${ruA.slug}"/>`,
    );
    expect(en.text).toContain(
      `<xhtml:link rel="alternate" hreflang="en" href="${base}/en/news/${enA.slug}"/>`,
    );
    expect(en.text).toContain(
      `<xhtml:link rel="alternate" hreflang="x-default" href="${base}/ru/news/${ruA.slug}"/>`,
    );
    await request(rt.app).get('/sitemaps/ru/9.xml').expect(404);
  });

  it('robots.txt points at the sitemap', async () => {
    const res = await request(rt.app).get('/robots.txt').expect(200);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.text).toContain(`Sitemap: ${base}/sitemap.xml`);
  });

  it('/{lang}/feeds lists every feed of the language with its URL and how to subscribe', async () => {
    const res = await request(rt.app).get('/en/feeds').expect(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.text).toMatch(/<html lang="en"/);
    for (const path of ['/en/rss.xml', '/en/atom.xml', '/en/feed.json'])
      expect(res.text).toContain(`${base}${path}`);
    expect(res.text).toContain(`${base}/websub/hub`);
    const ru = await request(rt.app).get('/ru/feeds').expect(200);
    expect(ru.text).toContain(`${base}/ru/sections/statements/rss.xml`);
    expect(ru.text).toContain('Ленты и подписка');
    await request(rt.app).get('/xx/feeds').expect(404);
  });

  it('serves the feed logo', async () => {
    const res = await request(rt.app).get('/feeds/logo.png').expect(200);
    expect(res.headers['content-type']).toBe('image/png');
  });
});
