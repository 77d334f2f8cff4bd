import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createStory } from '../../src/commands/create-story.js';
import { LibreTranslate } from '../../src/mt/libretranslate.js';
import { machineSuggestions } from '../../src/mt/machine-translation.js';
import { prepareTranslationTask } from '../../src/workflow/prepare-task.js';
import { addToMemory } from '../../src/workflow/translation-memory.js';
import { startFakeLibreTranslate, type FakeLibreTranslate } from '../support/libretranslate-server.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import { deskUser, signIn } from '../desk/desk-helpers.js';
import { buildUser } from '../workflow/support.js';

const LANGS = ['ru', 'en', 'tg', 'hy'];
let mt: FakeLibreTranslate;
let rt: TestRuntime;
beforeAll(async () => {
  mt = await startFakeLibreTranslate({ apiKey: 'secret-key' });
  rt = await startTestRuntime({
    NEWSROOM_LANGUAGES: LANGS.join(','),
    NEWSROOM_PIVOTS: 'tg:en',
    MT_URL: mt.url,
    MT_API_KEY: 'secret-key',
    MT_TIMEOUT_MS: '2500',
    MT_RETRIES: '2',
    MT_PAIRS: 'ru:en,en:tg',
  });
});
afterAll(async () => {
  await rt?.close();
  await mt?.close();
});
beforeEach(async () => {
  mt.behaviour = 'ok';
  mt.requests.length = 0;
  await rt.ctx.redis.del(rt.ctx.keys.mt.down('libretranslate'));
});

const translateCalls = () => mt.requests.filter((r) => r.path === '/translate');

async function prepare(body: string) {
  const editor = await buildUser(['editor'], [], LANGS);
  const { storyId } = await createStory(rt.ctx, editor.actor, {
    title: 'Совет одобрил план',
    body,
    publish: true,
  });
  const out = await prepareTranslationTask(rt.ctx, { storyId, from: 'ru', to: 'en' });
  if (!('task' in out)) throw new Error(`no task: ${out.status}`);
  return out.task;
}

