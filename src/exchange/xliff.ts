import { createHash } from 'node:crypto';
import type { TaskDoc, TaskSegment } from '../models/translation-task.js';
import { PLACEHOLDER, describeCode, stripPlaceholders } from '../shared/inline-codes.js';
import { isConfirmed, statusOf } from '../shared/segment-state.js';
import { attr, attrs, child, elements, escapeText, parseXml, XmlError, type XmlElement } from './xml.js';

/**
 * A translation task as XLIFF 2.0 or 1.2, for translators who work in memoQ, Trados or another
 * CAT tool, and back. One unit per segment (`id` `s<i>`, stable for the task); inline codes
 * `{n}…{/n}` / `{n/}` are `<pc>`/`<ph>` (2.0, the original markup in `<originalData>`) or
 * `<g>`/`<x>` (1.2); the segment state is mapped; field, reviewer comment and changed source
 * are notes; 2.0 also carries the memory and MT suggestions as `<mtc:match>`. Each unit
 * records the hash of its source and of the target it was exported with (2.0 `mda:meta`,
 * 1.2 `nr:` attributes), which the import (`import-task-xliff.ts`) checks.
 */

export type XliffVersion = '2.0' | '1.2';

const NS_NR = 'urn:newsroom:xliff';
export const sourceHashOf = (source: string) =>
  createHash('sha256').update(source.replace(/\s+/g, ' ').trim()).digest('base64url').slice(0, 22);
export const targetHashOf = (target: string) => sourceHashOf(`t:${target}`);

export const unitId = (i: number) => `s${i}`;
const fileId = (taskId: string) => (/^[\w.:-]+$/.test(taskId) ? taskId : 'f1');

/** Two sources are the same when they differ at most in whitespace (tools re-indent mixed content). */
export const sameSource = (a: string, b: string) => a.replace(/\s+/g, '') === b.replace(/\s+/g, '');

// --- state mapping -------------------------------------------------------------------------

/** XLIFF 2.0 `state` (+ our `subState`) of a segment. */
function state20(seg: TaskSegment): { state: string; subState: string } {
  const status = statusOf(seg);
  const state = !seg.needsWork
    ? 'final'
    : status === 'approved'
      ? 'reviewed'
      : isConfirmed(status)
        ? 'translated'
        : 'initial';
  return { state, subState: `nr:${status}` };
}

/** XLIFF 1.2 target `state` (and `state-qualifier` for untouched TM/MT text). */
function state12(seg: TaskSegment): { state: string; qualifier?: string } {
  const status = statusOf(seg);
  if (!seg.needsWork) return { state: 'final' };
  if (status === 'approved') return { state: 'signed-off' };
  if (isConfirmed(status)) return { state: 'translated' };
  if (status === 'empty') return { state: 'needs-translation' };
  if (status === 'pretranslated') {
    return {
      state: 'needs-review-translation',
      qualifier: seg.origin === 'mt' ? 'leveraged-mt' : 'exact-match',
    };
  }
  return { state: 'needs-review-translation' };
}

/** Confirmed states of either version, as CAT tools write them. */
const CONFIRMED_STATES = new Set(['translated', 'reviewed', 'final', 'signed-off']);

// --- export --------------------------------------------------------------------------------

/** Inline content of a segment in 2.0: `<pc>` / `<ph>` pointing at the unit's original data. */
function inline20(text: string): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(PLACEHOLDER)) {
    out += escapeText(text.slice(last, m.index));
    const [, close, n, empty] = m;
    out += close
      ? '</pc>'
      : empty
        ? `<ph id="${n}" dataRef="d${n}e"/>`
        : `<pc id="${n}" dataRefStart="d${n}" dataRefEnd="d${n}c">`;
    last = m.index + m[0].length;
  }
  return out + escapeText(text.slice(last));
}

/** Inline content in 1.2: `<g>` / `<x>` with a `ctype` read from the markup. */
function inline12(text: string, tags: Record<string, string>): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(PLACEHOLDER)) {
    out += escapeText(text.slice(last, m.index));
    const [, close, n, empty] = m;
    const role = describeCode(tags[empty ? `${n}/` : n]).role;
    out += close
      ? '</g>'
      : empty
        ? `<x id="${n}"${attrs({ ctype: ctype12(role) })}/>`
        : `<g id="${n}"${attrs({ ctype: ctype12(role) })}>`;
    last = m.index + m[0].length;
  }
  return out + escapeText(text.slice(last));
}

