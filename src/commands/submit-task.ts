import type { AppContext } from '../context.js';
import { AppError, conflict } from '../errors.js';
import type { TaskDoc, TaskSegment } from '../models/translation-task.js';
import { emitEvent } from '../outbox/outbox.js';
import type { Actor } from '../policies/actor.js';
import { assertCanTranslate } from '../policies/task-policy.js';
import { runTaskQaWithTermbase } from '../workflow/glossary.js';
import { isConfirmed, statusOf } from '../shared/segment-state.js';
import { dropLease } from '../workflow/ready-queue.js';
import { authorisedTask, commitTask } from '../workflow/task-store.js';

/** A reply written on a segment goes into its thread with the submission the reviewer reads. */
function sendReply(s: TaskSegment, by: string, at: Date): TaskSegment {
  const { reply, ...rest } = s;
  if (!reply?.trim()) return rest;
  return { ...rest, thread: [...(s.thread ?? []), { kind: 'reply', by, at, text: reply.trim() }] };
}

const AFTER_SUBMIT = new Set(['submitted', 'in_review', 'approved', 'published']);

/**
 * Hands a translation in for review. Every segment must be confirmed (422
 * `unconfirmed_segments` names the ones that are not). QA runs here first so the translator sees blocking
 * errors at once (422 `qa_failed`, one message per segment); the `review` job then runs it
 * again authoritatively. The job is requested through the outbox, so it is durable before
 * this returns. Replies the translator wrote to the reviewer's comments go with it, into each
 * segment's thread. Submitting twice is a no-op that returns the task.
 */
export async function submitTask(ctx: AppContext, actor: Actor, taskId: string): Promise<TaskDoc> {
  const task = await authorisedTask(actor, taskId, 'translator');
  if (AFTER_SUBMIT.has(task.state) && task.translator === actor.id) {
    // Already submitted: the event again (deduped by id), so QA is requested even if the
    // first call died between the commit and the event.
    if (task.state === 'submitted') {
      await emitEvent(`task.submitted:${taskId}:${task.revision}`, 'task.submitted', {
        taskId,
        revision: task.revision,
      });
    }
    return task;
  }
  if (task.state !== 'in_progress') {
    throw conflict(
      'task_not_in_progress',
      `Task ${taskId} is ${task.state}; only a claimed task can be submitted`,
    );
  }
  assertCanTranslate(actor, task);
  const open = task.segments.filter((s) => !isConfirmed(statusOf(s))).map((s) => s.i);
  if (open.length > 0) {
    throw new AppError(
      422,
      'unconfirmed_segments',
      `${open.length} segment(s) are not confirmed yet (${open.map((i) => i + 1).join(', ')}); confirm each one and submit again`,
      { segments: open },
    );
  }
  const qa = await runTaskQaWithTermbase(task.pair, task.segments);
  if (qa.errors.length > 0) {
    throw new AppError(
      422,
      'qa_failed',
      `${qa.errors.length} segment problem(s) block submission; fix them and submit again`,
      qa,
    );
  }
  const now = new Date();
  const replied = task.segments.filter((s) => s.reply?.trim()).map((s) => s.i);
  const submitted = await commitTask(
    task,
    {
      type: 'submitted',
      by: actor.id,
      to: 'submitted',
      ...(replied.length ? { segments: { replied } } : {}),
    },
    (t) => {
      t.assignee = null;
      t.leaseExpiresAt = null;
      t.segments = t.segments.map((s) => sendReply(s, actor.id, now));
    },
    now,
  );
  await dropLease(ctx, task);
  await emitEvent(`task.submitted:${taskId}:${submitted.revision}`, 'task.submitted', {
    taskId,
    revision: submitted.revision,
  });
  return submitted;
}
