import type { AppContext } from '../context.js';
import { AppError, conflict } from '../errors.js';
import type { TaskDoc } from '../models/translation-task.js';
import type { Actor } from '../policies/actor.js';
import { assertPair, assertRole } from '../policies/task-policy.js';
import { enqueueReady, popReady, queueMember, recordLease } from '../workflow/ready-queue.js';
import { commitTask, findTask, requireAnyTask } from '../workflow/task-store.js';
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
    try {
      return await commitClaim(ctx, actor, task, now);
    } catch (err) {
      if (err instanceof AppError && err.code === 'stale_revision') continue; // another claimer won
      await enqueueReady(ctx, task); // not claimed: put it back for the next translator
      throw err;
    }
  }
}

/**
 * Takes one chosen open task from the list. The ZREM of its ready-queue member is the claim's
 * first half (exactly one of two concurrent takers — or a "next" claimer's ZPOPMIN — gets it);
 * the revision insert is the second. Someone faster: 409 `task_taken`.
 */
export async function claimTaskById(
  ctx: AppContext,
  actor: Actor,
  taskId: string,
  now = new Date(),
): Promise<TaskDoc> {
  assertRole(actor, 'translator');
  const found = await requireAnyTask(taskId);
  assertPair(actor, found.pair); // authorise before anything about the task is compared
  await returnExpiredLeases(ctx, found.pair, now);
  const task = await findTask(taskId);
  const taken = () =>
    conflict('task_taken', `Task ${taskId} is no longer open; choose another one or take the next`);
  if (!task || task.state !== 'open') throw taken();
  if ((await ctx.redis.zrem(ctx.keys.workflow.ready(task.pair), queueMember(task))) !== 1) throw taken();
  try {
    return await commitClaim(ctx, actor, task, now);
  } catch (err) {
    if (err instanceof AppError && err.code === 'stale_revision') throw taken();
    await enqueueReady(ctx, task);
    throw err;
  }
}

/** The claim itself: the task's next revision, assigned and leased to the translator. */
async function commitClaim(ctx: AppContext, actor: Actor, task: TaskDoc, now: Date): Promise<TaskDoc> {
  const generation = task.leaseGeneration + 1;
  const leaseExpiresAt = new Date(now.getTime() + ctx.config.TASK_LEASE_MINUTES * 60_000);
  const claimed = await commitTask(
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
  await recordLease(ctx, claimed);
  return claimed;
}
