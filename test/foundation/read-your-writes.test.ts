import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStory } from '../../src/commands/create-story.js';
import { ReleaseRevision } from '../../src/models/release-revision.js';
import { Release } from '../../src/models/release.js';
import { ArchivedTask, Task } from '../../src/models/translation-task.js';
import { freePort } from '../../src/services/child-process.js';
import { buildImportStory } from '../support/factories.js';
import { spawnNewsroom, type SpawnedProcess } from '../support/spawn-newsroom.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import { buildUser, eventually } from '../workflow/support.js';

/**
 * Issue 15: N web processes and M workers on one store behave as one. An editor saves through
 * one web process and reads through another, as a load balancer without sticky sessions
 * would route them, while an import and a burst of approvals keep the relay busy; a web
 * process and a worker are killed with SIGKILL mid-run.
 */
const ENV = {
  NEWSROOM_LANGUAGES: 'ru,en,kk',
  LOG_LEVEL: 'warn',
  JOB_LOCK_MS: '2000',
  JOB_STALLED_INTERVAL_MS: '1000',
};
const APPROVALS = 16;
const EDITS = 40;

let rt: TestRuntime;
const procs: SpawnedProcess[] = [];

beforeAll(async () => {
  rt = await startTestRuntime(ENV);
});
afterAll(async () => {
  for (const p of procs)
    if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  await Promise.all(procs.map((p) => p.exited));
  await rt?.close();
});

async function startWeb(): Promise<{ proc: SpawnedProcess; base: string }> {
  const port = await freePort();
  const proc = spawnNewsroom('src/bin/web.ts', { ...rt.env, ...ENV, PORT: String(port), HOST: '127.0.0.1' });
  procs.push(proc);
  const base = `http://127.0.0.1:${port}`;
  await eventually(async () => (await fetch(`${base}/readyz`).catch(() => undefined))?.ok, 90_000, 200);
  return { proc, base };
}

