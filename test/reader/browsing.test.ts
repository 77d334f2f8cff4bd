import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setStoryContact } from '../../src/commands/set-story-contact.js';
import { inputFromRelease, writeRelease } from '../../src/commands/write-release.js';
import { Release, type ReleaseDoc } from '../../src/models/release.js';
import { Story, type StoryDoc } from '../../src/models/story.js';
import type { Actor } from '../../src/policies/actor.js';
import { buildImportStory } from '../support/factories.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import { olderHref, unescapeAttr } from './html.js';
import { importFixture, importStory, updateRelease } from './reader-fixtures.js';

let rt: TestRuntime;
let base: string;
type Imported = Awaited<ReturnType<typeof importStory>>;
const s: Record<string, Imported> = {};
const editor: Actor = { id: 'editor-1', name: 'Editor', roles: ['editor'], pairs: [] };

/** A story in ru and en with these tags, section and publication time. */
const story = (tags: string[], publishedAt: string, section = 'news', extra = {}) =>
  buildImportStory({ tags, publishedAt, section, ...extra });

beforeAll(async () => {
  rt = await startTestRuntime();
  base = rt.ctx.config.publicUrl;
  s.one = await importStory(
    rt,
    story(['counter-terrorism', 'Бишкек'], '2024-05-10T09:00:00Z', 'news', {
      contact: {
        name: 'Vladimir Zainetdinov',
        role: 'Press secretary',
        phone: '+7 (495) 621-00-00',
        email: 'odkb-pressa@gov.ru',
      },
    }),
  );
  s.two = await importStory(rt, story(['counter-terrorism'], '2024-05-20T09:00:00Z'));
  s.three = await importStory(rt, story(['counter-terrorism', 'Бишкек'], '2024-06-05T09:00:00Z'));
  s.four = await importStory(rt, story(['other'], '2024-06-06T09:00:00Z', 'statements'));
  const ruOnly = story(['counter-terrorism'], '2024-06-07T09:00:00Z');
  delete ruOnly.versions.en;
  s.five = await importStory(rt, ruOnly);
});
afterAll(async () => {
  await rt?.close();
});

