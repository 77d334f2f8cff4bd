import { createHash } from 'node:crypto';
import mongoose, { type InferSchemaType } from 'mongoose';

/**
 * A verified WebSub subscription: a partner's callback receiving one topic (feed URL).
 * `_id` is a hash of topic and callback, so renewing is a write by `_id` and a repeat
 * subscription replaces rather than duplicates. The collection stays small (partners, not
 * readers), so the per-topic scan on publish is cheap on the embedded store too.
 */
const subscriptionSchema = new mongoose.Schema(
  {
    _id: { type: String, required: true },
    topic: { type: String, required: true },
    callback: { type: String, required: true },
    /** HMAC key for `X-Hub-Signature`; absent: pushes are unsigned. */
    secret: { type: String },
    leaseSeconds: { type: Number, required: true },
    expiresAt: { type: Date, required: true },
    verifiedAt: { type: Date, required: true },
  },
  { timestamps: true, versionKey: false },
);

export type SubscriptionDoc = InferSchemaType<typeof subscriptionSchema> & { _id: string };
export const WebSubSubscription = mongoose.model('WebSubSubscription', subscriptionSchema);

export const subscriptionId = (topic: string, callback: string) =>
  createHash('sha256').update(`${topic}\n${callback}`).digest('hex').slice(0, 32);
