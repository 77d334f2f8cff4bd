import { touchFeeds } from '../feeds/feed-changes.js';
import { syncReleaseIndex } from '../read-models/release-index.js';
import { syncSearchIndex } from '../search/search-index.js';
import { pushToHubs } from '../websub/on-release-changed.js';
import {
  enqueueEmbargoRelease,
  enqueuePublish,
  enqueueQa,
  enqueueScheduled,
  followSourceChange,
} from '../workflow/outbox-handlers.js';
import type { Reactions } from './outbox.js';

/**
 * What happens after each outbox event, in order: the one table of the newsroom's reactions
 * (payload schemas in `./events.ts`). Every handler is idempotent and reads current state, so
 * a relayed-twice or late event does no harm. Add a reaction here, not by an import-time
 * registration.
 */
export const REACTIONS: Reactions = {
  'release.changed': [
    // Read models first, so whatever reacts next (pages, feeds, hubs) sees the change.
    (p, ctx) => syncReleaseIndex(ctx, p.releaseId),
    (p, ctx) => syncSearchIndex(ctx, p.releaseId),
    (p, ctx) => touchFeeds(ctx, p.lang),
    (_p, ctx) => ctx.pageCache.invalidateAll(),
    (p, ctx) => pushToHubs(ctx, p),
    // Translations: outdated marks down the pivot chain, and new tasks for a pivot source.
    (p, ctx) => followSourceChange(ctx, p),
  ],
  'release.scheduled': [(p, ctx) => enqueueScheduled(ctx, p.releaseId, p.at)],
  'story.embargo': [(p, ctx) => enqueueEmbargoRelease(ctx, p.storyId, p.at)],
  'task.submitted': [(p, ctx) => enqueueQa(ctx, p.taskId, p.revision)],
  'task.approved': [(p, ctx) => enqueuePublish(ctx, p.taskId)],
};