const get = async (path: string, status = 200) => (await request(rt.app).get(path).expect(status)).text;
const article = (x: Imported, lang = 'ru') => `/${lang}/news/${x.slugs[lang]}`;
const titles = (html: string) =>
  [...html.matchAll(/class="release-title"><a href="[^"]+">([^<]+)</g)].map((m) => m[1]);
const title = (x: Imported, lang = 'ru') => x.story.versions[lang].title;
/** Whether a page is cached in this process and in the shared store. */
const cached = async (path: string) =>
  !!rt.ctx.pageCache.get(`${path}#`) && (await rt.ctx.pageCache.isStored(path));
const warm = async (...paths: string[]) => {
  for (const p of paths) await get(p);
  for (const p of paths) expect(await cached(p), p).toBe(true);
};

describe('the press contact', () => {
  it('is printed under the story in every language: name, role, telephone and e-mail links', async () => {
    for (const lang of ['ru', 'en']) {
      const html = await get(article(s.one, lang));
      const contact = html.slice(html.indexOf('class="press-contact"'));
      expect(contact).toContain('<span class="contact-name">Vladimir Zainetdinov</span>');
      expect(contact).toContain('<span class="contact-role">Press secretary</span>');
      expect(contact).toContain('<a href="tel:+74956210000" class="contact-phone">+7 (495) 621-00-00</a>');
      expect(contact).toContain(
        '<a href="mailto:odkb-pressa@gov.ru" class="contact-email">odkb-pressa@gov.ru</a>',
      );
      expect(html.indexOf('class="press-contact"')).toBeGreaterThan(html.indexOf('class="body"'));
    }
    expect(await get(article(s.one, 'en'))).toContain('Press contact');
    expect(await get(article(s.two))).not.toContain('press-contact');
  });

  it('set in the desk, reaches every version at once; emptied, it goes', async () => {
    await warm(article(s.two), article(s.two, 'en'), article(s.four));
    await setStoryContact(rt.ctx, editor, s.two.storyId, {
      name: 'Пресс-служба',
      phone: '+996 312 66-00-00',
    });
    expect(await cached(article(s.two))).toBe(false);
    expect(await cached(article(s.four))).toBe(true);
    const en = await get(article(s.two, 'en'));
    expect(en).toContain('<span class="contact-name">Пресс-служба</span>');
    expect(en).toContain('href="tel:+996312660000"');
    expect(en).not.toContain('mailto:odkb');

    await setStoryContact(rt.ctx, editor, s.two.storyId, { name: '', phone: '' });
    expect((await Story.findById(s.two.storyId).lean<StoryDoc>())?.contact ?? undefined).toBeUndefined();
    expect(await get(article(s.two))).not.toContain('press-contact');
    await rt.relay.drain();
  });

  it('refuses a telephone or e-mail that is not one, and changes nothing', async () => {
    await expect(setStoryContact(rt.ctx, editor, s.one.storyId, { phone: 'call me' })).rejects.toThrow();
    await expect(setStoryContact(rt.ctx, editor, s.one.storyId, { email: 'nobody' })).rejects.toThrow();
    expect((await Story.findById(s.one.storyId).lean<StoryDoc>())?.contact?.phone).toBe('+7 (495) 621-00-00');
  });
});

describe('tags', () => {
  it('are shown on the article and link to their page in its language', async () => {
    const html = await get(article(s.one));
    expect(html).toContain('<a href="/ru/tags/counter-terrorism/" rel="tag">counter-terrorism</a>');
    expect(html).toContain('<a href="/ru/tags/bishkek/" rel="tag">Бишкек</a>');
    expect(await get(article(s.one, 'en'))).toContain('href="/en/tags/bishkek/"');
  });

  it('a tag page lists its releases of the language, newest first, with alternates where it exists', async () => {
    const ru = await get('/ru/tags/counter-terrorism/');
    expect(ru).toContain('<h1>Тема: counter-terrorism</h1>');
    expect(titles(ru)).toEqual([title(s.five), title(s.three), title(s.two), title(s.one)]);
    const en = await get('/en/tags/counter-terrorism/');
    expect(titles(en)).toEqual([title(s.three, 'en'), title(s.two, 'en'), title(s.one, 'en')]);
    expect(ru).toContain(`<link rel="alternate" hreflang="en" href="${base}/en/tags/counter-terrorism/">`);
    expect(ru).not.toContain('<link rel="alternate" hreflang="kk"');
    await get('/kk/tags/counter-terrorism/', 404);
    await get('/ru/tags/no-such-tag/', 404);
    await get('/ru/tags/Not_A_Slug/', 404);
    expect((await request(rt.app).get('/ru/tags/bishkek').expect(301)).headers.location).toBe(
      '/ru/tags/bishkek/',
    );
  });

  it('a publication with the tag drops that tag page and no other', async () => {
    await warm('/ru/tags/counter-terrorism/', '/ru/tags/other/', '/en/tags/counter-terrorism/');
    const added = await importStory(rt, story(['counter-terrorism'], '2024-07-01T09:00:00Z', 'statements'));
    expect(await cached('/ru/tags/counter-terrorism/')).toBe(false);
    expect(await cached('/ru/tags/other/')).toBe(true);
    expect(titles(await get('/ru/tags/counter-terrorism/'))[0]).toBe(title(added));
    // A tag taken off the story takes it off the tag page.
    await warm('/ru/tags/counter-terrorism/');
    const r = await Release.findById(`${added.storyId}.ru`).lean<ReleaseDoc>();
    await writeRelease(
      { ...inputFromRelease(r!), tags: ['other'], title: `${title(added)} (правка)` },
      rt.ctx,
    );
    expect(await cached('/ru/tags/counter-terrorism/')).toBe(false);
    expect(titles(await get('/ru/tags/counter-terrorism/'))).not.toContain(`${title(added)} (правка)`);
    expect(titles(await get('/ru/tags/other/'))).toContain(`${title(added)} (правка)`);
  });
});

describe('related stories', () => {
  it('are earlier stories of the same language sharing tags, then section; never the story itself', async () => {
    const ru = await get(article(s.three));
    const related = ru.slice(ru.indexOf('class="related"'));
    expect(titles(related)).toEqual([title(s.one), title(s.two)]);
    const en = await get(article(s.three, 'en'));
    expect(titles(en.slice(en.indexOf('class="related"')))).toEqual([title(s.one, 'en'), title(s.two, 'en')]);
    // The first story of its tags and section has nothing earlier to show.
    expect(await get(article(s.one))).not.toContain('class="related"');
  });

  it('a back-dated story drops the later articles that may now show it, and not the others', async () => {
    await warm(article(s.three), article(s.four), article(s.one));
    const older = await importStory(rt, story(['Бишкек'], '2024-06-01T09:00:00Z'));
    expect(await cached(article(s.three))).toBe(false);
    expect(await cached(article(s.four))).toBe(true);
    expect(await cached(article(s.one))).toBe(true);
    const ru = await get(article(s.three));
    expect(titles(ru.slice(ru.indexOf('class="related"')))).toEqual([
      title(s.one),
      title(older),
      title(s.two),
    ]);
  });

  it('an edit of a related story drops the articles showing it', async () => {
    await warm(article(s.three), article(s.four));
    await updateRelease(rt, `${s.two.storyId}.ru`, { title: 'Новый заголовок второго материала' });
    expect(await cached(article(s.three))).toBe(false);
    expect(await cached(article(s.four))).toBe(true);
    expect(await get(article(s.three))).toContain('Новый заголовок второго материала');
  });

  it('an edit of a story drops the articles showing it, not the articles showing those', async () => {
    // Seven stories on one list, a day apart: each shows the four before it, chosen from five.
    const chain: Imported[] = [];
    for (let day = 1; day <= 7; day++)
      chain.push(await importStory(rt, story(['chain'], `2023-01-0${day}T09:00:00Z`, 'chain')));
    const [first, second, , , fifth, sixth, seventh] = chain;
    expect(titles(await get(article(fifth)))).toContain(title(first));
    expect(titles(await get(article(seventh)))).not.toContain(title(first));
    await warm(article(second), article(fifth), article(sixth), article(seventh), article(fifth, 'en'));
    await updateRelease(rt, `${first.storyId}.ru`, { title: 'Первый в цепочке, правка' });
    expect(await cached(article(second))).toBe(false);
    expect(await cached(article(fifth))).toBe(false);
    // The sixth chose from the first to the fifth but shows the second to the fifth: a new
    // title of the first changes nothing on it. The seventh never read the first.
    expect(await cached(article(sixth))).toBe(true);
    expect(await cached(article(seventh))).toBe(true);
    // The English fifth shows the English first, which did not change.
    expect(await cached(article(fifth, 'en'))).toBe(true);
    expect(await get(article(fifth))).toContain('Первый в цепочке, правка');
    expect(await get(article(sixth))).not.toContain('Первый в цепочке, правка');
  });

  it('a story that moves on its lists drops the articles that chose among it, shown or not', async () => {
    const chain: Imported[] = [];
    for (let day = 1; day <= 7; day++)
      chain.push(await importStory(rt, story(['moving'], `2023-02-0${day}T09:00:00Z`, 'moving')));
    const [first, , , , fifth, sixth, seventh] = chain;
    await warm(article(fifth), article(sixth), article(seventh));
    // The first leaves the tag list (it stays in its section): the sixth's choice may change.
    const r = await Release.findById(`${first.storyId}.ru`).lean<ReleaseDoc>();
    await writeRelease({ ...inputFromRelease(r!), tags: ['elsewhere'] }, rt.ctx);
    await rt.relay.drain();
    expect(await cached(article(fifth))).toBe(false);
    expect(await cached(article(sixth))).toBe(false);
    expect(await cached(article(seventh))).toBe(true);
  });
});

describe('share links', () => {
  it('are plain links with the canonical URL and title; the copy button waits for the script', async () => {
    const html = await get(article(s.one, 'en'));
    const url = encodeURIComponent(`${base}${article(s.one, 'en')}`);
    const t = encodeURIComponent(title(s.one, 'en'));
    const share = unescapeAttr(html.slice(html.indexOf('class="share"')));
    expect(share).toContain(`href="https://t.me/share/url?url=${url}&text=${t}"`);
    expect(share).toContain(`href="https://vk.com/share.php?url=${url}&title=${t}"`);
    expect(share).toContain('href="https://wa.me/?text=');
    expect(share).toContain(`href="mailto:?subject=${t}&body=${url}"`);
    expect(share).toMatch(/<li hidden><button type="button" class="share-copy" data-copy-url="[^"]+"/);
    // No script from anywhere else: only our own bundle, as the CSP allows.
    expect([...html.matchAll(/<script[^>]*src="([^"]+)"/g)].map((m) => m[1])).toEqual([
      expect.stringMatching(/^\/assets\/share-[A-Z0-9]+\.js$/i),
    ]);
  });
});

