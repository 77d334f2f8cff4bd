import mongoose from 'mongoose';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importStory, updateRelease } from '../reader/reader-fixtures.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';

let rt: TestRuntime;
beforeAll(async () => {
  rt = await startTestRuntime();
});
afterAll(async () => {
  mongoose.set('debug', false);
  await rt?.close();
});

describe('feed bodies', () => {
  it('are read again only for the item that changed, and the feed shows the new text', async () => {
    const a = await importStory(rt, { tags: ['feed-a'] });
    const b = await importStory(rt, { tags: ['feed-b'] });
    await rt.relay.drain();
    const first = await request(rt.app).get('/ru/rss.xml').expect(200);
    expect(first.text).toContain(a.slugs.ru);
    expect(first.text).toContain(b.slugs.ru);

    await updateRelease(rt, `${a.storyId}.ru`, { body: '<p>Совершенно новый текст сообщения.</p>' });
    await rt.relay.drain();
    const reads: string[] = [];
    mongoose.set('debug', (collection: string, method: string, query: { _id?: string }) => {
      if (collection === 'releases') reads.push(String(query?._id));
    });
    const second = await request(rt.app).get('/ru/rss.xml').expect(200);
    mongoose.set('debug', false);

    expect(second.text).toContain('Совершенно новый текст сообщения.');
    expect(second.text).toContain(b.slugs.ru);
    // The unchanged story's body came from memory; only the edited one was read.
    expect(reads).toContain(`${a.storyId}.ru`);
    expect(reads).not.toContain(`${b.storyId}.ru`);
  });
});
