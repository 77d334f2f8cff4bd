import mongoose from 'mongoose';

export const DELIVERY_STATUSES = ['pending', 'retrying', 'delivered', 'failed', 'skipped'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** One attempt of a delivery, as the log shows it. */
export interface DeliveryAttempt {
  at: Date;
  /** The receiver's HTTP status; absent when no answer came (network error, timeout). */
  statusCode?: number;
  error?: string;
  ms: number;
}

/**
 * One message to one endpoint, and its log. `_id` is the message id sent as `webhook-id`
 * (`msg_…`, derived from the outbox event and the endpoint): the fan-out's insert is the
 * once-only guard, and every retry, a worker's takeover after a crash and a manual
 * redelivery send the same id and the same bytes, so a receiver can drop duplicates.
 */
const deliverySchema = new mongoose.Schema(
  {
    _id: { type: String, required: true },
    endpoint: { type: String, required: true },
    type: { type: String, required: true },
    /** The exact JSON body sent (and signed) on every attempt. */
    body: { type: String, required: true },
    status: { type: String, enum: DELIVERY_STATUSES, required: true },
    attempts: { type: Number, default: 0 },
    /** Attempts are kept newest last, at most a few (the counts above are complete). */
    log: { type: [mongoose.Schema.Types.Mixed], default: [] },
    lastStatusCode: Number,
    lastError: String,
    deliveredAt: Date,
    /** The round (0, then each redelivery) that last went through. */
    deliveredRound: Number,
    /** Manual redeliveries asked for (each a new job of the same message). */
    redeliveries: { type: Number, default: 0 },
  },
  { timestamps: true, versionKey: false, minimize: false },
);

export interface WebhookDeliveryDoc {
  _id: string;
  endpoint: string;
  type: string;
  body: string;
  status: DeliveryStatus;
  attempts: number;
  log: DeliveryAttempt[];
  lastStatusCode?: number;
  lastError?: string;
  deliveredAt?: Date;
  deliveredRound?: number;
  redeliveries: number;
  createdAt: Date;
  updatedAt: Date;
}

export const WebhookDelivery = mongoose.model('WebhookDelivery', deliverySchema, 'webhook_deliveries');