describe('listing pages', () => {
  let paged: string[];
  beforeAll(async () => {
    // 45 releases, two to a minute (ties on the publication time).
    const ids = await importFixture(
      rt,
      Array.from({ length: 45 }, (_, i) =>
        story(['paged'], new Date(Date.UTC(2023, 2, 1, 10, Math.floor(i / 2))).toISOString(), 'paged'),
      ),
    );
    paged = ids;
  });

  it('link to the first, the newer and the older page; walking back meets the same pages', async () => {
    const forward: { url: string; items: string[] }[] = [];
    let url: string | undefined = '/en/sections/paged/';
    while (url) {
      const html = await get(url);
      forward.push({ url, items: titles(html) });
      url = olderHref(html);
    }
    expect(forward.map((p) => p.items.length)).toEqual([20, 20, 5]);
    expect(new Set(forward.flatMap((p) => p.items)).size).toBe(paged.length);

    const last = await get(forward[2].url);
    expect(last).toContain('href="/en/sections/paged/">Back to the newest');
    const newer = (html: string) => unescapeAttr(html.match(/href="([^"]+)" rel="prev"/)?.[1] ?? '');
    const second = newer(last);
    expect(second).toMatch(/^\/en\/sections\/paged\/\?before=/);
    const secondHtml = await get(second);
    expect(titles(secondHtml)).toEqual(forward[1].items);
    expect(newer(secondHtml)).toBe('/en/sections/paged/');
    // A later page is its own canonical, without hreflang.
    expect(unescapeAttr(secondHtml)).toContain(`<link rel="canonical" href="${base}${second}">`);
    expect(secondHtml).not.toContain('hreflang="ru" href');
    expect(await get('/en/sections/paged/')).not.toContain('rel="prev"');
  });

  it('refuse after and before together, and a damaged before', async () => {
    const html = await get('/en/sections/paged/');
    const older = olderHref(html)!;
    const cursor = older.split('after=')[1];
    await get(`/en/sections/paged/?after=${cursor}&before=${cursor}`, 400);
    await get('/en/sections/paged/?before=broken', 400);
  });
});

