import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportStory } from '../../src/import/parse-import-file.js';
import { searchReleases } from '../../src/search/search-releases.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import { importFixture } from './reader-fixtures.js';

/**
 * Search quality, measured: a small corpus in ru, en, kk and hy written like the press
 * office's releases, and queries with known answers, grouped by what they test. Recall and
 * precision are computed per class over all its queries and asserted; the table is printed.
 */
type Doc = { id: string; lang: string; title: string; lead?: string; body: string };

const CORPUS: Doc[] = [
  // Russian
  {
    id: 'r-ministers',
    lang: 'ru',
    title: 'Встреча министров иностранных дел в Минске',
    body: '<p>Министры обсудили сотрудничество. На встрече председательствовал Семериков.</p>',
  },
  {
    id: 'r-award',
    lang: 'ru',
    title: 'Семерикову вручили награду',
    body: '<p>Генеральный секретарь Семериков поблагодарил коллег за совместную работу.</p>',
  },
  {
    id: 'r-growth',
    lang: 'ru',
    title: 'Рост товарооборота превысил десять процентов',
    body: '<p>Рост торговли продолжился третий год подряд.</p>',
  },
  {
    id: 'r-rostov',
    lang: 'ru',
    title: 'Форум открылся в Ростове-на-Дону',
    body: '<p>В Ростове собрались представители молодёжных организаций.</p>',
  },
  {
    id: 'r-talks',
    lang: 'ru',
    title: 'Тасмагамбетов провёл переговоры',
    body: '<p>Имангали Тасмагамбетов обсудил с партнёрами подготовку саммита.</p>',
  },
  {
    id: 'r-meeting',
    lang: 'ru',
    title: 'Совещание с Тасмагамбетовым в Бишкеке',
    body: '<p>Участники совещания договорились о встречах экспертов.</p>',
  },
  {
    id: 'r-exercise',
    lang: 'ru',
    title: 'Учения «Взаимодействие» прошли в Таджикистане',
    body: '<p>В учениях участвовали подразделения пяти государств.</p>',
  },
  {
    id: 'r-secretaries',
    lang: 'ru',
    title: 'О встрече секретарей советов безопасности',
    body: '<p>Секретари провели встречу в закрытом режиме.</p>',
  },
  {
    id: 'r-defence',
    lang: 'ru',
    title: 'Заседание Совета министров обороны',
    body: '<p>На заседании министры утвердили план сотрудничества.</p>',
  },
  {
    id: 'r-japarov',
    lang: 'ru',
    title: 'Президент Жапаров принял делегацию',
    body: '<p>Садыр Жапаров отметил значение сотрудничества.</p>',
  },
  // English
  {
    id: 'e-ministers',
    lang: 'en',
    title: 'Foreign ministers meet in Minsk',
    body: '<p>The ministers met to discuss cooperation. Semerikov chaired the meeting.</p>',
  },
  {
    id: 'e-talks',
    lang: 'en',
    title: 'Secretary General Tasmagambetov holds talks',
    body: '<p>The talks covered the summit.</p>',
  },
  {
    id: 'e-growth',
    lang: 'en',
    title: 'Trade turnover exceeds ten percent',
    body: '<p>Trade kept growing for a third year.</p>',
  },
  {
    id: 'e-rostov',
    lang: 'en',
    title: 'Forum opens in Rostov-on-Don',
    body: '<p>Youth organisations gathered in Rostov.</p>',
  },
  {
    id: 'e-defence',
    lang: 'en',
    title: "Defence ministers' council",
    body: '<p>Meetings of experts will follow.</p>',
  },
  // Kazakh
  {
    id: 'k-ministers',
    lang: 'kk',
    title: 'Қазақстанда сыртқы істер министрлерінің кездесуі өтті',
    body: '<p>Министрлер кездесуде ынтымақтастықты талқылады.</p>',
  },
  {
    id: 'k-talks',
    lang: 'kk',
    title: 'Тасмағамбетов Астанада келіссөздер жүргізді',
    body: '<p>Бас хатшы Тасмағамбетов саммитті дайындауды талқылады.</p>',
  },
  { id: 'k-growth', lang: 'kk', title: 'Сауда көлемінің өсуі', body: '<p>Тауар айналымы өсті.</p>' },
  {
    id: 'k-defence',
    lang: 'kk',
    title: 'Қазақстанның қорғаныс министрлері жиналды',
    body: '<p>Кеңес Астанаға жиналды.</p>',
  },
  // Armenian
  {
    id: 'h-ministers',
    lang: 'hy',
    title: 'Արտաքին գործերի նախարարների հանդիպումը Մինսկում',
    body: '<p>Նախարարները հանդիպման ընթացքում քննարկեցին համագործակցությունը։</p>',
  },
  {
    id: 'h-growth',
    lang: 'hy',
    title: 'Առևտրի աճը գերազանցել է տասը տոկոսը',
    body: '<p>Առևտուրն աճում է երրորդ տարին։</p>',
  },
  {
    id: 'h-defence',
    lang: 'hy',
    title: 'Պաշտպանության նախարարների խորհրդի նիստը Երևանում',
    body: '<p>Նիստին մասնակցեցին փորձագետներ։</p>',
  },
];

