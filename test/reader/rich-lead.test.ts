import type { Worker } from 'bullmq';
import { parseAtomFeed, parseJsonFeed, parseRssFeed } from 'feedsmith';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOBS, startWorkers } from '../../src/jobs/registry.js';
import { importStories } from '../../src/commands/import-stories.js';
import { parseImportFile } from '../../src/import/parse-import-file.js';
import { Release } from '../../src/models/release.js';
import { buildImportStory } from '../support/factories.js';
import { csrfFrom, signIn } from '../desk/desk-helpers.js';
import { assertWellFormedXml, textOf } from '../feeds/support.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import { awaitOpenTask, awaitPublished, buildUser, translateAndApprove } from '../workflow/support.js';
import { unescapeAttr } from './html.js';

/**
 * The lead with inline formatting (bold, italic, links) from the API to every reader surface:
 * the page and listings show the sanitised markup, meta, structured data and feeds its plain
 * text; translation carries the markup as inline codes; old plain leads stay text.
 */
let rt: TestRuntime;
let workers: Worker[];
const api = () => request(rt.app);

beforeAll(async () => {
  rt = await startTestRuntime({ NEWSROOM_LANGUAGES: 'ru,en' });
  workers = startWorkers(rt.ctx, JOBS, 1);
});
afterAll(async () => {
  await Promise.all((workers ?? []).map((w) => w.close()));
  await rt?.close();
});

const FORGED =
  '<h2>Саммит</h2><p>ОДКБ <b>пройдёт</b> в <a href="https://odkb.example/minsk" onclick="x()" target="_blank">Минске</a></p>' +
  '<script>alert(1)</script><img src=x onerror="alert(1)"><ul><li><i>в июне</i></li></ul><a href="javascript:alert(2)">&amp; далее</a>';
const STORED_HTML =
  'Саммит ОДКБ <strong>пройдёт</strong> в <a href="https://odkb.example/minsk">Минске</a> <em>в июне</em> &amp; далее';
const PLAIN = 'Саммит ОДКБ пройдёт в Минске в июне & далее';

const meta = (html: string, attr: string) =>
  unescapeAttr(
    (new RegExp(`<meta ${attr}="([^"]*)"`).exec(html)?.[1] ?? '').replace(/&lt;/g, '<').replace(/&gt;/g, '>'),
  );
const jsonLdArticle = (html: string) =>
  [...html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)]
    .flatMap((m) => {
      const data = JSON.parse(m[1]) as Record<string, unknown>;
      return (data['@graph'] as Record<string, unknown>[] | undefined) ?? [data];
    })
    .find((n) => n['@type'] === 'NewsArticle')!;

describe('a lead with bold, italic and links', () => {
  let storyId: string;
  let slug: string;

  beforeAll(async () => {
    const editor = await buildUser(['editor']);
    const created = await api()
      .post('/api/v1/stories')
      .set(editor.auth)
      .send({ title: 'Саммит в Минске', leadHtml: FORGED, body: '<p>Текст.</p>', publish: true })
      .expect(201);
    storyId = created.body.story.id;
    expect(created.body.story.languages.ru.release).toMatchObject({ lead: PLAIN, leadHtml: STORED_HTML });
    const ru = await Release.findById(`${storyId}.ru`).lean();
    expect(ru).toMatchObject({ lead: PLAIN, leadHtml: STORED_HTML });
    slug = ru!.slug;
  });

  it('is stored as the inline subset: no script, image, handler, block tag or unsafe link', async () => {
    const ru = (await Release.findById(`${storyId}.ru`).lean())!;
    expect(ru.leadHtml).not.toMatch(/script|img|onerror|onclick|target|<h2|<p|<ul|<li|javascript/);
  });

  it('shows the markup on the article page and in listings; meta and JSON-LD carry plain text', async () => {
    const page = (await api().get(`/ru/news/${slug}`).expect(200)).text;
    expect(page).toContain(`<p class="lead">${STORED_HTML}</p>`);
    expect(meta(page, 'name="description" content')).toBe(PLAIN);
    expect(meta(page, 'property="og:description" content')).toBe(PLAIN);
    expect(jsonLdArticle(page).description).toBe(PLAIN);
    const home = (await api().get('/ru/').expect(200)).text;
    expect(home).toContain(`>${STORED_HTML}</p>`);
  });

  it('gives feeds the plain text: RSS description, Atom summary, JSON Feed summary', async () => {
    const rss = (await api().get('/ru/rss.xml').expect(200)).text;
    assertWellFormedXml(rss);
    const rssItem = parseRssFeed(rss).items!.find((i) => i.title === 'Саммит в Минске')!;
    expect(rssItem.description).toBe(PLAIN);
    const atom = (await api().get('/ru/atom.xml').expect(200)).text;
    assertWellFormedXml(atom);
    const entry = parseAtomFeed(atom).entries!.find((e) => textOf(e.title) === 'Саммит в Минске')!;
    expect(textOf(entry.summary)).toBe(PLAIN);
    const json = parseJsonFeed(JSON.parse((await api().get('/ru/feed.json').expect(200)).text));
    expect(json.items!.find((i) => i.title === 'Саммит в Минске')!.summary).toBe(PLAIN);
  });

  it('is one translation segment with inline codes, and the published translation keeps the markup', async () => {
    const translator = await buildUser(['translator'], ['ru:en']);
    const reviewer = await buildUser(['reviewer'], ['ru:en']);
    await awaitOpenTask(storyId, 'en');
    const task = await translateAndApprove(rt.ctx, translator.actor, reviewer.actor, 'ru:en');
    const lead = task.segments.filter((s) => s.field === 'lead');
    expect(lead.map((s) => s.source)).toEqual([
      'Саммит ОДКБ {1}пройдёт{/1} в {2}Минске{/2} {3}в июне{/3} & далее',
    ]);
    expect(lead[0].tags).toMatchObject({
      '1': '<strong>',
      '2': '<a href="https://odkb.example/minsk">',
      '3': '<em>',
    });
    // The task page shows the codes as labelled tokens.
    const agent = await signIn(rt.app, reviewer.user.email, 'a-long-password');
    const taskPage = (await agent.get(`/desk/tasks/${task._id}`).set('Accept-Language', 'en').expect(200))
      .text;
    expect(taskPage).toMatch(/class="ic ic-open ic-bold" data-code="\{1\}"/);
    expect(taskPage).toMatch(/class="ic ic-open ic-link" data-code="\{2\}"/);
    expect(taskPage).toMatch(/class="ic ic-open ic-italic" data-code="\{3\}"/);

    const en = await awaitPublished(`${storyId}.en`);
    expect(en.leadHtml).toBe(
      'EN Саммит ОДКБ <strong>пройдёт</strong> в <a href="https://odkb.example/minsk">Минске</a> <em>в июне</em> &amp; далее',
    );
    expect(en.lead).toBe(`EN ${PLAIN}`);
    const page = (await api().get(`/en/news/${en.slug}`).expect(200)).text;
    expect(page).toContain(`<p class="lead">${en.leadHtml}</p>`);
  });
});

