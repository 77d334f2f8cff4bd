import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'bullmq';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStory } from '../../src/commands/create-story.js';
import { OutboxEvent } from '../../src/models/outbox-event.js';
import { Release } from '../../src/models/release.js';
import { ReleaseRevision } from '../../src/models/release-revision.js';
import { TaskEvent } from '../../src/models/task-event.js';
import { ArchivedTask, Task, type TaskDoc } from '../../src/models/translation-task.js';
import type { RunningService } from '../../src/services/backing-services.js';
import { startEmbeddedMongo } from '../../src/services/embedded-mongo.js';
import { WebhookDelivery } from '../../src/webhooks/webhook-delivery.model.js';
import { isAlive } from '../support/spawn-newsroom.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import { approveByApi, awaitOpenTask, buildUser, eventually, translateNext, workersFor } from './support.js';

// No figures in the texts: the stand-in translation keeps them, and QA would compare them.
const TOPICS = [
  'совете',
  'визите',
  'саммите',
  'форуме',
  'учениях',
  'встрече',
  'заявлении',
  'договоре',
  'выставке',
  'конкурсе',
];
const STORIES = TOPICS.length;
const LANGS = 'ru,en';

// This file's own store, so killing it leaves the shared one to the other test files.
const storeDir = mkdtempSync(join(tmpdir(), 'newsroom-store-kill-'));
let store: RunningService;
let rt: TestRuntime;
const workers: Worker[] = [];
let users: Record<'editor' | 'translator' | 'reviewer' | 'admin', Awaited<ReturnType<typeof buildUser>>>;

const startWorkersFor = (...queues: string[]) => workers.push(...workersFor(rt.ctx, queues, 3));

beforeAll(async () => {
  store = await startEmbeddedMongo(storeDir);
  rt = await startTestRuntime({
    MONGODB_URI: store.url.replace(/\/newsroom$/, '/kill'),
    NEWSROOM_LANGUAGES: LANGS,
    WEBHOOK_ALLOW_PRIVATE_URLS: '1', // the endpoint below is on loopback; nothing delivers to it
  });
  startWorkersFor('translation', 'review');
  users = {
    editor: await buildUser(['editor'], [], LANGS.split(',')),
    translator: await buildUser(['translator'], ['ru:en'], LANGS.split(',')),
    reviewer: await buildUser(['reviewer'], ['ru:en'], LANGS.split(',')),
    admin: await buildUser(['admin'], [], LANGS.split(',')),
  };
}, 180_000);
afterAll(async () => {
  await Promise.all(workers.map((w) => w.close()));
  await rt?.close().catch(() => undefined);
  await store?.stop().catch(() => undefined);
});

/** An answer of the API seen while the store was killed and restarted. */
interface Answer {
  status: number;
  code?: string;
}

/**
 * Asks the API for tasks and stories over and over until `stop()`: what a desk client sees
 * through the crash and the restart.
 */
