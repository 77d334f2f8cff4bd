import { z } from 'zod';
import type { AppContext } from '../context.js';
import { badRequest, conflict } from '../errors.js';
import type { TaskDoc, TaskSegment } from '../models/translation-task.js';
import type { Actor } from '../policies/actor.js';
import { assertCanTranslate, assertPair, assertRole } from '../policies/task-policy.js';
import { statusAfterSave } from '../shared/segment-state.js';
import { recordLease } from '../workflow/ready-queue.js';
import { leaseUntil, taskForTranslator } from '../workflow/task-lease.js';
import { commitTask, requireAnyTask } from '../workflow/task-store.js';

export const SaveSegmentsInput = z.object({
  baseRevision: z.number().int().min(1),
  segments: z
    .array(
      z.object({
        i: z.number().int().min(0),
        target: z.string().max(20_000),
        /** true confirms the segment, false takes a confirmation back; absent keeps the state. */
        confirmed: z.boolean().optional(),
        /** A note accepting the segment's QA warnings, for the reviewer; '' removes it. */
        note: z.string().max(2_000).optional(),
        /** A reply to the reviewer's comment on the segment (sent on submit); '' removes it. */
        reply: z.string().max(2_000).optional(),
      }),
    )
    .min(1)
    .max(5_000),
});
export type SaveSegmentsInput = z.infer<typeof SaveSegmentsInput>;

/** The segment without the translator's optional texts (set again from the save). */
const withoutNotes = ({ qaNote: _note, reply: _reply, ...rest }: TaskSegment): TaskSegment => rest;

/** The text kept for an optional note: the new one if sent ('' removes it), else the old one. */
const keptText = (sent: string | undefined, before: string | undefined) =>
  sent === undefined ? before : sent.trim() || undefined;

/**
 * Saves a translator's segment edits (confirmations, QA notes, replies to the reviewer) and
 * renews the lease. The edits carry the task revision they were based on: if the task moved
 * on meanwhile the save answers 409
 * `stale_revision` with the current task instead of overwriting (the revision insert is the
 * compare-and-set). A lease that ran out does not lose the work: the save succeeds while
 * nobody else has claimed the task (see `taskForTranslator`; a re-claim moves the revision,
 * so the client's retry on the 409 applies the edits on top, which the workbench does when the
 * server's text of its segments is still the one it started from).
 */
export async function saveTaskSegments(
  ctx: AppContext,
  actor: Actor,
  taskId: string,
  input: SaveSegmentsInput,
  now = new Date(),
): Promise<TaskDoc> {
  assertRole(actor, 'translator');
  assertPair(actor, (await requireAnyTask(taskId)).pair); // authorise before anything is compared
  const task = await taskForTranslator(ctx, actor, taskId, now);
  if (task.revision !== input.baseRevision) {
    throw conflict(
      'stale_revision',
      `Task ${taskId} is at revision ${task.revision}, not ${input.baseRevision}; reload it and reapply your edits`,
      { task },
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
    if (s.reply?.trim() && !task.segments[s.i].thread?.length) {
      throw badRequest('nothing_to_reply', `Segment ${s.i} has no reviewer's comment to reply to`);
    }
  }
  const saved = await commitTask(
    task,
    { type: 'saved', by: actor.id, data: { segments: input.segments.map((s) => s.i) } },
    (t) => {
      for (const s of input.segments) {
        const before = t.segments[s.i];
        const changed = s.target !== before.target;
        const note = keptText(s.note, before.qaNote);
        const reply = keptText(s.reply, before.reply);
        t.segments[s.i] = {
          ...withoutNotes(before),
          ...(note ? { qaNote: note } : {}),
          ...(reply ? { reply } : {}),
          target: s.target,
          // A TM/MT text confirmed as it is keeps its origin: the reviewer sees it went through unchanged.
          origin: changed ? 'translator' : before.origin,
          status: statusAfterSave(before, s.target, s.confirmed),
        };
      }
      t.leaseExpiresAt = leaseUntil(ctx, now);
    },
    now,
  );
  await recordLease(ctx, saved);
  return saved;
}
