import { analyzeTokens, stem } from '../language/index.js';
import { stripPlaceholders } from '../shared/inline-codes.js';

/**
 * Inflection-aware term matching: a term matches a text when the text has a run of words
 * whose search terms (`src/language`: Snowball stems for ru, hy, en, be; folding plus suffix
 * stripping for kk, ky, tg) meet the term's words one by one. So the genitive «Организации
 * Договора о коллективной безопасности» matches the nominative entry «Организация Договора о
 * коллективной безопасности», and «Қазақстанның» matches «Қазақстан». Abbreviations (all
 * capitals, «ОДКБ») also match with a hyphenated or case suffix («ОДКБ-шный», «ОДКБ-нің»).
 */

export interface TermOccurrence {
  /** UTF-16 offsets in the text given (placeholders included). */
  start: number;
  end: number;
  text: string;
}

type Pattern = string[][];
const patterns = new Map<string, Pattern>();

function patternOf(lang: string, term: string): Pattern {
  const key = `${lang}\u0000${term}`;
  let p = patterns.get(key);
  if (!p) {
    // A term is read mid-sentence: its capitals mark names, not a sentence start.
    p = analyzeTokens(lang, `x ${term}`)
      .slice(1)
      .map((t) => (/^\p{Lu}{2,}$/u.test(t.word) ? [`=${t.word.toLowerCase()}`] : termsOf(lang, t)));
    if (patterns.size > 10_000) patterns.clear();
    patterns.set(key, p);
  }
  return p;
}

/** A word's search terms and its plain stem: a capital read as a name must not hide the stem. */
const termsOf = (lang: string, t: { word: string; terms: string[] }) => [
  ...new Set([...t.terms, stem(lang, t.word)]),
];

/**
 * Languages whose stemmers cut one form shorter than another («вазорат» → вазор but «вазоратҳо»
 * → вазорат; Armenian «կազմակերպություն» → կազմակերպությ but «…ության» → կազմակերպ): there a
 * stem that begins the other one (4 letters at least) counts as the same word.
 */
const PREFIX_STEMS = new Set(['hy', 'kk', 'ky', 'tg']);
const MIN_PREFIX = 4;

function sameWord(lang: string, want: string[], token: { word: string; terms: string[] }): boolean {
  const word = token.word.toLowerCase();
  if (want[0]?.startsWith('=')) return word.startsWith(want[0].slice(1));
  const have = termsOf(lang, token);
  if (want.some((w) => have.includes(w))) return true;
  if (!PREFIX_STEMS.has(lang)) return false;
  return want.some((w) =>
    have.some((h) => {
      const [short, long] = w.length <= h.length ? [w, h] : [h, w];
      return short.length >= MIN_PREFIX && long.startsWith(short);
    }),
  );
}

/** Where `term` occurs in `text` (a segment with placeholders), inflected or not. */
export function findTerm(lang: string, text: string, term: string): TermOccurrence[] {
  const pattern = patternOf(lang, term);
  if (pattern.length === 0) return [];
  // Placeholders become spaces of the same length, so offsets stay those of the segment.
  const plain = text.replace(/\{\/?\d+\/?\}/g, (m) => ' '.repeat(m.length));
  const tokens = analyzeTokens(lang, plain);
  const out: TermOccurrence[] = [];
  for (let i = 0; i + pattern.length <= tokens.length; i++) {
    if (pattern.every((want, k) => sameWord(lang, want, tokens[i + k]))) {
      const start = tokens[i].start;
      const end = tokens[i + pattern.length - 1].end;
      out.push({ start, end, text: text.slice(start, end) });
      i += pattern.length - 1;
    }
  }
  return out;
}

export const containsTerm = (lang: string, text: string, term: string) =>
  findTerm(lang, stripPlaceholders(text), term).length > 0;