function pollApi() {
  const answers: Answer[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      for (const path of ['/api/v1/tasks', '/api/v1/stories']) {
        const res = await request(rt.app).get(path).set(users.editor.auth);
        answers.push({ status: res.status, code: res.body?.error?.code });
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  return {
    answers,
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

/** Ten published Russian stories, each with its English task translated and in review. */
async function tasksInReview(): Promise<{ storyId: string; taskId: string }[]> {
  const made: { storyId: string; taskId: string }[] = [];
  for (let n = 0; n < STORIES; n++) {
    const { storyId } = await createStory(rt.ctx, users.editor.actor, {
      title: `Сообщение о ${TOPICS[n]}`,
      body: `<p>Первое предложение о ${TOPICS[n]}. Второе предложение.</p>`,
      publish: true,
    });
    made.push({ storyId, taskId: (await awaitOpenTask(storyId, 'en'))._id });
  }
  for (let n = 0; n < STORIES; n++) await translateNext(rt.ctx, users.translator.actor, 'ru:en');
  await eventually(async () => (await Task.countDocuments({ state: 'in_review' })) === STORIES, 120_000, 200);
  return made;
}

describe('the store killed (SIGKILL) while approved translations are being published', () => {
  it(
    'publishes every approved translation exactly once after the restart, and the API answers 503 meanwhile',
    { timeout: 600_000 },
    async () => {
      const stories = await tasksInReview();
      // An endpoint for the once-per-event effects: one delivery per event (none is sent).
      const hook = await request(rt.app)
        .post('/api/v1/webhooks')
        .set(users.admin.auth)
        .send({ url: 'http://127.0.0.1:9/hook', events: ['story.published', 'translation.approved'] });
      expect(hook.status).toBe(201);

      // Ten approvals through the API, with no publish worker yet: all ten jobs wait.
      for (const { taskId } of stories)
        expect((await approveByApi(rt.app, users.reviewer, taskId)).status).toBe(200);

      const poll = pollApi();
      startWorkersFor('publish');
      // Kill the store as soon as the worker is under way: some published, some half-way.
      await eventually(
        async () => (await ReleaseRevision.countDocuments({ writer: /^publish:/ })) >= 2,
        120_000,
        10,
      );
      const publishedBeforeKill = await ArchivedTask.countDocuments({ state: 'published' });
      process.kill(store.pid, 'SIGKILL');
      await eventually(async () => !isAlive(store.pid), 10_000, 20);
      const outageStart = poll.answers.length;
      // Down long enough that the API is asked, and every publish job fails at least once.
      await eventually(
        async () => poll.answers.slice(outageStart).filter((a) => a.status === 503).length >= 4,
        60_000,
      );
      const approveWhileDown = await approveByApi(rt.app, users.reviewer, stories[0]!.taskId);
      expect(approveWhileDown.status).toBe(503);
      expect(approveWhileDown.body.error.code).toBe('store_unavailable');

      // The same files, the same port: the clients reconnect by themselves.
      store = await startEmbeddedMongo(storeDir, { port: Number(new URL(store.url).port) });
      await eventually(
        async () => (await ArchivedTask.countDocuments({ state: 'published' })) === STORIES,
        300_000,
        500,
      );
      await eventually(async () => (await OutboxEvent.countDocuments()) === 0, 60_000, 200);
      await poll.stop();

      expect(publishedBeforeKill).toBeLessThan(STORIES); // killed mid-run

      // The API said "store unavailable" while it was, and never 500.
      expect(poll.answers.filter((a) => a.status === 503).length).toBeGreaterThanOrEqual(4);
      expect(poll.answers.filter((a) => a.status !== 200 && a.status !== 503)).toEqual([]);
      expect(new Set(poll.answers.filter((a) => a.status === 503).map((a) => a.code))).toEqual(
        new Set(['store_unavailable']),
      );

      // Nothing approved stays approved, nothing is lost, and each went out exactly once.
      expect(await Task.countDocuments({ state: 'approved' })).toBe(0);
      const deliveries = await WebhookDelivery.find({}, { type: 1, body: 1 }).lean();
      const delivered = (type: string, key: string, value: string) =>
        deliveries.filter(
          (d) =>
            d.type === type && (JSON.parse(d.body) as { data: Record<string, string> }).data[key] === value,
        ).length;
      for (const { storyId, taskId } of stories) {
        const task = await ArchivedTask.findById(taskId).lean<TaskDoc>();
        expect(task?.state).toBe('published');
        expect(task!.history.filter((h) => h.to === 'published')).toHaveLength(1);
        expect(task!.history.filter((h) => h.to === 'approved')).toHaveLength(1);
        expect(await TaskEvent.countDocuments({ task: taskId, type: 'published' })).toBe(1);
        const release = await Release.findById(`${storyId}.en`).lean();
        expect(release).toMatchObject({ status: 'published', revision: 1 });
        expect(release!.title).toMatch(/^EN Сообщение о /);
        const revisions = await ReleaseRevision.find({ release: `${storyId}.en` }).lean();
        expect(revisions.map((r) => [r.revision, r.status, r.writer])).toEqual([
          [1, 'published', `publish:${taskId}`],
        ]);
        expect(delivered('story.published', 'releaseId', `${storyId}.en`)).toBe(1);
        expect(delivered('translation.approved', 'taskId', taskId)).toBe(1);
        // The story no longer counts the language as "translation in progress".
        expect(await rt.ctx.redis.sismember(rt.ctx.keys.translating(storyId), 'en')).toBe(0);
      }
      // The desk's throughput counts each publication once.
      const days = new Set<string>();
      for (const t of await ArchivedTask.find({}, { history: 1 }).lean<TaskDoc[]>()) {
        const at = t.history.find((h) => h.to === 'published')!.at;
        days.add(new Date(at).toISOString().slice(0, 10));
      }
      let counted = 0;
      for (const day of days)
        counted += Number(await rt.ctx.redis.get(rt.ctx.keys.publishedCount('ru:en', day)));
      expect(counted).toBe(STORIES);
    },
  );
});
