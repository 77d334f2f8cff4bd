import { z } from 'zod';
import type { AppContext } from '../context.js';
import { badRequest, conflict } from '../errors.js';
import type { TaskDoc } from '../models/translation-task.js';
import { emitEvent } from '../outbox/outbox.js';
import type { Actor } from '../policies/actor.js';
import { assertCanReview } from '../policies/task-policy.js';
import { recordLease } from '../workflow/ready-queue.js';
import { authorisedTask, commitTask } from '../workflow/task-store.js';

export const ReviewInput = z.object({
  decision: z.enum(['approve', 'reject']),
  comments: z
    .array(z.object({ i: z.number().int().min(0), comment: z.string().trim().min(1).max(2_000) }))
    .max(5_000)
    .default([]),
  note: z.string().max(2_000).optional(),
});
export type ReviewInput = z.input<typeof ReviewInput>;

/**
 * A reviewer's decision on a task in review. Approve → the `publish` job is requested through
 * the outbox (durable before this returns); reject → back to the same translator with
 * per-segment comments. Repeating an approval is a no-op.
 */
export async function reviewTask(
  ctx: AppContext,
  actor: Actor,
  taskId: string,
  raw: ReviewInput,
): Promise<TaskDoc> {
  const input = ReviewInput.parse(raw);
  const task = await authorisedTask(actor, taskId, 'reviewer');
  if (
    input.decision === 'approve' &&
    ['approved', 'published'].includes(task.state) &&
    task.reviewer === actor.id
  ) {
    // Already approved: the event again (a no-op if still pending), so a crash between the
    // commit and the event cannot leave the task approved with no publish requested.
    if (task.state === 'approved') await emitEvent(`task.approved:${taskId}`, 'task.approved', { taskId });
    return task;
  }
  if (task.state !== 'in_review') {
    throw conflict(
      'task_not_in_review',
      `Task ${taskId} is ${task.state}; only a task in review can be reviewed`,
    );
  }
  assertCanReview(actor, task);
  for (const c of input.comments) {
    if (c.i >= task.segments.length) throw badRequest('unknown_segment', `Segment ${c.i} does not exist`);
  }
  if (input.decision === 'approve') {
    const approved = await commitTask(
      task,
      { type: 'approved', by: actor.id, to: 'approved', note: input.note },
      (t) => {
        t.reviewer = actor.id;
        t.segments = t.segments.map((s) => ({ ...s, status: 'approved' }));
      },
    );
    await emitEvent(`task.approved:${taskId}`, 'task.approved', { taskId });
    return approved;
  }
  const comments = new Map(input.comments.map((c) => [c.i, c.comment]));
  const now = new Date();
  const rejected = await commitTask(
    task,
    {
      type: 'rejected',
      by: actor.id,
      to: 'in_progress',
      note: input.note,
      data: { comments: input.comments },
    },
    (t) => {
      t.reviewer = actor.id;
      t.assignee = t.translator;
      t.leaseExpiresAt = new Date(Date.now() + ctx.config.TASK_LEASE_MINUTES * 60_000);
      t.segments = t.segments.map((s) => {
        const comment = comments.get(s.i);
        const { comment: _old, ...rest } = s;
        if (!comment) return rest;
        // The comment also opens (or continues) the segment's thread, which the translator answers.
        const thread = [
          ...(s.thread ?? []),
          { kind: 'comment' as const, by: actor.id, at: now, text: comment },
        ];
        return { ...rest, comment, thread, status: 'rejected' as const };
      });
    },
    now,
  );
  await recordLease(ctx, rejected);
  return rejected;
}
