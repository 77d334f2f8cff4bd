import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importStories } from '../../src/commands/import-stories.js';
import { parseImportFile, type Rejection } from '../../src/import/parse-import-file.js';
import { readImportFile } from '../../src/import/read-import-file.js';
import { storyIdForExternal } from '../../src/models/ids.js';
import { Release } from '../../src/models/release.js';
import { jobQueues } from '../../src/workflow/queues.js';
import { buildImportStory, writeImportFile } from '../support/factories.js';
import { startRuntimeWithWorkers, type TestRuntime } from '../support/test-runtime.js';
import { eventually } from '../workflow/support.js';

/**
 * Import "fixes seen": a publication time still to come is a scheduled release that the
 * scheduler publishes at that time (never at once), and a section without a label is refused
 * with the record's index and externalId (readers would see its bare key), while a section
 * made elsewhere without one reads as words.
 */
let rt: TestRuntime;
let stop: (() => Promise<void>) | undefined;
const LANGS = ['ru', 'en', 'hy', 'be', 'kk', 'ky', 'tg'];
beforeAll(async () => {
  ({ rt, stop } = await startRuntimeWithWorkers());
});
afterAll(() => stop?.());

const get = (path: string) => request(rt.app).get(path);

describe('import: a future publishedAt', () => {
  it('is a scheduled release, published by the scheduler at that time with its translation', async () => {
    const at = new Date(Date.now() + 3_000);
    const story = buildImportStory({ externalId: 'future-soon', publishedAt: at.toISOString() });
    const summary = await importStories(rt.ctx, [story]);
    expect(summary).toMatchObject({ created: 1, rejected: [] });
    const id = storyIdForExternal('future-soon');
    for (const lang of ['ru', 'en']) {
      const r = await Release.findById(`${id}.${lang}`).lean();
      expect(r, lang).toMatchObject({ status: 'scheduled' });
      expect(r!.scheduledAt?.getTime(), lang).toBe(at.getTime());
    }
    // Not out yet: no article, not in the listing or the feed.
    await get(`/ru/stories/${id}`).expect(404);
    expect((await get('/ru/rss.xml').expect(200)).text).not.toContain(id);

    for (const lang of ['ru', 'en']) {
      const published = await eventually(async () => {
        const r = await Release.findById(`${id}.${lang}`).lean();
        return r?.status === 'published' ? r : null;
      });
      expect(published.publishedAt?.getTime(), lang).toBe(at.getTime());
    }
    await eventually(async () => (await get('/en/rss.xml')).text.includes(`${id}.en`));
  });

  it('waits as a delayed job; a rerun of the file changes nothing; a past time publishes at once', async () => {
    const at = new Date(Date.now() + 24 * 3600_000);
    const later = buildImportStory({ externalId: 'future-tomorrow', publishedAt: at.toISOString() });
    const past = buildImportStory({ externalId: 'past-import', publishedAt: '2024-07-25T12:00:00Z' });
    await importStories(rt.ctx, [later, past]);
    const id = storyIdForExternal('future-tomorrow');
    const queue = jobQueues(rt.ctx).queue('schedule');
    const job = await eventually(async () => queue.getJob(`scheduled-${id}.ru-${at.getTime()}`));
    expect(await job.isDelayed()).toBe(true);
    expect(await importStories(rt.ctx, [later, past])).toMatchObject({ unchanged: 2 });
    expect((await Release.findById(`${id}.ru`).lean())?.status).toBe('scheduled');
    const old = await Release.findById(`${storyIdForExternal('past-import')}.ru`).lean();
    expect(old).toMatchObject({ status: 'published' });
    expect(old!.publishedAt?.toISOString()).toBe('2024-07-25T12:00:00.000Z');
  });

  it('does not take an already published story off the site again', async () => {
    const story = buildImportStory({ externalId: 'moved-later' });
    await importStories(rt.ctx, [story]);
    const moved = { ...story, publishedAt: new Date(Date.now() + 3600_000).toISOString() };
    moved.versions = { ...story.versions, ru: { ...story.versions.ru, lead: 'Новый лид.' } };
    expect(await importStories(rt.ctx, [moved])).toMatchObject({ updated: 1, rejected: [] });
    const r = await Release.findById(`${storyIdForExternal('moved-later')}.ru`).lean();
    expect(r).toMatchObject({ status: 'published', lead: 'Новый лид.' });
    expect(r!.publishedAt?.getTime()).toBe(Date.parse(story.publishedAt!));
  });
});

describe('import: sections', () => {
  it('a section without a label is refused, naming the record index and externalId', async () => {
    const stories = [
      buildImportStory({ externalId: 'labelled', section: 'statements' }),
      buildImportStory({ externalId: 'unlabelled', section: 'press-digest' }),
    ];
    const parsed = parseImportFile(JSON.stringify({ stories }), LANGS);
    expect(parsed.stories.map((s) => s.externalId)).toEqual(['labelled']);
    expect(parsed.rejected).toEqual([
      {
        index: 1,
        externalId: 'unlabelled',
        reason: expect.stringMatching(
          /^section 'press-digest' has no label in ru, en, hy, be, kk, ky, tg: .*one of: events, interviews, news, secretary-general, statements$/,
        ),
      },
    ]);
    // The streaming reader the CLI uses says the same.
    const file = writeImportFile(stories);
    const rejected: Rejection[] = [];
    const read = [];
    for await (const item of readImportFile(file, LANGS, rejected)) read.push(item.story.externalId);
    expect(read).toEqual(['labelled']);
    expect(rejected).toEqual(parsed.rejected);
  });

  it('a section made elsewhere without a label reads as words, not as its key', async () => {
    const story = buildImportStory({ externalId: 'api-section', section: 'press-digest' });
    await importStories(rt.ctx, [story]); // as the API or the desk would store it
    const en = await Release.findById(`${storyIdForExternal('api-section')}.en`).lean();
    const html = (await get(`/en/news/${en!.slug}`).expect(200)).text;
    expect(html).toContain('>Press digest</a>');
    expect(html).not.toContain('>press-digest<');
    const rss = (await get('/en/sections/press-digest/rss.xml').expect(200)).text;
    expect(rss).toContain('<title>');
    expect(rss).toContain('Press digest');
  });
});
