import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importStories } from '../../src/commands/import-stories.js';
import { parseImportFile } from '../../src/import/parse-import-file.js';
import { storyIdForExternal } from '../../src/models/ids.js';
import { Release, type ReleaseDoc } from '../../src/models/release.js';
import { ROOT } from '../../src/paths.js';
import { axeViolationIds, axeViolations, useBrowserSuite, vnuErrors } from '../support/browser.js';
import { buildImportStory } from '../support/factories.js';
import { olderHref } from '../reader/html.js';
import type { TestRuntime } from '../support/test-runtime.js';

const suite = useBrowserSuite({ seed });
const slug = async (externalId: string, lang: string) =>
  (await Release.findById(`${storyIdForExternal(externalId)}.${lang}`).lean<ReleaseDoc>())!.slug;

/** The demo stories, a story with a wide table and long words, and a section long enough to page. */
async function seed(rt: TestRuntime) {
  const demo = readFileSync(join(ROOT, 'src/demo/demo-stories.json'), 'utf8');
  await importStories(rt.ctx, parseImportFile(demo, rt.ctx.config.languages).stories);
  const cells = Array.from(
    { length: 12 },
    (_, i) => `<td>Показатель номер ${i} за отчётный период</td>`,
  ).join('');
  await importStories(rt.ctx, [
    {
      externalId: 'browser-wide-table',
      sourceLang: 'ru',
      section: 'news',
      publishedAt: '2020-01-01T10:00:00Z',
      versions: {
        ru: {
          title:
            'Очень длинный заголовок с таблицей показателей сотрудничества государств-членов организации',
          body: `<p>Таблица.</p><table><tbody><tr>${cells}</tr></tbody></table><p>https://example.org/a/very/long/address/that/does/not/break/anywhere/at/all</p>`,
        },
      },
    },
  ]);
  // Enough for a second page: the "newer" and "first page" links.
  await importStories(
    rt.ctx,
    Array.from({ length: 23 }, (_, i) =>
      buildImportStory({
        section: 'paged',
        tags: ['paged'],
        publishedAt: `2021-03-${String(i + 1).padStart(2, '0')}T10:00:00Z`,
      }),
    ),
  );
}

