import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Release } from '../../src/models/release.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import { guidOf, publish } from './support.js';

/**
 * ninjs 2.1 conformance, property by property, as the IPTC specification (ninjs-schema_2.1)
 * defines them: `uri` is required and a URI; only the specification's properties may
 * appear (it closes the object with unevaluatedProperties); enumerations, date-times and
 * the shapes of headlines, bodies, subjects, renditions, associations and altids.
 */
const ROOT_PROPERTIES = new Set(
  (
    'uri type representationtype profile version firstcreated versioncreated contentcreated embargoed ' +
    'pubstatus urgency copyrightholder copyrightnotice usageterms ednote language descriptions bodies ' +
    'headlines people organisations places subjects events objects infosources title by slugline located ' +
    'renditions associations altids trustindicators standard genres expires rightsinfo'
  ).split(' '),
);
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const isUri = (v: unknown) => typeof v === 'string' && /^[a-z][a-z0-9+.-]*:/i.test(v) && URL.canParse(v);

function onlyKeys(obj: Record<string, unknown>, allowed: string[], where: string) {
  for (const key of Object.keys(obj)) expect(allowed, `${where}: unexpected '${key}'`).toContain(key);
}

/** Asserts one ninjs object against the 2.1 rules; `association` allows its `name`. */
function checkNinjs(n: Record<string, unknown>, where: string, association = false) {
  expect(isUri(n.uri), `${where}: uri`).toBe(true);
  for (const key of Object.keys(n)) {
    if (association && key === 'name') continue;
    expect(ROOT_PROPERTIES.has(key), `${where}: '${key}' is not a ninjs 2.1 property`).toBe(true);
  }
  if (association) expect(typeof n.name, `${where}: name`).toBe('string');
  if ('type' in n)
    expect(['text', 'audio', 'video', 'picture', 'graphic', 'composite', 'component']).toContain(n.type);
  if ('representationtype' in n) expect(['full', 'partial']).toContain(n.representationtype);
  if ('pubstatus' in n) expect(['usable', 'withheld', 'canceled']).toContain(n.pubstatus);
  for (const key of ['firstcreated', 'versioncreated', 'contentcreated', 'embargoed', 'expires'])
    if (key in n) expect(n[key], `${where}: ${key}`).toMatch(DATE_TIME);
  for (const key of [
    'version',
    'language',
    'profile',
    'copyrightholder',
    'by',
    'slugline',
    'ednote',
    'title',
  ])
    if (key in n) expect(typeof n[key], `${where}: ${key}`).toBe('string');
  for (const key of ['headlines', 'descriptions', 'bodies'] as const) {
    for (const [i, h] of ((n[key] as Record<string, unknown>[]) ?? []).entries()) {
      expect(typeof h.value, `${where}: ${key}[${i}].value`).toBe('string');
      onlyKeys(
        h,
        key === 'bodies'
          ? ['role', 'contenttype', 'charcount', 'wordcount', 'value']
          : ['role', 'contenttype', 'value'],
        `${where}: ${key}[${i}]`,
      );
      if (key === 'bodies') {
        expect(typeof h.charcount).toBe('number');
        expect(typeof h.wordcount).toBe('number');
      }
    }
  }
  for (const [i, s] of ((n.subjects as Record<string, unknown>[]) ?? []).entries())
    onlyKeys(
      s,
      ['name', 'rel', 'uri', 'literal', 'creator', 'relevance', 'confidence'],
      `${where}: subjects[${i}]`,
    );
  for (const [i, r] of ((n.renditions as Record<string, unknown>[]) ?? []).entries()) {
    expect(typeof r.name, `${where}: renditions[${i}].name`).toBe('string');
    onlyKeys(
      r,
      ['name', 'href', 'contenttype', 'title', 'height', 'width', 'sizeinbytes', 'duration', 'format'],
      `${where}: renditions[${i}]`,
    );
    if ('href' in r) expect(isUri(r.href), `${where}: renditions[${i}].href`).toBe(true);
    for (const k of ['height', 'width', 'sizeinbytes', 'duration'])
      if (k in r) expect(typeof r[k]).toBe('number');
  }
  for (const [i, a] of ((n.altids as Record<string, unknown>[]) ?? []).entries())
    onlyKeys(a, ['role', 'value'], `${where}: altids[${i}]`);
  if ('standard' in n)
    onlyKeys(n.standard as Record<string, unknown>, ['name', 'version', 'schema'], `${where}: standard`);
  for (const [i, a] of ((n.associations as Record<string, unknown>[]) ?? []).entries())
    checkNinjs(a, `${where}: associations[${i}]`, true);
}

let rt: TestRuntime;
let base: string;
const get = (path: string) => request(rt.app).get(path);
const S = 'ninjsstorya';
const T = 'ninjsstoryb';