const CTYPE: Record<string, string> = { bold: 'bold', italic: 'italic', link: 'link', break: 'lb' };
const ctype12 = (role: string) => CTYPE[role] ?? 'x-html';

function originalData(seg: TaskSegment): string {
  const data: string[] = [];
  for (const m of seg.source.matchAll(PLACEHOLDER)) {
    const [, close, n, empty] = m;
    if (close) continue;
    if (empty) data.push(`<data id="d${n}e">${escapeText(seg.tags[`${n}/`] ?? '')}</data>`);
    else {
      data.push(`<data id="d${n}">${escapeText(seg.tags[n] ?? '')}</data>`);
      data.push(`<data id="d${n}c">${escapeText(seg.tags[`/${n}`] ?? '')}</data>`);
    }
  }
  return data.length ? `<originalData>${data.join('')}</originalData>` : '';
}

function notesOf(seg: TaskSegment, position: string): { category: string; text: string }[] {
  const notes = [{ category: 'location', text: position }];
  if (seg.comment) notes.push({ category: 'reviewer', text: seg.comment });
  if (seg.changed) {
    notes.push({
      category: 'changed',
      text: `Source changed. Old source: ${stripPlaceholders(seg.changed.oldSource)} — old translation: ${stripPlaceholders(seg.changed.oldTarget)}`,
    });
  }
  if (seg.origin === 'mt' && statusOf(seg) === 'pretranslated') {
    notes.push({ category: 'origin', text: 'Machine translation, not yet checked' });
  }
  return notes;
}

const position = (seg: TaskSegment) => `${seg.i + 1}. ${seg.field}`;

/** The task as an XLIFF 2.0 document (with the Translation Candidates and Metadata modules). */
export function taskToXliff20(task: TaskDoc): string {
  const units = task.segments.map((seg) => {
    const { state, subState } = state20(seg);
    const id = unitId(seg.i);
    const matches = seg.suggestions
      .filter((g) => g.target.trim())
      .slice(0, 5)
      .map(
        (g) =>
          `<mtc:match${attrs({
            ref: `#${id}g`,
            type: g.kind === 'mt' ? 'mt' : 'tm',
            similarity: (Math.min(g.score, 1) * 100).toFixed(0),
            matchQuality: g.kind === 'mt' ? undefined : (Math.min(g.score, 1) * 100).toFixed(0),
            origin: g.kind === 'mt' ? g.provider : g.story ? `newsroom:story:${g.story}` : 'newsroom:tm',
          })}><source>${escapeText(stripPlaceholders(g.source))}</source><target>${escapeText(stripPlaceholders(g.target))}</target></mtc:match>`,
      );
    const notes = notesOf(seg, position(seg))
      .map((n) => `<note${attrs({ category: n.category })}>${escapeText(n.text)}</note>`)
      .join('');
    return [
      `<unit${attrs({ id, name: seg.field, translate: seg.needsWork ? undefined : 'no' })}>`,
      `<mda:metadata><mda:metaGroup category="newsroom">`,
      `<mda:meta type="sourceHash">${sourceHashOf(seg.source)}</mda:meta>`,
      `<mda:meta type="targetHash">${targetHashOf(seg.target)}</mda:meta>`,
      `</mda:metaGroup></mda:metadata>`,
      matches.length ? `<mtc:matches>${matches.join('')}</mtc:matches>` : '',
      `<notes>${notes}</notes>`,
      originalData(seg),
      `<segment${attrs({ id: `${id}g`, state, subState })}>`,
      `<source>${inline20(seg.source)}</source>`,
      seg.target ? `<target>${inline20(seg.target)}</target>` : '',
      `</segment></unit>`,
    ].join('');
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" xmlns:mtc="urn:oasis:names:tc:xliff:matches:2.0" xmlns:mda="urn:oasis:names:tc:xliff:metadata:2.0" version="2.0"${attrs({ srcLang: task.from, trgLang: task.to })}>`,
    // The file id is the task id too: tools that drop metadata and `original` keep file ids.
    `<file${attrs({ id: fileId(task._id), original: `newsroom:task:${task._id}` })}>`,
    `<mda:metadata><mda:metaGroup category="newsroom">`,
    `<mda:meta type="task">${escapeText(task._id)}</mda:meta>`,
    `<mda:meta type="revision">${task.revision}</mda:meta>`,
    `</mda:metaGroup></mda:metadata>`,
    ...units,
    '</file>',
    '</xliff>',
    '',
  ].join('\n');
}

