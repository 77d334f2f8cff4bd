/**
 * Splits a release into translation segments and puts a translation back together.
 *
 * Title and lead are one segment each (the lead's bold, italic and links as inline codes). The body (sanitised HTML) is cut at block elements
 * (paragraphs, headings, list items…) and then into sentences. Inline markup inside a
 * segment becomes numbered placeholders — `{1}…{/1}` around text, `{2/}` for an empty
 * element such as `<br />` — so translators never edit HTML and the markup comes back
 * exactly as it was. The body's `skeleton` is the HTML with every segment replaced by a
 * marker; `assembleBody` fills the markers with the translated segments.
 */

import { leadHtmlOf } from '../lib/lead-html.js';
import { PLACEHOLDER } from '../shared/inline-codes.js';

export type SegmentField = 'title' | 'lead' | 'body';

/**
 * What a body segment is, shown beside it: a heading, a list item, a caption, an image's
 * description (`alt`) or title, a quote, a table cell, or running text.
 */
export type SegmentRole =
  'paragraph' | 'heading' | 'list_item' | 'caption' | 'quote' | 'table_cell' | 'alt' | 'image_title';

const ROLE_OF_BLOCK: Record<string, SegmentRole> = {
  h1: 'heading',
  h2: 'heading',
  h3: 'heading',
  h4: 'heading',
  h5: 'heading',
  h6: 'heading',
  li: 'list_item',
  figcaption: 'caption',
  caption: 'caption',
  blockquote: 'quote',
  th: 'table_cell',
  td: 'table_cell',
};

export interface SourceSegment {
  /** Position in the task, from 0. */
  i: number;
  field: SegmentField;
  /** Plain text with placeholders; HTML entities decoded. */
  source: string;
  /** Placeholder → original markup, e.g. `{"1": "<a href=\"…\">", "/1": "</a>"}`. */
  tags: Record<string, string>;
  /** Body segments: what the text is (heading, list item, caption, image alt…). */
  role?: SegmentRole;
}

export interface SegmentedRelease {
  segments: SourceSegment[];
  skeleton: string;
}

const BLOCK_TAGS = new Set([
  'p',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'ul',
  'ol',
  'li',
  'blockquote',
  'figure',
  'figcaption',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'caption',
  'hr',
  'pre',
  'div',
]);
const VOID_TAGS = new Set(['br', 'img', 'hr', 'wbr']);
const MARK_OPEN = '\u0001';
const MARK_CLOSE = '\u0002';
/** Marks an attribute segment's marker: its text is written as an attribute value. */
const ATTRIBUTE = 'a';
/** Image attributes people read: translated as segments of their own. */
const IMAGE_TEXT = /(\s(alt|title)\s*=\s*)(?:"([^"]*)"|'([^']*)')/gi;

/** Abbreviations after which a full stop does not end a sentence. */
const ABBREVIATIONS = new Set(
  [
    'г',
    'гг',
    'т',
    'н',
    'им',
    'ул',
    'д',
    'см',
    'стр',
    'руб',
    'тыс',
    'млн',
    'млрд',
    'mr',
    'mrs',
    'ms',
    'dr',
    'st',
    'no',
    'vs',
    'etc',
    'e.g',
    'i.e',
  ].map((a) => a.toLowerCase()),
);

