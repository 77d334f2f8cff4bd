import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { claimTask } from '../../src/commands/claim-task.js';
import { createStory } from '../../src/commands/create-story.js';
import { editRelease } from '../../src/commands/edit-release.js';
import { reviewTask } from '../../src/commands/review-task.js';
import { saveTaskSegments } from '../../src/commands/save-task-segments.js';
import { submitTask } from '../../src/commands/submit-task.js';
import { Release } from '../../src/models/release.js';
import { OutboxEvent } from '../../src/models/outbox-event.js';
import { writeRelease } from '../../src/commands/write-release.js';
import { ReleaseRevision } from '../../src/models/release-revision.js';
import { TaskPointer, approvedPointerId, openPointerId } from '../../src/models/task-pointer.js';
import { AuditEntry } from '../../src/models/audit-entry.js';
import { toZonedLocal } from '../../src/lib/zoned-time.js';
import { findTask } from '../../src/workflow/task-store.js';
import { startRuntimeWithWorkers, type TestRuntime } from '../support/test-runtime.js';
import { buildUser, eventually as eventuallyWithin } from '../workflow/support.js';

/** Jobs run through the outbox and BullMQ on a shared, busy machine: wait generously. */
const eventually = <T>(fn: () => Promise<T>, ms = 90_000) => eventuallyWithin(fn, ms);
import { csrfFrom, deskUser, signIn } from './desk-helpers.js';

// Real jobs through the outbox and BullMQ on a shared machine: allow them time.
vi.setConfig({ testTimeout: 300_000 });

let rt: TestRuntime;
let stop: (() => Promise<void>) | undefined;
beforeAll(async () => {
  ({ rt, stop } = await startRuntimeWithWorkers());
});
afterAll(() => stop?.());

const TZ = 'Europe/Moscow';
const status = async (id: string) => (await Release.findById(id).lean())?.status;

async function editorAgent() {
  const editor = await deskUser({ roles: ['editor'] });
  const agent = await signIn(rt.app, editor.email, editor.password);
  return agent;
}

/** A story with a published Russian original (through the API, as the desk would). */
async function publishedStory(editor: Awaited<ReturnType<typeof buildUser>>, title = 'Заявление') {
  const { storyId } = await createStory(rt.ctx, editor.actor, {
    title,
    lead: 'Коротко.',
    body: '<p>Текст заявления.</p>',
    publish: true,
    targets: ['en', 'hy'],
  });
  return storyId;
}

