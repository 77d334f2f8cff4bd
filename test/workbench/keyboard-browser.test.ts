import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { addToMemory } from '../../src/workflow/translation-memory.js';
import {
  axeOfDeskPage,
  saveState,
  SHOTS,
  signedInAs,
  storedTask,
  targetText,
  taskToTranslate,
  useWorkbenchSuite,
} from '../support/workbench-page.js';

/**
 * A whole task without a mouse: claimed from the dashboard with Tab and Enter, translated with
 * the workbench's shortcuts (help, suggestion, inline codes, copy source, confirm and next,
 * moving between segments) and submitted with Tab and Enter. No pointer event reaches any page
 * (counted by a listener installed before each page loads), and axe-core finds nothing
 * serious on the workbench before and after, help dialog open.
 */
const suite = useWorkbenchSuite();

/** Presses Tab until the focused element matches (a bounded walk: unreachable fails the test). */
async function tabTo(page: Page, selector: string, text?: string): Promise<void> {
  for (let presses = 0; presses < 120; presses++) {
    const there = await page.evaluate(
      ([sel, want]) => {
        const el = document.activeElement;
        return Boolean(el?.matches(sel) && (!want || el.textContent?.includes(want)));
      },
      [selector, text ?? ''] as const,
    );
    if (there) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${selector} ${text ?? ''}`);
}

/** The index of the segment whose target editor has the focus (-1: none). */
const focusedSegment = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    const row = el?.classList.contains('target-editor') ? el.closest<HTMLElement>('tr[data-segment]') : null;
    return row ? Number(row.dataset.segment) : -1;
  });

const MINSK = 'Заседание пройдёт в Минске 27 июня 2019 года.';
const MOSCOW = 'Заседание пройдёт в Москве 27 июня 2019 года.';

describe('keyboard-only completion of a task', () => {
  it('claims, translates, confirms, moves and submits with the keyboard alone; axe stays clean', async () => {
    const { rt, base } = suite;
    await addToMemory(rt.ctx, 'ru:en', [
      { source: MINSK, target: 'The meeting will take place in Minsk on 27 June 2019.' },
    ]);
    const taskId = await taskToTranslate(
      suite,
      'Заседание комитета',
      `<p>${MOSCOW}</p><p>Рост составил <b>3,5 %</b>.</p><p>27.06.2019</p>`,
    );
    const desk = await signedInAs(suite, 'translator');
    const { context, page, errors } = desk;
    // From here on, every pointer event on any page is counted (per tab, across navigations).
    await context.addInitScript(() => {
      window.addEventListener(
        'pointerdown',
        () => sessionStorage.setItem('pointer', String(Number(sessionStorage.getItem('pointer') ?? 0) + 1)),
        true,
      );
    });
    await page.reload();

    // Claim from the dashboard.
    await tabTo(page, 'button', 'Claim next ru:en');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${base}/desk/tasks/${taskId}`);
    expect(await axeOfDeskPage(suite, desk, `/desk/tasks/${taskId}`, 'workbench before')).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'keyboard-1-claimed.png'), fullPage: true });

    // Into the first target; the shortcut help opens and closes, focus comes back.
    await tabTo(page, '#segment-0 .target-editor');
    await page.keyboard.press('F1');
    const help = page.locator('#workbench-help');
    expect(await help.isVisible()).toBe(true);
    expect(await help.textContent()).toContain('Confirm the segment and go to the next unconfirmed one');
    await page.screenshot({ path: join(SHOTS, 'keyboard-2-help.png'), fullPage: true });
    await page.keyboard.press('Escape');
    expect(await help.isVisible()).toBe(false);
    expect(await focusedSegment(page)).toBe(0);

    // Title typed, confirmed, on to the next unconfirmed segment.
    await page.keyboard.type('Committee meeting');
    await page.keyboard.press('Control+Enter');
    expect(await focusedSegment(page)).toBe(1);

    // The fuzzy match inserted with Alt+1, then corrected.
    await page.keyboard.press('Alt+1');
    expect(await targetText(page, 1)).toBe('The meeting will take place in Minsk on 27 June 2019.');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('The meeting will take place in Moscow on 27 June 2019.');
    await page.keyboard.press('Control+Enter');
    expect(await focusedSegment(page)).toBe(2);

    // Inline codes inserted in order with Ctrl+Shift+digit.
    await page.keyboard.type('Growth was ');
    await page.keyboard.press('Control+Shift+Digit1');
    await page.keyboard.type('3.5%');
    await page.keyboard.press('Control+Shift+Digit1');
    await page.keyboard.type('.');
    expect(await targetText(page, 2)).toBe('Growth was {1}3.5%{/1}.');
    await page.keyboard.press('Control+Enter');
    expect(await focusedSegment(page)).toBe(3);

    // A date needs no translation: Ctrl+Shift+Insert copies the source.
    await page.keyboard.press('Control+Shift+Insert');
    expect(await targetText(page, 3)).toBe('27.06.2019');
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => page.locator('[data-progress-label]').textContent()).toBe('4 of 4 confirmed');
    expect(await focusedSegment(page)).toBe(3); // nothing left unconfirmed: the focus stays

    // Moving: Alt+↑/↓ and Ctrl+↑/↓.
    await page.keyboard.press('Alt+ArrowUp');
    expect(await focusedSegment(page)).toBe(2);
    await page.keyboard.press('Control+ArrowUp');
    expect(await focusedSegment(page)).toBe(1);
    await page.keyboard.press('Alt+ArrowDown');
    expect(await focusedSegment(page)).toBe(2);
    await page.keyboard.press('Control+ArrowDown');
    expect(await focusedSegment(page)).toBe(3);
    expect(await page.locator('#segment-2 .qa-live p').count()).toBe(0);

    await expect.poll(() => saveState(page), { timeout: 20_000 }).toBe('saved');
    await page.screenshot({ path: join(SHOTS, 'keyboard-3-all-confirmed.png'), fullPage: true });
    expect(
      await axeOfDeskPage(
        suite,
        desk,
        `/desk/tasks/${taskId}`,
        'workbench after, help open',
        async (twin) => {
          await twin.keyboard.press('F1');
          await twin.locator('#workbench-help').waitFor({ state: 'visible' });
        },
      ),
    ).toEqual([]);

    // Submit: Tab to the button, Enter (the confirmation is accepted).
    await tabTo(page, 'button', 'Save and submit for review');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${base}/desk/`);
    await page.screenshot({ path: join(SHOTS, 'keyboard-4-submitted.png'), fullPage: true });
    const submitted = await storedTask(taskId);
    expect(submitted.state).toBe('submitted');
    expect(submitted.segments.map((s) => [s.target, s.status])).toEqual([
      ['Committee meeting', 'confirmed'],
      ['The meeting will take place in Moscow on 27 June 2019.', 'confirmed'],
      ['Growth was {1}3.5%{/1}.', 'confirmed'],
      ['27.06.2019', 'confirmed'],
    ]);
    expect(await page.evaluate(() => sessionStorage.getItem('pointer'))).toBeNull();
    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);
});
