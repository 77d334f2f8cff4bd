import {
  PARTS_OF_SPEECH,
  type GlossaryTermDoc,
  type PartOfSpeech,
  type TermStatus,
} from '../models/glossary-term.js';
import type { TermInput } from '../workflow/glossary.js';
import { attr, child, descendants, elements, escapeText, parseXml, textOf, type XmlElement } from './xml.js';

/**
 * TBX termbase exchange: writes TBX v3 (ISO 30042:2019) in the TBX-Basic dialect, and reads
 * TBX-Basic v3 and the older TBX 2 / TBX-Basic 2 (`<martif>`, `<termEntry>`, `<langSet>`,
 * `<tig>`/`<ntig>`, `<termNote type="…">`, and `<descrip>`/`<note>`). Per concept entry, the
 * source-language terms pair with each target-language term; the target term's status is the
 * entry's status (`preferredTerm-admn-sts`, `admittedTerm-admn-sts`, `deprecatedTerm-admn-sts`,
 * `supersededTerm-admn-sts` → preferred, allowed, forbidden, forbidden; a target equal to the
 * source marked `x-doNotTranslate` → do-not-translate).
 */

export class TbxError extends Error {}

const STATUS_TO_TBX: Record<TermStatus, string> = {
  preferred: 'preferredTerm-admn-sts',
  allowed: 'admittedTerm-admn-sts',
  forbidden: 'deprecatedTerm-admn-sts',
  do_not_translate: 'preferredTerm-admn-sts',
};
const TBX_TO_STATUS: Record<string, TermStatus> = {
  'preferredTerm-admn-sts': 'preferred',
  preferredTerm: 'preferred',
  preferred: 'preferred',
  'admittedTerm-admn-sts': 'allowed',
  admittedTerm: 'allowed',
  admitted: 'allowed',
  'deprecatedTerm-admn-sts': 'forbidden',
  deprecatedTerm: 'forbidden',
  deprecated: 'forbidden',
  'supersededTerm-admn-sts': 'forbidden',
  supersededTerm: 'forbidden',
};

export function writeTbx(terms: GlossaryTermDoc[], opts: { from: string; to: string }): string {
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<tbx style="dca" type="TBX-Basic" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">',
    '  <tbxHeader><fileDesc><sourceDesc><p>Newsroom termbase</p></sourceDesc></fileDesc></tbxHeader>',
    '  <text><body>',
  ];
  terms.forEach((t, n) => {
    const note = t.note ? `<descrip type="definition">${escapeText(t.note)}</descrip>` : '';
    const pos = t.pos ? `<termNote type="partOfSpeech">${t.pos}</termNote>` : '';
    const dnt = t.status === 'do_not_translate' ? '<termNote type="x-doNotTranslate">yes</termNote>' : '';
    out.push(
      `    <conceptEntry id="c${n + 1}">`,
      note ? `      ${note}` : '',
      `      <langSec xml:lang="${opts.from}"><termSec><term>${escapeText(t.source)}</term>${pos}</termSec></langSec>`,
      `      <langSec xml:lang="${opts.to}"><termSec><term>${escapeText(t.target)}</term>${pos}` +
        `<termNote type="administrativeStatus">${STATUS_TO_TBX[t.status]}</termNote>${dnt}</termSec></langSec>`,
      '    </conceptEntry>',
    );
  });
  out.push('  </body></text>', '</tbx>', '');
  return out.filter((l) => l !== '').join('\n');
}

const sameLanguage = (tag: string | undefined, lang: string) =>
  !!tag && tag.toLowerCase().split(/[-_]/)[0] === lang.toLowerCase();

interface TbxTerm {
  term: string;
  notes: Record<string, string>;
}

/** The terms of one language section: TBX v3 `<termSec>`, TBX 2 `<tig>`/`<ntig>`. */
function termsOf(section: XmlElement): TbxTerm[] {
  const holders = [
    ...elements(section, 'termSec'),
    ...elements(section, 'tig'),
    ...elements(section, 'ntig'),
  ];
  return holders
    .map((h) => {
      const termEl = descendants(h, 'term')[0];
      const notes: Record<string, string> = {};
      for (const n of descendants(h, 'termNote')) notes[attr(n, 'type') ?? ''] = textOf(n).trim();
      return { term: termEl ? textOf(termEl).replace(/\s+/g, ' ').trim() : '', notes };
    })
    .filter((t) => t.term);
}

export function readTbx(text: string, from: string, to: string): { terms: TermInput[]; skipped: number } {
  let root: XmlElement;
  try {
    root = parseXml(text);
  } catch (err) {
    throw new TbxError(`not well-formed XML: ${(err as Error).message}`);
  }
  if (root.local !== 'tbx' && root.local !== 'martif') {
    throw new TbxError(`the root element is <${root.local}>, not <tbx> or <martif>`);
  }
  const entries = [...descendants(root, 'conceptEntry'), ...descendants(root, 'termEntry')];
  const terms: TermInput[] = [];
  let skipped = 0;
  for (const entry of entries) {
    const sections = [...elements(entry, 'langSec'), ...elements(entry, 'langSet')];
    const src = sections.filter((s) => sameLanguage(attr(s, 'lang'), from)).flatMap(termsOf);
    const tgt = sections.filter((s) => sameLanguage(attr(s, 'lang'), to)).flatMap(termsOf);
    if (src.length === 0 || tgt.length === 0) {
      skipped++;
      continue;
    }
    const note = [
      ...elements(entry, 'descrip'),
      ...elements(entry, 'note'),
      ...descendants(entry, 'descripGrp'),
    ]
      .map((d) => (d.local === 'descripGrp' ? textOf(child(d, 'descrip') ?? d) : textOf(d)))
      .map((s) => s.trim())
      .filter(Boolean)[0];
    for (const s of src) {
      for (const t of tgt) {
        const raw = t.notes.administrativeStatus ?? t.notes.normativeAuthorization ?? '';
        const dnt =
          /^(yes|true)$/i.test(t.notes['x-doNotTranslate'] ?? '') || t.notes.usageNote === 'doNotTranslate';
        const pos = (t.notes.partOfSpeech ?? s.notes.partOfSpeech) as PartOfSpeech | undefined;
        terms.push({
          source: s.term,
          target: t.term,
          status: dnt ? 'do_not_translate' : (TBX_TO_STATUS[raw] ?? 'allowed'),
          ...(pos && (PARTS_OF_SPEECH as readonly string[]).includes(pos) ? { pos } : {}),
          ...(note ? { note } : {}),
        });
      }
    }
  }
  return { terms, skipped };
}
