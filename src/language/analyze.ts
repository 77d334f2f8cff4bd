import { stemFolded } from './stem.js';
import { foldStem, foldWord } from './fold.js';
import { latinToCyrillic, toLatin } from './transliterate.js';

/** One word of a text, where it stands (UTF-16 offsets), and the search terms it yields. */
export interface Token {
  word: string;
  start: number;
  end: number;
  terms: string[];
}

const WORD = /[\p{L}\p{M}\p{N}]+/gu;
const MAX_WORD_LENGTH = 40;
const SENTENCE_END = /[.!?…:;«"“(\n]\s*$/u;

/** Languages written in Cyrillic: a Latin query word is also tried transliterated. */
const CYRILLIC = new Set(['ru', 'be', 'uk', 'bg', 'sr', 'mk', 'kk', 'ky', 'tg', 'mn']);
/** Languages where surnames and towns in -ов/-ев/-ин decline and Snowball mishandles them. */
const SLAVIC_NAMES = new Set(['ru', 'be', 'uk', 'bg']);

/**
 * Russian (and Belarusian) surnames and towns in -ов/-ев/-ин/-ын decline like possessive
 * adjectives (Семериков, Семерикова, Семериковым; Ростов, Ростове), and Snowball cuts them
 * inconsistently (Семериков → семерик but Семерикова → семериков; Ростов → рост, colliding
 * with «рост»). For a proper noun the base form up to the -ов is the better term.
 */
const NAME = /^(\p{L}{2,}?(?:ов|ев|ин|ын))(?:а|у|ым|ом|е|ой|ы|ых|ыми)?$/u;

function isCapitalized(word: string): boolean {
  const first = word[0];
  return first !== first.toLowerCase() && word.slice(1) !== word.slice(1).toUpperCase();
}

/** Which forms count as the same word when judging capitals: a name's base, else the word. */
function nameKey(lang: string, word: string): string {
  const folded = foldWord(lang, word);
  return (SLAVIC_NAMES.has(lang) && NAME.exec(folded)?.[1]) || folded;
}
type NameUse = 'proper' | 'common' | 'unknown';

/**
 * A proper noun's term in Russian or Belarusian: the base of a name in -ов/-ин, else the word
 * less one noun case ending. Snowball also strips verb endings, which splits names
 * (Таджикистан → таджикиста, but Таджикистане → таджикистан).
 */
function properTerm(folded: string): string {
  const name = NAME.exec(folded)?.[1];
  if (name) return foldStem(name);
  const ending = NOUN_ENDING.exec(folded);
  return foldStem(
    ending && folded.length - ending[0].length >= 3 ? folded.slice(0, -ending[0].length) : folded,
  );
}
const NOUN_ENDING = /(?:ами|ями|ом|ем|ой|ей|ах|ях|ам|ям|ию|ия|ии|а|я|у|ю|е|ы|и|ь)$/u;

/** What analysis needs of one word in one language, kept so that each word is worked out once. */
interface WordInfo {
  capitalized: boolean;
  nameKey: string;
  terms: Partial<Record<NameUse, string[]>>;
}

/**
 * Word infos per language, at most `MAX_MEMO_WORDS` in all; when full it starts afresh (a
 * text's vocabulary repeats within a story and across an archive, so the working set refills
 * at once). Keyed by the word itself, not by a key built for each lookup: indexing an archive
 * looks words up millions of times, and a concatenated key is copied and hashed every time.
 */
const MAX_MEMO_WORDS = 100_000;
let memo = new Map<string, Map<string, WordInfo>>();
let memoSize = 0;

/** A number (a date, a figure): rarely the same twice, and cheap to work out, so not kept. */
const isNumber = (word: string) => {
  const first = word.charCodeAt(0);
  return first >= 48 && first <= 57 && DIGITS.test(word);
};
const DIGITS = /^[0-9]+$/;

function wordInfo(lang: string, word: string): WordInfo {
  if (isNumber(word)) return { capitalized: false, nameKey: nameKey(lang, word), terms: {} };
  let byWord = memo.get(lang);
  const known = byWord?.get(word);
  if (known) return known;
  if (memoSize >= MAX_MEMO_WORDS) {
    memo = new Map();
    memoSize = 0;
    byWord = undefined;
  }
  if (!byWord) memo.set(lang, (byWord = new Map()));
  const info = { capitalized: isCapitalized(word), nameKey: nameKey(lang, word), terms: {} };
  // A matched word is a slice of the whole text; a key of its own keeps the text collectable.
  byWord.set(ownString(word), info);
  memoSize++;
  return info;
}

/** A copy of `s` that does not keep the string it was sliced from alive. */
const ownString = (s: string) => (' ' + s).slice(1);

/** The terms one word yields; `use` says whether it reads as a proper noun. */
function wordTerms(lang: string, word: string, use: NameUse): string[] {
  const terms = wordInfo(lang, word).terms;
  return (terms[use] ??= computeWordTerms(lang, word, use));
}

function computeWordTerms(lang: string, word: string, use: NameUse): string[] {
  const folded = foldWord(lang, word);
  const stemmed = stemFolded(lang, folded);
  if (!SLAVIC_NAMES.has(lang) || use === 'common') return [stemmed];
  const proper = properTerm(folded);
  if (use === 'proper') return [proper];
  return proper === stemmed ? [stemmed] : [stemmed, proper];
}

/**
 * The words of `text` with their terms. A capitalised word inside a sentence is taken as a
 * proper noun; one that starts a sentence is a proper noun if the text also capitalises it
 * mid-sentence, common if the text also writes it in lower case, and both otherwise.
 */
export function analyzeTokens(lang: string, text: string): Token[] {
  const words: { word: string; start: number; end: number; info: WordInfo; initial: boolean }[] = [];
  const midCapital = new Set<string>();
  const lower = new Set<string>();
  for (const m of text.normalize('NFC').matchAll(WORD)) {
    if (m[0].length > MAX_WORD_LENGTH) continue;
    const start = m.index;
    const before = text.slice(Math.max(0, start - 3), start);
    const initial = start === 0 || SENTENCE_END.test(before) || words.length === 0;
    const info = wordInfo(lang, m[0]);
    if (info.capitalized && !initial) midCapital.add(info.nameKey);
    if (!info.capitalized) lower.add(info.nameKey);
    words.push({ word: m[0], start, end: start + m[0].length, info, initial });
  }
  return words.map(({ word, start, end, info, initial }) => {
    let use: NameUse = 'common';
    if (info.capitalized && !initial) use = 'proper';
    else if (info.capitalized)
      use = midCapital.has(info.nameKey) ? 'proper' : lower.has(info.nameKey) ? 'common' : 'unknown';
    return { word, start, end, terms: (info.terms[use] ??= computeWordTerms(lang, word, use)) };
  });
}

/** Distinct search terms of a text in `lang`: what an index stores for it. */
export function analyze(lang: string, text: string): string[] {
  return [...new Set(analyzeTokens(lang, text).flatMap((t) => t.terms))];
}

/**
 * A query's words, each as the terms any of which may match it. A word typed with a capital
 * is a name; in lower case it may be either. A Latin word in a Cyrillic-script language also
 * matches its Cyrillic transliterations (names), and a non-Latin word in a Latin-script
 * language its Latin transliteration.
 */
export function analyzeQuery(lang: string, query: string): string[][] {
  const out: string[][] = [];
  for (const m of query.normalize('NFC').matchAll(WORD)) {
    const word = m[0];
    if (word.length > MAX_WORD_LENGTH) continue;
    const use: NameUse = isCapitalized(word) ? 'proper' : 'unknown';
    const alternatives = new Set(wordTerms(lang, word, use));
    const latin = /^[a-z]+$/i.test(word);
    if (latin && CYRILLIC.has(lang) && /^\p{L}+$/u.test(word)) {
      for (const cyrillic of latinToCyrillic(word)) {
        for (const term of wordTerms(lang, cyrillic, 'unknown')) alternatives.add(term);
      }
    } else if (!latin && /\p{L}/u.test(word) && !CYRILLIC.has(lang) && lang !== 'hy') {
      for (const term of wordTerms(lang, toLatin(word), use)) alternatives.add(term);
    }
    out.push([...alternatives]);
  }
  return out;
}
