import type { AppContext } from '../context.js';
import { conflict, notFound } from '../errors.js';
import { TaskPointer, openPointerId } from '../models/task-pointer.js';
import { ArchivedTask, type TaskDoc } from '../models/translation-task.js';
import type { Actor } from '../policies/actor.js';
import { queueMember, recordLease } from './ready-queue.js';
import { commitTask, findTask } from './task-store.js';

/** A new lease end from now. */
export const leaseUntil = (ctx: AppContext, now: Date) =>
  new Date(now.getTime() + ctx.config.TASK_LEASE_MINUTES * 60_000);

/**
 * The open task of the translator's work, ready to be written: their own claimed task (an
 * expired lease still counts while nobody else took it); or, when the lease ran out and the
 * sweeper returned the task to the queue, re-claimed for the same translator — the ZREM from
 * the ready queue decides against a concurrent claimer; or, when the source was edited and
 * the task superseded, a 409 `task_superseded` naming the successor (assigned to the same
 * translator). Anything else: 409 `task_taken` with who holds it now.
 */
export async function taskForTranslator(
  ctx: AppContext,
  actor: Actor,
  taskId: string,
  now = new Date(),
): Promise<TaskDoc> {
  const task = await findTask(taskId);
  if (!task) {
    const done = await ArchivedTask.findById(taskId).lean<TaskDoc>();
    if (done?.state === 'superseded') {
      const ptr = await TaskPointer.findById(openPointerId(done.story, done.to)).lean();
      const next = ptr ? await findTask(ptr.task) : null;
      if (next && next.assignee === actor.id) {
        throw conflict('task_superseded', `The source was edited: continue in task ${next._id}`, {
          successor: next._id,
        });
      }
    }
    if (done) throw conflict('task_closed', `Task '${taskId}' is ${done.state}; it can no longer change`);
    throw notFound('task_not_found', `No task '${taskId}'`);
  }
  if (task.state === 'in_progress' && task.assignee === actor.id) return task;
  if (task.state === 'open' && task.translator === actor.id) {
    const removed = await ctx.redis.zrem(ctx.keys.workflow.ready(task.pair), queueMember(task));
    if (removed === 1) {
      const generation = task.leaseGeneration + 1;
      const reclaimed = await commitTask(
        task,
        { type: 'reclaimed', by: actor.id, to: 'in_progress', note: 'lease expired, nobody else claimed' },
        (t) => {
          t.assignee = actor.id;
          t.leaseGeneration = generation;
          t.leaseExpiresAt = leaseUntil(ctx, now);
        },
        now,
      );
      await recordLease(ctx, reclaimed);
      return reclaimed;
    }
  }
  throw conflict(
    'task_taken',
    task.assignee
      ? `Task ${taskId} is now held by ${task.assignee}; your text is kept in your browser`
      : `Task ${taskId} is ${task.state}; your text is kept in your browser`,
    { task },
  );
}

/** Renews the lease of a task the translator holds (the workbench's heartbeat while they type). */
export async function renewLease(
  ctx: AppContext,
  actor: Actor,
  taskId: string,
  baseRevision: number,
  now = new Date(),
): Promise<TaskDoc> {
  const task = await taskForTranslator(ctx, actor, taskId, now);
  if (task.revision !== baseRevision) {
    throw conflict('stale_revision', `Task ${task._id} is at revision ${task.revision}`, { task });
  }
  const renewed = await commitTask(
    task,
    { type: 'lease_renewed', by: actor.id },
    (t) => {
      t.leaseExpiresAt = leaseUntil(ctx, now);
    },
    now,
  );
  await recordLease(ctx, renewed);
  return renewed;
}
