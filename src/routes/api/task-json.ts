import { progressOf, statusOf } from '../../shared/segment-state.js';
import type { TaskDoc, TaskSegment } from '../../models/translation-task.js';

/** One segment as the JSON API shows it, in a whole task or a range of its segments. */
export function presentSegment(s: TaskSegment) {
  return {
    i: s.i,
    field: s.field,
    role: s.role ?? null,
    source: s.source,
    target: s.target,
    origin: s.origin,
    status: statusOf(s),
    needsWork: s.needsWork,
    changed: s.changed ?? null,
    suggestions: s.suggestions,
    comment: s.comment ?? null,
    qaNote: s.qaNote ?? null,
    correction: s.correction ?? null,
    thread: s.thread ?? [],
    reply: s.reply ?? null,
  };
}

/** A task as the JSON API shows it (the skeleton and markup map stay internal). */
export function presentTask(t: TaskDoc) {
  return {
    id: t._id,
    story: t.story,
    pair: t.pair,
    from: t.from,
    to: t.to,
    state: t.state,
    revision: t.revision,
    priority: t.priority,
    dueAt: t.dueAt ?? null,
    sourceRevision: t.sourceRevision,
    assignee: t.assignee ?? null,
    translator: t.translator ?? null,
    reviewer: t.reviewer ?? null,
    leaseExpiresAt: t.leaseExpiresAt ?? null,
    segments: t.segments.map(presentSegment),
    progress: progressOf(t.segments),
    qa: t.qa ?? null,
    history: t.history,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
  };
}

/** The short form used in listings. */
export function presentTaskSummary(t: TaskDoc) {
  return {
    id: t._id,
    story: t.story,
    pair: t.pair,
    state: t.state,
    revision: t.revision,
    priority: t.priority,
    dueAt: t.dueAt ?? null,
    assignee: t.assignee ?? null,
    segments: t.segments.length,
    needsWork: t.segments.filter((s) => s.needsWork).length,
    progress: progressOf(t.segments),
    createdAt: t.createdAt,
  };
}
