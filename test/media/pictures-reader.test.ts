import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeRelease } from '../../src/commands/write-release.js';
import { uploadMedia } from '../../src/media/upload-media.js';
import { newStoryId } from '../../src/models/ids.js';
import { Story } from '../../src/models/story.js';
import { axeViolations, launchChromium, vnuErrors } from '../support/browser.js';
import { serveOnLoopback, startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import { cameraJpeg, smallPng } from './pictures.js';

let rt: TestRuntime;
let lead: string;
let inline: string;
let slug: string;
const admin = { id: 'admin@example.org', name: 'Admin', roles: ['admin' as const], pairs: [] };
const get = (path: string) => request(rt.app).get(path);

beforeAll(async () => {
  rt = await startTestRuntime();
  lead = (
    await uploadMedia(rt.ctx, admin, {
      data: await cameraJpeg(1600, 1000),
      filename: 'lead.jpg',
      mimeType: 'image/jpeg',
    })
  ).media._id;
  inline = (
    await uploadMedia(rt.ctx, admin, {
      data: await smallPng(800, 400),
      filename: 'chart.png',
      mimeType: 'image/png',
    })
  ).media._id;
  const storyId = newStoryId();
  await Story.create({ _id: storyId, externalId: `pictures:${storyId}`, sourceLang: 'ru', section: 'news' });
  const { release } = await writeRelease(
    {
      storyId,
      lang: 'ru',
      title: 'Саммит с фотографиями',
      lead: 'Главы государств встретились.',
      body:
        '<p>Первый абзац.</p><figure><img src="/media/' +
        inline +
        '/800.png" alt="График товарооборота" width="800" height="400"><figcaption>Товарооборот за 2024 год <small>Минэкономики &amp; ЦБ</small></figcaption></figure><p>Последний абзац.</p>',
      status: 'published',
      section: 'news',
      tags: [],
      image: {
        media: lead,
        hasAlpha: false,
        width: 1000,
        height: 1600,
        alt: 'Главы делегаций у флагов',
        caption: 'Саммит в Астане',
        credit: 'Пресс-служба',
      },
    },
    rt.ctx,
  );
  slug = release.slug;
  await rt.relay.drain();
});
afterAll(() => rt?.close());

describe('pictures for readers', () => {
  it('the article shows the lead picture as <picture> with AVIF/WebP sources, size, caption and credit', async () => {
    const html = (await get(`/ru/news/${slug}`).expect(200)).text;
    expect(html).toContain(
      `<source type="image/avif" srcset="/media/${lead}/320.avif 320w, /media/${lead}/640.avif 640w, /media/${lead}/960.avif 960w, /media/${lead}/1000.avif 1000w"`,
    );
    expect(html).toContain(`<source type="image/webp" srcset="/media/${lead}/320.webp 320w`);
    expect(html).toMatch(
      new RegExp(
        `<img src="/media/${lead}/1000.jpg" srcset="[^"]+" sizes="[^"]+" width="1000" height="1600" alt="Главы делегаций у флагов" fetchpriority="high">`,
      ),
    );
    expect(html).toMatch(
      /<figcaption>Саммит в Астане <span class="credit">Фото: Пресс-служба<\/span><\/figcaption>/,
    );
    // The inline picture's credit (the editor's closing <small>) is labelled as the lead's.
    expect(html).toContain(
      '<figcaption>Товарооборот за 2024 год <span class="credit">Фото: Минэкономики &amp; ЦБ</span></figcaption>',
    );
    // The inline picture: every width, lazy (below the fold), its alt kept; PNG fallback.
    expect(html).toMatch(
      new RegExp(
        `<picture><source type="image/avif" srcset="/media/${inline}/320.avif 320w, /media/${inline}/640.avif 640w, /media/${inline}/800.avif 800w"[^>]*>.*?<img src="/media/${inline}/800.png"[^>]* width="800" height="400" alt="График товарооборота" loading="lazy" decoding="async"></picture>`,
      ),
    );
  });

  it('og:image with its size and type, a large Twitter card, JSON-LD ImageObject', async () => {
    const html = (await get(`/ru/news/${slug}`).expect(200)).text;
    const url = `${rt.ctx.config.publicUrl}/media/${lead}/1000.jpg`;
    expect(html).toContain(`<meta property="og:image" content="${url}">`);
    expect(html).toContain('<meta property="og:image:width" content="1000">');
    expect(html).toContain('<meta property="og:image:height" content="1600">');
    expect(html).toContain('<meta property="og:image:type" content="image/jpeg">');
    expect(html).toContain('<meta name="twitter:card" content="summary_large_image">');
    const ld = [...html.matchAll(/<script type="application\/ld\+json">(.*?)<\/script>/gs)].map((m) =>
      JSON.parse(m[1]),
    );
    const article = ld.find((d) => d['@type'] === 'NewsArticle');
    expect(article.image).toEqual([
      {
        '@type': 'ImageObject',
        url,
        width: 1000,
        height: 1600,
        caption: 'Саммит в Астане',
        creditText: 'Пресс-служба',
      },
    ]);
    // A page without a picture says "summary".
    expect((await get('/ru/').expect(200)).text).toContain('<meta name="twitter:card" content="summary">');
  });

  it('listings show a thumbnail with an empty alt beside the linked title', async () => {
    const html = (await get('/ru/news/').expect(200)).text;
    expect(html).toMatch(
      new RegExp(
        `<div class="thumbnail"><picture>.*?<img src="/media/${lead}/1000.jpg"[^>]* width="1000" height="1600" alt="" loading="lazy"`,
      ),
    );
  });

  it('feeds carry the picture: RSS enclosure and RSS/Atom media:content with size, byte length, credit and description, Atom enclosure, JSON Feed image and banner_image, ninjs renditions', async () => {
    const url = `${rt.ctx.config.publicUrl}/media/${lead}/1000.jpg`;
    // The real byte length of what the enclosure URL serves.
    const bytes = (await get(`/media/${lead}/1000.jpg`).buffer(true).expect(200)).body.length;
    expect(bytes).toBeGreaterThan(1000);
    const media = `<media:content url="${url}" medium="image" type="image/jpeg" fileSize="${bytes}" width="1000" height="1600">\n<media:description type="plain">Саммит в Астане</media:description>\n<media:credit>Пресс-служба</media:credit>\n</media:content>`;
    const rss = (await get('/ru/rss.xml').expect(200)).text;
    expect(rss).toContain(media);
    expect(rss).toContain(`<enclosure url="${url}" length="${bytes}" type="image/jpeg"/>`);
    const atom = (await get('/ru/atom.xml').expect(200)).text;
    expect(atom).toContain(media);
    expect(atom).toContain(`<link rel="enclosure" href="${url}" type="image/jpeg" length="${bytes}"/>`);
    const json = JSON.parse((await get('/ru/feed.json').expect(200)).text);
    expect(json.items[0]).toMatchObject({ image: url, banner_image: url });
    const ninjs = JSON.parse((await get('/ru/ninjs.json').expect(200)).text);
    const item = ninjs.items?.[0] ?? ninjs[0] ?? ninjs;
    const image = (item.associations as { name: string }[]).find((a) => a.name === 'image') as Record<
      string,
      unknown
    >;
    expect(image).toMatchObject({
      type: 'picture',
      by: 'Пресс-служба',
      descriptions: [{ role: 'caption', contenttype: 'text/plain', value: 'Саммит в Астане' }],
    });
    expect(image.renditions).toContainEqual({
      name: 'w1000',
      href: url,
      contenttype: 'image/jpeg',
      width: 1000,
      height: 1600,
      sizeinbytes: bytes,
    });
    expect(image.renditions).toContainEqual({
      name: 'w640',
      href: `${rt.ctx.config.publicUrl}/media/${lead}/640.jpg`,
      contenttype: 'image/jpeg',
      width: 640,
      height: 1024,
    });
  });

  it('the sitemap lists the lead picture (image:image)', async () => {
    const xml = (await get('/sitemap.xml').expect(200)).text;
    expect(xml).toContain('xmlns:image="http://www.google.com/schemas/sitemap-image/1.1"');
    expect(xml).toContain(
      `<image:image><image:loc>${rt.ctx.config.publicUrl}/media/${lead}/1000.jpg</image:loc></image:image>`,
    );
  });

  it('is valid HTML (Nu), has no serious axe violations, and Chromium loads a modern format at 360 px without layout shift', async () => {
    const html = (await get(`/ru/news/${slug}`).expect(200)).text;
    const listing = (await get('/ru/news/').expect(200)).text;
    const dir = mkdtempSync(join(tmpdir(), 'pictures-html-'));
    writeFileSync(join(dir, 'article.html'), html);
    writeFileSync(join(dir, 'listing.html'), listing);
    expect(await vnuErrors([join(dir, 'article.html'), join(dir, 'listing.html')])).toEqual([]);

    const server = await serveOnLoopback(rt);
    const browser = await launchChromium();
    try {
      const page = await (
        await browser.newContext({ viewport: { width: 360, height: 740 }, bypassCSP: true })
      ).newPage();
      await page.goto(`${server.base}/ru/news/${slug}`);
      const img = page.locator('.lead-picture img');
      await img.evaluate((el: HTMLImageElement) => el.decode());
      const info = await img.evaluate((el: HTMLImageElement) => ({
        src: el.currentSrc,
        natural: el.naturalWidth,
        box: el.getBoundingClientRect().width,
        ratio: el.getBoundingClientRect().height / el.getBoundingClientRect().width,
      }));
      expect(info.src).toMatch(/\.(avif|webp)$/);
      expect(info.natural).toBeGreaterThan(0);
      expect(info.box).toBeLessThanOrEqual(360);
      expect(info.ratio).toBeCloseTo(1.6, 1);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
      expect(overflow).toBe(false);
      expect(await axeViolations(page, 'article')).toEqual([]);
      await page.goto(`${server.base}/ru/news/`);
      expect(await axeViolations(page, 'listing')).toEqual([]);
    } finally {
      await browser.close();
      await server.close();
    }
  });
});
