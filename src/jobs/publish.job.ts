import { z } from 'zod';
import { publishTranslation } from '../commands/publish-translation.js';
import { defineJob } from './define-job.js';

/** Publishes an approved translation task, once per task. */
export const publishTranslationJob = defineJob({
  name: 'translation.publish',
  queue: 'publish',
  payload: z.object({ taskId: z.string().min(1) }),
  jobId: (p) => `publish-${p.taskId}`,
  handler: (p, ctx) => publishTranslation(ctx, p.taskId),
});
