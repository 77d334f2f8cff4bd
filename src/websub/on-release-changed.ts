import type { AppContext } from '../context.js';
import type { OutboxPayload } from '../outbox/events.js';
import { syndicationQueues } from './syndication-queues.js';
import { websubPublishJob } from './websub-publish.job.js';

/**
 * Queues the WebSub push of a changed release (listed in `src/outbox/handlers.ts`). Only an
 * enqueue happens here, so a slow subscriber never holds up publishing. Idempotent: the job
 * id is derived from release and revision.
 */
export async function pushToHubs(
  ctx: AppContext,
  { releaseId, revision }: OutboxPayload<'release.changed'>,
): Promise<void> {
  await syndicationQueues(ctx).enqueue(websubPublishJob, { releaseId, revision });
}
