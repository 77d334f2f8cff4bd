import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertWellFormedXml } from '../feeds/support.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import { importStory } from './reader-fixtures.js';

/**
 * Structured data as search engines read it: every JSON-LD block parsed, its types and
 * property names checked against the schema.org vocabulary they belong to, and the
 * properties Google's article guidelines require present; the Google News sitemap.
 */
const THING = [
  '@context',
  '@id',
  '@type',
  'name',
  'url',
  'description',
  'image',
  'mainEntityOfPage',
  'potentialAction',
];
const CREATIVE_WORK = [
  ...THING,
  'headline',
  'datePublished',
  'dateModified',
  'author',
  'publisher',
  'inLanguage',
  'isAccessibleForFree',
  'keywords',
  'translationOfWork',
  'workTranslation',
];
/** schema.org types we emit and the properties each may carry (from its type hierarchy). */
const VOCABULARY: Record<string, string[]> = {
  NewsArticle: [...CREATIVE_WORK, 'articleSection'],
  WebPage: [...CREATIVE_WORK],
  WebSite: [...CREATIVE_WORK],
  Organization: [...THING, 'logo'],
  ImageObject: [...CREATIVE_WORK, 'width', 'height', 'contentUrl', 'caption'],
  BreadcrumbList: [...THING, 'itemListElement'],
  ListItem: [...THING, 'position', 'item'],
  SearchAction: [...THING, 'target', 'query-input'],
  EntryPoint: [...THING, 'urlTemplate'],
};

function checkVocabulary(node: unknown, where: string): void {
  if (Array.isArray(node)) return node.forEach((n, i) => checkVocabulary(n, `${where}[${i}]`));
  if (!node || typeof node !== 'object') return;
  const obj = node as Record<string, unknown>;
  if ('@graph' in obj) return checkVocabulary(obj['@graph'], `${where}.@graph`);
  if (typeof obj['@type'] === 'string') {
    const allowed = VOCABULARY[obj['@type']];
    expect(allowed, `${where}: unknown type ${obj['@type']}`).toBeDefined();
    for (const key of Object.keys(obj)) expect(allowed, `${where}: ${obj['@type']}.${key}`).toContain(key);
  }
  for (const [key, value] of Object.entries(obj))
    if (typeof value === 'object') checkVocabulary(value, `${where}.${key}`);
}

const jsonLd = (html: string) =>
  [...html.matchAll(/<script type="application\/ld\+json">(.*?)<\/script>/gs)].map((m) => JSON.parse(m[1]));
const meta = (html: string, property: string) =>
  [...html.matchAll(new RegExp(`<meta property="${property}" content="([^"]*)">`, 'g'))].map((m) => m[1]);
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

let rt: TestRuntime;
let base: string;
let story: Awaited<ReturnType<typeof importStory>>;
beforeAll(async () => {
  rt = await startTestRuntime();
  base = rt.ctx.config.publicUrl;
  story = await importStory(rt, {
    publishedAt: new Date(Date.now() - 3600_000).toISOString(),
    tags: ['минск'],
    versions: {
      ru: {
        title: 'Структура </script> данных',
        lead: 'Лид',
        body: '<p>Текст <img src="/media/x.png" alt="x"></p>',
      },
      en: { title: 'Structured data', lead: 'Lead', body: '<p>Text</p>' },
    },
  });
});
afterAll(async () => {
  await rt?.close();
});

