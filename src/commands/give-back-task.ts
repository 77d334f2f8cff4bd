import type { AppContext } from '../context.js';
import type { TaskDoc } from '../models/translation-task.js';
import type { Actor } from '../policies/actor.js';
import { assertCanTranslate } from '../policies/task-policy.js';
import { dropLease, enqueueReady } from '../workflow/ready-queue.js';
import { commitTask, requireOpenTask } from '../workflow/task-store.js';

/**
 * A translator gives a claimed task back: it returns to its pair's ready queue for someone
 * else, with every saved segment kept (the next translator starts from that work).
 */
export async function giveBackTask(ctx: AppContext, actor: Actor, taskId: string, now = new Date()) {
  const task = await requireOpenTask(taskId);
  assertCanTranslate(actor, task);
  const open: TaskDoc = await commitTask(
    task,
    { type: 'given_back', by: actor.id, to: 'open', note: `given back by ${actor.id}` },
    (t) => {
      t.assignee = null;
      t.translator = null;
      t.leaseExpiresAt = null;
    },
    now,
  );
  await dropLease(ctx, task);
  await enqueueReady(ctx, open);
  return open;
}
