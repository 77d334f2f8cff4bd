import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import type { TaskDoc } from '../models/translation-task.js';
import type { Actor } from '../policies/actor.js';
import { assertPair, assertRole } from '../policies/task-policy.js';
import { enqueueReady, popReady, recordLease } from '../workflow/ready-queue.js';
import { commitTask, findTask } from '../workflow/task-store.js';
import { returnExpiredLeases } from './expire-leases.js';

/**
 * Gives the translator the next open task of a pair (priority, then due date, then age), or
 * null when none is open. Atomic on both stores: the task id comes from one Redis ZPOPMIN,
 * and the claim is the insert of the task's next revision event `<taskId>:<revision>` (a
 * second claimer of the same task — e.g. after a queue rebuild — gets E11000 and moves on).
 */
export async function claimTask(
  ctx: AppContext,
  actor: Actor,
  pair: string,
  now = new Date(),
): Promise<TaskDoc | null> {
  assertRole(actor, 'translator');
  assertPair(actor, pair);
  await returnExpiredLeases(ctx, pair, now);
  for (;;) {
    const taskId = await popReady(ctx, pair);
    if (!taskId) return null;
    const task = await findTask(taskId);
    if (!task || task.state !== 'open') continue; // stale queue entry
    const generation = task.leaseGeneration + 1;
    const leaseExpiresAt = new Date(now.getTime() + ctx.config.TASK_LEASE_MINUTES * 60_000);
    let claimed: TaskDoc;
    try {
      claimed = await commitTask(
        task,
        {
          type: 'claimed',
          by: actor.id,
          to: 'in_progress',
          note: `lease until ${leaseExpiresAt.toISOString()}`,
          data: { generation },
        },
        (t) => {
          t.assignee = actor.id;
          t.translator = actor.id;
          t.leaseGeneration = generation;
          t.leaseExpiresAt = leaseExpiresAt;
        },
        now,
      );
    } catch (err) {
      if (err instanceof AppError && err.code === 'stale_revision') continue; // another claimer won
      await enqueueReady(ctx, task); // not claimed: put it back for the next translator
      throw err;
    }
    await recordLease(ctx, claimed);
    return claimed;
  }
}
