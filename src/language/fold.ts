/**
 * Letter folding: the spellings a reader may type interchangeably become one letter before
 * stemming, so the index and the query agree. ё→е everywhere (Russian prints both); the
 * Kazakh, Kyrgyz and Tajik letters fold to their Russian-keyboard look-alikes (people often
 * type «Токаев» for «Тоқаев»); Belarusian і/ў fold to и/у so one Russian-like stemmer fits.
 */
const TURKIC_TAJIK: Record<string, string> = {
  ғ: 'г',
  қ: 'к',
  ң: 'н',
  ө: 'о',
  ұ: 'у',
  ү: 'у',
  і: 'и',
  һ: 'х',
  ҳ: 'х',
  ҷ: 'ч',
  ӣ: 'и',
  ӯ: 'у',
  ә: 'а',
  ў: 'у',
};
const TURKIC_TAJIK_RE = new RegExp(`[${Object.keys(TURKIC_TAJIK).join('')}]`, 'g');

/** Languages whose stemmer needs і, ї, є as they are (folding would break its rules). */
const KEEP_LETTERS = new Set(['uk']);

const LATIN = /[a-z]/;

/** Lower-cased, NFC, ё→е, Latin accents stripped, and the language's letters folded. */
export function foldWord(lang: string, word: string): string {
  let w = word.normalize('NFC').toLowerCase().replace(/ё/g, 'е');
  // Accents on Latin letters only: NFKD on Cyrillic would also turn й into и before stemming.
  if (LATIN.test(w)) w = w.normalize('NFKD').replace(/\p{M}+/gu, '');
  if (!KEEP_LETTERS.has(lang)) w = w.replace(TURKIC_TAJIK_RE, (c) => TURKIC_TAJIK[c]);
  return w;
}

/**
 * After stemming: letters whose choice readers and transliterations disagree on (й/и, э/е),
 * folded on both sides so «Эрдоган» and a transliterated «Erdogan» meet.
 */
export function foldStem(stem: string): string {
  return stem.replace(/й/g, 'и').replace(/э/g, 'е');
}
