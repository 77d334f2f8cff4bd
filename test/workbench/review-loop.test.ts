import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimTaskById } from '../../src/commands/claim-task.js';
import { publishTranslation } from '../../src/commands/publish-translation.js';
import { runTaskQa } from '../../src/commands/run-task-qa.js';
import { saveTaskSegments } from '../../src/commands/save-task-segments.js';
import { submitTask } from '../../src/commands/submit-task.js';
import { ReleaseRevision } from '../../src/models/release-revision.js';
import { Release } from '../../src/models/release.js';
import { TmEntry } from '../../src/models/tm-entry.js';
import { ArchivedTask, Task, type TaskDoc } from '../../src/models/translation-task.js';
import type { Actor } from '../../src/policies/actor.js';
import { tmEntryId } from '../../src/workflow/translation-memory.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import { csrfFrom, deskUser, openTranslationTask, signIn } from '../desk/desk-helpers.js';
import { buildUser } from '../workflow/support.js';

/**
 * The review loop (issue 9): a reviewer corrects a segment directly (recorded as theirs, in the
 * segment, the history, the published text and the memory), or sends segments back with
 * comments the translator answers per segment; the reviewer reads the thread next time.
 */
let rt: TestRuntime;
beforeAll(async () => {
  rt = await startTestRuntime();
});
afterAll(async () => {
  await rt?.close();
});

const SOURCE = 'Заседание пройдёт 27 июня 2019 года.';
const TRANSLATED = 'The meeting will be held on 27 June 2019.';
const FIXED = 'The meeting will take place on 27 June 2019.';
const stored = async (id: string) =>
  (await Task.findById(id).lean<TaskDoc>()) ?? (await ArchivedTask.findById(id).lean<TaskDoc>())!;

/** A task translated by `translator` and passed by QA: in review, at its current revision. */
async function taskInReview(translator: Actor): Promise<TaskDoc> {
  const open = await openTranslationTask(rt.ctx, 'en');
  const claimed = await claimTaskById(rt.ctx, translator, open._id);
  await saveTaskSegments(rt.ctx, translator, open._id, {
    baseRevision: claimed.revision,
    segments: [
      { i: 0, target: 'Committee meeting', confirmed: true },
      { i: 1, target: TRANSLATED, confirmed: true },
    ],
  });
  const submitted = await submitTask(rt.ctx, translator, open._id);
  expect(await runTaskQa(rt.ctx, open._id, submitted.revision)).toBe('in_review');
  return stored(open._id);
}

