import type { AppContext } from '../context.js';
import { isDuplicateKey } from '../errors.js';
import { releaseId } from '../models/ids.js';
import { Release, type ReleaseDoc } from '../models/release.js';
import { StoryWorkflow, type StoryWorkflowDoc } from '../models/story-workflow.js';
import { TaskEvent } from '../models/task-event.js';
import { TaskPointer, approvedPointerId, openPointerId } from '../models/task-pointer.js';
import { ArchivedTask, Task, type TaskDoc, type TaskSegment } from '../models/translation-task.js';
import { isTranslatable } from './coordinated-release.js';
import { dropLease, enqueueReady, markTranslating, removeReady } from './ready-queue.js';
import { segmentRelease, type SourceSegment } from './segmenter.js';
import { normalizeSegment, similarity } from './similarity.js';
import { archiveTask, findTask } from './task-store.js';
import { lookupMemory, neighbours } from './translation-memory.js';

export interface PrepareInput {
  storyId: string;
  /** The language translated from (the target's pivot). */
  from: string;
  to: string;
  /** Re-request: make a new task even when the current translation matches the source. */
  force?: boolean;
  requestId?: string;
}

export type PrepareOutcome =
  | { status: 'created' | 'exists'; task: TaskDoc }
  | { status: 'source_not_ready' | 'up_to_date' | 'newer_task' };

/**
 * Makes the translation task of one story into one language, ready for translators: the
 * source segmented, each segment pre-filled from the last approved translation (unchanged
 * segments need no work), else from saved work of the task it replaces, else from the
 * translation memory. Idempotent: the task id derives from the source revision, and every
 * follow-up step (pointer, ready queue, the replaced task's archive) is repeated safely.
 */
export async function prepareTranslationTask(ctx: AppContext, input: PrepareInput): Promise<PrepareOutcome> {
  const { storyId, from, to } = input;
  const source = await Release.findById(releaseId(storyId, from)).lean<ReleaseDoc>();
  if (!source || !(await isTranslatable(source))) return { status: 'source_not_ready' };

  const openPtr = await TaskPointer.findById(openPointerId(storyId, to)).lean();
  const current = openPtr ? await findTask(openPtr.task) : null;
  if (current && !input.force) {
    if (current.sourceContentHash === source.contentHash) {
      await settle(ctx, current);
      return { status: 'exists', task: current };
    }
    if (current.from === from && current.sourceRevision > source.revision) return { status: 'newer_task' };
  }
  const approvedPtr = await TaskPointer.findById(approvedPointerId(storyId, to)).lean();
  const approved = approvedPtr ? await ArchivedTask.findById(approvedPtr.task).lean<TaskDoc>() : null;
  if (!current && !input.force && approved?.sourceContentHash === source.contentHash) {
    return { status: 'up_to_date' };
  }

  const id = `${storyId}.${to}.${from}${source.revision}${input.requestId ? `-${input.requestId}` : ''}`;
  const existing = (await findTask(id)) ?? (await ArchivedTask.findById(id).lean<TaskDoc>());
  if (existing) {
    await settle(ctx, existing);
    return { status: 'exists', task: existing };
  }

  const settings = await StoryWorkflow.findById(storyId).lean<StoryWorkflowDoc>();
  const { segments, skeleton } = segmentRelease(source);
  const now = new Date();
  const task: TaskDoc = {
    _id: id,
    story: storyId,
    pair: `${from}:${to}`,
    from,
    to,
    sourceRelease: source._id,
    sourceRevision: source.revision,
    sourceContentHash: source.contentHash,
    state: 'open',
    priority: settings?.priority ?? 5,
    dueAt: settings?.dueAt ?? null,
    revision: 1,
    leaseGeneration: 0,
    skeleton,
    segments: await prefill(ctx, `${from}:${to}`, segments, approved, current),
    previousTask: current && current._id !== id ? current._id : null,
    history: [{ at: now, by: 'system', from: null, to: 'open', note: `source revision ${source.revision}` }],
    createdAt: now,
    updatedAt: now,
  };
  try {
    await Task.create(task);
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    const winner = (await findTask(id)) ?? task;
    await settle(ctx, winner);
    return { status: 'exists', task: winner };
  }
  await settle(ctx, task);
  return { status: 'created', task };
}

