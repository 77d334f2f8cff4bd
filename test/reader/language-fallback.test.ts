import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeRelease } from '../../src/commands/write-release.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import { importStory } from './reader-fixtures.js';

/**
 * A language with nothing published yet: its listings show the source language's newest
 * with a notice instead of an empty page, it is left out of every hreflang, and the switcher
 * leads to a page with something on it. When it gets its first release, the pages naming
 * languages follow (surrogate key `languages`), and only then.
 */
let rt: TestRuntime;
let base: string;
let story: Awaited<ReturnType<typeof importStory>>;

beforeAll(async () => {
  // Russian and English have releases; Kazakh, Armenian and the others have none.
  rt = await startTestRuntime();
  base = rt.ctx.config.publicUrl;
  story = await importStory(rt, { section: 'statements' });
});
afterAll(async () => {
  await rt?.close();
});

const get = (path: string) => request(rt.app).get(path);
const hreflangs = (html: string) =>
  [...html.matchAll(/<link rel="alternate" hreflang="([^"]+)"/g)].map((m) => m[1]).sort();
const isCached = async (path: string) =>
  !!rt.ctx.pageCache.get(`${path}#`) && (await rt.ctx.pageCache.isStored(path));

describe('a language with nothing published yet', () => {
  it.each(['/kk/', '/kk/news/', '/kk/sections/statements/'])(
    '%s shows the source language’s newest with the notice, not an empty page',
    async (path) => {
      const html = (await get(path).expect(200)).text;
      expect(html).toContain('<p class="notice notice-unavailable" role="note">');
      expect(html).toContain('Бұл тілде (қазақ тілі) әзірге материалдар жоқ');
      // The Russian title, marked as Russian, leading to the story in the reader's language.
      expect(html).toMatch(
        new RegExp(`lang="ru"><a href="/kk/stories/${story.storyId}">${story.story.versions.ru.title}</a>`),
      );
      expect(html).toContain('<meta name="robots" content="noindex">');
      expect(html).toContain(
        path.includes('sections') ? 'href="/ru/sections/statements/"' : 'href="/ru/news/"',
      );
      expect(html).not.toContain('Әзірге жарияланған материалдар жоқ.');
    },
  );

  it('the availability page its items lead to shows the original in Kazakh chrome', async () => {
    const html = (await get(`/kk/stories/${story.storyId}`).expect(200)).text;
    expect(html).toContain('<html lang="kk"');
    expect(html).toContain(story.story.versions.ru.title);
  });

  it('is left out of hreflang on pages and in the sitemap; the switcher still leads somewhere real', async () => {
    for (const path of ['/ru/', '/en/', '/ru/news/', '/en/feeds', '/ru/search?q=x']) {
      const html = (await get(path).expect(200)).text;
      expect(
        hreflangs(html).filter((l) => l !== 'x-default'),
        path,
      ).toEqual(['en', 'ru']);
    }
    const ruHome = (await get('/ru/').expect(200)).text;
    expect(ruHome).toContain('href="/language/kk?next&#x3D;%2Fkk%2F"');
    expect((await get('/language/kk?next=%2Fkk%2F').expect(302)).headers.location).toBe('/kk/');
    // The feeds page's switcher leads to the other language's feeds page, empty or not.
    expect((await get('/ru/feeds').expect(200)).text).toContain(
      'href="/language/kk?next&#x3D;%2Fkk%2Ffeeds"',
    );
    const sitemap = (await get('/sitemap.xml').expect(200)).text;
    expect(sitemap).toContain(`hreflang="en" href="${base}/en/news/${story.slugs.en}"`);
    expect(sitemap).not.toMatch(/hreflang="(kk|hy|be|ky|tg)"/);
  });

  it('its first release brings it into hreflang everywhere; a second one drops no other language’s pages', async () => {
    const watched = ['/ru/', '/en/news/', '/hy/', '/en/feeds'];
    for (const path of watched) await get(path).expect(200);
    for (const path of watched) expect(await isCached(path), path).toBe(true);

    await writeRelease(
      {
        storyId: story.storyId,
        lang: 'kk',
        title: 'Комитет отырысы',
        body: '<p>Отырыс 2019 жылғы 27 маусымда өтеді.</p>',
        status: 'published',
        section: 'statements',
        tags: [],
        translatedFrom: 'ru',
      },
      rt.ctx,
    );
    // Dropped before the write answered: every page naming languages, and no more.
    for (const path of watched) expect(await isCached(path), path).toBe(false);
    const ruHome = (await get('/ru/').expect(200)).text;
    expect(hreflangs(ruHome)).toContain('kk');
    const kkHome = (await get('/kk/').expect(200)).text;
    expect(kkHome).not.toContain('notice-unavailable');
    expect(kkHome).toContain('Комитет отырысы');
    expect(kkHome).not.toContain('<meta name="robots" content="noindex">');

    for (const path of watched) await get(path).expect(200);
    const second = await importStory(rt, {
      versions: {
        ru: { title: 'Второе заседание', body: '<p>Текст</p>' },
        kk: { title: 'Екінші отырыс', body: '<p>Мәтін</p>' },
      },
    });
    expect(second.slugs.kk).toBeTruthy();
    // Kazakh already had a release: English and Armenian pages stay cached.
    expect(await isCached('/en/news/')).toBe(true);
    expect(await isCached('/hy/')).toBe(false); // its fallback shows the Russian list, which changed
    expect(await isCached('/en/feeds')).toBe(true);
  });
});
