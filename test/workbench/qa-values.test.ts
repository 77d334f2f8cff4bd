import { describe, expect, it } from 'vitest';
import { runQa, type GlossaryEntry, type QaIssue } from '../../src/shared/qa.js';

/**
 * QA by value, per locale: house styles must pass without an error, real errors must be
 * caught. Tables by outcome and pair (`from:to`), across every configured language.
 */

type Check = QaIssue['check'];
type Table<Row> = Record<string, Row[]>;

const MINSK_EN = [{ source: 'Минск', target: 'Minsk' }];
const MINSK_CYR = [{ source: 'Минск', target: 'Минск' }];

/** House styles: the same value written the target's way. */
const PASSES: Table<[source: string, target: string, glossary?: GlossaryEntry[]]> = {
  'ru:en': [
    ['Выделено 1 250 000 рублей.', '1,250,000 roubles were allocated.'],
    ['Выделено 1 250 000 рублей.', '1.25 million roubles were allocated.'],
    ['Выделено 1,25 млн рублей.', 'RUB 1.25 million was allocated.'],
    ['Рост составил 3,5 %.', 'Growth was 3.5%.'],
    ['Рост составил 3,5 процента.', 'Growth was 3.5 per cent.'],
    ['В саммите участвуют шесть государств.', 'Six states take part in the summit.'],
    ['В саммите участвуют шесть государств.', '6 states take part in the summit.'],
    ['Встреча начнётся в 14:30.', 'The meeting starts at 2:30 pm.'],
    ['Встреча начнётся в 14.30.', 'The meeting starts at 2.30 p.m.'],
    ['Заседание назначено на 10:00.', 'The meeting is scheduled for 10 am.'],
    ['Саммит пройдёт 27 июня 2019 г.', 'The summit will take place on 27 June 2019.'],
    ['Саммит пройдёт 27 июня 2019 г.', 'The summit will take place on June 27, 2019.'],
    ['Саммит пройдёт 27 июня 2019 г.', 'The summit will take place on 27.06.2019.'],
    ['Документ подписан 27.06.2019.', 'The document was signed on 27 June 2019.'],
    ['В XXI веке угрозы изменились.', 'In the 21st century the threats have changed.'],
    ['Это 21-й саммит организации.', "This is the organisation's 21st summit."],
    ['План рассчитан на 2027–2028 годы.', 'The plan covers 2027–28.'],
    ['Учения пройдут 5–7 июня.', 'The exercise will be held on 5–7 June.'],
    ['Учения пройдут 5–7 июня.', 'The exercise will be held June 5–7.'],
    ['Форум пройдёт с 1 по 3 июля 2025 года.', 'The forum runs 1–3 July 2025.'],
    ['Лидеры встретятся в июне.', 'The leaders will meet in June.'],
    ['В 2019 году ВВП вырос на 2,1 %.', 'In 2019 GDP grew by 2.1%.'],
    ['Бюджет — 15 млрд рублей.', 'The budget is RUB 15 billion.'],
    [
      'Подробности на https://odkb.example/news/27 сегодня.',
      'Details at https://odkb.example/news/27 today.',
    ],
    ['Заседание {1}27 июня{/1} в Минске.', 'The meeting on {1}27 June{/1} in Minsk.', MINSK_EN],
  ],
  'en:ru': [
    ['Six states take part.', 'Участвуют 6 государств.'],
    ['The meeting starts at 9 am.', 'Встреча начнётся в 9:00.'],
    ['Signed on 2019-06-27.', 'Подписано 27 июня 2019 года.'],
    ['Twelve delegations arrived.', 'Прибыли двенадцать делегаций.'],
  ],
  'ru:hy': [
    ['Саммит пройдёт 27 июня 2019 г.', 'Գագաթնաժողովը կանցկացվի 2019 թվականի հունիսի 27-ին։'],
    ['В саммите участвуют шесть государств.', 'Գագաթնաժողովին մասնակցում են վեց պետություններ։'],
    ['Рост составил 3,5 %.', 'Աճը կազմել է 3,5 տոկոս։'],
    ['Выделено 1 250 000 рублей.', 'Հատկացվել է 1,25 միլիոն ռուբլի։'],
    ['Встреча начнётся в 14:30.', 'Հանդիպումը կսկսվի ժամը 14:30-ին։'],
  ],
  'ru:kk': [
    ['Саммит пройдёт 27 июня 2019 г.', 'Саммит 2019 жылғы 27 маусымда өтеді.'],
    ['В саммите участвуют шесть государств.', 'Саммитке алты мемлекет қатысады.'],
    ['Рост составил 3,5 %.', 'Өсім 3,5 пайызды құрады.'],
    ['Выделено 1,25 млн рублей.', '1 250 000 рубль бөлінді.'],
    ['В совещании участвуют одиннадцать экспертов.', 'Кеңеске он бір сарапшы қатысады.'],
  ],
  'ru:be': [
    ['Саммит пройдёт 27 июня 2019 г.', 'Саміт пройдзе 27 чэрвеня 2019 г.'],
    ['В саммите участвуют шесть государств.', 'У саміце ўдзельнічаюць шэсць дзяржаў.'],
    ['Рост составил 3,5 %.', 'Рост склаў 3,5 працэнта.'],
    ['Встреча начнётся в 14:30.', 'Сустрэча пачнецца а 14:30.'],
  ],
  'ru:ky': [
    ['Саммит пройдёт 27 июня 2019 г.', 'Саммит 2019-жылдын 27-июнунда өтөт.'],
    ['В саммите участвуют шесть государств.', 'Саммитке алты мамлекет катышат.'],
    ['Рост составил 3,5 %.', 'Өсүш 3,5 пайызды түздү.'],
    ['Выделено 1 250 000 рублей.', '1,25 млн рубль бөлүндү.'],
  ],
  'ru:tg': [
    ['Саммит пройдёт 27 июня 2019 г.', 'Саммит 27 июни соли 2019 баргузор мегардад.'],
    ['В саммите участвуют шесть государств.', 'Дар саммит шаш давлат иштирок мекунанд.'],
    ['Рост составил 3,5 %.', 'Афзоиш 3,5 фоизро ташкил дод.'],
    ['Встреча начнётся в 14:30.', 'Мулоқот соати 14:30 оғоз мешавад.'],
  ],
};

