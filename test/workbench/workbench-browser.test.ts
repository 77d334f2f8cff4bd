import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addToMemory } from '../../src/workflow/translation-memory.js';
import {
  axeOfDeskPage,
  claimNext,
  saveState,
  SHOTS,
  storedTask,
  targetText,
  taskToTranslate,
  useWorkbenchSuite,
} from '../support/workbench-page.js';
import { deskUser } from '../desk/desk-helpers.js';

// A one-minute lease, so that the test can let it run out for real.
const suite = useWorkbenchSuite({ TASK_LEASE_MINUTES: '1' });

const MINSK = 'Заседание пройдёт в Минске 27 июня 2019 года.';
const MOSCOW = 'Заседание пройдёт в Москве 27 июня 2019 года.';

describe('translator workbench in Chromium', () => {
  it('autosaves, restores after a reload, inserts a fuzzy suggestion by keyboard, keeps text over an expired lease', async () => {
    const { rt, base } = suite;
    await addToMemory(rt.ctx, 'ru:en', [
      { source: MINSK, target: 'The meeting will take place in Minsk on 27 June 2019.' },
    ]);
    const taskId = await taskToTranslate(suite, 'Заседание комитета', `<p>${MOSCOW}</p>`);
    const user = await deskUser({ roles: ['translator'], pairs: ['ru:en'] });
    const desk = await claimNext(suite, user, 'ru:en', taskId);
    const { context, page, errors } = desk;

    // The 97 % match is beside an empty target, with the changed word marked.
    const body = page.getByLabel('Translation of segment 1');
    expect(await targetText(page, 1)).toBe('');
    expect(await page.locator('#segment-1 .suggestion-source del').allTextContents()).toContain('Минске');
    expect(await page.locator('#segment-1 .suggestion-source ins').allTextContents()).toContain('Москве');
    expect(await page.locator('#segment-1 [data-status-label]').textContent()).toBe('Empty');
    expect(await page.locator('[data-progress-label]').textContent()).toBe('0 of 2 confirmed');
    await page.screenshot({ path: join(SHOTS, '1-task-claimed.png'), fullPage: true });

    // Type the title: autosaved.
    await page.getByLabel('Translation of segment 0').fill('Committee meeting');
    await expect.poll(() => saveState(page), { timeout: 20_000 }).toBe('saved');
    expect((await storedTask(taskId)).segments[0].target).toBe('Committee meeting');

    // Alt+1 inserts the suggestion; the city is then fixed by hand.
    await body.focus();
    await page.keyboard.press('Alt+1');
    expect(await targetText(page, 1)).toBe('The meeting will take place in Minsk on 27 June 2019.');
    await body.fill('The meeting will take place in Moscow on 27 June 2019.');
    expect(await page.locator('#segment-1 [data-status-label]').textContent()).toBe('Edited, not confirmed');

    // The API unreachable (the pages still load): the text stays in the browser; a reload restores it.
    await expect.poll(() => saveState(page), { timeout: 20_000 }).toBe('saved');
    await page.route('**/api/v1/**', (route) => route.abort('internetdisconnected'));
    await body.fill('The meeting will take place in Moscow on 27 June 2019 (offline).');
    await page.getByLabel('Translation of segment 0').focus(); // blur → save attempt
    await expect.poll(() => saveState(page), { timeout: 20_000 }).toBe('offline');
    await page.screenshot({ path: join(SHOTS, '2-offline.png'), fullPage: true });
    await page.reload(); // the save on leaving fails too: only the local draft has the text
    await page.unroute('**/api/v1/**');
    await expect
      .poll(() => targetText(page, 1), { timeout: 20_000 })
      .toBe('The meeting will take place in Moscow on 27 June 2019 (offline).');
    expect(await page.locator('.workbench-notices').textContent()).toContain('Restored 1 segment');
    await expect.poll(() => saveState(page), { timeout: 20_000 }).toBe('saved');
    expect((await storedTask(taskId)).segments[1].target).toBe(
      'The meeting will take place in Moscow on 27 June 2019 (offline).',
    );
    await page.screenshot({ path: join(SHOTS, '3-restored.png'), fullPage: true });

    // The one-minute lease runs out while text is unsaved (offline); back online it still saves.
    await context.setOffline(true);
    await page
      .getByLabel('Translation of segment 1')
      .fill('The meeting will take place in Moscow on 27 June 2019.');
    const lease = new Date((await storedTask(taskId)).leaseExpiresAt!).getTime();
    await expect
      .poll(() => page.locator('.lease-left').textContent(), { timeout: 150_000, interval: 2_000 })
      .toContain('Your lease ran out');
    expect(Date.now()).toBeGreaterThan(lease);
    await page.screenshot({ path: join(SHOTS, '4-lease-expired.png'), fullPage: true });
    await context.setOffline(false);
    await page.getByLabel('Translation of segment 0').focus();
    await page.getByLabel('Translation of segment 1').focus();
    await page.getByLabel('Translation of segment 0').focus(); // blur → save
    await expect.poll(() => saveState(page), { timeout: 30_000 }).toBe('saved');
    const after = await storedTask(taskId);
    expect(after.segments[1].target).toBe('The meeting will take place in Moscow on 27 June 2019.');
    expect(after.assignee).toBe(user.email);

    // Keyboard: Ctrl+Enter confirms and moves on; progress counts it.
    await page.getByLabel('Translation of segment 0').focus();
    await page.keyboard.press('Control+Enter');
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => page.locator('[data-progress-label]').textContent()).toBe('2 of 2 confirmed');
    await expect.poll(() => saveState(page), { timeout: 20_000 }).toBe('saved');
    expect((await storedTask(taskId)).segments.map((s) => s.status)).toEqual(['confirmed', 'confirmed']);
    await page.keyboard.press('F1');
    expect(await page.locator('#workbench-help').isVisible()).toBe(true);
    await page.screenshot({ path: join(SHOTS, '5-help.png'), fullPage: true });
    await page.keyboard.press('Escape');

    expect(await axeOfDeskPage(suite, desk, `/desk/tasks/${taskId}`, 'workbench')).toEqual([]);

    await page.getByRole('button', { name: 'Save and submit for review' }).click();
    await page.waitForURL(`${base}/desk/`);
    expect((await storedTask(taskId)).state).toBe('submitted');
    expect(errors).toEqual([]);
    await context.close();
  }, 300_000);
});
