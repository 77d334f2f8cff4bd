import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GlossaryTerm } from '../../src/models/glossary-term.js';
import { deskUser, signIn, tokenOf } from '../desk/desk-helpers.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';

let rt: TestRuntime;
const fixture = readFileSync(new URL('./fixtures/from-other-tool.tbx', import.meta.url));

beforeAll(async () => {
  rt = await startTestRuntime({ NEWSROOM_LANGUAGES: 'ru,en' });
});
afterAll(async () => {
  await rt?.close();
});

describe('the termbase screen', () => {
  it('lets a reviewer add, import, export and delete terms', async () => {
    const reviewer = await deskUser({ roles: ['reviewer'], pairs: ['ru:en'] }, ['ru', 'en']);
    const agent = await signIn(rt.app, reviewer.email, reviewer.password);
    const csrf = await tokenOf(agent, '/desk/terms/ru%3Aen');
    await agent
      .post('/desk/terms/ru%3Aen')
      .type('form')
      .send({
        _csrf: csrf,
        source: 'миротворческие силы',
        target: 'peacekeeping forces',
        status: 'preferred',
        pos: 'noun',
        note: 'KMS',
      })
      .expect(303);
    await agent
      .post('/desk/terms/ru%3Aen/import')
      .field('_csrf', csrf)
      .attach('file', fixture, { filename: 'agency.tbx' })
      .expect(303);
    const page = await agent.get('/desk/terms/ru%3Aen').expect(200);
    expect(page.text).toContain('Импортировано терминов из agency.tbx: 3.');
    expect(page.text).toContain('peacekeeping forces');
    expect(page.text).toContain('Запрещённый');
    const exported = await agent.get('/desk/terms/ru%3Aen/export').expect(200);
    expect(exported.text).toContain('<term>миротворческие силы</term>');
    const term = await GlossaryTerm.findOne({ source: 'миротворческие силы' }).lean();
    expect(term).toMatchObject({ pos: 'noun', note: 'KMS', status: 'preferred' });
    await agent
      .post(`/desk/terms/ru%3Aen/${encodeURIComponent(term!._id)}/delete`)
      .type('form')
      .send({ _csrf: csrf })
      .expect(303);
    expect(await GlossaryTerm.findById(term!._id).lean()).toBeNull();
    const translator = await deskUser({ roles: ['translator'], pairs: ['ru:en'] }, ['ru', 'en']);
    const t = await signIn(rt.app, translator.email, translator.password);
    expect((await t.get('/desk/terms/ru%3Aen')).status).toBe(403);
  });
});
