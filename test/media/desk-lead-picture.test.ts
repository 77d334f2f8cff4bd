import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeRelease } from '../../src/commands/write-release.js';
import { newStoryId } from '../../src/models/ids.js';
import { Release } from '../../src/models/release.js';
import { Story } from '../../src/models/story.js';
import { deskUser, signIn, tokenOf } from '../desk/desk-helpers.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import { cameraJpeg, svgWithScript } from './pictures.js';

let rt: TestRuntime;
let editor: Awaited<ReturnType<typeof signIn>>;

beforeAll(async () => {
  rt = await startTestRuntime();
  const e = await deskUser({ roles: ['editor'] });
  editor = await signIn(rt.app, e.email, e.password);
});
afterAll(() => rt?.close());

async function story() {
  const storyId = newStoryId();
  await Story.create({ _id: storyId, externalId: `desk:${storyId}`, sourceLang: 'ru', section: 'news' });
  await writeRelease(
    {
      storyId,
      lang: 'ru',
      title: 'Саммит',
      body: '<p>Текст.</p>',
      status: 'published',
      section: 'news',
      tags: [],
    },
    rt.ctx,
  );
  return storyId;
}

describe('the lead picture panel of the desk story page', () => {
  it('shows the form, then the current picture with its alt text, and removes it', async () => {
    const storyId = await story();
    const page = `/desk/stories/${storyId}?lang=ru`;
    const before = await editor.get(page).expect(200);
    expect(before.text).toContain(`action="/desk/stories/${storyId}/ru/image" enctype="multipart/form-data"`);
    const set = await editor
      .post(`/desk/stories/${storyId}/ru/image`)
      .field('_csrf', await tokenOf(editor, page))
      .field('baseRevision', '1')
      .field('alt', 'Флаги у здания')
      .field('credit', 'Фото: пресс-служба')
      .attach('file', await cameraJpeg(900, 600), { filename: 'flags.jpg', contentType: 'image/jpeg' });
    expect(set.status).toBe(303);
    const after = await editor.get(page).expect(200);
    const media = (await Release.findById(`${storyId}.ru`).lean())!.image!.media;
    expect(after.text).toContain(`src="/media/${media}/600.jpg"`);
    expect(after.text).toContain('alt="Флаги у здания"');
    const removed = await editor
      .post(`/desk/stories/${storyId}/ru/image`)
      .field('_csrf', await tokenOf(editor, page))
      .field('baseRevision', '2')
      .field('action', 'remove');
    expect(removed.status).toBe(303);
    expect((await Release.findById(`${storyId}.ru`).lean())!.image).toBeUndefined();
  });

  it('a refused file is shown on the story page in the desk language, and changes nothing', async () => {
    const storyId = await story();
    const page = `/desk/stories/${storyId}?lang=ru`;
    const res = await editor
      .post(`/desk/stories/${storyId}/ru/image`)
      .field('_csrf', await tokenOf(editor, page))
      .field('baseRevision', '1')
      .field('alt', 'Логотип')
      .attach('file', svgWithScript, { filename: 'logo.svg', contentType: 'image/svg+xml' });
    expect(res.status).toBe(415);
    expect(res.text).toMatch(/SVG/);
    expect(res.text).toContain('id="image-heading"');
    expect((await Release.findById(`${storyId}.ru`).lean())!.revision).toBe(1);
  });
});
