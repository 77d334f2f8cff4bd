import { closeSync, mkdtempSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storyIdForExternal } from '../../src/models/ids.js';
import { Release } from '../../src/models/release.js';
import { Story } from '../../src/models/story.js';
import { spawnNewsroom } from '../support/spawn-newsroom.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';

let rt: TestRuntime;
const dir = mkdtempSync(join(tmpdir(), 'newsroom-import-stream-'));
beforeAll(async () => {
  rt = await startTestRuntime();
});
afterAll(async () => {
  await rt?.close();
});

const N = 1_500;
const word = (i: number) => `zetakod${i.toString(36)}`;

/** An import file written record by record, as an archive export would be (pretty-printed). */
function writeArchive(path: string, n: number) {
  const fd = openSync(path, 'w');
  writeSync(fd, '{\n  "stories": [\n');
  for (let i = 0; i < n; i++) {
    const story = {
      externalId: `arch-${i}`,
      section: 'news',
      sourceLang: 'ru',
      publishedAt: new Date(Date.UTC(2020, 0, 1) + i * 60_000).toISOString(),
      versions: {
        ru: {
          title: `Сообщение номер ${i}`,
          body: `<p>Комитет рассмотрел вопрос ${word(i)}. Решение принято единогласно.</p>`,
        },
        en: {
          title: `Statement number ${i}`,
          body: `<p>The committee considered item ${word(i)}. The decision was unanimous.</p>`,
        },
      },
    };
    writeSync(fd, `${i ? ',\n' : ''}    ${JSON.stringify(story, null, 1).replace(/\n/g, '\n    ')}`);
  }
  writeSync(fd, '\n  ]\n}\n');
  closeSync(fd);
}

const cli = (file: string) =>
  spawnNewsroom('src/bin/newsroom.ts', { ...rt.env, LOG_LEVEL: 'warn' }, ['import', file]);

const ids = (lang: string) =>
  Array.from({ length: N }, (_, i) => `${storyIdForExternal(`arch-${i}`)}.${lang}`);

async function countPresent(keys: string[]): Promise<number> {
  const multi = rt.ctx.redis.multi();
  for (const k of keys) multi.exists(k);
  return ((await multi.exec()) ?? []).filter(([, v]) => v === 1).length;
}

describe('newsroom import streams the file', () => {
  it(
    'refuses a file that is not a stories object before importing anything',
    { timeout: 120_000 },
    async () => {
      const truncated = join(dir, 'truncated.json');
      writeArchive(truncated, 3);
      const text = (await import('node:fs')).readFileSync(truncated, 'utf8');
      writeFileSync(truncated, text.slice(0, text.length - 40));
      const run = cli(truncated);
      expect((await run.exited).code).toBe(1);
      expect(run.output()).toMatch(/not valid JSON/);
      expect(await Story.countDocuments({ externalId: /^arch-/ })).toBe(0);

      const other = join(dir, 'other.json');
      writeFileSync(other, JSON.stringify({ stories: [], items: [] }));
      const run2 = cli(other);
      expect((await run2.exited).code).toBe(1);
      expect(run2.output()).toMatch(/unknown top-level field\(s\): items/);
    },
  );

  it(
    'killed with SIGKILL mid-run, a rerun leaves every story listed, searchable and in the feeds; a third run skips all',
    { timeout: 600_000 },
    async () => {
      const file = join(dir, 'archive.json');
      writeArchive(file, N);

      const first = cli(file);
      let exited = false;
      void first.exited.then(() => (exited = true));
      // Kill it as soon as the second batch is stored, before it is listed and indexed.
      while (!exited && (await Story.countDocuments({ externalId: /^arch-/ })) <= 500) {
        await new Promise((r) => setTimeout(r, 20));
      }
      first.child.kill('SIGKILL');
      expect((await first.exited).signal).toBe('SIGKILL');
      const stored = (await Story.find({ externalId: /^arch-/ }, { _id: 1 }).lean()).map(
        (s) => `${s._id}.en`,
      );
      expect(stored.length).toBeLessThan(N);
      const unlisted =
        stored.length - (await countPresent(stored.map((id) => rt.ctx.keys.releases.card(id))));

      const second = cli(file);
      const { code } = await second.exited;
      expect(code, second.output()).toBe(0);
      // Progress is reported as it goes (stderr, not a terminal).
      expect(second.output()).toMatch(/import: 1500\/1500 records/);
      expect(second.output()).toMatch(/import: 1500 records: \d+ created, 0 updated, \d+ unchanged/);
      // Stored but never listed (killed in between): the rerun saw them unchanged and re-indexed them.
      if (unlisted > 0) expect(second.output()).toMatch(/\(\d+ versions re-indexed\)/);

      expect(await Story.countDocuments({ externalId: /^arch-/ })).toBe(N);
      expect(await Release.countDocuments({ story: { $in: ids('ru').map((id) => id.split('.')[0]) } })).toBe(
        2 * N,
      );
      const k = rt.ctx.keys;
      for (const lang of ['ru', 'en']) {
        // Listed (cards and the language listing) and indexed for search, every one of them.
        expect(await countPresent(ids(lang).map((id) => k.releases.card(id)))).toBe(N);
        expect(await countPresent(ids(lang).map((id) => k.search.document(id)))).toBe(N);
        const listed = await rt.ctx.redis.zmscore(k.releases.language(lang), ...ids(lang));
        expect(listed.filter((s) => s !== null)).toHaveLength(N);
      }
      // What readers see: search finds a story of the first batch and one of the last.
      for (const i of [3, N - 2]) {
        const res = await request(rt.app).get(`/en/search?q=${word(i)}`);
        expect(res.status).toBe(200);
        expect(res.text).toContain(`Statement number ${i}<`);
      }
      // The feed leads with the newest story.
      const rss = await request(rt.app).get('/en/rss.xml');
      expect(rss.status).toBe(200);
      expect(rss.text.indexOf(`Statement number ${N - 1}<`)).toBeGreaterThan(0);
      expect(rss.text.indexOf(`Statement number ${N - 1}<`)).toBeLessThan(
        rss.text.indexOf(`Statement number ${N - 2}<`),
      );

      // The same file again: every record skipped by its hash, nothing rewritten.
      const revisions = await Release.find({ _id: { $in: ids('en').slice(0, 50) } }, { revision: 1 }).lean();
      const third = cli(file);
      expect((await third.exited).code, third.output()).toBe(0);
      expect(third.output()).toMatch(
        /import: 1500 records: 0 created, 0 updated, 1500 unchanged, 0 rejected/,
      );
      const again = await Release.find({ _id: { $in: ids('en').slice(0, 50) } }, { revision: 1 }).lean();
      expect(again).toEqual(revisions);
      // The Redis mirror the rerun skipped by holds exactly what MongoDB holds, kill or not.
      const hashes = await Story.find({ externalId: /^arch-/ }, { importHash: 1 }).lean();
      const mirrored = await rt.ctx.redis.hgetall(k.importHashes());
      expect(hashes.filter((s) => mirrored[s._id] !== s.importHash)).toEqual([]);
    },
  );
});
