import request from 'supertest';
import { claimTask } from '../../src/commands/claim-task.js';
import { createUser } from '../../src/commands/create-user.js';
import { reviewTask } from '../../src/commands/review-task.js';
import { saveTaskSegments } from '../../src/commands/save-task-segments.js';
import { submitTask } from '../../src/commands/submit-task.js';
import type { AppContext } from '../../src/context.js';
import { JOBS, startWorkers } from '../../src/jobs/registry.js';
import { Release } from '../../src/models/release.js';
import { TaskPointer, openPointerId } from '../../src/models/task-pointer.js';
import type { TaskDoc } from '../../src/models/translation-task.js';
import type { Role } from '../../src/models/user.js';
import type { Actor } from '../../src/policies/actor.js';
import { issueApiToken } from '../../src/workflow/api-tokens.js';
import { findTask } from '../../src/workflow/task-store.js';

/** Polls `fn` until it returns a truthy value (or `timeoutMs` passes, then throws its last error). */
export async function eventually<T>(
  fn: () => Promise<T>,
  timeoutMs = 20_000,
  stepMs = 100,
): Promise<NonNullable<T>> {
  const until = Date.now() + timeoutMs;
  let lastErr: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
      lastErr = new Error('condition still false');
    } catch (err) {
      lastErr = err;
    }
    if (Date.now() > until) throw lastErr;
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

let n = 0;
/** A desk user with a bearer token; `actor` is what commands take. */
export async function buildUser(
  roles: Role[],
  pairs: string[] = [],
  languages = ['ru', 'en', 'hy', 'be', 'kk', 'ky', 'tg'],
) {
  const email = `u${++n}-${Math.random().toString(36).slice(2, 8)}@example.org`;
  const user = await createUser(
    { email, name: `User ${n}`, password: 'a-long-password', roles, pairs },
    languages,
  );
  const token = await issueApiToken(user._id);
  const actor: Actor = { id: user._id, name: user.name, roles: user.roles as Role[], pairs: user.pairs };
  return { user, token, actor, auth: { Authorization: `Bearer ${token}` } };
}

type App = Parameters<typeof request>[0];
type ApiUser = { auth: Record<string, string> };

/** Through the API, as `user` sees it: waits until QA has put the task in review. */
export const awaitInReview = (app: App, user: ApiUser, taskId: string) =>
  eventually(async () => {
    const r = await request(app).get(`/api/v1/tasks/${taskId}`).set(user.auth);
    return r.body.task.state === 'in_review';
  }, 60_000);

/** `POST /api/v1/tasks/:id/review` approving the task as `reviewer`. */
export const approveByApi = (app: App, reviewer: ApiUser, taskId: string) =>
  request(app).post(`/api/v1/tasks/${taskId}/review`).set(reviewer.auth).send({ decision: 'approve' });

/** The release once the publish job (or an editor) has made it public. */
export const awaitPublished = (releaseId: string) =>
  eventually(async () => {
    const r = await Release.findById(releaseId).lean();
    return r?.status === 'published' ? r : null;
  }, 60_000);

/** Workers for some queues only, so a test decides when which jobs run. */
export const workersFor = (ctx: AppContext, queues: string[], concurrency = 2) =>
  startWorkers(
    ctx,
    JOBS.filter((j) => queues.includes(j.queue)),
    concurrency,
  );

/** The story's open task into `lang`, once fan-out has made it. */
export const awaitOpenTask = (storyId: string, lang: string, timeoutMs = 60_000) =>
  eventually(async () => {
    const ptr = await TaskPointer.findById(openPointerId(storyId, lang)).lean();
    const task = ptr ? await findTask(ptr.task) : null;
    return task?.state === 'open' ? task : null;
  }, timeoutMs);

/**
 * Claims the pair's next task as `translator`, fills every segment as `LANG source`,
 * confirms and submits it; returns the task as claimed.
 */
export async function translateNext(ctx: AppContext, translator: Actor, pair: string): Promise<TaskDoc> {
  const task = (await claimTask(ctx, translator, pair))!;
  const lang = pair.split(':')[1]!.toUpperCase();
  await saveTaskSegments(ctx, translator, task._id, {
    baseRevision: task.revision,
    segments: task.segments.map((s) => ({ i: s.i, target: `${lang} ${s.source}`, confirmed: true })),
  });
  await submitTask(ctx, translator, task._id);
  return task;
}

/** `translateNext`, then, once QA has put the task in review, `reviewer` approves it. */
export async function translateAndApprove(
  ctx: AppContext,
  translator: Actor,
  reviewer: Actor,
  pair: string,
): Promise<TaskDoc> {
  const task = await translateNext(ctx, translator, pair);
  await eventually(async () => (await findTask(task._id))?.state === 'in_review', 60_000);
  await reviewTask(ctx, reviewer, task._id, { decision: 'approve' });
  return task;
}
