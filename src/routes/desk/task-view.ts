import type { TFunction } from 'i18next';
import type { TaskDoc, TaskHistoryEntry } from '../../models/translation-task.js';
import { tokenParts, tokenWording, type CodeLabels } from '../../shared/inline-codes.js';
import type { QaIssue, QaReport } from '../../shared/qa.js';
import { isConfirmed, progressOf, statusOf, unchangedMachineText } from '../../shared/segment-state.js';
import { wordDiff } from '../../shared/word-diff.js';
import type { DeskUser } from './desk-user.js';
import type { TaskPaging } from './task-paging.js';

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
  opts: {
    unsaved?: Record<number, string>;
    unsavedReplies?: Record<number, string>;
    qa?: QaReport;
    paging?: TaskPaging;
  } = {},
) {
  const { unsaved, paging } = opts;
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
  const labels = codeLabels(t);
  const title = task.segments.find((s) => s.field === 'title')?.source ?? task._id;
  const lastReview = [...task.history].reverse().find((h) => h.from === 'in_review');
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
    previousTask: task.previousTask ?? undefined,
    // Sent back: the reviewer's overall note, shown above the segments.
    reviewNote:
      task.state === 'in_progress' && lastReview?.to === 'in_progress' ? (lastReview.note ?? '') : undefined,
    sentBackBy: task.state === 'in_progress' && lastReview?.to === 'in_progress' ? lastReview.by : undefined,
    // Every segment the reviewer commented on, linked from the sent-back notice.
    commented: task.segments.filter((s) => s.comment).map((s) => ({ i: s.i, position: s.i + 1 })),
    // Who did what, when: the task's history on its page.
    history: task.history.map((h) => ({
      at: time.format(new Date(h.at)),
      atIso: new Date(h.at).toISOString(),
      by: h.by,
      from: h.from ? t(`desk:state.${h.from}`) : '—',
      to: t(`desk:state.${h.to}`),
      note: h.note,
      segments: historySegments(h, t),
    })),
    // The reviewer's summary: segments whose text is a TM/MT text nobody changed.
    fromMachine: task.segments.filter((s) => unchangedMachineText(s)).length,
    strings: JSON.stringify(workbenchStrings(t)),
    // The whole task's progress, whichever page is shown.
    progress: presentProgress(task),
    paging,
    segments: task.segments.slice(paging?.start ?? 0, paging?.end).map((s) => {
      const status = statusOf(s);
      return {
        i: s.i,
        field: s.field,
        fieldLabel:
          s.role && s.role !== 'paragraph' ? t(`workbench:role.${s.role}`) : t(`desk:field.${s.field}`),
        role: s.role,
        // People count segments from 1; `i` stays the form field index.
        position: s.i + 1,
        source: s.source,
        // Inline codes as labelled tokens (bold, italic, link with its URL, line break).
        sourceParts: presentParts(s.source, s.tags ?? {}, labels),
        targetParts: presentParts(unsaved?.[s.i] ?? s.target, s.tags ?? {}, labels),
        codes: JSON.stringify(s.tags ?? {}),
        target: unsaved?.[s.i] ?? s.target,
        status,
        statusLabel: t(`workbench:status.${status}`),
        confirmed: isConfirmed(status),
        fromMachine: unchangedMachineText(s) ? t(`workbench:origin.${s.origin}`) : undefined,
        needsWork: s.needsWork,
        changed: s.changed,
        // A re-translation: what changed against the previous translation of this sentence.
        previousDiff:
          s.changed?.oldTarget && s.changed.oldTarget !== s.target
            ? wordDiff(s.changed.oldTarget, unsaved?.[s.i] ?? s.target, task.to)
            : undefined,
        origin: s.origin,
        comment: s.comment,
        // The reviewer's direct correction: who, when, and what changed in the translator's text.
        correction: s.correction && {
          by: s.correction.by,
          at: time.format(new Date(s.correction.at)),
          atIso: new Date(s.correction.at).toISOString(),
          diff: wordDiff(s.correction.previous, s.target, task.to),
        },
        // Earlier comments and replies (the current comment is shown on its own as well).
        thread: (s.thread ?? []).map((m) => ({
          label: t(`workbench:thread.${m.kind}`, { by: m.by }),
          at: time.format(new Date(m.at)),
          atIso: new Date(m.at).toISOString(),
          text: m.text,
          kind: m.kind,
        })),
        reply: opts.unsavedReplies?.[s.i] ?? s.reply,
        canReply: Boolean(s.thread?.length),
        qaNote: s.qaNote,
        // The note field shows where there is something to accept (or a note already).
        noteOpen: Boolean(s.qaNote) || (issues.get(s.i) ?? []).some((x) => x.severity === 'warning'),
        suggestions: s.suggestions.slice(0, 3).map((g, n) => ({
          n: n + 1,
          source: g.source,
          target: g.target,
          percent: Math.round(g.score * 100),
          // Machine translation is labelled as such, never with a match percentage.
          mt:
            g.kind === 'mt'
              ? {
                  label: t('resources:mt.label'),
                  title: t('resources:mt.title', { provider: g.provider ?? '' }),
                }
              : undefined,
          diff: wordDiff(g.source, s.source, task.from),
          approvedAt: g.at ? time.format(new Date(g.at)) : undefined,
          approvedAtIso: g.at ? new Date(g.at).toISOString() : undefined,
          task: g.task,
        })),
        issues: issues.get(s.i) ?? [],
      };
    }),
  };
}

