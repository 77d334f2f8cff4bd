import { spawnSync } from 'node:child_process';
import { parseAtomFeed, parseJsonFeed, parseRssFeed } from 'feedsmith';
import Parser from 'rss-parser';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Release } from '../../src/models/release.js';
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
  entries: { id: string; link: string; published: number | null; updated: number | null }[];
}

function feedparser(body: string, contentType = 'application/xml'): FeedparserResult {
  const run = spawnSync(python!, ['test/feeds/feedparser-read.py', contentType], {
    input: body,
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`feedparser failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as FeedparserResult;
}

beforeAll(async () => {
  rt = await startTestRuntime();
  base = rt.ctx.config.publicUrl;
  for (const [i, storyId] of STORIES.entries()) {
    await publish(rt, { storyId, lang: 'ru', title: `Оригинал ${i}`, publishedAt: at(i + 1) });
    await publish(rt, {
      storyId,
      lang: 'en',
      title: `Translation ${i}`,
      publishedAt: at(i + 1),
      translatedFrom: 'ru',
    });
    await publish(rt, {
      storyId,
      lang: 'kk',
      title: `Аударма ${i}`,
      publishedAt: at(i + 1),
      translatedFrom: 'ru',
    });
  }
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

describe('rss-parser, feedsmith and feedparser agree', () => {
  it('on every item link, guid and publication/update time', async () => {
    const rss = (await get('/en/rss.xml').expect(200)).text;
    const atom = (await get('/en/atom.xml').expect(200)).text;
    const json = JSON.parse((await get('/en/feed.json').expect(200)).text);
    const views: Record<string, { id: string; link: string; published: number; updated?: number }[]> = {};
    const rp = await new Parser().parseString(rss);
    views['rss-parser rss'] = rp.items.map((i) => ({
      id: i.guid ?? '',
      link: i.link ?? '',
      published: Date.parse(i.isoDate ?? ''),
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
    }));
    views['feedsmith atom'] = (parseAtomFeed(atom).entries ?? []).map((e) => ({
      id: e.id ?? '',
      link: e.links?.find((l) => l.rel === 'alternate')?.href ?? '',
      published: Date.parse(e.published ?? ''),
      updated: Date.parse(e.updated ?? ''),
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
        }));
      }
    }
    const expected = await Promise.all(
      [...STORIES].reverse().map(async (s) => {
        const r = await Release.findById(`${s}.en`).lean();
        return { id: guidOf(r!._id), link: await expectedLink(r!._id), published: r!.publishedAt!.getTime() };
      }),
    );
    for (const [name, items] of Object.entries(views)) {
      expect(
        items.map(({ id, link, published }) => ({ id, link, published })),
        name,
      ).toEqual(expected);
    }
    // The outdated translation moved its update time forward in every format that carries one.
    const outdatedId = guidOf(`${STORIES[6]}.en`);
    for (const [name, items] of Object.entries(views)) {
      const item = items.find((i) => i.id === outdatedId)!;
      if (item.updated !== undefined) expect(item.updated, name).toBeGreaterThan(item.published);
    }
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
