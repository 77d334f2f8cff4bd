import { z } from 'zod';
import { runTaskQa } from '../commands/run-task-qa.js';
import { defineJob } from './define-job.js';

/** Automatic QA of a submitted task, once per submitted revision. */
export const taskQaJob = defineJob({
  name: 'task.qa',
  queue: 'review',
  payload: z.object({ taskId: z.string().min(1), revision: z.number().int().min(1) }),
  jobId: (p) => `qa-${p.taskId}-r${p.revision}`,
  handler: (p, ctx) => runTaskQa(ctx, p.taskId, p.revision),
});
