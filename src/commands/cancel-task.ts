import type { AppContext } from '../context.js';
import { TaskPointer, openPointerId } from '../models/task-pointer.js';
import type { TaskDoc } from '../models/translation-task.js';
import type { Actor } from '../policies/actor.js';
import { assertRole } from '../policies/task-policy.js';
import { dropLease, removeReady, unmarkTranslating } from '../workflow/ready-queue.js';
import { archiveTask, requireOpenTask } from '../workflow/task-store.js';

/**
 * An editor withdraws an open task (the language is no longer wanted for this story): it
 * leaves the ready queue, its lease ends, it is archived as cancelled, and the story no longer
 * shows the language as being translated. The published translation, if any, is untouched.
 */
export async function cancelTask(
  ctx: AppContext,
  actor: Actor,
  taskId: string,
  note?: string,
): Promise<TaskDoc> {
  assertRole(actor, 'editor');
  const task = await requireOpenTask(taskId);
  await removeReady(ctx, task);
  await dropLease(ctx, task);
  const done = await archiveTask(task, { type: 'cancelled', by: actor.id, to: 'cancelled', note });
  const ptr = await TaskPointer.findById(openPointerId(task.story, task.to)).lean();
  if (ptr?.task === taskId) {
    await TaskPointer.deleteOne({ _id: openPointerId(task.story, task.to) });
    await unmarkTranslating(ctx, task.story, task.to);
  }
  return done;
}