function startWorker(): SpawnedProcess {
  const proc = spawnNewsroom('workers/worker.ts', { ...rt.env, ...ENV });
  procs.push(proc);
  return proc;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- our API's JSON, checked by the assertions below
type Json = Record<string, any>;
const json = async (res: Response) => ({ status: res.status, body: (await res.json()) as Json });

describe('read your writes on every web process', () => {
  it(
    'a save through one process is read through another: 0 stale of 40 during an import and 40 during approvals, kills included',
    { timeout: 600_000 },
    async () => {
      const editor = await buildUser(['editor'], [], ['ru', 'en', 'kk']);
      const translator = await buildUser(['translator'], ['ru:en'], ['ru', 'en', 'kk']);
      const reviewer = await buildUser(['reviewer'], ['ru:en'], ['ru', 'en', 'kk']);
      const [a, b, c] = [await startWeb(), await startWeb(), await startWeb()];
      const workers = [startWorker(), startWorker()];

      const call = (
        base: string,
        method: string,
        path: string,
        auth: Record<string, string>,
        body?: unknown,
      ) =>
        fetch(base + path, {
          method,
          headers: { ...auth, 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });

      // The story the editor keeps saving.
      const created = await json(
        await call(a.base, 'POST', '/api/v1/stories', editor.auth, {
          title: 'Заявление пресс-службы',
          body: '<p>Текст заявления.</p>',
          publish: true,
          targets: ['kk'], // its re-translation tasks go to another pair than the approvals below
        }),
      );
      expect(created.status).toBe(201);
      const storyId = created.body.story.id as string;
      let revision = 1;
      const slug = (await Release.findById(`${storyId}.ru`).lean())!.slug;

      /** Saves a new title through `writer`; reads page and listing through `reader` right after the 2xx. */
      async function saveThenRead(writer: string, reader: string, title: string): Promise<boolean> {
        const res = await json(
          await call(writer, 'PATCH', `/api/v1/stories/${storyId}/ru`, editor.auth, {
            baseRevision: revision,
            title,
          }),
        );
        expect(res.status).toBe(200);
        revision = res.body.story.languages.ru.release.revision;
        const [page, listing] = await Promise.all([
          fetch(`${reader}/ru/news/${slug}`).then((r) => r.text()),
          fetch(`${reader}/ru/news/`).then((r) => r.text()),
        ]);
        return page.includes(title) && listing.includes(title);
      }

      // Phase 1: an import of a few thousand stories runs through the CLI meanwhile.
      const file = join(rt.env.NEWSROOM_DATA_DIR, 'import.json');
      const stories = Array.from({ length: 3000 }, (_, i) =>
        buildImportStory({ externalId: `ryw-${i}`, versions: buildImportStory().versions }),
      );
      writeFileSync(file, JSON.stringify({ stories }));
      const importer = spawnNewsroom('src/bin/newsroom.ts', { ...rt.env, ...ENV }, ['import', file]);
      procs.push(importer);
      let staleDuringImport = 0;
      for (let i = 0; i < EDITS; i++) {
        const [writer, reader] = i % 2 ? [a.base, b.base] : [b.base, a.base];
        if (!(await saveThenRead(writer, reader, `Правка при импорте ${i}`))) staleDuringImport++;
      }
      const importRunning = importer.child.exitCode === null;
      expect((await importer.exited).code).toBe(0);

      // Phase 2: a burst of approvals, with a web process and a worker killed mid-run.
      const storyIds: string[] = [];
      for (let n = 0; n < APPROVALS; n++) {
        const s = await createStory(rt.ctx, editor.actor, {
          title: `Сообщение для перевода`,
          lead: 'Короткое сообщение.',
          body: '<p>Первое предложение сообщения.</p>',
          publish: true,
        });
        storyIds.push(s.storyId);
      }
      const taskIds: string[] = [];
      for (let n = 0; n < APPROVALS; n++) {
        const claim = await eventually(async () => {
          const r = await json(
            await call(a.base, 'POST', '/api/v1/tasks/claim', translator.auth, { pair: 'ru:en' }),
          );
          return r.status === 200 ? r.body.task : undefined;
        }, 120_000);
        const targets: Record<string, string> = {
          title: 'Message for translation',
          lead: 'A short message.',
          body: 'The first sentence of the message.',
        };
        const segments = (claim.segments as { i: number; field: string }[]).map((s) => ({
          i: s.i,
          target: targets[s.field],
          confirmed: true,
        }));
        const saved = await json(
          await call(a.base, 'PUT', `/api/v1/tasks/${claim.id}/segments`, translator.auth, {
            baseRevision: claim.revision,
            segments,
          }),
        );
        expect(saved.status).toBe(200);
        const submitted = await call(a.base, 'POST', `/api/v1/tasks/${claim.id}/submit`, translator.auth);
        expect(submitted.status, await submitted.clone().text()).toBe(202);
        taskIds.push(claim.id);
      }
      await eventually(
        async () => (await Task.countDocuments({ _id: { $in: taskIds }, state: 'in_review' })) === APPROVALS,
        180_000,
        250,
      );

      const approve = (base: string, id: string) =>
        call(base, 'POST', `/api/v1/tasks/${id}/review`, reviewer.auth, { decision: 'approve' })
          .then((r) => r.status)
          .catch(() => 0); // the process was killed under the request
      const burst = taskIds.map((id, n) => approve(n % 2 ? c.base : b.base, id));
      let staleDuringApprovals = 0;
      for (let i = 0; i < EDITS; i++) {
        if (i === 5) workers[0].child.kill('SIGKILL');
        if (i === 10) c.proc.child.kill('SIGKILL');
        const [writer, reader] = i % 2 ? [a.base, b.base] : [b.base, a.base];
        if (!(await saveThenRead(writer, reader, `Правка при утверждении ${i}`))) staleDuringApprovals++;
      }
      const statuses = await Promise.all(burst);
      // A client whose request died with its process retries on another one (200 or a 409 "already decided").
      for (const [n, status] of statuses.entries()) {
        if (status !== 200) expect([200, 409]).toContain(await approve(a.base, taskIds[n]));
      }

      const unconfirmed = procs
        .flatMap((p) => p.output().split('\n'))
        .filter((l) => /not every process confirmed/.test(l));
      console.log(`invalidations not confirmed in time: ${unconfirmed.length}`);
      console.log(
        `stale reads: ${staleDuringImport}/${EDITS} during the import, ${staleDuringApprovals}/${EDITS} during approvals`,
      );
      expect({ staleDuringImport, staleDuringApprovals, importRunning }).toEqual({
        staleDuringImport: 0,
        staleDuringApprovals: 0,
        importRunning: true,
      });

      // No lost job: every approved translation is published, on every surviving process.
      await eventually(
        async () =>
          (await ArchivedTask.countDocuments({ _id: { $in: taskIds }, state: 'published' })) === APPROVALS,
        180_000,
        250,
      );
      for (const id of storyIds) {
        const en = await Release.findById(`${id}.en`).lean();
        expect(en?.status).toBe('published');
        for (const base of [a.base, b.base])
          expect((await fetch(`${base}/en/news/${en!.slug}`)).status, `${base} ${id}`).toBe(200);
        // No duplicate effect: one publish write per translation, one task per story.
        expect(await ReleaseRevision.countDocuments({ release: `${id}.en` })).toBe(1);
        const pair = { story: id, pair: 'ru:en' };
        expect((await Task.countDocuments(pair)) + (await ArchivedTask.countDocuments(pair))).toBe(1);
      }
    },
  );
});
