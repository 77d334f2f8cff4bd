import type { AppContext } from '../context.js';
import { runTaskQaWithTermbase } from '../workflow/glossary.js';
import { recordLease } from '../workflow/ready-queue.js';
import { commitTask, findTask } from '../workflow/task-store.js';

/**
 * The `review` queue's work: QA of a submitted task. No errors → the task waits for a
 * reviewer (warnings attached); errors → back to its translator with a message per segment.
 * A task no longer at the submitted revision was handled already: nothing to do.
 */
export async function runTaskQa(ctx: AppContext, taskId: string, revision: number): Promise<string> {
  const task = await findTask(taskId);
  if (!task || task.state !== 'submitted' || task.revision !== revision) return 'skipped';
  const qa = { ...(await runTaskQaWithTermbase(task.pair, task.segments)), at: new Date(), revision };
  if (qa.errors.length === 0) {
    await commitTask(
      task,
      { type: 'qa_passed', by: 'system', to: 'in_review', note: `${qa.warnings.length} warning(s)` },
      (t) => {
        t.qa = qa;
      },
    );
    return 'in_review';
  }
  const back = await commitTask(
    task,
    { type: 'qa_failed', by: 'system', to: 'in_progress', note: `${qa.errors.length} error(s)` },
    (t) => {
      t.qa = qa;
      t.assignee = t.translator;
      t.leaseExpiresAt = new Date(Date.now() + ctx.config.TASK_LEASE_MINUTES * 60_000);
    },
  );
  await recordLease(ctx, back);
  return 'in_progress';
}