/** "Corrected segment 2", "Replied on segments 1, 3": what a history entry did to segments. */
function historySegments(h: TaskHistoryEntry, t: TFunction): string[] {
  const list = (indexes: number[]) => indexes.map((i) => i + 1).join(', ');
  return [
    ...(h.corrected?.length
      ? [t('workbench:history.corrected', { count: h.corrected.length, list: list(h.corrected) })]
      : []),
    ...(h.replied?.length
      ? [t('workbench:history.replied', { count: h.replied.length, list: list(h.replied) })]
      : []),
  ];
}

/** Text runs and inline-code tokens of a segment, labelled in the desk language. */
function presentParts(text: string, tags: Record<string, string>, labels: CodeLabels) {
  return tokenParts(text, tags).map((part) => {
    if ('text' in part) return part;
    const { label, title } = tokenWording(part, labels);
    return { token: true, code: part.code, n: part.n, kind: part.kind, role: part.role, label, title };
  });
}

/** The desk language's words for inline codes: the pages' tokens and the editor's use the same. */
function codeLabels(t: TFunction): CodeLabels {
  return {
    code: Object.fromEntries(
      ['bold', 'italic', 'link', 'break', 'code', 'sub', 'sup', 'other'].map((r) => [
        r,
        t(`workbench:code.${r}`),
      ]),
    ),
    codeKind: Object.fromEntries(['open', 'close', 'empty'].map((k) => [k, t(`workbench:codeKind.${k}`)])),
  };
}

/** The workbench bundle's texts in the desk language (its placeholders filled in the browser). */
function workbenchStrings(t: TFunction) {
  const keep = (key: string, vars: string[]) =>
    t(key, Object.fromEntries(vars.map((v) => [v, `{{${v}}}`])) as Record<string, string>);
  const group = (prefix: string, keys: string[], vars: string[] = []) =>
    Object.fromEntries(keys.map((k) => [k, keep(`${prefix}.${k}`, vars)]));
  return {
    status: group('workbench:status', [
      'empty',
      'pretranslated',
      'edited',
      'confirmed',
      'rejected',
      'approved',
    ]),
    progress: keep('workbench:progress', ['confirmed', 'total']),
    save: group('workbench:save', ['saved', 'saving', 'unsaved', 'offline', 'conflict', 'lost']),
    // Every plural form of the desk language, keyed by category: the browser picks by count.
    restored: pluralForms(t, 'workbench:restored'),
    restoredPrevious: keep('workbench:restoredPrevious', ['count']),
    lease: group('workbench:lease', ['left', 'warning', 'expired'], ['minutes']),
    conflict: group('workbench:conflict', ['theirs', 'keepMine', 'takeTheirs']),
    lost: t('workbench:lost'),
    copy: t('workbench:copy'),
    qaAccepted: t('workbench:qaAccepted'),
    codeMismatch: group('workbench:codeMismatch', ['missing', 'extra'], ['codes']),
    noteLabel: t('workbench:qaNote.label'),
    ...codeLabels(t),
  };
}

/** A counted message in each plural category of the language, with `{{count}}` left to fill. */
function pluralForms(t: TFunction, key: string): Record<string, string> {
  const lng = t('desk:locale');
  const rules = new Intl.PluralRules(lng);
  const forms: Record<string, string> = {};
  for (const n of [0, 1, 2, 3, 5, 11, 21, 0.5]) {
    const category = rules.select(n);
    forms[category] ??= t(key, { count: n }).replace(String(n), '{{count}}');
  }
  return forms;
}

/** "n of m confirmed" and the bar's percentage. */
export function presentProgress(task: Pick<TaskDoc, 'segments'>) {
  const { confirmed, total } = progressOf(task.segments);
  return { confirmed, total, percent: total ? Math.round((confirmed / total) * 100) : 0 };
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
