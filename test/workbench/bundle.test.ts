import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimTask } from '../../src/commands/claim-task.js';
import { clientScriptUrl } from '../../src/views/client-assets.js';
import { launchChromium } from '../support/browser.js';
import { serveOnLoopback, startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import { deskUser, openTranslationTask } from '../desk/desk-helpers.js';

let rt: TestRuntime;
let base: string;
let close: () => Promise<void>;
let browser: Browser;

beforeAll(async () => {
  rt = await startTestRuntime();
  ({ base, close } = await serveOnLoopback(rt));
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await close?.();
  await rt?.close();
});

describe('client bundle pipeline', () => {
  it('serves the content-hashed workbench bundle as an immutable asset', async () => {
    const url = clientScriptUrl('workbench');
    expect(url).toMatch(/^\/assets\/workbench-[A-Z0-9]+\.js$/);
    const res = await fetch(`${base}${url}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    expect(res.headers.get('cache-control')).toContain('immutable');
  });

  it('runs the shared QA in the browser under the strict CSP as the translator types', async () => {
    const task = await openTranslationTask(rt.ctx, 'en');
    const user = await deskUser({ roles: ['translator'], pairs: ['ru:en'] });
    await claimTask(rt.ctx, { id: user.email, name: 'T', roles: ['translator'], pairs: ['ru:en'] }, 'ru:en');
    const context = await browser.newContext({ locale: 'en-GB' });
    const page = await context.newPage();
    const csp: string[] = [];
    const errors: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) csp.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${base}/desk/login`);
    await page.getByLabel('E-mail').fill(user.email);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${base}/desk/`);
    await page.goto(`${base}/desk/tasks/${task._id}`);
    expect(await page.locator(`script[type=module][src="${clientScriptUrl('workbench')}"]`).count()).toBe(1);
    // The source says 27 June 2019; a target with another year is an error before any save.
    await page.getByLabel('Translation of segment 1').fill('The meeting will take place on 27 June 2018.');
    await expect
      .poll(() => page.locator('#segment-1 .qa-live .qa-error').allTextContents(), { timeout: 15_000 })
      .not.toEqual([]);
    await page.getByLabel('Translation of segment 1').fill('The meeting will take place on 27 June 2019.');
    await expect
      .poll(() => page.locator('#segment-1 .qa-live .qa-error').count(), { timeout: 15_000 })
      .toBe(0);
    expect(csp).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
