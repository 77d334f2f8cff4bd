import { analyzeTokens } from '../language/index.js';

/** Visible text for indexing: one function serves search and feeds. */
export { htmlToText } from '../lib/sanitize-html.js';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The words of `text` whose terms are among `terms`, as [start, end) offsets. */
function matches(lang: string, text: string, terms: ReadonlySet<string>) {
  return analyzeTokens(lang, text).filter((t) => t.terms.some((term) => terms.has(term)));
}

/**
 * HTML-escaped `text` with every word that analyses to one of the query's terms wrapped in
 * `<mark>`: the reader sees why a result matched, whatever the inflection or accent.
 */
export function highlight(lang: string, text: string, terms: ReadonlySet<string>): string {
  let out = '';
  let last = 0;
  for (const m of matches(lang, text, terms)) {
    out += escapeHtml(text.slice(last, m.start)) + `<mark>${escapeHtml(text.slice(m.start, m.end))}</mark>`;
    last = m.end;
  }
  return out + escapeHtml(text.slice(last));
}

const SNIPPET = 220;

/**
 * About SNIPPET characters of `text` around its first match, cut at word boundaries, with
 * ellipses where it was cut, highlighted; '' when the text does not match.
 */
export function snippet(lang: string, text: string, terms: ReadonlySet<string>): string {
  const plain = text.replace(/[ \t]+/g, ' ').trim();
  const found = matches(lang, plain, terms);
  if (found.length === 0) return '';
  // Centre on the window holding the most matches, starting a little before the first of them.
  let best = found[0];
  let bestCount = 0;
  for (const m of found) {
    const count = found.filter((o) => o.start >= m.start && o.end <= m.start + SNIPPET).length;
    if (count > bestCount) [best, bestCount] = [m, count];
  }
  let start = Math.max(0, best.start - 60);
  if (start > 0) start = plain.indexOf(' ', start) + 1 || start;
  let end = Math.min(plain.length, start + SNIPPET);
  if (end < plain.length) end = plain.lastIndexOf(' ', end) > best.end ? plain.lastIndexOf(' ', end) : end;
  const body = highlight(lang, plain.slice(start, end), terms).replace(/\s*\n\s*/g, ' ');
  return `${start > 0 ? '… ' : ''}${body}${end < plain.length ? ' …' : ''}`;
}
