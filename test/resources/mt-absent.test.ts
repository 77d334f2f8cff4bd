import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStory } from '../../src/commands/create-story.js';
import { prepareTranslationTask } from '../../src/workflow/prepare-task.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import { buildUser } from '../workflow/support.js';

let plain: TestRuntime;
beforeAll(async () => {
  plain = await startTestRuntime({ NEWSROOM_LANGUAGES: 'ru,en' });
});
afterAll(async () => {
  await plain?.close();
});

describe('without MT configured', () => {
  it('has no MT: no suggestion, no call, no error', async () => {
    const user = await buildUser(['translator'], ['ru:en'], ['ru', 'en']);
    const res = await request(plain.app).get('/api/v1/mt/ru:en').query({ source: 'Совет.' }).set(user.auth);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ available: false, suggestion: null });
    const editor = await buildUser(['editor'], [], ['ru', 'en']);
    const { storyId } = await createStory(plain.ctx, editor.actor, {
      title: 'Совет одобрил план',
      body: '<p>Министры обороны встретились.</p>',
      publish: true,
    });
    const out = await prepareTranslationTask(plain.ctx, { storyId, from: 'ru', to: 'en' });
    const task = 'task' in out ? out.task : undefined;
    for (const s of task!.segments) expect(s.suggestions.filter((g) => g.kind === 'mt')).toEqual([]);
    expect(task!.segments.filter((s) => s.origin === 'mt')).toEqual([]);
  });
});
