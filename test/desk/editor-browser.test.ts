import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'bullmq';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOBS, startWorkers } from '../../src/jobs/registry.js';
import { toZonedLocal } from '../../src/lib/zoned-time.js';
import { mediaIdOf } from '../../src/media/upload-media.js';
import { Release } from '../../src/models/release.js';
import { User } from '../../src/models/user.js';
import { axeViolations, launchChromium, vnuErrors } from '../support/browser.js';
import { serveOnLoopback, startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import { cameraJpeg, smallPng, svgWithScript } from '../media/pictures.js';
import { eventually } from '../workflow/support.js';
import { deskUser } from './desk-helpers.js';

let rt: TestRuntime;
let workers: Worker[];
let closeServer: (() => Promise<void>) | undefined;
let base: string;
let browser: Browser;
/** Screenshots of every screen of the journey (NEWSROOM_SCREENSHOTS, else a temporary folder). */
const shots = process.env.NEWSROOM_SCREENSHOTS ?? mkdtempSync(join(tmpdir(), 'newsroom-editor-shots-'));
mkdirSync(shots, { recursive: true });

beforeAll(async () => {
  rt = await startTestRuntime();
  workers = startWorkers(rt.ctx, JOBS, 2);
  ({ base, close: closeServer } = await serveOnLoopback(rt));
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await closeServer?.();
  await Promise.all((workers ?? []).map((w) => w.close()));
  await rt?.close();
});

function watchCsp(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  return violations;
}

async function signInAs(page: Page, email: string, password: string) {
  await page.goto(`${base}/desk/login`);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${base}/desk/`);
}

/** The body editor's toolbar (the lead has one of its own, "Lead formatting"). */
const bodyToolbar = (page: Page) => page.getByRole('toolbar', { name: 'Formatting', exact: true });

const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });

/** Pastes (or drops, at the editor's middle) files into the rich-text editor, as a browser would. */
async function pasteFiles(
  page: Page,
  files: { name: string; type: string; bytes: Buffer }[],
  as: 'paste' | 'drop',
) {
  await page.locator('.rich-text-content').evaluate(
    (el, { files, as }) => {
      const dt = new DataTransfer();
      for (const f of files) dt.items.add(new File([new Uint8Array(f.bytes)], f.name, { type: f.type }));
      const box = el.getBoundingClientRect();
      el.dispatchEvent(
        as === 'paste'
          ? new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true })
          : new DragEvent('drop', {
              dataTransfer: dt,
              clientX: box.left + 20,
              clientY: box.top + 20,
              bubbles: true,
              cancelable: true,
            }),
      );
    },
    { files: files.map((f) => ({ ...f, bytes: [...f.bytes] })), as },
  );
}

describe('an editor and an admin in Chromium', () => {
  it('writes with the editor, schedules, sees it publish, corrects, withdraws English; an admin manages a translator', async () => {
    const editor = await deskUser({ roles: ['editor'] });
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    const csp = watchCsp(page);
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      if (d.type() === 'prompt') void d.accept('https://example.org/report');
      else void d.accept();
    });
    await signInAs(page, editor.email, editor.password);

    // Write: the rich-text editor replaces the textarea; bold, a list and a link.
    await page.goto(`${base}/desk/stories/new`);
    await page.getByLabel('Title').fill('Council adopts the budget');
    const area = page.locator('.rich-text-content');
    await expect.poll(() => area.count()).toBe(1);
    expect(await page.locator('textarea#body').isHidden()).toBe(true);
    await area.click();
    await page.keyboard.type('The council met today. ');
    await bodyToolbar(page).getByRole('button', { name: 'Bold' }).click();
    await page.keyboard.type('Budget adopted');
    await bodyToolbar(page).getByRole('button', { name: 'Bold' }).click();
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Bulleted list' }).click();
    await page.keyboard.type('Health');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Schools');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Read the full report');
    await page.keyboard.down('Shift');
    for (let i = 0; i < 'full report'.length; i++) await page.keyboard.press('ArrowLeft');
    await page.keyboard.up('Shift');
    await bodyToolbar(page).getByRole('button', { name: 'Link' }).click();
    await page.keyboard.press('End');

    // Pictures: one chosen with the toolbar button, one pasted; a hostile file dropped is refused
    // with the server's reason in the desk's language. Each figure takes alt, caption and credit.
    const photo = await cameraJpeg(1600, 1000);
    const chart = await smallPng(800, 400);
    const photoFile = join(shots, 'council-chamber.jpg');
    writeFileSync(photoFile, photo);
    const [chooser] = await Promise.all([
      page.waitForEvent('filechooser'),
      page.getByRole('button', { name: 'Picture', exact: true }).click(),
    ]);
    await chooser.setFiles(photoFile);
    const figureOf = (bytes: Buffer) =>
      page.locator('.rich-figure').filter({ has: page.locator(`img[src^="/media/${mediaIdOf(bytes)}/"]`) });
    await figureOf(photo).waitFor();
    // The new figure's alt field has the focus: the editor describes the picture at once.
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.closest('.rich-figure') !== null))
      .toBe(true);
    await figureOf(photo).getByLabel('Alt text').fill('Council members vote in the chamber');
    await figureOf(photo).getByLabel('Caption').fill('The vote on the budget');
    await figureOf(photo).getByLabel('Credit').fill('City press office');
    await page.getByText('Read the full report').click();
    await page.keyboard.press('End');
    await pasteFiles(page, [{ name: 'chart.png', type: 'image/png', bytes: chart }], 'paste');
    await figureOf(chart).waitFor();
    // A picture left undescribed stops the form (the alt field is required).
    expect(
      await page.locator('form[data-editor-form]').evaluate((f: HTMLFormElement) => f.checkValidity()),
    ).toBe(false);
    await figureOf(chart).getByLabel('Alt text').fill('Spending by area, 2025');
    await figureOf(chart).getByLabel('Credit').fill('Finance department');
    await pasteFiles(page, [{ name: 'logo.svg', type: 'image/svg+xml', bytes: svgWithScript }], 'drop');
    const failed = page.locator('.rich-upload[data-state="failed"]');
    await failed.waitFor();
    expect(await failed.getByRole('alert').textContent()).toBe(
      'logo.svg was not added: SVG files are not accepted: upload a JPEG, PNG, WebP, AVIF or GIF.',
    );
    await shot(page, '01-new-story-editor');
    await failed.getByRole('button', { name: 'Dismiss' }).click();
    expect(await failed.count()).toBe(0);
    await page.getByRole('button', { name: 'Create' }).click();
    await page.waitForURL(/\/desk\/stories\/[0-9a-f]{24}$/);
    const storyId = /\/desk\/stories\/([0-9a-f]{24})/.exec(page.url())![1];
    const draft = (await Release.findById(`${storyId}.ru`).lean())!;
    expect(draft.body).toMatch(/<strong>\s?Budget adopted<\/strong>/);
    expect(draft.body).toMatch(/<ul><li><p>Health<\/p><\/li><li><p>Schools<\/p><\/li><\/ul>/);
    expect(draft.body).toMatch(/<a [^>]*href="https:\/\/example\.org\/report"[^>]*>full report<\/a>/);
    // The sanitiser's figure subset: our rendition as src, the original's size, caption and credit.
    expect(draft.body).toContain(
      `<figure><img src="/media/${mediaIdOf(photo)}/1000.jpg" alt="Council members vote in the chamber" width="1000" height="1600" /><figcaption>The vote on the budget <small>City press office</small></figcaption></figure>`,
    );
    expect(draft.body).toContain(
      `<figure><img src="/media/${mediaIdOf(chart)}/800.jpg" alt="Spending by area, 2025" width="800" height="400" /><figcaption><small>Finance department</small></figcaption></figure>`,
    );
    expect(draft.body).not.toContain('svg');

    // Schedule a few seconds ahead on the newsroom's clock (the zone is shown), and see it go live.
    const at = new Date(Date.now() + 20_000);
    await page.getByLabel('Schedule for a time').check();
    await page
      .getByLabel('Publication time (Europe/Moscow)')
      .fill(toZonedLocal(at, 'Europe/Moscow') + `:${String(at.getUTCSeconds()).padStart(2, '0')}`);
    await shot(page, '02-story-schedule');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.waitForURL(/\?lang=ru$/);
    expect(await page.getByRole('status').first().textContent()).toContain('Scheduled.');
    expect(await page.locator('.status-scheduled').first().textContent()).toBe('scheduled');
    await shot(page, '03-story-scheduled');
    await eventually(
      async () => (await Release.findById(`${storyId}.ru`).lean())?.status === 'published',
      120_000,
    );
    await page.reload();
    expect(await page.locator('.status-published').first().textContent()).toBe('published');
    const published = (await Release.findById(`${storyId}.ru`).lean())!;
    await page.goto(`${base}/ru/news/${published.slug}`);
    expect((await page.locator('article strong').textContent())!.trim()).toBe('Budget adopted');
    expect(await page.locator('article li').count()).toBe(2);
    // Readers get every rendition (srcset per format), the alt text, the caption and the credit.
    const readerPhoto = page.locator('article .body figure').filter({
      has: page.locator(`img[alt="Council members vote in the chamber"]`),
    });
    expect(await readerPhoto.locator('source[type="image/avif"]').getAttribute('srcset')).toBe(
      [320, 640, 960, 1000].map((w) => `/media/${mediaIdOf(photo)}/${w}.avif ${w}w`).join(', '),
    );
    expect(await readerPhoto.locator('img').getAttribute('srcset')).toContain(
      `/media/${mediaIdOf(photo)}/640.jpg 640w`,
    );
    expect(await readerPhoto.locator('figcaption').textContent()).toBe(
      'The vote on the budget Фото: City press office',
    );
    expect(await readerPhoto.locator('figcaption .credit').textContent()).toBe('Фото: City press office');
    await readerPhoto.scrollIntoViewIfNeeded();
    await expect
      .poll(() => readerPhoto.locator('img').evaluate((img: HTMLImageElement) => img.naturalWidth), {
        timeout: 60_000,
      })
      .toBeGreaterThan(0);
    const readerChart = page
      .locator('article .body figure')
      .filter({ has: page.locator('img[alt="Spending by area, 2025"]') });
    expect(await readerChart.locator('source[type="image/webp"]').getAttribute('srcset')).toContain(
      `/media/${mediaIdOf(chart)}/800.webp 800w`,
    );
    expect(await readerChart.locator('figcaption').textContent()).toBe('Фото: Finance department');
    await shot(page, '04-reader-published');

    // Correct with a note: readers and the feed show it.
    await page.goto(`${base}/desk/stories/${storyId}`);
    // The figures come back with their texts, editable.
    expect(await figureOf(photo).getByLabel('Credit').inputValue()).toBe('City press office');
    await area.getByText('Schools').click();
    await page.keyboard.press('End');
    await page.keyboard.type(' Figures as of 1 July.');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.waitForURL(/\/desk\/stories\//);
    expect(await page.getByRole('alert').textContent()).toContain(
      'choose whether the change is a correction',
    );
    await page.getByLabel('Correction (readers see').check();
    await page
      .getByLabel('Note for readers (required for a correction)')
      .fill('The date of the figures was missing');
    await shot(page, '05-story-correction');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.waitForURL(/\?lang=ru$/);
    await eventually(async () => {
      const r = await page.request.get(`${base}/ru/news/${published.slug}`);
      return (await r.text()).includes('The date of the figures was missing');
    });
    await page.goto(`${base}/ru/news/${published.slug}`);
    expect(await page.locator('.change-correction').textContent()).toMatch(
      /Исправлено .+: The date of the figures was missing/,
    );
    await shot(page, '06-reader-correction');
    const rss = await (await page.request.get(`${base}/ru/rss.xml`)).text();
    expect(rss).toContain('The date of the figures was missing');

    // An English version written in the desk, then withdrawn: 410, gone from feed and sitemap.
    await page.goto(`${base}/desk/stories/${storyId}?lang=en`);
    await page.getByLabel('Title').fill('Council adopts the budget (EN)');
    await page.locator('.rich-text-content').click();
    await page.keyboard.type('English text of the budget story.');
    await page.getByLabel('Publish now').check();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.waitForURL(/\?lang=en$/);
    const en = (await Release.findById(`${storyId}.en`).lean())!;
    expect(en.status).toBe('published');
    await eventually(async () =>
      (await (await page.request.get(`${base}/en/rss.xml`)).text()).includes(en.slug),
    );
    await page.getByLabel('Version to withdraw').selectOption('en');
    await page.getByLabel('Note for readers (optional)').fill('Withdrawn pending review');
    await shot(page, '07-story-withdraw');
    await page.getByRole('button', { name: 'Withdraw' }).click();
    await page.waitForURL(/\/desk\/stories\//);
    expect(await Release.findById(`${storyId}.en`).lean()).toMatchObject({ status: 'withdrawn' });
    const gone = await page.goto(`${base}/en/news/${en.slug}`);
    expect(gone!.status()).toBe(410);
    expect(await page.locator('h1').textContent()).toBe('This article has been withdrawn');
    await shot(page, '08-reader-gone');
    expect(await (await page.request.get(`${base}/en/rss.xml`)).text()).not.toContain(en.slug);
    expect(await (await page.request.get(`${base}/sitemaps/en/1.xml`)).text()).not.toContain(en.slug);

    // History with a diff.
    await page.goto(`${base}/desk/stories/${storyId}/ru/history`);
    expect(await page.locator('.diff ins').first().textContent()).toContain('Figures as of 1 July');
    await shot(page, '09-history-diff');
    expect(csp).toEqual([]);
    await context.close();

    // An admin adds a translator with a pair, disables them (their next request fails), resets a password.
    const admin = await deskUser({ roles: ['admin'] });
    const adminContext = await browser.newContext({
      locale: 'en-GB',
      viewport: { width: 1200, height: 900 },
    });
    const ap = await adminContext.newPage();
    const adminCsp = watchCsp(ap);
    ap.on('dialog', (d) => void d.accept());
    await signInAs(ap, admin.email, admin.password);
    await ap.getByRole('link', { name: 'Users' }).click();
    await ap.getByRole('link', { name: 'Add a user' }).click();
    await ap.getByLabel('E-mail').fill('tina@example.org');
    await ap.getByLabel('Name').fill('Tina Translator');
    await ap.getByLabel('translator').check();
    await ap.getByLabel('Language pairs').fill('ru:hy');
    await shot(ap, '10-admin-add-user');
    await ap.getByRole('button', { name: 'Add' }).click();
    await ap.waitForURL(`${base}/desk/users/tina%40example.org`);
    const link = (await ap.locator('code.secret').textContent())!;
    await shot(ap, '11-admin-user-link');

    const tinaContext = await browser.newContext({ locale: 'en-GB' });
    const tp = await tinaContext.newPage();
    await tp.goto(link.replace(rt.ctx.config.publicUrl, base));
    await tp.getByLabel('New password (at least 10 characters)').fill('tina password 123');
    await tp.getByLabel('The same again').fill('tina password 123');
    await tp.getByRole('button', { name: 'Set the password' }).click();
    await tp.waitForURL(`${base}/desk/login`);
    await signInAs(tp, 'tina@example.org', 'tina password 123');
    expect(await tp.getByRole('button', { name: 'Claim next ru:hy' }).count()).toBeGreaterThanOrEqual(0);

    await ap.getByRole('button', { name: 'Disable the account' }).click();
    await ap.waitForURL(`${base}/desk/users/tina%40example.org`);
    expect((await User.findById('tina@example.org').lean())!.disabled).toBe(true);
    await tp.goto(`${base}/desk/`);
    expect(new URL(tp.url()).pathname).toBe('/desk/login');

    await ap.getByRole('button', { name: 'Re-enable the account' }).click();
    await ap.waitForURL(`${base}/desk/users/tina%40example.org`);
    await ap.getByRole('button', { name: 'Make a one-time password link' }).click();
    await ap.waitForURL(`${base}/desk/users/tina%40example.org`);
    const resetLink = (await ap.locator('code.secret').textContent())!;
    expect(resetLink).toMatch(/\/desk\/password\//);
    await tp.goto(resetLink.replace(rt.ctx.config.publicUrl, base));
    await tp.getByLabel('New password (at least 10 characters)').fill('tina second password');
    await tp.getByLabel('The same again').fill('tina second password');
    await tp.getByRole('button', { name: 'Set the password' }).click();
    await tp.waitForURL(`${base}/desk/login`);
    await signInAs(tp, 'tina@example.org', 'tina second password');
    await ap.goto(`${base}/desk/audit`);
    expect(await ap.locator('table').textContent()).toContain('account disabled');
    await shot(ap, '12-admin-audit');
    expect(adminCsp).toEqual([]);

    // Every new desk page validates and has no serious or critical axe-core violations.
    const pages = {
      'story-new': '/desk/stories/new',
      story: `/desk/stories/${storyId}`,
      history: `/desk/stories/${storyId}/ru/history`,
      users: '/desk/users',
      user: '/desk/users/tina%40example.org',
      'user-new': '/desk/users/new',
      audit: '/desk/audit',
      'desk-404': '/desk/no-such-page',
      gone: `/en/news/${en.slug}`,
    };
    const dir = mkdtempSync(join(tmpdir(), 'newsroom-editor-vnu-'));
    const files: string[] = [];
    for (const [name, path] of Object.entries(pages)) {
      const file = join(dir, `${name}.html`);
      writeFileSync(file, await (await ap.request.get(`${base}${path}`)).text());
      files.push(file);
    }
    expect(await vnuErrors(files)).toEqual([]);
    const axeContext = await browser.newContext({
      bypassCSP: true,
      locale: 'en-GB',
      storageState: await adminContext.storageState(),
    });
    const axePage = await axeContext.newPage();
    const problems: string[] = [];
    for (const [name, path] of Object.entries(pages)) {
      await axePage.goto(`${base}${path}`);
      problems.push(...(await axeViolations(axePage, name)));
    }
    expect(problems).toEqual([]);
    await Promise.all([axeContext.close(), tinaContext.close(), adminContext.close()]);
    expect(dialogs.length).toBeGreaterThan(0);
  }, 600_000);
});