describe('publish policy: a translation never goes live before its original', () => {
  it('refuses a forged desk form publishing the Armenian version while the original is scheduled', async () => {
    const editor = await buildUser(['editor']);
    const { storyId } = await createStory(rt.ctx, editor.actor, {
      title: 'Будущий материал',
      body: '<p>Текст.</p>',
    });
    await request(rt.app)
      .put(`/api/v1/stories/${storyId}/ru/schedule`)
      .set(editor.auth)
      .send({ baseRevision: 1, at: new Date(Date.now() + 3_600_000).toISOString() })
      .expect(200);

    const agent = await editorAgent();
    const page = await agent.get(`/desk/stories/${storyId}?lang=hy`).set('Accept-Language', 'en').expect(200);
    const forged = await agent
      .post(`/desk/stories/${storyId}/hy`)
      .set('Accept-Language', 'en')
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        baseRevision: '0',
        title: 'Հայտարարություն',
        body: '<p>Տեքստ</p>',
        status: 'published',
      })
      .expect(409);
    expect(forged.text).toContain('A translation can only be published when the original is published');
    expect(await status(`${storyId}.hy`)).toBeUndefined();

    const api = await request(rt.app)
      .patch(`/api/v1/stories/${storyId}/hy`)
      .set(editor.auth)
      .send({ baseRevision: 0, title: 'Հայտարարություն', body: '<p>Տեքստ</p>', status: 'published' })
      .expect(409);
    expect(api.body.error.code).toBe('original_not_published');
    expect(await status(`${storyId}.hy`)).toBeUndefined();

    // A draft translation may be written; scheduling it before the original goes out is
    // allowed, but at its time it waits for the original instead of going live.
    await editRelease(rt.ctx, editor.actor, storyId, 'hy', {
      baseRevision: 0,
      title: 'Հայտարարություն',
      body: '<p>Տեքստ</p>',
      status: 'draft',
    });
    const soon = new Date(Date.now() + 300);
    await request(rt.app)
      .put(`/api/v1/stories/${storyId}/hy/schedule`)
      .set(editor.auth)
      .send({ baseRevision: 1, at: soon.toISOString() })
      .expect(200);
    await eventually(async () => {
      const hy = await Release.findById(`${storyId}.hy`).lean();
      return hy?.status === 'scheduled' && !hy.scheduledAt;
    });
    expect(await status(`${storyId}.hy`)).toBe('scheduled');

    // When the original is published, the waiting translation goes out with it.
    const ru = await Release.findById(`${storyId}.ru`).lean();
    await request(rt.app)
      .put(`/api/v1/stories/${storyId}/ru/schedule`)
      .set(editor.auth)
      .send({ baseRevision: ru!.revision, at: new Date(Date.now() + 200).toISOString() })
      .expect(200);
    await eventually(async () => (await status(`${storyId}.hy`)) === 'published');
    const [ruAfter, hyAfter] = await Promise.all([
      Release.findById(`${storyId}.ru`).lean(),
      Release.findById(`${storyId}.hy`).lean(),
    ]);
    expect(ruAfter!.status).toBe('published');
    expect(hyAfter!.publishedAt!.getTime()).toBe(ruAfter!.publishedAt!.getTime());
  });

  it('an approval while the original is unpublished waits, then goes out with the original', async () => {
    const editor = await buildUser(['editor']);
    const translator = await buildUser(['translator'], ['ru:en']);
    const reviewer = await buildUser(['reviewer'], ['ru:en']);
    const storyId = await publishedStory(editor);
    await eventually(async () => {
      const ptr = await TaskPointer.findById(openPointerId(storyId, 'en')).lean();
      return ptr ? (await findTask(ptr.task))?.state === 'open' : false;
    });
    // Other tests' stories have English tasks in the same pair: claim until this story's comes up.
    let task = (await claimTask(rt.ctx, translator.actor, 'ru:en'))!;
    while (task.story !== storyId) task = (await claimTask(rt.ctx, translator.actor, 'ru:en'))!;
    await saveTaskSegments(rt.ctx, translator.actor, task._id, {
      baseRevision: task.revision,
      segments: task.segments.map((s) => ({ i: s.i, target: `EN ${s.source}`, confirmed: true })),
    });
    await submitTask(rt.ctx, translator.actor, task._id);
    await eventually(async () => (await findTask(task._id))?.state === 'in_review');

    // The editor takes the original back to draft before the review ends.
    const ru = await Release.findById(`${storyId}.ru`).lean();
    await editRelease(rt.ctx, editor.actor, storyId, 'ru', { baseRevision: ru!.revision, status: 'draft' });
    await reviewTask(rt.ctx, reviewer.actor, task._id, { decision: 'approve' });
    await eventually(() => TaskPointer.findById(approvedPointerId(storyId, 'en')).lean());
    expect(await status(`${storyId}.en`)).toBe('scheduled');
    const en = await request(rt.app).get(`/en/stories/${storyId}`);
    expect(en.status).toBe(404);

    const ru2 = await Release.findById(`${storyId}.ru`).lean();
    await editRelease(rt.ctx, editor.actor, storyId, 'ru', {
      baseRevision: ru2!.revision,
      status: 'published',
    });
    await eventually(async () => (await status(`${storyId}.en`)) === 'published');
  });
});

describe('publish policy: the reaction that sees both writes releases a waiting translation', () => {
  it('a translation that starts waiting just after its original went out is released by its own event', async () => {
    const editor = await buildUser(['editor']);
    const storyId = await publishedStory(editor, 'Сообщение');
    // The original's own reaction has run and found nothing waiting.
    await eventually(
      async () =>
        (await OutboxEvent.countDocuments({ _id: new RegExp(`^release\\.changed:${storyId}\\.ru:`) })) === 0,
    );
    const ru = await Release.findById(`${storyId}.ru`).lean();
    expect(ru!.status).toBe('published');
    // An approval that found the original unpublished a moment before writes its translation
    // as waiting (scheduled, no time): only the translation's own event sees both writes.
    await writeRelease(
      {
        storyId,
        lang: 'hy',
        title: 'Հաղորդագրություն',
        body: '<p>Տեքստ</p>',
        section: ru!.section,
        tags: [],
        status: 'scheduled',
        translatedFrom: 'ru',
        sourceRevision: ru!.revision,
      },
      rt.ctx,
    );
    await eventually(async () => (await status(`${storyId}.hy`)) === 'published');
    const hy = await Release.findById(`${storyId}.hy`).lean();
    expect(hy!.publishedAt!.getTime()).toBe(ru!.publishedAt!.getTime());
  });
});

