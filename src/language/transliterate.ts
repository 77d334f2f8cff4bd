import { transliterate } from 'transliteration';

/**
 * Latin → Cyrillic for names typed in Latin letters («Tasmagambetov» → «тасмагамбетов»).
 * English-language transliterations are ambiguous (j is ж, дж or й; e at the start is е or
 * э; h is х or г), so this yields a few candidates, most likely first; the search ORs them.
 */
const MULTI: [string, string[]][] = [
  ['shch', ['щ']],
  ['sch', ['щ', 'ш']],
  ['dzh', ['дж']],
  ['zh', ['ж']],
  ['kh', ['х']],
  ['ts', ['ц']],
  ['tz', ['ц']],
  ['ch', ['ч']],
  ['sh', ['ш']],
  ['yu', ['ю']],
  ['ju', ['ю']],
  ['ya', ['я']],
  ['ja', ['я', 'жа', 'джа']],
  ['yo', ['е']],
  ['ye', ['е']],
  ['yi', ['ый', 'и']],
  ['iy', ['ий']],
  ['ph', ['ф']],
  ['ck', ['к']],
];
const SINGLE: Record<string, string[]> = {
  a: ['а'],
  b: ['б'],
  c: ['к', 'ц'],
  d: ['д'],
  e: ['е'],
  f: ['ф'],
  g: ['г'],
  h: ['х', 'г'],
  i: ['и'],
  j: ['ж', 'дж', 'й'],
  k: ['к'],
  l: ['л'],
  m: ['м'],
  n: ['н'],
  o: ['о'],
  p: ['п'],
  q: ['к'],
  r: ['р'],
  s: ['с'],
  t: ['т'],
  u: ['у'],
  v: ['в'],
  w: ['в'],
  x: ['кс'],
  y: ['ы'],
  z: ['з'],
};
const VOWELS = 'aeiouy';
const MAX_CANDIDATES = 6;

/** Cyrillic spellings of a Latin word (lower case), most likely first; [] if not Latin. */
export function latinToCyrillic(word: string): string[] {
  const w = word.toLowerCase();
  if (!/^[a-z]+$/.test(w)) return [];
  let candidates = [''];
  let i = 0;
  while (i < w.length) {
    let options: string[] | undefined;
    let length = 1;
    for (const [latin, cyrillic] of MULTI) {
      if (w.startsWith(latin, i)) {
        options = cyrillic;
        length = latin.length;
        break;
      }
    }
    if (!options) {
      const c = w[i];
      const afterVowel = i > 0 && VOWELS.includes(w[i - 1]);
      if (c === 'y' && (afterVowel || i === w.length - 1)) options = ['й', 'ы'];
      else if (c === 'e' && i === 0) options = ['е', 'э'];
      else options = SINGLE[c] ?? [c];
    }
    candidates = candidates.flatMap((prefix) => options.map((o) => prefix + o)).slice(0, MAX_CANDIDATES);
    i += length;
  }
  return candidates;
}

/** Latin spelling of a Cyrillic (or other non-Latin) word, for languages written in Latin. */
export function toLatin(word: string): string {
  return transliterate(word).toLowerCase();
}
