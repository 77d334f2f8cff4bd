import { GlossaryTerm, glossaryTermId } from '../models/glossary-term.js';
import type { GlossaryEntry } from '../shared/qa.js';

/** The glossary of a language pair (a small collection; scanned by pair). */
export async function loadGlossary(pair: string): Promise<GlossaryEntry[]> {
  const terms = await GlossaryTerm.find({ pair }).lean();
  return terms.map((t) => ({ source: t.source, target: t.target }));
}

/** Adds or replaces a term of a pair. */
export async function putGlossaryTerm(pair: string, source: string, target: string, note?: string) {
  const _id = glossaryTermId(pair, source);
  await GlossaryTerm.replaceOne({ _id }, { _id, pair, source, target, note }, { upsert: true });
}