describe('the date archive', () => {
  it('lists the months that have releases, with counts, and links to each', async () => {
    const html = await get('/ru/archive/');
    expect(html).toContain('<h1>Архив по месяцам</h1>');
    expect(html).toContain('href="/ru/news/2024/05/"');
    expect(html).toContain('href="/ru/news/2023/03/"');
    expect(html).not.toContain('href="/ru/news/2023/04/"');
    expect(html.indexOf('/ru/news/2024/06/')).toBeLessThan(html.indexOf('/ru/news/2024/05/'));
    expect(await get('/ru/news/')).toContain('href="/ru/archive/"');
  });

  it("a month's page lists that month in the newsroom's zone, paged, and 404s for empty or bad months", async () => {
    const may = await get('/ru/news/2024/05/');
    expect(titles(may).sort()).toEqual([title(s.one), 'Новый заголовок второго материала'].sort());
    expect(may).toContain(`<link rel="alternate" hreflang="en" href="${base}/en/news/2024/05/">`);
    // 22:30 UTC on 30 June is 1 July in Moscow.
    const late = await importStory(rt, story(['late'], '2024-06-30T22:30:00Z'));
    expect(titles(await get('/ru/news/2024/07/'))).toContain(title(late));
    expect(titles(await get('/ru/news/2024/06/'))).not.toContain(title(late));
    await get('/ru/news/2024/13/', 404);
    await get('/ru/news/1999/01/', 404);
    await get('/kk/news/2024/05/', 404);
    const march = await get('/en/news/2023/03/');
    expect(titles(march)).toHaveLength(20);
    expect(olderHref(march)).toMatch(/^\/en\/news\/2023\/03\/\?after=/);
  });

  it('a publication drops its own month and not the others', async () => {
    await warm('/ru/news/2024/05/', '/ru/news/2023/03/');
    await importStory(rt, story(['may'], '2024-05-25T09:00:00Z'));
    expect(await cached('/ru/news/2024/05/')).toBe(false);
    expect(await cached('/ru/news/2023/03/')).toBe(true);
  });
});
