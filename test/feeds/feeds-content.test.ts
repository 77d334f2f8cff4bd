import { parseAtomFeed, parseJsonFeed, parseRssFeed } from 'feedsmith';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Release } from '../../src/models/release.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import { guidOf, parseTwice, publish } from './support.js';

let rt: TestRuntime;
let base: string;
const get = (path: string) => request(rt.app).get(path);

// Three Russian stories, two of them translated into English, plus a Russian draft.
const A = 'feedsstorya';
const B = 'feedsstoryb';
const C = 'feedsstoryc';
const D = 'feedsstoryd';

beforeAll(async () => {
  rt = await startTestRuntime();
  base = rt.ctx.config.publicUrl;
  const at = (day: number) => new Date(Date.UTC(2024, 6, day, 9, 0, 0));
  await publish(rt, {
    storyId: A,
    lang: 'ru',
    title: 'Первая новость',
    publishedAt: at(1),
    tags: ['бишкек'],
    body: '<p>Текст <a href="/ru/news/drugaya">ссылка</a> <img src="/media/photo.jpg" alt="фото"></p>',
  });
  await publish(rt, {
    storyId: B,
    lang: 'ru',
    title: 'Вторая новость',
    publishedAt: at(2),
    section: 'statements',
  });
  await publish(rt, { storyId: C, lang: 'ru', title: 'Третья новость', publishedAt: at(3) });
  await publish(rt, { storyId: D, lang: 'ru', title: 'Черновик', status: 'draft' });
  await publish(rt, {
    storyId: A,
    lang: 'en',
    title: 'First news',
    publishedAt: at(1),
    translatedFrom: 'ru',
  });
  await publish(rt, {
    storyId: B,
    lang: 'en',
    title: 'Second news',
    publishedAt: at(2),
    translatedFrom: 'ru',
    section: 'statements',
  });
});
afterAll(async () => {
  await rt?.close();
});

const FEEDS = [
  ['rss', 'rss.xml'],
  ['atom', 'atom.xml'],
  ['json', 'feed.json'],
] as const;

describe('feeds', () => {
  for (const [format, file] of FEEDS) {
    it(`${format}: two parsers read only that language, newest first, with absolute links`, async () => {
      for (const [lang, expected] of [
        ['ru', [C, B, A]],
        ['en', [B, A]],
      ] as const) {
        const res = await get(`/${lang}/${file}`).expect(200);
        for (const parsed of parseTwice(format, res.text)) {
          const ids = expected.map((s) => `${s}.${lang}`);
          expect(
            parsed.items.map((i) => i.id),
            parsed.parser,
          ).toEqual(ids.map(guidOf));
          const releases = await Promise.all(ids.map((id) => Release.findById(id).lean()));
          expect(
            parsed.items.map((i) => i.title),
            parsed.parser,
          ).toEqual(releases.map((r) => r!.title));
          expect(
            parsed.items.map((i) => i.link),
            parsed.parser,
          ).toEqual(releases.map((r) => `${base}/${lang}/news/${r!.slug}`));
        }
      }
    });
  }

  it('rss: channel carries language, self link, hub, lastBuildDate, ttl and image; items RFC 822 dates', async () => {
    const res = await get('/ru/rss.xml').expect(200);
    const feed = parseRssFeed(res.text);
    expect(feed.language).toBe('ru');
    expect(feed.link).toBe(`${base}/ru/`);
    expect(feed.title).toMatch(/Пресс-центр/);
    expect(feed.ttl).toBeGreaterThan(0);
    expect(feed.image?.url).toBe(`${base}/feeds/logo.png`);
    expect(feed.atom?.links).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ rel: 'self', href: `${base}/ru/rss.xml` }),
        expect.objectContaining({ rel: 'hub', href: `${base}/websub/hub` }),
      ]),
    );
    expect(feed.lastBuildDate).toMatch(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
    const first = feed.items!.at(-1)!;
    expect(first.pubDate).toBe('Mon, 01 Jul 2024 09:00:00 GMT');
    expect(first.description).toBe('Lead 1');
    expect(first.categories?.map((c) => c.name)).toEqual(['news', 'бишкек']);
    expect(first.dc?.creators).toEqual(['Пресс-центр']);
  });

  it('the body has every URL made absolute and its image as media:content', async () => {
    const rss = parseRssFeed((await get('/ru/rss.xml').expect(200)).text);
    const a = rss.items!.find((i) => i.guid?.value === guidOf(`${A}.ru`))!;
    expect(a.content?.encoded).toContain(`href="${base}/ru/news/drugaya"`);
    expect(a.content?.encoded).toContain(`src="${base}/media/photo.jpg"`);
    expect(a.media?.contents?.[0]).toMatchObject({ url: `${base}/media/photo.jpg`, medium: 'image' });
    const json = parseJsonFeed(JSON.parse((await get('/ru/feed.json').expect(200)).text));
    expect(json.items!.find((i) => i.id === guidOf(`${A}.ru`))!.image).toBe(`${base}/media/photo.jpg`);
  });

  it('each item links its other published language versions', async () => {
    const enA = await Release.findById(`${A}.en`).lean();
    const ruA = await Release.findById(`${A}.ru`).lean();
    const rss = parseRssFeed((await get('/ru/rss.xml').expect(200)).text);
    const item = rss.items!.find((i) => i.guid?.value === guidOf(`${A}.ru`))!;
    // Translations are rel="related": feedparser takes the last rel="alternate" as the item link.
    expect(item.atom?.links).toEqual([
      expect.objectContaining({ rel: 'related', hreflang: 'en', href: `${base}/en/news/${enA!.slug}` }),
    ]);
    const rssC = rss.items!.find((i) => i.guid?.value === guidOf(`${C}.ru`))!;
    expect(rssC.atom?.links ?? []).toEqual([]); // no translation published
    const atom = parseAtomFeed((await get('/en/atom.xml').expect(200)).text);
    const entry = atom.entries!.find((e) => e.id === guidOf(`${A}.en`))!;
    expect(entry.links).toEqual([
      expect.objectContaining({ rel: 'alternate', hreflang: 'en', href: `${base}/en/news/${enA!.slug}` }),
      expect.objectContaining({ rel: 'related', hreflang: 'ru', href: `${base}/ru/news/${ruA!.slug}` }),
    ]);
    const json = JSON.parse((await get('/en/feed.json').expect(200)).text);
    const jItem = json.items.find((i: { id: string }) => i.id === guidOf(`${A}.en`));
    expect(jItem.language).toBe('en');
    expect(jItem._newsroom.translations).toEqual([
      expect.objectContaining({ lang: 'ru', url: `${base}/ru/news/${ruA!.slug}` }),
    ]);
  });

  it('section feeds hold only that section of that language', async () => {
    for (const [format, file] of FEEDS) {
      const res = await get(`/ru/sections/statements/${file}`).expect(200);
      for (const parsed of parseTwice(format, res.text)) {
        expect(parsed.items.map((i) => i.id)).toEqual([guidOf(`${B}.ru`)]);
      }
    }
    await get('/ru/sections/no-such-section/rss.xml').expect(404);
    await get('/ru/sections/Bad..Name/rss.xml').expect(404);
  });

  it('?limit= takes 1 to 200 and answers 400 otherwise', async () => {
    const two = parseRssFeed((await get('/ru/rss.xml?limit=2').expect(200)).text);
    expect(two.items!.map((i) => i.guid?.value)).toEqual([guidOf(`${C}.ru`), guidOf(`${B}.ru`)]);
    await get('/ru/rss.xml?limit=200').expect(200);
    for (const bad of ['0', '201', 'abc', '1.5', '-1', '']) {
      const res = await get(`/ru/feed.json?limit=${bad}`).set('Accept', 'application/json').expect(400);
      expect(res.body.error.code).toBe('invalid_limit');
      expect(res.body.error.message).toMatch(/1 to 200/);
    }
  });

  it('a summary taken from the body is text: its entities decoded, escaped once by the feed', async () => {
    await publish(rt, {
      storyId: 'feedsstoryamp',
      lang: 'kk',
      title: 'Жетекшісіз',
      lead: '',
      body: '<p>AT&amp;T &amp; «Қазақтелеком» &lt;серіктестер&gt;</p>',
    });
    const rss = parseRssFeed((await get('/kk/rss.xml').expect(200)).text);
    expect(rss.items?.[0].description).toBe('AT&T & «Қазақтелеком» <серіктестер>');
    const json = JSON.parse((await get('/kk/feed.json').expect(200)).text);
    expect(json.items[0].summary).toBe('AT&T & «Қазақтелеком» <серіктестер>');
  });

  it('an unknown language is a 404, not a feed', async () => {
    await get('/xx/rss.xml').expect(404);
  });
});

