import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import { importStory } from './reader-fixtures.js';

let rt: TestRuntime;
let base: string;
beforeAll(async () => {
  rt = await startTestRuntime();
  base = rt.ctx.config.publicUrl;
});
afterAll(async () => {
  await rt?.close();
});

describe('reader fixes', () => {
  it('an uppercase slug redirects to the lowercase URL', async () => {
    const s = await importStory(rt);
    const res = await request(rt.app).get(`/ru/news/${s.slugs.ru.toUpperCase()}`).expect(301);
    expect(res.headers.location).toBe(`/ru/news/${s.slugs.ru}`);
    // A section key too, as long as the lower-case form is one.
    const section = await request(rt.app).get('/ru/sections/News/').expect(301);
    expect(section.headers.location).toBe('/ru/sections/news/');
  });

  it("the feeds page's canonical is itself and its switcher leads to the other feeds pages", async () => {
    const html = (await request(rt.app).get('/en/feeds').expect(200)).text;
    expect(html).toContain(`<link rel="canonical" href="${base}/en/feeds">`);
    expect(html).toContain(`<link rel="alternate" hreflang="ru" href="${base}/ru/feeds">`);
    expect(html).toContain('href="/language/ru?next&#x3D;%2Fru%2Ffeeds"');
  });

  it('serves a localized web manifest, a favicon, and links them from every page', async () => {
    const html = (await request(rt.app).get('/kk/').expect(200)).text;
    expect(html).toContain('<link rel="manifest" href="/kk/manifest.webmanifest">');
    expect(html).toContain('<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">');
    const manifest = await request(rt.app).get('/kk/manifest.webmanifest').expect(200);
    expect(manifest.headers['content-type']).toContain('application/manifest+json');
    expect(JSON.parse(manifest.text)).toMatchObject({
      lang: 'kk',
      start_url: '/kk/',
      icons: expect.any(Array),
    });
    await request(rt.app).get('/xx/manifest.webmanifest').expect(404);
    await request(rt.app).get('/assets/favicon.svg').expect(200);
    expect((await request(rt.app).get('/favicon.ico').expect(200)).headers['content-type']).toBe('image/png');
  });
});