type QueryCase = { class: string; lang: string; q: string; expect: string[] };

const QUERIES: QueryCase[] = [
  // inflection: a common word in another form than the text has
  { class: 'inflection', lang: 'ru', q: 'встреча', expect: ['r-ministers', 'r-secretaries', 'r-meeting'] },
  { class: 'inflection', lang: 'ru', q: 'встречи', expect: ['r-ministers', 'r-secretaries', 'r-meeting'] },
  { class: 'inflection', lang: 'ru', q: 'встречу', expect: ['r-ministers', 'r-secretaries', 'r-meeting'] },
  { class: 'inflection', lang: 'ru', q: 'министр', expect: ['r-ministers', 'r-defence'] },
  { class: 'inflection', lang: 'ru', q: 'заседания', expect: ['r-defence'] },
  { class: 'inflection', lang: 'ru', q: 'учение', expect: ['r-exercise'] },
  { class: 'inflection', lang: 'en', q: 'meeting', expect: ['e-ministers', 'e-defence'] },
  { class: 'inflection', lang: 'en', q: 'minister', expect: ['e-ministers', 'e-defence'] },
  { class: 'inflection', lang: 'en', q: 'grow', expect: ['e-growth'] },
  { class: 'inflection', lang: 'kk', q: 'кездесу', expect: ['k-ministers'] },
  { class: 'inflection', lang: 'kk', q: 'министрлер', expect: ['k-ministers', 'k-defence'] },
  { class: 'inflection', lang: 'kk', q: 'өсу', expect: ['k-growth'] },
  { class: 'inflection', lang: 'hy', q: 'հանդիպում', expect: ['h-ministers'] },
  { class: 'inflection', lang: 'hy', q: 'նախարար', expect: ['h-ministers', 'h-defence'] },
  { class: 'inflection', lang: 'hy', q: 'աճ', expect: ['h-growth'] },
  // case forms of names and places
  { class: 'case forms', lang: 'ru', q: 'Семерикова', expect: ['r-ministers', 'r-award'] },
  { class: 'case forms', lang: 'ru', q: 'семериков', expect: ['r-ministers', 'r-award'] },
  { class: 'case forms', lang: 'ru', q: 'Тасмагамбетова', expect: ['r-talks', 'r-meeting'] },
  { class: 'case forms', lang: 'ru', q: 'Бишкек', expect: ['r-meeting'] },
  { class: 'case forms', lang: 'ru', q: 'Таджикистан', expect: ['r-exercise'] },
  { class: 'case forms', lang: 'kk', q: 'Қазақстан', expect: ['k-ministers', 'k-defence'] },
  { class: 'case forms', lang: 'kk', q: 'казакстан', expect: ['k-ministers', 'k-defence'] },
  { class: 'case forms', lang: 'kk', q: 'Астана', expect: ['k-talks', 'k-defence'] },
  { class: 'case forms', lang: 'hy', q: 'Երևան', expect: ['h-defence'] },
  // transliteration: a Latin query for a Cyrillic name, and back
  { class: 'transliteration', lang: 'ru', q: 'Tasmagambetov', expect: ['r-talks', 'r-meeting'] },
  { class: 'transliteration', lang: 'ru', q: 'Semerikov', expect: ['r-ministers', 'r-award'] },
  { class: 'transliteration', lang: 'ru', q: 'Japarov', expect: ['r-japarov'] },
  { class: 'transliteration', lang: 'kk', q: 'Tasmagambetov', expect: ['k-talks'] },
  { class: 'transliteration', lang: 'en', q: 'Тасмагамбетов', expect: ['e-talks'] },
  // multi-word: every word must match, in any form
  { class: 'multi-word', lang: 'ru', q: 'встреча министров', expect: ['r-ministers'] },
  { class: 'multi-word', lang: 'ru', q: 'министры сотрудничество', expect: ['r-ministers', 'r-defence'] },
  { class: 'multi-word', lang: 'en', q: 'ministers meeting', expect: ['e-ministers', 'e-defence'] },
  { class: 'multi-word', lang: 'kk', q: 'министрлер кездесу', expect: ['k-ministers'] },
  { class: 'multi-word', lang: 'hy', q: 'նախարարների հանդիպում', expect: ['h-ministers'] },
  // prefix noise: a short word must not find longer words that merely start with it
  { class: 'prefix noise', lang: 'ru', q: 'рост', expect: ['r-growth'] },
  { class: 'prefix noise', lang: 'ru', q: 'Ростов', expect: ['r-rostov'] },
  { class: 'prefix noise', lang: 'ru', q: 'совет', expect: ['r-secretaries', 'r-defence'] },
  { class: 'prefix noise', lang: 'en', q: 'Rostov', expect: ['e-rostov'] },
  { class: 'prefix noise', lang: 'en', q: 'trade', expect: ['e-growth'] },
];

