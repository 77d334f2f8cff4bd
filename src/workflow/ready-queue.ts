import type { AppContext } from '../context.js';
import type { TaskDoc } from '../models/translation-task.js';

/**
 * Redis structures of the workflow (keys in `src/redis/keys.ts`; re-derived from MongoDB by
 * `rebuildWorkflowState`):
 * - `workflow.ready(pair)`: open tasks, all scored 0 so ZPOPMIN takes the lexicographically first
 *   member `<9-priority>|<due>|<created>|<taskId>`: priority, then due date, then age.
 * - `workflow.leases(pair)`: claimed tasks scored by lease expiry (ms), member `<taskId>#<generation>`.
 * - `translating(storyId)`: target languages with an open task (the reader's notice).
 */

const NO_DUE = '9999-12-31T23:59:59.999Z';

export function queueMember(task: Pick<TaskDoc, '_id' | 'priority' | 'dueAt' | 'createdAt'>): string {
  const prio = 9 - Math.max(0, Math.min(9, task.priority));
  const due = task.dueAt ? new Date(task.dueAt).toISOString() : NO_DUE;
  const created = String(new Date(task.createdAt).getTime()).padStart(15, '0');
  return `${prio}|${due}|${created}|${task._id}`;
}

export const taskIdOfMember = (member: string) => member.slice(member.lastIndexOf('|') + 1);

/** Puts an open task in its pair's ready queue (idempotent). */
export async function enqueueReady(ctx: AppContext, task: TaskDoc): Promise<void> {
  await ctx.redis.zadd(ctx.keys.workflow.ready(task.pair), 0, queueMember(task));
}

/** Takes a task out of its ready queue (cancel, reprioritise). */
export async function removeReady(ctx: AppContext, task: TaskDoc): Promise<void> {
  await ctx.redis.zrem(ctx.keys.workflow.ready(task.pair), queueMember(task));
}

/** Atomically takes the next task id of a pair: one Redis ZPOPMIN, so no two claimers get it. */
export async function popReady(ctx: AppContext, pair: string): Promise<string | null> {
  const [member] = await ctx.redis.zpopmin(ctx.keys.workflow.ready(pair));
  return member ? taskIdOfMember(member) : null;
}

export const leaseMember = (taskId: string, generation: number) => `${taskId}#${generation}`;

export async function recordLease(ctx: AppContext, task: TaskDoc): Promise<void> {
  if (!task.leaseExpiresAt) return;
  await ctx.redis.zadd(
    ctx.keys.workflow.leases(task.pair),
    new Date(task.leaseExpiresAt).getTime(),
    leaseMember(task._id, task.leaseGeneration),
  );
}

export async function dropLease(ctx: AppContext, task: TaskDoc): Promise<void> {
  await ctx.redis.zrem(ctx.keys.workflow.leases(task.pair), leaseMember(task._id, task.leaseGeneration));
}

/** Lease members of a pair that expired before `now`. */
export async function expiredLeases(ctx: AppContext, pair: string, now: Date): Promise<string[]> {
  return ctx.redis.zrangebyscore(ctx.keys.workflow.leases(pair), '-inf', now.getTime(), 'LIMIT', 0, 100);
}

export async function markTranslating(ctx: AppContext, storyId: string, lang: string): Promise<void> {
  await ctx.redis.sadd(ctx.keys.translating(storyId), lang);
}

export async function unmarkTranslating(ctx: AppContext, storyId: string, lang: string): Promise<void> {
  await ctx.redis.srem(ctx.keys.translating(storyId), lang);
}
