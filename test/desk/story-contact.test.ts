import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Release, type ReleaseDoc } from '../../src/models/release.js';
import { Story, type StoryDoc } from '../../src/models/story.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import { csrfFrom, deskUser, signIn } from './desk-helpers.js';

let rt: TestRuntime;
beforeAll(async () => {
  rt = await startTestRuntime();
});
afterAll(async () => {
  await rt?.close();
});

describe('the press contact in the desk', () => {
  it('is given with a new story, printed under it, and changed on the story page', async () => {
    const editor = await deskUser({ roles: ['editor'] });
    const agent = await signIn(rt.app, editor.email, editor.password);
    const form = await agent.get('/desk/stories/new').set('Accept-Language', 'en').expect(200);
    expect(form.text).toContain('name="contactPhone"');

    const bad = await agent
      .post('/desk/stories')
      .set('Accept-Language', 'en')
      .type('form')
      .send({
        _csrf: csrfFrom(form.text),
        title: 'Заголовок',
        body: '<p>Текст</p>',
        contactPhone: 'позвоните',
      })
      .expect(400);
    expect(bad.text).toContain('contact.phone');
    expect(bad.text).toContain('value="позвоните"');
    expect(await Story.countDocuments()).toBe(0);

    const created = await agent
      .post('/desk/stories')
      .type('form')
      .send({
        _csrf: csrfFrom(form.text),
        title: 'Заседание в Минске',
        body: '<p>Текст</p>',
        publish: 'on',
        contactName: 'Владимир Зайнетдинов',
        contactRole: 'Пресс-секретарь',
        contactPhone: '+7 495 606-97-71',
        contactEmail: 'odkb-pressa@gov.ru',
      })
      .expect(303);
    const storyId = /\/desk\/stories\/([0-9a-f]+)$/.exec(created.headers.location)![1];
    const ru = (await Release.findById(`${storyId}.ru`).lean<ReleaseDoc>())!;
    const article = `/ru/news/${ru.slug}`;
    const html = (await request(rt.app).get(article).expect(200)).text;
    expect(html).toContain('<span class="contact-name">Владимир Зайнетдинов</span>');
    expect(html).toContain('<a href="tel:+74956069771" class="contact-phone">+7 495 606-97-71</a>');

    const page = await agent.get(`/desk/stories/${storyId}`).set('Accept-Language', 'en').expect(200);
    expect(page.text).toContain('value="odkb-pressa@gov.ru"');
    const refused = await agent
      .post(`/desk/stories/${storyId}/contact`)
      .set('Accept-Language', 'en')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), contactName: 'Пресс-служба', contactEmail: 'not an address' })
      .expect(400);
    expect(refused.text).toContain('value="not an address"');
    expect((await Story.findById(storyId).lean<StoryDoc>())!.contact?.name).toBe('Владимир Зайнетдинов');

    await agent
      .post(`/desk/stories/${storyId}/contact`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), contactName: 'Пресс-служба', contactEmail: 'press@example.org' })
      .expect(303);
    const after = (await request(rt.app).get(article).expect(200)).text;
    expect(after).toContain('<span class="contact-name">Пресс-служба</span>');
    expect(after).not.toContain('contact-phone');
    await rt.relay.drain();
  });

  it('is for editors only, with a CSRF token', async () => {
    const translator = await deskUser({ roles: ['translator'], pairs: ['ru:en'] });
    const agent = await signIn(rt.app, translator.email, translator.password);
    await agent.post('/desk/stories/x/contact').type('form').send({ contactName: 'X' }).expect(403);
  });
});
