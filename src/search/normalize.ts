/**
 * Search text normalisation shared by indexing, querying and highlighting, so the three agree:
 * lower case, diacritics stripped (NFKD then combining marks removed, which also folds ё→е
 * and й→и), split into runs of letters and digits.
 */
export function normalizeWord(word: string): string {
  return word
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

const WORD = /[\p{L}\p{N}]+/gu;
const MAX_TOKEN_LENGTH = 40;

/** Distinct normalised tokens of a text (order of first appearance). */
export function tokenize(text: string): string[] {
  const tokens = new Set<string>();
  for (const match of text.matchAll(WORD)) {
    const token = normalizeWord(match[0]);
    if (token.length > 0 && token.length <= MAX_TOKEN_LENGTH) tokens.add(token);
  }
  return [...tokens];
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** Visible text of sanitised release HTML, for indexing (tags become spaces, entities decoded). */
export function htmlToText(html: string): string {
  return html.replace(/<[^>]*>/g, ' ').replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (all, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1));
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : ' ';
    }
    return ENTITIES[name.toLowerCase()] ?? all;
  });
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * HTML-escaped `text` with every word that starts with one of the (normalised) query terms
 * wrapped in `<mark>`: the reader sees why a result matched, in any script or accent.
 */
export function highlight(text: string, terms: string[]): string {
  if (terms.length === 0) return escapeHtml(text);
  let out = '';
  let last = 0;
  for (const match of text.matchAll(WORD)) {
    const word = normalizeWord(match[0]);
    if (!terms.some((t) => word.startsWith(t))) continue;
    out += escapeHtml(text.slice(last, match.index)) + `<mark>${escapeHtml(match[0])}</mark>`;
    last = match.index + match[0].length;
  }
  return out + escapeHtml(text.slice(last));
}