/**
 * The follow-up of a task's creation, safe to repeat: its creation event is recorded, the open
 * pointer names it, the task it replaces is archived as superseded, it is in its ready queue
 * and the story shows the language as being translated.
 */
async function settle(ctx: AppContext, task: TaskDoc): Promise<void> {
  if (!(await Task.exists({ _id: task._id }))) return;
  // The creation event: a process killed right after the task's insert left it missing.
  await TaskEvent.create({
    _id: `${task._id}:1`,
    task: task._id,
    revision: 1,
    type: 'created',
    by: 'system',
    to: 'open',
    at: task.createdAt,
  }).catch((err: unknown) => {
    if (!isDuplicateKey(err)) throw err;
  });
  await TaskPointer.replaceOne(
    { _id: openPointerId(task.story, task.to) },
    { _id: openPointerId(task.story, task.to), task: task._id, at: new Date() },
    { upsert: true },
  );
  if (task.previousTask) {
    const old = await findTask(task.previousTask);
    if (old) {
      await removeReady(ctx, old);
      await dropLease(ctx, old);
      await archiveTask(old, {
        type: 'superseded',
        by: 'system',
        to: 'superseded',
        note: `replaced by ${task._id} (source revision ${task.sourceRevision})`,
      }).catch((err: unknown) => ctx.log.warn({ err, task: old._id }, 'could not archive a superseded task'));
    }
  }
  if (task.state === 'open') await enqueueReady(ctx, task);
  await markTranslating(ctx, task.story, task.to);
}

async function prefill(
  ctx: AppContext,
  pair: string,
  segments: SourceSegment[],
  approved: TaskDoc | null,
  replaced: TaskDoc | null,
): Promise<TaskSegment[]> {
  const previous = new Map(
    (approved?.segments ?? []).map((s) => [`${s.field}|${normalizeSegment(s.source)}`, s.target]),
  );
  const saved = new Map(
    (replaced?.segments ?? [])
      .filter((s) => s.target.trim() && s.origin === 'translator')
      .map((s) => [`${s.field}|${normalizeSegment(s.source)}`, s.target]),
  );
  const out: TaskSegment[] = [];
  for (const [at, seg] of segments.entries()) {
    const key = `${seg.field}|${normalizeSegment(seg.source)}`;
    const base = { ...seg, suggestions: [] as TaskSegment['suggestions'] };
    const prev = previous.get(key);
    if (prev !== undefined) {
      out.push({ ...base, target: prev, origin: 'previous', needsWork: false });
      continue;
    }
    const suggestions = await lookupMemory(ctx, pair, seg.source, neighbours(segments, at));
    const changed = approved ? closestOld(seg, approved) : undefined;
    const mine = saved.get(key);
    // Only a memory match is pre-filled; machine translation waits for the translator.
    const best = suggestions.find((x) => x.kind !== 'mt');
    out.push({
      ...base,
      suggestions,
      needsWork: true,
      ...(changed ? { changed } : {}),
      target: mine ?? best?.target ?? '',
      origin: mine ? 'translator' : best ? (best.score >= 1 ? 'tm_exact' : 'tm_fuzzy') : 'none',
    });
  }
  return out;
}

/** The old segment this new one most likely replaces: same field, most similar source. */
function closestOld(seg: SourceSegment, approved: TaskDoc): TaskSegment['changed'] {
  let best: { oldSource: string; oldTarget: string; score: number } | undefined;
  for (const old of approved.segments) {
    if (old.field !== seg.field) continue;
    const score = similarity(seg.source, old.source);
    if (!best || score > best.score) best = { oldSource: old.source, oldTarget: old.target, score };
  }
  return best ? { oldSource: best.oldSource, oldTarget: best.oldTarget } : undefined;
}
