import type { TFunction } from 'i18next';
import type { TaskDoc } from '../../models/translation-task.js';
import type { QaIssue, QaReport } from '../../shared/qa.js';
import type { DeskUser } from './desk-user.js';

/** States in which the assigned translator may still edit and submit. */
const EDITABLE = new Set(['in_progress']);
/** States in which a reviewer decides. */
const REVIEWABLE = new Set(['in_review']);

/**
 * A task as the segment editor and the review page show it: per segment the source, the
 * target (or the user's unsaved text after a conflict), suggestions with scores, QA messages,
 * the reviewer's comment and, for a changed source, the old source and translation.
 */
export function presentTask(
  task: TaskDoc,
  user: DeskUser,
  t: TFunction,
  opts: { unsaved?: Record<number, string>; qa?: QaReport } = {},
) {
  const { unsaved } = opts;
  const qa = opts.qa ?? task.qa;
  const time = new Intl.DateTimeFormat(t('desk:locale'), { dateStyle: 'medium', timeStyle: 'short' });
  const issues = new Map<number, { severity: string; message: string }[]>();
  const add = (issue: QaIssue) =>
    issues.set(issue.i, [
      ...(issues.get(issue.i) ?? []),
      { severity: issue.severity, message: issue.message },
    ]);
  qa?.errors.forEach(add);
  qa?.warnings.forEach(add);
  const title = task.segments.find((s) => s.field === 'title')?.source ?? task._id;
  return {
    id: task._id,
    title,
    pair: task.pair,
    state: task.state,
    stateLabel: t(`desk:state.${task.state}`),
    revision: task.revision,
    priority: task.priority,
    dueAt: task.dueAt ?? undefined,
    leaseUntil: task.leaseExpiresAt ? time.format(new Date(task.leaseExpiresAt)) : undefined,
    leaseExpiresAt: task.leaseExpiresAt ? new Date(task.leaseExpiresAt).toISOString() : undefined,
    translator: task.translator ?? task.assignee ?? undefined,
    editable: EDITABLE.has(task.state) && task.assignee === user.id,
    reviewable: REVIEWABLE.has(task.state) && (task.translator ?? task.assignee) !== user.id,
    qaErrors: qa?.errors.length ?? 0,
    qaWarnings: qa?.warnings.length ?? 0,
    segments: task.segments.map((s) => ({
      i: s.i,
      field: s.field,
      fieldLabel: t(`desk:field.${s.field}`),
      // People count segments from 1; `i` stays the form field index.
      position: s.i + 1,
      source: s.source,
      target: unsaved?.[s.i] ?? s.target,
      needsWork: s.needsWork,
      changed: s.changed,
      origin: s.origin,
      comment: s.comment,
      suggestions: s.suggestions.map((g) => ({ ...g, percent: Math.round(g.score * 100) })),
      issues: issues.get(s.i) ?? [],
    })),
  };
}

/** The `seg-<i>` fields of a submitted segment form, as index → text. */
export function segmentFields(body: unknown, prefix = 'seg-'): Record<number, string> {
  const out: Record<number, string> = {};
  for (const [key, value] of Object.entries((body ?? {}) as Record<string, unknown>)) {
    if (!key.startsWith(prefix) || typeof value !== 'string') continue;
    const i = Number(key.slice(prefix.length));
    if (Number.isInteger(i) && i >= 0) out[i] = value.replace(/\r\n/g, '\n');
  }
  return out;
}
