import mongoose from 'mongoose';

/**
 * A translator's lease on a task: `_id` is `<taskId>#<lease generation>`. The insert is the
 * claim's second guard after the Redis pop: two claimers of one generation cannot both win.
 */
const taskClaimSchema = new mongoose.Schema(
  {
    _id: { type: String, required: true },
    task: { type: String, required: true },
    generation: { type: Number, required: true },
    user: { type: String, required: true },
    at: { type: Date, default: () => new Date() },
  },
  { versionKey: false },
);

export const TaskClaim = mongoose.model('TaskClaim', taskClaimSchema, 'task_claims');
