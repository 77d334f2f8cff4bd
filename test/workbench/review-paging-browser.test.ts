import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { claimTaskById } from '../../src/commands/claim-task.js';
import { runTaskQa } from '../../src/commands/run-task-qa.js';
import { saveTaskSegments } from '../../src/commands/save-task-segments.js';
import { submitTask } from '../../src/commands/submit-task.js';
import { ReviewDraft } from '../../src/models/review-draft.js';
import {
  SHOTS,
  longTaskToTranslate,
  reviewFor,
  storedTask,
  useWorkbenchSuite,
} from '../support/workbench-page.js';
import { buildUser } from '../workflow/support.js';

/**
 * The review page of a long task in pages of 100 segments, like the workbench: one page's rows,
 * progress over the whole task, the page index saves the page's corrections and comments before
 * opening another, and sending back sends the comments of every page.
 */
const suite = useWorkbenchSuite();

const PARAGRAPHS = 250; // with the title: 251 segments, 3 pages

/** A long task translated, submitted and passed by QA: in review. */
async function longTaskInReview(): Promise<string> {
  const taskId = await longTaskToTranslate(suite, PARAGRAPHS);
  const translator = (await buildUser(['translator'], ['ru:en'])).actor;
  const claimed = await claimTaskById(suite.rt.ctx, translator, taskId);
  await saveTaskSegments(suite.rt.ctx, translator, taskId, {
    baseRevision: claimed.revision,
    segments: claimed.segments.map((s) => ({
      i: s.i,
      target: s.i === 0 ? 'A long story' : `Paragraph number ${s.i}.`,
      confirmed: true,
    })),
  });
  const submitted = await submitTask(suite.rt.ctx, translator, taskId);
  expect(await runTaskQa(suite.rt.ctx, taskId, submitted.revision)).toBe('in_review');
  return taskId;
}

describe('the review page of a long task', () => {
  it('shows one page, keeps corrections and comments across pages and sends back the whole task', async () => {
    const { base } = suite;
    const taskId = await longTaskInReview();
    const { context, page, errors } = await reviewFor(suite, taskId);
    const rows = page.locator('table.segments tbody tr');
    const pages = page.locator('.segment-pages').first();

    // Page 1 only, an index of 3 pages and "next", the whole task in the progress.
    expect(await rows.count()).toBe(100);
    expect(await pages.locator('li').count()).toBe(4);
    expect(await page.locator('[data-progress-label]').textContent()).toBe('251 of 251 confirmed');

    // A comment and a correction on page 1, then page 3 from the index: both are saved first.
    await page.getByLabel('Comment on segment 5', { exact: true }).fill('Say “paragraph five” here.');
    await page.locator('#segment-10 summary').click();
    await page.locator('#fix-10').fill('Paragraph no. 10.');
    await pages.getByRole('button', { name: '3', exact: true }).click();
    await page.waitForURL(`${base}/desk/reviews/${taskId}?page=3`);
    expect(await rows.count()).toBe(51);
    expect(await rows.first().getAttribute('id')).toBe('segment-200');
    const corrected = await storedTask(taskId);
    expect(corrected.segments[10]).toMatchObject({ target: 'Paragraph no. 10.', origin: 'reviewer' });
    expect(corrected.state).toBe('in_review');
    // The comment on page 1 is listed on page 3 (a button: it saves this page before going).
    expect(await page.locator('p.commented').textContent()).toContain('6');

    // Back on page 1: the comment typed there and the saved correction are shown.
    await pages.getByRole('button', { name: '1', exact: true }).click();
    await page.waitForURL(`${base}/desk/reviews/${taskId}`);
    expect(await page.getByLabel('Comment on segment 5', { exact: true }).inputValue()).toBe(
      'Say “paragraph five” here.',
    );
    expect(await page.locator('#fix-10').inputValue()).toBe('Paragraph no. 10.');

    // A comment on page 3, then "Send back" there: the comments of both pages go to the translator.
    await page.locator('.segment-pages').first().getByRole('button', { name: '3', exact: true }).click();
    await page.waitForURL(`${base}/desk/reviews/${taskId}?page=3`);
    await page.getByLabel('Comment on segment 230', { exact: true }).fill('Check this paragraph.');
    await page.screenshot({ path: join(SHOTS, 'review-paging-page-3.png'), fullPage: false });
    await page.getByRole('button', { name: 'Send back' }).click();
    await page.waitForURL(`${base}/desk/`);
    const sentBack = await storedTask(taskId);
    expect(sentBack.state).toBe('in_progress');
    expect(sentBack.segments.filter((s) => s.comment).map((s) => [s.i, s.comment, s.status])).toEqual([
      [5, 'Say “paragraph five” here.', 'rejected'],
      [230, 'Check this paragraph.', 'rejected'],
    ]);
    expect(sentBack.segments[10].correction).toBeTruthy();
    expect(await ReviewDraft.countDocuments({ _id: new RegExp(`^${taskId}:`) })).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('approves the whole task from any page, a correction on that page saved first', async () => {
    const { base } = suite;
    const taskId = await longTaskInReview();
    const { context, page, errors } = await reviewFor(suite, taskId, 2);
    expect(await page.locator('table.segments tbody tr').count()).toBe(100);
    await page.locator('#segment-150 summary').click();
    await page.locator('#fix-150').fill('Paragraph no. 150.');
    await page.getByRole('button', { name: 'Approve and publish' }).click();
    await page.waitForURL(`${base}/desk/`);
    const approved = await storedTask(taskId);
    expect(approved.state).toBe('approved');
    expect(approved.segments.every((s) => s.status === 'approved')).toBe(true);
    expect(approved.segments[150]).toMatchObject({ target: 'Paragraph no. 150.', origin: 'reviewer' });
    expect(errors).toEqual([]);
    await context.close();
  });
});
