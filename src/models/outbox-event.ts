import mongoose, { type InferSchemaType } from 'mongoose';

/**
 * An intent to act (update read models, enqueue jobs) recorded before the request returns.
 * `_id` is deterministic (`<type>:<subject>:<revision>`), so recording it twice is harmless.
 * The relay deletes an event once every handler has succeeded, keeping the collection small.
 */
const outboxEventSchema = new mongoose.Schema(
  {
    _id: { type: String, required: true },
    type: { type: String, required: true },
    payload: { type: mongoose.Schema.Types.Mixed, required: true },
    createdAt: { type: Date, default: () => new Date() },
    attempts: { type: Number, default: 0 },
    lastError: String,
    /** The request that caused it (X-Request-Id), carried into the jobs it causes. */
    requestId: String,
  },
  { versionKey: false, minimize: false },
);

export type OutboxEventDoc = InferSchemaType<typeof outboxEventSchema> & { _id: string };
export const OutboxEvent = mongoose.model('OutboxEvent', outboxEventSchema);
