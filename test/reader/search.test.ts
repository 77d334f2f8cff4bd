import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { highlight, htmlToText, tokenize } from '../../src/search/normalize.js';
import { rebuildSearchIndex, searchKeys } from '../../src/search/search-index.js';
import { searchReleases } from '../../src/search/search-releases.js';
import { olderHref } from './html.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import { importStory, updateRelease } from './reader-fixtures.js';

describe('search normalisation', () => {
  it('folds case, diacritics and ё/е, and splits on non-letters', () => {
    expect(tokenize('Ёлка, ЁЖ и Café — 2019-го!')).toEqual(['елка', 'еж', 'и', 'cafe', '2019', 'го']);
    expect(tokenize('Մամուլի ԿԵՆՏՐՈՆ')).toEqual(['մամուլի', 'կենտրոն']);
    expect(tokenize('Қазақстан')).toEqual(['қазақстан']);
  });
  it('reads the text of sanitised HTML', () => {
    expect(htmlToText('<p>a&amp;b&nbsp;c&#8212;d<br/>e</p>').replace(/\s+/g, ' ').trim()).toBe('a&b c—d e');
  });
  it('highlights words that start with a query term, escaping everything else', () => {
    expect(highlight('Встреча в Бишкеке <b>', ['бишкек'])).toBe('Встреча в <mark>Бишкеке</mark> &#60;b&#62;');
    expect(highlight('Её приём', ['ее'])).toBe('<mark>Её</mark> приём');
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
      const page = await searchReleases(rt.ctx, 'ru', q, undefined, 10);
      expect(page.ids, q).toEqual([`${s.storyId}.ru`]);
    }
    expect((await searchReleases(rt.ctx, 'en', 'учёные', undefined, 10)).ids).toEqual([]);
    expect((await searchReleases(rt.ctx, 'ru', 'бишкек париж', undefined, 10)).ids).toEqual([]);
  });

  it('follows publishing: changed text is found, unpublished text is not', async () => {
    const s = await importStory(rt);
    await updateRelease(rt, `${s.storyId}.en`, { title: 'Quixotic zeppelin summit' });
    expect((await searchReleases(rt.ctx, 'en', 'zeppelin', undefined, 10)).ids).toEqual([`${s.storyId}.en`]);
    await updateRelease(rt, `${s.storyId}.en`, { status: 'archived' });
    expect((await searchReleases(rt.ctx, 'en', 'zeppelin', undefined, 10)).ids).toEqual([]);
  });

  it('rebuilds from MongoDB when Redis lost the index', async () => {
    const s = await importStory(rt, {
      versions: { ru: { title: 'Уникальныйтокен восстановления', body: '<p>x</p>' } },
    });
    const keys = await rt.ctx.redis.keys(searchKeys(rt.ctx).all());
    await rt.ctx.redis.del(...keys);
    expect((await searchReleases(rt.ctx, 'ru', 'уникальныйтокен', undefined, 10)).ids).toEqual([]);
    await rebuildSearchIndex(rt.ctx);
    expect((await searchReleases(rt.ctx, 'ru', 'уникальныйтокен', undefined, 10)).ids).toEqual([
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
