import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStory } from '../../src/commands/create-story.js';
import { prepareTranslationTask } from '../../src/workflow/prepare-task.js';
import { addToMemory, lookupMemory } from '../../src/workflow/translation-memory.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import { buildUser } from './support.js';

let rt: TestRuntime;
beforeAll(async () => {
  rt = await startTestRuntime({ NEWSROOM_LANGUAGES: 'ru,en' });
  await addToMemory(rt.ctx, 'ru:en', [
    { source: 'Министры обороны провели встречу в Москве.', target: 'The defence ministers met in Moscow.' },
    { source: 'Заседание пройдёт в июне.', target: 'The meeting will take place in June.' },
  ]);
});
afterAll(async () => {
  await rt?.close();
});

describe('translation memory', () => {
  it('finds exact matches and fuzzy matches of 75 % and above with their score', async () => {
    const exact = await lookupMemory(rt.ctx, 'ru:en', 'Заседание  пройдёт в июне.');
    expect(exact[0]).toMatchObject({
      source: 'Заседание пройдёт в июне.',
      target: 'The meeting will take place in June.',
      score: 1,
      band: '100',
    });
    const fuzzy = await lookupMemory(rt.ctx, 'ru:en', 'Министры обороны провели встречу в Минске.');
    expect(fuzzy).toHaveLength(1);
    expect(fuzzy[0].target).toBe('The defence ministers met in Moscow.');
    expect(fuzzy[0].score).toBeGreaterThanOrEqual(0.75);
    expect(fuzzy[0].score).toBeLessThan(1);
    expect(await lookupMemory(rt.ctx, 'ru:en', 'Министры финансов обсудили бюджет страны.')).toEqual([]);
  });

  it('pre-fills a new task from the memory', async () => {
    const editor = await buildUser(['editor'], [], ['ru', 'en']);
    const { storyId } = await createStory(rt.ctx, editor.actor, {
      title: 'Встреча',
      body: '<p>Заседание пройдёт в июне. Министры обороны провели встречу в Минске.</p>',
      publish: true,
    });
    const out = await prepareTranslationTask(rt.ctx, { storyId, from: 'ru', to: 'en' });
    expect(['created', 'exists']).toContain(out.status);
    const task = 'task' in out ? out.task : undefined;
    const [, first, second] = task!.segments;
    expect(first).toMatchObject({
      origin: 'tm_exact',
      target: 'The meeting will take place in June.',
      needsWork: true,
    });
    // A fuzzy match is a suggestion beside an empty target, never pre-filled (issue 9).
    expect(second).toMatchObject({ origin: 'none', target: '', status: 'empty' });
    expect(second.suggestions[0]).toMatchObject({ target: 'The defence ministers met in Moscow.' });
    expect(second.suggestions[0].score).toBeGreaterThanOrEqual(0.75);
    expect(second.suggestions[0].score).toBeLessThan(1);
  });
});
