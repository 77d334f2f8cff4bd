/**
 * The inline-code model shared by the server (segmenter, QA, assembly, the pages' tokens) and
 * the browser (the target editor, QA as the translator types). Inside a segment, inline markup
 * is a numbered placeholder: `{1}…{/1}` around text, `{2/}` for an empty element such as
 * `<br />`. The task keeps a map placeholder key → original markup (`tags`), so translators
 * never edit HTML and the markup comes back exactly as it was. `segmentParts` and `partsToText`
 * are the two directions between that placeholder form and text runs with tokens: the server's
 * pages and the workbench's editor both render from the first and serialise with the second.
 */

/** Matches one placeholder; groups: closing slash, number, self-closing slash. */
export const PLACEHOLDER = /\{(\/?)(\d+)(\/?)\}/g;

export type InlineCodeKind = 'open' | 'close' | 'empty';

/** The key of a placeholder in a segment's `tags` map: `1`, `/1` or `1/`. */
export function placeholderKey(placeholder: string): string {
  const m = /^\{(\/?)(\d+)(\/?)\}$/.exec(placeholder);
  if (!m) throw new Error(`not a placeholder: ${placeholder}`);
  return m[1] ? `/${m[2]}` : m[3] ? `${m[2]}/` : m[2];
}

export const kindOf = (placeholder: string): InlineCodeKind =>
  placeholder.startsWith('{/') ? 'close' : placeholder.endsWith('/}') ? 'empty' : 'open';

/** The placeholders of a segment, in order of appearance. */
export const placeholdersOf = (text: string): string[] => [...text.matchAll(PLACEHOLDER)].map((m) => m[0]);

/** Text without its placeholders. */
export const stripPlaceholders = (text: string) => text.replace(/\{\/?\d+\/?\}/g, '');

/** A segment cut into text runs and placeholders, for display as labelled tokens. */
export type SegmentPart = { text: string } | { code: string; kind: InlineCodeKind; n: number };

export function segmentParts(text: string): SegmentPart[] {
  const parts: SegmentPart[] = [];
  let last = 0;
  for (const m of text.matchAll(PLACEHOLDER)) {
    if (m.index > last) parts.push({ text: text.slice(last, m.index) });
    parts.push({ code: m[0], kind: kindOf(m[0]), n: Number(m[2]) });
    last = m.index + m[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
  return parts;
}

/** The placeholder form of text runs and codes: the inverse of `segmentParts`. */
export const partsToText = (parts: readonly ({ text: string } | { code: string })[]): string =>
  parts.map((part) => ('text' in part ? part.text : part.code)).join('');

/** True when a text holds a placeholder (typed or pasted text that is to become a token). */
export const hasPlaceholder = (text: string): boolean => /\{\/?\d+\/?\}/.test(text);

/** What an inline code stands for, read from its original markup: shown as a labelled token. */
export type InlineCodeRole = 'bold' | 'italic' | 'link' | 'break' | 'code' | 'sub' | 'sup' | 'other';

export interface InlineCodeInfo {
  role: InlineCodeRole;
  /** The link target, for a tooltip. */
  href?: string;
}

const ROLE_BY_TAG: Record<string, InlineCodeRole> = {
  b: 'bold',
  strong: 'bold',
  i: 'italic',
  em: 'italic',
  a: 'link',
  br: 'break',
  code: 'code',
  sub: 'sub',
  sup: 'sup',
};

/** Reads the role (and a link's URL) of the markup behind a placeholder. */
export function describeCode(markup: string | undefined): InlineCodeInfo {
  if (!markup) return { role: 'other' };
  const tag = /^<\/?\s*([a-zA-Z0-9]+)/.exec(markup)?.[1]?.toLowerCase() ?? '';
  const role = ROLE_BY_TAG[tag] ?? 'other';
  const href = role === 'link' ? /\bhref\s*=\s*"([^"]*)"/i.exec(markup)?.[1] : undefined;
  return href ? { role, href: decodeHtmlAttribute(href) } : { role };
}

const decodeHtmlAttribute = (value: string) =>
  value
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** A placeholder as a labelled token: its text, role, a link's URL, whether it opens or closes. */
export interface CodeToken {
  code: string;
  n: number;
  kind: InlineCodeKind;
  role: InlineCodeRole;
  href?: string;
}

/** The segment's text runs and tokens, each token described from the segment's markup map. */
export function tokenParts(text: string, tags: Record<string, string>): ({ text: string } | CodeToken)[] {
  return segmentParts(text).map((part) => {
    if ('text' in part) return part;
    const info = describeCode(tags[placeholderKey(part.code)] ?? tags[String(part.n)]);
    return { ...part, ...info };
  });
}

/** Words for inline-code roles (`bold`…) and edges (`start`, `end`) in the reader's language. */
export interface CodeLabels {
  code: Record<string, string>;
  codeKind: Record<string, string>;
}

/**
 * How a token reads: its visible label ("bold"), its accessible name ("bold start 2") and its
 * tooltip (with a link's URL and the placeholder). One wording for the server's pages and the
 * browser's editor.
 */
export function tokenWording(
  token: CodeToken,
  labels: CodeLabels,
): { label: string; name: string; title: string } {
  const label = labels.code[token.role] ?? token.role;
  const edge = labels.codeKind[token.kind] ?? '';
  const what = edge ? `${label} ${edge}` : label;
  return {
    label,
    name: `${what} ${token.n}`,
    title: `${what}${token.href ? `: ${token.href}` : ''} — ${token.code}`,
  };
}

/** Names the placeholders one text has and the other lacks, for a mismatch message. */
export function codeDifference(source: string, target: string): { missing: string[]; extra: string[] } {
  return { missing: missingCodes(source, target), extra: missingCodes(target, source) };
}

/**
 * The source's placeholders the target does not yet contain, in source order: what
 * "insert next inline code" inserts.
 */
export function missingCodes(source: string, target: string): string[] {
  const have = placeholdersOf(target);
  return placeholdersOf(source).filter((p) => {
    const at = have.indexOf(p);
    if (at === -1) return true;
    have.splice(at, 1);
    return false;
  });
}

/** True when every opening placeholder is closed after it, innermost first. */
export function balanced(placeholders: string[]): boolean {
  const stack: string[] = [];
  for (const p of placeholders) {
    const kind = kindOf(p);
    if (kind === 'empty') continue;
    if (kind === 'close') {
      if (stack.pop() !== p.slice(2, -1)) return false;
    } else stack.push(p.slice(1, -1));
  }
  return stack.length === 0;
}
