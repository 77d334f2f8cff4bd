import { spawnSync } from 'node:child_process';
import { parseAtomFeed, parseJsonFeed, parseRssFeed } from 'feedsmith';
import Parser from 'rss-parser';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uploadMedia } from '../../src/media/upload-media.js';
import { Release } from '../../src/models/release.js';
import { smallPng } from '../media/pictures.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import { guidOf, publish } from './support.js';

/**
 * What syndication partners' own clients read from our feeds: Python's feedparser (the most
 * used feed library), rss-parser and feedsmith must agree on every item's link, guid and
 * dates; translations are flagged when they fall behind; a partner can backfill every item.
 */
let rt: TestRuntime;
let base: string;
const get = (path: string) => request(rt.app).get(path).set('Accept-Encoding', 'identity');

const STORIES = Array.from({ length: 7 }, (_, i) => `partnerstory${i}`);
const at = (day: number) => new Date(Date.UTC(2024, 8, day, 9, 0, 0));

/** The Python that has feedparser (Debian's python3-feedparser lives in /usr/bin/python3). */
function findFeedparser(): string | undefined {
  for (const python of ['/usr/bin/python3', 'python3']) {
    const probe = spawnSync(python, ['-c', 'import feedparser'], { encoding: 'utf8' });
    if (probe.status === 0) return python;
  }
  return undefined;
}
const python = findFeedparser();

interface FeedparserResult {
  bozo: boolean;
  bozo_exception: string;
  version: string;
  next: string[];
  entries: {
    id: string;
    link: string;
    published: number | null;
    updated: number | null;
    enclosures: { href: string; length: string; type: string }[];
  }[];
}

