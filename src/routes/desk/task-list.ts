import type { TFunction } from 'i18next';
import type { TaskDoc } from '../../models/translation-task.js';
import { stripPlaceholders } from '../../shared/inline-codes.js';
import { statusOf } from '../../shared/segment-state.js';
import { presentProgress } from './task-view.js';

/**
 * A task as the task list and the dashboard show it: the story's title, the words to
 * translate split into new / fuzzy / 100 % (as translation tools quote them), priority, due
 * date in the newsroom's zone with the zone named, age, lease time, and "sent back".
 */
export function presentListedTask(task: TaskDoc, t: TFunction, timeZone: string, now = new Date()) {
  const words = { new: 0, fuzzy: 0, exact: 0 };
  for (const s of task.segments) {
    if (!s.needsWork) continue;
    const count = stripPlaceholders(s.source)
      .split(/\s+/)
      .filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
    const best = Math.max(0, ...s.suggestions.filter((g) => g.kind !== 'mt').map((g) => g.score));
    if (s.origin === 'tm_exact' || best >= 1) words.exact += count;
    else if (best >= 0.75) words.fuzzy += count;
    else words.new += count;
  }
  const locale = t('desk:locale');
  const time = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone });
  const due = task.dueAt ? new Date(task.dueAt) : undefined;
  const last = task.history.at(-1);
  const sentBack = task.state === 'in_progress' && last?.from === 'in_review';
  const leaseMs = task.leaseExpiresAt ? new Date(task.leaseExpiresAt).getTime() - now.getTime() : undefined;
  return {
    id: task._id,
    title: task.segments.find((s) => s.field === 'title')?.source ?? task._id,
    pair: task.pair,
    state: task.state,
    stateLabel: sentBack ? t('workbench:list.sentBack') : t(`desk:state.${task.state}`),
    sentBack,
    open: task.state === 'open',
    holder: task.assignee ?? undefined,
    translator: task.translator ?? undefined,
    words,
    priority: task.priority,
    due: due ? `${time.format(due)} (${timeZone})` : undefined,
    dueIso: due?.toISOString(),
    overdue: due ? due.getTime() < now.getTime() : false,
    age: relative(now.getTime() - new Date(task.createdAt).getTime(), locale),
    lease:
      leaseMs === undefined
        ? undefined
        : leaseMs > 0
          ? t('workbench:list.leaseLeft', { minutes: Math.ceil(leaseMs / 60_000) })
          : t('workbench:list.leaseExpired'),
    progress: presentProgress(task),
    unconfirmed: task.segments.filter((s) => statusOf(s) !== 'confirmed' && statusOf(s) !== 'approved')
      .length,
  };
}

/** "3 hours", "2 days": how long a task has been waiting. */
function relative(ms: number, locale: string): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  const format = (value: number, unit: 'minute' | 'hour' | 'day') =>
    new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'long' }).format(value);
  if (minutes < 60) return format(minutes, 'minute');
  if (minutes < 48 * 60) return format(Math.round(minutes / 60), 'hour');
  return format(Math.round(minutes / 1440), 'day');
}

/** Open tasks first by priority, then due date, then age — the order "next" takes them in. */
export function byQueueOrder(a: TaskDoc, b: TaskDoc): number {
  const due = (x: TaskDoc) => (x.dueAt ? new Date(x.dueAt).getTime() : Number.MAX_SAFE_INTEGER);
  return (
    b.priority - a.priority ||
    due(a) - due(b) ||
    new Date(a.createdAt).getTime() - new Date(b.createdAt).getTime()
  );
}
