import mongoose from 'mongoose';
import { WEBHOOK_EVENTS } from './webhook-events.js';

/**
 * An admin-registered receiver of webhook events. `_id` is random (`wh_…`); the collection
 * holds a handful of partners' automations, so the per-event scan of it is cheap on the
 * embedded store too.
 */
const endpointSchema = new mongoose.Schema(
  {
    _id: { type: String, required: true },
    url: { type: String, required: true, maxlength: 2_000 },
    events: { type: [{ type: String, enum: WEBHOOK_EVENTS }], required: true },
    description: { type: String, default: '', maxlength: 500 },
    /** Standard Webhooks signing secret, `whsec_<base64 key>`. */
    secret: { type: String, required: true },
    /** A disabled endpoint gets no new deliveries; its log and pending retries stay. */
    disabled: { type: Boolean, default: false },
    createdBy: { type: String, required: true },
  },
  { timestamps: true, versionKey: false },
);

export interface WebhookEndpointDoc {
  _id: string;
  url: string;
  events: string[];
  description: string;
  secret: string;
  disabled: boolean;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

export const WebhookEndpoint = mongoose.model('WebhookEndpoint', endpointSchema, 'webhook_endpoints');
