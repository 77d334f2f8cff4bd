import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeRelease } from '../../src/commands/write-release.js';
import { AppError } from '../../src/errors.js';
import { Release } from '../../src/models/release.js';
import { Story } from '../../src/models/story.js';
import { User } from '../../src/models/user.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';

let rt: TestRuntime;
beforeAll(async () => {
  rt = await startTestRuntime();
});
afterAll(async () => {
  await rt?.close();
});

const base = { section: 'news', tags: [], body: '<p>Текст</p>', status: 'published' as const };

describe('release slugs', () => {
  it('rejects a duplicate slug in one language with a clear error, allows it in another', async () => {
    await writeRelease({ ...base, storyId: 'slug-a', lang: 'ru', title: 'Первый', slug: 'vstrecha' });
    const dup = writeRelease({ ...base, storyId: 'slug-b', lang: 'ru', title: 'Второй', slug: 'vstrecha' });
    await expect(dup).rejects.toBeInstanceOf(AppError);
    await expect(dup).rejects.toMatchObject({
      status: 409,
      code: 'slug_taken',
      message: expect.stringMatching(/vstrecha.*'ru'/),
    });
    const en = await writeRelease({
      ...base,
      storyId: 'slug-b',
      lang: 'en',
      title: 'Second',
      slug: 'vstrecha',
    });
    expect(en.release.slug).toBe('vstrecha');
  });

  it('is enforced by the unique (lang, slug) index too, not only by the route table', async () => {
    await Release.create({
      _id: 'idx-1.ru',
      story: 'idx-1',
      lang: 'ru',
      slug: 'same',
      title: 'A',
      body: 'x',
      contentHash: 'h',
    });
    await expect(
      Release.create({
        _id: 'idx-2.ru',
        story: 'idx-2',
        lang: 'ru',
        slug: 'same',
        title: 'B',
        body: 'x',
        contentHash: 'h',
      }),
    ).rejects.toMatchObject({ code: 11000 });
    await expect(
      Release.create({
        _id: 'idx-2.en',
        story: 'idx-2',
        lang: 'en',
        slug: 'same',
        title: 'B',
        body: 'x',
        contentHash: 'h',
      }),
    ).resolves.toBeTruthy();
  });

  it('derives a transliterated slug and de-duplicates it per language', async () => {
    const a = await writeRelease({ ...base, storyId: 'der-a', lang: 'ru', title: 'Заседание в Бишкеке' });
    const b = await writeRelease({ ...base, storyId: 'der-b', lang: 'ru', title: 'Заседание в Бишкеке' });
    expect(a.release.slug).toBe('zasedanie-v-bishkeke');
    expect(b.release.slug).toBe('zasedanie-v-bishkeke-2');
    const kk = await writeRelease({ ...base, storyId: 'der-c', lang: 'kk', title: 'Қазақстан өңірі' });
    expect(kk.release.slug).toBe('qazaqstan-ongiri');
  });

  it('answers a stale revision with 409 and loses neither of two concurrent edits silently', async () => {
    const first = await writeRelease({ ...base, storyId: 'cas', lang: 'ru', title: 'Версия 1' });
    const edits = await Promise.allSettled(
      ['A', 'B', 'C', 'D'].map((n) =>
        writeRelease({
          ...base,
          storyId: 'cas',
          lang: 'ru',
          title: `Версия ${n}`,
          expectedRevision: first.release.revision,
        }),
      ),
    );
    const won = edits.filter((e) => e.status === 'fulfilled');
    const lost = edits.filter((e) => e.status === 'rejected') as PromiseRejectedResult[];
    expect(won).toHaveLength(1);
    expect(lost.every((e) => e.reason.status === 409)).toBe(true);
    const current = await Release.findById('cas.ru').lean();
    expect(current!.revision).toBe(2);
    expect(current!.title).toBe(
      (won[0] as PromiseFulfilledResult<{ release: { title: string } }>).value.release.title,
    );
  });
});

describe('schema validation', () => {
  it('reports violations by field', async () => {
    await expect(
      Story.create({ _id: 's1', externalId: 'x', sourceLang: 'ru', section: 'Bad Section!' }),
    ).rejects.toThrow(/section/);
    await expect(
      User.create({
        _id: 'u',
        email: 'not-an-email',
        name: 'N',
        passwordHash: 'h',
        roles: ['boss'] as never,
      }),
    ).rejects.toThrow(/email|roles/);
  });
});
