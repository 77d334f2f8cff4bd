/**
 * Language data the value-aware QA reads (`qa-values.ts`): month names, number words one to
 * twenty, ordinal words, scale words ("million") and percent words, per configured language.
 * Plain data so that a language is added here, not in code. Inflected and agglutinative forms
 * are listed or described by a stem with the number of letters that may follow it.
 */

/** A month name: a word starting with `stem` followed by at most `suffix` letters. */
export interface MonthStem {
  stem: string;
  month: number;
  suffix: number;
  /** Latin month names count only capitalised ("May", not "may"). */
  capital?: boolean;
}

const stems = (suffix: number, names: (string | string[])[], capital = false): MonthStem[] =>
  names.flatMap((n, k) =>
    (Array.isArray(n) ? n : [n]).map((stem) => ({ stem, month: k + 1, suffix, capital })),
  );

const exact = (names: (string | string[])[]): MonthStem[] => stems(0, names);

/**
 * Month names of every configured language. Dates are recognised whatever the segment's
 * language (a translator may keep a month name of the source), so this is one list.
 */
export const MONTH_STEMS: MonthStem[] = [
  // English, with the usual abbreviations (a trailing dot is punctuation).
  ...stems(
    0,
    [
      ['January', 'Jan'],
      ['February', 'Feb'],
      ['March', 'Mar'],
      ['April', 'Apr'],
      ['May'],
      ['June', 'Jun'],
      ['July', 'Jul'],
      ['August', 'Aug'],
      ['September', 'Sep', 'Sept'],
      ['October', 'Oct'],
      ['November', 'Nov'],
      ['December', 'Dec'],
    ],
    true,
  ),
  // Russian, Tajik and Kyrgyz share these stems (январь/января, январ/январи, январда…).
  ...stems(4, [
    'январ',
    'феврал',
    [],
    'апрел',
    [],
    'июн',
    'июл',
    'август',
    'сентябр',
    'октябр',
    'ноябр',
    'декабр',
  ]),
  ...stems(3, [[], [], 'март']),
  ...exact([
    ['янв'],
    ['фев', 'февр'],
    [],
    ['апр'],
    ['май', 'мая', 'мае', 'маю', 'маем', 'майи', 'майда', 'майдын', 'майында', 'майга', 'майы'],
    [],
    [],
    ['авг'],
    ['сен', 'сент'],
    ['окт'],
    ['нояб'],
    ['дек'],
  ]),
  // Belarusian.
  ...stems(3, [
    'студзен',
    [],
    'сакавік',
    'красавік',
    [],
    'чэрвен',
    'ліпен',
    ['жнівен', 'жніўн'],
    'верас',
    'кастрычнік',
    'лістапад',
    [],
  ]),
  ...exact([
    [],
    ['люты', 'лютага', 'лютым', 'лютае'],
    [],
    [],
    [],
    [],
    [],
    [],
    [],
    [],
    [],
    ['снежань', 'снежня', 'снежні'],
  ]),
  // Kazakh (case endings: маусымда, маусымның, қыркүйегінде).
  ...stems(5, [
    'қаңтар',
    'ақпан',
    'наурыз',
    'сәуір',
    'мамыр',
    'маусым',
    'шілде',
    'тамыз',
    ['қыркүйек', 'қыркүйег'],
    'қазан',
    'қараша',
    'желтоқсан',
  ]),
  // Armenian (հունիսի, հունիսին).
  ...stems(3, [
    'հունվար',
    'փետրվար',
    'մարտ',
    'ապրիլ',
    'մայիս',
    'հունիս',
    'հուլիս',
    'օգոստոս',
    'սեպտեմբեր',
    'հոկտեմբեր',
    'նոյեմբեր',
    'դեկտեմբեր',
  ]),
];

/** Russian number words end in ь and decline to -и / -ью: пять, пяти, пятью. */
const softForms = (w: string) => (w.endsWith('ь') ? [w, `${w.slice(0, -1)}и`, `${w.slice(0, -1)}ью`] : [w]);
/** Belarusian: пяць, пяці; -аццаць, -аццаці. */
const beForms = (w: string) => (w.endsWith('ь') ? [w, `${w.slice(0, -1)}і`] : [w]);
/** Armenian articles and cases that attach to a number word: վեցը, վեցի, վեցից. */
const hyForms = (w: string) => [w, `${w}ը`, `${w}ն`, `${w}ի`, `${w}ից`, `${w}ով`];

type WordTable = Record<number, string[]>;

const table = (words: (string | string[])[], forms: (w: string) => string[] = (w) => [w]): WordTable =>
  Object.fromEntries(words.map((w, k) => [k + 1, (Array.isArray(w) ? w : [w]).flatMap(forms)]));

