import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStory } from '../../src/commands/create-story.js';
import { JOBS, startWorkers } from '../../src/jobs/registry.js';
import { OutboxEvent } from '../../src/models/outbox-event.js';
import { Release } from '../../src/models/release.js';
import { Task } from '../../src/models/translation-task.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import { buildUser, eventually } from './support.js';

let rt: TestRuntime;
let workers: Worker[] = [];
let redis: ChildProcess | undefined;
let port: number;
const dir = mkdtempSync(join(tmpdir(), 'newsroom-redis-down-'));

const freePort = () =>
  new Promise<number>((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const p = (srv.address() as { port: number }).port;
      srv.close(() => resolve(p));
    });
  });

/** This test's own redis-server (the shared one must stay up for the other test files). */
async function startRedis() {
  redis = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes'],
    {
      stdio: 'ignore',
    },
  );
  await eventually(async () => {
    const probe = new Redis(`redis://127.0.0.1:${port}`, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      return (await probe.ping()) === 'PONG';
    } finally {
      probe.disconnect();
    }
  });
}

async function stopRedis() {
  const r = redis!;
  const gone = new Promise((resolve) => r.once('exit', resolve));
  r.kill('SIGKILL'); // a crash, not a clean shutdown
  await gone;
}

beforeAll(async () => {
  port = await freePort();
  await startRedis();
  rt = await startTestRuntime({ REDIS_URL: `redis://127.0.0.1:${port}`, NEWSROOM_LANGUAGES: 'ru,en,hy' });
  workers = startWorkers(rt.ctx, JOBS, 4);
});
afterAll(async () => {
  await Promise.all(workers.map((w) => w.close()));
  await rt?.close();
  if (redis?.exitCode === null) redis.kill('SIGKILL');
});

describe('Redis down at publish time', () => {
  it('publishes still succeed, and every task appears once Redis is back', { timeout: 120_000 }, async () => {
    const editor = await buildUser(['editor']);
    await stopRedis();

    const storyIds: string[] = [];
    for (let n = 0; n < 20; n++) {
      const { storyId, release } = await createStory(rt.ctx, editor.actor, {
        title: `Сообщение ${n}`,
        body: `<p>Текст сообщения ${n}.</p>`,
        publish: true,
      });
      expect(release.status).toBe('published');
      storyIds.push(storyId);
    }
    // Durable before Redis is back: the releases and their outbox events are in MongoDB.
    expect(await Release.countDocuments({ story: { $in: storyIds }, status: 'published' })).toBe(20);
    expect(await OutboxEvent.countDocuments({ type: 'release.changed' })).toBeGreaterThanOrEqual(20);
    expect(await Task.countDocuments()).toBe(0);

    await startRedis();
    await eventually(async () => (await Task.countDocuments()) === 40, 90_000, 250);
    const tasks = await Task.find({}, { _id: 1 }).lean();
    expect(tasks.map((t) => t._id).sort()).toEqual(
      storyIds.flatMap((id) => [`${id}.en.ru1`, `${id}.hy.ru1`]).sort(),
    );
    expect(await rt.ctx.redis.zcard(rt.ctx.keys.workflow.ready('ru:en'))).toBe(20);
    expect(await rt.ctx.redis.zcard(rt.ctx.keys.workflow.ready('ru:hy'))).toBe(20);
  });
});