describe('a plain-text lead', () => {
  it('with "<" and "&" is text on the page, in meta and in the desk editor, never markup', async () => {
    const editor = await buildUser(['editor']);
    const lead = 'Цена <b>не</b> жирная & AT&amp;T < 5';
    const created = await api()
      .post('/api/v1/stories')
      .set(editor.auth)
      .send({ title: 'Старый лид', lead, body: '<p>Текст.</p>', publish: true })
      .expect(201);
    const ru = (await Release.findById(`${created.body.story.id}.ru`).lean())!;
    expect(ru.lead).toBe(lead);
    expect(ru.leadHtml).toBeUndefined();
    const escaped = 'Цена &lt;b&gt;не&lt;/b&gt; жирная &amp; AT&amp;amp;T &lt; 5';
    const page = (await api().get(`/ru/news/${ru.slug}`).expect(200)).text;
    expect(page).toContain(`<p class="lead">${escaped}</p>`);
    expect(meta(page, 'name="description" content')).toBe(lead);
    // The desk shows it as the same text in the lead field (escaped HTML), so saving keeps it.
    const agent = await signIn(rt.app, editor.user.email, 'a-long-password');
    const deskPage = (await agent.get(`/desk/stories/${ru.story}`).set('Accept-Language', 'en').expect(200))
      .text;
    expect(deskPage).toContain(`>${escaped.replace(/&/g, '&amp;')}</textarea>`);
    await agent
      .post(`/desk/stories/${ru.story}/ru`)
      .type('form')
      .send({
        _csrf: csrfFrom(deskPage),
        baseRevision: String(ru.revision),
        title: 'Старый лид',
        lead: escaped,
        body: '<p>Текст.</p>',
        status: 'published',
        change: 'silent',
      })
      .expect(303);
    const after = (await Release.findById(ru._id).lean())!;
    // Unchanged text: no new revision at all.
    expect([after.revision, after.lead, after.leadHtml]).toEqual([ru.revision, lead, undefined]);
  });

  it('and a lead sent twice (plain and HTML) is a 400 with a stable code', async () => {
    const editor = await buildUser(['editor']);
    const res = await api()
      .post('/api/v1/stories')
      .set(editor.auth)
      .send({ title: 'Дважды', lead: 'a', leadHtml: '<b>a</b>', body: '<p>Текст.</p>' });
    expect([res.status, res.body.error?.code]).toEqual([400, 'lead_conflict']);
  });
});

describe('the import', () => {
  it('takes leadHtml (sanitised to the inline subset) and refuses a version with both lead fields', async () => {
    const formatted = buildImportStory({ externalId: 'rich-lead-1' });
    formatted.versions = {
      ru: { title: 'Импорт с разметкой', leadHtml: FORGED, body: '<p>Текст.</p>' },
    };
    const twice = buildImportStory({ externalId: 'rich-lead-2' });
    twice.versions.ru = { ...twice.versions.ru, leadHtml: '<b>x</b>' };
    const parsed = parseImportFile(JSON.stringify({ stories: [formatted, twice] }), ['ru', 'en']);
    expect(parsed.rejected).toEqual([
      expect.objectContaining({
        externalId: 'rich-lead-2',
        reason: 'versions.ru has both lead and leadHtml: send the lead once',
      }),
    ]);
    await importStories(rt.ctx, parsed.stories);
    const ru = (await Release.find({ title: 'Импорт с разметкой' }).lean())[0];
    expect(ru).toMatchObject({ lead: PLAIN, leadHtml: STORED_HTML });
  });
});
