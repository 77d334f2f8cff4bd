import { badRequest, notFound } from '../errors.js';
import {
  GlossaryTerm,
  glossaryTermId,
  type GlossaryTermDoc,
  type PartOfSpeech,
  type TermStatus,
} from '../models/glossary-term.js';
import type { Actor } from '../policies/actor.js';
import { runQa, type GlossaryEntry, type QaIssue, type QaReport, type QaSegment } from '../shared/qa.js';
import { findTerm } from '../termbase/term-match.js';

/**
 * The termbase of a language pair: terms with their translation, part of speech, note and
 * status (preferred / allowed / forbidden / do-not-translate), and the QA it drives. A small
 * collection per pair, scanned by pair.
 */

export async function loadTermbase(pair: string): Promise<GlossaryTermDoc[]> {
  const terms = await GlossaryTerm.find({ pair }).lean<GlossaryTermDoc[]>();
  return terms.sort((a, b) => a.source.localeCompare(b.source) || a.target.localeCompare(b.target));
}

/** Kept for callers of the first glossary API: the pair's preferred translations. */
export async function loadGlossary(pair: string): Promise<GlossaryEntry[]> {
  return (await loadTermbase(pair))
    .filter((t) => t.status === 'preferred' || t.status === 'do_not_translate')
    .map((t) => ({ source: t.source, target: t.target }));
}

export interface TermInput {
  source: string;
  target?: string;
  status?: TermStatus;
  pos?: PartOfSpeech;
  note?: string;
}

/** Adds or replaces a term of a pair (one entry per source and translation). */
export async function putTerm(pair: string, input: TermInput, by = 'system'): Promise<GlossaryTermDoc> {
  const source = input.source.replace(/\s+/g, ' ').trim();
  const status = input.status ?? 'preferred';
  const target = (status === 'do_not_translate' ? input.target || source : (input.target ?? ''))
    .replace(/\s+/g, ' ')
    .trim();
  if (!source || !target) throw badRequest('term_incomplete', 'A term needs a source and a translation');
  const _id = glossaryTermId(pair, source, target);
  const doc: GlossaryTermDoc = {
    _id,
    pair,
    source,
    target,
    status,
    ...(input.pos ? { pos: input.pos } : {}),
    ...(input.note?.trim() ? { note: input.note.trim() } : {}),
    at: new Date(),
    by,
  };
  await GlossaryTerm.replaceOne({ _id }, doc, { upsert: true });
  return doc;
}

/** The first API: a preferred translation. */
export async function putGlossaryTerm(pair: string, source: string, target: string, note?: string) {
  await putTerm(pair, { source, target, note, status: 'preferred' });
}

export async function deleteTerm(_actor: Actor, pair: string, id: string): Promise<void> {
  const t = await GlossaryTerm.findById(id).lean<GlossaryTermDoc>();
  if (!t || t.pair !== pair) throw notFound('term_not_found', `No term ${id} in ${pair}`);
  await GlossaryTerm.deleteOne({ _id: id });
}

export interface TermHit {
  term: GlossaryTermDoc;
  start: number;
  end: number;
}

/** The terms occurring in a source segment (inflected forms included), in text order. */
export function termsInSource(from: string, source: string, terms: GlossaryTermDoc[]): TermHit[] {
  const hits = terms.flatMap((term) => findTerm(from, source, term.source).map((o) => ({ term, ...o })));
  return hits.sort((a, b) => a.start - b.start);
}

/**
 * Termbase QA of one segment: a source term whose preferred (or do-not-translate) rendering
 * is missing from the translation, inflected or not, is an error; a forbidden rendering of
 * a source term found in the translation is an error too.
 */
export function termIssues(pair: string, seg: QaSegment, terms: GlossaryTermDoc[]): QaIssue[] {
  const [from, to] = pair.split(':');
  if (!seg.target.trim()) return [];
  const issues: QaIssue[] = [];
  const hits = termsInSource(from, seg.source, terms);
  const sources = [...new Set(hits.map((h) => h.term.source))];
  for (const source of sources) {
    const forms = terms.filter((t) => t.source === source);
    const required = forms.filter((t) => t.status === 'preferred' || t.status === 'do_not_translate');
    const acceptable = forms.filter((t) => t.status !== 'forbidden');
    const present = (t: GlossaryTermDoc) => findTerm(to, seg.target, t.target).length > 0;
    if (required.length > 0 && !acceptable.some(present)) {
      issues.push({
        i: seg.i,
        severity: 'error',
        check: 'glossary_term_missing',
        message: `Termbase: '${source}' must be translated as '${required.map((t) => t.target).join("' or '")}'`,
      });
    }
    for (const bad of forms.filter((t) => t.status === 'forbidden' && present(t))) {
      issues.push({
        i: seg.i,
        severity: 'error',
        check: 'glossary_term_forbidden',
        message: `Termbase: '${bad.target}' is a forbidden translation of '${source}'`,
      });
    }
  }
  return issues;
}

/** The shared QA plus the termbase's checks, as submit and the review job run them. */
export async function runTaskQaWithTermbase(pair: string, segments: QaSegment[]): Promise<QaReport> {
  const [from, to] = pair.split(':');
  const base = runQa(segments, [], { from, to });
  const terms = await loadTermbase(pair);
  if (terms.length === 0) return base;
  const extra = segments.flatMap((s) => termIssues(pair, s, terms));
  const byIndex = (a: QaIssue, b: QaIssue) => a.i - b.i;
  return {
    errors: [...base.errors, ...extra.filter((x) => x.severity === 'error')].sort(byIndex),
    warnings: [...base.warnings, ...extra.filter((x) => x.severity === 'warning')].sort(byIndex),
  };
}
