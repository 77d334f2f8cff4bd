import { z } from 'zod';
import { publishTranslation } from '../commands/publish-translation.js';
import { defineJob } from './define-job.js';

/**
 * Publishes an approved translation task, once per task. Ten attempts with exponential
 * back-off span about 8.5 minutes: longer than any window a half-written change waits out
 * (`ORPHAN_REVISION_MS`), so a store crash mid-publish does not exhaust them. Reconciliation
 * (`reconcileWorkflow`) requests the job again for any approved task left over.
 */
export const publishTranslationJob = defineJob({
  name: 'translation.publish',
  queue: 'publish',
  payload: z.object({ taskId: z.string().min(1) }),
  options: { attempts: 10, backoff: { type: 'exponential', delay: 1_000 } },
  jobId: (p) => `publish-${p.taskId}`,
  handler: (p, ctx) => publishTranslation(ctx, p.taskId),
});