beforeAll(async () => {
  rt = await startTestRuntime();
  base = rt.ctx.config.publicUrl;
  const at = (d: number) => new Date(Date.UTC(2024, 9, d, 8));
  await publish(rt, {
    storyId: S,
    lang: 'ru',
    title: 'Совещание в Минске',
    body: '<p>Текст <img src="/media/a.jpg" alt="фото"></p>',
    tags: ['минск'],
    publishedAt: at(1),
  });
  await publish(rt, {
    storyId: S,
    lang: 'en',
    title: 'Meeting in Minsk',
    publishedAt: at(1),
    translatedFrom: 'ru',
  });
  await publish(rt, { storyId: T, lang: 'en', title: 'Withdrawn later', publishedAt: at(2) });
  await publish(rt, { storyId: T, lang: 'en', title: 'Withdrawn later', status: 'archived' });
});
afterAll(async () => {
  await rt?.close();
});

describe('ninjs 2.1', () => {
  it('the feed holds valid ninjs objects of one language, newest first, with paging', async () => {
    const res = await get('/ru/ninjs.json').expect(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers.etag).toBeTruthy();
    const feed = res.body as { items: Record<string, unknown>[]; standard: Record<string, string> };
    expect(feed.standard).toEqual({
      name: 'ninjs',
      version: '2.1',
      schema: 'http://www.iptc.org/std/ninjs/ninjs-schema_2.1.json',
    });
    expect(feed.items).toHaveLength(1);
    for (const item of feed.items) checkNinjs(item, String(item.uri));
    const en = (await get('/en/ninjs.json?limit=1').expect(200)).body as {
      items: Record<string, unknown>[];
      next_url?: string;
    };
    expect(en.items.map((i) => i.uri)).toEqual([guidOf(`${S}.en`)]);
    expect(en.next_url).toBeUndefined(); // T.en is no longer published
  });

  it('an item says language, version times, pubstatus, no embargo, and its translation relations', async () => {
    const ru = (await get(`/ru/ninjs/${S}.json`).expect(200)).body as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- walked property by property below
    checkNinjs(ru, 'ru item');
    const release = await Release.findById(`${S}.ru`).lean();
    expect(ru).toMatchObject({
      uri: guidOf(`${S}.ru`),
      type: 'text',
      language: 'ru',
      pubstatus: 'usable',
      version: String(release!.revision),
      firstcreated: release!.publishedAt!.toISOString(),
      headlines: [{ role: 'main', contenttype: 'text/plain', value: 'Совещание в Минске' }],
    });
    expect(Date.parse(ru.versioncreated)).toBeGreaterThanOrEqual(Date.parse(ru.firstcreated));
    expect(ru).not.toHaveProperty('embargoed'); // absent means not embargoed
    expect(ru.bodies[0]).toMatchObject({ role: 'main', contenttype: 'text/html', wordcount: 1 });
    expect(ru.renditions).toEqual([
      expect.objectContaining({
        name: 'web',
        href: `${base}/ru/news/${release!.slug}`,
        contenttype: 'text/html',
      }),
    ]);
    expect(ru.subjects).toEqual(
      expect.arrayContaining([expect.objectContaining({ rel: 'tag', literal: 'минск' })]),
    );
    const names = ru.associations.map((a: { name: string }) => a.name);
    expect(names).toEqual(['translation-en', 'image']);
    expect(ru.associations[0]).toMatchObject({ uri: guidOf(`${S}.en`), language: 'en', type: 'text' });
    expect(ru.associations[1]).toMatchObject({
      type: 'picture',
      renditions: [{ name: 'original', href: `${base}/media/a.jpg`, contenttype: 'image/jpeg' }],
    });
    const en = (await get(`/en/ninjs/${S}.json`).expect(200)).body as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- walked property by property below
    checkNinjs(en, 'en item');
    expect(en.associations[0]).toMatchObject({ name: 'original', uri: guidOf(`${S}.ru`), language: 'ru' });
  });

  it('a withdrawn release is canceled; an unknown one is a 404', async () => {
    const gone = (await get(`/en/ninjs/${T}.json`).expect(200)).body as Record<string, unknown>;
    checkNinjs(gone, 'canceled');
    expect(gone).toMatchObject({ uri: guidOf(`${T}.en`), pubstatus: 'canceled', language: 'en' });
    expect(gone).not.toHaveProperty('bodies');
    await get(`/ru/ninjs/${T}.json`).expect(404);
    await get('/ru/ninjs/..%2Fx.json').expect(404);
  });

  it('an outdated translation carries an editorial note', async () => {
    const en = await Release.findById(`${S}.en`).lean();
    await publish(rt, {
      storyId: S,
      lang: 'en',
      title: en!.title,
      body: en!.body,
      translatedFrom: 'ru',
      outdated: true,
    });
    const item = (await get(`/en/ninjs/${S}.json`).expect(200)).body as Record<string, unknown>;
    checkNinjs(item, 'outdated');
    expect(item.ednote).toMatch(/^This translation is being revised/);
  });
});
