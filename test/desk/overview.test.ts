import type { Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createStory } from '../../src/commands/create-story.js';
import { editRelease } from '../../src/commands/edit-release.js';
import { JOBS, startWorkers } from '../../src/jobs/registry.js';
import { Task } from '../../src/models/translation-task.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import { buildUser, eventually } from '../workflow/support.js';
import { deskUser, signIn } from './desk-helpers.js';

vi.setConfig({ testTimeout: 300_000 });
let rt: TestRuntime;
let workers: Worker[];
beforeAll(async () => {
  rt = await startTestRuntime({ NEWSROOM_LANGUAGES: 'ru,en,hy' });
  workers = startWorkers(rt.ctx, JOBS, 2);
});
afterAll(async () => {
  await Promise.all((workers ?? []).map((w) => w.close()));
  await rt?.close();
});

describe('the editors overview and story list', () => {
  it('counts coverage per language with links behind every number, and filters and pages the story list', async () => {
    const editor = await buildUser(['editor'], [], ['ru', 'en', 'hy']);
    const ids: string[] = [];
    for (const title of ['Первый материал', 'Второй материал', 'Третий материал']) {
      const { storyId } = await createStory(rt.ctx, editor.actor, {
        title,
        body: '<p>Текст.</p>',
        publish: true,
      });
      ids.push(storyId);
    }
    await createStory(rt.ctx, editor.actor, { title: 'Черновик', body: '<p>Текст.</p>' });
    // One English version published by the editor; tasks open for the rest (fan-out).
    await editRelease(rt.ctx, editor.actor, ids[0], 'en', {
      baseRevision: 0,
      title: 'First story',
      body: '<p>Text.</p>',
      status: 'published',
    });
    await eventually(async () => (await Task.countDocuments({ to: 'hy' })) >= 3, 90_000);
    // An overdue task.
    await Task.updateOne({ story: ids[1], to: 'hy' }, { $set: { dueAt: new Date(Date.now() - 86_400_000) } });

    const user = await deskUser({ roles: ['editor'] }, ['ru', 'en', 'hy']);
    const agent = await signIn(rt.app, user.email, user.password);
    const overview = await agent.get('/desk/overview').set('Accept-Language', 'en').expect(200);
    expect(overview.text).toContain('<svg');
    expect(overview.text).toContain('class="cov-published"');
    // English: 1 published, 2 in translation (open tasks); Armenian: 3 in translation.
    expect(overview.text).toMatch(
      /<th scope="row">English<\/th><td><a href="\/desk\/stories\?coverage&#x3D;en:published">1<\/a><\/td><td><a [^>]*>0<\/a><\/td><td><a [^>]*>2<\/a><\/td>/,
    );
    expect(overview.text).toMatch(
      /<th scope="row">Armenian<\/th><td><a [^>]*>0<\/a><\/td><td><a [^>]*>0<\/a><\/td><td><a href="\/desk\/stories\?coverage&#x3D;hy:in_translation">3<\/a>/,
    );
    expect(overview.text).toContain('Overdue tasks');
    expect(overview.text).toContain(`/desk/stories/${ids[1]}`);

    const translating = await agent
      .get('/desk/stories?coverage=en:in_translation')
      .set('Accept-Language', 'en')
      .expect(200);
    expect(translating.text).toContain('2 stories');
    expect(translating.text).not.toContain(`/desk/stories/${ids[0]}"`);
    const search = await agent.get('/desk/stories?q=втор').set('Accept-Language', 'en').expect(200);
    expect(search.text).toContain(`/desk/stories/${ids[1]}"`);
    expect(search.text).toContain('1 story');
    const drafts = await agent.get('/desk/stories?status=draft').set('Accept-Language', 'en').expect(200);
    expect(drafts.text).toContain('Черновик');
    expect(drafts.text).not.toContain('Первый материал');

    // Cursor paging: two per page, every story once.
    const seen: string[] = [];
    let url: string | undefined = '/desk/stories?limit=2';
    while (url) {
      const page: { text: string } = await agent.get(url.replace(/&amp;/g, '&')).expect(200);
      seen.push(...[...page.text.matchAll(/href="\/desk\/stories\/([0-9a-f]{24})"/g)].map((m) => m[1]));
      url = /<a href="([^"]+)" rel="next">/.exec(page.text)?.[1]?.replace(/&#x3D;/g, '=');
    }
    expect(seen).toHaveLength(4);
    expect(new Set(seen).size).toBe(4);

    const translator = await deskUser({ roles: ['translator'], pairs: ['ru:en'] }, ['ru', 'en', 'hy']);
    const tAgent = await signIn(rt.app, translator.email, translator.password);
    await tAgent.get('/desk/overview').expect(403);
    await tAgent.get('/desk/stories').expect(403);
  });
});