/**
 * Cardinal number words one to twenty, per language. Kazakh and Kyrgyz write 11–19 as two
 * words (он бір), read by the extractor from "ten" followed by a unit.
 */
export const NUMBER_WORDS: Record<string, WordTable> = {
  en: table([
    'one',
    'two',
    'three',
    'four',
    'five',
    'six',
    'seven',
    'eight',
    'nine',
    'ten',
    'eleven',
    'twelve',
    'thirteen',
    'fourteen',
    'fifteen',
    'sixteen',
    'seventeen',
    'eighteen',
    'nineteen',
    'twenty',
  ]),
  ru: table(
    [
      ['один', 'одна', 'одно', 'одного', 'одной', 'одному', 'одним', 'одном', 'одну'],
      ['два', 'две', 'двух', 'двум', 'двумя'],
      ['три', 'трёх', 'трех', 'трём', 'трем', 'тремя'],
      ['четыре', 'четырёх', 'четырех', 'четырём', 'четырем', 'четырьмя'],
      'пять',
      'шесть',
      'семь',
      ['восемь', 'восьми', 'восемью', 'восьмью'],
      'девять',
      'десять',
      'одиннадцать',
      'двенадцать',
      'тринадцать',
      'четырнадцать',
      'пятнадцать',
      'шестнадцать',
      'семнадцать',
      'восемнадцать',
      'девятнадцать',
      'двадцать',
    ],
    softForms,
  ),
  be: table(
    [
      ['адзін', 'адна', 'адно', 'аднаго', 'адной', 'аднаму', 'адным'],
      ['два', 'дзве', 'двух', 'двум', 'двума'],
      ['тры', 'трох', 'тром', 'трыма'],
      ['чатыры', 'чатырох', 'чатыром', 'чатырма'],
      ['пяць', 'пяццю'],
      ['шэсць', 'шасці', 'шасцю'],
      ['сем', 'сямі', 'сямю'],
      ['восем', 'васьмі', 'васьмю'],
      'дзевяць',
      'дзесяць',
      'адзінаццаць',
      'дванаццаць',
      'трынаццаць',
      'чатырнаццаць',
      'пятнаццаць',
      'шаснаццаць',
      'сямнаццаць',
      'васямнаццаць',
      'дзевятнаццаць',
      'дваццаць',
    ],
    beForms,
  ),
  kk: table([
    'бір',
    ['екі', 'екеу'],
    ['үш', 'үшеу'],
    ['төрт', 'төртеу'],
    ['бес', 'бесеу'],
    ['алты', 'алтау'],
    ['жеті', 'жетеу'],
    ['сегіз', 'сегізеу'],
    ['тоғыз', 'тоғызау'],
    ['он', 'онау'],
    [],
    [],
    [],
    [],
    [],
    [],
    [],
    [],
    [],
    'жиырма',
  ]),
  ky: table([
    'бир',
    ['эки', 'экөө'],
    ['үч', 'үчөө'],
    ['төрт', 'төртөө'],
    ['беш', 'бешөө'],
    ['алты', 'алтоо'],
    ['жети', 'жетөө'],
    'сегиз',
    'тогуз',
    'он',
    [],
    [],
    [],
    [],
    [],
    [],
    [],
    [],
    [],
    'жыйырма',
  ]),
  tg: table([
    ['як', 'якто'],
    ['ду', 'дуто'],
    ['се', 'сето'],
    ['чор', 'чорто'],
    ['панҷ', 'панҷто'],
    ['шаш', 'шашто'],
    ['ҳафт', 'ҳафтто'],
    ['ҳашт', 'ҳаштто'],
    ['нӯҳ', 'нӯҳто'],
    ['даҳ', 'даҳто'],
    'ёздаҳ',
    'дувоздаҳ',
    'сездаҳ',
    'чордаҳ',
    'понздаҳ',
    'шонздаҳ',
    'ҳабдаҳ',
    'ҳаждаҳ',
    'нуздаҳ',
    'бист',
  ]),
  hy: table(
    [
      'մեկ',
      ['երկու', 'երկուս'],
      'երեք',
      'չորս',
      'հինգ',
      'վեց',
      'յոթ',
      'ութ',
      'ինը',
      ['տասը', 'տաս'],
      'տասնմեկ',
      'տասներկու',
      'տասներեք',
      'տասնչորս',
      'տասնհինգ',
      'տասնվեց',
      'տասնյոթ',
      'տասնութ',
      'տասնինը',
      'քսան',
    ],
    hyForms,
  ),
};