describe('feeds across edits', () => {
  it('an edit keeps the guid, moves the link to the new slug and is marked as a correction', async () => {
    const before = await Release.findById(`${B}.en`).lean();
    await publish(rt, {
      storyId: B,
      lang: 'en',
      title: 'Second news, corrected',
      slug: 'second-news-corrected',
      body: '<p>Corrected body</p>',
      lead: 'Corrected lead',
      section: 'statements',
      translatedFrom: 'ru',
      expectedRevision: before!.revision,
      change: { kind: 'correction', note: 'The date was wrong.' },
    });
    const rss = parseRssFeed((await get('/en/rss.xml').expect(200)).text);
    const item = rss.items!.find((i) => i.guid?.value === guidOf(`${B}.en`))!;
    expect(item.title).toBe('Second news, corrected');
    expect(item.link).toBe(`${base}/en/news/second-news-corrected`);
    expect(item.pubDate).toBe('Tue, 02 Jul 2024 09:00:00 GMT'); // still the original publication
    expect(item.description).toMatch(/^Corrected on .+: The date was wrong\. Corrected lead$/);
    expect(rss.items).toHaveLength(2); // not a new story

    const atom = parseAtomFeed((await get('/en/atom.xml').expect(200)).text);
    const entry = atom.entries!.find((e) => e.id === guidOf(`${B}.en`))!;
    expect(entry.published).toBe('2024-07-02T09:00:00.000Z');
    expect(Date.parse(entry.updated!)).toBeGreaterThan(Date.parse(entry.published!));
    const json = JSON.parse((await get('/en/feed.json').expect(200)).text);
    const jItem = json.items.find((i: { id: string }) => i.id === guidOf(`${B}.en`));
    expect(jItem._newsroom.corrected).toBe(true);
    expect(Date.parse(jItem.date_modified)).toBeGreaterThan(Date.parse(jItem.date_published));
  });

  it('an unpublished release leaves every feed of its language', async () => {
    const c = await Release.findById(`${C}.ru`).lean();
    await publish(rt, { storyId: C, lang: 'ru', title: c!.title, status: 'draft' });
    for (const [format, file] of FEEDS) {
      const res = await get(`/ru/${file}`).expect(200);
      for (const parsed of parseTwice(format, res.text)) {
        expect(parsed.items.map((i) => i.id)).not.toContain(guidOf(`${C}.ru`));
        expect(parsed.items).toHaveLength(2);
      }
    }
  });
});
