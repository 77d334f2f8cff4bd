import type { Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStory } from '../../src/commands/create-story.js';
import { editRelease } from '../../src/commands/edit-release.js';
import { JOBS, startWorkers } from '../../src/jobs/registry.js';
import { Release } from '../../src/models/release.js';
import { TaskPointer, openPointerId } from '../../src/models/task-pointer.js';
import type { Actor } from '../../src/policies/actor.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import { awaitOpenTask, buildUser, eventually, translateAndApprove } from './support.js';

let rt: TestRuntime;
let workers: Worker[];
beforeAll(async () => {
  rt = await startTestRuntime({ NEWSROOM_LANGUAGES: 'ru,en,tg', NEWSROOM_PIVOTS: 'tg:en' });
  workers = startWorkers(rt.ctx, JOBS, 2);
});
afterAll(async () => {
  await Promise.all((workers ?? []).map((w) => w.close()));
  await rt?.close();
});

/** Claims, fills every segment as `LANG source`, submits, and has it approved. */
async function translate(storyId: string, lang: string, pair: string, t: Actor, r: Actor) {
  const waiting = await awaitOpenTask(storyId, lang);
  const task = await translateAndApprove(rt.ctx, t, r, pair);
  expect(task._id).toBe(waiting._id);
  return eventually(async () => {
    const rel = await Release.findById(`${storyId}.${lang}`).lean();
    return rel?.status === 'published' && !rel.outdated && rel.sourceRevision === task.sourceRevision
      ? rel
      : null;
  });
}

describe('pivot languages', () => {
  it('tg follows en: tasks and outdated marks run along the chain', async () => {
    const editor = await buildUser(['editor'], [], ['ru', 'en', 'tg']);
    const t = await buildUser(['translator'], ['ru:en', 'en:tg'], ['ru', 'en', 'tg']);
    const r = await buildUser(['reviewer'], ['ru:en', 'en:tg'], ['ru', 'en', 'tg']);
    const { storyId } = await createStory(rt.ctx, editor.actor, {
      title: 'Заявление',
      body: '<p>Первая фраза. Вторая фраза.</p>',
      publish: true,
    });

    // Only en is translated from ru; tg waits for English.
    await awaitOpenTask(storyId, 'en');
    expect(await TaskPointer.findById(openPointerId(storyId, 'tg')).lean()).toBeNull();
    const en = await translate(storyId, 'en', 'ru:en', t.actor, r.actor);
    const tg = await translate(storyId, 'tg', 'en:tg', t.actor, r.actor);
    expect(tg.translatedFrom).toBe('en');
    expect(tg.sourceRevision).toBe(en.revision);
    expect(tg.body).toContain('TG EN Первая фраза.');

    // Editing the original marks en outdated, and through en, tg.
    const ru = await Release.findById(`${storyId}.ru`).lean();
    await editRelease(rt.ctx, editor.actor, storyId, 'ru', {
      baseRevision: ru!.revision,
      body: '<p>Первая фраза. Новая вторая фраза.</p>',
    });
    await eventually(async () => (await Release.findById(`${storyId}.en`).lean())?.outdated === true);
    await eventually(async () => (await Release.findById(`${storyId}.tg`).lean())?.outdated === true);
    // No tg task from the outdated English; the ru→en task comes first.
    const enTask = await awaitOpenTask(storyId, 'en');
    expect(enTask.segments.filter((s) => s.needsWork).map((s) => s.source)).toEqual(['Новая вторая фраза.']);
    expect(await TaskPointer.findById(openPointerId(storyId, 'tg')).lean()).toBeNull();

    // Once the new English is approved, tg is re-translated from it (only the changed sentence).
    await translate(storyId, 'en', 'ru:en', t.actor, r.actor);
    const tgTask = await awaitOpenTask(storyId, 'tg');
    expect(tgTask.pair).toBe('en:tg');
    expect(tgTask.segments.filter((s) => s.needsWork).map((s) => s.source)).toEqual([
      'EN Новая вторая фраза.',
    ]);
  });
});
