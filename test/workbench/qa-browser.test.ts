import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { runTaskQa } from '../../src/commands/run-task-qa.js';
import {
  workbenchFor,
  saveState,
  SHOTS,
  reviewFor,
  storedTask,
  taskToTranslate,
  useWorkbenchSuite,
} from '../support/workbench-page.js';

/**
 * QA by value in the browser: the workbench runs the server's rules as the translator types
 * (a changed "3,5 %" is an error quoting the source, fixed by writing the value the English
 * way), a warning is accepted with a note that is autosaved and shown to the reviewer.
 */
const suite = useWorkbenchSuite();

const liveChecks = (page: Page, i: number) =>
  page
    .locator(`#segment-${i} .qa-live p`)
    .evaluateAll((ps) => ps.map((p) => (p as HTMLElement).dataset.check));

describe('QA by value in the workbench', () => {
  it('shows value errors as the translator types, accepts a warning with a note the reviewer sees', async () => {
    const { rt, base } = suite;
    const taskId = await taskToTranslate(
      suite,
      'Итоги года',
      '<p>Рост составил 3,5 % в 2019 году.</p><p>Саммит пройдёт 27 июня 2019 г.</p>',
    );
    const { context, page, errors } = await workbenchFor(suite, taskId);

    await page.getByLabel('Translation of segment 0').fill('Results of the year');
    const growth = page.getByLabel('Translation of segment 1');
    await growth.fill('Growth was 35% in 2019.');
    await expect.poll(() => liveChecks(page, 1)).toEqual(['number_different']);
    expect(await page.locator('#segment-1 .qa-live .qa-error').textContent()).toContain('3,5 %');
    await page.screenshot({ path: join(SHOTS, 'qa-1-number-error.png'), fullPage: true });
    await growth.fill('Growth was 3.5% in 2019.');
    await expect.poll(() => liveChecks(page, 1)).toEqual([]);

    // A date without its year: a warning, with a note field to accept it.
    const summit = page.getByLabel('Translation of segment 2');
    expect(await page.locator('#segment-2 .qa-note').isHidden()).toBe(true);
    await summit.fill('The summit will take place on 27 June.');
    await expect.poll(() => liveChecks(page, 2)).toEqual(['date_partial']);
    const note = page.getByLabel('Note for the reviewer (accepts the warnings above)').last();
    expect(await note.isVisible()).toBe(true);
    await note.fill('The year is in the previous sentence.');
    await expect.poll(() => page.locator('#segment-2 .qa-accepted').count()).toBe(1);
    await expect.poll(() => saveState(page), { timeout: 20_000 }).toBe('saved');
    expect((await storedTask(taskId)).segments[2].qaNote).toBe('The year is in the previous sentence.');
    await page.screenshot({ path: join(SHOTS, 'qa-2-warning-accepted.png'), fullPage: true });

    // After a reload the note is still there (from the server), and the warning still accepted.
    await page.reload();
    expect(await page.locator('#note-2').inputValue()).toBe('The year is in the previous sentence.');
    expect(await page.locator('#segment-2 .qa-note').isVisible()).toBe(true);

    for (const i of [0, 1, 2]) {
      await page.getByLabel(`Translation of segment ${i}`).focus();
      await page.keyboard.press('Control+Enter');
    }
    await expect.poll(() => page.locator('[data-progress-label]').textContent()).toBe('3 of 3 confirmed');
    await expect.poll(() => saveState(page), { timeout: 20_000 }).toBe('saved');
    await page.getByRole('button', { name: 'Save and submit for review' }).click();
    await page.waitForURL(`${base}/desk/`);
    const submitted = await storedTask(taskId);
    expect(submitted.state).toBe('submitted');
    // The review job's QA (called directly: the same handler the queue runs) passes with the warning.
    await runTaskQa(rt.ctx, taskId, submitted.revision);
    const inReview = await storedTask(taskId);
    expect(inReview.state).toBe('in_review');
    expect(inReview.qa?.errors).toEqual([]);
    expect(inReview.qa?.warnings.map((w) => w.check)).toContain('date_partial');
    await context.close();

    const { context: reviewContext, page: review, errors: reviewErrors } = await reviewFor(suite, taskId);
    const row = review.locator('#segment-2');
    expect(await row.locator('.qa-warning').allTextContents()).toEqual([
      expect.stringContaining('27 июня 2019'),
    ]);
    expect(await row.locator('.qa-note-text').textContent()).toContain(
      'The year is in the previous sentence.',
    );
    await review.screenshot({ path: join(SHOTS, 'qa-3-review-note.png'), fullPage: true });
    await reviewContext.close();
    expect(errors).toEqual([]);
    expect(reviewErrors).toEqual([]);
  }, 180_000);
});
