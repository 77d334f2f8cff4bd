import { diffWords } from 'diff';
import { normalizeSegment } from '../similarity.js';

/**
 * How a translation-memory match is scored, the way memoQ and Trados users read it:
 * 101 % context match (exact, and the neighbouring segments match too), 100 % exact, then
 * fuzzy bands 95–99, 85–94 and 75–84. The fuzzy base is the character edit distance on the
 * text without inline codes and with numbers masked; differing numbers, inline codes and
 * letter case then cost points of their own, so a match that differs only in a date or a
 * bold tag lands high but never at 100 %. Pure functions: the server and tests call them.
 */

export type MatchBand = '101' | '100' | '95-99' | '85-94' | '75-84';

export type PenaltyCode = 'numbers' | 'inline_codes' | 'case' | 'whitespace';

export interface Penalty {
  code: PenaltyCode;
  /** Percentage points taken off. */
  points: number;
}

export interface DiffPart {
  /** The current source has it (`insert`), only the memory's source has it (`delete`), or both. */
  op: 'equal' | 'insert' | 'delete';
  text: string;
}

export interface MatchScore {
  /** 0–101 percentage points. */
  percent: number;
  band: MatchBand | null;
  penalties: Penalty[];
}

/** The lowest score offered as a suggestion. */
export const FUZZY_MIN_PERCENT = 75;

const PLACEHOLDER = /\{\/?\d+\/?\}/g;
const NUMBER = /\d+(?:[.,\u00a0\u202f ]\d+)*/g;
const NUMBER_PENALTY = 2;
const MAX_NUMBER_PENALTY = 6;
const CODE_PENALTY = 1;
const MAX_CODE_PENALTY = 4;

export function bandOf(percent: number): MatchBand | null {
  if (percent >= 101) return '101';
  if (percent >= 100) return '100';
  if (percent >= 95) return '95-99';
  if (percent >= 85) return '85-94';
  if (percent >= FUZZY_MIN_PERCENT) return '75-84';
  return null;
}

/** Text for the fuzzy base: codes out, numbers masked, spaces normalised, lower case. */
export const coreText = (s: string) =>
  normalizeSegment(s.replace(PLACEHOLDER, ' ').replace(NUMBER, '#'))
    .replace(/\s+([.,;:!?…])/g, '$1')
    .toLowerCase();

export const numbersOf = (s: string) =>
  [...s.replace(PLACEHOLDER, ' ').matchAll(NUMBER)].map((m) => m[0].replace(/\D/g, ''));

const codesOf = (s: string) => [...s.matchAll(PLACEHOLDER)].map((m) => m[0]);

/** Elements of `a` not matched one-to-one in `b`, plus those of `b` not in `a`. */
function multisetDifference(a: string[], b: string[]): number {
  const rest = [...b];
  let missing = 0;
  for (const x of a) {
    const at = rest.indexOf(x);
    if (at === -1) missing++;
    else rest.splice(at, 1);
  }
  return Math.max(missing, rest.length);
}

/**
 * Scores the memory's source `candidate` against the segment being translated, `query`.
 * `contextMatch` says the entry was stored between the same neighbours as the query.
 */
export function scoreMatch(query: string, candidate: string, contextMatch = false): MatchScore {
  if (normalizeSegment(query) === normalizeSegment(candidate)) {
    const percent = contextMatch ? 101 : 100;
    return { percent, band: bandOf(percent), penalties: [] };
  }
  const penalties: Penalty[] = [];
  const qCore = coreText(query);
  const cCore = coreText(candidate);
  const longer = Math.max(qCore.length, cCore.length);
  const budget = Math.floor(longer * (1 - FUZZY_MIN_PERCENT / 100));
  const distance = longer === 0 ? 0 : boundedLevenshtein(qCore, cCore, budget);
  if (distance > budget) return { percent: 0, band: null, penalties: [] };
  const base = longer === 0 ? 100 : Math.floor((1 - distance / longer) * 100);
  const numbers = multisetDifference(numbersOf(query), numbersOf(candidate));
  if (numbers > 0)
    penalties.push({ code: 'numbers', points: Math.min(MAX_NUMBER_PENALTY, numbers * NUMBER_PENALTY) });
  const codes = multisetDifference(codesOf(query), codesOf(candidate));
  if (codes > 0)
    penalties.push({ code: 'inline_codes', points: Math.min(MAX_CODE_PENALTY, codes * CODE_PENALTY) });
  const plain = (s: string) => normalizeSegment(s.replace(PLACEHOLDER, ' ').replace(NUMBER, '#'));
  if (base === 100 && plain(query) !== plain(candidate)) {
    const spacing = (s: string) => plain(s).replace(/\s+([.,;:!?…])/g, '$1');
    penalties.push(
      spacing(query) === spacing(candidate) ? { code: 'whitespace', points: 1 } : { code: 'case', points: 1 },
    );
  }
  const taken = penalties.reduce((n, p) => n + p.points, 0);
  // Whatever differs, a fuzzy match is never shown as exact.
  const percent = Math.max(0, Math.min(99, base - taken));
  return { percent, band: bandOf(percent), penalties };
}

// Unicode word boundaries: the library's default word pattern is ASCII-only.
const WORDS = new Intl.Segmenter('und', { granularity: 'word' });

/** Word diff from the memory's source to the current source, for the suggestion's display. */
export function diffSources(memorySource: string, currentSource: string): DiffPart[] {
  return diffWords(memorySource, currentSource, { intlSegmenter: WORDS }).map((c) => ({
    op: c.added ? 'insert' : c.removed ? 'delete' : 'equal',
    text: c.value,
  }));
}

/**
 * Levenshtein distance when it is at most `k`, else `k + 1`: only the diagonal band of width
 * 2k + 1 is computed and a row whose minimum exceeds `k` ends it, so a candidate that cannot
 * reach 75 % costs a fraction of a full comparison.
 */
export function boundedLevenshtein(a: string, b: string, k: number): number {
  if (a.length < b.length) [a, b] = [b, a];
  const n = a.length;
  const m = b.length;
  if (n - m > k) return k + 1;
  const BIG = k + 1;
  let prev = new Array<number>(m + 2).fill(BIG);
  let cur = new Array<number>(m + 2).fill(BIG);
  for (let j = 0; j <= Math.min(m, k); j++) prev[j] = j;
  for (let i = 1; i <= n; i++) {
    const lo = Math.max(1, i - k);
    const hi = Math.min(m, i + k);
    cur[lo - 1] = lo === 1 ? (i <= k ? i : BIG) : BIG;
    let rowMin = cur[lo - 1];
    const ca = a.charCodeAt(i - 1);
    for (let j = lo; j <= hi; j++) {
      const sub = prev[j - 1] + (ca === b.charCodeAt(j - 1) ? 0 : 1);
      const v = Math.min(sub, prev[j] + 1, cur[j - 1] + 1);
      cur[j] = v > BIG ? BIG : v;
      if (cur[j] < rowMin) rowMin = cur[j];
    }
    if (hi + 1 <= m) cur[hi + 1] = BIG;
    if (rowMin > k) return BIG;
    [prev, cur] = [cur, prev];
  }
  return Math.min(prev[m], BIG);
}
