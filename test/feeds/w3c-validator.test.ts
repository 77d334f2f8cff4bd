import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uploadMedia } from '../../src/media/upload-media.js';
import { Release } from '../../src/models/release.js';
import { smallPng } from '../media/pictures.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import { publish } from './support.js';

/**
 * The W3C Feed Validation Service's own code on our RSS and Atom feeds of every language,
 * with pictures, corrections, an outdated translation, tags and archives (a `next` page).
 * The validator is on no package registry: point FEEDVALIDATOR_SRC at the `src` folder of a
 * checkout of github.com/w3c/feedvalidator (it needs python3 with lxml, html5lib and rdflib:
 * Debian's python3-lxml, python3-html5lib, python3-rdflib). Without it this file is skipped
 * with a warning; the checks that always run are partners.test.ts and feeds-content.test.ts.
 */
const SRC = process.env.FEEDVALIDATOR_SRC;
/** A Python that has what the validator imports (Debian's packages live in /usr/bin/python3). */
const python = ['/usr/bin/python3', 'python3'].find(
  (p) => spawnSync(p, ['-c', 'import lxml, html5lib, rdflib'], { encoding: 'utf8' }).status === 0,
);
const available = !!SRC && !!python && existsSync(join(SRC, 'feedvalidator', '__init__.py'));
if (!available)
  console.warn(
    'W3C feed validation skipped: set FEEDVALIDATOR_SRC to the src folder of a w3c/feedvalidator checkout (python3 with lxml, html5lib, rdflib)',
  );

let rt: TestRuntime;
const LANGS = ['ru', 'en', 'hy', 'be', 'kk', 'ky', 'tg'];
const at = (day: number) => new Date(Date.UTC(2024, 6, day, 9));

interface ValidatorEvent {
  level: 'Error' | 'Warning' | 'Info';
  type: string;
  text: string;
}

/**
 * The one warning we keep: the validator warns about every namespace it does not know, and our
 * extension elements (translation status, docs/syndication.md) are in our own namespace by
 * design, so that readers that do not know them ignore them.
 */
const isOurExtension = (e: ValidatorEvent) =>
  e.type === 'UnknownNamespace' && e.text.endsWith('urn:newsroom:feed-extensions:1');

function validate(body: string, contentType: string, url: string): ValidatorEvent[] {
  const run = spawnSync(python!, ['test/feeds/w3c-feedvalidator.py', SRC!, contentType, url], {
    input: body,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`feedvalidator failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as ValidatorEvent[];
}

beforeAll(async () => {
  if (!available) return;
  // A public address as in production (the validator wants a domain name in enclosure URLs).
  rt = await startTestRuntime({ PUBLIC_URL: 'https://press.example.org' });
  const admin = { id: 'admin@example.org', name: 'Admin', roles: ['admin' as const], pairs: [] };
  const { media } = await uploadMedia(rt.ctx, admin, {
    data: await smallPng(1400, 900),
    filename: 'summit.png',
    mimeType: 'image/png',
  });
  const image = {
    media: media._id,
    width: 1400,
    height: 900,
    hasAlpha: false,
    alt: 'Главы делегаций',
    caption: 'Саммит в Астане',
    credit: 'Пресс-служба',
  };
  const body =
    '<p>Заседание &amp; брифинг пройдут <a href="/ru/news/">здесь</a> 27 июня 2019 года.</p>' +
    `<figure><img src="/media/${media._id}/640.jpg" alt="График" width="640" height="411"><figcaption>График</figcaption></figure>` +
    '<table><tr><th>Год</th><th>Сумма</th></tr><tr><td>2024</td><td>1 000</td></tr></table>';
  for (let i = 0; i < 4; i++) {
    const storyId = `w3cstory${i}`;
    for (const lang of LANGS) {
      await publish(rt, {
        storyId,
        lang,
        title: `${lang.toUpperCase()} ${i}: «Заседание» & <брифинг>`,
        lead: i === 2 ? '' : `Лид ${i} (${lang})`,
        body,
        section: i % 2 ? 'statements' : 'news',
        tags: ['security', 'Астана'],
        publishedAt: at(i + 1),
        translatedFrom: lang === 'ru' ? undefined : 'ru',
        ...(i === 1 ? { image } : {}),
      });
    }
  }
  // Story 3: every language corrected with a note; story 0: the original changed, the English
  // translation is outdated.
  for (const lang of LANGS) {
    const r = await Release.findById(`w3cstory3.${lang}`).lean();
    await publish(rt, {
      storyId: 'w3cstory3',
      lang,
      title: r!.title,
      lead: r!.lead,
      body: `${body}<p>Исправлено.</p>`,
      section: r!.section,
      tags: r!.tags,
      translatedFrom: r!.translatedFrom ?? undefined,
      expectedRevision: r!.revision,
      change: { kind: 'correction', note: 'Дата была указана неверно.' },
    });
  }
  const en0 = await Release.findById('w3cstory0.en').lean();
  await publish(rt, {
    storyId: 'w3cstory0',
    lang: 'en',
    title: en0!.title,
    lead: en0!.lead,
    body: en0!.body,
    section: en0!.section,
    tags: en0!.tags,
    translatedFrom: 'ru',
    outdated: true,
  });
});
afterAll(async () => {
  await rt?.close();
});

describe('the W3C feed validator', () => {
  it.skipIf(!available)('finds no error and no warning in any language’s RSS and Atom feeds', async () => {
    const report: string[] = [];
    const problems: string[] = [];
    for (const lang of LANGS) {
      for (const path of [
        `/${lang}/rss.xml`,
        `/${lang}/atom.xml`,
        `/${lang}/rss.xml?limit=2`,
        `/${lang}/sections/statements/atom.xml`,
      ]) {
        const res = await request(rt.app).get(path).set('Accept-Encoding', 'identity').expect(200);
        const url = `${rt.ctx.config.publicUrl}${path}`;
        const events = validate(res.text, res.headers['content-type'], url);
        const serious = events.filter((e) => e.level !== 'Info' && !isOurExtension(e));
        report.push(`${path}: ${serious.length ? serious.map((e) => e.type).join(', ') : 'valid'}`);
        problems.push(...serious.map((e) => `${path} ${e.level} ${e.type}: ${e.text}`));
      }
    }
    console.log(`W3C feed validator:\n${report.join('\n')}`);
    expect(problems).toEqual([]);
  });
});
