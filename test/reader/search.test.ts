import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { highlight, htmlToText, snippet } from '../../src/search/normalize.js';
import { dropReadModel } from '../../src/redis/keys.js';
import { rebuildSearchIndex } from '../../src/search/search-index.js';
import { searchReleases } from '../../src/search/search-releases.js';
import { olderHref } from './html.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import { importStory, updateRelease } from './reader-fixtures.js';

describe('search text', () => {
  it('reads the text of sanitised HTML, block ends as line breaks', () => {
    expect(htmlToText('<p>a&amp;b&nbsp;c&#8212;d<br/>e</p>').replace(/\s+/g, ' ').trim()).toBe('a&b c—d e');
    expect(htmlToText('<p>Один</p><p>Два</p>').trim()).toMatch(/^Один\s*\n\s*Два$/);
  });
  it('highlights every inflected form of a query term, escaping everything else', () => {
    const terms = new Set(['бишкек', 'встреч']);
    expect(highlight('ru', 'Встречи в Бишкеке <b>', terms)).toBe(
      '<mark>Встречи</mark> в <mark>Бишкеке</mark> &#60;b&#62;',
    );
    expect(highlight('ru', 'Её приём', new Set(['ее']))).toBe('<mark>Её</mark> приём');
  });
  it('cuts a snippet around the match at word boundaries', () => {
    const text = `${'Слово '.repeat(60)}где прошла встреча министров. ${'Текст '.repeat(60)}`;
    const s = snippet('ru', text, new Set(['встреч']));
    expect(s).toMatch(/^… .*<mark>встреча<\/mark> министров.* …$/);
    expect(s.length).toBeLessThan(300);
    expect(snippet('ru', text, new Set(['париж']))).toBe('');
  });
});

let rt: TestRuntime;
beforeAll(async () => {
  rt = await startTestRuntime();
});
afterAll(async () => {
  await rt?.close();
});

describe('search', () => {
  it('finds releases case- and diacritics-insensitively, tolerant of ё/е, in one language only', async () => {
    const s = await importStory(rt, {
      versions: {
        ru: { title: 'Учёные обсудили ЁМКОСТЬ рынка', lead: 'Лид', body: '<p>Заседание в Бишкеке</p>' },
        en: {
          title: 'Scientists discussed market capacity',
          lead: 'Lead',
          body: '<p>Meeting in Bishkek</p>',
        },
      },
    });
    for (const q of ['учёные', 'УЧЕНЫЕ', 'емкость', 'бишкек заседание']) {
      const page = await searchReleases(rt.ctx, 'ru', q, {}, undefined, 10);
      expect(page.ids, q).toEqual([`${s.storyId}.ru`]);
    }
    expect((await searchReleases(rt.ctx, 'en', 'учёные', {}, undefined, 10)).ids).toEqual([]);
    expect((await searchReleases(rt.ctx, 'ru', 'бишкек париж', {}, undefined, 10)).ids).toEqual([]);
  });

  it('follows publishing: changed text is found, unpublished text is not', async () => {
    const s = await importStory(rt);
    await updateRelease(rt, `${s.storyId}.en`, { title: 'Quixotic zeppelin summit' });
    expect((await searchReleases(rt.ctx, 'en', 'zeppelin', {}, undefined, 10)).ids).toEqual([
      `${s.storyId}.en`,
    ]);
    await updateRelease(rt, `${s.storyId}.en`, { status: 'archived' });
    expect((await searchReleases(rt.ctx, 'en', 'zeppelin', {}, undefined, 10)).ids).toEqual([]);
  });

  it('rebuilds from MongoDB when Redis lost the index', async () => {
    const s = await importStory(rt, {
      versions: { ru: { title: 'Уникальныйтокен восстановления', body: '<p>x</p>' } },
    });
    expect(await dropReadModel(rt.ctx.redis, rt.ctx.keys, 'search')).toBeGreaterThan(0);
    expect((await searchReleases(rt.ctx, 'ru', 'уникальныйтокен', {}, undefined, 10)).ids).toEqual([]);
    await rebuildSearchIndex(rt.ctx);
    expect((await searchReleases(rt.ctx, 'ru', 'уникальныйтокен', {}, undefined, 10)).ids).toEqual([
      `${s.storyId}.ru`,
    ]);
  });

  it('the search page highlights matches and paginates with a cursor', async () => {
    for (let i = 0; i < 23; i++)
      await importStory(rt, {
        publishedAt: `2024-01-${String(i + 1).padStart(2, '0')}T10:00:00Z`,
        versions: {
          ru: { title: `Пагинация поиска номер ${i}`, lead: 'Поисковая пагинация', body: '<p>x</p>' },
        },
      });
    const seen: string[] = [];
    let url = '/ru/search?q=%D0%BF%D0%B0%D0%B3%D0%B8%D0%BD%D0%B0%D1%86%D0%B8%D1%8F'; // "пагинация"
    const first = await request(rt.app).get(url);
    expect(first.status).toBe(200);
    expect(first.text).toContain('<mark>Пагинация</mark> поиска номер 22');
    expect(first.text).toContain('найдено 23 материала');
    seen.push(...[...first.text.matchAll(/номер (\d+)/g)].map((m) => m[1]));
    url = olderHref(first.text)!;
    const next = await request(rt.app).get(url);
    expect(next.status).toBe(200);
    seen.push(...[...next.text.matchAll(/номер (\d+)/g)].map((m) => m[1]));
    expect(olderHref(next.text)).toBeUndefined();
    expect(seen).toEqual(Array.from({ length: 23 }, (_, i) => String(22 - i)));
  });

  it('answers an empty query with the form and a repeated q with 400', async () => {
    const empty = await request(rt.app).get('/en/search?q=');
    expect(empty.status).toBe(200);
    expect(empty.text).toContain('Enter one or more words.');
    expect((await request(rt.app).get('/en/search?q=a&q=b')).status).toBe(400);
  });
});