/** The task as an XLIFF 1.2 document, as memoQ and Trados read and write by default. */
export function taskToXliff12(task: TaskDoc): string {
  const units = task.segments.map((seg) => {
    const { state, qualifier } = state12(seg);
    const notes = notesOf(seg, position(seg))
      .map(
        (n) =>
          `<note${attrs({ from: n.category === 'reviewer' ? 'reviewer' : 'newsroom' })}>${escapeText(n.text)}</note>`,
      )
      .join('');
    return [
      `<trans-unit${attrs({
        id: unitId(seg.i),
        resname: seg.field,
        translate: seg.needsWork ? undefined : 'no',
        approved: isConfirmed(statusOf(seg)) ? 'yes' : undefined,
        'nr:sourceHash': sourceHashOf(seg.source),
        'nr:targetHash': targetHashOf(seg.target),
      })}>`,
      `<source>${inline12(seg.source, seg.tags)}</source>`,
      `<target${attrs({ state, 'state-qualifier': qualifier })}>${inline12(seg.target, seg.tags)}</target>`,
      notes,
      '</trans-unit>',
    ].join('');
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" xmlns:nr="${NS_NR}" version="1.2">`,
    `<file${attrs({
      original: `newsroom:task:${task._id}`,
      datatype: 'html',
      'source-language': task.from,
      'target-language': task.to,
      'nr:task': task._id,
      'nr:revision': task.revision,
    })}>`,
    '<body>',
    ...units,
    '</body>',
    '</file>',
    '</xliff>',
    '',
  ].join('\n');
}

// --- import --------------------------------------------------------------------------------

export interface XliffUnitIn {
  id: string;
  line: number;
  /** Source with our placeholders, as read from the file. */
  source: string;
  /** Null when the unit has no target. */
  target: string | null;
  /** The file's state says the translator confirmed it. */
  confirmed: boolean;
  sourceHash?: string;
  targetHash?: string;
  /** Problems reading the inline codes of the target. */
  codeErrors: string[];
}

export interface XliffDocumentIn {
  version: XliffVersion;
  taskId?: string;
  revision?: number;
  srcLang?: string;
  trgLang?: string;
  units: XliffUnitIn[];
}

export class XliffError extends Error {}

/** Reads an XLIFF 2.0 or 1.2 file (ours, or what a CAT tool made of it). */
export function parseXliff(text: string): XliffDocumentIn {
  let root: XmlElement;
  try {
    root = parseXml(text);
  } catch (err) {
    throw new XliffError(err instanceof XmlError ? err.message : 'not XML');
  }
  if (root.local !== 'xliff') throw new XliffError(`the root element is <${root.name}>, not <xliff>`);
  const version = attr(root, 'version');
  if (version?.startsWith('2.')) return parse20(root);
  if (version === '1.2' || version === '1.1') return parse12(root);
  throw new XliffError(`XLIFF version ${version ?? '(none)'} is not supported; use 2.0 or 1.2`);
}

function parse20(root: XmlElement): XliffDocumentIn {
  const file = child(root, 'file');
  if (!file) throw new XliffError('no <file> element');
  const meta = metaOf(file);
  const original = attr(file, 'original');
  const units = allUnits(file, 'unit').map((u) => {
    const um = metaOf(u);
    // A tool may have split a unit into several segments: they are joined back in order.
    const segments = elements(u, 'segment');
    const sources = segments.map((s) => child(s, 'source'));
    const targets = segments.map((s) => child(s, 'target'));
    const source = sources.map((s) => (s ? inlineIn(s, [], '2.0') : '')).join(' ');
    const hasTarget = targets.some(Boolean);
    const targetErrors: string[] = [];
    const target = hasTarget
      ? targets.map((t) => (t ? inlineIn(t, targetErrors, '2.0') : '')).join(' ')
      : null;
    const states = segments.map((s) => attr(s, 'state') ?? 'initial');
    return {
      id: attr(u, 'id') ?? '',
      line: u.line,
      source,
      target: target === null ? null : target.replace(/\s+/g, ' ').trim(),
      confirmed: states.length > 0 && states.every((s) => CONFIRMED_STATES.has(s)),
      sourceHash: um.sourceHash,
      targetHash: um.targetHash,
      codeErrors: targetErrors,
    };
  });
  const revision = Number(meta.revision);
  return {
    version: '2.0',
    taskId: meta.task ?? original?.replace(/^newsroom:task:/, '') ?? attr(file, 'id'),
    revision: Number.isInteger(revision) ? revision : undefined,
    srcLang: attr(root, 'srcLang'),
    trgLang: attr(root, 'trgLang'),
    units,
  };
}

function parse12(root: XmlElement): XliffDocumentIn {
  const file = child(root, 'file');
  if (!file) throw new XliffError('no <file> element');
  const units = allUnits(file, 'trans-unit').map((u) => {
    const src = child(u, 'seg-source') ?? child(u, 'source');
    const tgt = child(u, 'target');
    const codeErrors: string[] = [];
    const source = src ? inlineIn(src, [], '1.2') : '';
    const target = tgt ? inlineIn(tgt, codeErrors, '1.2').replace(/\s+/g, ' ').trim() : null;
    const state = tgt ? attr(tgt, 'state') : undefined;
    return {
      id: attr(u, 'id') ?? '',
      line: u.line,
      source,
      target,
      confirmed: state ? CONFIRMED_STATES.has(state) : attr(u, 'approved') === 'yes',
      sourceHash: attr(u, 'sourceHash'),
      targetHash: attr(u, 'targetHash'),
      codeErrors,
    };
  });
  const revision = Number(attr(file, 'revision'));
  return {
    version: '1.2',
    taskId: attr(file, 'task') ?? attr(file, 'original')?.replace(/^newsroom:task:/, ''),
    revision: Number.isInteger(revision) ? revision : undefined,
    srcLang: attr(file, 'source-language'),
    trgLang: attr(file, 'target-language'),
    units,
  };
}

/** Units anywhere under the file (tools may wrap them in groups). */
function allUnits(el: XmlElement, local: string): XmlElement[] {
  return elements(el).flatMap((c) =>
    c.local === local ? [c] : c.local === 'group' || c.local === 'body' ? allUnits(c, local) : [],
  );
}

function metaOf(el: XmlElement): Record<string, string> {
  const out: Record<string, string> = {};
  for (const md of elements(el, 'metadata'))
    for (const group of elements(md, 'metaGroup'))
      for (const m of elements(group, 'meta')) {
        const type = attr(m, 'type');
        if (type) out[type] = textContent(m);
      }
  return out;
}

const textContent = (el: XmlElement): string =>
  el.children.map((c) => (typeof c === 'string' ? c : textContent(c))).join('');

/**
 * The inline content of a source or target back to our placeholders. Paired codes may come
 * as one element (`<pc>`, `<g>`) or as start/end (`<sc>/<ec>`, `<bx>/<ex>`, `<bpt>/<ept>`);
 * annotations (`<mrk>`) keep their text. An id that is not one of ours is reported.
 */
function inlineIn(el: XmlElement, errors: string[], version: XliffVersion): string {
  let out = '';
  const id = (c: XmlElement, name = 'id') => {
    const v = attr(c, name) ?? '';
    if (!/^\d+$/.test(v)) errors.push(`<${c.name} ${name}="${v}"> is not one of this segment's codes`);
    return v;
  };
  for (const c of el.children) {
    if (typeof c === 'string') {
      out += c;
      continue;
    }
    switch (c.local) {
      case 'pc':
      case 'g': {
        const n = id(c);
        out += `{${n}}${inlineIn(c, errors, version)}{/${n}}`;
        break;
      }
      case 'ph':
      case 'x':
        out += `{${id(c)}/}`;
        break;
      case 'sc':
      case 'bx':
      case 'bpt':
        out += `{${id(c)}}`;
        break;
      case 'ec':
        out += `{/${id(c, attr(c, 'startRef') ? 'startRef' : 'id')}}`;
        break;
      case 'ex':
      case 'ept':
        out += `{/${id(c, attr(c, 'rid') ? 'rid' : 'id')}}`;
        break;
      case 'cp': {
        const hex = parseInt(attr(c, 'hex') ?? '', 16);
        if (Number.isFinite(hex)) out += String.fromCodePoint(hex);
        break;
      }
      case 'mrk':
      case 'hi':
        out += inlineIn(c, errors, version);
        break;
      default:
        // <it>, <ut>, <sub>, unknown: no text of the segment.
        break;
    }
  }
  return out;
}
