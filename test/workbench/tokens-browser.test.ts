import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  axeOfDeskPage,
  workbenchFor,
  SHOTS,
  targetText,
  taskToTranslate,
  useWorkbenchSuite,
} from '../support/workbench-page.js';

/**
 * Inline markup people can read: the source's codes are labelled tokens (a link shows its URL
 * as a tooltip), a click or Ctrl+Shift+digit inserts them in order into the target editor,
 * which shows them as the same tokens, and a mismatch names the missing code and what it is.
 */
const suite = useWorkbenchSuite();

describe('inline codes as tokens', () => {
  it('labels codes and segments, inserts codes by click and shortcut, names a missing one', async () => {
    const taskId = await taskToTranslate(
      suite,
      'Заседание',
      '<h2>Итоги</h2><p>Заседание <a href="https://odkb.example/a">ОДКБ</a> пройдёт <b>завтра</b>.</p>',
    );
    const desk = await workbenchFor(suite, taskId);
    const { context, page, errors } = desk;

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
    expect(await targetText(page, 2)).toBe('The {1}CSTO{/1}');
    await page.keyboard.type(' meeting is tomorrow.');
    const mismatch = page.locator('#segment-2 .qa-live [data-check="placeholder_mismatch"]');
    await expect.poll(() => mismatch.textContent()).toContain('Missing from the translation:');
    expect(
      await mismatch.locator('.ic').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label'))),
    ).toEqual(['bold start 2', 'bold end 2']);
    expect(await page.locator('#segment-2 .target-editor .ic').count()).toBe(2);
    await page.screenshot({ path: join(SHOTS, 'tokens-1-missing-code.png'), fullPage: true });

    // Placeholders typed by hand become tokens too.
    await target.fill('The {1}CSTO{/1} meeting is {2}tomorrow{/2}.');
    await expect.poll(() => page.locator('#segment-2 .qa-live [data-check^="placeholder"]').count()).toBe(0);
    expect(await page.locator('#segment-2 .target-editor .ic').count()).toBe(4);
    expect(await page.locator('#segment-2 .target-editor').textContent()).not.toContain('{');
    await page.screenshot({ path: join(SHOTS, 'tokens-2-complete.png'), fullPage: true });

    expect(await axeOfDeskPage(suite, desk, `/desk/tasks/${taskId}`, 'workbench')).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);
});
