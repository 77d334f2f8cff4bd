import mongoose from 'mongoose';

/** How a term may be used in translation (TBX `administrativeStatus` / normativeAuthorization). */
export const TERM_STATUSES = ['preferred', 'allowed', 'forbidden', 'do_not_translate'] as const;
export type TermStatus = (typeof TERM_STATUSES)[number];
export const PARTS_OF_SPEECH = ['noun', 'verb', 'adjective', 'adverb', 'properNoun', 'other'] as const;
export type PartOfSpeech = (typeof PARTS_OF_SPEECH)[number];

export interface GlossaryTermDoc {
  _id: string;
  pair: string;
  source: string;
  /** The translation; for `do_not_translate` the source itself. */
  target: string;
  status: TermStatus;
  pos?: PartOfSpeech;
  note?: string;
  at?: Date;
  by?: string;
}

/** A term of a language pair ("ОДКБ" → "CSTO"); `_id` is `<pair>:<lower-cased source>:<lower-cased target>`. */
const glossaryTermSchema = new mongoose.Schema(
  {
    _id: { type: String, required: true },
    pair: { type: String, required: true },
    source: { type: String, required: true, maxlength: 200 },
    target: { type: String, required: true, maxlength: 200 },
    status: { type: String, enum: TERM_STATUSES, default: 'preferred' },
    pos: { type: String, enum: PARTS_OF_SPEECH },
    note: { type: String, maxlength: 2000 },
    at: Date,
    by: String,
  },
  { versionKey: false },
);

export const GlossaryTerm = mongoose.model('GlossaryTerm', glossaryTermSchema, 'glossary_terms');
/**
 * One entry per source and translation, so a pair can hold «ОДКБ» → «CSTO» (preferred) beside
 * «ОДКБ» → «CSTO Organisation» (forbidden).
 */
export const glossaryTermId = (pair: string, source: string, target = '') =>
  `${pair}:${source.trim().toLowerCase()}:${target.trim().toLowerCase()}`;
