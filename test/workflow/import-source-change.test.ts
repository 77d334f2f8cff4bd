import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimTask } from '../../src/commands/claim-task.js';
import { saveTaskSegments } from '../../src/commands/save-task-segments.js';
import type { ImportStory } from '../../src/import/parse-import-file.js';
import { storyIdForExternal } from '../../src/models/ids.js';
import { OutboxEvent } from '../../src/models/outbox-event.js';
import { Release } from '../../src/models/release.js';
import { TaskPointer, openPointerId } from '../../src/models/task-pointer.js';
import { jobQueues } from '../../src/workflow/queues.js';
import { findTask } from '../../src/workflow/task-store.js';
import { buildImportStory, writeImportFile } from '../support/factories.js';
import { spawnNewsroom } from '../support/spawn-newsroom.js';
import { startRuntimeWithWorkers, type TestRuntime } from '../support/test-runtime.js';
import { buildUser, eventually } from './support.js';

let rt: TestRuntime;
let stop: (() => Promise<void>) | undefined;
beforeAll(async () => {
  ({ rt, stop } = await startRuntimeWithWorkers());
});
afterAll(() => stop?.());

/** Runs the real CLI: `newsroom import FILE`, against the test runtime's stores. */
async function cliImport(stories: ImportStory[], name: string): Promise<string> {
  const file = writeImportFile(stories, name);
  const cli = spawnNewsroom('src/bin/newsroom.ts', { ...rt.env, LOG_LEVEL: 'warn' }, ['import', file]);
  const { code } = await cli.exited;
  expect(code, cli.output()).toBe(0);
  return cli.output();
}

const pointer = (storyId: string, lang: string) => TaskPointer.findById(openPointerId(storyId, lang)).lean();
const release = (storyId: string, lang: string) => Release.findById(`${storyId}.${lang}`).lean();
const settled = () => eventually(async () => (await OutboxEvent.countDocuments()) === 0, 60_000);

describe('an import correction is a source change like an edit', () => {
  it(
    'marks the translation outdated, opens its task, and carries saved work over on the next correction',
    { timeout: 300_000 },
    async () => {
      const story = buildImportStory();
      story.versions.ru.body = '<p>Бюджет составит 10 миллионов. Заседание пройдёт в июне.</p>';
      story.versions.en.body = '<p>The budget will be 10 million. The meeting will take place in June.</p>';
      const storyId = storyIdForExternal(story.externalId);
      await cliImport([story], 'v1');
      expect((await release(storyId, 'en'))?.status).toBe('published');
      await settled();
      // An archive import opens no translation work.
      expect(await pointer(storyId, 'en')).toBeNull();

      // The correction: the Russian figure changes, the file still has the old English.
      story.versions.ru.body = '<p>Бюджет составит 12 миллионов. Заседание пройдёт в июне.</p>';
      expect(await cliImport([story], 'v2')).toMatch(/1 updated/);
      const en = await eventually(async () => {
        const r = await release(storyId, 'en');
        return r?.outdated ? r : null;
      }, 60_000);
      expect(en.sourceRevision).toBe(1);
      const page = await eventually(async () => {
        const res = await request(rt.app).get(`/en/news/${en.slug}`);
        return res.status === 200 && res.text.includes('this translation is being revised') ? res : null;
      }, 30_000);
      expect(page.text).toContain('10 million');
      const first = await eventually(async () => {
        const ptr = await pointer(storyId, 'en');
        return ptr ? findTask(ptr.task) : null;
      }, 60_000);
      expect(first).toMatchObject({ state: 'open', sourceRevision: 2, pair: 'ru:en' });
      // Only the language the imported story has: nothing opened where nobody asked.
      await settled();
      expect(await pointer(storyId, 'hy')).toBeNull();

      // A translator works on it...
      const t = await buildUser(['translator'], ['ru:en']);
      const claimed = await claimTask(rt.ctx, t.actor, 'ru:en');
      expect(claimed?._id).toBe(first._id);
      const seg = (source: string) => claimed!.segments.find((s) => s.source === source)!.i;
      await saveTaskSegments(rt.ctx, t.actor, first._id, {
        baseRevision: claimed!.revision,
        segments: [
          {
            i: seg('Бюджет составит 12 миллионов.'),
            target: 'The budget will be 12 million.',
            confirmed: true,
          },
          { i: seg('Заседание пройдёт в июне.'), target: 'The meeting is in June.' },
        ],
      });

      // ...when a second correction changes the other sentence: a new task, still theirs,
      // with the saved translation of the unchanged sentence carried over.
      story.versions.ru.body = '<p>Бюджет составит 12 миллионов. Заседание пройдёт в июле.</p>';
      await cliImport([story], 'v3');
      const second = await eventually(async () => {
        const ptr = await pointer(storyId, 'en');
        const task = ptr ? await findTask(ptr.task) : null;
        return task && task.sourceRevision === 3 ? task : null;
      }, 60_000);
      expect(second.state).toBe('in_progress');
      expect(second.assignee).toBe(t.user._id);
      const kept = second.segments.find((s) => s.source === 'Бюджет составит 12 миллионов.');
      expect(kept).toMatchObject({ target: 'The budget will be 12 million.', origin: 'translator' });
      const changed = second.segments.find((s) => s.source === 'Заседание пройдёт в июле.');
      expect(changed?.target).toBe('');
      expect((await release(storyId, 'en'))?.outdated).toBe(true);
    },
  );

  it(
    'takes a translation corrected in the same file as current: no outdated mark, no task',
    { timeout: 240_000 },
    async () => {
      const story = buildImportStory();
      const storyId = storyIdForExternal(story.externalId);
      await cliImport([story], 'both-v1');
      story.versions.ru.body = '<p>Заседание пройдёт 28 июня 2019 года.</p>';
      story.versions.en.body = '<p>The meeting will take place on 28 June 2019.</p>';
      await cliImport([story], 'both-v2');
      await settled();
      const ru2 = await release(storyId, 'ru');
      // The fan-out ran (the event was relayed) and found the translation current.
      const fanOut = await eventually(
        () => jobQueues(rt.ctx).queue('translation').getJob(`fanout-${storyId}-ru-r${ru2!.revision}`),
        30_000,
      );
      await eventually(async () => (await fanOut.getState()) === 'completed', 60_000);
      const en = await release(storyId, 'en');
      const ru = await release(storyId, 'ru');
      expect(en).toMatchObject({ outdated: false, sourceRevision: ru!.revision, revision: 2 });
      expect(await pointer(storyId, 'en')).toBeNull();
    },
  );
});