export function segmentRelease(input: {
  title: string;
  lead?: string | null;
  leadHtml?: string | null;
  body: string;
}): SegmentedRelease {
  const segments: SourceSegment[] = [];
  const add = (field: SegmentField, source: string, tags: Record<string, string>, role?: SegmentRole) => {
    segments.push({ i: segments.length, field, source, tags, ...(role ? { role } : {}) });
    return segments.length - 1;
  };
  add('title', input.title.trim(), {});
  // The lead is one segment, its bold, italic and links inline codes as in the body.
  const lead = inlineSegment(leadHtmlOf(input));
  if (lead.source) add('lead', lead.source, lead.tags);

  let skeleton = '';
  let run: string[] = [];
  const blocks: string[] = [];
  const role = (): SegmentRole => {
    for (let k = blocks.length - 1; k >= 0; k--) {
      const r = ROLE_OF_BLOCK[blocks[k]];
      if (r) return r;
    }
    return 'paragraph';
  };
  const flush = () => {
    const r = role();
    skeleton += segmentRun(run, (text, tags) => add('body', text, tags, r));
    run = [];
  };
  for (const token of input.body.match(/<[^>]*>|[^<]+/g) ?? []) {
    const tag = tagName(token);
    if (tag && BLOCK_TAGS.has(tag)) {
      flush();
      skeleton += token;
      if (token.startsWith('</')) {
        const at = blocks.lastIndexOf(tag);
        if (at !== -1) blocks.splice(at);
      } else if (!VOID_TAGS.has(tag) && !token.endsWith('/>')) blocks.push(tag);
    } else if ((tag === 'br' || tag === 'img') && openInline(run) === 0) {
      // A line break ends a segment; an image's alt and title are segments of their own.
      flush();
      skeleton += tag === 'img' ? imageSkeleton(token, add) : token;
    } else {
      run.push(token);
    }
  }
  flush();
  return { segments, skeleton };
}

/** Inline elements a run opened and has not closed yet: no segment may end inside one. */
function openInline(tokens: string[]): number {
  let open = 0;
  for (const token of tokens) {
    const tag = tagName(token);
    if (!tag || VOID_TAGS.has(tag) || token.endsWith('/>')) continue;
    open += token.startsWith('</') ? -1 : 1;
  }
  return open;
}

/** The image tag with its alt and title values replaced by markers of new segments. */
function imageSkeleton(
  token: string,
  add: (field: SegmentField, source: string, tags: Record<string, string>, role?: SegmentRole) => number,
): string {
  return token.replace(IMAGE_TEXT, (whole, prefix: string, name: string, dq?: string, sq?: string) => {
    const text = decodeEntities(dq ?? sq ?? '').trim();
    if (!text) return whole;
    const i = add('body', text, {}, name.toLowerCase() === 'alt' ? 'alt' : 'image_title');
    return `${prefix}"${MARK_OPEN}${ATTRIBUTE}${i}${MARK_CLOSE}"`;
  });
}

/** Inline HTML (a lead) as one segment: placeholder text, trimmed, and its markup map. */
export function inlineSegment(html: string): { source: string; tags: Record<string, string> } {
  const { text, tags } = placeholderText(html.match(/<[^>]*>|[^<]+/g) ?? []);
  return { source: text.trim(), tags };
}

/** Segments one run of inline content; returns its skeleton (markers plus the whitespace around). */
function segmentRun(tokens: string[], add: (text: string, tags: Record<string, string>) => number): string {
  const raw = tokens.join('');
  if (!/[^\s]/.test(decodeEntities(raw.replace(/<[^>]*>/g, '')))) return raw;
  const { text, tags } = placeholderText(tokens);

  const lead = text.match(/^\s*/)![0];
  const trail = text.slice(lead.length).match(/\s*$/)![0];
  const body = text.slice(lead.length, text.length - trail.length);
  let skeleton = lead;
  const sentences = splitSentences(body);
  sentences.forEach(({ sentence, gap }) => {
    const own: Record<string, string> = {};
    for (const m of sentence.matchAll(PLACEHOLDER)) {
      const key = m[1] ? `/${m[2]}` : m[3] ? `${m[2]}/` : m[2];
      own[key] = tags[key];
    }
    skeleton += `${MARK_OPEN}${add(sentence, own)}${MARK_CLOSE}${gap}`;
  });
  return skeleton + trail;
}