describe('machine translation through the LibreTranslate API', () => {
  it('pre-translates segments as pre-translated MT, codes intact, beside a labelled suggestion', async () => {
    await addToMemory(rt.ctx, 'ru:en', [
      { source: 'Совет одобрил план', target: 'The council approved the plan' },
    ]);
    const task = await prepare('<p>Заседание пройдёт в <b>Москве</b>. Министры обороны встретились.</p>');
    const [title, first, second] = task.segments;
    // A 100 % memory match wins; MT is only a suggestion beside it.
    expect(title).toMatchObject({ origin: 'tm_exact', target: 'The council approved the plan' });
    expect(title.suggestions.map((s) => s.kind)).toEqual(['tm', 'mt']);
    expect(first).toMatchObject({
      source: 'Заседание пройдёт в {1}Москве{/1}.',
      target: 'Meeting will take place in {1}Moscow{/1}.',
      origin: 'mt',
      status: 'pretranslated',
    });
    expect(first.suggestions[0]).toMatchObject({
      kind: 'mt',
      score: 0.7,
      provider: 'libretranslate',
      from: 'ru',
    });
    expect(second).toMatchObject({
      target: 'Ministers of defence met.',
      origin: 'mt',
      status: 'pretranslated',
    });
    // One batched call for the task, as HTML with our codes as tags, with the API key.
    const calls = translateCalls();
    expect(calls).toHaveLength(1);
    expect(calls[0].body).toMatchObject({
      source: 'ru',
      target: 'en',
      format: 'html',
      api_key: 'secret-key',
    });
    expect(calls[0].body.q).toContain('Заседание пройдёт в <g id="1">Москве</g>.');
  });

  it('labels MT as MT on the desk task page, never with a percentage', async () => {
    const task = await prepare('<p>Совет одобрил план в июне.</p>');
    const login = await deskUser({ roles: ['translator'], pairs: ['ru:en'] }, LANGS);
    const agent = await signIn(rt.app, login.email, login.password);
    const page = await agent.get(`/desk/tasks/${encodeURIComponent(task._id)}`).expect(200);
    // The desk speaks Russian to this user: «МП» is the label, the provider in its title.
    expect(page.text).toContain(
      'data-kind="mt" title="Машинный перевод (libretranslate): проверьте каждое слово">МП</span>',
    );
    expect(page.text).not.toContain('70 %');
  });

  it('caches each segment: asking again makes no call', async () => {
    const source = 'Секретарь выступил в {1}Минске{/1}.';
    const [a] = await machineSuggestions(rt.ctx, 'ru:en', [source]);
    expect(a).toMatchObject({ target: 'Secretary spoke in {1}Minsk{/1}.', codesIntact: true });
    const [b] = await machineSuggestions(rt.ctx, 'ru:en', [source]);
    expect(b).toEqual(a);
    expect(translateCalls()).toHaveLength(1);
  });

  it('offers a translation that lost its codes without them, and never pre-fills it', async () => {
    mt.behaviour = 'drop-tags';
    const task = await prepare('<p>Совет одобрил <i>план</i> в июне.</p>');
    const seg = task.segments.find((s) => s.source.includes('{1}'))!;
    expect(seg).toMatchObject({ origin: 'none', target: '', status: 'empty' });
    expect(seg.suggestions.at(-1)).toMatchObject({
      kind: 'mt',
      target: 'Council approved plan in June.',
      codesIntact: false,
    });
  });

  it('is pivot-aware: an en:tg task is translated from the English text', async () => {
    const [s] = await machineSuggestions(rt.ctx, 'en:tg', ['The meeting will take place in June.']);
    expect(s).toMatchObject({ kind: 'mt', from: 'en' });
    expect(translateCalls()[0].body).toMatchObject({ source: 'en', target: 'tg' });
  });

  it('calls nothing for a pair MT is not enabled for', async () => {
    expect(await machineSuggestions(rt.ctx, 'ru:hy', ['Совет одобрил план.'])).toEqual([null]);
    expect(mt.requests).toEqual([]);
  });

  it('retries a rate limit and gets the translation', async () => {
    mt.behaviour = 'rate-limit-once';
    const [s] = await machineSuggestions(rt.ctx, 'ru:en', ['Министры одобрили план.']);
    expect(s?.kind).toBe('mt');
    expect(translateCalls().length).toBeGreaterThanOrEqual(1);
  });
});

describe('a failing or slow engine', () => {
  let auth: Record<string, string>;
  beforeAll(async () => {
    auth = (await buildUser(['translator'], ['ru:en'], LANGS)).auth;
  });

  it('answers the workbench without a suggestion, never an error, when the engine times out', async () => {
    mt.behaviour = 'slow';
    mt.slowMs = 8_000;
    const res = await request(rt.app)
      .get('/api/v1/mt/ru:en')
      .query({ source: 'Заседание пройдёт в Москве совсем скоро.' })
      .set(auth);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ available: true, suggestion: null });
    // The engine is left alone for a while: the next segment does not wait for it again.
    mt.requests.length = 0;
    const again = await request(rt.app)
      .get('/api/v1/mt/ru:en')
      .query({ source: 'Другое предложение.' })
      .set(auth);
    expect(again.body).toEqual({ available: true, suggestion: null });
    expect(mt.requests).toEqual([]);
  });

  it('creates the task without MT when the engine fails (500 after retries)', async () => {
    mt.behaviour = 'error';
    const task = await prepare('<p>Секретарь выступил сегодня утром.</p>');
    expect(task.segments[1]).toMatchObject({ origin: 'none', target: '', status: 'empty' });
    expect(task.segments[1].suggestions.filter((s) => s.kind === 'mt')).toEqual([]);
    expect(translateCalls()).toHaveLength(3); // one call, two retries
  });

  it('refuses a wrong API key as the engine rejecting the call, without retrying', async () => {
    const engine = new LibreTranslate({ url: mt.url, apiKey: 'wrong-key', timeoutMs: 1_000, retries: 2 });
    await expect(engine.translate(['Совет.'], 'ru', 'en')).rejects.toMatchObject({ code: 'rejected' });
    expect(translateCalls()).toHaveLength(1);
  });
});
