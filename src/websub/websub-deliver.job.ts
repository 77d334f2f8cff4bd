import { z } from 'zod';
import { defineJob } from '../jobs/define-job.js';
import { feedContextFor } from '../feeds/feed-context.js';
import { DEFAULT_FEED_LIMIT, parseFeedTopic } from '../feeds/feed-target.js';
import { renderFeed } from '../feeds/render-feed.js';
import { callbackRequest } from './callback-request.js';
import { hubSignature } from './signature.js';
import { SYNDICATION_QUEUE } from './queue-name.js';
import { WebSubSubscription, type SubscriptionDoc } from './subscription.model.js';

/**
 * Content distribution (WebSub §7): POSTs the topic's current feed to one subscriber,
 * signed with its secret. Any non-2xx answer or network error throws, so BullMQ retries
 * with exponential backoff; 410 Gone ends the subscription.
 */
export const websubDeliverJob = defineJob({
  name: 'websub.deliver',
  queue: SYNDICATION_QUEUE,
  payload: z.object({ subscriptionId: z.string().min(1), event: z.string().min(1) }),
  options: { attempts: 8, backoff: { type: 'exponential', delay: 1_000 } },
  jobId: (p) => `websub-deliver.${p.subscriptionId}.${p.event}`,
  handler: async (p, ctx) => {
    const sub = await WebSubSubscription.findById(p.subscriptionId).lean<SubscriptionDoc>();
    if (!sub || sub.expiresAt.getTime() <= Date.now()) return { skipped: 'no active subscription' };
    const target = parseFeedTopic(sub.topic, ctx.config.publicUrl, ctx.config.languages);
    if (!target) return { skipped: 'topic is no longer a feed' };
    const rendered = await renderFeed(await feedContextFor(ctx), target, DEFAULT_FEED_LIMIT);
    const body = Buffer.isBuffer(rendered.body) ? rendered.body : Buffer.from(rendered.body, 'utf8');
    const headers: Record<string, string> = {
      'Content-Type': rendered.type,
      'Content-Length': String(body.length),
      Link: rendered.headers?.Link ?? '',
    };
    if (sub.secret) headers['X-Hub-Signature'] = hubSignature(sub.secret, body);
    const res = await callbackRequest(sub.callback, {
      method: 'POST',
      headers,
      body,
      allowPrivate: ctx.config.WEBSUB_ALLOW_PRIVATE_CALLBACKS,
    });
    if (res.status === 410) {
      await WebSubSubscription.deleteOne({ _id: sub._id });
      return { status: res.status, unsubscribed: true };
    }
    if (res.status < 200 || res.status >= 300) {
      throw new Error(`subscriber ${new URL(sub.callback).host} answered ${res.status}; will retry`);
    }
    return { status: res.status };
  },
});
