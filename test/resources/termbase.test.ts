import { readFileSync } from 'node:fs';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTbx } from '../../src/exchange/tbx.js';
import { runTaskQaWithTermbase } from '../../src/workflow/glossary.js';
import { assertWellFormedXml } from '../feeds/support.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import { buildUser } from '../workflow/support.js';

let rt: TestRuntime;
let reviewer: Awaited<ReturnType<typeof buildUser>>;
let translator: Awaited<ReturnType<typeof buildUser>>;
const fixture = readFileSync(new URL('./fixtures/from-other-tool.tbx', import.meta.url), 'utf8');

beforeAll(async () => {
  rt = await startTestRuntime({ NEWSROOM_LANGUAGES: 'ru,en' });
  reviewer = await buildUser(['reviewer'], ['ru:en'], ['ru', 'en']);
  translator = await buildUser(['translator'], ['ru:en'], ['ru', 'en']);
});
afterAll(async () => {
  await rt?.close();
});

describe('termbase', () => {
  it('imports TBX from another tool, exports TBX v3 that reads back the same', async () => {
    const res = await request(rt.app)
      .post('/api/v1/terms/ru:en/tbx')
      .set(reviewer.auth)
      .set('Content-Type', 'application/x-tbx+xml')
      .send(fixture);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ added: 3, skippedEntries: 1 });
    const added = await request(rt.app).post('/api/v1/terms/ru:en').set(reviewer.auth).send({
      source: 'Совет министров иностранных дел',
      target: 'Council of Foreign Ministers',
      pos: 'noun',
      note: 'CMFA',
    });
    expect(added.status).toBe(200);
    await request(rt.app)
      .post('/api/v1/terms/ru:en')
      .set(reviewer.auth)
      .send({
        source: 'Совет министров иностранных дел',
        target: 'Foreign Ministers Council',
        status: 'forbidden',
      })
      .expect(200);
    await request(rt.app)
      .post('/api/v1/terms/ru:en')
      .set(reviewer.auth)
      .send({ source: 'Взаимодействие', status: 'do_not_translate' })
      .expect(200);
    const denied = await request(rt.app)
      .post('/api/v1/terms/ru:en')
      .set(translator.auth)
      .send({ source: 'x', target: 'y' });
    expect(denied.status).toBe(403);

    const list = await request(rt.app).get('/api/v1/terms/ru:en').set(translator.auth).expect(200);
    expect(list.body.terms).toHaveLength(6);
    expect(list.body.terms).toContainEqual(
      expect.objectContaining({
        source: 'Организация Договора о коллективной безопасности',
        target: 'Collective Security Treaty Organisation',
        status: 'forbidden',
        pos: 'noun',
        note: "The organisation's full name.",
      }),
    );
    const tbx = await request(rt.app).get('/api/v1/terms/ru:en/tbx').set(reviewer.auth).expect(200);
    assertWellFormedXml(tbx.text);
    expect(tbx.text).toContain('urn:iso:std:iso:30042:ed-2');
    const back = readTbx(tbx.text, 'ru', 'en');
    const key = (t: { source: string; target?: string; status?: string; pos?: string; note?: string }) =>
      JSON.stringify([t.source, t.target, t.status, t.pos ?? null, t.note ?? null]);
    expect(back.terms.map(key).sort()).toEqual(list.body.terms.map(key).sort());
  });

  it('highlights inflected source terms with offsets', async () => {
    const source =
      'Заседание Совета министров иностранных дел Организации Договора о коллективной безопасности.';
    const res = await request(rt.app)
      .get('/api/v1/terms/ru:en/match')
      .query({ source })
      .set(translator.auth)
      .expect(200);
    const found = res.body.hits.map((h: { start: number; end: number }) => source.slice(h.start, h.end));
    expect(found).toContain('Совета министров иностранных дел');
    expect(found).toContain('Организации Договора о коллективной безопасности');
  });

  it('makes a missing preferred term and a forbidden one QA errors, inflection-aware on both sides', async () => {
    const source = 'Заседание Совета министров иностранных дел прошло в Минске.';
    const ok = await runTaskQaWithTermbase('ru:en', [
      { i: 0, source, target: 'The Council of Foreign Ministers met in Minsk.' },
    ]);
    expect(ok.errors.filter((e) => e.check.startsWith('glossary'))).toEqual([]);
    const missing = await runTaskQaWithTermbase('ru:en', [
      { i: 0, source, target: 'The foreign ministers met in Minsk.' },
    ]);
    expect(missing.errors).toContainEqual(expect.objectContaining({ i: 0, check: 'glossary_term_missing' }));
    const forbidden = await runTaskQaWithTermbase('ru:en', [
      { i: 1, source, target: 'The Foreign Ministers Council met in Minsk.' },
    ]);
    expect(forbidden.errors.map((e) => e.check)).toEqual([
      'glossary_term_missing',
      'glossary_term_forbidden',
    ]);
    // Do-not-translate: the source word must stay as it is.
    const dnt = await runTaskQaWithTermbase('ru:en', [
      { i: 2, source: 'Учения «Взаимодействие» завершились.', target: 'The «Interaction» exercise ended.' },
    ]);
    expect(dnt.errors).toContainEqual(expect.objectContaining({ i: 2, check: 'glossary_term_missing' }));
  });
});
