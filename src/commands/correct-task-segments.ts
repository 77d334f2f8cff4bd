import { z } from 'zod';
import { AppError, badRequest, conflict } from '../errors.js';
import type { TaskDoc, TaskSegment } from '../models/translation-task.js';
import type { Actor } from '../policies/actor.js';
import { assertCanReview } from '../policies/task-policy.js';
import { runTaskQaWithTermbase } from '../workflow/glossary.js';
import { authorisedTask, commitTask } from '../workflow/task-store.js';

export const CorrectSegmentsInput = z.object({
  baseRevision: z.number().int().min(1),
  segments: z
    .array(
      z.object({
        i: z.number().int().min(0),
        target: z.string().trim().min(1, 'a corrected segment cannot be empty').max(20_000),
      }),
    )
    .min(1)
    .max(5_000),
});
export type CorrectSegmentsInput = z.input<typeof CorrectSegmentsInput>;

/**
 * A reviewer's small correction, made directly instead of sending the task back: the segment
 * takes the reviewer's text with origin `reviewer` and a `correction` record (who, when, the
 * translator's text before it), and the task's history names the corrected segments. The
 * task stays in review. Like the translator's saves it is a compare-and-set on the revision
 * the reviewer's page showed (409 `stale_revision` with the current task), and QA runs on the
 * new text: an error it brings in is refused (422 `qa_failed`), as at submission.
 */
export async function correctTaskSegments(
  actor: Actor,
  taskId: string,
  raw: CorrectSegmentsInput,
  now = new Date(),
): Promise<TaskDoc> {
  const input = CorrectSegmentsInput.parse(raw);
  const task = await authorisedTask(actor, taskId, 'reviewer'); // role and pair before anything else
  assertCanReview(actor, task);
  if (task.state !== 'in_review') {
    throw conflict(
      'task_not_in_review',
      `Task ${taskId} is ${task.state}; only a task in review can be corrected by its reviewer`,
    );
  }
  if (task.revision !== input.baseRevision) {
    throw conflict(
      'stale_revision',
      `Task ${taskId} is at revision ${task.revision}, not ${input.baseRevision}; reload it and reapply your correction`,
      { task },
    );
  }
  for (const s of input.segments) {
    if (s.i >= task.segments.length) {
      throw badRequest(
        'unknown_segment',
        `Segment ${s.i} does not exist (the task has ${task.segments.length})`,
      );
    }
  }
  const changed = input.segments.filter((s) => s.target !== task.segments[s.i].target);
  if (changed.length === 0) return task; // nothing corrected, nothing to record

  const corrected = task.segments.map((s) => ({ ...s }));
  for (const c of changed) corrected[c.i] = correctedSegment(corrected[c.i], c.target, actor.id, now);
  const qa = await runTaskQaWithTermbase(task.pair, corrected);
  const indexes = new Set(changed.map((c) => c.i));
  const errors = qa.errors.filter((e) => indexes.has(e.i));
  if (errors.length > 0) {
    throw new AppError(
      422,
      'qa_failed',
      `${errors.length} problem(s) in the correction; fix them and save the correction again`,
      { errors, warnings: qa.warnings.filter((w) => indexes.has(w.i)) },
    );
  }
  const segments = [...indexes].sort((a, b) => a - b);
  return commitTask(
    task,
    {
      type: 'corrected',
      by: actor.id,
      segments: { corrected: segments },
      data: {
        segments: changed.map((c) => ({ i: c.i, before: task.segments[c.i].target, after: c.target })),
      },
    },
    (t) => {
      t.segments = corrected;
      t.qa = { ...qa, at: now, revision: task.revision + 1 };
    },
    now,
  );
}

/** The segment with the reviewer's text; the translator's text is kept as `correction.previous`. */
function correctedSegment(s: TaskSegment, target: string, by: string, at: Date): TaskSegment {
  return {
    ...s,
    target,
    origin: 'reviewer',
    correction: { by, at, previous: s.correction?.previous ?? s.target },
  };
}
