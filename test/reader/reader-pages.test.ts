import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import { importStory, updateRelease } from './reader-fixtures.js';

let rt: TestRuntime;
let both: Awaited<ReturnType<typeof importStory>>;
let ruOnly: Awaited<ReturnType<typeof importStory>>;

beforeAll(async () => {
  rt = await startTestRuntime({ PUBLIC_URL: 'https://press.example.org' });
  both = await importStory(rt, { section: 'statements' });
  ruOnly = await importStory(rt, {
    versions: { ru: { title: 'Только по-русски', lead: 'Лид', body: '<p>Текст</p>' } },
  });
});
afterAll(async () => {
  await rt?.close();
});

const get = (path: string) => request(rt.app).get(path);

describe('/ language negotiation', () => {
  it('prefers the lang cookie, then Accept-Language q-values, then the source language', async () => {
    const byCookie = await get('/').set('Cookie', 'lang=kk').set('Accept-Language', 'en');
    expect(byCookie.status).toBe(302);
    expect(byCookie.headers.location).toBe('/kk/');
    expect(byCookie.headers.vary).toMatch(/Accept-Language/);
    expect(byCookie.headers.vary).toMatch(/Cookie/);
    const byHeader = await get('/').set('Accept-Language', 'de;q=1, en-US;q=0.5, hy;q=0.8');
    expect(byHeader.headers.location).toBe('/hy/');
    const unknownCookie = await get('/').set('Cookie', 'lang=xx').set('Accept-Language', 'en-GB');
    expect(unknownCookie.headers.location).toBe('/en/');
    expect((await get('/')).headers.location).toBe('/ru/');
  });

  it('the switcher sets the lang cookie and goes to the page, never to another site', async () => {
    const res = await get('/language/en?next=%2Fen%2Fnews%2F');
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/en/news/');
    expect(res.headers['set-cookie'][0]).toMatch(/^lang=en;.*Path=\//);
    const evil = await get('/language/en?next=%2F%2Fevil.example%2Fen%2F');
    expect(evil.headers.location).toBe('/en/');
    expect((await get('/language/xx?next=/xx/')).status).toBe(404);
  });
});

describe('article pages', () => {
  it('show the release with hreflang alternates, x-default, canonical, og and feed links', async () => {
    const res = await get(`/en/news/${both.slugs.en}`);
    expect(res.status).toBe(200);
    const html = res.text;
    expect(html).toContain('<html lang="en" dir="ltr">');
    expect(html).toContain(
      `<link rel="canonical" href="https://press.example.org/en/news/${both.slugs.en}">`,
    );
    expect(html).toContain(`hreflang="ru" href="https://press.example.org/ru/news/${both.slugs.ru}"`);
    expect(html).toContain(`hreflang="x-default" href="https://press.example.org/ru/news/${both.slugs.ru}"`);
    expect(html).not.toMatch(/<link rel="alternate" hreflang="kk"/);
    expect(html).toContain('<meta property="og:locale" content="en_GB">');
    expect(html).toContain('<meta property="og:locale:alternate" content="ru_RU">');
    expect(html).toContain('type="application/rss+xml" hreflang="en"');
    expect(html).toContain('href="/en/feeds"');
    expect(html).toContain('Translated from Russian, 25 July 2024.');
    expect(html).toContain('Back to the section “Statements”');
    expect(html).toContain('href="/en/sections/statements/"');
  });

  it('switcher links lead to the same story in each language, or to its availability page', async () => {
    const html = (await get(`/ru/news/${both.slugs.ru}`)).text;
    expect(html).toContain(
      `href="/language/en?next&#x3D;${encodeURIComponent(`/en/news/${both.slugs.en}`)}"`,
    );
    expect(html).toContain(
      `href="/language/kk?next&#x3D;${encodeURIComponent(`/kk/stories/${both.storyId}`)}"`,
    );
    for (const name of ['Русский', 'English', 'Հայերեն', 'Беларуская', 'Қазақша', 'Кыргызча', 'Тоҷикӣ'])
      expect(html).toContain(`>${name}</a>`);
    expect(html).toContain('<time datetime="2024-07-25T12:00:00.000Z">25.07.2024</time>');
  });

  it('a slug of another language answers 301 to this language version, or to the availability page', async () => {
    const toEn = await get(`/en/news/${both.slugs.ru}`);
    expect(toEn.status).toBe(301);
    expect(toEn.headers.location).toBe(`/en/news/${both.slugs.en}`);
    const toKk = await get(`/kk/news/${both.slugs.ru}`);
    expect(toKk.status).toBe(301);
    expect(toKk.headers.location).toBe(`/kk/stories/${both.storyId}`);
  });

  it('the availability page says the release is not yet available and shows the original', async () => {
    const res = await get(`/en/stories/${ruOnly.storyId}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('This release is not yet available in English; here it is in Russian.');
    expect(res.text).toContain('<article class="release" lang="ru" dir="ltr">');
    expect(res.text).toContain('Только по-русски');
    expect(res.text).toContain('<meta name="robots" content="noindex">');
    expect(res.text).not.toContain('translation is in progress');
    const inRussian = await get(`/ru/stories/${ruOnly.storyId}`);
    expect(inRussian.status).toBe(301);
    expect(inRussian.headers.location).toBe(`/ru/news/${ruOnly.slugs.ru}`);
  });

  it('shows "translation in progress" while a translation task is open', async () => {
    await rt.ctx.redis.sadd(rt.ctx.keys.translating(ruOnly.storyId), 'kk');
    const kk = await get(`/kk/stories/${ruOnly.storyId}`);
    expect(kk.text).toContain('Аударма дайындалуда.');
    await rt.ctx.redis.srem(rt.ctx.keys.translating(ruOnly.storyId), 'kk');
    expect((await get(`/kk/stories/${ruOnly.storyId}`)).text).not.toContain('Аударма дайындалуда.');
  });

  it('a former slug answers 301 to the current one', async () => {
    const s = await importStory(rt);
    await updateRelease(rt, `${s.storyId}.en`, { slug: 'renamed-english-slug' });
    const res = await get(`/en/news/${s.slugs.en}`);
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe('/en/news/renamed-english-slug');
  });

  it('an outdated translation says the original changed and is being revised', async () => {
    const s = await importStory(rt);
    await updateRelease(rt, `${s.storyId}.ru`, { body: '<p>Новый текст оригинала.</p>' });
    await updateRelease(rt, `${s.storyId}.en`, { outdated: true });
    const html = (await get(`/en/news/${s.slugs.en}`)).text;
    expect(html).toMatch(
      /The original was updated on \d{1,2} \w+ \d{4}; this translation is being revised\./,
    );
  });
});

describe('localized errors', () => {
  it('unknown language, section or slug: a 404 page in the right language, never a 500', async () => {
    const unknownSlug = await get('/en/news/no-such-release');
    expect(unknownSlug.status).toBe(404);
    expect(unknownSlug.text).toContain('<html lang="en"');
    expect(unknownSlug.text).toContain('Page not found');
    const unknownSection = await get('/hy/sections/nope/');
    expect(unknownSection.status).toBe(404);
    expect(unknownSection.text).toContain('Էջը չի գտնվել');
    const unknownLang = await get('/xx/news/');
    expect(unknownLang.status).toBe(404);
    expect(unknownLang.text).toContain('<html lang="ru"');
    expect(unknownLang.text).toContain('Страница не найдена');
    expect((await get('/en/stories/%2e%2e')).status).toBe(404);
    expect((await get('/en/sections/BAD%00/')).status).toBe(404);
  });

  it('a damaged cursor is a 400 page in the page language', async () => {
    for (const bad of [
      'bad!',
      'eyJzIjoiYSJ9',
      'e30',
      Buffer.from('{"s":1,"i":"<x>"}').toString('base64url'),
    ]) {
      const res = await get(`/ru/news/?after=${bad}`);
      expect(res.status).toBe(400);
      expect(res.text).toContain('Ссылка на страницу списка повреждена');
    }
    expect((await get('/ru/news/?after=a&after=b')).status).toBe(400);
  });
});

describe('caching', () => {
  it('pages carry an ETag and answer 304 to If-None-Match', async () => {
    const first = await get(`/ru/news/${both.slugs.ru}`);
    expect(first.headers.etag).toMatch(/^"/);
    const again = await get(`/ru/news/${both.slugs.ru}`).set('If-None-Match', first.headers.etag);
    expect(again.status).toBe(304);
    for (const path of ['/ru/', '/ru/news/', '/ru/sections/statements/', '/ru/search?q=текст']) {
      const page = await get(path);
      expect(page.status).toBe(200);
      expect((await get(path).set('If-None-Match', page.headers.etag)).status).toBe(304);
    }
  });

  it('an invalidation in one process empties the page cache of every other process (Redis pub/sub)', async () => {
    const other = await startTestRuntime({
      MONGODB_URI: rt.env.MONGODB_URI,
      REDIS_PREFIX: rt.env.REDIS_PREFIX,
    });
    try {
      await get('/ru/');
      expect(rt.ctx.pageCache.size).toBeGreaterThan(0);
      await other.ctx.pageCache.invalidateAll();
      await vi.waitFor(() => expect(rt.ctx.pageCache.size).toBe(0));
    } finally {
      await other.close();
    }
  });

  it('a change made through another web process is visible on the next request here', async () => {
    const other = await startTestRuntime({
      MONGODB_URI: rt.env.MONGODB_URI,
      REDIS_PREFIX: rt.env.REDIS_PREFIX,
      PUBLIC_URL: 'https://press.example.org',
    });
    try {
      const path = `/en/news/${both.slugs.en}`;
      const before = await get(path);
      expect((await get(path)).headers.etag).toBe(before.headers.etag); // served from the cache
      await updateRelease(other, `${both.storyId}.en`, { title: 'Retitled by the other process' });
      await vi.waitFor(async () => {
        const after = await get(path);
        expect(after.text).toContain('Retitled by the other process');
      });
      const again = await get(path).set('If-None-Match', before.headers.etag);
      expect(again.status).toBe(200);
    } finally {
      await other.close();
    }
  });
});
