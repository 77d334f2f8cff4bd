import mongoose from 'mongoose';

/**
 * The history of every release: `_id` is `<releaseId>:<revision>`. Inserting the next
 * revision is the compare-and-set that serialises writers on both stores (the loser of a
 * race gets E11000 and a 409), and leaves an audit trail of who changed what.
 */
const releaseRevisionSchema = new mongoose.Schema(
  {
    _id: { type: String, required: true },
    release: { type: String, required: true },
    revision: { type: Number, required: true },
    title: String,
    lead: String,
    /** As on the release: the lead's inline HTML when it has markup. */
    leadHtml: String,
    body: String,
    status: String,
    by: String,
    /** The operation that wrote it (e.g. `publish:<taskId>`), so its rerun can recognise it. */
    writer: String,
    note: String,
    /** For a change to a published release: correction, update or silent. */
    change: String,
    at: { type: Date, default: () => new Date() },
  },
  { versionKey: false },
);

export const ReleaseRevision = mongoose.model('ReleaseRevision', releaseRevisionSchema);
