import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeJobQueues } from '../../src/workflow/queues.js';
import { publish, waitFor } from '../feeds/support.js';
import { spawnNewsroom, type SpawnedProcess } from '../support/spawn-newsroom.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import { buildUser } from '../workflow/support.js';
import { Receiver } from './receiver.js';

// Short locks, so a dead worker's job is taken over in seconds, not the default 30.
const WORKER_ENV = {
  JOB_LOCK_MS: '2000',
  JOB_STALLED_INTERVAL_MS: '1000',
  NEWSROOM_LANGUAGES: 'ru,en',
  WEBHOOK_ALLOW_PRIVATE_URLS: '1',
  WEBHOOK_BACKOFF_MS: '200',
};

let rt: TestRuntime;
const receiver = new Receiver();
const workers: SpawnedProcess[] = [];

beforeAll(async () => {
  rt = await startTestRuntime(WORKER_ENV);
  await receiver.start();
});
afterAll(async () => {
  for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
  await Promise.all(workers.map((w) => w.exited));
  if (rt) await closeJobQueues(rt.web);
  await receiver.stop();
  await rt?.close();
});

/** A real worker process (`workers/worker.ts`) on this test's database and Redis prefix. */
function spawnWorker(): SpawnedProcess {
  const w = spawnNewsroom('workers/worker.ts', { ...rt.env, ...WORKER_ENV, LOG_LEVEL: 'info' });
  workers.push(w);
  return w;
}

describe('a worker killed with SIGKILL in the middle of a delivery', () => {
  it(
    'leaves the delivery to the next worker: it arrives, with the same webhook-id',
    { timeout: 180_000 },
    async () => {
      const admin = await buildUser(['admin']);
      const created = await request(rt.app)
        .post('/api/v1/webhooks')
        .set(admin.auth)
        .send({ url: `${receiver.url}/crash`, events: ['story.published'] });
      expect(created.status).toBe(201);
      const { id, secret } = created.body.webhook;
      // The first request is held open: the worker is inside the delivery when it dies.
      receiver.answers.set('/crash', (n) => (n === 0 ? 'hang' : 200));

      const first = spawnWorker();
      await first.waitFor(/worker started/, 120_000);
      await publish(rt, { storyId: 'whk', lang: 'en', title: 'Survives a crash' });
      const [held] = await waitFor(
        () => receiver.at('/crash').length && receiver.at('/crash'),
        'held',
        60_000,
      );
      first.child.kill('SIGKILL');
      expect((await first.exited).signal).toBe('SIGKILL');
      expect(held.answered).toBeUndefined(); // nobody heard an answer

      const second = spawnWorker();
      await second.waitFor(/worker started/, 120_000);
      const [, again] = await waitFor(
        () => receiver.at('/crash').length >= 2 && receiver.at('/crash'),
        'redelivery by the next worker',
        90_000,
      );
      expect(again.answered).toBe(200);
      expect(again.headers['webhook-id']).toBe(held.headers['webhook-id']);
      expect(again.body).toBe(held.body);
      expect(Receiver.verify(secret, again).data.releaseId).toBe('whk.en');
      const log = await waitFor(
        async () => {
          const res = await request(rt.app).get(`/api/v1/webhooks/${id}/deliveries`).set(admin.auth);
          return res.body.deliveries?.[0]?.status === 'delivered' && res.body.deliveries;
        },
        'delivered in the log',
        30_000,
      );
      expect(log).toHaveLength(1);
      expect(log[0]).toMatchObject({ id: held.headers['webhook-id'], lastStatusCode: 200 });
      second.child.kill('SIGTERM');
      await second.exited;
    },
  );
});
