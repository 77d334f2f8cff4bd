import { PLACEHOLDER, balanced, placeholdersOf, stripPlaceholders } from '../shared/inline-codes.js';

/**
 * Inline codes through machine translation. An MT engine must not see our placeholders as
 * text (it would translate, reorder or drop the digits), so a segment goes out as an HTML
 * fragment in which `{n}…{/n}` is `<g id="n">…</g>` and `{n/}` is `<x id="n"/>` — LibreTranslate
 * (`format: html`) and most MT servers keep tags and move them with the words they wrap — and
 * comes back the same way. A translation whose codes do not round-trip is still offered as a
 * suggestion (without codes, for QA to flag) but never pre-fills a segment.
 */

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };
const decodeHtml = (s: string) =>
  s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (all, e: string) => {
    if (e[0] === '#') {
      const cp = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : all;
    }
    return NAMED[e.toLowerCase()] ?? all;
  });

/** A segment with placeholders → the HTML fragment sent to the engine. */
export function codesToTags(segment: string): string {
  let out = '';
  let last = 0;
  for (const m of segment.matchAll(PLACEHOLDER)) {
    out += escapeHtml(segment.slice(last, m.index));
    const [, close, n, empty] = m;
    out += close ? '</g>' : empty ? `<x id="${n}"/>` : `<g id="${n}">`;
    last = m.index + m[0].length;
  }
  return out + escapeHtml(segment.slice(last));
}

// `<g id="1">`, `</g>`, `<x id="2"/>`, `<x id="2">`, `</x>` (an HTML parser may write either).
const TAG = /<(\/?)([gx])(?:\s+id\s*=\s*["']?(\d+)["']?)?\s*(\/?)>/gi;

/**
 * The engine's HTML back into a segment with placeholders. Closing `</g>` tags are matched to
 * their opening tag by nesting; any other markup the engine added is dropped.
 */
export function tagsToCodes(html: string): string {
  const open: string[] = [];
  let out = '';
  let last = 0;
  for (const m of html.matchAll(TAG)) {
    out += textOf(html.slice(last, m.index));
    last = m.index + m[0].length;
    const [, close, name, n, selfClosing] = m;
    const kind = name.toLowerCase();
    if (kind === 'x') {
      if (!close && n) out += `{${n}/}`;
    } else if (close) {
      const id = open.pop();
      if (id) out += `{/${id}}`;
    } else if (n) {
      if (selfClosing) out += `{${n}}{/${n}}`;
      else {
        open.push(n);
        out += `{${n}}`;
      }
    }
  }
  return (out + textOf(html.slice(last))).replace(/\s+/g, ' ').trim();
}

// Other tags the engine may have produced are not ours: keep their text only.
const textOf = (s: string) => decodeHtml(s.replace(/<[^>]*>/g, ''));

/** True when the translation has the source's codes, each once, properly nested. */
export function codesMatch(source: string, target: string): boolean {
  const a = placeholdersOf(source).sort();
  const b = placeholdersOf(target).sort();
  return a.join() === b.join() && balanced(placeholdersOf(target));
}

/** The translation to offer: as it came back when its codes are intact, else without codes. */
export function offeredText(source: string, translated: string): { text: string; codesIntact: boolean } {
  if (codesMatch(source, translated)) return { text: translated, codesIntact: true };
  return { text: stripPlaceholders(translated).replace(/\s+/g, ' ').trim(), codesIntact: false };
}