function feedparser(body: string, contentType = 'application/xml'): FeedparserResult {
  const run = spawnSync(python!, ['test/feeds/feedparser-read.py', contentType], {
    input: body,
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`feedparser failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as FeedparserResult;
}

const LANGS = ['ru', 'en', 'kk'] as const;
/** Story 3 has a lead picture in every language; this is its main rendition's URL and size. */
let picture: { url: string; length: number };

beforeAll(async () => {
  rt = await startTestRuntime();
  base = rt.ctx.config.publicUrl;
  const admin = { id: 'admin@example.org', name: 'Admin', roles: ['admin' as const], pairs: [] };
  const { media } = await uploadMedia(rt.ctx, admin, {
    data: await smallPng(900, 600),
    filename: 'summit.png',
    mimeType: 'image/png',
  });
  const image = (alt: string) => ({
    media: media._id,
    width: 900,
    height: 600,
    hasAlpha: false,
    alt,
    caption: '',
    credit: 'Пресс-служба',
  });
  for (const [i, storyId] of STORIES.entries()) {
    const withImage = i === 3 ? { image: image(`Фото ${i}`) } : {};
    await publish(rt, { storyId, lang: 'ru', title: `Оригинал ${i}`, publishedAt: at(i + 1), ...withImage });
    await publish(rt, {
      storyId,
      lang: 'en',
      title: `Translation ${i}`,
      publishedAt: at(i + 1),
      translatedFrom: 'ru',
      ...withImage,
    });
    await publish(rt, {
      storyId,
      lang: 'kk',
      title: `Аударма ${i}`,
      publishedAt: at(i + 1),
      translatedFrom: 'ru',
      ...withImage,
    });
  }
  const path = `/media/${media._id}/900.jpg`; // no transparency: the JPEG fallback
  const served = await request(rt.app).get(path).buffer(true).expect(200);
  picture = { url: `${base}${path}`, length: served.body.length };
  // Story 2: the Kazakh translation was corrected, with a note.
  const kk2 = await Release.findById(`${STORIES[2]}.kk`).lean();
  await publish(rt, {
    storyId: STORIES[2],
    lang: 'kk',
    title: kk2!.title,
    body: '<p>Түзетілген мәтін</p>',
    translatedFrom: 'ru',
    expectedRevision: kk2!.revision,
    change: { kind: 'correction', note: 'Күні қате көрсетілген.' },
  });
  // Story 6: the Russian original was corrected, and its English translation is now outdated.
  const ru6 = await Release.findById(`${STORIES[6]}.ru`).lean();
  await publish(rt, {
    storyId: STORIES[6],
    lang: 'ru',
    title: ru6!.title,
    body: '<p>Исправленный текст</p>',
  });
  const en6 = await Release.findById(`${STORIES[6]}.en`).lean();
  await publish(rt, {
    storyId: STORIES[6],
    lang: 'en',
    title: en6!.title,
    body: en6!.body,
    translatedFrom: 'ru',
    outdated: true,
  });
});
afterAll(async () => {
  await rt?.close();
});

const expectedLink = async (releaseId: string) => {
  const r = await Release.findById(releaseId).lean();
  return `${base}/${r!.lang}/news/${r!.slug}`;
};

describe('feedparser (Python)', () => {
  // feedparser 6.0 (Debian 13's) reads RSS and Atom; JSON Feed support came later.
  it.skipIf(!python)('takes each item its own link, guid and dates in RSS and Atom', async () => {
    for (const file of ['rss.xml', 'atom.xml']) {
      const res = await get(`/en/${file}`).expect(200);
      const parsed = feedparser(res.text, res.headers['content-type']);
      expect(parsed.bozo, `${file}: ${parsed.bozo_exception}`).toBe(false);
      expect(parsed.entries).toHaveLength(STORIES.length);
      for (const entry of parsed.entries) {
        const releaseId = entry.id.replace('urn:newsroom:release:', '');
        const release = await Release.findById(releaseId).lean();
        expect(release?.lang, `${file} ${entry.id}`).toBe('en');
        expect(entry.link, `${file} ${entry.id}`).toBe(await expectedLink(releaseId));
        expect(entry.published, `${file} ${entry.id}`).toBe(release!.publishedAt!.getTime() / 1000);
      }
    }
  });
  it('is installed where the suite runs (CI installs python3-feedparser)', () => {
    if (!python) console.warn('python3-feedparser is absent: the feedparser checks were skipped');
    expect(python || process.env.CI !== 'true').toBeTruthy();
  });
});

type View = {
  id: string;
  link: string;
  published: number;
  updated?: number;
  enclosure?: { url: string; length: number };
};
const enclosureOf = (e?: { url?: string; href?: string; length?: number | string }) =>
  e && (e.url ?? e.href) ? { url: (e.url ?? e.href)!, length: Number(e.length) } : undefined;

/** Every parser's reading of the language's three feeds, reduced to what they must agree on. */
async function readEverywhere(lang: string): Promise<Record<string, View[]>> {
  const rss = (await get(`/${lang}/rss.xml`).expect(200)).text;
  const atom = (await get(`/${lang}/atom.xml`).expect(200)).text;
  const json = JSON.parse((await get(`/${lang}/feed.json`).expect(200)).text);
  const views: Record<string, View[]> = {};
  const rp = await new Parser().parseString(rss);
  views['rss-parser rss'] = rp.items.map((i) => ({
    id: i.guid ?? '',
    link: i.link ?? '',
    published: Date.parse(i.isoDate ?? ''),
    enclosure: enclosureOf(i.enclosure),
  }));
  const rpAtom = await new Parser().parseString(atom);
  views['rss-parser atom'] = rpAtom.items.map((i) => ({
    id: (i as { id?: string }).id ?? i.guid ?? '',
    link: i.link ?? '',
    published: Date.parse(i.isoDate ?? ''),
  }));
  views['feedsmith rss'] = (parseRssFeed(rss).items ?? []).map((i) => ({
    id: i.guid?.value ?? '',
    link: i.link ?? '',
    published: Date.parse(i.pubDate ?? ''),
    updated: i.atom?.updated ? Date.parse(i.atom.updated) : undefined,
    enclosure: enclosureOf(i.enclosures?.[0]),
  }));
  views['feedsmith atom'] = (parseAtomFeed(atom).entries ?? []).map((e) => ({
    id: e.id ?? '',
    link: e.links?.find((l) => l.rel === 'alternate')?.href ?? '',
    published: Date.parse(e.published ?? ''),
    updated: Date.parse(e.updated ?? ''),
    enclosure: enclosureOf(e.links?.find((l) => l.rel === 'enclosure')),
  }));
  views['feedsmith json'] = (parseJsonFeed(json).items ?? []).map((i) => ({
    id: i.id ?? '',
    link: i.url ?? '',
    published: Date.parse(i.date_published ?? ''),
    updated: Date.parse(i.date_modified ?? ''),
  }));
  if (python) {
    for (const [name, body] of [
      ['rss', rss],
      ['atom', atom],
    ] as const) {
      views[`feedparser ${name}`] = feedparser(body).entries.map((e) => ({
        id: e.id,
        link: e.link,
        published: (e.published ?? 0) * 1000,
        updated: name === 'rss' ? undefined : (e.updated ?? 0) * 1000,
        enclosure: enclosureOf(e.enclosures[0]),
      }));
    }
  }
  return views;
}

describe('rss-parser, feedsmith and feedparser agree', () => {
  it.each(LANGS)('in %s: on every item link, guid, publication time and enclosure', async (lang) => {
    const views = await readEverywhere(lang);
    const expected = await Promise.all(
      [...STORIES].reverse().map(async (s) => {
        const r = await Release.findById(`${s}.${lang}`).lean();
        return {
          id: guidOf(r!._id),
          link: await expectedLink(r!._id),
          published: r!.publishedAt!.getTime(),
          enclosure: s === STORIES[3] ? picture : undefined,
        };
      }),
    );
    for (const [name, items] of Object.entries(views)) {
      // rss-parser reads no Atom enclosure, and JSON Feed has none (it has `image`).
      const withEnclosures = !['rss-parser atom', 'feedsmith json'].includes(name);
      expect(
        items.map(({ id, link, published, enclosure }) => ({
          id,
          link,
          published,
          enclosure: withEnclosures ? enclosure : expected.find((e) => e.id === id)?.enclosure,
        })),
        name,
      ).toEqual(expected);
    }
    // A corrected or outdated item moved its update time forward in every format that has one.
    const changed =
      lang === 'en' ? `${STORIES[6]}.en` : lang === 'kk' ? `${STORIES[2]}.kk` : `${STORIES[6]}.ru`;
    for (const [name, items] of Object.entries(views)) {
      const item = items.find((i) => i.id === guidOf(changed))!;
      if (item.updated !== undefined) expect(item.updated, name).toBeGreaterThan(item.published);
    }
  });

  it('the JSON Feed names the lead picture as image and banner_image', async () => {
    const json = JSON.parse((await get('/kk/feed.json').expect(200)).text);
    const item = json.items.find((i: { id: string }) => i.id === guidOf(`${STORIES[3]}.kk`));
    expect(item).toMatchObject({ image: picture.url, banner_image: picture.url });
  });
});

describe('translation status in every format', () => {
  it('marks originals, translations with their source, and outdated translations', async () => {
    const outdated = `${STORIES[6]}.en`;
    const current = `${STORIES[0]}.en`;
    const ruUrl = await expectedLink(`${STORIES[6]}.ru`);

    const json = JSON.parse((await get('/en/feed.json').expect(200)).text);
    const byId = (id: string) => json.items.find((i: { id: string }) => i.id === guidOf(id));
    expect(byId(outdated)._newsroom).toMatchObject({
      original: false,
      translated_from: 'ru',
      translated_from_url: ruUrl,
      outdated: true,
    });
    expect(Date.parse(byId(outdated)._newsroom.outdated_since)).toBeGreaterThan(at(7).getTime());
    expect(byId(outdated).summary).toMatch(
      /^This translation is being revised: the original was updated on .+\.( |$)/,
    );
    expect(byId(current)._newsroom).toMatchObject({
      original: false,
      translated_from: 'ru',
      outdated: false,
    });
    const ruJson = JSON.parse((await get('/ru/feed.json').expect(200)).text);
    expect(ruJson.items[0]._newsroom).toMatchObject({ original: true, outdated: false });
    expect(ruJson.items[0]._newsroom.translated_from).toBeUndefined();

    for (const file of ['rss.xml', 'atom.xml']) {
      const xml = (await get(`/en/${file}`).expect(200)).text;
      const items = xml.split(/<item>|<entry>/).slice(1);
      const item = items.find((x) => x.includes(guidOf(outdated)))!;
      expect(item, file).toContain('<newsroom:version>translation</newsroom:version>');
      expect(item, file).toContain(`<newsroom:translated_from lang="ru" href="${ruUrl}"/>`);
      expect(item, file).toMatch(/<newsroom:outdated since="[^"]+">true<\/newsroom:outdated>/);
      expect(item, file).toMatch(file === 'rss.xml' ? /<atom:updated>/ : /<updated>/);
      expect(item, file).toContain('This translation is being revised');
      const fresh = items.find((x) => x.includes(guidOf(current)))!;
      expect(fresh, file).not.toContain('<newsroom:outdated');
      expect(fresh, file).not.toContain('being revised');
    }
    const ruRss = (await get('/ru/rss.xml').expect(200)).text;
    expect(ruRss).toContain('<newsroom:version>original</newsroom:version>');
    expect(ruRss).not.toContain('<newsroom:translated_from');
    // The corrected original's note ends with exactly one full stop, dated as the pages are.
    expect(ruRss).toMatch(/Обновлено \d\d\.\d\d\.\d{4}\. /);
  });
});

describe('archives (RFC 5005 paged feeds, JSON Feed next_url)', () => {
  it('a partner following next links backfills every item once, in every format', async () => {
    const all = [...STORIES].reverse().map((s) => guidOf(`${s}.kk`));
    const pages = async (first: string, read: (body: string) => { ids: string[]; next?: string }) => {
      const seen: string[] = [];
      let url: string | undefined = first;
      for (let n = 0; url && n < 10; n++) {
        const page = read((await get(url.replace(base, '')).expect(200)).text);
        seen.push(...page.ids);
        url = page.next;
      }
      return seen;
    };
    const rss = await pages('/kk/rss.xml?limit=3', (b) => {
      const f = parseRssFeed(b);
      return {
        ids: (f.items ?? []).map((i) => i.guid?.value ?? ''),
        next: f.atom?.links?.find((l) => l.rel === 'next')?.href,
      };
    });
    const atom = await pages('/kk/atom.xml?limit=3', (b) => {
      const f = parseAtomFeed(b);
      return {
        ids: (f.entries ?? []).map((e) => e.id ?? ''),
        next: f.links?.find((l) => l.rel === 'next')?.href,
      };
    });
    const json = await pages('/kk/feed.json?limit=3', (b) => {
      const f = JSON.parse(b);
      return { ids: f.items.map((i: { id: string }) => i.id), next: f.next_url };
    });
    expect(rss).toEqual(all);
    expect(atom).toEqual(all);
    expect(json).toEqual(all);
    if (python) {
      const first = feedparser((await get('/kk/atom.xml?limit=3').expect(200)).text);
      expect(first.next[0]).toMatch(/\/kk\/atom\.xml\?limit=3&after=/);
    }
    await get('/kk/rss.xml?after=not-a-cursor').expect(400);
  });
});
