import { parseRssFeed } from 'feedsmith';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Release } from '../../src/models/release.js';
import { formatsFor } from '../../src/views/format.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import { guidOf, publish } from './support.js';

/**
 * What readers are told of a correction or an update is one sentence, the same on the
 * article page and in the feeds, dated as the pages date things, and ending in exactly one
 * full stop whatever the editor typed.
 */
let rt: TestRuntime;
beforeAll(async () => {
  rt = await startTestRuntime({ NEWSROOM_LANGUAGES: 'ru,en,hy' });
});
afterAll(async () => {
  await rt?.close();
});

const get = (path: string) => request(rt.app).get(path).set('Accept-Encoding', 'identity');

let n = 0;
/** Publishes a story in `lang` (with its Russian original) and then changes it as `change` says. */
async function changed(lang: string, change: { kind: 'correction' | 'update'; note?: string }) {
  const storyId = `notes${++n}`;
  const publishedAt = new Date(Date.UTC(2024, 6, 25, 9));
  await publish(rt, { storyId, lang: 'ru', title: `Оригинал ${n}`, publishedAt });
  if (lang !== 'ru')
    await publish(rt, { storyId, lang, title: `Version ${n}`, publishedAt, translatedFrom: 'ru' });
  const r = await Release.findById(`${storyId}.${lang}`).lean();
  await publish(rt, {
    storyId,
    lang,
    title: r!.title,
    lead: 'Lead',
    body: '<p>Changed body</p>',
    translatedFrom: r!.translatedFrom ?? undefined,
    expectedRevision: r!.revision,
    change,
  });
  const after = await Release.findById(`${storyId}.${lang}`).lean();
  const page = (await get(`/${lang}/news/${after!.slug}`).expect(200)).text;
  const onPage = [...page.matchAll(/<p class="change-note change-[a-z]+">([^<]*)<\/p>/g)].map((m) => m[1]);
  const rss = parseRssFeed((await get(`/${lang}/rss.xml`).expect(200)).text);
  const item = rss.items!.find((i) => i.guid?.value === guidOf(`${storyId}.${lang}`))!;
  const date = formatsFor(rt.ctx.config.NEWSROOM_TIMEZONE).date(
    lang,
    after!.correctedAt ?? after!.updateNotedAt,
  );
  return { onPage, description: item.description ?? '', date };
}

const decode = (html: string) =>
  html.replace(/&#x([0-9A-F]+);/gi, (_, h) => String.fromCodePoint(parseInt(h, 16))).replace(/&quot;/g, '"');

describe('correction and update notes', () => {
  it.each([
    ['ru', 'Дата встречи была указана неверно..'],
    ['ru', 'Неверная дата!'],
    ['en', 'The figure was wrong'],
    ['en', 'The figure was wrong. '],
    ['en', undefined],
  ])(
    '%s correction with note %j: one sentence, one full stop, the same on the page and in RSS',
    async (lang, note) => {
      const { onPage, description, date } = await changed(lang, { kind: 'correction', note });
      expect(onPage).toHaveLength(1);
      const sentence = decode(onPage[0]);
      expect(sentence).toContain(date);
      expect(sentence).toMatch(/[^.]\.$/);
      expect(sentence).not.toMatch(/[!?]\.$/);
      if (note) expect(sentence).toContain(note.replace(/[\s.!]+$/, ''));
      // The feed opens its summary with the very same sentence.
      expect(description.startsWith(`${sentence} `)).toBe(true);
    },
  );

  it('dates follow the page language: numeric in Russian, long in English and Armenian', async () => {
    const ru = await changed('ru', { kind: 'correction', note: 'Опечатка' });
    expect(ru.date).toMatch(/^\d\d\.\d\d\.\d{4}$/);
    expect(ru.description).toMatch(/^Исправлено \d\d\.\d\d\.\d{4}: Опечатка\. Lead$/);
    const en = await changed('en', { kind: 'update' });
    expect(en.date).toMatch(/^\d{1,2} [A-Z][a-z]+ \d{4}$/);
    expect(decode(en.onPage[0])).toBe(`Updated on ${en.date}.`);
    expect(en.description).toBe(`Updated on ${en.date}. Lead`);
    const hy = await changed('hy', { kind: 'correction', note: 'Սխալ ամսաթիվ։' });
    expect(decode(hy.onPage[0])).toBe(`Ուղղվել է ${hy.date}․ Սխալ ամսաթիվ։`);
    expect(hy.description.startsWith(`Ուղղվել է ${hy.date}․ Սխալ ամսաթիվ։ `)).toBe(true);
  });
});