/** Real errors: a changed number, a dropped date, a different city of the glossary. */
const ERRORS: Table<
  [source: string, target: string, error: Check | [Check, quotes: string], glossary?: GlossaryEntry[]]
> = {
  'ru:en': [
    ['Выделено 1 250 000 рублей.', '1,520,000 roubles were allocated.', 'number_different'],
    ['Рост составил 3,5 %.', 'Growth was 35%.', ['number_different', '3,5 %']],
    ['Рост составил 3,5 %.', 'Growth was strong.', ['number_missing', '3,5 %']],
    ['Саммит пройдёт 27 июня 2019 г.', 'The summit will take place soon.', 'date_missing'],
    ['Саммит пройдёт 27 июня 2019 г.', 'The summit will take place on 28 June 2019.', 'date_different'],
    ['Саммит пройдёт 27 июня 2025 года.', 'The summit is in June.', 'date_missing'],
    ['Встреча начнётся в 14:30.', 'The meeting starts at 3:30 pm.', 'time_different'],
    ['В саммите участвуют 6 государств.', 'Seven states take part in the summit.', 'number_different'],
    ['План рассчитан на 2027–2028 годы.', 'The plan covers 2027–29.', 'number_different'],
    ['Саммит пройдёт в Минске.', 'The summit will take place in Moscow.', 'glossary_term_missing', MINSK_EN],
  ],
  'ru:hy': [
    [
      'Саммит пройдёт 27 июня 2019 г.',
      'Գագաթնաժողովը կանցկացվի 2019 թվականի հուլիսի 27-ին։',
      'date_different',
    ],
    [
      'В саммите участвуют 6 государств.',
      'Գագաթնաժողովին մասնակցում են յոթ պետություններ։',
      'number_different',
    ],
  ],
  'ru:kk': [
    ['Выделено 1 250 000 рублей.', '1 350 000 рубль бөлінді.', 'number_different'],
    ['Встреча начнётся в 14:30.', 'Кездесу сағат 16:30-да басталады.', 'time_different'],
  ],
  'ru:be': [
    ['Встреча начнётся в 14:30.', 'Сустрэча пачнецца а 15:30.', 'time_different'],
    ['Документ подписан 27.06.2019.', 'Дакумент падпісаны 27 ліпеня 2019 г.', 'date_different'],
  ],
  'ru:ky': [
    ['Саммит пройдёт в Минске.', 'Саммит Москвада өтөт.', 'glossary_term_missing', MINSK_CYR],
    ['Саммит пройдёт 27 июня 2019 г.', 'Саммит жакында өтөт.', 'date_missing'],
  ],
  'ru:tg': [
    ['Рост составил 3,5 %.', 'Афзоиш 5,3 фоизро ташкил дод.', 'number_different'],
    [
      'Саммит пройдёт в Минске 27 июня.',
      'Саммит дар Душанбе 27 июн баргузор мешавад.',
      'glossary_term_missing',
      MINSK_CYR,
    ],
  ],
};