/** A run's inline elements as numbered placeholders, in order, with the markup each stands for. */
function placeholderText(tokens: string[]): { text: string; tags: Record<string, string> } {
  const tags: Record<string, string> = {};
  const open: number[] = [];
  let n = 0;
  let text = '';
  for (const token of tokens) {
    const tag = tagName(token);
    if (!tag) {
      text += decodeEntities(token);
    } else if (token.startsWith('</')) {
      const k = open.pop() ?? ++n;
      tags[`/${k}`] = token;
      text += `{/${k}}`;
    } else if (VOID_TAGS.has(tag) || token.endsWith('/>')) {
      const k = ++n;
      tags[`${k}/`] = token;
      text += `{${k}/}`;
    } else {
      const k = ++n;
      open.push(k);
      tags[`${k}`] = token;
      text += `{${k}}`;
    }
  }
  return { text, tags };
}

/** Sentence boundaries outside any placeholder pair: `. `/`! `/`? ` before a capital, digit or quote. */
export function splitSentences(text: string): { sentence: string; gap: string }[] {
  const out: { sentence: string; gap: string }[] = [];
  const boundary = /([.!?…]+)([»"”')\]]*)((?:\{\/\d+\})*)(\s+)(?=[\p{Lu}\d«"„“(]|\{\d+\})/gu;
  let start = 0;
  for (const m of text.matchAll(boundary)) {
    const end = m.index + m[0].length - m[4].length;
    const before = text.slice(start, m.index);
    const lastWord = (before.match(/([\p{L}.]+)$/u)?.[1] ?? '').toLowerCase();
    if (m[1] === '.' && (ABBREVIATIONS.has(lastWord) || /^\p{L}$/u.test(lastWord))) continue;
    const sentence = text.slice(start, end);
    if (depth(sentence) !== 0) continue;
    out.push({ sentence, gap: m[4] });
    start = end + m[4].length;
  }
  out.push({ sentence: text.slice(start), gap: '' });
  return out.filter((s) => s.sentence.length > 0);
}

/** Open minus closed placeholders: a sentence may only end where every pair is closed. */
function depth(text: string): number {
  let d = 0;
  for (const m of text.matchAll(PLACEHOLDER)) {
    if (m[3]) continue;
    d += m[1] ? -1 : 1;
  }
  return d;
}

/** Fills the skeleton's markers with the translated segments, placeholders expanded back to markup. */
export function assembleBody(
  skeleton: string,
  segments: { i: number; target: string; tags: Record<string, string> }[],
): string {
  const byIndex = new Map(segments.map((s) => [s.i, s]));
  return skeleton.replace(
    new RegExp(`${MARK_OPEN}(${ATTRIBUTE}?)(\\d+)${MARK_CLOSE}`, 'g'),
    (_m, attr: string, i: string) => {
      const seg = byIndex.get(Number(i));
      if (!seg) return '';
      if (attr) return escapeHtml(seg.target.replace(PLACEHOLDER, '')).replace(/"/g, '&quot;');
      return expandPlaceholders(seg.target, seg.tags);
    },
  );
}

/**
 * The translated lead as inline HTML: its segment with the placeholders expanded back to the
 * source's bold, italic and links (a task made before leads had markup has none: escaped text).
 */
export const assembleLead = (segments: { field: string; target: string; tags: Record<string, string> }[]) =>
  segments
    .filter((s) => s.field === 'lead')
    .map((s) => expandPlaceholders(s.target, s.tags ?? {}))
    .join(' ');

/** Escapes text and turns placeholders back into their original tags (unknown ones are dropped). */
export function expandPlaceholders(text: string, tags: Record<string, string>): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(PLACEHOLDER)) {
    out += escapeHtml(text.slice(last, m.index));
    const key = m[1] ? `/${m[2]}` : m[3] ? `${m[2]}/` : m[2];
    out += tags[key] ?? '';
    last = m.index + m[0].length;
  }
  return out + escapeHtml(text.slice(last));
}

function tagName(token: string): string | undefined {
  return token.startsWith('<') ? /^<\/?\s*([a-zA-Z0-9]+)/.exec(token)?.[1]?.toLowerCase() : undefined;
}

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
};

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(code) ? String.fromCodePoint(code) : m;
    }
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
