import { enqueueRenditions } from '../media/enqueue-renditions.js';
import { refreshStoryPages } from '../cache/drop-story-pages.js';
import { renderChangedPages } from '../cache/render-changed-pages.js';
import { applyReleaseChange } from '../read-models/apply-release-change.js';
import { pushToHubs } from '../websub/on-release-changed.js';
import {
  enqueueEmbargoRelease,
  enqueuePublish,
  enqueueQa,
  enqueueScheduled,
} from '../workflow/outbox-handlers.js';
import { followSourceChange } from '../workflow/source-change.js';
import { releaseWithOriginal } from '../workflow/release-with-original.js';
import {
  webhooksForApproval,
  webhooksForOverdue,
  webhooksForReleaseChange,
} from '../webhooks/outbox-reactions.js';
import type { Reactions } from './outbox.js';

/**
 * What happens after each outbox event, in order: the one table of the newsroom's reactions
 * (payload schemas in `./events.ts`). Every handler is idempotent and reads current state, so
 * a relayed-twice or late event does no harm. Add a reaction here, not by an import-time
 * registration.
 */
export const REACTIONS: Reactions = {
  'release.changed': [
    // Read models, search, feed time and the pages that show the release: the write already
    // did this before answering; here it is the safety net (and usually a no-op repeat).
    async (p, ctx) => void (await applyReleaseChange(ctx, p.releaseId)),
    // Then the worker renders the changed pages ahead of readers.
    (p, ctx) => renderChangedPages(ctx, p),
    (p, ctx) => pushToHubs(ctx, p),
    // Translations: outdated marks down the pivot chain, and new tasks for a pivot source.
    (p, ctx) => followSourceChange(ctx, p),
    // The publish policy: translations waiting for their original go out with it.
    (p, ctx) => releaseWithOriginal(ctx, p),
    // Automation: story.published / story.updated to the registered webhook endpoints.
    (p, ctx, e) => webhooksForReleaseChange(ctx, p, e),
  ],
  'release.scheduled': [(p, ctx) => enqueueScheduled(ctx, p.releaseId, p.at)],
  'story.contact': [(p, ctx, e) => refreshStoryPages(ctx, p.storyId, e._id)],
  'story.embargo': [(p, ctx) => enqueueEmbargoRelease(ctx, p.storyId, p.at)],
  'task.submitted': [(p, ctx) => enqueueQa(ctx, p.taskId, p.revision)],
  'task.approved': [(p, ctx) => enqueuePublish(ctx, p.taskId), (p, ctx, e) => webhooksForApproval(ctx, p, e)],
  'task.overdue': [(p, ctx, e) => webhooksForOverdue(ctx, p, e)],
  'media.uploaded': [(p, ctx) => enqueueRenditions(ctx, p.mediaId)],
};