/** What the rules cannot decide: a warning the translator may accept with a note. */
const WARNINGS: Table<[source: string, target: string]> = {
  'ru:en': [
    ['Саммит пройдёт 27 июня 2019 г.', 'The summit will take place on 27 June.'],
    ['Участвуют шесть государств.', 'Several states take part.'],
    ['Саммит прошёл в прошлом году.', 'The summit took place in 2018.'],
  ],
};

type Expect = 'pass' | 'warn' | { error: Check; quotes?: string };

/** Every table as one list of rows: pair, source and target, what QA must say, glossary. */
const ROWS = [
  ...rowsOf(PASSES, ([source, target, glossary]) => [source, target, 'pass', glossary]),
  ...rowsOf(ERRORS, ([source, target, error, glossary]) => {
    const [check, quotes] = typeof error === 'string' ? [error] : error;
    return [source, target, { error: check, quotes }, glossary];
  }),
  ...rowsOf(WARNINGS, ([source, target]) => [source, target, 'warn']),
];

function rowsOf<Row>(
  table: Table<Row>,
  toRow: (row: Row) => [source: string, target: string, expected: Expect, glossary?: GlossaryEntry[]],
) {
  return Object.entries(table).flatMap(([pair, rows]) => {
    const [from, to] = pair.split(':') as [string, string];
    return rows.map((row) => [from, to, ...toRow(row)] as const);
  });
}

const VALUE_CHECK = /^(number|date|time)_/;

describe('QA by value, per locale', () => {
  it('has at least 60 pairs across ru, en, kk, hy, be, ky, tg', () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(60);
    expect(new Set(ROWS.flatMap((r) => [r[0], r[1]]))).toEqual(
      new Set(['ru', 'en', 'kk', 'hy', 'be', 'ky', 'tg']),
    );
  });

  it.each(ROWS.map((r, n) => [n + 1, ...r] as const))(
    '#%i %s→%s %s | %s',
    (_n, from, to, source, target, expected, glossary) => {
      const report = runQa([{ i: 0, source, target }], glossary ?? [], { from, to });
      const errors = report.errors;
      const valueWarnings = report.warnings.filter((w) => VALUE_CHECK.test(w.check));
      if (expected === 'pass') {
        expect(errors).toEqual([]);
        expect(valueWarnings).toEqual([]);
      } else if (expected === 'warn') {
        expect(errors).toEqual([]);
        expect(valueWarnings.length).toBeGreaterThan(0);
      } else {
        expect(errors.map((e) => e.check)).toContain(expected.error);
        if (expected.quotes) {
          expect(errors.find((e) => e.check === expected.error)?.message).toContain(expected.quotes);
        }
      }
    },
  );

  it('reports a value only the target lacks once, as the source writes it', () => {
    const r = runQa([{ i: 0, source: 'Рост составил 3,5 % за 2025 год.', target: 'Growth was 2025.' }], [], {
      from: 'ru',
      to: 'en',
    });
    expect(r.errors.map((e) => e.message)).toEqual(['The number 3,5 % of the source is missing']);
  });
});
