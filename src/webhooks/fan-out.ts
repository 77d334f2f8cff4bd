import { createHash } from 'node:crypto';
import type { AppContext } from '../context.js';
import { isDuplicateKey } from '../errors.js';
import { jobQueues } from '../workflow/queues.js';
import { WebhookDelivery, type WebhookDeliveryDoc } from './webhook-delivery.model.js';
import { WebhookEndpoint, type WebhookEndpointDoc } from './webhook-endpoint.model.js';
import { webhookDeliverJob } from './webhook-deliver.job.js';
import type { WebhookMessageType } from './webhook-events.js';

/** The message id of one event for one endpoint: the same however often the event is relayed. */
export const deliveryId = (eventId: string, endpointId: string) =>
  `msg_${createHash('sha256').update(`${eventId}\n${endpointId}`).digest('base64url').slice(0, 26)}`;

/** A message body in the Standard Webhooks shape. */
export const messageBody = (type: WebhookMessageType, at: Date, data: Record<string, unknown>) =>
  JSON.stringify({ type, timestamp: at.toISOString(), data });

/**
 * Records one delivery per active endpoint subscribed to `type` and queues it. Called by the
 * outbox reactions with the outbox event's id, so a relayed-twice event finds its deliveries
 * (the insert of a `_id` is the once-only guard on both stores) and queues only those not yet
 * done. The body is fixed here: retries and redeliveries send the same bytes.
 */
export async function queueWebhookEvent(
  ctx: AppContext,
  eventId: string,
  type: WebhookMessageType,
  data: () => Promise<Record<string, unknown> | null>,
  only?: WebhookEndpointDoc,
): Promise<number> {
  const endpoints = only
    ? [only]
    : (await WebhookEndpoint.find().lean<WebhookEndpointDoc[]>()).filter(
        (e) => !e.disabled && e.events.includes(type),
      );
  if (endpoints.length === 0) return 0;
  const payload = await data();
  if (!payload) return 0;
  const body = messageBody(type, new Date(), payload);
  let queued = 0;
  for (const endpoint of endpoints) {
    const id = deliveryId(eventId, endpoint._id);
    try {
      await WebhookDelivery.create({ _id: id, endpoint: endpoint._id, type, body, status: 'pending' });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const existing = await WebhookDelivery.findById(id).lean<WebhookDeliveryDoc>();
      if (existing && existing.status !== 'pending' && existing.status !== 'retrying') continue;
    }
    await enqueueDelivery(ctx, id, 0);
    queued++;
    await pruneLog(ctx, endpoint._id);
  }
  return queued;
}

/** Queues a delivery job; `round` 0 is the first, n the n-th manual redelivery. */
export async function enqueueDelivery(ctx: AppContext, id: string, round: number): Promise<void> {
  await jobQueues(ctx).enqueue(
    webhookDeliverJob,
    { deliveryId: id, round },
    {
      attempts: ctx.config.WEBHOOK_ATTEMPTS,
      backoff: { type: 'exponential', delay: ctx.config.WEBHOOK_BACKOFF_MS },
    },
  );
}

/**
 * Keeps an endpoint's log to the newest `WEBHOOK_LOG_SIZE` deliveries. Deliveries still
 * pending or retrying stay whatever their age: their jobs need them.
 */
async function pruneLog(ctx: AppContext, endpointId: string): Promise<void> {
  const old = await WebhookDelivery.find({ endpoint: endpointId }, { _id: 1, status: 1 })
    .sort({ createdAt: -1, _id: -1 })
    .skip(ctx.config.WEBHOOK_LOG_SIZE)
    .lean<Pick<WebhookDeliveryDoc, '_id' | 'status'>[]>();
  const done = old.filter((d) => d.status !== 'pending' && d.status !== 'retrying').map((d) => d._id);
  if (done.length) await WebhookDelivery.deleteMany({ _id: { $in: done } });
}
