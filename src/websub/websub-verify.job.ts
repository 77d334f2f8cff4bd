import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { defineJob } from '../jobs/define-job.js';
import { callbackRequest } from './callback-request.js';
import { SYNDICATION_QUEUE } from './queue-name.js';
import { WebSubSubscription, subscriptionId } from './subscription.model.js';

/** Failed verifications kept (the newest); older ones are dropped. */
export const VERIFY_FAILURES_KEPT = 200;

export const VerifyPayload = z.object({
  mode: z.enum(['subscribe', 'unsubscribe']),
  topic: z.url(),
  callback: z.url(),
  leaseSeconds: z.number().int().positive(),
  secret: z.string().optional(),
});
export type VerifyPayload = z.infer<typeof VerifyPayload>;

/**
 * Intent verification (WebSub §5.3): GET the callback with a random challenge; only an
 * echo of that challenge activates (or removes) the subscription. A callback that cannot
 * be reached is retried; one that answers wrongly is simply not subscribed.
 */
export const websubVerifyJob = defineJob({
  name: 'websub.verify',
  queue: SYNDICATION_QUEUE,
  payload: VerifyPayload,
  // Anyone may ask the hub for a verification: keep a bounded number of failures (for an
  // admin to look at), not every unreachable callback ever named.
  options: {
    attempts: 3,
    backoff: { type: 'exponential', delay: 2_000 },
    removeOnComplete: { age: 24 * 3600, count: 1_000 },
    removeOnFail: { age: 7 * 24 * 3600, count: VERIFY_FAILURES_KEPT },
  },
  handler: async (p, ctx) => {
    const challenge = randomBytes(16).toString('hex');
    const url = new URL(p.callback);
    url.searchParams.set('hub.mode', p.mode);
    url.searchParams.set('hub.topic', p.topic);
    url.searchParams.set('hub.challenge', challenge);
    if (p.mode === 'subscribe') url.searchParams.set('hub.lease_seconds', String(p.leaseSeconds));
    const res = await callbackRequest(url.href, {
      method: 'GET',
      allowPrivate: ctx.config.WEBSUB_ALLOW_PRIVATE_CALLBACKS,
    });
    const id = subscriptionId(p.topic, p.callback);
    if (res.status < 200 || res.status >= 300 || res.body.trim() !== challenge) {
      ctx.log.info(
        { callback: p.callback, status: res.status },
        `websub: ${p.mode} not confirmed by the subscriber`,
      );
      return { verified: false };
    }
    if (p.mode === 'unsubscribe') {
      await WebSubSubscription.deleteOne({ _id: id });
    } else {
      const now = new Date();
      await WebSubSubscription.replaceOne(
        { _id: id },
        {
          _id: id,
          topic: p.topic,
          callback: p.callback,
          secret: p.secret,
          leaseSeconds: p.leaseSeconds,
          expiresAt: new Date(now.getTime() + p.leaseSeconds * 1000),
          verifiedAt: now,
        },
        { upsert: true },
      );
    }
    return { verified: true };
  },
});
