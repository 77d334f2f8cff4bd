import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { runTaskQa } from '../../src/commands/run-task-qa.js';
import { Task, type TaskDoc } from '../../src/models/translation-task.js';
import {
  axeViolations,
  signInThroughForm,
  signedInPage,
  useBrowserSuite,
  vnuErrors,
  watchedPage,
} from '../support/browser.js';
import { deskUser, openTranslationTask } from './desk-helpers.js';

const suite = useBrowserSuite();

const openTask = (to: string) => openTranslationTask(suite.rt.ctx, to);

describe('desk journey in Chromium', () => {
  for (const javaScriptEnabled of [false, true]) {
    it(`signs in, claims a task, edits and saves it (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async () => {
      const { base } = suite;
      const task = await openTask('en');
      const user = await deskUser({ roles: ['translator'], pairs: ['ru:en'] });
      const { context, page, errors } = await signedInPage(suite, user, {
        context: { javaScriptEnabled },
        from: '/desk/',
      });

      await page.getByRole('button', { name: 'Claim next ru:en' }).click();
      await page.waitForURL(`${base}/desk/tasks/${task._id}`);
      expect(await page.locator('main > .flash').textContent()).toContain('You took a task for ru:en.');

      await page.getByLabel('Translation of segment 0').fill('Committee meeting');
      await page.getByLabel('Translation of segment 1').fill('The meeting will take place on 27 June 2019.');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      // With JavaScript the workbench saves first, then posts the form: wait for the new page.
      await expect
        .poll(
          () =>
            page
              .locator('main > .flash')
              .textContent()
              .catch(() => ''),
          { timeout: 20_000 },
        )
        .toMatch(/Saved \(revision \d+\)/);
      // The form field itself (with JavaScript the target editor shows it; the textarea holds it).
      expect(await page.locator('#seg-0').inputValue()).toBe('Committee meeting');
      const saved = (await Task.findById(task._id).lean<TaskDoc>())!;
      expect(saved.segments.map((s) => s.target)).toEqual([
        'Committee meeting',
        'The meeting will take place on 27 June 2019.',
      ]);

      await page.locator('input[name="confirm-0"]').check();
      await page.locator('input[name="confirm-1"]').check();
      await page.getByRole('button', { name: 'Save and submit for review' }).click();
      await page.waitForURL(`${base}/desk/`);
      expect((await Task.findById(task._id).lean<TaskDoc>())!.state).toBe('submitted');

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL(`${base}/desk/login`);
      expect(errors).toEqual([]);
      await context.close();
    });
  }
});

/** One URL per desk page type, with a signed-in reviewer who is also editor and translator. */
async function deskPages(page: Page) {
  await openTask('en');
  const user = await deskUser({ roles: ['translator', 'editor'], pairs: ['ru:en'] });
  const reviewer = await deskUser({ roles: ['reviewer', 'editor'], pairs: ['ru:en'] });
  // The task: translated by `user`, submitted and through QA, waiting for review.
  const { claimTask } = await import('../../src/commands/claim-task.js');
  const { saveTaskSegments } = await import('../../src/commands/save-task-segments.js');
  const { submitTask } = await import('../../src/commands/submit-task.js');
  const actor = { id: user.email, name: 'Test Person', roles: ['translator' as const], pairs: ['ru:en'] };
  let claimed = (await claimTask(suite.rt.ctx, actor, 'ru:en'))!;
  claimed = await saveTaskSegments(suite.rt.ctx, actor, claimed._id, {
    baseRevision: claimed.revision,
    segments: [
      { i: 0, target: 'Committee meeting', confirmed: true },
      { i: 1, target: 'The meeting will take place on 27 June 2019.', confirmed: true },
    ],
  });
  const submitted = await submitTask(suite.rt.ctx, actor, claimed._id);
  await runTaskQa(suite.rt.ctx, submitted._id, submitted.revision);
  await signInThroughForm(page, suite.base, reviewer.email, reviewer.password, '/desk/');
  const storyId = submitted.story;
  return {
    login: '/desk/login',
    dashboard: '/desk/',
    task: `/desk/tasks/${submitted._id}`,
    review: `/desk/reviews/${submitted._id}`,
    stories: '/desk/stories',
    'story-new': '/desk/stories/new',
    story: `/desk/stories/${storyId}`,
    'not-found': '/desk/tasks/unknown-task',
  };
}

describe('every desk page', () => {
  it('validates with the Nu HTML Checker and has no serious or critical axe-core violations', async () => {
    const { base, browser } = suite;
    const { context, page, errors: reported } = await watchedPage(browser);
    const pages = await deskPages(page);
    const dir = mkdtempSync(join(tmpdir(), 'newsroom-desk-vnu-'));
    const files: string[] = [];
    const problems: string[] = [];
    for (const [name, path] of Object.entries(pages)) {
      await page.goto(`${base}${path}`); // the real CSP applies here
      const file = join(dir, `${name}.html`);
      writeFileSync(file, await (await page.request.get(`${base}${path}`)).text()); // the server's bytes
      files.push(file);
    }
    // The checker itself can fail: a control page with a known error.
    writeFileSync(
      join(dir, 'control.html'),
      '<!DOCTYPE html><html lang="en"><title>t</title><p><div></p></html>',
    );
    files.push(join(dir, 'control.html'));
    // axe runs with CSP bypassed (it is injected as an inline script); the CSP check above used the real policy.
    const axeContext = await browser.newContext({
      bypassCSP: true,
      locale: 'en-GB',
      storageState: await context.storageState(),
    });
    const axePage = await axeContext.newPage();
    for (const [name, path] of Object.entries(pages)) {
      await axePage.goto(`${base}${path}`);
      problems.push(...(await axeViolations(axePage, name)));
    }
    const errors = await vnuErrors(files);
    expect(errors.some((e) => e.startsWith('control.html'))).toBe(true);
    expect(errors.filter((e) => !e.startsWith('control.html'))).toEqual([]);
    expect(problems).toEqual([]);
    expect(reported.filter((c) => !/axe/.test(c))).toEqual([]);
    await axeContext.close();
    await context.close();
  }, 120_000);
});