/**
 * Posts the desk's edit form of the Russian version (token from `pageText`): `fields`, then
 * what each call changes.
 */
const russianForm =
  (agent: Awaited<ReturnType<typeof editorAgent>>, storyId: string, pageText: string, fields: object) =>
  (over: Record<string, string>) =>
    agent
      .post(`/desk/stories/${storyId}/ru`)
      .set('Accept-Language', 'en')
      .type('form')
      .send({ _csrf: csrfFrom(pageText), ...fields, ...over });

describe('scheduling from the desk', () => {
  it('will not save "scheduled" without a time, asks before a past time, shows the zone', async () => {
    const editor = await buildUser(['editor']);
    const { storyId } = await createStory(rt.ctx, editor.actor, { title: 'План', body: '<p>Текст.</p>' });
    const agent = await editorAgent();
    const page = await agent.get(`/desk/stories/${storyId}`).set('Accept-Language', 'en').expect(200);
    expect(page.text).toContain(`time zone, ${TZ}`);
    const post = russianForm(agent, storyId, page.text, {
      baseRevision: '1',
      title: 'План',
      body: '<p>Текст.</p>',
    });

    const noTime = await post({ status: 'scheduled' }).expect(400);
    expect(noTime.text).toContain('Choose the time at which it goes live');
    expect(await status(`${storyId}.ru`)).toBe('draft');

    const past = await post({ status: 'scheduled', publishAt: '2020-01-01T10:00' }).expect(422);
    expect(past.text).toContain('That time is in the past');
    expect(past.text).toContain('name="confirmPast"');
    expect(await status(`${storyId}.ru`)).toBe('draft');

    // A future time is read on the newsroom's clock (Moscow, UTC+3).
    const at = new Date(Date.now() + 2 * 86_400_000);
    at.setUTCSeconds(0, 0);
    await post({ status: 'scheduled', publishAt: toZonedLocal(at, TZ) }).expect(303);
    const ru = await Release.findById(`${storyId}.ru`).lean();
    expect(ru).toMatchObject({ status: 'scheduled' });
    expect(ru!.scheduledAt!.toISOString()).toBe(at.toISOString());
    const shown = await agent.get(`/desk/stories/${storyId}`).set('Accept-Language', 'en').expect(200);
    expect(shown.text).toContain(`(${TZ})`);
    expect(shown.text).toContain('Reschedule');

    // Cancel puts it back to draft; a confirmed past time publishes at once.
    await agent
      .post(`/desk/stories/${storyId}/ru/schedule`)
      .type('form')
      .send({ _csrf: csrfFrom(shown.text), baseRevision: String(ru!.revision), action: 'cancel' })
      .expect(303);
    expect(await status(`${storyId}.ru`)).toBe('draft');
    await post({
      baseRevision: String(ru!.revision + 1),
      status: 'scheduled',
      publishAt: '2020-01-01T10:00',
      confirmPast: 'on',
    }).expect(303);
    await eventually(async () => (await status(`${storyId}.ru`)) === 'published');
  });
});

