import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimTaskById } from '../../src/commands/claim-task.js';
import { runTaskQa } from '../../src/commands/run-task-qa.js';
import { saveTaskSegments } from '../../src/commands/save-task-segments.js';
import { submitTask } from '../../src/commands/submit-task.js';
import { Task } from '../../src/models/translation-task.js';
import { findTask } from '../../src/workflow/task-store.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import { deskUser, openTranslationTask, signIn } from '../desk/desk-helpers.js';
import { buildUser } from '../workflow/support.js';

/** A re-translation on the review page: the word diff against the previous translation. */
let rt: TestRuntime;
beforeAll(async () => {
  rt = await startTestRuntime();
});
afterAll(async () => {
  await rt?.close();
});

describe('review of a re-translation', () => {
  it('shows what changed against the previously approved translation', async () => {
    const open = await openTranslationTask(rt.ctx, 'en');
    // As prepare-task records it for a changed source: the earlier approved text beside it.
    await Task.updateOne(
      { _id: open._id },
      {
        $set: {
          'segments.1.changed': {
            oldSource: 'Заседание пройдёт 28 июня 2019 года.',
            oldTarget: 'The meeting will take place on 28 June 2019.',
          },
        },
      },
    );
    const translator = await buildUser(['translator'], ['ru:en']);
    const claimed = await claimTaskById(rt.ctx, translator.actor, open._id);
    await saveTaskSegments(rt.ctx, translator.actor, open._id, {
      baseRevision: claimed.revision,
      segments: [
        { i: 0, target: 'Committee meeting', confirmed: true },
        { i: 1, target: 'The meeting will take place on 27 June 2019.', confirmed: true },
      ],
    });
    const submitted = await submitTask(rt.ctx, translator.actor, open._id);
    await runTaskQa(rt.ctx, open._id, submitted.revision);
    expect((await findTask(open._id))!.state).toBe('in_review');

    const reviewer = await deskUser({ roles: ['reviewer'], pairs: ['ru:en'] });
    const agent = await signIn(rt.app, reviewer.email, reviewer.password);
    const page = await agent.get(`/desk/reviews/${open._id}`).set('accept-language', 'en-GB').expect(200);
    const diff = page.text.slice(page.text.indexOf('class="previous-diff"'));
    expect(diff).toContain('Changes against the previous translation:');
    expect(diff).toContain('<del>28</del>');
    expect(diff).toContain('<ins>27</ins>');
    // The unchanged title has no diff.
    expect(page.text.split('class="previous-diff"')).toHaveLength(2);
  }, 120_000);
});
