import { touchFeeds } from '../feeds/feed-changes.js';
import { onOutboxEvent } from '../outbox/outbox.js';
import { syncReleaseIndex } from '../read-models/release-index.js';
import { syndicationQueues } from './syndication-queues.js';
import { websubPublishJob } from './websub-publish.job.js';

/**
 * On every release change: bring the read model up to date, move the language's feed
 * change time forward (so `If-Modified-Since` sees an unpublish too) and queue the WebSub
 * push. Only an enqueue happens here, so a slow subscriber never holds up publishing.
 * Idempotent: the job id is derived from release and revision.
 */
onOutboxEvent('release.changed', async (payload, ctx) => {
  const releaseId = String(payload.releaseId);
  await syncReleaseIndex(ctx, releaseId);
  await touchFeeds(ctx, String(payload.lang));
  await syndicationQueues(ctx).enqueue(websubPublishJob, {
    releaseId,
    revision: Number(payload.revision) || 0,
  });
});
