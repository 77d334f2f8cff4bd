import mongoose from 'mongoose';

/** A mandated term of a language pair ("ОДКБ" → "CSTO"); `_id` is `<pair>:<lower-cased source>`. */
const glossaryTermSchema = new mongoose.Schema(
  {
    _id: { type: String, required: true },
    pair: { type: String, required: true },
    source: { type: String, required: true, maxlength: 200 },
    target: { type: String, required: true, maxlength: 200 },
    note: String,
  },
  { versionKey: false },
);

export const GlossaryTerm = mongoose.model('GlossaryTerm', glossaryTermSchema, 'glossary_terms');
export const glossaryTermId = (pair: string, source: string) => `${pair}:${source.toLowerCase()}`;