describe('JSON-LD', () => {
  it('an original carries a NewsArticle with its translations and a BreadcrumbList', async () => {
    const html = (await request(rt.app).get(`/ru/news/${story.slugs.ru}`).expect(200)).text;
    const blocks = jsonLd(html);
    checkVocabulary(blocks, 'ru');
    const article = blocks.find((b) => b['@type'] === 'NewsArticle');
    const url = `${base}/ru/news/${story.slugs.ru}`;
    expect(article).toMatchObject({
      '@context': 'https://schema.org',
      url,
      headline: 'Структура </script> данных',
      description: 'Лид',
      inLanguage: 'ru',
      isAccessibleForFree: true,
      keywords: 'минск',
      image: [{ '@type': 'ImageObject', url: `${base}/media/x.png` }],
      author: [{ '@type': 'Organization' }],
      publisher: { '@type': 'Organization', logo: { '@type': 'ImageObject' } },
      workTranslation: [
        { '@type': 'NewsArticle', inLanguage: 'en', url: `${base}/en/news/${story.slugs.en}` },
      ],
    });
    expect(article.datePublished).toMatch(ISO);
    expect(Date.parse(article.dateModified)).toBeGreaterThanOrEqual(Date.parse(article.datePublished));
    expect(article.translationOfWork).toBeUndefined();
    expect(html).not.toContain('Структура </script> данных</script>'); // escaped as \u003c
    const crumbs = blocks.find((b) => b['@type'] === 'BreadcrumbList');
    expect(
      crumbs.itemListElement.map((i: { position: number; item: string }) => [i.position, i.item]),
    ).toEqual([
      [1, `${base}/ru/`],
      [2, `${base}/ru/sections/news/`],
      [3, url],
    ]);
    expect(meta(html, 'article:published_time')).toEqual([article.datePublished]);
    expect(meta(html, 'article:modified_time')).toEqual([article.dateModified]);
    expect(meta(html, 'article:tag')).toEqual(['минск']);
    expect(meta(html, 'og:locale')).toEqual(['ru_RU']);
  });

  it('a translation points at its original', async () => {
    const html = (await request(rt.app).get(`/en/news/${story.slugs.en}`).expect(200)).text;
    const blocks = jsonLd(html);
    checkVocabulary(blocks, 'en');
    const article = blocks.find((b) => b['@type'] === 'NewsArticle');
    expect(article.translationOfWork).toMatchObject({
      '@type': 'NewsArticle',
      '@id': `${base}/ru/news/${story.slugs.ru}#article`,
      inLanguage: 'ru',
    });
    expect(article.workTranslation).toBeUndefined();
    expect(article.image[0].url).toBe(`${base}/feeds/logo.png`); // no picture: the publisher's logo
  });

  it('home pages describe the Organization and the WebSite with its search', async () => {
    const blocks = jsonLd((await request(rt.app).get('/kk/').expect(200)).text);
    checkVocabulary(blocks, 'home');
    const graph = blocks[0]['@graph'];
    expect(graph.find((n: { '@type': string }) => n['@type'] === 'Organization')).toMatchObject({
      name: expect.any(String),
      url: `${base}/kk/`,
      logo: { '@type': 'ImageObject', url: `${base}/feeds/logo.png` },
    });
    expect(
      graph.find((n: { '@type': string }) => n['@type'] === 'WebSite').potentialAction.target.urlTemplate,
    ).toBe(`${base}/kk/search?q={q}`);
  });
});

describe('Google News sitemap', () => {
  it('lists only the last two days of a language, with news:news', async () => {
    const old = await importStory(rt, {
      publishedAt: new Date(Date.now() - 3 * 24 * 3600_000).toISOString(),
      versions: { ru: { title: 'Старая новость', body: '<p>x</p>' } },
    });
    const res = await request(rt.app).get('/sitemaps/ru/news.xml').expect(200);
    assertWellFormedXml(res.text);
    expect(res.text).toContain('xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"');
    expect(res.text).toContain(`<loc>${base}/ru/news/${story.slugs.ru}</loc>`);
    expect(res.text).toContain('<news:language>ru</news:language>');
    expect(res.text).toMatch(/<news:publication_date>\d{4}-\d\d-\d\dT[^<]+Z<\/news:publication_date>/);
    expect(res.text).toContain('<news:title>Структура &lt;/script&gt; данных</news:title>');
    expect(res.text).not.toContain(old.slugs.ru);
    const robots = (await request(rt.app).get('/robots.txt').expect(200)).text;
    expect(robots).toContain(`Sitemap: ${base}/sitemaps/ru/news.xml`);
    // A language that has published nothing has no news sitemap to point crawlers at.
    expect(robots).not.toContain('/sitemaps/tg/news.xml');
  });
});
