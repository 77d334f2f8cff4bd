import { describe, expect, it } from 'vitest';
import { runQa, type GlossaryEntry, type QaIssue } from '../../src/shared/qa.js';

/**
 * QA by value, per locale: house styles must pass without an error, real errors must be
 * caught. One row per source/target pair, across every configured language.
 */

type Expect = 'pass' | 'warn' | { error: QaIssue['check']; quotes?: string };
type Row = [
  from: string,
  to: string,
  source: string,
  target: string,
  expected: Expect,
  glossary?: GlossaryEntry[],
];

const MINSK_EN = [{ source: 'Минск', target: 'Minsk' }];
const MINSK_CYR = [{ source: 'Минск', target: 'Минск' }];

const ROWS: Row[] = [
  // House styles: the same value written the target's way.
  ['ru', 'en', 'Выделено 1 250 000 рублей.', '1,250,000 roubles were allocated.', 'pass'],
  ['ru', 'en', 'Выделено 1 250 000 рублей.', '1.25 million roubles were allocated.', 'pass'],
  ['ru', 'en', 'Выделено 1,25 млн рублей.', 'RUB 1.25 million was allocated.', 'pass'],
  ['ru', 'en', 'Рост составил 3,5 %.', 'Growth was 3.5%.', 'pass'],
  ['ru', 'en', 'Рост составил 3,5 процента.', 'Growth was 3.5 per cent.', 'pass'],
  ['ru', 'en', 'В саммите участвуют шесть государств.', 'Six states take part in the summit.', 'pass'],
  ['ru', 'en', 'В саммите участвуют шесть государств.', '6 states take part in the summit.', 'pass'],
  ['en', 'ru', 'Six states take part.', 'Участвуют 6 государств.', 'pass'],
  ['ru', 'en', 'Встреча начнётся в 14:30.', 'The meeting starts at 2:30 pm.', 'pass'],
  ['ru', 'en', 'Встреча начнётся в 14.30.', 'The meeting starts at 2.30 p.m.', 'pass'],
  ['en', 'ru', 'The meeting starts at 9 am.', 'Встреча начнётся в 9:00.', 'pass'],
  ['ru', 'en', 'Заседание назначено на 10:00.', 'The meeting is scheduled for 10 am.', 'pass'],
  ['ru', 'en', 'Саммит пройдёт 27 июня 2019 г.', 'The summit will take place on 27 June 2019.', 'pass'],
  ['ru', 'en', 'Саммит пройдёт 27 июня 2019 г.', 'The summit will take place on June 27, 2019.', 'pass'],
  ['ru', 'en', 'Саммит пройдёт 27 июня 2019 г.', 'The summit will take place on 27.06.2019.', 'pass'],
  ['ru', 'en', 'Документ подписан 27.06.2019.', 'The document was signed on 27 June 2019.', 'pass'],
  ['en', 'ru', 'Signed on 2019-06-27.', 'Подписано 27 июня 2019 года.', 'pass'],
  ['ru', 'en', 'В XXI веке угрозы изменились.', 'In the 21st century the threats have changed.', 'pass'],
  ['ru', 'en', 'Это 21-й саммит организации.', "This is the organisation's 21st summit.", 'pass'],
  ['ru', 'en', 'План рассчитан на 2027–2028 годы.', 'The plan covers 2027–28.', 'pass'],
  ['ru', 'en', 'Учения пройдут 5–7 июня.', 'The exercise will be held on 5–7 June.', 'pass'],
  ['ru', 'en', 'Учения пройдут 5–7 июня.', 'The exercise will be held June 5–7.', 'pass'],
  ['ru', 'en', 'Форум пройдёт с 1 по 3 июля 2025 года.', 'The forum runs 1–3 July 2025.', 'pass'],
  ['ru', 'en', 'Лидеры встретятся в июне.', 'The leaders will meet in June.', 'pass'],
  ['en', 'ru', 'Twelve delegations arrived.', 'Прибыли двенадцать делегаций.', 'pass'],
  ['ru', 'en', 'В 2019 году ВВП вырос на 2,1 %.', 'In 2019 GDP grew by 2.1%.', 'pass'],
  ['ru', 'en', 'Бюджет — 15 млрд рублей.', 'The budget is RUB 15 billion.', 'pass'],
  [
    'ru',
    'en',
    'Подробности на https://odkb.example/news/27 сегодня.',
    'Details at https://odkb.example/news/27 today.',
    'pass',
  ],
  [
    'ru',
    'en',
    'Заседание {1}27 июня{/1} в Минске.',
    'The meeting on {1}27 June{/1} in Minsk.',
    'pass',
    MINSK_EN,
  ],
  [
    'ru',
    'hy',
    'Саммит пройдёт 27 июня 2019 г.',
    'Գագաթնաժողովը կանցկացվի 2019 թվականի հունիսի 27-ին։',
    'pass',
  ],
  [
    'ru',
    'hy',
    'В саммите участвуют шесть государств.',
    'Գագաթնաժողովին մասնակցում են վեց պետություններ։',
    'pass',
  ],
  ['ru', 'hy', 'Рост составил 3,5 %.', 'Աճը կազմել է 3,5 տոկոս։', 'pass'],
  ['ru', 'hy', 'Выделено 1 250 000 рублей.', 'Հատկացվել է 1,25 միլիոն ռուբլի։', 'pass'],
  ['ru', 'hy', 'Встреча начнётся в 14:30.', 'Հանդիպումը կսկսվի ժամը 14:30-ին։', 'pass'],
  ['ru', 'kk', 'Саммит пройдёт 27 июня 2019 г.', 'Саммит 2019 жылғы 27 маусымда өтеді.', 'pass'],
  ['ru', 'kk', 'В саммите участвуют шесть государств.', 'Саммитке алты мемлекет қатысады.', 'pass'],
  ['ru', 'kk', 'Рост составил 3,5 %.', 'Өсім 3,5 пайызды құрады.', 'pass'],
  ['ru', 'kk', 'Выделено 1,25 млн рублей.', '1 250 000 рубль бөлінді.', 'pass'],
  ['ru', 'kk', 'В совещании участвуют одиннадцать экспертов.', 'Кеңеске он бір сарапшы қатысады.', 'pass'],
  ['ru', 'be', 'Саммит пройдёт 27 июня 2019 г.', 'Саміт пройдзе 27 чэрвеня 2019 г.', 'pass'],
  ['ru', 'be', 'В саммите участвуют шесть государств.', 'У саміце ўдзельнічаюць шэсць дзяржаў.', 'pass'],
  ['ru', 'be', 'Рост составил 3,5 %.', 'Рост склаў 3,5 працэнта.', 'pass'],
  ['ru', 'be', 'Встреча начнётся в 14:30.', 'Сустрэча пачнецца а 14:30.', 'pass'],
  ['ru', 'ky', 'Саммит пройдёт 27 июня 2019 г.', 'Саммит 2019-жылдын 27-июнунда өтөт.', 'pass'],
  ['ru', 'ky', 'В саммите участвуют шесть государств.', 'Саммитке алты мамлекет катышат.', 'pass'],
  ['ru', 'ky', 'Рост составил 3,5 %.', 'Өсүш 3,5 пайызды түздү.', 'pass'],
  ['ru', 'ky', 'Выделено 1 250 000 рублей.', '1,25 млн рубль бөлүндү.', 'pass'],
  ['ru', 'tg', 'Саммит пройдёт 27 июня 2019 г.', 'Саммит 27 июни соли 2019 баргузор мегардад.', 'pass'],
  ['ru', 'tg', 'В саммите участвуют шесть государств.', 'Дар саммит шаш давлат иштирок мекунанд.', 'pass'],
  ['ru', 'tg', 'Рост составил 3,5 %.', 'Афзоиш 3,5 фоизро ташкил дод.', 'pass'],
  ['ru', 'tg', 'Встреча начнётся в 14:30.', 'Мулоқот соати 14:30 оғоз мешавад.', 'pass'],

  // Real errors: a changed number, a dropped date, a different city of the glossary.
  [
    'ru',
    'en',
    'Выделено 1 250 000 рублей.',
    '1,520,000 roubles were allocated.',
    { error: 'number_different' },
  ],
  ['ru', 'en', 'Рост составил 3,5 %.', 'Growth was 35%.', { error: 'number_different', quotes: '3,5 %' }],
  ['ru', 'en', 'Рост составил 3,5 %.', 'Growth was strong.', { error: 'number_missing', quotes: '3,5 %' }],
  [
    'ru',
    'en',
    'Саммит пройдёт 27 июня 2019 г.',
    'The summit will take place soon.',
    { error: 'date_missing' },
  ],
  [
    'ru',
    'en',
    'Саммит пройдёт 27 июня 2019 г.',
    'The summit will take place on 28 June 2019.',
    { error: 'date_different' },
  ],
  ['ru', 'en', 'Саммит пройдёт 27 июня 2025 года.', 'The summit is in June.', { error: 'date_missing' }],
  ['ru', 'en', 'Встреча начнётся в 14:30.', 'The meeting starts at 3:30 pm.', { error: 'time_different' }],
  [
    'ru',
    'en',
    'В саммите участвуют 6 государств.',
    'Seven states take part in the summit.',
    { error: 'number_different' },
  ],
  [
    'ru',
    'en',
    'План рассчитан на 2027–2028 годы.',
    'The plan covers 2027–29.',
    { error: 'number_different' },
  ],
  [
    'ru',
    'en',
    'Саммит пройдёт в Минске.',
    'The summit will take place in Moscow.',
    { error: 'glossary_term_missing' },
    MINSK_EN,
  ],
  [
    'ru',
    'hy',
    'Саммит пройдёт 27 июня 2019 г.',
    'Գագաթնաժողովը կանցկացվի 2019 թվականի հուլիսի 27-ին։',
    { error: 'date_different' },
  ],
  [
    'ru',
    'hy',
    'В саммите участвуют 6 государств.',
    'Գագաթնաժողովին մասնակցում են յոթ պետություններ։',
    { error: 'number_different' },
  ],
  ['ru', 'kk', 'Выделено 1 250 000 рублей.', '1 350 000 рубль бөлінді.', { error: 'number_different' }],
  ['ru', 'kk', 'Встреча начнётся в 14:30.', 'Кездесу сағат 16:30-да басталады.', { error: 'time_different' }],
  ['ru', 'be', 'Встреча начнётся в 14:30.', 'Сустрэча пачнецца а 15:30.', { error: 'time_different' }],
  [
    'ru',
    'be',
    'Документ подписан 27.06.2019.',
    'Дакумент падпісаны 27 ліпеня 2019 г.',
    { error: 'date_different' },
  ],
  [
    'ru',
    'ky',
    'Саммит пройдёт в Минске.',
    'Саммит Москвада өтөт.',
    { error: 'glossary_term_missing' },
    MINSK_CYR,
  ],
  ['ru', 'ky', 'Саммит пройдёт 27 июня 2019 г.', 'Саммит жакында өтөт.', { error: 'date_missing' }],
  ['ru', 'tg', 'Рост составил 3,5 %.', 'Афзоиш 5,3 фоизро ташкил дод.', { error: 'number_different' }],
  [
    'ru',
    'tg',
    'Саммит пройдёт в Минске 27 июня.',
    'Саммит дар Душанбе 27 июн баргузор мешавад.',
    { error: 'glossary_term_missing' },
    MINSK_CYR,
  ],

  // What the rules cannot decide: a warning the translator may accept with a note.
  ['ru', 'en', 'Саммит пройдёт 27 июня 2019 г.', 'The summit will take place on 27 June.', 'warn'],
  ['ru', 'en', 'Участвуют шесть государств.', 'Several states take part.', 'warn'],
  ['ru', 'en', 'Саммит прошёл в прошлом году.', 'The summit took place in 2018.', 'warn'],
];

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
