import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inputFromRelease, writeRelease, type WriteReleaseInput } from '../../src/commands/write-release.js';
import { analyze } from '../../src/language/index.js';
import type { ReleaseDoc } from '../../src/models/release.js';
import { applyReleaseChange } from '../../src/read-models/apply-release-change.js';
import { syncReleaseIndex } from '../../src/read-models/release-index.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';

/**
 * Two applies of one change overlap (the write's own and the relay's), and either may stop
 * halfway (Redis lost between its steps). Whichever finds the read model already at the
 * change's revision must still finish it: search postings and cached pages.
 */
let rt: TestRuntime;
beforeAll(async () => {
  rt = await startTestRuntime();
});
afterAll(async () => {
  await rt?.close();
});

const holds = async (word: string, id: string) =>
  (await rt.ctx.redis.zscore(rt.ctx.keys.search.postings('ru', analyze('ru', word)[0]), id)) !== null;
const path = (r: ReleaseDoc) => `/${r.lang}/news/${r.slug}`;
const get = async (p: string) => (await request(rt.app).get(p).expect(200)).text;
const cached = async (p: string) => !!rt.ctx.pageCache.get(`${p}#`) || (await rt.ctx.pageCache.isStored(p));
const applied = async (id: string) => Number(await rt.ctx.redis.hget(rt.ctx.keys.pages.applied, id));

const input = (storyId: string, title: string): WriteReleaseInput => ({
  storyId,
  lang: 'ru',
  title,
  body: '<p>Говорили о логистике.</p>',
  section: 'news',
  tags: ['logistika'],
  status: 'published',
});

/**
 * Writes a change as a write that stopped before applying it (no event, no apply), then runs
 * the first step of another apply (the read model), as one that is slow or failed there.
 */
async function writeAndApplyHalfway(release: ReleaseDoc, change: Partial<WriteReleaseInput>) {
  const { release: written } = await writeRelease({ ...inputFromRelease(release), ...change, emit: false });
  await syncReleaseIndex(rt.ctx, release._id);
  return written;
}

describe('an apply that finds another halfway', () => {
  it('finishes an unpublish whose card is already gone: postings and pages', async () => {
    const { release } = await writeRelease(input('halfway-unpublish', 'Форум в Алматы'), rt.ctx);
    await rt.relay.drain(); // the relay's repeat of the publish, done before the pages are read
    const page = path(release);
    await get(page);
    await get('/ru/');
    expect(await cached(page)).toBe(true);
    expect(await holds('Алматы', release._id)).toBe(true);

    const draft = await writeAndApplyHalfway(release, { status: 'draft' });
    expect(await rt.ctx.redis.exists(rt.ctx.keys.releases.card(release._id))).toBe(0);
    expect(await holds('Алматы', release._id)).toBe(true);

    await applyReleaseChange(rt.ctx, release._id);
    expect(await holds('Алматы', release._id)).toBe(false);
    expect(await holds('логистика', release._id)).toBe(false);
    expect(await cached(page)).toBe(false);
    expect(await cached('/ru/')).toBe(false);
    expect(await applied(release._id)).toBe(-draft.revision);

    // Finished, it is a draft like any other: editing it drops nothing public.
    await get('/ru/');
    await writeRelease({ ...inputFromRelease(draft), title: 'Форум в Астане' }, rt.ctx);
    await rt.relay.drain();
    expect(await cached('/ru/')).toBe(true);
  });

  it('finishes an edit whose card is already the new one: the pages that show the old title go', async () => {
    const { release: older } = await writeRelease(input('halfway-older', 'Совещание в Бишкеке'), rt.ctx);
    const { release: newer } = await writeRelease(input('halfway-newer', 'Встреча в Ереване'), rt.ctx);
    await rt.relay.drain();
    // The newer article lists the older story among its related stories.
    expect(await get(path(newer))).toContain('Совещание в Бишкеке');
    expect(await cached(path(newer))).toBe(true);

    const edited = await writeAndApplyHalfway(older, { title: 'Совещание в Душанбе' });
    await applyReleaseChange(rt.ctx, older._id);
    expect(await cached(path(newer))).toBe(false);
    const html = await get(path(newer));
    expect(html).toContain('Совещание в Душанбе');
    expect(html).not.toContain('Совещание в Бишкеке');
    expect(await applied(older._id)).toBe(edited.revision);
    // Then the other apply's late repeat has nothing left to drop.
    expect((await applyReleaseChange(rt.ctx, older._id)).dropped).toBe(0);
  });
});
