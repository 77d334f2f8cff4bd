import { retryWhenBusy } from '../db/retry-when-busy.js';
import { conflict, isDuplicateKey, notFound } from '../errors.js';
import { TaskEvent } from '../models/task-event.js';
import {
  ArchivedTask,
  Task,
  type TaskDoc,
  type TaskHistoryEntry,
  type TaskState,
} from '../models/translation-task.js';
import type { Role } from '../models/user.js';
import type { Actor } from '../policies/actor.js';
import { assertPair, assertRole, hasRole } from '../policies/task-policy.js';

/** An open task by id, or null. */
export const findTask = (id: string) => Task.findById(id).lean<TaskDoc>();

/** An open or finished task by id; 404 when neither. */
export async function requireAnyTask(id: string): Promise<TaskDoc> {
  const task = (await findTask(id)) ?? (await ArchivedTask.findById(id).lean<TaskDoc>());
  if (!task) throw notFound('task_not_found', `No task '${id}'`);
  return task;
}

/**
 * A task (open or finished) loaded for an actor who holds one of `roles` and works on its
 * pair (editors see every pair): 403 otherwise, before anything about the task — its state,
 * revision or text — can reach the answer. Commands call this first.
 */
export async function authorisedTask(actor: Actor, id: string, ...roles: Role[]): Promise<TaskDoc> {
  assertRole(actor, ...roles);
  const task = await requireAnyTask(id);
  if (!(roles.includes('editor') && hasRole(actor, 'editor'))) assertPair(actor, task.pair);
  return task;
}

/** The same, and 409 `task_closed` for a finished task. */
export async function authorisedOpenTask(actor: Actor, id: string, ...roles: Role[]): Promise<TaskDoc> {
  const task = await authorisedTask(actor, id, ...roles);
  if (await findTask(id)) return task;
  throw conflict('task_closed', `Task '${id}' is ${task.state}; it can no longer change`);
}

export async function requireOpenTask(id: string): Promise<TaskDoc> {
  const task = await findTask(id);
  if (task) return task;
  const finished = await ArchivedTask.findById(id).lean<TaskDoc>();
  if (finished) throw conflict('task_closed', `Task '${id}' is ${finished.state}; it can no longer change`);
  throw notFound('task_not_found', `No task '${id}'`);
}

export interface TaskChange {
  type: string;
  by: string;
  /** The new state, when the change moves the task; recorded in its history. */
  to?: TaskState;
  note?: string;
  data?: unknown;
  /**
   * Segments this change corrected or replied on: recorded in the task's history even when
   * the state stays (a reviewer's correction keeps the task in review).
   */
  segments?: Pick<TaskHistoryEntry, 'corrected' | 'replied'>;
}

/** Age after which a revision event without its document write is treated as abandoned. */
const ORPHAN_AFTER_MS = 30_000;

/**
 * Applies a change to a task with a compare-and-set: the insert of the event
 * `<taskId>:<revision + 1>` succeeds for one writer only (on MongoDB and the embedded store
 * alike); the loser gets 409 `stale_revision` with the current task. The document is then
 * written by `_id`. Every state change lands in the task's history.
 */
export async function commitTask(
  task: TaskDoc,
  change: TaskChange,
  apply: (next: TaskDoc) => void = () => {},
  now = new Date(),
): Promise<TaskDoc> {
  const next = buildNext(task, change, apply, now);
  await appendEvent(task, next, change, now);
  await retryWhenBusy(() => Task.replaceOne({ _id: task._id }, next));
  return next;
}

/**
 * Appends the history entry `<taskId>:<next revision>`: the compare-and-set of every task
 * change (the loser of a race gets E11000, answered as a stale revision).
 */
async function appendEvent(task: TaskDoc, next: TaskDoc, change: TaskChange, now: Date): Promise<void> {
  try {
    await retryWhenBusy(() =>
      TaskEvent.create({
        _id: `${task._id}:${next.revision}`,
        task: task._id,
        revision: next.revision,
        type: change.type,
        by: change.by,
        from: task.state,
        to: next.state,
        note: change.note,
        data: change.data,
        at: now,
      }),
    );
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    throw await staleRevision(task, now);
  }
}

/**
 * Moves a task out of the open collection with its final state. Safe to repeat: a task
 * already archived is returned as it is, and one whose archive event is written but not
 * its archived copy is finished.
 */
export async function archiveTask(task: TaskDoc, change: TaskChange & { to: TaskState }, now = new Date()) {
  const done = await ArchivedTask.findById(task._id).lean<TaskDoc>();
  if (done) {
    await Task.deleteOne({ _id: task._id });
    return done;
  }
  const next = buildNext(task, change, () => {}, now);
  // A rerun of the same archive that died after its event (a crash, a killed store) finds
  // that event: it is its own, so it finishes at once instead of waiting out the orphan
  // window and logging the change twice.
  const ours = await TaskEvent.findById(`${task._id}:${next.revision}`).lean();
  if (!(ours && ours.type === change.type && ours.to === next.state))
    await appendEvent(task, next, change, now);
  try {
    await retryWhenBusy(() => ArchivedTask.create(next));
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
  await retryWhenBusy(() => Task.deleteOne({ _id: task._id }));
  return next;
}

function buildNext(task: TaskDoc, change: TaskChange, apply: (next: TaskDoc) => void, now: Date): TaskDoc {
  const next: TaskDoc = {
    ...task,
    segments: task.segments.map((s) => ({ ...s })),
    history: [...task.history],
  };
  apply(next);
  next.revision = task.revision + 1;
  next.updatedAt = now;
  const moves = change.to !== undefined && change.to !== task.state;
  if (moves || change.segments) {
    next.history.push({
      at: now,
      by: change.by,
      from: task.state,
      to: change.to ?? task.state,
      note: change.note,
      ...change.segments,
    });
  }
  if (change.to) next.state = change.to;
  return next;
}

/**
 * The 409 for a writer that lost the race, carrying the current task. If the winning event
 * was never followed by its document write (a crashed process) and is old, the document is
 * moved past it so the task does not stay locked forever.
 */
async function staleRevision(task: TaskDoc, now: Date) {
  const current = (await findTask(task._id)) ?? task;
  if (current.revision === task.revision) {
    const orphan = await TaskEvent.findById(`${task._id}:${task.revision + 1}`).lean();
    if (orphan && now.getTime() - new Date(orphan.at).getTime() > ORPHAN_AFTER_MS) {
      current.revision = task.revision + 1;
      await Task.replaceOne({ _id: task._id }, current);
    }
  }
  return conflict(
    'stale_revision',
    `Task ${task._id} is at revision ${current.revision}, not ${task.revision}; reload it and reapply your change`,
    { task: current },
  );
}
