import {
  balanced,
  codeDifference,
  describeCode,
  placeholderKey,
  placeholdersOf,
  stripPlaceholders,
} from './inline-codes.js';
import { compareFacts, factsIn, type Fact, type FactKind } from './qa-values.js';

/**
 * Automatic quality checks of a translation, segment by segment. Errors block submission
 * (the translator gets a message per segment); warnings are shown to the reviewer.
 * Pure functions: the review job and the submit pre-check both call `runQa`.
 */

export type QaSeverity = 'error' | 'warning';

export interface QaIssue {
  /** Segment index. */
  i: number;
  severity: QaSeverity;
  /** Stable check name: clients branch on it. */
  check:
    | 'empty'
    | 'untranslated'
    | 'number_missing'
    | 'number_different'
    | 'number_unsure'
    | 'number_extra'
    | 'date_missing'
    | 'date_different'
    | 'date_partial'
    | 'time_missing'
    | 'time_different'
    | 'url_missing'
    | 'placeholder_mismatch'
    | 'placeholder_order'
    | 'glossary_term_missing'
    | 'glossary_term_forbidden'
    | 'length_ratio'
    | 'whitespace'
    | 'punctuation';
  message: string;
}

export interface QaReport {
  errors: QaIssue[];
  warnings: QaIssue[];
}

export interface QaSegment {
  i: number;
  source: string;
  target: string;
  /** The markup behind the placeholders: lets a mismatch message name them (bold, link…). */
  tags?: Record<string, string>;
}

export interface GlossaryEntry {
  source: string;
  target: string;
}

/** The languages of the pair: numbers, dates and number words are read in them. */
export interface QaLanguages {
  from?: string;
  to?: string;
}

export const LENGTH_RATIO_BOUNDS = { min: 0.33, max: 3 } as const;

export function runQa(
  segments: QaSegment[],
  glossary: GlossaryEntry[] = [],
  langs: QaLanguages = {},
): QaReport {
  const issues = segments.flatMap((s) => checkSegment(s, glossary, langs));
  return {
    errors: issues.filter((x) => x.severity === 'error'),
    warnings: issues.filter((x) => x.severity === 'warning'),
  };
}

function checkSegment(seg: QaSegment, glossary: GlossaryEntry[], langs: QaLanguages): QaIssue[] {
  const { i, source, target } = seg;
  const issues: QaIssue[] = [];
  const issue = (severity: QaSeverity, check: QaIssue['check'], message: string) =>
    issues.push({ i, severity, check, message });

  if (!target.trim()) {
    issue('error', 'empty', 'The translation is empty');
    return issues;
  }
  if (target.trim() === source.trim() && /\p{L}{2,}.*\s.*\p{L}{2,}/u.test(stripPlaceholders(source))) {
    issue('error', 'untranslated', 'The translation is identical to the source');
  }

  issues.push(...valueIssues(i, source, target, langs));
  for (const url of urlsIn(source)) {
    if (!target.includes(url)) issue('error', 'url_missing', `The URL ${url} of the source is missing`);
  }

  const want = placeholdersOf(source).sort();
  const have = placeholdersOf(target);
  if (JSON.stringify(want) !== JSON.stringify([...have].sort())) {
    const { missing, extra } = codeDifference(source, target);
    const name = (code: string) => {
      const role = describeCode(seg.tags?.[placeholderKey(code)]).role;
      return role === 'other' ? code : `${code} (${role})`;
    };
    const parts = [
      missing.length ? `missing ${missing.map(name).join(', ')}` : '',
      extra.length ? `extra ${extra.map(name).join(', ')}` : '',
    ].filter(Boolean);
    issue('error', 'placeholder_mismatch', `Inline codes differ from the source: ${parts.join('; ')}`);
  } else if (!balanced(have)) {
    issue(
      'error',
      'placeholder_order',
      'Markup placeholders are not properly nested ({n} must come before {/n})',
    );
  }

  const lowerSource = source.toLowerCase();
  const lowerTarget = target.toLowerCase();
  for (const term of glossary) {
    if (lowerSource.includes(term.source.toLowerCase()) && !lowerTarget.includes(term.target.toLowerCase())) {
      issue(
        'error',
        'glossary_term_missing',
        `Glossary: '${term.source}' must be translated as '${term.target}'`,
      );
    }
  }

  const plainSource = stripPlaceholders(source).trim();
  const plainTarget = stripPlaceholders(target).trim();
  if (plainSource.length >= 20) {
    const ratio = plainTarget.length / plainSource.length;
    if (ratio < LENGTH_RATIO_BOUNDS.min || ratio > LENGTH_RATIO_BOUNDS.max) {
      issue(
        'warning',
        'length_ratio',
        `The translation is ${ratio.toFixed(2)}× the source's length (expected ${LENGTH_RATIO_BOUNDS.min}–${LENGTH_RATIO_BOUNDS.max})`,
      );
    }
  }
  if (edgeSpace(source) !== edgeSpace(target)) {
    issue('warning', 'whitespace', 'Leading or trailing whitespace differs from the source');
  }
  if (finalPunctuation(plainSource) !== finalPunctuation(plainTarget)) {
    issue(
      'warning',
      'punctuation',
      `The source ends with '${finalPunctuation(plainSource) || 'no punctuation'}', the translation with '${finalPunctuation(plainTarget) || 'no punctuation'}'`,
    );
  }
  return issues;
}

