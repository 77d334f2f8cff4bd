import { PLACEHOLDER } from './inline-codes.js';
import {
  MONTH_STEMS,
  NUMBER_WORDS,
  ORDINAL_WORDS,
  PERCENT_WORDS,
  SCALE_WORDS,
  YEAR_WORDS,
} from './qa-locale-data.js';

/**
 * The facts of a segment that a translation must keep — numbers, dates and times — read as
 * values in the segment's language, so house styles compare equal: "1 250 000" =
 * "1,250,000" = "1.25 million", "3,5 %" = "3.5%", "шесть" = "six" = "6", "14:30" = "2:30 pm",
 * "27 июня 2019 г." = "27 June 2019" = "27.06.2019", "21-й" = "21st", "2027–28" = "2027–2028".
 * Shared by the server's QA and the workbench in the browser (`qa.ts`).
 */

export type FactKind = 'number' | 'date' | 'time';

/**
 * How sure the reading is: a missing `strong` fact (digits, a full date, a time) is an error;
 * a missing `weak` one (a number word, a Roman numeral, a month alone) only a warning; a
 * `silent` one (the words for one, first, second, often idiom) may match but is never reported.
 */
export type FactStrength = 'strong' | 'weak' | 'silent';

export interface DateParts {
  y?: number;
  m: number;
  d?: number;
}

export interface Fact {
  kind: FactKind;
  /** As written in the text ("3,5 %"): messages quote it. */
  text: string;
  start: number;
  end: number;
  /** Comparable readings; two facts with a key in common are the same value. */
  keys: string[];
  strength: FactStrength;
  date?: DateParts;
}

/** Replaces consumed text so that no later rule reads it and no number runs across it. */
const FILL = '\u0001';
const SPACE = '[\\s\\u00a0\\u202f\\u2009]';
const isSpace = (c: string) => /[\s\u00a0\u202f\u2009]/.test(c);

const canon = (v: number) => `n:${Number(v.toPrecision(12))}`;
const pad = (n: number) => String(n).padStart(2, '0');
const timeKey = (h: number, m: number) => `t:${pad(h % 24)}:${pad(m)}`;

