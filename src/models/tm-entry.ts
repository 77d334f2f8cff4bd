import mongoose from 'mongoose';

/**
 * A translation-memory entry: an approved segment pair. `_id` is `<pair>:<sha256 of the
 * normalised source>`, so an exact match is a point lookup and re-adding is an upsert by id.
 */
const tmEntrySchema = new mongoose.Schema(
  {
    _id: { type: String, required: true },
    pair: { type: String, required: true },
    source: { type: String, required: true },
    target: { type: String, required: true },
    task: String,
    at: { type: Date, default: () => new Date() },
  },
  { versionKey: false },
);

export const TmEntry = mongoose.model('TmEntry', tmEntrySchema, 'tm_entries');