describe('reader journey in Chromium, JavaScript off', () => {
  it('reads in Russian, switches to English (same story), to Kazakh (notice), and / remembers it', async () => {
    const context = await suite.browser.newContext({ javaScriptEnabled: false, locale: 'ru-RU' });
    const page = await context.newPage();
    const story = 'demo-2024-07-19-un-security-council-debate';
    await page.goto(`${suite.base}/`);
    expect(page.url()).toBe(`${suite.base}/ru/`);
    await page
      .getByRole('link', { name: /Генеральный секретарь ОДКБ принял участие/ })
      .first()
      .click();
    expect(page.url()).toBe(`${suite.base}/ru/news/${await slug(story, 'ru')}`);

    await page.locator('.language-switcher').getByRole('link', { name: 'English' }).click();
    expect(page.url()).toBe(`${suite.base}/en/news/${await slug(story, 'en')}`);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await expect(page.locator('h1').textContent()).resolves.toMatch(/CSTO Secretary General takes part/);

    await page.locator('.language-switcher').getByRole('link', { name: 'Қазақша' }).click();
    expect(page.url()).toBe(`${suite.base}/kk/stories/${storyIdForExternal(story)}`);
    await expect(page.locator('.notice-unavailable').textContent()).resolves.toContain('қолжетімсіз');
    expect(await page.locator('article.release').getAttribute('lang')).toBe('ru');

    await page.goto(`${suite.base}/`);
    expect(page.url()).toBe(`${suite.base}/kk/`);
    await context.close();
  });

  it('reads well on a 360 px phone: nothing wider than the screen', async () => {
    const context = await suite.browser.newContext({ viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    for (const path of [
      '/ru/',
      `/ru/news/${await slug('demo-2019-06-24-cssc-bishkek', 'ru')}`,
      '/hy/news/',
      '/ru/feeds',
      '/en/feeds',
      '/ru/search?q=%D1%81%D0%BE%D0%B2%D0%B5%D1%82',
      '/tg/',
      '/ru/tags/counter-terrorism/',
      '/ru/archive/',
      '/ru/news/2019/06/',
      // Last: the checks below read this page's table.
      `/ru/news/${await slug('browser-wide-table', 'ru')}`,
    ]) {
      await page.goto(`${suite.base}${path}`);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width, path).toBeLessThanOrEqual(360);
    }
    // The wide table scrolls inside its own box, and the H1 is sized for a phone.
    const table = await page.evaluate(() => {
      const t = document.querySelector('.release .body .table-scroll')!;
      return { client: t.clientWidth, scroll: t.scrollWidth, overflow: getComputedStyle(t).overflowX };
    });
    expect(table.overflow).toBe('auto');
    expect(table.scroll).toBeGreaterThan(table.client);
    const h1 = await page.evaluate(() =>
      parseFloat(getComputedStyle(document.querySelector('h1')!).fontSize),
    );
    expect(h1).toBeLessThanOrEqual(28);
    await context.close();
  });
});

describe('share links with JavaScript on', () => {
  it('"Copy link" appears and copies the canonical URL; the other share links are plain links', async () => {
    const context = await suite.browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
    const page = await context.newPage();
    const path = `/en/news/${await slug('demo-2022-05-15-treaty-30-years', 'en')}`;
    await page.goto(`${suite.base}${path}`);
    const copy = page.getByRole('button', { name: 'Copy link' });
    await copy.click();
    // The status is written when the clipboard's promise settles, after the click returns.
    await page.waitForFunction(() => document.querySelector('.share-status')?.textContent !== '', null, {
      timeout: 10_000,
    });
    expect(await page.locator('.share-status').textContent()).toBe('Link copied.');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
      `${suite.rt.ctx.config.publicUrl}${path}`,
    );
    const telegram = await page.getByRole('link', { name: 'Telegram' }).getAttribute('href');
    expect(telegram).toMatch(/^https:\/\/t\.me\/share\/url\?url=/);
    await context.close();
  });

  it('without JavaScript the copy button stays hidden', async () => {
    const context = await suite.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${suite.base}/en/news/${await slug('demo-2022-05-15-treaty-30-years', 'en')}`);
    expect(await page.getByRole('button', { name: 'Copy link' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'VK' }).count()).toBe(1);
    await context.close();
  });
});

async function pageTypes(): Promise<Record<string, string>> {
  return {
    home: '/ru/',
    news: '/en/news/',
    section: '/ru/sections/secretary-general/',
    article: `/ru/news/${await slug('demo-2022-05-15-treaty-30-years', 'ru')}`,
    translation: `/hy/news/${await slug('demo-2022-05-15-treaty-30-years', 'hy')}`,
    availability: `/tg/stories/${storyIdForExternal('demo-2019-06-26-planning-documents')}`,
    search: '/ru/search?q=%D0%BE%D0%B4%D0%BA%D0%B1',
    'search-empty': '/be/search',
    'not-found': '/kk/news/no-such-release',
    'bad-request': '/ky/news/?after=broken',
    feeds: '/en/feeds',
    'wide-table': `/ru/news/${await slug('browser-wide-table', 'ru')}`,
    // Nothing in Tajik or Kyrgyz yet: the Russian newest under a notice.
    'empty-language-home': '/tg/',
    'empty-language-news': '/ky/news/',
    tag: '/ru/tags/counter-terrorism/',
    archive: '/kk/archive/',
    month: '/en/news/2019/06/',
    'later-page': olderHref(await (await fetch(`${suite.base}/en/sections/paged/`)).text())!,
  };
}

describe('every page type', () => {
  it('validates with the Nu HTML Checker', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'newsroom-vnu-'));
    const files: string[] = [];
    for (const [name, path] of Object.entries(await pageTypes())) {
      const res = await fetch(`${suite.base}${path}`);
      const file = join(dir, `${name}.html`);
      writeFileSync(file, await res.text());
      files.push(file);
    }
    expect(await vnuErrors(files)).toEqual([]);
  }, 120_000);

  it('has no serious or critical axe-core violations', async () => {
    const context = await suite.browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    const problems: string[] = [];
    for (const [name, path] of Object.entries(await pageTypes())) {
      await page.goto(`${suite.base}${path}`);
      problems.push(...(await axeViolations(page, name)));
    }
    // The harness itself can fail: an image without alternative text is a critical violation.
    await page.setContent('<!DOCTYPE html><html lang="en"><title>t</title><img src="x.png"></html>');
    expect(await axeViolationIds(page)).toContain('image-alt');
    await context.close();
    expect(problems).toEqual([]);
  }, 120_000);
});