describe('corrections and updates', () => {
  it('asks which it is; readers and feeds see a correction with its note; history records it', async () => {
    const editor = await buildUser(['editor']);
    const storyId = await publishedStory(editor, 'Итоги встречи');
    const ru = await Release.findById(`${storyId}.ru`).lean();
    const agent = await editorAgent();
    const page = await agent.get(`/desk/stories/${storyId}`).set('Accept-Language', 'en').expect(200);
    expect(page.text).toContain('name="change" value="correction"');
    const post = russianForm(agent, storyId, page.text, {
      baseRevision: String(ru!.revision),
      title: 'Итоги встречи',
      lead: 'Коротко.',
      body: '<p>Текст заявления, исправленный.</p>',
      status: 'published',
    });
    const unasked = await post({}).expect(422);
    expect(unasked.text).toContain('choose whether the change is a correction');
    await post({ change: 'correction' }).expect(422);
    await post({ change: 'correction', changeNote: 'Дата встречи была указана неверно' }).expect(303);

    const after = await Release.findById(`${storyId}.ru`).lean();
    expect(after!.correctedAt).toBeTruthy();
    const rev = await ReleaseRevision.findById(`${storyId}.ru:${after!.revision}`).lean();
    expect(rev).toMatchObject({ change: 'correction' });
    expect(rev!.note).toContain('Дата встречи была указана неверно');

    const article = await eventually(async () => {
      const r = await request(rt.app).get(`/ru/news/${after!.slug}`);
      return r.text.includes('Дата встречи') ? r : undefined;
    });
    expect(article.text).toMatch(/Исправлено [^<]+: Дата встречи была указана неверно/);
    const rss = await eventually(async () => {
      const r = await request(rt.app).get('/ru/rss.xml').expect(200);
      return r.text.includes('Исправлено') ? r : undefined;
    });
    expect(rss.text).toContain('Дата встречи была указана неверно');

    // A silent update changes the text and shows nothing new.
    await post({
      baseRevision: String(after!.revision),
      body: '<p>Текст заявления, исправленный, с запятой.</p>',
      change: 'silent',
    }).expect(303);
    const silent = await Release.findById(`${storyId}.ru`).lean();
    expect(silent!.changeNotes).toHaveLength(1);
    expect(silent!.updateNotedAt).toBeUndefined();
  });
});

/** A published English version of the story, written by the editor. */
const publishEnglish = (
  editor: Awaited<ReturnType<typeof buildUser>>,
  storyId: string,
  title: string,
  body: string,
) => editRelease(rt.ctx, editor.actor, storyId, 'en', { baseRevision: 0, title, body, status: 'published' });

/** `POST /api/v1/stories/:id/withdraw` as `user`. */
const withdrawByApi = (user: Awaited<ReturnType<typeof buildUser>>, storyId: string, body: object) =>
  request(rt.app).post(`/api/v1/stories/${storyId}/withdraw`).set(user.auth).send(body);

/** The reader's answer at `path` once it has the status (the outbox applies changes shortly). */
const pageOnceStatus = (path: string, wanted: number) =>
  eventually(async () => {
    const r = await request(rt.app).get(path);
    return r.status === wanted ? r : undefined;
  });

