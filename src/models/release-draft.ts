import mongoose from 'mongoose';

/**
 * An editor's autosaved, unsaved text of one language version: `_id` is
 * `<releaseId>:<userId>`, one per person and version, replaced on every autosave and left
 * alone by saves of the release itself (the person decides what to do with it).
 */
const releaseDraftSchema = new mongoose.Schema(
  {
    _id: { type: String, required: true },
    release: { type: String, required: true },
    user: { type: String, required: true },
    baseRevision: { type: Number, required: true },
    title: { type: String, maxlength: 500, default: '' },
    /** The form's lead field: inline HTML (plain text in drafts kept before leads had markup). */
    lead: { type: String, maxlength: 20_000, default: '' },
    body: { type: String, maxlength: 1_000_000, default: '' },
    savedAt: { type: Date, required: true },
  },
  { versionKey: false },
);

export type ReleaseDraftDoc = mongoose.InferSchemaType<typeof releaseDraftSchema> & { _id: string };
export const ReleaseDraft = mongoose.model('ReleaseDraft', releaseDraftSchema, 'release_drafts');
