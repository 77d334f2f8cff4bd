import { readFileSync } from 'node:fs';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TmEntry } from '../../src/models/tm-entry.js';
import { readTmx, writeTmx } from '../../src/exchange/tmx.js';
import { addToMemory, lookupMemory } from '../../src/workflow/translation-memory.js';
import { assertWellFormedXml } from '../feeds/support.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import { buildUser } from '../workflow/support.js';

let rt: TestRuntime;
let reviewer: Awaited<ReturnType<typeof buildUser>>;
let translator: Awaited<ReturnType<typeof buildUser>>;
const fixture = readFileSync(new URL('./fixtures/from-other-tool.tmx', import.meta.url), 'utf8');

beforeAll(async () => {
  rt = await startTestRuntime({ NEWSROOM_LANGUAGES: 'ru,en,hy' });
  reviewer = await buildUser(['reviewer'], ['ru:en'], ['ru', 'en', 'hy']);
  translator = await buildUser(['translator'], ['ru:en'], ['ru', 'en', 'hy']);
});
afterAll(async () => {
  await rt?.close();
});

describe('TMX', () => {
  it('imports a TMX from another tool into usable suggestions, reporting what it skipped', async () => {
    const res = await request(rt.app)
      .post('/api/v1/tm/ru:en/tmx?file=agency.tmx')
      .set(reviewer.auth)
      .set('Content-Type', 'application/x-tmx+xml')
      .send(fixture);
    expect(res.status).toBe(200);
    expect(res.body.added).toBe(3);
    expect(res.body.skipped).toEqual([
      expect.objectContaining({ tu: 4, reason: expect.stringContaining('no en') }),
    ]);

    const exact = await lookupMemory(
      rt.ctx,
      'ru:en',
      'Генеральный секретарь ОДКБ провёл рабочую встречу с послами государств-членов.',
    );
    expect(exact[0]).toMatchObject({ score: 1, target: expect.stringContaining('CSTO Secretary General') });
    // Our own segment with a bold code numbered 1 meets the imported codes.
    const coded = await lookupMemory(
      rt.ctx,
      'ru:en',
      'Заседание {1}Совета министров иностранных дел{/1} пройдёт в Бишкеке.',
    );
    expect(coded[0].target).toBe(
      'The meeting of the {1}Council of Foreign Ministers{/1} will take place in Minsk.',
    );
    expect(coded[0].band).toBe('85-94');
    const br = await lookupMemory(rt.ctx, 'ru:en', 'Подробнее см. на сайте{1/}организации.');
    expect(br[0]).toMatchObject({ score: 1, target: "More on the organisation's website{1/}." });
    const entry = await TmEntry.findOne({ pair: 'ru:en', source: /^Заседание/ }).lean();
    expect(entry).toMatchObject({
      origin: 'tmx',
      file: 'agency.tmx',
      by: reviewer.user._id,
      tags: { '1': '<cf bold="True">', '/1': '</cf>' },
    });
  });

  it('round-trips: export, read back, same entries with their inline codes', async () => {
    await addToMemory(rt.ctx, 'ru:en', [
      {
        source: 'Читайте {1}заявление{/1} полностью{2/}здесь & там <тут>.',
        target: 'Read the {1}statement{/1} in full{2/}here & there <here>.',
        tags: { '1': '<a href="https://example.org/?a=1&amp;b=2">', '/1': '</a>', '2/': '<br />' },
      },
    ]);
    const res = await request(rt.app).get('/api/v1/tm/ru:en/tmx').set(reviewer.auth);
    expect(res.status).toBe(200);
    expect(res.type).toBe('application/x-tmx+xml');
    const xml = res.text;
    assertWellFormedXml(xml);
    expect(xml).toContain('<bpt i="1" x="1">&lt;a href="https://example.org/?a=1&amp;amp;b=2"&gt;</bpt>');
    expect(xml).toContain('<ph x="2">&lt;br /&gt;</ph>');
    const back = readTmx(xml, 'ru', 'en');
    const stored = await TmEntry.find({ pair: 'ru:en' }).lean();
    expect(back.skipped).toEqual([]);
    expect(back.units).toHaveLength(stored.length);
    const link = back.units.find((u) => u.source.startsWith('Читайте'))!;
    expect(link).toEqual({
      source: 'Читайте {1}заявление{/1} полностью{2/}здесь & там <тут>.',
      target: 'Read the {1}statement{/1} in full{2/}here & there <here>.',
      tags: { '1': '<a href="https://example.org/?a=1&amp;b=2">', '/1': '</a>', '2/': '<br />' },
    });
    // Another pair's import of the same file finds nothing of its languages.
    expect(readTmx(xml, 'ru', 'hy').units).toEqual([]);
    // And writing what was read gives the same file body.
    const again = writeTmx(
      stored
        .sort((a, b) => a._id.localeCompare(b._id))
        .map((e) => ({ ...e, ...back.units.find((u) => u.source === e.source) })) as never,
      { from: 'ru', to: 'en' },
    );
    expect(again.replace(/creationdate="[^"]*"/, '')).toBe(xml.replace(/creationdate="[^"]*"/, ''));
  });

  it('refuses files that are not TMX, and translators, with stable codes', async () => {
    const bad = await request(rt.app)
      .post('/api/v1/tm/ru:en/tmx')
      .set(reviewer.auth)
      .set('Content-Type', 'application/xml')
      .send('<tmx><body><tu>');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('tmx_invalid');
    const entity = await request(rt.app)
      .post('/api/v1/tm/ru:en/tmx')
      .set(reviewer.auth)
      .set('Content-Type', 'application/xml')
      .send('<!DOCTYPE tmx [<!ENTITY x SYSTEM "file:///etc/passwd">]><tmx><body>&x;</body></tmx>');
    expect(entity.status).toBe(400);
    const denied = await request(rt.app).get('/api/v1/tm/ru:en/tmx').set(translator.auth);
    expect(denied.status).toBe(403);
    const otherPair = await request(rt.app).get('/api/v1/tm/ru:hy/tmx').set(reviewer.auth);
    expect(otherPair.status).toBe(403);
    const unknown = await request(rt.app).get('/api/v1/tm/en:ru/tmx').set(reviewer.auth);
    expect(unknown.status).toBe(403);
  });
});
