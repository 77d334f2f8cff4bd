import type { AppContext } from '../context.js';
import { revisionContentHash } from '../commands/write-release.js';
import { isDuplicateKey } from '../errors.js';
import { releaseId } from '../models/ids.js';
import { Release, type ReleaseDoc } from '../models/release.js';
import { StoryWorkflow, type StoryWorkflowDoc } from '../models/story-workflow.js';
import { TaskEvent } from '../models/task-event.js';
import { TaskPointer, approvedPointerId, openPointerId } from '../models/task-pointer.js';
import { ArchivedTask, Task, type TaskDoc, type TaskSegment } from '../models/translation-task.js';
import { addMachineTranslation } from '../mt/pretranslate.js';
import { isTranslatable } from './coordinated-release.js';
import { dropLease, enqueueReady, markTranslating, recordLease, removeReady } from './ready-queue.js';
import { placeholdersOf } from '../shared/inline-codes.js';
import { statusOf, type SegmentStatus } from '../shared/segment-state.js';
import { MAX_TASK_SEGMENTS } from './segment-limit.js';
import { segmentRelease, type SourceSegment } from './segmenter.js';
import { normalizeSegment, similarity } from './similarity.js';
import { archiveTask, findTask } from './task-store.js';
import { lookupMemory, neighbours } from './translation-memory.js';
import { mapLimit } from '../lib/map-limit.js';

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
  | { status: 'source_not_ready' | 'up_to_date' | 'newer_task' | 'too_long' };

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
  if (!current && !input.force && (await translationIsCurrent(source, to))) return { status: 'up_to_date' };

  const id = `${storyId}.${to}.${from}${source.revision}${input.requestId ? `-${input.requestId}` : ''}`;
  const existing = (await findTask(id)) ?? (await ArchivedTask.findById(id).lean<TaskDoc>());
  if (existing) {
    await settle(ctx, existing);
    return { status: 'exists', task: existing };
  }

  const settings = await StoryWorkflow.findById(storyId).lean<StoryWorkflowDoc>();
  const { segments, skeleton } = segmentRelease(source);
  if (segments.length > MAX_TASK_SEGMENTS) {
    // Stored before the limit, or imported: no unworkable task; the editor splits the story.
    ctx.log.warn(
      { story: storyId, to, segments: segments.length, max: MAX_TASK_SEGMENTS },
      'source too long for one translation task: no task made',
    );
    return { status: 'too_long' };
  }
  const now = new Date();
  // The source was edited while a translator held the task: the new task stays theirs.
  const holder = current?.state === 'in_progress' && current.assignee ? current.assignee : null;
  const task: TaskDoc = {
    _id: id,
    story: storyId,
    pair: `${from}:${to}`,
    from,
    to,
    sourceRelease: source._id,
    sourceRevision: source.revision,
    sourceContentHash: source.contentHash,
    state: holder ? 'in_progress' : 'open',
    priority: settings?.priority ?? 5,
    dueAt: settings?.dueAt ?? null,
    revision: 1,
    leaseGeneration: holder ? 1 : 0,
    ...(holder
      ? {
          assignee: holder,
          translator: holder,
          leaseExpiresAt: new Date(now.getTime() + ctx.config.TASK_LEASE_MINUTES * 60_000),
        }
      : {}),
    skeleton,
    segments: await prefill(ctx, `${from}:${to}`, segments, approved, current),
    previousTask: current && current._id !== id ? current._id : null,
    history: [
      { at: now, by: 'system', from: null, to: 'open', note: `source revision ${source.revision}` },
      ...(holder
        ? [
            {
              at: now,
              by: 'system',
              from: 'open' as const,
              to: 'in_progress' as const,
              note: `source edited during translation: kept with ${holder}`,
            },
          ]
        : []),
    ],
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
 * A published translation made from the source's current text — imported together with it,
 * or the source changed only its tags or status since — needs no task.
 */
async function translationIsCurrent(source: ReleaseDoc, to: string): Promise<boolean> {
  const t = await Release.findById(releaseId(source.story, to)).lean<ReleaseDoc>();
  if (!t || t.status !== 'published' || t.outdated || t.translatedFrom !== source.lang) return false;
  if (t.sourceRevision === source.revision) return true;
  if (!t.sourceRevision) return false;
  return (await revisionContentHash(source._id, t.sourceRevision)) === source.contentHash;
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
  if (task.state === 'in_progress') await recordLease(ctx, task);
  await markTranslating(ctx, task.story, task.to);
}

/** Memory lookups of one task's preparation run at a time. */
const MEMORY_LOOKUPS_IN_FLIGHT = 8;

/**
 * Pre-fills the new task's segments. Only what cannot fool anyone goes into a target: the
 * last approved translation of an unchanged segment (`approved`), the translator's own saved
 * work on an unchanged segment of the task this one replaces (its state kept), and a 100 %
 * memory match — same source, same inline codes — as `pretranslated`, never confirmed, else
 * machine translation (when configured for the pair) as `pretranslated`, origin `mt`. Fuzzy
 * matches below 100 % stay suggestions beside the segment.
 */
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
      .filter(
        (s) => s.target.trim() && (['translator', 'reviewer'].includes(s.origin) || s.status === 'confirmed'),
      )
      .map((s) => [`${s.field}|${normalizeSegment(s.source)}`, s]),
  );
  const keys = segments.map((seg) => `${seg.field}|${normalizeSegment(seg.source)}`);
  // The memory is asked for every segment that needs work, several at a time: their Redis
  // reads then leave in one write per event-loop turn (the command connection pipelines).
  const memory = await mapLimit(segments, MEMORY_LOOKUPS_IN_FLIGHT, (seg, at) =>
    previous.has(keys[at])
      ? Promise.resolve([])
      : lookupMemory(ctx, pair, seg.source, neighbours(segments, at)),
  );
  const out: TaskSegment[] = [];
  for (const [at, seg] of segments.entries()) {
    const key = keys[at];
    const base = { ...seg, suggestions: [] as TaskSegment['suggestions'] };
    const prev = previous.get(key);
    if (prev !== undefined) {
      out.push({ ...base, target: prev, origin: 'previous', status: 'approved', needsWork: false });
      continue;
    }
    const suggestions = memory[at];
    const mine = saved.get(key);
    // A changed source: the translator's text for the old one (or the approved one) beside it.
    const changed = mine
      ? undefined
      : ((replaced ? closestOld(seg, replaced, 0.5) : undefined) ??
        (approved ? closestOld(seg, approved) : undefined));
    const exact = suggestions.find((g) => isExactMatch(g, seg.source));
    const fill: Pick<TaskSegment, 'target' | 'origin' | 'status'> = mine
      ? { target: mine.target, origin: mine.origin, status: carriedStatus(statusOf(mine)) }
      : exact
        ? { target: exact.target, origin: 'tm_exact', status: 'pretranslated' }
        : { target: '', origin: 'none', status: 'empty' };
    out.push({ ...base, suggestions, needsWork: true, ...(changed ? { changed } : {}), ...fill });
  }
  await addMachineTranslation(ctx, pair, out);
  return out;
}

/** A 100 % match: score 1 and the very same source text, inline codes included, in the same order. */
export const isExactMatch = (g: { source: string; score: number; kind?: string }, source: string) =>
  g.kind !== 'mt' &&
  g.score >= 1 &&
  normalizeSegment(g.source) === normalizeSegment(source) &&
  placeholdersOf(g.source).join() === placeholdersOf(source).join();

/** Saved work carries its state into the new task; a reviewer's rejection is resolved by the new source. */
const carriedStatus = (status: SegmentStatus): SegmentStatus =>
  status === 'rejected' || status === 'approved' ? 'edited' : status;

/** The old segment this new one most likely replaces: same field, most similar source. */
function closestOld(seg: SourceSegment, approved: TaskDoc, atLeast = 0): TaskSegment['changed'] {
  let best: { oldSource: string; oldTarget: string; score: number } | undefined;
  for (const old of approved.segments) {
    if (old.field !== seg.field || !old.target.trim()) continue;
    const score = similarity(seg.source, old.source);
    if (score >= atLeast && (!best || score > best.score)) {
      best = { oldSource: old.source, oldTarget: old.target, score };
    }
  }
  return best ? { oldSource: best.oldSource, oldTarget: best.oldTarget } : undefined;
}
