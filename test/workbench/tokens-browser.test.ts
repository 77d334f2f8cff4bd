import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeRelease } from '../../src/commands/write-release.js';
import { newStoryId } from '../../src/models/ids.js';
import { ROOT } from '../../src/paths.js';
import { prepareTranslationTask } from '../../src/workflow/prepare-task.js';
import { axeViolations, launchChromium } from '../support/browser.js';
import { serveOnLoopback, startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import { deskUser } from '../desk/desk-helpers.js';

/**
 * Inline markup people can read: the source's codes are labelled tokens (a link shows its URL
 * as a tooltip), a click or Ctrl+Shift+digit inserts them in order, the target's preview shows
 * them as tokens, and a mismatch names the missing code and what it is.
 */
const SHOTS = join(ROOT, 'test-results', 'workbench');

let rt: TestRuntime;
let base: string;
let close: () => Promise<void>;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  rt = await startTestRuntime();
  ({ base, close } = await serveOnLoopback(rt));
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await close?.();
  await rt?.close();
});

async function signIn(page: Page, email: string, password: string) {
  await page.goto(`${base}/desk/login`);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${base}/desk/`);
}

describe('inline codes as tokens', () => {
  it('labels codes and segments, inserts codes by click and shortcut, names a missing one', async () => {
    const storyId = newStoryId();
    await writeRelease({
      storyId,
      lang: 'ru',
      title: 'Заседание',
      body: '<h2>Итоги</h2><p>Заседание <a href="https://odkb.example/a">ОДКБ</a> пройдёт <b>завтра</b>.</p>',
      status: 'published',
      section: 'news',
      tags: [],
    });
    const outcome = await prepareTranslationTask(rt.ctx, { storyId, from: 'ru', to: 'en' });
    if (!('task' in outcome)) throw new Error(outcome.status);
    const taskId = outcome.task._id;
    const translator = await deskUser({ roles: ['translator'], pairs: ['ru:en'] });
    const context = await browser.newContext({ locale: 'en-GB' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await signIn(page, translator.email, translator.password);
    await page.getByRole('button', { name: 'Claim next ru:en' }).click();
    await page.waitForURL(`${base}/desk/tasks/${taskId}`);

    expect(await page.locator('#segment-1 .field').textContent()).toContain('Heading');
    const tokens = page.locator('#segment-2 td.source .ic');
    expect(await tokens.count()).toBe(4);
    expect(await tokens.first().getAttribute('title')).toContain('https://odkb.example/a');
    expect(await tokens.nth(2).textContent()).toContain('bold');
    expect(await page.locator('#segment-2 td.source').textContent()).not.toContain('{1}');

    const target = page.getByLabel('Translation of segment 2');
    await target.fill('The ');
    await tokens.first().click(); // the link's opening code, at the caret
    await page.keyboard.type('CSTO');
    await target.focus();
    await page.keyboard.press('Control+Shift+Digit1'); // the next missing code: the link's end
    expect(await target.inputValue()).toBe('The {1}CSTO{/1}');
    await page.keyboard.type(' meeting is tomorrow.');
    await expect
      .poll(() => page.locator('#segment-2 .qa-live [data-check="placeholder_mismatch"]').textContent())
      .toContain('{2} (bold)');
    expect(await page.locator('#segment-2 .target-preview .ic').count()).toBe(2);
    await page.screenshot({ path: join(SHOTS, 'tokens-1-missing-code.png'), fullPage: true });

    await target.fill('The {1}CSTO{/1} meeting is {2}tomorrow{/2}.');
    await expect.poll(() => page.locator('#segment-2 .qa-live [data-check^="placeholder"]').count()).toBe(0);
    expect(await page.locator('#segment-2 .target-preview .ic').count()).toBe(4);
    await page.screenshot({ path: join(SHOTS, 'tokens-2-complete.png'), fullPage: true });

    const axeContext = await browser.newContext({
      bypassCSP: true,
      locale: 'en-GB',
      storageState: await context.storageState(),
    });
    const axePage = await axeContext.newPage();
    await axePage.goto(`${base}/desk/tasks/${taskId}`);
    expect(await axeViolations(axePage, 'workbench')).toEqual([]);
    await axeContext.close();
    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);
});
