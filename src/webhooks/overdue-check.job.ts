import { z } from 'zod';
import type { AppContext } from '../context.js';
import { defineJob } from '../jobs/define-job.js';
import { Task, type TaskDoc } from '../models/translation-task.js';
import { emitEvent } from '../outbox/outbox.js';
import { OVERDUE_STATES } from './outbox-reactions.js';

/**
 * Every `WEBHOOK_OVERDUE_CHECK_MS` (a BullMQ job scheduler: one run per interval however many
 * workers): records a `task.overdue` outbox event for each open task past its due date, once
 * per task and due date (a Redis set remembers what was reported; a new due date is reported
 * anew). The event is recorded before it is remembered, so a crash in between reports it
 * again, and the deterministic event and message ids make that repeat send nothing twice.
 */
export const webhookOverdueCheckJob = defineJob({
  name: 'webhooks.overdue-check',
  queue: 'maintenance',
  payload: z.object({}).passthrough(),
  options: { attempts: 1, removeOnComplete: { count: 10 }, removeOnFail: { count: 100 } },
  handler: async (_p, ctx) => reportOverdueTasks(ctx),
});

export async function reportOverdueTasks(ctx: AppContext, now = Date.now()): Promise<number> {
  // The open-task collection is small (finished tasks are archived): a scan is cheap.
  const tasks = await Task.find({ dueAt: { $ne: null } }, { _id: 1, dueAt: 1, state: 1 }).lean<
    Pick<TaskDoc, '_id' | 'dueAt' | 'state'>[]
  >();
  const overdue = tasks
    .filter((t) => t.dueAt && new Date(t.dueAt).getTime() <= now && OVERDUE_STATES.includes(t.state))
    .map((t) => ({ taskId: t._id, dueAt: new Date(t.dueAt!).getTime() }));
  const key = ctx.keys.webhookOverdueReported;
  const current = new Set(overdue.map((o) => `${o.taskId}:${o.dueAt}`));
  let reported = 0;
  for (const o of overdue) {
    const member = `${o.taskId}:${o.dueAt}`;
    if (await ctx.redis.sismember(key, member)) continue;
    await emitEvent(`task.overdue:${member}`, 'task.overdue', o);
    await ctx.redis.sadd(key, member);
    reported++;
  }
  // Forget tasks that are done, re-planned or no longer overdue: the set stays small.
  const stale = (await ctx.redis.smembers(key)).filter((m) => !current.has(m));
  if (stale.length) await ctx.redis.srem(key, ...stale);
  return reported;
}
