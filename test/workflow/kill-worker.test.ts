import { spawn, type ChildProcess } from 'node:child_process';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStory } from '../../src/commands/create-story.js';
import { OutboxEvent } from '../../src/models/outbox-event.js';
import { TaskEvent } from '../../src/models/task-event.js';
import { Task } from '../../src/models/translation-task.js';
import { ROOT } from '../../src/paths.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import { buildUser, eventually } from './support.js';

let rt: TestRuntime;
let queue: Queue;
const children: ChildProcess[] = [];
const WORKER_ENV = { JOB_LOCK_MS: '2000', JOB_STALLED_INTERVAL_MS: '1000', NEWSROOM_LANGUAGES: 'ru,en' };

beforeAll(async () => {
  rt = await startTestRuntime(WORKER_ENV);
  queue = new Queue('translation', {
    connection: rt.ctx.redis.duplicate(),
    prefix: rt.ctx.keys.bullmq,
  });
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await queue?.close();
  await rt?.close();
});

/** A real worker process (`workers/worker.ts`) on this test's database and Redis prefix. */
function spawnWorker(): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'workers/worker.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...rt.env, ...WORKER_ENV, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  return child;
}

const exited = (c: ChildProcess) =>
  new Promise((r) => (c.exitCode !== null ? r(c.exitCode) : c.once('exit', r)));

describe('a worker killed with SIGKILL mid-run, then two workers', () => {
  it(
    'is recovered by the next worker: exactly one task per story, as a clean run makes',
    { timeout: 660_000 },
    async () => {
      const editor = await buildUser(['editor']);
      const storyIds: string[] = [];
      for (let n = 0; n < 200; n++) {
        const { storyId } = await createStory(rt.ctx, editor.actor, {
          title: `Новость номер ${n}`,
          body: `<p>Первое предложение новости ${n}. Второе предложение.</p>`,
          publish: true,
        });
        storyIds.push(storyId);
      }
      // The outbox relay has turned every publish into a fan-out job.
      await eventually(
        async () => (await queue.getWaitingCount()) === 200 && (await OutboxEvent.countDocuments()) === 0,
        120_000,
      );

      const first = spawnWorker();
      await eventually(async () => (await queue.getCompletedCount()) >= 20, 120_000, 20);
      first.kill('SIGKILL');
      await exited(first);
      const completedAtKill = await queue.getCompletedCount();
      expect(completedAtKill).toBeLessThan(200); // killed mid-run

      // Two workers take over (scale-out on one Redis): still no task made twice.
      const next = [spawnWorker(), spawnWorker()];
      // Generous: on a shared, loaded machine two workers also render pages meanwhile.
      await eventually(async () => (await queue.getCompletedCount()) === 200, 360_000, 200);
      for (const w of next) w.kill('SIGTERM');
      await Promise.all(next.map(exited));

      expect(await queue.getFailedCount()).toBe(0);
      const tasks = await Task.find({}, { _id: 1, state: 1, revision: 1, story: 1 }).lean();
      expect(tasks.map((t) => t._id).sort()).toEqual(storyIds.map((id) => `${id}.en.ru1`).sort());
      expect(tasks.every((t) => t.state === 'open' && t.revision === 1)).toBe(true);
      expect(await TaskEvent.countDocuments({ type: 'created' })).toBe(200);
      expect(await rt.ctx.redis.zcard(rt.ctx.keys.workflow.ready('ru:en'))).toBe(200);
    },
  );
});
