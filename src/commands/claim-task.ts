import type { AppContext } from '../context.js';
import { isDuplicateKey } from '../errors.js';
import { TaskClaim } from '../models/task-claim.js';
import type { TaskDoc } from '../models/translation-task.js';
import type { Actor } from '../policies/actor.js';
import { assertPair, assertRole } from '../policies/task-policy.js';
import { popReady, recordLease } from '../workflow/ready-queue.js';
import { commitTask, findTask } from '../workflow/task-store.js';
import { returnExpiredLeases } from './expire-leases.js';

/**
 * Gives the translator the next open task of a pair (priority, then due date, then age), or
 * null when none is open. Atomic on both stores: the task id comes from one Redis ZPOPMIN,
 * and the lease is an insert of `<taskId>#<generation>` (a second claimer gets E11000).
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
    try {
      await TaskClaim.create({ _id: `${task._id}#${generation}`, task: task._id, generation, user: actor.id });
    } catch (err) {
      if (isDuplicateKey(err)) continue;
      throw err;
    }
    const leaseExpiresAt = new Date(now.getTime() + ctx.config.TASK_LEASE_MINUTES * 60_000);
    const claimed = await commitTask(
      task,
      { type: 'claimed', by: actor.id, to: 'in_progress', note: `lease until ${leaseExpiresAt.toISOString()}` },
      (t) => {
        t.assignee = actor.id;
        t.translator = actor.id;
        t.leaseGeneration = generation;
        t.leaseExpiresAt = leaseExpiresAt;
      },
      now,
    );
    await recordLease(ctx, claimed);
    return claimed;
  }
}
