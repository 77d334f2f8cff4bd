import mongoose from 'mongoose';

/**
 * The change log of every task: `_id` is `<taskId>:<revision>`. Inserting the next revision
 * is the compare-and-set that serialises writers on MongoDB and the embedded store alike
 * (the loser gets E11000 and answers 409), and it is the task's audit trail.
 */
const taskEventSchema = new mongoose.Schema(
  {
    _id: { type: String, required: true },
    task: { type: String, required: true },
    revision: { type: Number, required: true },
    type: { type: String, required: true },
    by: { type: String, required: true },
    from: String,
    to: String,
    note: String,
    data: mongoose.Schema.Types.Mixed,
    at: { type: Date, default: () => new Date() },
  },
  { versionKey: false },
);

export const TaskEvent = mongoose.model('TaskEvent', taskEventSchema, 'task_events');
