import { describe, expect, it } from 'vitest';
import {
  workbenchFor,
  saveState,
  signIn,
  longTaskToTranslate,
  storedTask,
  targetText,
  taskToTranslate,
  useWorkbenchSuite,
} from '../support/workbench-page.js';

/**
 * A long task in pages of 100 segments: the page holds one page's rows, progress counts the
 * whole task, Ctrl+Enter at a page's last segment saves and opens the next page at its first
 * unconfirmed segment, and a draft typed on page 2 outlives a reload there.
 */
const suite = useWorkbenchSuite();

const PARAGRAPHS = 450; // with the title: 451 segments, 5 pages

describe('a long task in pages', () => {
  it('shows one page, moves across pages with Ctrl+Enter and keeps drafts per page', async () => {
    const { base } = suite;
    const taskId = await longTaskToTranslate(suite, PARAGRAPHS);
    const { context, page, errors } = await workbenchFor(suite, taskId);

    // Page 1 only: 100 rows, a page index of 5, the whole task in the progress.
    expect(await page.locator('tr[data-segment]').count()).toBe(100);
    expect(await page.locator('.segment-pages').first().locator('li').count()).toBe(6); // 1–5 and "next"
    expect(await page.locator('[data-progress-label]').textContent()).toBe('0 of 451 confirmed');

    // Its bytes: a fifth of the whole task's, give or take the page's frame.
    const sizes: number[] = [];
    for (let n = 1; n <= 5; n++) {
      const res = await context.request.get(`${base}/desk/tasks/${taskId}?page=${n}`);
      expect(res.status()).toBe(200);
      sizes.push((await res.body()).length);
    }
    const whole = sizes.reduce((a, b) => a + b, 0);
    expect(sizes[0] * 3).toBeLessThan(whole);

    // The last segment of page 1, typed and confirmed with Ctrl+Enter: page 2 opens at segment 100.
    const last = page.getByLabel('Translation of segment 99');
    await last.fill('Paragraph number 99.');
    await last.focus();
    await page.keyboard.press('Control+Enter');
    await page.waitForURL(`${base}/desk/tasks/${taskId}?page=2&at=100`);
    const saved = (await storedTask(taskId)).segments[99];
    expect(saved.target).toBe('Paragraph number 99.');
    expect(saved.status).toBe('confirmed');
    expect(await page.locator('tr[data-segment]').first().getAttribute('data-segment')).toBe('100');
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.closest('tr')?.dataset.segment))
      .toBe('100');
    expect(await page.locator('[data-progress-label]').textContent()).toBe('1 of 451 confirmed');

    // A draft typed on page 2 while the API is unreachable: a reload restores and saves it.
    await page.route('**/api/v1/**', (route) => route.abort('internetdisconnected'));
    await page.getByLabel('Translation of segment 150').fill('Paragraph number 150.');
    await page.getByLabel('Translation of segment 151').focus(); // blur → save attempt
    await expect.poll(() => saveState(page), { timeout: 20_000 }).toBe('offline');
    await page.reload();
    await page.unroute('**/api/v1/**');
    await expect.poll(() => targetText(page, 150), { timeout: 20_000 }).toBe('Paragraph number 150.');
    await expect.poll(() => saveState(page), { timeout: 20_000 }).toBe('saved');
    expect((await storedTask(taskId)).segments[150].target).toBe('Paragraph number 150.');

    // Alt+↑ at page 2's first segment opens page 1 at its last one.
    await page.getByLabel('Translation of segment 100').focus();
    await page.keyboard.press('Alt+ArrowUp');
    await page.waitForURL(`${base}/desk/tasks/${taskId}?page=1&at=99`);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('pages without JS: the index saves the page, then opens the one chosen', async () => {
    const { base } = suite;
    const body = Array.from({ length: 150 }, (_, k) => `<p>Абзац ${k + 1}.</p>`).join('');
    const taskId = await taskToTranslate(suite, 'Без скриптов', body);
    const desk = await workbenchFor(suite, taskId);
    await desk.context.close();
    const context = await suite.browser.newContext({ locale: 'en-GB', javaScriptEnabled: false });
    const page = await context.newPage();
    await signIn(suite, page, desk.user);
    await page.goto(`${base}/desk/tasks/${taskId}`);
    await page.locator('#seg-5').fill('Paragraph 5.');
    await page.locator('.segment-pages').first().getByRole('button', { name: '2' }).click();
    await page.waitForURL(`${base}/desk/tasks/${taskId}?page=2`);
    expect(await page.locator('tr[data-segment]').count()).toBe(51);
    expect((await storedTask(taskId)).segments[5].target).toBe('Paragraph 5.');
    await context.close();
  });
});
