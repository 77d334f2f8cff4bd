import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { publishTranslation } from '../../src/commands/publish-translation.js';
import { runTaskQa } from '../../src/commands/run-task-qa.js';
import { writeRelease } from '../../src/commands/write-release.js';
import { prepareTranslationTask } from '../../src/workflow/prepare-task.js';
import { addToMemory } from '../../src/workflow/translation-memory.js';
import {
  axeOfDeskPage,
  workbenchFor,
  saveState,
  SHOTS,
  signedInAs,
  storedTask,
  targetText,
  taskToTranslate,
  useWorkbenchSuite,
} from '../support/workbench-page.js';

// A one-minute lease, so that the test can let it run out for real.
const suite = useWorkbenchSuite({ TASK_LEASE_MINUTES: '1' });

const MINSK = 'Заседание пройдёт в Минске 27 июня 2019 года.';
const MOSCOW = 'Заседание пройдёт в Москве 27 июня 2019 года.';
const BUDGET = 'Бюджет комитета вырос на 3,5 %.';
const BUDGET_EDITED = 'Бюджет комитета вырос на 4,5 %.';

describe('translator workbench in Chromium', () => {
  it('the whole journey: claim, type, reload, expired lease, source edited, fuzzy match, QA, submit, review with a correction and a send-back, reply, resubmit, approve, read', async () => {
    const { rt, base } = suite;
    await addToMemory(rt.ctx, 'ru:en', [
      { source: MINSK, target: 'The meeting will take place in Minsk on 27 June 2019.' },
    ]);
    let taskId = await taskToTranslate(suite, 'Заседание комитета', `<p>${MOSCOW} ${BUDGET}</p>`);
    const storyId = (await storedTask(taskId)).story;
    const desk = await workbenchFor(suite, taskId);
    const { user } = desk;
    const { context, page, errors } = desk;

    // The 97 % match is beside an empty target, with the changed word marked.
    const body = page.getByLabel('Translation of segment 1');
    expect(await targetText(page, 1)).toBe('');
    expect(await page.locator('#segment-1 .suggestion-source del').allTextContents()).toContain('Минске');
    expect(await page.locator('#segment-1 .suggestion-source ins').allTextContents()).toContain('Москве');
    expect(await page.locator('#segment-1 [data-status-label]').textContent()).toBe('Empty');
    expect(await page.locator('[data-progress-label]').textContent()).toBe('0 of 3 confirmed');
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

    // The editor changes the budget sentence while the translator types (unsaved) in another one.
    const budget = page.getByLabel('Translation of segment 2');
    await budget.fill('The committee budget grew by 3.5%.');
    await page.getByLabel('Translation of segment 0').focus();
    await expect.poll(() => saveState(page), { timeout: 20_000 }).toBe('saved');
    await page.route('**/api/v1/**', (route) => route.abort('internetdisconnected'));
    const typedMeanwhile = 'The meeting is to be held in Moscow on 27 June 2019.';
    await page.getByLabel('Translation of segment 1').fill(typedMeanwhile);
    await publishSource(storyId, `<p>${MOSCOW} ${BUDGET_EDITED}</p>`);
    const edited = await prepareTranslationTask(rt.ctx, { storyId, from: 'ru', to: 'en' });
    if (!('task' in edited)) throw new Error(edited.status);
    expect(edited.task).toMatchObject({ state: 'in_progress', assignee: user.email });
    await page.unroute('**/api/v1/**');
    await page.getByLabel('Translation of segment 0').focus(); // blur → the save learns of the new task
    await page.waitForURL(`${base}/desk/tasks/${edited.task._id}`, { timeout: 30_000 });
    taskId = edited.task._id;
    await expect.poll(() => saveState(page), { timeout: 20_000 }).toBe('saved');
    expect(await targetText(page, 1)).toBe(typedMeanwhile);
    expect(await page.locator('.workbench-notices').textContent()).toContain('The source was edited');
    expect(await targetText(page, 0)).toBe('Committee meeting');
    expect(await page.locator('#segment-2').getAttribute('class')).toContain('segment-changed');
    expect(await page.locator('#segment-2 details').textContent()).toContain(
      'The committee budget grew by 3.5%.',
    );
    expect(await targetText(page, 2)).toBe('');
    const moved = await storedTask(taskId);
    expect(moved.segments.map((s) => s.target)).toEqual(['Committee meeting', typedMeanwhile, '']);
    await page.screenshot({ path: join(SHOTS, '5-source-edited.png'), fullPage: true });

    // A number error as the translator types, then fixed.
    await budget.fill('The committee budget grew by 45%.');
    await expect.poll(() => page.locator('#segment-2 .qa-error').count()).toBeGreaterThan(0);
    expect(await page.locator('#segment-2 .qa-error').first().textContent()).toContain('4,5');
    await page.screenshot({ path: join(SHOTS, '6-number-error.png'), fullPage: true });
    await budget.fill('The committee budget grew by 4.5%.');
    await expect.poll(() => page.locator('#segment-2 .qa-error').count()).toBe(0);

    // Keyboard: Ctrl+Enter confirms and moves on; progress counts it.
    await page.getByLabel('Translation of segment 0').focus();
    await page.keyboard.press('Control+Enter');
    await page.keyboard.press('Control+Enter');
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => page.locator('[data-progress-label]').textContent()).toBe('3 of 3 confirmed');
    await expect.poll(() => saveState(page), { timeout: 20_000 }).toBe('saved');
    expect((await storedTask(taskId)).segments.map((s) => s.status)).toEqual([
      'confirmed',
      'confirmed',
      'confirmed',
    ]);
    await page.keyboard.press('F1');
    expect(await page.locator('#workbench-help').isVisible()).toBe(true);
    await page.screenshot({ path: join(SHOTS, '7-help.png'), fullPage: true });
    await page.keyboard.press('Escape');

    expect(await axeOfDeskPage(suite, desk, `/desk/tasks/${taskId}`, 'workbench')).toEqual([]);

    await page.getByRole('button', { name: 'Save and submit for review' }).click();
    await page.waitForURL(`${base}/desk/`);
    const submitted = await storedTask(taskId);
    expect(submitted.state).toBe('submitted');
    expect(await runTaskQa(rt.ctx, taskId, submitted.revision)).toBe('in_review');

    // The reviewer corrects the title directly and sends the body sentence back with a note.
    const reviewer = await signedInAs(suite, 'reviewer');
    const rPage = reviewer.page;
    await rPage.goto(`${base}/desk/reviews/${taskId}`);
    await rPage.screenshot({ path: join(SHOTS, '8-review.png'), fullPage: true });
    expect(await axeOfDeskPage(suite, reviewer, `/desk/reviews/${taskId}`, 'review')).toEqual([]);
    await rPage.locator('#segment-0 details.correct summary').click();
    await rPage.getByLabel('Corrected translation of segment 0').fill('Committee session');
    await rPage.getByLabel('Comment on segment 1').fill('Say “is to take place”: “held” is for the past.');
    await rPage.getByLabel('Note for the translator (optional)').fill('One sentence to rephrase.');
    await rPage.screenshot({ path: join(SHOTS, '9-review-correct-and-comment.png'), fullPage: true });
    await rPage.getByRole('button', { name: 'Send back' }).click();
    await rPage.waitForURL(`${base}/desk/`);
    const sentBack = await storedTask(taskId);
    expect(sentBack.state).toBe('in_progress');
    expect(sentBack.segments[0]).toMatchObject({
      target: 'Committee session',
      origin: 'reviewer',
      correction: { previous: 'Committee meeting' },
    });
    expect(sentBack.segments[1].status).toBe('rejected');

    // The translator sees the note and the comment, replies, fixes and resubmits.
    await page.goto(`${base}/desk/tasks/${taskId}`);
    expect(await page.locator('.sent-back').textContent()).toContain('One sentence to rephrase.');
    expect(await page.locator('.sent-back a[href="#segment-1"]').textContent()).toBe('2');
    expect(await page.locator('#segment-1 .segment-thread').textContent()).toContain(
      '“held” is for the past',
    );
    expect(await targetText(page, 0)).toBe('Committee session');
    await page.screenshot({ path: join(SHOTS, '10-sent-back.png'), fullPage: true });
    await page
      .locator('#segment-1')
      .getByLabel('Your reply to the reviewer (sent with your next submission)')
      .fill('Agreed: rephrased.');
    await body.fill('The meeting is to take place in Moscow on 27 June 2019.');
    await body.focus();
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => saveState(page), { timeout: 20_000 }).toBe('saved');
    expect((await storedTask(taskId)).segments[1]).toMatchObject({
      reply: 'Agreed: rephrased.',
      status: 'confirmed',
    });
    await page.getByRole('button', { name: 'Save and submit for review' }).click();
    await page.waitForURL(`${base}/desk/`);
    const resubmitted = await storedTask(taskId);
    expect(resubmitted.segments[1].thread?.map((m) => m.kind)).toEqual(['comment', 'reply']);
    expect(await runTaskQa(rt.ctx, taskId, resubmitted.revision)).toBe('in_review');

    // The reviewer reads the reply beside the segment and approves; readers get the corrected text.
    await rPage.goto(`${base}/desk/reviews/${taskId}`);
    expect(await rPage.locator('#segment-1 .segment-thread').textContent()).toContain('Agreed: rephrased.');
    await rPage.screenshot({ path: join(SHOTS, '11-review-with-reply.png'), fullPage: true });
    await rPage.getByRole('button', { name: 'Approve and publish' }).click();
    await rPage.waitForURL(`${base}/desk/`);
    expect(await publishTranslation(rt.ctx, taskId)).toBe('published');
    const reader = await reviewer.context.newPage();
    await reader.goto(`${base}/en/stories/${storyId}`);
    expect(await reader.locator('h1').first().textContent()).toContain('Committee session');
    expect(await reader.locator('article').textContent()).toContain(
      'The meeting is to take place in Moscow on 27 June 2019.',
    );
    await reader.screenshot({ path: join(SHOTS, '12-reader.png'), fullPage: true });
    expect([...errors, ...reviewer.errors]).toEqual([]);
    await reviewer.context.close();
    await context.close();
  }, 480_000);
});

/** Publishes the story's Russian original with this body: the editor's change of a sentence. */
const publishSource = (storyId: string, body: string) =>
  writeRelease({
    storyId,
    lang: 'ru',
    title: 'Заседание комитета',
    body,
    status: 'published',
    section: 'news',
    tags: [],
  });
