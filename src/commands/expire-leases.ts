import type { AppContext } from '../context.js';
import { enqueueReady, expiredLeases } from '../workflow/ready-queue.js';
import { commitTask, findTask } from '../workflow/task-store.js';

/**
 * Returns tasks whose lease ran out to their pair's ready queue, saved work kept. Runs before
 * every claim (so no timer is needed for correctness) and from the maintenance job. The
 * ZREM of the lease member decides which process returns a task.
 */
export async function returnExpiredLeases(ctx: AppContext, pair: string, now = new Date()): Promise<number> {
  let returned = 0;
  for (const member of await expiredLeases(ctx, pair, now)) {
    if ((await ctx.redis.zrem(ctx.keys.workflow.leases(pair), member)) !== 1) continue;
    const [taskId, gen] = [
      member.slice(0, member.lastIndexOf('#')),
      Number(member.slice(member.lastIndexOf('#') + 1)),
    ];
    const task = await findTask(taskId);
    if (!task || task.state !== 'in_progress' || task.leaseGeneration !== gen) continue;
    if (task.leaseExpiresAt && new Date(task.leaseExpiresAt) > now) continue; // renewed meanwhile
    try {
      const open = await commitTask(
        task,
        { type: 'lease_expired', by: 'system', to: 'open', note: `lease of ${task.assignee} expired` },
        (t) => {
          t.assignee = null;
          t.leaseExpiresAt = null;
        },
        now,
      );
      await enqueueReady(ctx, open);
      returned++;
    } catch (err) {
      ctx.log.warn({ err, task: taskId }, 'could not return an expired task');
    }
  }
  return returned;
}
