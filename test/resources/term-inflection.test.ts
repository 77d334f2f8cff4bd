import { describe, expect, it } from 'vitest';
import { findTerm } from '../../src/termbase/term-match.js';

/**
 * Inflection-aware term matching, measured: per language, each termbase entry (base form)
 * with texts in which the inflected occurrence to find is [bracketed]; a text without
 * brackets must match nothing (a look-alike).
 */
const CASES: Record<string, Record<string, string[]>> = {
  // Russian: the CSTO's full name in every case, and other terms of the press office.
  ru: {
    'Организация Договора о коллективной безопасности': [
      'Заявление [Организации Договора о коллективной безопасности].',
      'Генсек представил [Организацию Договора о коллективной безопасности].',
      'Он руководит [Организацией Договора о коллективной безопасности].',
      'Речь шла об [Организации Договора о коллективной безопасности].',
      '[Организация Договора о коллективной безопасности] создана в 2002 году.',
      'Организация Объединённых Наций провела сессию.',
    ],
    ОДКБ: ['Учения [ОДКБ] прошли в Беларуси.', 'Это [ОДКБ]-шный формат встреч.'],
    'Генеральный секретарь': [
      'Встреча [Генерального секретаря] с послами.',
      'Вопрос задали [Генеральному секретарю].',
      'С [Генеральным секретарём] встретились журналисты.',
    ],
    'государство-член': [
      'Представители [государств-членов] подписали протокол.',
      'Каждому [государству-члену] направлено письмо.',
    ],
    'миротворческие силы': [
      'Развёртывание [миротворческих сил] завершено.',
      'Командование [миротворческими силами] передано.',
    ],
    'Совет министров иностранных дел': [
      'Заседание [Совета министров иностранных дел] пройдёт в Минске.',
      'В [Совете министров иностранных дел] обсудили повестку.',
    ],
    'коллективные силы оперативного реагирования': [
      'Учения [коллективных сил оперативного реагирования] начались.',
    ],
    секретарь: ['Секретариат подготовил доклад.'],
    учение: ['Совместные [учения] «Взаимодействие» завершились.'],
  },
  // English
  en: {
    'peacekeeping force': ['The [peacekeeping forces] were deployed.'],
    'member state': ['Ambassadors of the [member states] met.', 'A state member of the council spoke.'],
    'Secretary General': ["The [Secretary General]'s statement was read."],
    exercise: ['The troops are [exercising] near the border.', 'Joint [exercises] ended on Friday.'],
    'Collective Security Treaty Organization': ['The [Collective Security Treaty Organization]’s summit.'],
  },
  // Armenian
  hy: {
    կազմակերպություն: [
      '[Կազմակերպության] անդամները հանդիպեցին։',
      '[Կազմակերպությունը] հայտարարություն տարածեց։',
    ],
    անվտանգություն: ['Խոսքը հավաքական [անվտանգության] մասին էր։'],
    'գլխավոր քարտուղար': ['[Գլխավոր քարտուղարի] հայտարարությունը։'],
  },
  // Kazakh
  kk: {
    'Ұжымдық қауіпсіздік туралы шарт ұйымы': [
      '[Ұжымдық қауіпсіздік туралы шарт ұйымының] отырысы өтті.',
      '[Ұжымдық қауіпсіздік туралы шарт ұйымына] мүше елдер.',
    ],
    'бас хатшы': ['[Бас хатшының] мәлімдемесі жарияланды.'],
    мемлекет: ['Мүше [мемлекеттердің] өкілдері келді.'],
    Қазақстан: ['[Қазақстанда] жаттығу өтті.'],
  },
  // Kyrgyz
  ky: {
    'Жамааттык коопсуздук жөнүндө келишим уюму': [
      '[Жамааттык коопсуздук жөнүндө келишим уюмунун] жыйыны болду.',
    ],
    'башкы катчы': ['[Башкы катчынын] билдирүүсү.'],
    мамлекет: ['Мүчө [мамлекеттердин] өкүлдөрү катышты.'],
    Кыргызстан: ['[Кыргызстанда] машыгуулар өттү.'],
  },
  // Tajik
  tg: {
    вазорат: ['Вакилони [вазоратҳо] ҷамъ омаданд.'],
    давлат: ['Намояндагони [давлатҳои] аъзо омаданд.'],
    созмон: ['[Созмонро] ҳамаи кишварҳо дастгирӣ мекунанд.'],
    Тоҷикистон: ['Дар [Тоҷикистон] машқҳо гузаронида шуданд.'],
  },
};

/** Rows of `[lang, term, text, the words to find]`, brackets taken out of the text. */
const ROWS = Object.entries(CASES).flatMap(([lang, terms]) =>
  Object.entries(terms).flatMap(([term, texts]) =>
    texts.map((marked) => {
      const found = /\[([^\]]+)\]/.exec(marked)?.[1];
      return [lang, term, marked.replace(/[[\]]/g, ''), found ? [found] : []] as const;
    }),
  ),
);

describe('inflection-aware term matching', () => {
  it(`covers ${ROWS.length} texts, look-alikes among them`, () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(40);
    expect(ROWS.filter((r) => r[3].length === 0).length).toBeGreaterThanOrEqual(3);
  });

  it.each(ROWS)('%s «%s» in «%s»', (lang, term, text, expected) => {
    expect(findTerm(lang, text, term).map((o) => o.text)).toEqual(expected);
  });

  it('reports offsets in the segment, placeholders included', () => {
    const text = 'Заявление {1}Генерального секретаря{/1} ОДКБ.';
    const [hit] = findTerm('ru', text, 'Генеральный секретарь');
    expect(text.slice(hit.start, hit.end)).toBe('Генерального секретаря');
  });
});
