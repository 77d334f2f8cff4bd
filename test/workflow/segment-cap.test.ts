import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importStories } from '../../src/commands/import-stories.js';
import { requestTranslations } from '../../src/commands/request-translations.js';
import { storyIdForExternal } from '../../src/models/ids.js';
import { Story } from '../../src/models/story.js';
import { TaskPointer, openPointerId } from '../../src/models/task-pointer.js';
import { MAX_TASK_SEGMENTS } from '../../src/workflow/segment-limit.js';
import { buildImportStory } from '../support/factories.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import { buildUser } from './support.js';

let rt: TestRuntime;
beforeAll(async () => {
  rt = await startTestRuntime();
});
afterAll(async () => {
  await rt?.close();
});

/** A 40,000-segment body: 4,000 paragraphs of ten sentences (about 1 MB). */
const hugeBody = () =>
  Array.from(
    { length: 4_000 },
    (_, p) => `<p>${Array.from({ length: 10 }, (_, s) => `Фраза ${p * 10 + s}.`).join(' ')}</p>`,
  ).join('');

describe('a translation task has at most MAX_TASK_SEGMENTS segments', () => {
  it(
    'refuses a 40,000-segment source with 422 too_many_segments and writes nothing',
    { timeout: 120_000 },
    async () => {
      const editor = await buildUser(['editor']);
      const before = await Story.countDocuments();
      const res = await request(rt.app)
        .post('/api/v1/stories')
        .set(editor.auth)
        .send({ title: 'Доклад', body: hugeBody(), publish: true });
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('too_many_segments');
      expect(res.body.error.message).toMatch(/40001 translation segments.*at most 2000/);
      expect(await Story.countDocuments()).toBe(before);
    },
  );

  it('makes no unworkable task for a long imported source: too_long', { timeout: 120_000 }, async () => {
    const story = buildImportStory({ versions: { ru: { title: 'Архив', body: hugeBody() } } });
    await importStories(rt.ctx, [story]);
    const editor = await buildUser(['editor']);
    const storyId = storyIdForExternal(story.externalId);
    const out = await requestTranslations(rt.ctx, editor.actor, storyId, { langs: ['en'] });
    expect(out).toEqual({ en: 'too_long' });
    expect(await TaskPointer.findById(openPointerId(storyId, 'en')).lean()).toBeNull();
    expect(MAX_TASK_SEGMENTS).toBe(2_000);
  });
});
