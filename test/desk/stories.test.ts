import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Release } from '../../src/models/release.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import { csrfFrom, deskUser, signIn } from './desk-helpers.js';

let rt: TestRuntime;
beforeAll(async () => {
  rt = await startTestRuntime();
});
afterAll(async () => {
  await rt?.close();
});

describe('desk editor pages', () => {
  it('keeps translators out of the story pages', async () => {
    const translator = await deskUser({ roles: ['translator'], pairs: ['ru:en'] });
    const agent = await signIn(rt.app, translator.email, translator.password);
    await agent.get('/desk/stories').expect(403);
    await agent.get('/desk/stories/new').expect(403);
  });

  it('creates a draft, edits it, refuses a stale edit keeping the text, publishes and requests a translation', async () => {
    const editor = await deskUser({ roles: ['editor'] });
    const agent = await signIn(rt.app, editor.email, editor.password);
    const form = await agent.get('/desk/stories/new').set('Accept-Language', 'en').expect(200);
    expect(form.text).toContain('name="targets" value="en"');

    const invalid = await agent
      .post('/desk/stories')
      .type('form')
      .send({ _csrf: csrfFrom(form.text), title: '', body: '' })
      .expect(400);
    expect(invalid.text).toContain('flash-error');

    const created = await agent
      .post('/desk/stories')
      .type('form')
      .send({
        _csrf: csrfFrom(form.text),
        title: 'Пресс-релиз о заседании',
        lead: 'Коротко.',
        body: '<p>Текст<script>alert(1)</script></p>',
        tags: 'security, cis',
        targets: ['en', 'hy'],
      })
      .expect(303);
    const storyId = /\/desk\/stories\/([0-9a-f]+)$/.exec(created.headers.location)![1];
    let ru = await Release.findById(`${storyId}.ru`).lean();
    expect(ru).toMatchObject({ status: 'draft', revision: 1, title: 'Пресс-релиз о заседании' });
    expect(ru!.body).not.toContain('script');

    const page = await agent.get(`/desk/stories/${storyId}`).set('Accept-Language', 'en').expect(200);
    expect(page.text).toContain('Пресс-релиз о заседании');
    const edit = (over: Record<string, unknown>) =>
      agent
        .post(`/desk/stories/${storyId}/ru`)
        .set('Accept-Language', 'en')
        .type('form')
        .send({
          _csrf: csrfFrom(page.text),
          title: 'Пресс-релиз',
          lead: '',
          body: '<p>Текст.</p>',
          status: 'draft',
          ...over,
        });
    await edit({ baseRevision: 1 }).expect(303);
    ru = await Release.findById(`${storyId}.ru`).lean();
    expect(ru).toMatchObject({ revision: 2, title: 'Пресс-релиз' });

    const stale = await edit({ baseRevision: 1, title: 'Устаревшая правка' }).expect(409);
    expect(stale.text).toContain('Someone else changed this story meanwhile');
    expect(stale.text).toContain('value="Устаревшая правка"');
    expect((await Release.findById(`${storyId}.ru`).lean())!.title).toBe('Пресс-релиз');

    await edit({ baseRevision: 2, status: 'published' }).expect(303);
    expect((await Release.findById(`${storyId}.ru`).lean())!.status).toBe('published');

    const requested = await agent
      .post(`/desk/stories/${storyId}/translations`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), langs: 'en', priority: '7' })
      .expect(303);
    expect(requested.headers.location).toBe(`/desk/stories/${storyId}`);
    const after = await agent.get(`/desk/stories/${storyId}`).set('Accept-Language', 'en').expect(200);
    expect(after.text).toMatch(/href="\/desk\/tasks\/[^"]+\.en\.[^"]+">open</);

    const list = await agent.get('/desk/stories').expect(200);
    expect(list.text).toContain(`/desk/stories/${storyId}`);
  });

  it('rejects a translation request for the source language with a clear message', async () => {
    const editor = await deskUser({ roles: ['editor'] });
    const agent = await signIn(rt.app, editor.email, editor.password);
    const form = await agent.get('/desk/stories/new').expect(200);
    const created = await agent
      .post('/desk/stories')
      .type('form')
      .send({ _csrf: csrfFrom(form.text), title: 'Материал', body: '<p>Текст.</p>', publish: 'on' })
      .expect(303);
    const res = await agent
      .post(`${created.headers.location}/translations`)
      .type('form')
      .send({ _csrf: csrfFrom(form.text), langs: 'ru' })
      .expect(400);
    expect(res.text).toContain('source language');
  });
});