describe('a reviewer corrects a segment directly', () => {
  it('through the API: authorised first, stale revision and QA errors refused, then recorded as the reviewer’s in the segment, history, release and memory', async () => {
    const translator = await buildUser(['translator'], ['ru:en']);
    const reviewer = await buildUser(['reviewer'], ['ru:en']);
    const outsider = await buildUser(['reviewer'], ['ru:hy']);
    const task = await taskInReview(translator.actor);
    const url = `/api/v1/tasks/${task._id}/corrections`;
    const body = { baseRevision: task.revision, segments: [{ i: 1, target: FIXED }] };

    // Role and pair are checked before anything about the task reaches the answer.
    const otherPair = await request(rt.app).post(url).set(outsider.auth).send(body).expect(403);
    expect(otherPair.body.error.code).toBe('forbidden_pair');
    expect(JSON.stringify(otherPair.body)).not.toContain(TRANSLATED);
    const stalePair = await request(rt.app)
      .post(url)
      .set(outsider.auth)
      .send({ ...body, baseRevision: 1 })
      .expect(403);
    expect(stalePair.body.error.code).toBe('forbidden_pair');
    const notReviewer = await request(rt.app).post(url).set(translator.auth).send(body).expect(403);
    expect(notReviewer.body.error.code).toBe('forbidden_role');

    // A stale revision: 409 with the current task, nothing written.
    const stale = await request(rt.app)
      .post(url)
      .set(reviewer.auth)
      .send({ ...body, baseRevision: task.revision - 1 })
      .expect(409);
    expect(stale.body.error.code).toBe('stale_revision');
    expect(stale.body.error.details.task.revision).toBe(task.revision);
    // A correction that changes the date: refused like a submission with that error.
    const wrong = await request(rt.app)
      .post(url)
      .set(reviewer.auth)
      .send({ ...body, segments: [{ i: 1, target: 'The meeting will take place on 28 June 2019.' }] })
      .expect(422);
    expect(wrong.body.error.code).toBe('qa_failed');
    expect(wrong.body.error.details.errors[0]).toMatchObject({
      i: 1,
      check: expect.stringMatching(/^date_/),
    });
    await request(rt.app)
      .post(url)
      .set(reviewer.auth)
      .send({ ...body, segments: [{ i: 7, target: 'x' }] })
      .expect(400);
    await request(rt.app)
      .post(url)
      .set(reviewer.auth)
      .send({ ...body, segments: [{ i: 1, target: '   ' }] })
      .expect(400);
    expect((await stored(task._id)).revision).toBe(task.revision);
    expect((await stored(task._id)).segments[1].target).toBe(TRANSLATED);

    const ok = await request(rt.app).post(url).set(reviewer.auth).send(body).expect(200);
    expect(ok.body.task).toMatchObject({ state: 'in_review', revision: task.revision + 1 });
    expect(ok.body.task.segments[1]).toMatchObject({
      target: FIXED,
      origin: 'reviewer',
      correction: { by: reviewer.actor.id, previous: TRANSLATED },
    });
    const corrected = await stored(task._id);
    expect(corrected.history.at(-1)).toMatchObject({
      by: reviewer.actor.id,
      from: 'in_review',
      to: 'in_review',
      corrected: [1],
    });

    // Approved and published: the reader's text is the reviewer's, attributed in the memory.
    await request(rt.app)
      .post(`/api/v1/tasks/${task._id}/review`)
      .set(reviewer.auth)
      .send({ decision: 'approve' })
      .expect(200);
    expect(await publishTranslation(rt.ctx, task._id)).toBe('published');
    const release = (await Release.findById(`${task.story}.en`).lean())!;
    expect(release.body).toContain(FIXED);
    expect(release.people.map((p) => p.role)).toEqual(expect.arrayContaining(['translator', 'reviewer']));
    const revision = await ReleaseRevision.findOne({ release: `${task.story}.en` })
      .sort({ revision: -1 })
      .lean();
    expect(revision!.note).toContain('segment(s) 2 corrected by the reviewer');
    const fixedEntry = await TmEntry.findById(tmEntryId('ru:en', SOURCE)).lean();
    expect(fixedEntry).toMatchObject({ target: FIXED, by: reviewer.actor.id, task: task._id });
    const titleEntry = await TmEntry.findById(tmEntryId('ru:en', 'Заседание комитета')).lean();
    expect(titleEntry!.by).toBe(translator.actor.id);
  });

  it('on the desk: a stale form keeps the typed correction, comment and note (409); a saved one shows in the review and the history', async () => {
    const translator = await buildUser(['translator'], ['ru:en']);
    const task = await taskInReview(translator.actor);
    const reviewer = await deskUser({ roles: ['reviewer'], pairs: ['ru:en'] });
    const agent = await signIn(rt.app, reviewer.email, reviewer.password);
    const page = await agent.get(`/desk/reviews/${task._id}`).set('accept-language', 'en').expect(200);
    expect(page.text).toContain('Correct this segment');
    expect(page.text).toContain(`name="fix-1"`);

    // Without the CSRF token: refused, nothing written.
    await agent
      .post(`/desk/reviews/${task._id}`)
      .type('form')
      .send({ decision: 'correct', baseRevision: task.revision, 'fix-1': FIXED })
      .expect(403);
    // Another reviewer changed the task meanwhile: the page comes back with everything typed.
    const other = await buildUser(['reviewer'], ['ru:en']);
    await request(rt.app)
      .post(`/api/v1/tasks/${task._id}/corrections`)
      .set(other.auth)
      .send({ baseRevision: task.revision, segments: [{ i: 0, target: 'Committee session' }] })
      .expect(200);
    const stale = await agent
      .post(`/desk/reviews/${task._id}`)
      .set('accept-language', 'en')
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        decision: 'reject',
        baseRevision: task.revision,
        'fix-1': FIXED,
        'comment-0': 'Why “session”?',
        note: 'Nearly there',
      })
      .expect(409);
    expect(stale.text).toContain('The task changed meanwhile');
    expect(stale.text).toContain(`${FIXED}</textarea>`);
    expect(stale.text).toContain('Why “session”?</textarea>');
    expect(stale.text).toContain('Nearly there</textarea>');
    expect(stale.text).toMatch(/<details class="correct" open>/);
    expect((await stored(task._id)).segments[1].target).toBe(TRANSLATED);
    expect((await stored(task._id)).state).toBe('in_review');

    // Sent again from the page it came back as: saved, still in review, shown as a correction.
    const current = await stored(task._id);
    await agent
      .post(`/desk/reviews/${task._id}`)
      .type('form')
      .send({
        _csrf: csrfFrom(stale.text),
        decision: 'correct',
        baseRevision: current.revision,
        'fix-1': FIXED,
      })
      .expect(303);
    const after = await stored(task._id);
    expect(after).toMatchObject({ state: 'in_review', revision: current.revision + 1 });
    expect(after.segments[1]).toMatchObject({ target: FIXED, origin: 'reviewer' });
    expect(after.segments[1].correction!.by).toBe(reviewer.email);
    const review = await agent.get(`/desk/reviews/${task._id}`).set('accept-language', 'en').expect(200);
    const shown = review.text.slice(review.text.indexOf('class="correction"'));
    expect(shown).toContain(`Corrected by ${reviewer.email}`);
    expect(shown).toMatch(/<del>[^<]*be held[^<]*<\/del>/);
    expect(shown).toMatch(/<ins>[^<]*take place[^<]*<\/ins>/);
    const history = await agent.get(`/desk/tasks/${task._id}`).set('accept-language', 'en').expect(200);
    expect(history.text).toContain('Corrected segment 2');
    expect(history.text).toContain('Corrected segment 1');
  });
});

