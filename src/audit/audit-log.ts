import { randomBytes } from 'node:crypto';
import type { AppContext } from '../context.js';
import { retryWhenBusy } from '../db/retry-when-busy.js';
import { isDuplicateKey } from '../errors.js';
import { createLogger } from '../logger.js';
import { AuditEntry, type AuditAction, type AuditEntryDoc } from '../models/audit-entry.js';

const fallbackLog = createLogger('info', 'audit');

export interface AuditRecord {
  action: AuditAction;
  actor: string;
  target?: string;
  detail?: string;
  ip?: string;
  /**
   * For an entry that records a stored effect (a release published at a revision): the effect
   * as a deterministic key (`release.publish:<releaseId>:<revision>`) and the time it was
   * written. Rerun after a crash, the same effect gets the same `_id`, so it is recorded once.
   */
  effect?: { key: string; at: Date };
}

const timePrefix = (at: Date) => at.getTime().toString(36).padStart(10, '0');

/**
 * A time-ordered id: 10 base-36 digits of milliseconds, then the effect's key (deterministic)
 * or randomness against ties.
 */
export const auditId = (at: Date, effectKey?: string) =>
  `${timePrefix(at)}-${effectKey ?? randomBytes(5).toString('hex')}`;

/**
 * Appends a security-relevant action to the audit log. A failure to record is logged, never
 * turned into a failed sign-in or publish: the action happened. An effect's entry that is
 * there already (duplicate key) was recorded by an earlier run of the same write.
 */
export async function recordAudit(
  ctx: Pick<AppContext, 'log'> | undefined,
  { effect, ...record }: AuditRecord,
): Promise<void> {
  const at = effect?.at ?? new Date();
  try {
    await retryWhenBusy(() =>
      AuditEntry.create({
        _id: auditId(at, effect?.key),
        at,
        ...record,
        actor: record.actor.slice(0, 320),
        detail: record.detail?.slice(0, 1_000),
      }),
    );
  } catch (err) {
    if (effect && isDuplicateKey(err)) return;
    (ctx?.log ?? fallbackLog).error({ err, audit: record }, 'could not record an audit entry');
  }
}

export interface AuditQuery {
  action?: string;
  actor?: string;
  /** Page on: entries older than this `_id`. */
  before?: string;
  limit: number;
}

/** Newest first, filtered, paged by `_id` cursor. The log is read by admins only, rarely. */
export async function listAudit(q: AuditQuery): Promise<{ entries: AuditEntryDoc[]; next?: string }> {
  const filter: Record<string, unknown> = {};
  if (q.action) filter.action = q.action;
  if (q.actor) filter.actor = q.actor.toLowerCase();
  if (q.before) filter._id = { $lt: q.before };
  const entries = await AuditEntry.find(filter)
    .sort({ _id: -1 })
    .limit(q.limit + 1)
    .lean<AuditEntryDoc[]>();
  const more = entries.length > q.limit;
  const page = entries.slice(0, q.limit);
  return { entries: page, next: more ? page[page.length - 1]._id : undefined };
}