describe('search ranking, snippets and filters', () => {
  it('ranks title matches above body matches, newer first among equals', async () => {
    const mk = (title: string, body: string, day: number) =>
      importStory(rt, {
        publishedAt: `2023-03-${String(day).padStart(2, '0')}T10:00:00Z`,
        versions: { ru: { title, lead: '', body: `<p>${body}</p>` } },
      });
    const oldTitle = await mk('Ранжирование: встречи глав', 'Текст.', 1);
    const newBody = await mk('Другое событие', 'Прошла встреча глав по ранжированию.', 9);
    const newTitle = await mk('Встреча по ранжированию', 'Текст.', 5);
    const page = await searchReleases(rt.ctx, 'ru', 'ранжирование встреча', {}, undefined, 10);
    expect(page.ids).toEqual([`${newTitle.storyId}.ru`, `${oldTitle.storyId}.ru`, `${newBody.storyId}.ru`]);
  });

  it('filters by section and by dates in the site time zone', async () => {
    const a = await importStory(rt, {
      section: 'fltr-a',
      publishedAt: '2022-05-31T21:30:00Z', // 1 June, 00:30 in Moscow
      versions: { ru: { title: 'Фильтруемый выпуск один', body: '<p>x</p>' } },
    });
    const b = await importStory(rt, {
      section: 'fltr-b',
      publishedAt: '2022-06-02T09:00:00Z',
      versions: { ru: { title: 'Фильтруемый выпуск два', body: '<p>x</p>' } },
    });
    const ids = async (filters: Parameters<typeof searchReleases>[3]) =>
      (await searchReleases(rt.ctx, 'ru', 'фильтруемый', filters, undefined, 10)).ids;
    expect(await ids({})).toEqual([`${b.storyId}.ru`, `${a.storyId}.ru`]);
    expect(await ids({ section: 'fltr-a' })).toEqual([`${a.storyId}.ru`]);
    const june1 = await request(rt.app)
      .get('/ru/search')
      .query({ q: 'фильтруемый', from: '2022-06-01', to: '2022-06-01' });
    expect(june1.status).toBe(200);
    expect(june1.text).toContain('выпуск один');
    expect(june1.text).not.toContain('выпуск два');
    const bad = await request(rt.app).get('/ru/search').query({ q: 'x', from: '2022-02-30' });
    expect(bad.status).toBe(400);
    const badSection = await request(rt.app).get('/ru/search').query({ q: 'x', section: '../x' });
    expect(badSection.status).toBe(400);
  });

  it('shows a highlighted snippet of the body around the match', async () => {
    await importStory(rt, {
      versions: {
        ru: {
          title: 'Итоги года',
          lead: '',
          body: `<p>${'Вступление. '.repeat(40)}</p><p>Генеральный секретарь Сниппетов провёл встречу с делегацией.</p>`,
        },
      },
    });
    const res = await request(rt.app).get('/ru/search').query({ q: 'Сниппетова' });
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/<p class="snippet">… .*<mark>Сниппетов<\/mark> провёл встречу/);
  });
});
