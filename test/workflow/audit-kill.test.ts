import { readFileSync } from 'node:fs';
import type { Worker } from 'bullmq';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStory } from '../../src/commands/create-story.js';
import { finishReleaseWrite } from '../../src/commands/write-release.js';
import { AuditEntry, type AuditAction, type AuditEntryDoc } from '../../src/models/audit-entry.js';
import { Release, type ReleaseDoc } from '../../src/models/release.js';
import { freePort } from '../../src/services/child-process.js';
import { requireAnyTask } from '../../src/workflow/task-store.js';
import { spawnNewsroom, type SpawnedProcess } from '../support/spawn-newsroom.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import {
  approveByApi,
  awaitInReview,
  awaitOpenTask,
  buildUser,
  eventually,
  translateNext,
  workersFor,
} from './support.js';

/**
 * An audit entry records an effect that is already stored, so a process that dies between the
 * two writes must not lose it: the rerun records it, once. The process is stopped exactly
 * there by the test-only fault point (`NEWSROOM_FAULT_STOP_AT=release.written`), then killed.
 */
// Short locks, so the dead worker's job is taken over in seconds.
const ENV = { JOB_LOCK_MS: '2000', JOB_STALLED_INTERVAL_MS: '1000', NEWSROOM_LANGUAGES: 'ru,en' };
const FAULT = { NEWSROOM_FAULT_STOP_AT: 'release.written' };

let rt: TestRuntime;
const workers: Worker[] = [];
const procs: SpawnedProcess[] = [];

beforeAll(async () => {
  rt = await startTestRuntime(ENV);
  workers.push(...workersFor(rt.ctx, ['translation', 'review']));
});
afterAll(async () => {
  for (const p of procs)
    if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  await Promise.all(procs.map((p) => p.exited));
  await Promise.all(workers.map((w) => w.close()));
  await rt?.close();
});

/** Stopped (SIGSTOP) by its fault point: state `T` in /proc. */
const isStopped = (pid: number) =>
  / T /.test(readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\)/, ')'));

/** Stops the process at its fault point, then kills it there. */
async function killAtFaultPoint(proc: SpawnedProcess) {
  await eventually(async () => isStopped(proc.child.pid!), 180_000, 50);
  proc.child.kill('SIGKILL');
  expect((await proc.exited).signal).toBe('SIGKILL');
}

const auditOf = (action: AuditAction, target: string) =>
  AuditEntry.find({ action, target }).lean<AuditEntryDoc[]>();

describe('a process killed between a release write and its audit entry', () => {
  it('the retried publish job records release.publish exactly once', { timeout: 420_000 }, async () => {
    const editor = await buildUser(['editor'], [], ['ru', 'en']);
    const translator = await buildUser(['translator'], ['ru:en'], ['ru', 'en']);
    const reviewer = await buildUser(['reviewer'], ['ru:en'], ['ru', 'en']);
    const { storyId } = await createStory(rt.ctx, editor.actor, {
      title: 'Заседание совета',
      body: '<p>Совет собрался на заседание.</p>',
      publish: true,
    });
    const taskId = (await awaitOpenTask(storyId, 'en'))._id;
    await translateNext(rt.ctx, translator.actor, 'ru:en');
    await awaitInReview(rt.app, reviewer, taskId);
    // No publish worker in this process: the job waits for the real worker below.
    expect((await approveByApi(rt.app, reviewer, taskId)).status).toBe(200);

    const doomed = spawnNewsroom('workers/worker.ts', { ...rt.env, ...ENV, ...FAULT, LOG_LEVEL: 'warn' });
    procs.push(doomed);
    await killAtFaultPoint(doomed);
    // Killed between the two writes: the release is published, its audit entry is not there.
    const en = await Release.findById(`${storyId}.en`).lean();
    expect(en).toMatchObject({ status: 'published', revision: 1 });
    expect(await auditOf('release.publish', `${storyId}.en`)).toEqual([]);
    expect((await requireAnyTask(taskId)).state).toBe('approved');

    // The job's retry finds the release written at its revision and records what was missing.
    workers.push(...workersFor(rt.ctx, ['publish']));
    await eventually(async () => (await requireAnyTask(taskId)).state === 'published', 120_000, 200);
    const entries = await auditOf('release.publish', `${storyId}.en`);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actor: translator.user._id });
    expect(entries[0]._id).toMatch(new RegExp(`-release\\.publish:${storyId}\\.en:1$`));
    expect(await Release.findById(`${storyId}.en`).lean()).toMatchObject({ revision: 1 });

    // Finishing the same write again adds nothing: the entry's id is the effect's.
    await finishReleaseWrite((await Release.findById(`${storyId}.en`).lean<ReleaseDoc>())!, {
      actor: 'someone',
    });
    expect(await auditOf('release.publish', `${storyId}.en`)).toHaveLength(1);
  });

  it(
    'a withdrawal asked again after the web process died records release.withdraw exactly once',
    { timeout: 300_000 },
    async () => {
      const editor = await buildUser(['editor'], [], ['ru', 'en']);
      const { storyId } = await createStory(rt.ctx, editor.actor, {
        title: 'Сообщение к отзыву',
        body: '<p>Текст сообщения.</p>',
        publish: true,
      });
      const port = await freePort();
      const web = spawnNewsroom('src/bin/web.ts', {
        ...rt.env,
        ...ENV,
        ...FAULT,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
      });
      procs.push(web);
      await eventually(
        async () => (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined))?.ok,
        120_000,
        200,
      );
      const body = { lang: 'ru', translations: 'keep' };
      // Never answered: the process stops after writing the release, and is killed there.
      const lost = fetch(`http://127.0.0.1:${port}/api/v1/stories/${storyId}/withdraw`, {
        method: 'POST',
        headers: { ...editor.auth, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      }).catch(() => 'no answer');
      await killAtFaultPoint(web);
      expect(await lost).toBe('no answer');
      expect(await Release.findById(`${storyId}.ru`).lean()).toMatchObject({ status: 'withdrawn' });
      expect(await auditOf('release.withdraw', `${storyId}.ru`)).toEqual([]);

      // The editor asks again: it is withdrawn already, and what the dead request left undone is done.
      const again = await request(rt.app)
        .post(`/api/v1/stories/${storyId}/withdraw`)
        .set(editor.auth)
        .send(body);
      expect(again.status).toBe(400);
      expect(again.body.error.code).toBe('nothing_to_withdraw');
      const entries = await auditOf('release.withdraw', `${storyId}.ru`);
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ actor: editor.user._id, detail: '410' });
      // And once more: still one.
      await request(rt.app)
        .post(`/api/v1/stories/${storyId}/withdraw`)
        .set(editor.auth)
        .send(body)
        .expect(400);
      expect(await auditOf('release.withdraw', `${storyId}.ru`)).toHaveLength(1);
    },
  );
});