describe('withdrawal', () => {
  it('a withdrawn version answers 410 and leaves feeds and sitemaps; or 301 to the chosen version', async () => {
    const editor = await buildUser(['editor']);
    const storyId = await publishedStory(editor, 'Отзываемый материал');
    await publishEnglish(editor, storyId, 'A story to withdraw', '<p>English text.</p>');
    const en = await Release.findById(`${storyId}.en`).lean();
    await eventually(async () =>
      (await request(rt.app).get('/en/rss.xml')).text.includes('A story to withdraw'),
    );

    const agent = await editorAgent();
    const page = await agent.get(`/desk/stories/${storyId}`).set('Accept-Language', 'en').expect(200);
    await agent
      .post(`/desk/stories/${storyId}/withdraw`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), lang: 'en', note: 'Published by mistake' })
      .expect(303);
    expect(await status(`${storyId}.en`)).toBe('withdrawn');

    const gone = await pageOnceStatus(`/en/news/${en!.slug}`, 410);
    expect(gone.text).toContain('This article has been withdrawn');
    expect(gone.text).toContain('Published by mistake');
    expect(gone.text).not.toContain('English text.');
    expect((await request(rt.app).get('/en/rss.xml')).text).not.toContain('A story to withdraw');
    const sitemap = await request(rt.app).get('/sitemaps/en/1.xml');
    expect(sitemap.text).not.toContain(en!.slug);
    expect((await request(rt.app).get(`/en/stories/${storyId}`)).status).toBe(410);
    const audit = await AuditEntry.findOne({ action: 'release.withdraw', target: `${storyId}.en` }).lean();
    expect(audit).toBeTruthy();

    // Publishing again restores it; withdrawing with a redirect answers 301 to the original.
    const enW = await Release.findById(`${storyId}.en`).lean();
    await editRelease(rt.ctx, editor.actor, storyId, 'en', {
      baseRevision: enW!.revision,
      status: 'published',
    });
    await pageOnceStatus(`/en/news/${en!.slug}`, 200);
    await withdrawByApi(editor, storyId, { lang: 'en', redirectTo: 'ru' }).expect(200);
    const moved = await pageOnceStatus(`/en/news/${en!.slug}`, 301);
    const ru = await Release.findById(`${storyId}.ru`).lean();
    expect(moved.headers.location).toBe(`/ru/news/${ru!.slug}`);
  });

  it("withdrawing the original asks about its translations and never shows another language's text", async () => {
    const editor = await buildUser(['editor']);
    const storyId = await publishedStory(editor, 'Оригинал для отзыва');
    await publishEnglish(editor, storyId, 'Kept translation', '<p>English body kept.</p>');
    const ru = await Release.findById(`${storyId}.ru`).lean();
    const asked = await withdrawByApi(editor, storyId, { lang: 'ru' }).expect(400);
    expect(asked.body.error.code).toBe('translations_choice_required');
    expect(await status(`${storyId}.ru`)).toBe('published');

    await withdrawByApi(editor, storyId, { lang: 'ru', translations: 'keep' }).expect(200);
    const ruPage = await pageOnceStatus(`/ru/news/${ru!.slug}`, 410);
    expect(ruPage.text).not.toContain('English body kept.');
    expect(ruPage.text).toContain('Материал отозван');
    expect(ruPage.text).toContain('Kept translation'); // a link to the version still published
    expect((await request(rt.app).get(`/ru/stories/${storyId}`)).status).toBe(410);
    expect(await status(`${storyId}.en`)).toBe('published');

    // The whole story, every language.
    await withdrawByApi(editor, storyId, { lang: 'all' }).expect(200);
    expect(await status(`${storyId}.en`)).toBe('withdrawn');
  });

  it('only editors withdraw; a forged form without the CSRF token is refused', async () => {
    const editor = await buildUser(['editor']);
    const translator = await buildUser(['translator'], ['ru:en']);
    const storyId = await publishedStory(editor, 'Защищённый материал');
    await withdrawByApi(translator, storyId, { lang: 'ru', translations: 'withdraw' }).expect(403);
    const agent = await editorAgent();
    await agent
      .post(`/desk/stories/${storyId}/withdraw`)
      .type('form')
      .send({ lang: 'ru', translations: 'withdraw' })
      .expect(403);
    const t = await deskUser({ roles: ['translator'], pairs: ['ru:en'] });
    const tAgent = await signIn(rt.app, t.email, t.password);
    const tPage = await tAgent.get('/desk/').expect(200);
    const refused = await tAgent
      .post(`/desk/stories/${storyId}/withdraw`)
      .set('Accept-Language', 'en')
      .type('form')
      .send({ _csrf: csrfFrom(tPage.text), lang: 'ru', translations: 'withdraw' })
      .expect(403);
    expect(refused.text).toContain('class="desk-error"');
    expect(await status(`${storyId}.ru`)).toBe('published');
  });
});

describe('desk errors', () => {
  it('render in the desk layout and language with a way back; the queue board refuses editors there', async () => {
    const agent = await editorAgent();
    const missing = await agent.get('/desk/no-such-page').set('Accept-Language', 'ru').expect(404);
    expect(missing.text).toContain('class="desk-error"');
    expect(missing.text).toContain('Такой страницы в редакции нет');
    expect(missing.text).toContain('href="/desk/"');
    const story = await agent.get('/desk/stories/ffffffffffffffffffffffff').set('Accept-Language', 'en');
    expect(story.status).toBe(404);
    expect(story.text).toContain('class="desk-error"');
    const board = await agent.get('/desk/queues').set('Accept-Language', 'en').expect(403);
    expect(board.text).toContain('class="desk-error"');
    expect(board.text).toContain('Back to the dashboard');
    expect(board.text).not.toContain('Bad request');
    const anonymous = await request(rt.app).get('/desk/queues').set('Accept-Language', 'en').expect(401);
    expect(anonymous.text).toContain('/desk/login?next');
  });
});
