import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TmEntry } from '../../src/models/tm-entry.js';
import { dropReadModel, scanKeys } from '../../src/redis/keys.js';
import { BUCKET_CAP, sourceHash } from '../../src/workflow/tm/tm-index.js';
import { bandKeys } from '../../src/workflow/tm/tm-minhash.js';
import {
  addToMemory,
  ensureMemoryIndex,
  lookupMemory,
  tmEntryId,
} from '../../src/workflow/translation-memory.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';

let rt: TestRuntime;
beforeAll(async () => {
  rt = await startTestRuntime({ NEWSROOM_LANGUAGES: 'ru,en' });
});
afterAll(async () => {
  await rt?.close();
});

const PAIR = 'ru:en';

describe('translation memory matching', () => {
  it('offers 101 % when the neighbouring segments match too, 100 % elsewhere', async () => {
    await addToMemory(
      rt.ctx,
      PAIR,
      [
        {
          source: 'Совещание завершилось.',
          target: 'The meeting ended.',
          prev: 'Министры выступили.',
          next: 'Журналисты задали вопросы.',
        },
      ],
      'task-1',
      { story: 'story-1', by: 'u1' },
    );
    const same = await lookupMemory(rt.ctx, PAIR, 'Совещание завершилось.', {
      prev: 'Министры выступили.',
      next: 'Журналисты задали вопросы.',
    });
    expect(same[0]).toMatchObject({ score: 1.01, band: '101', story: 'story-1', kind: 'tm' });
    const other = await lookupMemory(rt.ctx, PAIR, 'Совещание завершилось.', { prev: 'Иное.', next: '' });
    expect(other[0]).toMatchObject({ score: 1, band: '100' });
    const entry = await TmEntry.findById(tmEntryId(PAIR, 'Совещание завершилось.')).lean();
    expect(entry).toMatchObject({
      origin: 'task',
      task: 'task-1',
      story: 'story-1',
      createdBy: 'u1',
      by: 'u1',
    });
  });

  it('ranks fuzzy matches with penalties and a diff, numbers costing points', async () => {
    await addToMemory(rt.ctx, PAIR, [
      {
        source: 'Саммит пройдёт 12 июня 2026 года в Бишкеке.',
        target: 'The summit will be held in Bishkek on 12 June 2026.',
      },
      { source: 'Саммит пройдёт в Бишкеке.', target: 'The summit will be held in Bishkek.' },
    ]);
    const found = await lookupMemory(rt.ctx, PAIR, 'Саммит пройдёт 14 июня 2026 года в Бишкеке.');
    expect(found[0]).toMatchObject({
      target: 'The summit will be held in Bishkek on 12 June 2026.',
      band: '95-99',
      score: 0.98,
      penalties: [{ code: 'numbers', points: 2 }],
    });
    expect(found[0].diff).toContainEqual({ op: 'insert', text: '14' });
    for (const s of found) expect(s.score).toBeGreaterThanOrEqual(0.75);
  });

  it('keeps each MinHash bucket at its cap however many near-duplicates are stored', async () => {
    const base = 'Пресс-служба сообщила о заседании рабочей группы номер';
    const pairs = Array.from({ length: BUCKET_CAP + 25 }, (_, n) => ({
      source: `${base} ${'абвгдежзик'[n % 10]}${n}.`,
      target: `The press office reported a working group meeting ${n}.`,
    }));
    await addToMemory(rt.ctx, PAIR, pairs);
    const k = rt.ctx.keys.tm;
    const sizes = await Promise.all(
      bandKeys(pairs[0].source).map((b) => rt.ctx.redis.zcard(k.bucket(PAIR, b))),
    );
    expect(Math.max(...sizes)).toBeLessThanOrEqual(BUCKET_CAP);
    // The newest near-duplicate is still found.
    const last = pairs.at(-1)!;
    const found = await lookupMemory(rt.ctx, PAIR, last.source.replace('номер', 'No.'));
    expect(found.map((s) => s.target)).toContain(last.target);
  });

  it('rebuilds the Redis index from MongoDB', async () => {
    const k = rt.ctx.keys.tm;
    await rt.ctx.redis.del(k.entries(PAIR), k.built());
    expect(await lookupMemory(rt.ctx, PAIR, 'Саммит пройдёт в Бишкеке.')).toEqual([]);
    expect(await ensureMemoryIndex(rt.ctx)).toBeGreaterThan(3);
    expect((await lookupMemory(rt.ctx, PAIR, 'Саммит пройдёт в Бишкеке.'))[0]).toMatchObject({ score: 1 });
  });

  it('migrates an index in the v1 layout (trigram buckets) without losing an entry', async () => {
    const pair = 'en:ru';
    const cities = ['Minsk', 'Astana', 'Bishkek', 'Dushanbe', 'Yerevan', 'Moscow'];
    const bodies = [
      'The ministers of defence discussed joint exercises',
      'Secretaries of the security councils met',
      'A working group on cyber threats held its first session',
      'The parliamentary assembly adopted a statement on migration',
      'Border guards reported on the situation',
      'The press office published the agenda of the summit',
    ];
    const pairs = bodies.map((b, i) => ({ source: `${b} in ${cities[i]}.`, target: `EN ${i}` }));
    await addToMemory(rt.ctx, pair, pairs);
    // One more entry only MongoDB knows (the v1 index never saw it).
    await TmEntry.create({
      _id: tmEntryId(pair, 'Observers from the CIS attended the vote in Baku.'),
      pair,
      source: 'Observers from the CIS attended the vote in Baku.',
      target: 'EN 6',
      origin: 'tmx',
      createdAt: new Date(),
      createdBy: 'system',
      at: new Date(),
      by: 'system',
    });
    pairs.push({ source: 'Observers from the CIS attended the vote in Baku.', target: 'EN 6' });

    // What a v1 Redis held: its built mark, trigram buckets under `:b:`, the entries hash.
    const k = rt.ctx.keys.tm;
    const entries = await rt.ctx.redis.hgetall(k.entries(pair));
    await dropReadModel(rt.ctx.redis, rt.ctx.keys, 'tm');
    const legacyBucket = `${rt.ctx.keys.prefix}:rm:tm:${pair}:b:0.v1bucket`;
    await rt.ctx.redis.zadd(legacyBucket, 1, sourceHash(pairs[0].source));
    await rt.ctx.redis.hset(k.entries(pair), entries);
    await rt.ctx.redis.set(k.legacy.built(), 'v1');

    expect(await ensureMemoryIndex(rt.ctx)).toBe(
      await TmEntry.countDocuments({ deletedAt: { $exists: false } }),
    );
    for (const [i, p] of pairs.entries()) {
      const exact = await lookupMemory(rt.ctx, pair, p.source);
      expect(exact[0]).toMatchObject({ target: p.target, score: 1 });
      // A near-duplicate (another city) finds it through the new buckets.
      const near = p.source.replace(/in \w+\.$/, `in ${cities[(i + 1) % cities.length]}.`);
      expect((await lookupMemory(rt.ctx, pair, near)).map((s) => s.target)).toContain(p.target);
    }
    const legacy: string[] = [];
    for await (const keys of scanKeys(rt.ctx.redis, k.legacy.bucketPattern())) legacy.push(...keys);
    expect(legacy).toEqual([]);
    expect(await rt.ctx.redis.exists(k.legacy.built(), legacyBucket)).toBe(0);
    expect(await rt.ctx.redis.exists(k.built())).toBe(1);
    // Built: the next start does not rebuild again.
    expect(await ensureMemoryIndex(rt.ctx)).toBe(0);
  });
});
