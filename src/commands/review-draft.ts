import { retryWhenBusy } from '../db/retry-when-busy.js';
import { ReviewDraft, reviewDraftId, type ReviewDraftDoc } from '../models/review-draft.js';
import type { TaskDoc } from '../models/translation-task.js';
import type { Actor } from '../policies/actor.js';

/** A reviewer's unsent comments (segment index → text) and overall note. */
export interface ReviewDraftText {
  comments: Record<number, string>;
  note: string;
}

/** When the task last entered review (a correction keeps it there): the round a draft belongs to. */
const roundOf = (task: TaskDoc) =>
  new Date([...task.history].reverse().find((h) => h.to === 'in_review' && h.from !== 'in_review')?.at ?? 0);

/** The reviewer's draft for this round of the task's review (empty when there is none). */
export async function loadReviewDraft(actor: Actor, task: TaskDoc): Promise<ReviewDraftText> {
  const doc = await ReviewDraft.findById(reviewDraftId(task._id, actor.id)).lean<ReviewDraftDoc>();
  if (!doc || new Date(doc.round).getTime() !== roundOf(task).getTime()) return { comments: {}, note: '' };
  return {
    comments: Object.fromEntries(doc.comments.map((c) => [c.i!, c.comment ?? ''])),
    note: doc.note ?? '',
  };
}

/**
 * Keeps what the reviewer typed on one page: its comments replace the draft's comments on the
 * same segments (an emptied one is dropped), the others' stay; the note is replaced when sent.
 * Returns the whole draft. Callers authorise the reviewer on the task first.
 */
export async function saveReviewDraft(
  actor: Actor,
  task: TaskDoc,
  typed: { comments: Record<number, string>; note?: string },
): Promise<ReviewDraftText> {
  const draft = await loadReviewDraft(actor, task);
  for (const [i, comment] of Object.entries(typed.comments)) {
    if (Number(i) >= task.segments.length) continue;
    if (comment.trim()) draft.comments[Number(i)] = comment.trim();
    else delete draft.comments[Number(i)];
  }
  if (typed.note !== undefined) draft.note = typed.note;
  const _id = reviewDraftId(task._id, actor.id);
  const comments = Object.entries(draft.comments)
    .map(([i, comment]) => ({ i: Number(i), comment }))
    .sort((a, b) => a.i - b.i);
  await retryWhenBusy(() =>
    ReviewDraft.replaceOne(
      { _id },
      { _id, round: roundOf(task), comments, note: draft.note, at: new Date() },
      { upsert: true },
    ),
  );
  return draft;
}

/** The decision is made: the draft has been sent (or is moot). */
export const dropReviewDraft = (actor: Actor, taskId: string) =>
  ReviewDraft.deleteOne({ _id: reviewDraftId(taskId, actor.id) });
