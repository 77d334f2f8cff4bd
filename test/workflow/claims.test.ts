import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimTask } from '../../src/commands/claim-task.js';
import { saveTaskSegments } from '../../src/commands/save-task-segments.js';
import { TaskEvent } from '../../src/models/task-event.js';
import { Task, type TaskDoc } from '../../src/models/translation-task.js';
import { enqueueReady } from '../../src/workflow/ready-queue.js';
import { rebuildWorkflowState, scheduleLeaseSweep } from '../../src/workflow/rebuild-state.js';
import { sweepLeasesJob } from '../../src/jobs/sweep-leases.job.js';
import { jobQueues } from '../../src/workflow/queues.js';
import { findTask } from '../../src/workflow/task-store.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import { buildUser } from './support.js';

let rt: TestRuntime;
beforeAll(async () => {
  rt = await startTestRuntime({ NEWSROOM_LANGUAGES: 'ru,en,hy,be' });
});
afterAll(async () => {
  await rt?.close();
});

/** An open task as prepare-task makes it, without the source release (claims need none). */
function buildTask(pair: string, n: number, overrides: Partial<TaskDoc> = {}): TaskDoc {
  const [from, to] = pair.split(':');
  const now = new Date(Date.UTC(2025, 0, 1) + n * 1000);
  return {
    _id: `claim${n}.${to}.${from}1`,
    story: `claim${n}`,
    pair,
    from,
    to,
    sourceRelease: `claim${n}.${from}`,
    sourceRevision: 1,
    sourceContentHash: 'x',
    state: 'open',
    priority: 5,
    dueAt: null,
    revision: 1,
    leaseGeneration: 0,
    skeleton: '',
    segments: [
      {
        i: 0,
        field: 'title',
        source: `Заголовок ${n}`,
        tags: {},
        target: '',
        origin: 'none',
        needsWork: true,
        suggestions: [],
      },
    ],
    history: [],
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}

async function seedTasks(tasks: TaskDoc[]) {
  for (let i = 0; i < tasks.length; i += 500) await Task.insertMany(tasks.slice(i, i + 500));
  for (const t of tasks) await enqueueReady(rt.ctx, t);
}

describe('claims', () => {
  it(
    '16 concurrent claimers on 2,000 open tasks: every task claimed exactly once',
    { timeout: 180_000 },
    async () => {
      const tasks = Array.from({ length: 2000 }, (_, n) => buildTask('ru:en', n));
      await seedTasks(tasks);
      const claimers = await Promise.all(
        Array.from({ length: 16 }, () => buildUser(['translator'], ['ru:en'])),
      );
      const won = await Promise.all(
        claimers.map(async (c) => {
          const mine: string[] = [];
          for (;;) {
            const t = await claimTask(rt.ctx, c.actor, 'ru:en');
            if (!t) return mine;
            mine.push(t._id);
          }
        }),
      );
      const all = won.flat();
      expect(all.length).toBe(2000);
      expect(new Set(all).size).toBe(2000);
      expect(won.filter((w) => w.length > 0).length).toBeGreaterThan(1);
      expect(await TaskEvent.countDocuments({ type: 'claimed' })).toBe(2000);
      // Every task is held by the one claimer that got it.
      const owner = new Map(won.flatMap((ids, k) => ids.map((id) => [id, claimers[k].actor.id] as const)));
      for (const id of all.slice(0, 200)) expect((await findTask(id))?.assignee).toBe(owner.get(id));
    },
  );

  it('takes priority first, then due date, then age', async () => {
    const t = await buildUser(['translator'], ['ru:hy']);
    const old = buildTask('ru:hy', 10_001);
    const dueSoon = buildTask('ru:hy', 10_002, { dueAt: new Date('2025-02-01') });
    const urgent = buildTask('ru:hy', 10_003, { priority: 9 });
    await seedTasks([old, dueSoon, urgent]);
    const order = [];
    for (let k = 0; k < 3; k++) order.push((await claimTask(rt.ctx, t.actor, 'ru:hy'))!._id);
    expect(order).toEqual([urgent._id, dueSoon._id, old._id]);
    expect(await claimTask(rt.ctx, t.actor, 'ru:hy')).toBeNull();
  });

  it('a stale save gets 409 with the current state; an expired lease returns the task with its work', async () => {
    const a = await buildUser(['translator'], ['ru:be']);
    const b = await buildUser(['translator'], ['ru:be']);
    const task = buildTask('ru:be', 20_001);
    await seedTasks([task]);
    const t0 = new Date();
    const claimed = (await claimTask(rt.ctx, a.actor, 'ru:be', t0))!;
    expect(claimed._id).toBe(task._id);

    const saved = await saveTaskSegments(
      rt.ctx,
      a.actor,
      task._id,
      {
        baseRevision: claimed.revision,
        segments: [{ i: 0, target: 'Վերնագիր' }],
      },
      t0,
    );
    // A second tab still based on the claim's revision.
    const stale = await saveTaskSegments(
      rt.ctx,
      a.actor,
      task._id,
      {
        baseRevision: claimed.revision,
        segments: [{ i: 0, target: 'overwrite' }],
      },
      t0,
    ).catch((e: unknown) => e);
    expect(stale).toMatchObject({ status: 409, code: 'stale_revision' });
    expect((stale as { details: { task: TaskDoc } }).details.task.segments[0].target).toBe('Վերնագիր');
    expect((await findTask(task._id))!.segments[0].target).toBe('Վերնագիր');

    // Nobody else can take it while the lease runs…
    expect(await claimTask(rt.ctx, b.actor, 'ru:be', new Date(t0.getTime() + 29 * 60_000))).toBeNull();
    // …after it ran out (30 min since the last save), the task returns with the saved work.
    const later = new Date(t0.getTime() + 31 * 60_000);
    const reclaimed = await claimTask(rt.ctx, b.actor, 'ru:be', later);
    expect(reclaimed?._id).toBe(task._id);
    expect(reclaimed?.assignee).toBe(b.actor.id);
    expect(reclaimed?.segments[0].target).toBe('Վերնագիր');
    expect(reclaimed?.history.map((h) => h.to)).toEqual(['in_progress', 'open', 'in_progress']);
    // The first translator's lease is gone and the task taken: their save is refused.
    const late = await saveTaskSegments(
      rt.ctx,
      a.actor,
      task._id,
      {
        baseRevision: reclaimed!.revision,
        segments: [{ i: 0, target: 'late' }],
      },
      later,
    ).catch((e: unknown) => e);
    // Someone else holds it now: 409 task_taken (the workbench keeps the text for copying).
    expect(late).toMatchObject({ status: 409, code: 'task_taken' });
    expect(saved.revision).toBeLessThan(reclaimed!.revision);
  });

  it('rebuilds a lost ready queue from MongoDB', async () => {
    const t = await buildUser(['translator'], ['ru:hy']);
    const task = buildTask('ru:hy', 30_001);
    await seedTasks([task]);
    await rt.ctx.redis.del(rt.ctx.keys.workflow.ready('ru:hy')); // Redis lost its data
    expect(await claimTask(rt.ctx, t.actor, 'ru:hy')).toBeNull();
    expect((await rebuildWorkflowState(rt.ctx)).open).toBeGreaterThanOrEqual(1);
    expect((await claimTask(rt.ctx, t.actor, 'ru:hy'))?._id).toBe(task._id);
  });

  it('the minute sweep returns expired leases without waiting for a claim', async () => {
    const t = await buildUser(['translator'], ['ru:hy']);
    const task = buildTask('ru:hy', 40_001);
    await seedTasks([task]);
    const longAgo = new Date(Date.now() - 2 * 3600_000);
    expect((await claimTask(rt.ctx, t.actor, 'ru:hy', longAgo))?._id).toBe(task._id);
    expect(await sweepLeasesJob.handler({}, rt.ctx, { attemptsMade: 0 })).toBeGreaterThanOrEqual(1);
    expect((await findTask(task._id))?.state).toBe('open');
    await scheduleLeaseSweep(rt.ctx);
    await scheduleLeaseSweep(rt.ctx);
    const schedulers = await jobQueues(rt.ctx).queue('maintenance').getJobSchedulers();
    expect(schedulers.map((s) => s.key)).toEqual(['workflow-sweep-leases']);
  });
});
