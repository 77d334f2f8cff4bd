import { z } from 'zod';
import { reconcileWorkflow } from '../workflow/rebuild-state.js';
import { defineJob } from './define-job.js';

/**
 * Every few minutes (a BullMQ job scheduler, one per Redis): puts every task back where its
 * state says — open tasks in their ready queue, a QA job for submitted ones, a publish job for
 * approved ones — so a crash anywhere between two steps is repaired without a restart.
 */
export const reconcileWorkflowJob = defineJob({
  name: 'workflow.reconcile',
  queue: 'maintenance',
  payload: z.object({}).passthrough(),
  options: { attempts: 1, removeOnComplete: { count: 10 }, removeOnFail: { count: 100 } },
  handler: async (_p, ctx) => reconcileWorkflow(ctx),
});
