import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TmEntry } from '../../src/models/tm-entry.js';
import { lookupMemory, tmEntryId } from '../../src/workflow/translation-memory.js';
import { deskUser, signIn, tokenOf } from '../desk/desk-helpers.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';

let rt: TestRuntime;
const fixture = readFileSync(new URL('./fixtures/from-other-tool.tmx', import.meta.url));
const SOURCE = 'Генеральный секретарь ОДКБ провёл рабочую встречу с послами государств-членов.';

beforeAll(async () => {
  rt = await startTestRuntime({ NEWSROOM_LANGUAGES: 'ru,en,hy' });
});
afterAll(async () => {
  await rt?.close();
});

describe('the TM screen', () => {
  it('lets a reviewer import a TMX file, search, edit and delete entries with who and when', async () => {
    const reviewer = await deskUser({ roles: ['reviewer'], pairs: ['ru:en'] }, ['ru', 'en', 'hy']);
    const agent = await signIn(rt.app, reviewer.email, reviewer.password);
    const csrf = await tokenOf(agent, '/desk/tm/ru%3Aen');
    const imported = await agent
      .post('/desk/tm/ru%3Aen/import')
      .field('_csrf', csrf)
      .attach('file', fixture, { filename: 'agency.tmx', contentType: 'application/x-tmx+xml' });
    expect(imported.status).toBe(303);
    const page = await agent.get('/desk/tm/ru%3Aen').expect(200);
    // The desk speaks the source language by default.
    expect(page.text).toContain('Импортировано записей из agency.tmx: 3.');
    expect(page.text).toContain('Пропущена 1 единица перевода');
    expect(page.text).toContain(SOURCE);
    expect(page.text).toContain('Импорт TMX (agency.tmx)');

    const found = await agent.get('/desk/tm/ru%3Aen?q=министров').expect(200);
    expect(found.text).toContain('Council of Foreign Ministers');
    expect(found.text).not.toContain(SOURCE);
    // Stemmed: the genitive plural finds the entry that has another form.
    const stemmed = await agent.get(`/desk/tm/ru%3Aen?q=${encodeURIComponent('послу')}`).expect(200);
    expect(stemmed.text).toContain(SOURCE);

    const id = tmEntryId('ru:en', SOURCE);
    const saved = await agent
      .post(`/desk/tm/ru%3Aen/entries/${encodeURIComponent(id)}`)
      .type('form')
      .send({
        _csrf: csrf,
        action: 'save',
        target: 'The CSTO Secretary General met the ambassadors.',
        note: 'Shorter',
      });
    expect(saved.status).toBe(303);
    const entry = await TmEntry.findById(id).lean();
    expect(entry).toMatchObject({
      target: 'The CSTO Secretary General met the ambassadors.',
      note: 'Shorter',
      origin: 'edit',
    });
    expect(entry!.by).not.toBe('system');
    expect(entry!.at.getTime()).toBeGreaterThan(entry!.createdAt.getTime());
    expect((await lookupMemory(rt.ctx, 'ru:en', SOURCE))[0].target).toBe(
      'The CSTO Secretary General met the ambassadors.',
    );

    const deleted = await agent
      .post(`/desk/tm/ru%3Aen/entries/${encodeURIComponent(id)}`)
      .type('form')
      .send({ _csrf: csrf, action: 'delete' });
    expect(deleted.status).toBe(303);
    expect(await TmEntry.findById(id).lean()).toMatchObject({
      deletedBy: expect.any(String),
      deletedAt: expect.any(Date),
    });
    expect(await lookupMemory(rt.ctx, 'ru:en', SOURCE)).toEqual([]);
    expect((await agent.get('/desk/tm/ru%3Aen').expect(200)).text).not.toContain(SOURCE);

    const exported = await agent.get('/desk/tm/ru%3Aen/export').expect(200);
    expect(exported.text).toContain('Council of Foreign Ministers');
    expect(exported.text).not.toContain('послами');
  });

  it('is for reviewers of the pair only, and checks the CSRF token', async () => {
    const translator = await deskUser({ roles: ['translator'], pairs: ['ru:en'] }, ['ru', 'en', 'hy']);
    const t = await signIn(rt.app, translator.email, translator.password);
    expect((await t.get('/desk/tm/ru%3Aen')).status).toBe(403);
    const other = await deskUser({ roles: ['reviewer'], pairs: ['ru:hy'] }, ['ru', 'en', 'hy']);
    const o = await signIn(rt.app, other.email, other.password);
    expect((await o.get('/desk/tm/ru%3Aen')).status).toBe(403);
    const forged = await o.post('/desk/tm/ru%3Ahy/import').attach('file', fixture, { filename: 'x.tmx' });
    expect(forged.status).toBe(403);
  });
});
