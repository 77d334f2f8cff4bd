import { balanced, placeholdersOf, stripPlaceholders } from './inline-codes.js';

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
}

export interface GlossaryEntry {
  source: string;
  target: string;
}

export const LENGTH_RATIO_BOUNDS = { min: 0.33, max: 3 } as const;

export function runQa(segments: QaSegment[], glossary: GlossaryEntry[] = []): QaReport {
  const issues = segments.flatMap((s) => checkSegment(s, glossary));
  return {
    errors: issues.filter((x) => x.severity === 'error'),
    warnings: issues.filter((x) => x.severity === 'warning'),
  };
}

function checkSegment(seg: QaSegment, glossary: GlossaryEntry[]): QaIssue[] {
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

  const targetNumbers = numbersIn(target);
  for (const n of numbersIn(source)) {
    const at = targetNumbers.indexOf(n);
    if (at === -1) issue('error', 'number_missing', `The number ${n} of the source is missing`);
    else targetNumbers.splice(at, 1);
  }
  for (const url of urlsIn(source)) {
    if (!target.includes(url)) issue('error', 'url_missing', `The URL ${url} of the source is missing`);
  }

  const want = placeholdersOf(source).sort();
  const have = placeholdersOf(target);
  if (JSON.stringify(want) !== JSON.stringify([...have].sort())) {
    issue(
      'error',
      'placeholder_mismatch',
      `Markup placeholders differ: the source has ${want.join(' ') || 'none'}, the translation ${have.join(' ') || 'none'}`,
    );
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

/** Numbers with their digits only ("1 000,5" and "1,000.5" both give "10005"), dates included. */
function numbersIn(text: string): string[] {
  const withoutUrls = stripPlaceholders(text).replace(/https?:\/\/\S+/g, ' ');
  return [...withoutUrls.matchAll(/\d+(?:[\s\u00a0.,]\d+)*/g)].map((m) => m[0].replace(/\D/g, ''));
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
