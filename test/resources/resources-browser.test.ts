import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeRelease } from '../../src/commands/write-release.js';
import { newStoryId } from '../../src/models/ids.js';
import { putTerm } from '../../src/workflow/glossary.js';
import { prepareTranslationTask } from '../../src/workflow/prepare-task.js';
import { addToMemory } from '../../src/workflow/translation-memory.js';
import { launchChromium } from '../support/browser.js';
import { serveOnLoopback, startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import { deskUser } from '../desk/desk-helpers.js';

let rt: TestRuntime;
let base: string;
let close: () => Promise<void>;
let browser: Browser;
beforeAll(async () => {
  rt = await startTestRuntime({ NEWSROOM_LANGUAGES: 'ru,en' });
  ({ base, close } = await serveOnLoopback(rt));
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await close?.();
  await rt?.close();
});

const CSTO = 'Организация Договора о коллективной безопасности';

describe('language resources in the workbench (Chromium)', () => {
  it('highlights inflected terms with their translation, inserts one, flags a forbidden term, searches the memory', async () => {
    await putTerm('ru:en', {
      source: CSTO,
      target: 'Collective Security Treaty Organization',
      status: 'preferred',
    });
    await putTerm('ru:en', { source: 'совет', target: 'Council', status: 'preferred' });
    await putTerm('ru:en', { source: 'совет', target: 'Soviet', status: 'forbidden' });
    await addToMemory(rt.ctx, 'ru:en', [
      {
        source: 'Генеральный секретарь выступил с докладом.',
        target: 'The Secretary General presented a report.',
      },
    ]);
    const storyId = newStoryId();
    await writeRelease({
      storyId,
      lang: 'ru',
      title: 'Заседание',
      // The genitive of the term, and a term inside inline markup.
      body: `<p>Секретарь Организации Договора о коллективной безопасности выступил на <b>Совете</b>.</p>`,
      status: 'published',
      section: 'news',
      tags: [],
    });
    const out = await prepareTranslationTask(rt.ctx, { storyId, from: 'ru', to: 'en' });
    if (!('task' in out)) throw new Error(out.status);
    const user = await deskUser({ roles: ['translator'], pairs: ['ru:en'] }, ['ru', 'en']);
    const context = await browser.newContext({ locale: 'en-GB' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => {
      if (/Content Security Policy|Refused/i.test(m.text())) errors.push(m.text());
    });
    page.on('dialog', (d) => void d.accept());
    await page.goto(`${base}/desk/login`);
    await page.getByLabel('E-mail').fill(user.email);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${base}/desk/`);
    await page.getByRole('button', { name: 'Claim next ru:en' }).click();
    await page.waitForURL(`${base}/desk/tasks/${out.task._id}`);
    await page.locator('#segment-form[data-terms-ready]').waitFor({ timeout: 30_000 });

    // Highlighted in the source: the genitive form, and the word inside the bold code.
    const row = page.locator('#segment-1');
    const marks = row.locator('mark.term');
    expect(await marks.allTextContents()).toEqual([
      'Организации Договора о коллективной безопасности',
      'Совете',
    ]);
    const csto = marks.first();
    expect(await csto.getAttribute('title')).toBe('Collective Security Treaty Organization — preferred');
    // Focus shows the translation (as hover does), not only a tooltip.
    await csto.focus();
    const tip = await csto.evaluate((el) => getComputedStyle(el, '::after').content);
    expect(tip).toContain('Collective Security Treaty Organization');
    const council = marks.nth(1);
    expect(await council.getAttribute('class')).toContain('term-preferred');
    expect(await council.getAttribute('title')).toBe('Council — preferred; Soviet — forbidden');
    expect(await row.locator('td.source button.ic, td.source span.ic').count()).toBeGreaterThan(0);

    // Insert the term's translation by shortcut (Alt+T) at the caret.
    // Typed in the target editor; the textarea behind it holds the text.
    const textarea = page.getByLabel('Translation of segment 1');
    await textarea.click();
    await textarea.fill('The Secretary of the ');
    await page.keyboard.press('Alt+T');
    await expect
      .poll(() => page.locator('#seg-1').inputValue())
      .toBe('The Secretary of the Collective Security Treaty Organization');

    // A forbidden rendering is a QA error as the translator types.
    await textarea.fill('The Secretary of the Collective Security Treaty Organization spoke at the Soviet.');
    await row.locator('.term-qa [data-check="glossary_term_forbidden"]').waitFor({ timeout: 15_000 });
    expect(await row.locator('.term-qa').textContent()).toContain("'Soviet' is a forbidden translation");
    await textarea.fill('The Secretary of the Collective Security Treaty Organization spoke at the Council.');
    await expect.poll(() => row.locator('.term-qa [data-check]').count(), { timeout: 15_000 }).toBe(0);

    // Concordance: Ctrl+K with the selected words, in the memory's source and target.
    await textarea.fill('Secretary');
    await textarea.selectText();
    await page.keyboard.press('Control+K');
    const dialog = page.locator('#concordance');
    await dialog.waitFor({ state: 'visible' });
    expect(await dialog.locator('input[type="search"]').inputValue()).toBe('Secretary');
    await dialog.locator('.concordance-results li').first().waitFor({ timeout: 15_000 });
    expect(await dialog.locator('.concordance-target').allTextContents()).toContain(
      'The Secretary General presented a report.',
    );
    await dialog.locator('input[type="search"]').fill('секретарь');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => dialog.locator('.concordance-source').allTextContents())
      .toContain('Генеральный секретарь выступил с докладом.');
    expect(errors).toEqual([]);
    await context.close();
  });
});