describe('the translator answers the reviewer per segment', () => {
  it('sees the note and every comment, replies on a segment, and the reviewer reads the thread on the next review', async () => {
    const translator = await deskUser({ roles: ['translator'], pairs: ['ru:en'] });
    const tActor: Actor = { id: translator.email, name: 'T', roles: ['translator'], pairs: ['ru:en'] };
    const task = await taskInReview(tActor);
    const reviewer = await deskUser({ roles: ['reviewer'], pairs: ['ru:en'] });
    const rAgent = await signIn(rt.app, reviewer.email, reviewer.password);
    const page = await rAgent.get(`/desk/reviews/${task._id}`).expect(200);
    await rAgent
      .post(`/desk/reviews/${task._id}`)
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        decision: 'reject',
        baseRevision: task.revision,
        'comment-1': '“Be held” reads stiffly here.',
        note: 'One wording question.',
      })
      .expect(303);
    const back = await stored(task._id);
    expect(back.state).toBe('in_progress');
    expect(back.segments[1].thread).toMatchObject([
      { kind: 'comment', by: reviewer.email, text: '“Be held” reads stiffly here.' },
    ]);

    // The translator's page: the note, a link to the commented segment, the comment and a reply box.
    const tAgent = await signIn(rt.app, translator.email, translator.password);
    const editor = await tAgent.get(`/desk/tasks/${task._id}`).set('accept-language', 'en').expect(200);
    expect(editor.text).toContain('One wording question.');
    expect(editor.text).toContain('<a href="#segment-1">2</a>');
    expect(editor.text).toContain('“Be held” reads stiffly here.');
    expect(editor.text).toContain('name="reply-1"');
    expect(editor.text).not.toContain('name="reply-0"');

    // A reply where nobody commented is refused; the reply is saved like any text, then sent on submit.
    const token = csrfFrom(editor.text);
    const save = (segments: unknown[]) =>
      tAgent
        .put(`/api/v1/tasks/${task._id}/segments`)
        .set('x-csrf-token', token)
        .send({ baseRevision: back.revision, segments });
    const nowhere = await save([{ i: 0, target: 'Committee meeting', reply: 'Hello' }]).expect(400);
    expect(nowhere.body.error.code).toBe('nothing_to_reply');
    const saved = await save([
      { i: 1, target: FIXED, confirmed: true, reply: 'Agreed, “take place” it is.' },
    ]).expect(200);
    expect(saved.body.task.segments[1]).toMatchObject({ reply: 'Agreed, “take place” it is.', thread: [{}] });
    const resumed = await tAgent.get(`/desk/tasks/${task._id}`).expect(200);
    expect(resumed.text).toContain('Agreed, “take place” it is.</textarea>');

    await tAgent.post(`/api/v1/tasks/${task._id}/submit`).set('x-csrf-token', token).expect(202);
    const submitted = await stored(task._id);
    expect(submitted.segments[1].reply).toBeUndefined();
    expect(submitted.segments[1].thread).toMatchObject([
      { kind: 'comment', by: reviewer.email },
      { kind: 'reply', by: translator.email, text: 'Agreed, “take place” it is.' },
    ]);
    expect(submitted.history.at(-1)).toMatchObject({ to: 'submitted', replied: [1] });
    expect(await runTaskQa(rt.ctx, task._id, submitted.revision)).toBe('in_review');

    // The reviewer's next look: the whole exchange beside the segment, and the history says so.
    const next = await rAgent.get(`/desk/reviews/${task._id}`).set('accept-language', 'en').expect(200);
    const thread = next.text.slice(next.text.indexOf('class="segment-thread"'));
    expect(thread).toContain(`Reviewer ${reviewer.email}:`);
    expect(thread).toContain('“Be held” reads stiffly here.');
    expect(thread).toContain(`Translator ${translator.email}:`);
    expect(thread).toContain('Agreed, “take place” it is.');
    const history = await tAgent.get(`/desk/tasks/${task._id}`).set('accept-language', 'en').expect(200);
    expect(history.text).toContain('Replied on segment 2');
  });
});
