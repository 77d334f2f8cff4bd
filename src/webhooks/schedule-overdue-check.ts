import type { AppContext } from '../context.js';
import { jobQueues } from '../workflow/queues.js';
import { webhookOverdueCheckJob } from './overdue-check.job.js';

/** Installs the periodic overdue check at worker start (idempotent: one scheduler per Redis). */
export async function scheduleOverdueCheck(ctx: AppContext): Promise<void> {
  await jobQueues(ctx)
    .queue(webhookOverdueCheckJob.queue)
    .upsertJobScheduler(
      'webhooks-overdue-check',
      { every: ctx.config.WEBHOOK_OVERDUE_CHECK_MS },
      { name: webhookOverdueCheckJob.name, data: {} },
    );
}