/** Russian and Belarusian adjective endings of an ordinal stem (перв-ый, перш-ая). */
const RU_ADJ = [
  'ый',
  'ий',
  'ой',
  'ая',
  'яя',
  'ое',
  'ее',
  'ого',
  'его',
  'ому',
  'ему',
  'ым',
  'им',
  'ом',
  'ем',
  'ую',
  'ые',
  'ых',
  'ыми',
];
const BE_ADJ = ['ы', 'і', 'ая', 'ое', 'ага', 'аму', 'ым', 'ай', 'ую', 'ыя', 'ых', 'ыя'];
const withEndings = (endings: string[]) => (stem: string) => endings.map((e) => stem + e);

/** Ordinal words one to ten (twenty in English); "21st" and "21-й" are read from digits. */
export const ORDINAL_WORDS: Record<string, WordTable> = {
  en: table([
    'first',
    'second',
    'third',
    'fourth',
    'fifth',
    'sixth',
    'seventh',
    'eighth',
    'ninth',
    'tenth',
    'eleventh',
    'twelfth',
    'thirteenth',
    'fourteenth',
    'fifteenth',
    'sixteenth',
    'seventeenth',
    'eighteenth',
    'nineteenth',
    'twentieth',
  ]),
  ru: {
    ...table(
      ['перв', 'втор', [], ['четвёрт', 'четверт'], 'пят', 'шест', 'седьм', 'восьм', 'девят', 'десят'],
      withEndings(RU_ADJ),
    ),
    3: [
      'третий',
      'третья',
      'третье',
      'третьего',
      'третьей',
      'третьему',
      'третьим',
      'третьем',
      'третью',
      'третьи',
      'третьих',
    ],
  },
  be: table(
    ['перш', 'друг', 'трэц', 'чацвёрт', 'пят', 'шост', 'сём', 'восьм', 'дзявят', 'дзясят'],
    withEndings(BE_ADJ),
  ),
  kk: table([
    'бірінші',
    'екінші',
    'үшінші',
    'төртінші',
    'бесінші',
    'алтыншы',
    'жетінші',
    'сегізінші',
    'тоғызыншы',
    'оныншы',
  ]),
  ky: table([
    'биринчи',
    'экинчи',
    'үчүнчү',
    'төртүнчү',
    'бешинчи',
    'алтынчы',
    'жетинчи',
    'сегизинчи',
    'тогузунчу',
    'онунчу',
  ]),
  tg: table([
    ['якум', 'нахустин'],
    'дуюм',
    'сеюм',
    'чорум',
    'панҷум',
    'шашум',
    'ҳафтум',
    'ҳаштум',
    'нӯҳум',
    'даҳум',
  ]),
  hy: table(
    [
      'առաջին',
      'երկրորդ',
      'երրորդ',
      'չորրորդ',
      'հինգերորդ',
      'վեցերորդ',
      'յոթերորդ',
      'ութերորդ',
      'իններորդ',
      'տասներորդ',
    ],
    hyForms,
  ),
};

/**
 * Scale words after a number: "1,25 млн" = 1 250 000. A stem followed by at most `suffix`
 * letters (миллиона, мільёнаў, միլիոն).
 */
export const SCALE_WORDS: { stem: string; factor: number; suffix: number }[] = [
  ...['thousand', 'тыс', 'тысяч', 'мың', 'миң', 'ҳазор', 'հազար'].map((stem) => ({
    stem,
    factor: 1e3,
    suffix: 4,
  })),
  ...['million', 'mln', 'млн', 'миллион', 'мільён', 'միլիոն'].map((stem) => ({
    stem,
    factor: 1e6,
    suffix: 4,
  })),
  ...['billion', 'bn', 'млрд', 'миллиард', 'мільярд', 'միլիարդ'].map((stem) => ({
    stem,
    factor: 1e9,
    suffix: 4,
  })),
  ...['trillion', 'трлн', 'триллион', 'трыльён', 'տրիլիոն'].map((stem) => ({
    stem,
    factor: 1e12,
    suffix: 4,
  })),
];

/** Words that make the number before them a percentage (the value is compared either way). */
export const PERCENT_WORDS = ['per cent', 'percent', 'процент', 'працэнт', 'пайыз', 'фоиз', 'տոկոս'];

/** Words between a year and the month or day it belongs to: "2019 թվականի հունիսի 27-ին". */
export const YEAR_WORDS = [
  'г',
  'гг',
  'года',
  'году',
  'год',
  'год.',
  'թ',
  'թվականի',
  'թվական',
  'жылғы',
  'жылы',
  'ж',
  'жылдын',
  'жыл',
  'соли',
  'сол',
  'of',
];
