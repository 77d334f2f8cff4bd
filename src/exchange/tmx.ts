import type { TmEntryDoc } from '../models/tm-entry.js';
import { PLACEHOLDER, placeholderKey } from '../shared/inline-codes.js';
import { attr, attrs, child, elements, escapeText, parseXml, type XmlElement } from './xml.js';

/**
 * TMX 1.4b, the translation-memory exchange format of memoQ, Trados, OmegaT and Weblate.
 * Export writes one `<tu>` per entry with its provenance (dates, authors, story) and the
 * inline codes as `<bpt>/<ept>` (paired) and `<ph>` (empty), their original markup as
 * content. Import reads `<tu>`s that have both languages of the pair (regional variants such
 * as `en-GB` count as `en`), turns `<bpt>/<ept>/<ph>/<it>` into our numbered placeholders in
 * order of appearance and keeps the text of `<hi>`; what it cannot use is reported per `<tu>`.
 */

export interface TmxUnit {
  source: string;
  target: string;
  tags: Record<string, string>;
  note?: string;
}

export interface TmxReadResult {
  srclang?: string;
  units: TmxUnit[];
  skipped: { tu: number; line: number; reason: string }[];
}

export class TmxError extends Error {}

const tmxDate = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

/** A segment with placeholders → TMX `<seg>` content; `tags` gives each code's markup. */
export function segToTmx(text: string, tags: Record<string, string>): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(PLACEHOLDER)) {
    out += escapeText(text.slice(last, m.index));
    const key = placeholderKey(m[0]);
    const native = escapeText(tags[key] ?? '');
    const n = m[2];
    if (m[1]) out += `<ept i="${n}">${native}</ept>`;
    else if (m[3]) out += `<ph x="${n}">${native}</ph>`;
    else out += `<bpt i="${n}" x="${n}">${native}</bpt>`;
    last = m.index + m[0].length;
  }
  return out + escapeText(text.slice(last));
}

export function writeTmx(
  entries: TmEntryDoc[],
  opts: { from: string; to: string; toolVersion?: string },
): string {
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<tmx version="1.4">',
    `  <header${attrs({
      creationtool: 'Newsroom',
      creationtoolversion: opts.toolVersion ?? '0.1.0',
      segtype: 'sentence',
      'o-tmf': 'Newsroom',
      adminlang: 'en',
      srclang: opts.from,
      datatype: 'html',
      creationdate: tmxDate(new Date()),
    })}/>`,
    '  <body>',
  ];
  for (const e of entries) {
    const tags = e.tags ?? {};
    lines.push(
      `    <tu${attrs({
        tuid: e._id,
        creationdate: tmxDate(new Date(e.createdAt)),
        creationid: e.createdBy,
        changedate: tmxDate(new Date(e.at)),
        changeid: e.by,
      })}>`,
      `      <prop type="x-newsroom-origin">${escapeText(e.origin)}</prop>`,
      ...(e.story ? [`      <prop type="x-newsroom-story">${escapeText(e.story)}</prop>`] : []),
      ...(e.note ? [`      <note>${escapeText(e.note)}</note>`] : []),
      `      <tuv xml:lang="${opts.from}"><seg>${segToTmx(e.source, tags)}</seg></tuv>`,
      `      <tuv xml:lang="${opts.to}"><seg>${segToTmx(e.target, tags)}</seg></tuv>`,
      '    </tu>',
    );
  }
  lines.push('  </body>', '</tmx>', '');
  return lines.join('\n');
}

const sameLanguage = (tag: string | undefined, lang: string) =>
  !!tag && tag.toLowerCase().split(/[-_]/)[0] === lang.toLowerCase();

/** Maps the codes of one `<tu>`: the source numbers them, the target reuses its numbers. */
class CodeMap {
  private n = 0;
  private readonly paired = new Map<string, number>();
  private readonly empty = new Map<string, number>();
  private readonly emptyOrder: number[] = [];
  tags: Record<string, string> = {};

