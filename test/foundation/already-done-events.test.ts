import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeRelease } from '../../src/commands/write-release.js';
import { loadCards } from '../../src/read-models/release-index.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import { eventually } from '../workflow/support.js';

let rt: TestRuntime;
beforeAll(async () => {
  rt = await startTestRuntime();
});
afterAll(async () => {
  await rt?.close();
});

const input = {
  storyId: 'already-1',
  lang: 'ru',
  title: 'Заседание',
  body: '<p>Текст</p>',
  section: 'news',
  tags: [],
  status: 'published' as const,
};

describe('an idempotent "already done" write', () => {
  it('records its release.changed event again, so a write whose event was lost still reaches the read model', async () => {
    // The document written, the event not (a crash between the two).
    const first = await writeRelease({ ...input, emit: false });
    expect(first.changed).toBe(true);
    expect(await loadCards(rt.ctx, ['already-1.ru'])).toEqual([]);
    // The retry finds it written: nothing to change, but the event is recorded and relayed.
    const again = await writeRelease(input);
    expect(again.changed).toBe(false);
    await eventually(async () => (await loadCards(rt.ctx, ['already-1.ru'])).length === 1, 30_000);
  });
});
