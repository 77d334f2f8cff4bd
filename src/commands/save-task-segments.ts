import { z } from 'zod';
import type { AppContext } from '../context.js';
import { badRequest, conflict } from '../errors.js';
import type { TaskDoc } from '../models/translation-task.js';
import type { Actor } from '../policies/actor.js';
import { assertCanTranslate } from '../policies/task-policy.js';
import { recordLease } from '../workflow/ready-queue.js';
import { commitTask, requireOpenTask } from '../workflow/task-store.js';
import { returnExpiredLeases } from './expire-leases.js';

export const SaveSegmentsInput = z.object({
  baseRevision: z.number().int().min(1),
  segments: z
    .array(z.object({ i: z.number().int().min(0), target: z.string().max(20_000) }))
    .min(1)
    .max(5_000),
});
export type SaveSegmentsInput = z.infer<typeof SaveSegmentsInput>;

/**
 * Saves a translator's segment edits and renews the lease. The edits carry the task revision
 * they were based on: if the task moved on meanwhile the save answers 409 `stale_revision`
 * with the current task instead of overwriting (the revision insert is the compare-and-set).
 */
export async function saveTaskSegments(
  ctx: AppContext,
  actor: Actor,
  taskId: string,
  input: SaveSegmentsInput,
  now = new Date(),
): Promise<TaskDoc> {
  let task = await requireOpenTask(taskId);
  if (task.leaseExpiresAt && new Date(task.leaseExpiresAt) <= now && task.state === 'in_progress') {
    await returnExpiredLeases(ctx, task.pair, now);
    task = await requireOpenTask(taskId);
  }
  if (task.revision !== input.baseRevision) {
    throw conflict(
      'stale_revision',
      `Task ${taskId} is at revision ${task.revision}, not ${input.baseRevision}; reload it and reapply your edits`,
      { task },
    );
  }
  if (task.state !== 'in_progress') {
    throw conflict(
      'task_not_in_progress',
      `Task ${taskId} is ${task.state}; only a claimed task can be edited`,
      {
        task,
      },
    );
  }
  assertCanTranslate(actor, task);
  for (const s of input.segments) {
    if (s.i >= task.segments.length) {
      throw badRequest(
        'unknown_segment',
        `Segment ${s.i} does not exist (the task has ${task.segments.length})`,
      );
    }
  }
  const leaseExpiresAt = new Date(now.getTime() + ctx.config.TASK_LEASE_MINUTES * 60_000);
  const saved = await commitTask(
    task,
    { type: 'saved', by: actor.id, data: { segments: input.segments.map((s) => s.i) } },
    (t) => {
      for (const s of input.segments) {
        t.segments[s.i] = { ...t.segments[s.i], target: s.target, origin: 'translator' };
      }
      t.leaseExpiresAt = leaseExpiresAt;
    },
    now,
  );
  await recordLease(ctx, saved);
  return saved;
}