/** Every fact of a text, in text order. `lang` decides separators and number words. */
export function factsIn(text: string, lang: string): Fact[] {
  const scan = new Scan(text);
  scan.mask(PLACEHOLDER);
  scan.mask(/https?:\/\/[^\s<>"»]+/g);
  numericDates(scan, lang);
  textDates(scan, lang);
  times(scan);
  numbers(scan, lang);
  words(scan, lang);
  return scan.facts.sort((a, b) => a.start - b.start);
}

class Scan {
  masked: string;
  readonly facts: Fact[] = [];
  constructor(readonly text: string) {
    this.masked = text;
  }
  mask(re: RegExp) {
    for (const m of this.masked.matchAll(new RegExp(re.source, 'gu')))
      this.consume(m.index, m.index + m[0].length);
  }
  consume(start: number, end: number) {
    this.masked = this.masked.slice(0, start) + FILL.repeat(end - start) + this.masked.slice(end);
  }
  add(fact: Omit<Fact, 'text'>, consume = true) {
    this.facts.push({ ...fact, text: this.text.slice(fact.start, fact.end).trim() });
    if (consume) this.consume(fact.start, fact.end);
  }
}

// --- dates -------------------------------------------------------------------------------

const validDate = (d: DateParts) =>
  d.m >= 1 &&
  d.m <= 12 &&
  (d.d === undefined || (d.d >= 1 && d.d <= 31)) &&
  (d.y === undefined || (d.y >= 1000 && d.y <= 2999));
const fullYear = (y: string) => (y.length === 4 ? Number(y) : Number(y) + (Number(y) < 50 ? 2000 : 1900));
const dateKey = (d: DateParts) => `d:${d.y ?? '-'}-${d.m}-${d.d ?? '-'}`;

function addDate(scan: Scan, start: number, end: number, readings: DateParts[]) {
  const valid = readings.filter(validDate);
  if (valid.length === 0) return false;
  const strength: FactStrength = valid[0].d !== undefined || valid[0].y !== undefined ? 'strong' : 'weak';
  scan.add({ kind: 'date', start, end, keys: valid.map(dateKey), strength, date: valid[0] });
  return true;
}

/** 27.06.2019, 2019-06-27, 27/06/2019 (and 06/27/2019 in English, where both orders occur). */
function numericDates(scan: Scan, lang: string) {
  for (const m of scan.masked.matchAll(/(?<![\d.,])(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)/g)) {
    addDate(scan, m.index, m.index + m[0].length, [{ y: +m[1], m: +m[2], d: +m[3] }]);
  }
  for (const m of scan.masked.matchAll(
    /(?<![\d.,/])(\d{1,2})([./])(\d{1,2})\2(\d{4}|\d{2})(?!\d|[.,/]\d)/g,
  )) {
    const [a, b, y] = [+m[1], +m[3], fullYear(m[4])];
    const readings = [{ y, m: b, d: a }];
    if (m[2] === '/' && lang === 'en') readings.unshift({ y, m: a, d: b });
    addDate(scan, m.index, m.index + m[0].length, readings.filter(validDate));
  }
}

const YEAR_WORD = `(?:${YEAR_WORDS.map((w) => w.replace('.', '\\.')).join('|')})\\.?`;
/** A day or a range of days: 27, 27-го, 5–7, 1 по 3, 1 to 3. */
const DAY = `(\\d{1,2})(?!\\d)(?:(?:${SPACE}*[–—-]${SPACE}*|${SPACE}+(?:по|до|и|to|and)${SPACE}+)(\\d{1,2})(?!\\d))?(?:-?\\p{L}{1,3}(?!\\p{L}))?`;
/** Before a month: "[2019 жылғы] 27[–28][-го] " or "27-" (Kyrgyz 27-июнь). */
const LEFT = new RegExp(
  `(?:(?<!\\d)(\\d{4})${SPACE}*-?${SPACE}*(?:${YEAR_WORD})?${SPACE}+)?(?<!\\d)${DAY}(?:${SPACE}+|-)$`,
  'u',
);
const LEFT_YEAR = new RegExp(`(?<!\\d)(\\d{4})${SPACE}*-?${SPACE}*(?:${YEAR_WORD})?${SPACE}+$`, 'u');
/** After a month: " 27[–28][th]" (English, Armenian). */
const RIGHT_DAY = new RegExp(`^${SPACE}+${DAY}`, 'u');
const RIGHT_YEAR = new RegExp(`^(?:${SPACE}*,)?${SPACE}+(?:(?:of|соли)${SPACE}+)?(\\d{4})(?!\\d)`, 'u');
const RIGHT_DAY_LANGS = new Set(['en', 'hy']);

/** A month name with the day(s) and year written around it, in any configured language's order. */
function textDates(scan: Scan, lang: string) {
  for (const w of [...scan.masked.matchAll(/\p{L}[\p{L}\p{M}]*/gu)]) {
    const month = monthOf(w[0]);
    if (month === undefined) continue;
    let start = w.index;
    let end = w.index + w[0].length;
    const before = scan.masked.slice(Math.max(0, start - 48), start);
    let days: number[] = [];
    let year: number | undefined;
    const left = LEFT.exec(before);
    if (left) {
      start -= left[0].length;
      days = [left[2], left[3]].filter(Boolean).map(Number);
      if (left[1]) year = +left[1];
    } else {
      const leftYear = LEFT_YEAR.exec(before);
      if (leftYear) {
        start -= leftYear[0].length;
        year = +leftYear[1];
      }
      const right = RIGHT_DAY_LANGS.has(lang) ? RIGHT_DAY.exec(scan.masked.slice(end)) : null;
      if (right) {
        end += right[0].length;
        days = [right[1], right[2]].filter(Boolean).map(Number);
      }
    }
    const rightYear = year === undefined ? RIGHT_YEAR.exec(scan.masked.slice(end)) : null;
    if (rightYear) {
      end += rightYear[0].length;
      year = +rightYear[1];
    }
    const readings: DateParts[] = days.length
      ? days.map((d) => ({ y: year, m: month, d }))
      : [{ y: year, m: month }];
    // A range of days ("5–7 June") is two dates; both are written in one span.
    for (const r of readings) {
      if (!validDate(r)) continue;
      const strength: FactStrength = r.d !== undefined || r.y !== undefined ? 'strong' : 'weak';
      scan.facts.push({
        kind: 'date',
        text: scan.text.slice(start, end).trim(),
        start,
        end,
        keys: [dateKey(r)],
        strength,
        date: r,
      });
    }
    scan.consume(start, end);
  }
}

export function monthOf(word: string): number | undefined {
  const lower = word.toLowerCase();
  for (const s of MONTH_STEMS) {
    if (s.capital) {
      if (word.startsWith(s.stem) && word.length === s.stem.length) return s.month;
      continue;
    }
    if (lower.startsWith(s.stem) && lower.length - s.stem.length <= s.suffix) return s.month;
  }
  return undefined;
}

// --- times -------------------------------------------------------------------------------

const AMPM = `${SPACE}*([aApP])\\.?${SPACE}?[mM]\\.?(?!\\p{L})`;

/** 14:30, 2:30 pm, 2.30 p.m., 2 pm. A 12-hour time without am/pm may be either half of the day. */
function times(scan: Scan) {
  const clock = new RegExp(
    `(?<![\\d:.,])(\\d{1,2})(?::(\\d{2})|\\.(\\d{2})(?=${AMPM}))(?!\\d|[:.,]\\d)(?:${AMPM})?`,
    'gu',
  );
  for (const m of scan.masked.matchAll(clock)) {
    const h = +m[1];
    const min = +(m[2] ?? m[3]);
    const ampm = (m[4] ?? m[5])?.toLowerCase();
    if (min > 59 || h > 23 || (ampm && (h < 1 || h > 12))) continue;
    scan.add({
      kind: 'time',
      start: m.index,
      end: m.index + m[0].length,
      keys: timeKeys(h, min, ampm),
      strength: 'strong',
    });
  }
  for (const m of scan.masked.matchAll(new RegExp(`(?<![\\d:.,])(\\d{1,2})(?=${AMPM})${AMPM}`, 'gu'))) {
    const h = +m[1];
    if (h < 1 || h > 12) continue;
    scan.add({
      kind: 'time',
      start: m.index,
      end: m.index + m[0].length,
      keys: timeKeys(h, 0, m[2].toLowerCase()),
      strength: 'strong',
    });
  }
}

function timeKeys(h: number, min: number, ampm: string | undefined): string[] {
  if (ampm === 'a') return [timeKey(h === 12 ? 0 : h, min)];
  if (ampm === 'p') return [timeKey(h === 12 ? 12 : h + 12, min)];
  return h >= 1 && h <= 12 ? [timeKey(h, min), timeKey(h + 12, min)] : [timeKey(h, min)];
}

// --- numbers -----------------------------------------------------------------------------

interface Separators {
  group: (c: string) => boolean;
  decimal: string;
}

const separatorCache = new Map<string, Separators>();

/** The language's decimal and grouping marks, from Intl (CLDR); spaces always group. */
function separatorsOf(lang: string): Separators {
  let s = separatorCache.get(lang);
  if (s) return s;
  let decimal = lang === 'en' ? '.' : ',';
  let group = lang === 'en' ? ',' : ' ';
  try {
    const parts = new Intl.NumberFormat(lang).formatToParts(12345.6);
    decimal = parts.find((p) => p.type === 'decimal')?.value ?? decimal;
    group = parts.find((p) => p.type === 'group')?.value ?? group;
  } catch {
    // an unknown locale: the defaults above
  }
  s = { decimal, group: (c) => isSpace(c) || (!isSpace(group) && c === group) };
  separatorCache.set(lang, s);
  return s;
}

/** The value of "1 250 000,5" with the given marks, or undefined when they do not fit. */
function parseWith(raw: string, sep: Separators): number | undefined {
  let int = raw;
  let frac = '';
  const at = raw.lastIndexOf(sep.decimal);
  if (at >= 0) {
    int = raw.slice(0, at);
    frac = raw.slice(at + 1);
    if (!/^\d+$/.test(frac)) return undefined;
  }
  const marks = int.match(/\D/g) ?? [];
  if (marks.some((c) => !sep.group(c))) return undefined;
  const chunks = int.split(/\D/);
  if (marks.length && (chunks[0].length > 3 || chunks.slice(1).some((c) => c.length !== 3))) return undefined;
  if (marks.length && new Set(marks.map((c) => (isSpace(c) ? ' ' : c))).size > 1) return undefined;
  return Number(chunks.join('') + (frac ? `.${frac}` : ''));
}

const FOREIGN: Separators[] = [
  { decimal: '.', group: (c) => c === ',' || isSpace(c) },
  { decimal: ',', group: (c) => c === '.' || isSpace(c) },
];

/** Readings of a digit run: the language's own, else every foreign style that fits. */
export function readNumber(raw: string, lang: string): number[] {
  const own = parseWith(raw, separatorsOf(lang));
  if (own !== undefined) return [own];
  return [...new Set(FOREIGN.map((s) => parseWith(raw, s)).filter((v): v is number => v !== undefined))];
}

const PERCENT = new RegExp(`^${SPACE}*(?:%|‰|(?:${PERCENT_WORDS.join('|')})\\p{L}*)`, 'iu');
const ORDINAL_SUFFIX = /^(?:st|nd|rd|th|-\p{L}{1,4})(?!\p{L})/u;

function scaleAfter(rest: string): { factor: number; length: number } | undefined {
  const m = new RegExp(`^${SPACE}*(\\p{L}+)\\.?`, 'u').exec(rest);
  if (!m) return undefined;
  const word = m[1].toLowerCase();
  const s = SCALE_WORDS.find((x) => word.startsWith(x.stem) && word.length - x.stem.length <= x.suffix);
  return s ? { factor: s.factor, length: m[0].length } : undefined;
}

/** Digit runs with their percent sign, scale word ("млн") or ordinal ending. */
function numbers(scan: Scan, lang: string) {
  const found: { fact: Omit<Fact, 'text'>; digits: string }[] = [];
  const push = (raw: string, start: number) => {
    const values = readNumber(raw, lang);
    if (values.length === 0) {
      // "2019 15" is not one number: read each run on its own.
      for (const part of raw.matchAll(/\d+(?:[.,]\d+)?/g)) push(part[0], start + part.index);
      return;
    }
    let end = start + raw.length;
    const rest = scan.masked.slice(end, end + 24);
    const scale = scaleAfter(rest);
    const percent = PERCENT.exec(rest);
    const ordinal = ORDINAL_SUFFIX.exec(rest);
    let factor = 1;
    if (percent) end += percent[0].length;
    else if (scale) {
      end += scale.length;
      factor = scale.factor;
    } else if (ordinal) end += ordinal[0].length;
    const keys = values.map((v) => canon(v * factor));
    // "в 14.30": a time written with a dot, unless a scale or percent says otherwise.
    const clock = factor === 1 && !percent ? /^(\d{1,2})\.(\d{2})$/.exec(raw) : null;
    if (clock && +clock[1] <= 23 && +clock[2] <= 59) keys.push(timeKey(+clock[1], +clock[2]));
    found.push({ fact: { kind: 'number', start, end, keys, strength: 'strong' }, digits: raw });
  };
  for (const m of scan.masked.matchAll(/\d+(?:[\s\u00a0\u202f\u2009.,'’]\d+)*/g)) push(m[0], m.index);
  // "2027–28": the end of a range written short means 2028.
  for (let k = 1; k < found.length; k++) {
    const [a, b] = [found[k - 1], found[k]];
    const between = scan.masked.slice(a.fact.end, b.fact.start);
    if (
      /^\d+$/.test(a.digits) &&
      /^\d+$/.test(b.digits) &&
      b.digits.length < a.digits.length &&
      /^\s*[–—-]\s*$/.test(between)
    ) {
      b.fact.keys.push(canon(Number(a.digits.slice(0, a.digits.length - b.digits.length) + b.digits)));
    }
  }
  for (const f of found) scan.add(f.fact);
}

// --- words ---------------------------------------------------------------------------------

const wordIndexCache = new Map<string, Map<string, { value: number; ordinal: boolean }>>();

function wordIndex(lang: string) {
  let index = wordIndexCache.get(lang);
  if (index) return index;
  index = new Map();
  for (const [table, ordinal] of [
    [ORDINAL_WORDS[lang], true],
    [NUMBER_WORDS[lang], false],
  ] as const) {
    for (const [value, forms] of Object.entries(table ?? {})) {
      for (const f of forms) index.set(f.toLowerCase(), { value: Number(value), ordinal });
    }
  }
  wordIndexCache.set(lang, index);
  return index;
}

const ROMAN = { I: 1, V: 5, X: 10, L: 50, C: 100 } as const;

function romanValue(word: string): number | undefined {
  if (!/^[IVXLC]{2,}$/.test(word)) return undefined;
  let total = 0;
  for (let k = 0; k < word.length; k++) {
    const v = ROMAN[word[k] as keyof typeof ROMAN];
    const next = ROMAN[word[k + 1] as keyof typeof ROMAN] ?? 0;
    total += v < next ? -v : v;
  }
  return toRoman(total) === word ? total : undefined;
}

function toRoman(n: number): string {
  const table: [number, string][] = [
    [100, 'C'],
    [90, 'XC'],
    [50, 'L'],
    [40, 'XL'],
    [10, 'X'],
    [9, 'IX'],
    [5, 'V'],
    [4, 'IV'],
    [1, 'I'],
  ];
  let out = '';
  for (const [v, s] of table) {
    while (n >= v) {
      out += s;
      n -= v;
    }
  }
  return out;
}

/** Number words (one to twenty, with "он бір" and "twenty-one"), ordinal words, Roman numerals. */
function words(scan: Scan, lang: string) {
  const index = wordIndex(lang);
  const all = [...scan.masked.matchAll(/\p{L}[\p{L}\p{M}]*/gu)];
  for (let k = 0; k < all.length; k++) {
    const w = all[k];
    const roman = romanValue(w[0]);
    if (roman !== undefined) {
      scan.add(
        {
          kind: 'number',
          start: w.index,
          end: w.index + w[0].length,
          keys: [canon(roman)],
          strength: 'weak',
        },
        false,
      );
      continue;
    }
    const hit = index.get(w[0].toLowerCase());
    if (!hit) continue;
    let { value } = hit;
    let end = w.index + w[0].length;
    const next = all[k + 1];
    if (
      (value === 10 || value === 20) &&
      !hit.ordinal &&
      next &&
      /^[\s\u00a0-]$/.test(scan.masked.slice(end, next.index))
    ) {
      const unit = index.get(next[0].toLowerCase());
      if (unit && !unit.ordinal && unit.value < 10) {
        value += unit.value;
        end = next.index + next[0].length;
        k++;
      }
    }
    const silent = hit.ordinal ? value <= 2 : value === 1;
    scan.add(
      { kind: 'number', start: w.index, end, keys: [canon(value)], strength: silent ? 'silent' : 'weak' },
      false,
    );
  }
}

// --- comparison ------------------------------------------------------------------------------

const sameDate = (a: DateParts, b: DateParts) => a.y === b.y && a.m === b.m && a.d === b.d;
const fits = (a?: number, b?: number) => a === undefined || b === undefined || a === b;

function exactly(a: Fact, b: Fact): boolean {
  if (a.date && b.date) return sameDate(a.date, b.date) || a.keys.some((k) => b.keys.includes(k));
  if (a.date || b.date) return false;
  return a.keys.some((k) => b.keys.includes(k));
}

function partly(a: Fact, b: Fact): boolean {
  if (!a.date || !b.date) return false;
  return a.date.m === b.date.m && fits(a.date.d, b.date.d) && fits(a.date.y, b.date.y);
}

export interface FactComparison {
  /** Source facts with no counterpart in the target. */
  missing: Fact[];
  /** Target facts with no counterpart in the source. */
  extra: Fact[];
  /** Dates matched only in part (a field one side has and the other does not). */
  partial: [source: Fact, target: Fact][];
}

/** Pairs source and target facts one to one (a bipartite matching), exact readings first. */
export function compareFacts(source: Fact[], target: Fact[]): FactComparison {
  const owner = new Array<number>(target.length).fill(-1);
  const matchedBy = new Array<number>(source.length).fill(-1);
  const augment = (s: number, ok: (a: Fact, b: Fact) => boolean, seen: boolean[]): boolean => {
    for (let t = 0; t < target.length; t++) {
      if (seen[t] || !ok(source[s], target[t])) continue;
      seen[t] = true;
      if (owner[t] === -1 || augment(owner[t], ok, seen)) {
        owner[t] = s;
        matchedBy[s] = t;
        return true;
      }
    }
    return false;
  };
  const either = (a: Fact, b: Fact) => exactly(a, b) || partly(a, b);
  for (const ok of [exactly, either]) {
    for (let s = 0; s < source.length; s++) {
      if (matchedBy[s] === -1) augment(s, ok, new Array<boolean>(target.length).fill(false));
    }
  }
  return {
    missing: source.filter((_, s) => matchedBy[s] === -1),
    extra: target.filter((_, t) => owner[t] === -1),
    partial: source.flatMap((f, s) => {
      const t = matchedBy[s];
      return t !== -1 && !exactly(f, target[t]) ? [[f, target[t]] as [Fact, Fact]] : [];
    }),
  };
}
