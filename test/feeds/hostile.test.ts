import { parseAtomFeed, parseJsonFeed, parseRssFeed } from 'feedsmith';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Release } from '../../src/models/release.js';
import { syncReleaseIndex } from '../../src/read-models/release-index.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import { assertWellFormedXml, guidOf, parseTwice, publish, textOf } from './support.js';

let rt: TestRuntime;

const CONTROL = '\u0000\u0001\u0002\u0008\u000B\u000C\u000E\u001F\u007F\u0085\u009F';
const LONG_TITLE = `Long ${'заголовок '.repeat(499)}end`; // 5,000+ characters
const HOSTILE = {
  controls: { title: `Ctrl${CONTROL}title`, lead: `lead${CONTROL}`, body: `<p>body${CONTROL}text</p>` },
  cdata: {
    title: 'Breaks ]]> CDATA',
    lead: ']]>',
    body: '<p>before ]]> after ]]]]> twice</p><pre>]]&gt;</pre>',
  },
  script: {
    title: '<script>alert("x")</script> & "quotes" \'single\'',
    lead: '<b>not bold</b> & <i>',
    body: '<p>ok</p><script>alert(1)</script><p onclick="x()">click</p>',
  },
  rtl: {
    title: 'مرحبا بالعالم — שלום עולם',
    lead: '\u202Eright-to-left override\u202C',
    body: '<p dir="rtl">نص عربي</p>',
  },
  emoji: {
    title: 'Emoji 🎉 astral 𝕏 and a lone \uD800 surrogate',
    lead: '👍🏽 flags 🇦🇲',
    body: '<p>🚀 \uDC00</p>',
  },
  emptyLead: { title: 'No lead at all', lead: '', body: '<p>The body stands in for the missing lead.</p>' },
  long: { title: 'placeholder', lead: 'x'.repeat(2000), body: `<p>${'слово '.repeat(3000)}</p>` },
};

beforeAll(async () => {
  rt = await startTestRuntime();
  let day = 1;
  for (const [key, v] of Object.entries(HOSTILE)) {
    await publish(rt, {
      storyId: `hostile${key}`,
      lang: 'en',
      ...v,
      publishedAt: new Date(Date.UTC(2024, 0, day++)),
    });
  }
  // Titles over the model's 500-character limit can still arrive from older imports.
  await Release.collection.updateOne({ _id: 'hostilelong.en' as never }, { $set: { title: LONG_TITLE } });
  await syncReleaseIndex(rt.ctx, 'hostilelong.en');
  await rt.ctx.pageCache.invalidateAll();
});
afterAll(async () => {
  await rt?.close();
});

const get = (path: string) => request(rt.app).get(path).expect(200);

describe('hostile content', () => {
  it('RSS and Atom stay well-formed XML 1.0 and parse with two parsers', async () => {
    for (const [format, file] of [
      ['rss', 'rss.xml'],
      ['atom', 'atom.xml'],
    ] as const) {
      const { text } = await get(`/en/${file}`);
      expect(() => assertWellFormedXml(text)).not.toThrow();
      // eslint-disable-next-line no-control-regex -- looking for control characters
      expect(text).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/);
      for (const parsed of parseTwice(format, text)) {
        expect(parsed.items, parsed.parser).toHaveLength(Object.keys(HOSTILE).length);
      }
    }
  });

  it('JSON Feed parses with two parsers and carries no lone surrogates', async () => {
    const { text } = await get('/en/feed.json');
    expect(text).not.toMatch(/\\ud[89a-f][0-9a-f]{2}/i);
    for (const parsed of parseTwice('json', text))
      expect(parsed.items).toHaveLength(Object.keys(HOSTILE).length);
  });

  it('text survives as text: markup escaped, ]]> intact, RTL and emoji kept, illegal characters gone', async () => {
    const rss = parseRssFeed((await get('/en/rss.xml')).text);
    const atom = parseAtomFeed((await get('/en/atom.xml')).text);
    const json = parseJsonFeed(JSON.parse((await get('/en/feed.json')).text));
    const byId = (id: string) => ({
      rss: rss.items!.find((i) => i.guid?.value === guidOf(id))!,
      atom: atom.entries!.find((e) => e.id === guidOf(id))!,
      json: json.items!.find((i) => i.id === guidOf(id))!,
    });
    const titles = (id: string) => {
      const x = byId(id);
      return [x.rss.title, textOf(x.atom.title), x.json.title];
    };
    expect(titles('hostilecontrols.en')).toEqual(Array(3).fill('Ctrltitle'));
    expect(titles('hostilecdata.en')).toEqual(Array(3).fill('Breaks ]]> CDATA'));
    expect(titles('hostilescript.en')).toEqual(Array(3).fill(HOSTILE.script.title));
    expect(titles('hostilertl.en')).toEqual(Array(3).fill(HOSTILE.rtl.title));
    // The store may already have turned the lone surrogate into U+FFFD; either way none reaches a feed.
    expect(titles('hostileemoji.en').map((t) => (t ?? '').replace('\uFFFD', ''))).toEqual(
      Array(3).fill('Emoji 🎉 astral 𝕏 and a lone  surrogate'),
    );
    expect(titles('hostilelong.en')).toEqual(Array(3).fill(LONG_TITLE));

    const cdataItem = byId('hostilecdata.en');
    expect(cdataItem.rss.content?.encoded).toContain('before ]]&gt; after ]]]]&gt; twice');
    expect(cdataItem.rss.description).toBe(']]>');
    const script = byId('hostilescript.en');
    expect(script.rss.content?.encoded).not.toMatch(/<script|onclick/);
    expect(script.rss.description).toBe('<b>not bold</b> & <i>');
    expect(byId('hostileemoji.en').rss.description).toBe('👍🏽 flags 🇦🇲');
    expect(byId('hostileemptyLead.en').rss.description).toBe('The body stands in for the missing lead.');
    expect(byId('hostilelong.en').json.summary).toHaveLength(2000);
  });

  it('the sitemap stays well-formed too', async () => {
    expect(() => assertWellFormedXml('<a>]]></b>')).toThrow(); // the checker itself is strict
    const { text } = await get('/sitemap.xml');
    expect(() => assertWellFormedXml(text)).not.toThrow();
    expect(text).toContain('/en/news/');
  });
});
