import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimTaskById } from '../../src/commands/claim-task.js';
import { reviewTask } from '../../src/commands/review-task.js';
import { runTaskQa } from '../../src/commands/run-task-qa.js';
import { saveTaskSegments } from '../../src/commands/save-task-segments.js';
import { submitTask } from '../../src/commands/submit-task.js';
import { Task, type TaskDoc } from '../../src/models/translation-task.js';
import { enqueueReady, removeReady } from '../../src/workflow/ready-queue.js';
import { findTask } from '../../src/workflow/task-store.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import { deskUser, openTranslationTask, signIn, tokenOf } from '../desk/desk-helpers.js';
import { buildUser } from '../workflow/support.js';

/**
 * Finding work: the task list of a translator's pairs (words new / fuzzy / 100 %, priority,
 * due date in the newsroom's zone, age), taking a chosen task (one winner among concurrent
 * takers), the dashboard of my tasks with state, "sent back", due date and lease, and the
 * editors' view of who holds what.
 */
let rt: TestRuntime;
beforeAll(async () => {
  rt = await startTestRuntime({ NEWSROOM_TIMEZONE: 'Asia/Almaty' });
});
afterAll(async () => {
  await rt?.close();
});

async function retune(task: TaskDoc, set: { priority: number; dueAt?: Date }): Promise<TaskDoc> {
  await removeReady(rt.ctx, task);
  await Task.updateOne({ _id: task._id }, { $set: set });
  const updated = (await findTask(task._id))!;
  await enqueueReady(rt.ctx, updated);
  return updated;
}

const rowOf = (html: string, taskId: string) => {
  const at = html.indexOf(`data-task="${taskId}"`);
  return at === -1 ? '' : html.slice(at, html.indexOf('</tr>', at));
};

describe('finding work', () => {
  it('lists open tasks of my pairs, takes a chosen one, shows my tasks and who holds what', async () => {
    const low = await openTranslationTask(rt.ctx, 'en');
    const urgent = await retune(await openTranslationTask(rt.ctx, 'en'), {
      priority: 8,
      dueAt: new Date('2030-05-01T10:00:00Z'),
    });
    const armenian = await openTranslationTask(rt.ctx, 'hy');
    const translator = await deskUser({ roles: ['translator'], pairs: ['ru:en'] });
    const agent = await signIn(rt.app, translator.email, translator.password);

    const list = await agent.get('/desk/tasks').set('accept-language', 'en-GB').expect(200);
    expect(list.text).not.toContain(armenian._id);
    const urgentRow = rowOf(list.text, urgent._id);
    const lowRow = rowOf(list.text, low._id);
    expect(urgentRow).toBeTruthy();
    expect(lowRow).toBeTruthy();
    expect(list.text.indexOf(urgent._id)).toBeLessThan(list.text.indexOf(low._id)); // priority first
    // "Заседание комитета" + "Заседание пройдёт 27 июня 2019 года." = 2 + 6 new words (numbers count).
    expect(urgentRow).toContain('8 new · 0 fuzzy · 0 100 %');
    expect(urgentRow).toContain('(Asia/Almaty)'); // due date in the newsroom's zone, zone named
    expect(urgentRow).toContain('1 May 2030, 15:00');
    expect(urgentRow).toMatch(/\d+ minutes?/);

    // Take the lower-priority one from the list; "next" then gives the other.
    const token = await tokenOf(agent, '/desk/tasks');
    const took = await agent.post(`/desk/tasks/${low._id}/take`).type('form').send({ _csrf: token });
    expect(took.status).toBe(303);
    expect(took.headers.location).toBe(`/desk/tasks/${low._id}`);
    expect((await findTask(low._id))!).toMatchObject({ state: 'in_progress', assignee: translator.email });
    const again = await agent.post(`/desk/tasks/${low._id}/take`).type('form').send({ _csrf: token });
    expect(again.status).toBe(409);
    expect(again.headers['x-error-code']).toBe('task_taken');

    // Two translators take the same task at once: exactly one wins.
    const a = await buildUser(['translator'], ['ru:en']);
    const b = await buildUser(['translator'], ['ru:en']);
    const results = await Promise.allSettled([
      claimTaskById(rt.ctx, a.actor, urgent._id),
      claimTaskById(rt.ctx, b.actor, urgent._id),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect((lost.reason as { code: string }).code).toBe('task_taken');
    // A translator without the pair cannot take one.
    const hyOnly = await buildUser(['translator'], ['ru:hy']);
    await expect(claimTaskById(rt.ctx, hyOnly.actor, low._id)).rejects.toMatchObject({ status: 403 });

    // My dashboard: the task with its state and lease time.
    const dash = await agent.get('/desk/').set('accept-language', 'en-GB').expect(200);
    const mine = rowOf(dash.text, low._id);
    expect(mine).toContain('in progress');
    expect(mine).toMatch(/\d+ min left/);

    // Sent back by a reviewer: the dashboard says so.
    const held = (await findTask(low._id))!;
    const me = {
      id: translator.email,
      name: 'Test Person',
      roles: ['translator' as const],
      pairs: ['ru:en'],
    };
    const filled = await saveTaskSegments(rt.ctx, me, low._id, {
      baseRevision: held.revision,
      segments: held.segments.map((s) => ({
        i: s.i,
        target: s.i === 0 ? 'Committee meeting' : 'The meeting will take place on 27 June 2019.',
        confirmed: true,
      })),
    });
    expect(filled.state).toBe('in_progress');
    const submitted = await submitTask(rt.ctx, me, low._id);
    await runTaskQa(rt.ctx, low._id, submitted.revision);
    const reviewer = await buildUser(['reviewer'], ['ru:en']);
    await reviewTask(rt.ctx, reviewer.actor, low._id, {
      decision: 'reject',
      comments: [{ i: 1, comment: 'Say "session", not "meeting".' }],
      note: 'Please use the house terms.',
    });
    const back = await agent.get('/desk/').set('accept-language', 'en-GB').expect(200);
    expect(rowOf(back.text, low._id)).toContain('Sent back');
    // The task page: the reviewer's overall note, the comment under its segment, the history.
    const page = await agent.get(`/desk/tasks/${low._id}`).set('accept-language', 'en-GB').expect(200);
    expect(page.text).toContain(`Sent back by ${reviewer.actor.id}:</strong> Please use the house terms.`);
    expect(page.text).toContain('Say &quot;session&quot;, not &quot;meeting&quot;.');
    const history = page.text.slice(page.text.indexOf('class="task-history"'));
    for (const step of ['open → in progress', 'in progress → submitted', 'in review → in progress']) {
      expect(history).toContain(step);
    }
    expect(history).toContain(translator.email);
    expect(history).toContain('Please use the house terms.');

    // Editors see every task in work and who holds it.
    const editor = await deskUser({ roles: ['editor'] });
    const editorAgent = await signIn(rt.app, editor.email, editor.password);
    const overview = await editorAgent.get('/desk/tasks').set('accept-language', 'en-GB').expect(200);
    expect(rowOf(overview.text, low._id)).toContain(translator.email);
    const winner = (await findTask(urgent._id))!.assignee!;
    expect(rowOf(overview.text, urgent._id)).toContain(winner);
  }, 120_000);
});
