import { z } from 'zod';
import { defineJob } from '../jobs/define-job.js';
import { callbackRequest } from '../websub/callback-request.js';
import { WEBHOOK_QUEUE } from './queue-name.js';
import { webhookHeaders } from './signature.js';
import {
  WebhookDelivery,
  type DeliveryAttempt,
  type DeliveryStatus,
  type WebhookDeliveryDoc,
} from './webhook-delivery.model.js';
import { WebhookEndpoint, type WebhookEndpointDoc } from './webhook-endpoint.model.js';
import { WEBHOOK_URL_NAMES } from './webhook-url.js';

/** Attempts kept in a delivery's log (its `attempts` counts them all). */
const ATTEMPTS_LOGGED = 10;

export const DeliverPayload = z.object({
  deliveryId: z.string().min(1),
  /** 0 for the first delivery, n for the n-th manual redelivery (a job of its own). */
  round: z.number().int().min(0),
});

/**
 * Sends one webhook message: POSTs the stored body, signed (Standard Webhooks), to the
 * endpoint through the SSRF guard, no redirects followed, with a timeout; records the
 * attempt in the delivery's log. A non-2xx answer or no answer throws, so BullMQ retries with
 * exponential back-off (`WEBHOOK_ATTEMPTS`, `WEBHOOK_BACKOFF_MS`). A worker killed mid-request
 * leaves the job to another after its lock expires, which sends the same `webhook-id`: at
 * least once, and receivers deduplicate by id.
 */
export const webhookDeliverJob = defineJob({
  name: 'webhooks.deliver',
  queue: WEBHOOK_QUEUE,
  payload: DeliverPayload,
  jobId: (p) => `${p.deliveryId}.${p.round}`,
  options: { removeOnComplete: { age: 24 * 3600, count: 1_000 }, removeOnFail: { age: 7 * 24 * 3600 } },
  handler: async (p, ctx, job) => {
    const delivery = await WebhookDelivery.findById(p.deliveryId).lean<WebhookDeliveryDoc>();
    if (!delivery) return { skipped: 'no such delivery (pruned from the log)' };
    // A job run again after its worker died, once the message had gone through: done.
    if (delivery.status === 'delivered' && (delivery.deliveredRound ?? 0) >= p.round) {
      return { skipped: 'already delivered' };
    }
    const endpoint = await WebhookEndpoint.findById(delivery.endpoint).lean<WebhookEndpointDoc>();
    if (!endpoint || endpoint.disabled) {
      await record(delivery, 'skipped', undefined, endpoint ? 'endpoint disabled' : 'endpoint deleted');
      return { skipped: 'endpoint disabled or deleted' };
    }
    const started = Date.now();
    const headers = {
      'Content-Type': 'application/json',
      ...webhookHeaders(endpoint.secret, delivery._id, Math.floor(started / 1000), delivery.body),
    };
    let statusCode: number | undefined;
    let error: string | undefined;
    try {
      const res = await callbackRequest(endpoint.url, {
        method: 'POST',
        headers,
        body: delivery.body,
        timeoutMs: ctx.config.WEBHOOK_TIMEOUT_MS,
        allowPrivate: ctx.config.WEBHOOK_ALLOW_PRIVATE_URLS,
        names: WEBHOOK_URL_NAMES,
        userAgent: 'Newsroom-Webhooks/1.0',
      });
      statusCode = res.status;
      if (res.status < 200 || res.status >= 300) error = `answered ${res.status}`;
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
    }
    const attempt: DeliveryAttempt = { at: new Date(started), statusCode, error, ms: Date.now() - started };
    if (!error) {
      await record(delivery, 'delivered', attempt, undefined, p.round);
      return { status: statusCode };
    }
    const final = job.attemptsMade + 1 >= ctx.config.WEBHOOK_ATTEMPTS;
    await record(delivery, final ? 'failed' : 'retrying', attempt, error);
    throw new Error(`webhook ${endpoint._id} (${new URL(endpoint.url).host}): ${error}`);
  },
});

/** Writes an attempt's outcome by `_id` (one job per delivery runs at a time). */
async function record(
  delivery: WebhookDeliveryDoc,
  status: DeliveryStatus,
  attempt: DeliveryAttempt | undefined,
  error: string | undefined,
  round?: number,
): Promise<void> {
  const current = await WebhookDelivery.findById(delivery._id).lean<WebhookDeliveryDoc>();
  const log = [...(current?.log ?? []), ...(attempt ? [attempt] : [])].slice(-ATTEMPTS_LOGGED);
  await WebhookDelivery.updateOne(
    { _id: delivery._id },
    {
      $set: {
        status,
        log,
        lastError: error ?? null,
        ...(attempt?.statusCode !== undefined ? { lastStatusCode: attempt.statusCode } : {}),
        ...(status === 'delivered' ? { deliveredAt: new Date(), deliveredRound: round } : {}),
      },
      ...(attempt ? { $inc: { attempts: 1 } } : {}),
    },
  );
}