  open(i: string, native: string, isSource: boolean): number | undefined {
    if (!isSource) return this.paired.get(i);
    const k = ++this.n;
    this.paired.set(i, k);
    this.tags[String(k)] = native;
    return k;
  }
  close(i: string, native: string, isSource: boolean): number | undefined {
    const k = this.paired.get(i);
    if (k !== undefined && isSource) this.tags[`/${k}`] = native;
    return k;
  }
  ph(x: string | undefined, native: string, isSource: boolean, position: number): number | undefined {
    if (!isSource) return (x !== undefined ? this.empty.get(x) : undefined) ?? this.emptyOrder[position];
    const k = ++this.n;
    if (x !== undefined) this.empty.set(x, k);
    this.emptyOrder.push(k);
    this.tags[`${k}/`] = native;
    return k;
  }
}

function readSeg(seg: XmlElement, codes: CodeMap, isSource: boolean): string {
  let out = '';
  let phs = 0;
  const walk = (el: XmlElement) => {
    for (const c of el.children) {
      if (typeof c === 'string') {
        out += c.replace(/[{}]/g, (b) => (b === '{' ? '\uff5b' : '\uff5d'));
        continue;
      }
      const native = c.children.map((x) => (typeof x === 'string' ? x : '')).join('');
      let k: number | undefined;
      switch (c.local) {
        case 'bpt':
          k = codes.open(attr(c, 'i') ?? '', native, isSource);
          if (k === undefined) throw new TmxError(`<bpt i="${attr(c, 'i')}"> has no match in the source`);
          out += `{${k}}`;
          break;
        case 'ept':
          k = codes.close(attr(c, 'i') ?? '', native, isSource);
          if (k === undefined) throw new TmxError(`<ept i="${attr(c, 'i')}"> closes no <bpt>`);
          out += `{/${k}}`;
          break;
        case 'ph':
        case 'it':
          k = codes.ph(attr(c, 'x'), native, isSource, phs++);
          if (k === undefined) throw new TmxError(`<${c.local}> of the target has no match in the source`);
          out += `{${k}/}`;
          break;
        case 'hi':
        case 'sub':
          walk(c);
          break;
        default:
          // <ut> (deprecated) and unknown elements: their text is markup, not content.
          break;
      }
    }
  };
  walk(seg);
  return out.replace(/\s+/g, ' ').trim();
}

/** Reads the `<tu>`s of a TMX file that carry both languages of the pair. */
export function readTmx(text: string, from: string, to: string): TmxReadResult {
  let root: XmlElement;
  try {
    root = parseXml(text);
  } catch (err) {
    throw new TmxError(`not well-formed XML: ${(err as Error).message}`);
  }
  if (root.local !== 'tmx') throw new TmxError(`the root element is <${root.local}>, not <tmx>`);
  const body = child(root, 'body');
  if (!body) throw new TmxError('the file has no <body>');
  const header = child(root, 'header');
  const result: TmxReadResult = { srclang: header && attr(header, 'srclang'), units: [], skipped: [] };
  elements(body, 'tu').forEach((tu, index) => {
    const tuvs = elements(tu, 'tuv');
    const pick = (lang: string) => tuvs.find((v) => sameLanguage(attr(v, 'lang'), lang));
    const src = pick(from);
    const tgt = pick(to);
    const skip = (reason: string) => result.skipped.push({ tu: index + 1, line: tu.line, reason });
    if (!src || !tgt) {
      skip(`no ${!src ? from : to} variant (has ${tuvs.map((v) => attr(v, 'lang')).join(', ') || 'none'})`);
      return;
    }
    const srcSeg = child(src, 'seg');
    const tgtSeg = child(tgt, 'seg');
    if (!srcSeg || !tgtSeg) return skip('a <tuv> without <seg>');
    try {
      const codes = new CodeMap();
      const source = readSeg(srcSeg, codes, true);
      const target = readSeg(tgtSeg, codes, false);
      if (!source || !target) return skip('an empty segment');
      const note = elements(tu, 'note')
        .map((n) => n.children.join(''))
        .join(' ')
        .trim();
      result.units.push({ source, target, tags: codes.tags, ...(note ? { note } : {}) });
    } catch (err) {
      if (err instanceof TmxError) return skip(err.message);
      throw err;
    }
  });
  return result;
}
