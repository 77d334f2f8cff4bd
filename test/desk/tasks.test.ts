import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTaskQa } from '../../src/commands/run-task-qa.js';
import { Task, type TaskDoc } from '../../src/models/translation-task.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import { csrfFrom, deskUser, signIn, openTranslationTask } from './desk-helpers.js';

let rt: TestRuntime;
beforeAll(async () => {
  rt = await startTestRuntime();
});
afterAll(async () => {
  await rt?.close();
});

const openTask = (to: string) => openTranslationTask(rt.ctx, to);

const taskById = (id: string) => Task.findById(id).lean<TaskDoc>();
const textareas = (html: string) =>
  Object.fromEntries(
    [...html.matchAll(/<textarea id="(seg-\d+)"[^>]*>([^<]*)<\/textarea>/g)].map((m) => [m[1], m[2]]),
  );
const baseRevisionOf = (html: string) => Number(/name="baseRevision" value="(\d+)"/.exec(html)![1]);

describe('desk translator and reviewer pages', () => {
  it('does not let a translator without the pair ru:hy open or claim a ru:hy task', async () => {
    const hy = await openTask('hy');
    const translator = await deskUser({ roles: ['translator'], pairs: ['ru:en'] });
    const agent = await signIn(rt.app, translator.email, translator.password);
    const page = await agent.get(`/desk/tasks/${hy._id}`).set('Accept-Language', 'en').expect(403);
    expect(page.text).toContain('language pair ru:hy');
    const token = csrfFrom((await agent.get('/desk/').expect(200)).text);
    await agent.post('/desk/tasks/claim').type('form').send({ pair: 'ru:hy', _csrf: token }).expect(403);
    expect((await taskById(hy._id))!.state).toBe('open');
  });

  it('answers 404 for an unknown task', async () => {
    const translator = await deskUser({ roles: ['translator'], pairs: ['ru:en'] });
    const agent = await signIn(rt.app, translator.email, translator.password);
    await agent.get('/desk/tasks/no-such-task').expect(404);
  });

  it('claims, saves, refuses a stale save with 409 keeping the text, submits, and goes through review', async () => {
    const task = await openTask('en');
    // Also a reviewer, to prove nobody reviews their own translation.
    const translator = await deskUser({ roles: ['translator', 'reviewer'], pairs: ['ru:en'] });
    const agent = await signIn(rt.app, translator.email, translator.password);

    // Claim from the dashboard: the button for the pair leads to the task's editor.
    const dash = await agent.get('/desk/').set('Accept-Language', 'en').expect(200);
    expect(dash.text).toContain('Claim next ru:en');
    const claim = await agent
      .post('/desk/tasks/claim')
      .type('form')
      .send({ pair: 'ru:en', _csrf: csrfFrom(dash.text) })
      .expect(303);
    expect(claim.headers.location).toBe(`/desk/tasks/${task._id}`);
    const editor = await agent.get(claim.headers.location).set('Accept-Language', 'en').expect(200);
    expect(editor.text).toContain('Заседание пройдёт 27 июня 2019 года.');
    const fields = Object.keys(textareas(editor.text));
    expect(fields).toEqual(['seg-0', 'seg-1']);
    const base = baseRevisionOf(editor.text);

    // Save one segment.
    await agent
      .post(`/desk/tasks/${task._id}/segments`)
      .type('form')
      .send({ _csrf: csrfFrom(editor.text), baseRevision: base, 'seg-0': 'Committee meeting', 'seg-1': '' })
      .expect(303);
    let stored = (await taskById(task._id))!;
    expect(stored.segments[0].target).toBe('Committee meeting');
    expect(stored.revision).toBe(base + 1);

    // A save based on the old revision is refused; the user's unsaved text is shown again.
    const stale = await agent
      .post(`/desk/tasks/${task._id}/segments`)
      .set('Accept-Language', 'en')
      .type('form')
      .send({ _csrf: csrfFrom(editor.text), baseRevision: base, 'seg-0': 'Committee session', 'seg-1': '' })
      .expect(409);
    expect(stale.text).toContain('Someone else saved this task meanwhile');
    expect(textareas(stale.text)['seg-0']).toBe('Committee session');
    expect(baseRevisionOf(stale.text)).toBe(base + 1);
    expect((await taskById(task._id))!.segments[0].target).toBe('Committee meeting');

    // Submitting with an empty (so unconfirmed) segment is refused, naming the segment.
    const page = await agent.get(`/desk/tasks/${task._id}`).expect(200);
    const blocked = await agent
      .post(`/desk/tasks/${task._id}/submit`)
      .set('Accept-Language', 'en')
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        baseRevision: baseRevisionOf(page.text),
        'seg-0': 'Committee meeting',
        'confirm-0': '1',
      })
      .expect(422);
    expect(blocked.text).toContain('1 segment is not confirmed yet (2)');
    expect((await taskById(task._id))!.segments[0].status).toBe('confirmed');

    // Both confirmed, but a changed year: blocked by QA with a message under the segment.
    const qaBlocked = await agent
      .post(`/desk/tasks/${task._id}/submit`)
      .set('Accept-Language', 'en')
      .type('form')
      .send({
        _csrf: csrfFrom(blocked.text),
        baseRevision: baseRevisionOf(blocked.text),
        'seg-0': 'Committee meeting',
        'confirm-0': '1',
        'seg-1': 'The meeting will take place on 27 June 2018.',
        'confirm-1': '1',
      })
      .expect(422);
    expect(qaBlocked.text).toMatch(/problems? blocks? submission/);
    expect(qaBlocked.text).toMatch(/class="qa-error"/);

    // Save and submit in one go.
    await agent
      .post(`/desk/tasks/${task._id}/submit`)
      .type('form')
      .send({
        _csrf: csrfFrom(qaBlocked.text),
        baseRevision: baseRevisionOf(qaBlocked.text),
        'seg-0': 'Committee meeting',
        'confirm-0': '1',
        'seg-1': 'The meeting will take place on 27 June 2019.',
        'confirm-1': '1',
      })
      .expect(303);
    stored = (await taskById(task._id))!;
    expect(stored.state).toBe('submitted');
    expect(await runTaskQa(rt.ctx, task._id, stored.revision)).toBe('in_review');

    // The translator may not review their own work: no buttons, and a forged decision is refused.
    const ownReview = await agent.get(`/desk/reviews/${task._id}`).expect(200);
    expect(ownReview.text).not.toContain('value="approve"');
    await agent
      .post(`/desk/reviews/${task._id}`)
      .type('form')
      .send({ _csrf: csrfFrom(ownReview.text), decision: 'approve' })
      .expect(403);
    expect((await taskById(task._id))!.state).toBe('in_review');

    // A reviewer without the pair cannot open it; one with the pair sends it back with a comment.
    const outsider = await deskUser({ roles: ['reviewer'], pairs: ['ru:hy'] });
    await (
      await signIn(rt.app, outsider.email, outsider.password)
    )
      .get(`/desk/reviews/${task._id}`)
      .expect(403);
    const reviewer = await deskUser({ roles: ['reviewer'], pairs: ['ru:en'] });
    const rAgent = await signIn(rt.app, reviewer.email, reviewer.password);
    const dashR = await rAgent.get('/desk/').expect(200);
    expect(dashR.text).toContain(`/desk/reviews/${task._id}`);
    const review = await rAgent.get(`/desk/reviews/${task._id}`).expect(200);
    expect(review.text).toContain('The meeting will take place on 27 June 2019.');
    await rAgent
      .post(`/desk/reviews/${task._id}`)
      .type('form')
      .send({ _csrf: csrfFrom(review.text), decision: 'reject', 'comment-0': '', 'comment-1': '' })
      .expect(400);
    await rAgent
      .post(`/desk/reviews/${task._id}`)
      .type('form')
      .send({ _csrf: csrfFrom(review.text), decision: 'reject', 'comment-0': 'Use “Committee session”.' })
      .expect(303);
    stored = (await taskById(task._id))!;
    expect(stored.state).toBe('in_progress');
    expect(stored.segments[0].comment).toBe('Use “Committee session”.');
    const back = await agent.get(`/desk/tasks/${task._id}`).expect(200);
    expect(back.text).toContain('Use “Committee session”.');

    // Fixed, resubmitted, approved.
    await agent
      .post(`/desk/tasks/${task._id}/submit`)
      .type('form')
      .send({
        _csrf: csrfFrom(back.text),
        baseRevision: baseRevisionOf(back.text),
        'seg-0': 'Committee session',
        'confirm-0': '1',
        'seg-1': 'The meeting will take place on 27 June 2019.',
        'confirm-1': '1',
      })
      .expect(303);
    stored = (await taskById(task._id))!;
    expect(await runTaskQa(rt.ctx, task._id, stored.revision)).toBe('in_review');
    const again = await rAgent.get(`/desk/reviews/${task._id}`).expect(200);
    await rAgent
      .post(`/desk/reviews/${task._id}`)
      .type('form')
      .send({ _csrf: csrfFrom(again.text), decision: 'approve' })
      .expect(303);
    const approved = (await taskById(task._id)) ?? null;
    expect(['approved', undefined]).toContain(approved?.state); // publish job may archive it
  });
});