/** Each class must find at least this share of what it should, and return at most this much noise. */
const MIN_RECALL = 0.95;
const MIN_PRECISION = 0.95;

let rt: TestRuntime;
const releaseOf = new Map<string, string>();
beforeAll(async () => {
  rt = await startTestRuntime();
  const stories: ImportStory[] = CORPUS.map((d, i) => ({
    externalId: `quality-${d.id}`,
    sourceLang: d.lang,
    section: 'news',
    tags: [],
    publishedAt: new Date(Date.UTC(2024, 0, 1 + i, 10)).toISOString(),
    versions: { [d.lang]: { title: d.title, lead: d.lead ?? '', body: d.body } },
  }));
  const ids = await importFixture(rt, stories);
  CORPUS.forEach((d, i) => releaseOf.set(`${ids[i]}.${d.lang}`, d.id));
});
afterAll(async () => {
  await rt?.close();
});

describe('search quality', () => {
  it(`has at least 30 queries over ru, en, kk and hy`, () => {
    expect(QUERIES.length).toBeGreaterThanOrEqual(30);
    expect(new Set(QUERIES.map((q) => q.lang))).toEqual(new Set(['ru', 'en', 'kk', 'hy']));
  });

  it(`reaches recall ≥ ${MIN_RECALL} and precision ≥ ${MIN_PRECISION} in every query class`, async () => {
    const perClass = new Map<string, { relevant: number; found: number; returned: number }>();
    const misses: string[] = [];
    for (const c of QUERIES) {
      const page = await searchReleases(rt.ctx, c.lang, c.q, {}, undefined, 50);
      const got = page.ids.map((id) => releaseOf.get(id) ?? id);
      const hits = got.filter((id) => c.expect.includes(id));
      const s = perClass.get(c.class) ?? { relevant: 0, found: 0, returned: 0 };
      s.relevant += c.expect.length;
      s.found += hits.length;
      s.returned += got.length;
      perClass.set(c.class, s);
      if (hits.length !== c.expect.length || got.length !== hits.length)
        misses.push(`${c.lang} «${c.q}»: expected ${c.expect.join(',')} got ${got.join(',') || '—'}`);
    }
    const table = [...perClass].map(([name, s]) => ({
      class: name,
      recall: s.found / s.relevant,
      precision: s.returned ? s.found / s.returned : 1,
    }));
    console.log(
      `search quality (${QUERIES.length} queries)\n` +
        table
          .map(
            (r) =>
              `  ${r.class.padEnd(16)} recall ${r.recall.toFixed(2)}  precision ${r.precision.toFixed(2)}`,
          )
          .join('\n') +
        (misses.length ? `\n  misses:\n    ${misses.join('\n    ')}` : ''),
    );
    for (const r of table) {
      expect(r.recall, `${r.class} recall; ${misses.join('; ')}`).toBeGreaterThanOrEqual(MIN_RECALL);
      expect(r.precision, `${r.class} precision; ${misses.join('; ')}`).toBeGreaterThanOrEqual(MIN_PRECISION);
    }
  });
});
