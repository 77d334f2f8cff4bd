import mongoose from 'mongoose';

/** Where an entry came from: a published task, a TMX file, or a reviewer's edit on the TM screen. */
export const TM_ORIGINS = ['task', 'tmx', 'edit'] as const;
export type TmOrigin = (typeof TM_ORIGINS)[number];

export interface TmEntryDoc {
  _id: string;
  pair: string;
  /** Whitespace-normalised source with `{n}` placeholders for inline codes. */
  source: string;
  target: string;
  /** Placeholder → original markup of the source's inline codes (exported as TMX `<bpt>` content). */
  tags?: Record<string, string>;
  origin: TmOrigin;
  /** The story and task a published translation came from. */
  story?: string;
  task?: string;
  /** TMX file name, for imported entries. */
  file?: string;
  /** Hashes of the neighbouring sources it was translated between (for 101 % context matches). */
  contexts?: string[];
  note?: string;
  createdAt: Date;
  createdBy: string;
  /** Last change (the legacy name of `updatedAt`). */
  at: Date;
  by: string;
  /** Deleted on the TM screen: kept (who and when) but never matched or exported. */
  deletedAt?: Date;
  deletedBy?: string;
}

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
    tags: mongoose.Schema.Types.Mixed,
    origin: { type: String, enum: TM_ORIGINS, default: 'task' },
    story: String,
    task: String,
    file: String,
    contexts: { type: [String], default: undefined },
    note: String,
    createdAt: { type: Date, default: () => new Date() },
    createdBy: { type: String, default: 'system' },
    at: { type: Date, default: () => new Date() },
    by: { type: String, default: 'system' },
    deletedAt: Date,
    deletedBy: String,
  },
  { versionKey: false, minimize: false },
);

export const TmEntry = mongoose.model('TmEntry', tmEntrySchema, 'tm_entries');
