import mongoose from 'mongoose';

/**
 * What a reviewer has typed on a long task's review page but not yet sent: per-segment comments
 * and the overall note, saved whenever the reviewer changes page so that a send-back acts on
 * the comments of every page. `_id` is `<taskId>:<reviewerId>` (a point lookup, one writer);
 * `round` is when the task entered review, so a draft from an earlier round is not shown again.
 */
const reviewDraftSchema = new mongoose.Schema(
  {
    _id: { type: String, required: true },
    round: { type: Date, required: true },
    comments: { type: [{ _id: false, i: Number, comment: String }], default: [] },
    note: { type: String, default: '' },
    at: { type: Date, default: () => new Date() },
  },
  { versionKey: false },
);

export type ReviewDraftDoc = mongoose.InferSchemaType<typeof reviewDraftSchema> & { _id: string };
export const ReviewDraft = mongoose.model('ReviewDraft', reviewDraftSchema, 'review_drafts');
export const reviewDraftId = (taskId: string, reviewerId: string) => `${taskId}:${reviewerId}`;
