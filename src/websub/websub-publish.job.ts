import { z } from 'zod';
import { defineJob } from '../jobs/define-job.js';
import { feedUrl, FEED_FORMATS } from '../feeds/feed-target.js';
import { Release } from '../models/release.js';
import { syncReleaseIndex } from '../read-models/release-index.js';
import { SYNDICATION_QUEUE } from './queue-name.js';
import { syndicationQueues } from './syndication-queues.js';
import { WebSubSubscription, type SubscriptionDoc } from './subscription.model.js';
import { websubDeliverJob } from './websub-deliver.job.js';

/**
 * Fans one release change out to the subscribers of the feeds it appears in (its language
 * and its section, in every format): one delivery job each, so a slow or failing partner
 * delays nobody else. Expired leases are dropped on the way.
 */
export const websubPublishJob = defineJob({
  name: 'websub.publish',
  queue: SYNDICATION_QUEUE,
  payload: z.object({ releaseId: z.string().min(1), revision: z.number().int().min(0) }),
  jobId: (p) => `websub-publish.${p.releaseId}.${p.revision}`,
  handler: async (p, ctx) => {
    const release = await Release.findById(p.releaseId).select({ lang: 1, section: 1 }).lean();
    if (!release) return { delivered: 0 };
    // The worker may run before the relay's own index update: make the feeds current first.
    await syncReleaseIndex(ctx, p.releaseId);
    const topics = FEED_FORMATS.flatMap((format) => [
      feedUrl(ctx.config.publicUrl, { lang: release.lang, format }),
      feedUrl(ctx.config.publicUrl, { lang: release.lang, section: release.section, format }),
    ]);
    const subs = await WebSubSubscription.find({ topic: { $in: topics } }).lean<SubscriptionDoc[]>();
    const now = Date.now();
    const expired = subs.filter((s) => s.expiresAt.getTime() <= now).map((s) => s._id);
    if (expired.length) await WebSubSubscription.deleteMany({ _id: { $in: expired } });
    const live = subs.filter((s) => s.expiresAt.getTime() > now);
    const queues = syndicationQueues(ctx);
    for (const sub of live) {
      await queues.enqueue(websubDeliverJob, {
        subscriptionId: sub._id,
        event: `${p.releaseId}.${p.revision}`,
      });
    }
    return { delivered: live.length };
  },
});