const NOUN: Record<FactKind, string> = { number: 'number', date: 'date', time: 'time' };

/**
 * Numbers, dates and times compared as values in each side's language (`qa-values.ts`). A
 * fact of the source that is missing or different is an error, quoted as the source writes
 * it; what the rules cannot decide (a number word, a Roman numeral, a month alone, a date
 * without its year, a number only the translation has) is a warning the translator may
 * accept with a note.
 */
function valueIssues(i: number, source: string, target: string, langs: QaLanguages): QaIssue[] {
  const { missing, extra, partial } = compareFacts(
    factsIn(source, langs.from ?? ''),
    factsIn(target, langs.to ?? ''),
  );
  const issues: QaIssue[] = [];
  const unused = [...extra];
  const counterpart = (f: Fact) => {
    const at = unused.findIndex((x) => x.kind === f.kind);
    return at === -1 ? undefined : unused.splice(at, 1)[0];
  };
  for (const f of missing) {
    if (f.strength === 'silent') continue;
    const other = counterpart(f);
    const noun = NOUN[f.kind];
    if (f.strength === 'weak') {
      issues.push({
        i,
        severity: 'warning',
        check: f.kind === 'date' ? 'date_partial' : 'number_unsure',
        message: other
          ? `The source's '${f.text}' may not be the translation's '${other.text}'; check it, or accept with a note`
          : `The source's '${f.text}' is not found in the translation; check it, or accept with a note`,
      });
    } else if (other) {
      issues.push({
        i,
        severity: 'error',
        check: `${f.kind}_different`,
        message: `The ${noun} ${f.text} of the source is ${other.text} in the translation`,
      });
    } else {
      issues.push({
        i,
        severity: 'error',
        check: `${f.kind}_missing`,
        message: `The ${noun} ${f.text} of the source is missing`,
      });
    }
  }
  for (const [s, t] of partial) {
    const sd = s.date!;
    const td = t.date!;
    if (sd.d !== undefined && td.d === undefined) {
      issues.push({
        i,
        severity: 'error',
        check: 'date_missing',
        message: `The date ${s.text} of the source has no day in the translation (${t.text})`,
      });
    } else if (sd.y !== undefined && td.y === undefined) {
      issues.push({
        i,
        severity: 'warning',
        check: 'date_partial',
        message: `The date ${s.text} of the source has no year in the translation (${t.text}); check it, or accept with a note`,
      });
    }
  }
  for (const f of unused) {
    if (f.strength !== 'strong') continue;
    issues.push({
      i,
      severity: 'warning',
      check: 'number_extra',
      message: `The translation has '${f.text}', which the source does not; check it, or accept with a note`,
    });
  }
  return issues;
}

const urlsIn = (text: string) =>
  [...text.matchAll(/https?:\/\/[^\s<>"»]+[^\s<>"».,;:!?)]/g)].map((m) => m[0]);

const edgeSpace = (text: string) => `${/^\s/.test(text) ? 'L' : ''}${/\s$/.test(text) ? 'T' : ''}`;

/** Sentence-final punctuation class; ideographic and Armenian marks count as their Latin kin. */
function finalPunctuation(text: string): string {
  const m = /[.!?…:;։]+$/.exec(text.replace(/[»"”')\]\s]+$/, ''));
  if (!m) return '';
  return m[0].replace(/։/g, '.').replace(/…/g, '...');
}
