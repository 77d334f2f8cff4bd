import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { saveTaskSegments } from '../../src/commands/save-task-segments.js';
import { placeholdersOf } from '../../src/shared/inline-codes.js';
import { expandPlaceholders } from '../../src/workflow/segmenter.js';
import {
  workbenchFor,
  saveState,
  SHOTS,
  storedTask,
  targetText,
  taskToTranslate,
  useWorkbenchSuite,
} from '../support/workbench-page.js';

/**
 * The target editor: the translator types text and inline codes appear as labelled tokens
 * (inserted by shortcut and by click, deleted whole, undone), a paste brings plain text only,
 * a draft typed offline comes back with its tokens after a reload, and the server stores the
 * segment with the source's codes, which expand back into the original markup.
 */
const suite = useWorkbenchSuite();

const tokenNames = (page: Page, i: number) =>
  page
    .locator(`#segment-${i} .target-editor .ic`)
    .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
const FULL = 'The {1}CSTO{/1} meeting is {2}tomorrow{/2} in {3}Minsk{/3}.';
const NAMES = ['link start 1', 'link end 1', 'bold start 2', 'bold end 2', 'italic start 3', 'italic end 3'];

describe('target editor with inline codes as tokens', () => {
  it('types text and tokens, pastes plain text, restores a draft with its tokens, saves the right codes', async () => {
    const taskId = await taskToTranslate(
      suite,
      'Заседание',
      '<p>Заседание <a href="https://odkb.example/a">ОДКБ</a> пройдёт <b>завтра</b> в <i>Минске</i>.</p>',
    );
    const { context, page, errors, user: translator } = await workbenchFor(suite, taskId);

    // The textarea is still the form field, hidden behind the editor that carries its label.
    const editor = page.getByLabel('Translation of segment 1');
    expect(await editor.getAttribute('contenteditable')).toBe('true');
    expect(await editor.getAttribute('role')).toBe('textbox');
    expect(await page.locator('#seg-1').isHidden()).toBe(true);

    // Text and codes: Ctrl+Shift+digit inserts the next missing code, a click on a source token its own.
    const sourceTokens = page.locator('#segment-1 td.source button.ic');
    await editor.click();
    await page.keyboard.type('The ');
    await page.keyboard.press('Control+Shift+Digit1');
    await page.keyboard.type('CSTO');
    await page.keyboard.press('Control+Shift+Digit1');
    await page.keyboard.type(' meeting is ');
    await sourceTokens.nth(2).click(); // bold start
    await page.keyboard.type('tomorrow');
    await sourceTokens.nth(3).click(); // bold end
    await page.keyboard.type(' in ');
    await page.keyboard.press('Control+Shift+Digit1');
    await page.keyboard.type('Minsk');
    await page.keyboard.press('Control+Shift+Digit1');
    await page.keyboard.type('.');
    expect(await targetText(page, 1)).toBe(FULL);
    expect(await tokenNames(page, 1)).toEqual(NAMES);
    const link = page.locator('#segment-1 .target-editor .ic').first();
    expect(await link.getAttribute('title')).toContain('https://odkb.example/a');
    expect(await link.getAttribute('contenteditable')).toBe('false');
    expect(await editor.textContent()).not.toContain('{');
    await page.screenshot({ path: join(SHOTS, 'editor-1-tokens.png'), fullPage: true });

    // A token is deleted whole by one Backspace; the mismatch names it; Ctrl+Z brings it back.
    await page.keyboard.press('ArrowLeft'); // before the full stop, after the italic's end
    await page.keyboard.press('Backspace');
    expect(await targetText(page, 1)).toBe('The {1}CSTO{/1} meeting is {2}tomorrow{/2} in {3}Minsk.');
    const mismatch = page.locator('#segment-1 .qa-live [data-check="placeholder_mismatch"]');
    await expect.poll(() => mismatch.textContent()).toContain('Missing from the translation:');
    expect(await mismatch.locator('.ic').getAttribute('aria-label')).toBe('italic end 3');
    await page.keyboard.press('Control+Z');
    expect(await targetText(page, 1)).toBe(FULL);
    await expect.poll(() => mismatch.count()).toBe(0);

    // A paste from a web page or a word processor brings its text, not its markup.
    const title = page.getByLabel('Translation of segment 0');
    await title.click();
    await title.evaluate((el) => {
      const data = new DataTransfer();
      data.setData('text/html', '<b style="color:red">Session</b> <img src="x.png">');
      data.setData('text/plain', 'Session');
      el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    });
    expect(await targetText(page, 0)).toBe('Session');
    expect(await title.evaluate((el) => el.innerHTML)).toBe('Session');
    await expect.poll(() => saveState(page), { timeout: 20_000 }).toBe('saved');
    expect((await storedTask(taskId)).segments.map((s) => s.target)).toEqual(['Session', FULL]);

    // Offline, more is typed; the reload restores the draft from this browser, tokens and all.
    await page.route('**/api/v1/**', (route) => route.abort('internetdisconnected'));
    await editor.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Backspace'); // the full stop
    await page.keyboard.type(' today.');
    const draft = 'The {1}CSTO{/1} meeting is {2}tomorrow{/2} in {3}Minsk{/3} today.';
    expect(await targetText(page, 1)).toBe(draft);
    await title.click(); // blur → a save attempt, which fails
    await expect.poll(() => saveState(page), { timeout: 20_000 }).toBe('offline');
    await page.reload();
    await page.unroute('**/api/v1/**');
    await expect.poll(() => targetText(page, 1), { timeout: 20_000 }).toBe(draft);
    expect(await page.locator('.workbench-notices').textContent()).toContain('Restored 1 segment');
    expect(await tokenNames(page, 1)).toEqual(NAMES);
    await page.screenshot({ path: join(SHOTS, 'editor-2-draft-restored.png'), fullPage: true });

    // Saved on the server with the source's codes, which become the original markup again.
    await expect.poll(() => saveState(page), { timeout: 20_000 }).toBe('saved');
    const segment = (await storedTask(taskId)).segments[1];
    expect(segment.target).toBe(draft);
    expect(placeholdersOf(segment.target)).toEqual(placeholdersOf(segment.source));
    const html = expandPlaceholders(segment.target, segment.tags ?? {});
    expect(html).toMatch(/<a [^>]*href="https:\/\/odkb\.example\/a"[^>]*>CSTO<\/a>/);
    expect(html).toContain('<b>tomorrow</b>');
    expect(html).toContain('<i>Minsk</i> today.');

    // Another tab of the same translator saves the segment meanwhile: this page's next save
    // conflicts, shows the server's text with its tokens, and taking it puts it into the editor.
    const theirs = 'The {1}CSTO{/1} session is {2}tomorrow{/2} in {3}Minsk{/3}.';
    const actor = {
      id: translator.email,
      name: 'Test Person',
      roles: ['translator' as const],
      pairs: ['ru:en'],
    };
    const current = await storedTask(taskId);
    await saveTaskSegments(suite.rt.ctx, actor, taskId, {
      baseRevision: current.revision,
      segments: [{ i: 1, target: theirs }],
    });
    await editor.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type(' Yes.');
    await title.click();
    const conflict = page.locator('#segment-1 .conflict');
    await conflict.waitFor({ timeout: 20_000 });
    expect(await conflict.locator('.theirs .ic').count()).toBe(6);
    expect(await conflict.locator('.theirs').textContent()).not.toContain('{');
    await page.screenshot({ path: join(SHOTS, 'editor-3-conflict.png'), fullPage: true });
    await conflict.getByRole('button', { name: "Use the server's text" }).click();
    expect(await targetText(page, 1)).toBe(theirs);
    expect(await tokenNames(page, 1)).toEqual(NAMES);
    await expect.poll(() => saveState(page), { timeout: 20_000 }).toBe('saved');
    expect((await storedTask(taskId)).segments[1].target).toBe(theirs);
    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);
});
