import type { Worker } from 'bullmq';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkers } from '../../src/jobs/registry.js';
import { WEBHOOK_JOBS } from '../../src/webhooks/jobs.js';
import { closeJobQueues } from '../../src/workflow/queues.js';
import { deskUser } from '../desk/desk-helpers.js';
import { publish, waitFor } from '../feeds/support.js';
import { axeViolations, launchChromium } from '../support/browser.js';
import { serveOnLoopback, startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import { Receiver } from './receiver.js';

let rt: TestRuntime;
let workers: Worker[];
let closeServer: (() => Promise<void>) | undefined;
let base: string;
let browser: Browser;
const receiver = new Receiver();

beforeAll(async () => {
  rt = await startTestRuntime({ NEWSROOM_LANGUAGES: 'ru,en', WEBHOOK_ALLOW_PRIVATE_URLS: '1' });
  workers = startWorkers(rt.ctx, WEBHOOK_JOBS);
  ({ base, close: closeServer } = await serveOnLoopback(rt));
  browser = await launchChromium();
  await receiver.start();
});
afterAll(async () => {
  await browser?.close();
  await closeServer?.();
  await Promise.all((workers ?? []).map((w) => w.close()));
  if (rt) await closeJobQueues(rt.web);
  await receiver.stop();
  await rt?.close();
});

async function signInAs(page: Page, email: string, password: string) {
  await page.goto(`${base}/desk/login`);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${base}/desk/`);
}

describe('/desk/webhooks in Chromium', () => {
  it(
    'an admin registers an endpoint, sees its deliveries with their status and sends one again',
    { timeout: 180_000 },
    async () => {
      const admin = await deskUser({ roles: ['admin'] });
      const context = await browser.newContext({ locale: 'en-GB' });
      const page = await context.newPage();
      const csp: string[] = [];
      page.on('console', (m) => {
        if (/Content Security Policy/i.test(m.text())) csp.push(m.text());
      });
      page.on('dialog', (d) => void d.accept());
      await signInAs(page, admin.email, admin.password);

      await page.getByRole('link', { name: 'Webhooks' }).click();
      await page.waitForURL(`${base}/desk/webhooks`);
      expect(await page.textContent('main')).toContain('No endpoint is registered.');
      await page.getByLabel('URL').fill(`${receiver.url}/desk-hook`);
      await page.getByLabel(/A translation is approved/).check();
      await page.getByLabel('Description').fill('Scheduler');
      await page.getByRole('button', { name: 'Register' }).click();
      await page.waitForURL(/\/desk\/webhooks\/wh_/);
      expect(await page.locator('main > .flash').textContent()).toContain('The endpoint is registered.');
      const secret = (await page.locator('[data-secret]').textContent())!.trim();
      expect(secret).toMatch(/^whsec_/);
      expect(await page.textContent('main')).toContain('Nothing was sent to this endpoint yet.');
      expect(await axeViolations(page)).toEqual([]);

      await publish(rt, { storyId: 'whdesk', lang: 'en', title: 'From the desk' });
      const [first] = await waitFor(
        () => receiver.at('/desk-hook').length && receiver.at('/desk-hook'),
        'delivery',
        60_000,
      );
      expect(Receiver.verify(secret, first).type).toBe('story.published');
      await expect
        .poll(
          async () => {
            await page.reload();
            return page.locator('tr[data-delivery] td:nth-child(3)').first().textContent();
          },
          { timeout: 30_000 },
        )
        .toBe('Delivered');
      const row = page.locator(`tr[data-delivery="${first.headers['webhook-id']}"]`);
      expect(await row.locator('td:nth-child(2)').textContent()).toBe('story.published');
      expect(await row.locator('td:nth-child(5)').textContent()).toBe('200');

      await row.getByRole('button', { name: 'Send again' }).click();
      await page.waitForURL(/\/desk\/webhooks\/wh_/);
      expect(await page.locator('main > .flash').textContent()).toContain('same id');
      const [, again] = await waitFor(
        () => receiver.at('/desk-hook').length >= 2 && receiver.at('/desk-hook'),
        'redelivery',
        60_000,
      );
      expect(again.headers['webhook-id']).toBe(first.headers['webhook-id']);

      // A private address is refused with the reason, as production would without the flag.
      rt.ctx.config.WEBHOOK_ALLOW_PRIVATE_URLS = false;
      try {
        await page.goto(`${base}/desk/webhooks`);
        await page.getByLabel('URL').fill('http://10.0.0.7/hook');
        await page.getByRole('button', { name: 'Register' }).click();
        expect(await page.locator('[role=alert]').textContent()).toMatch(/private address/);
      } finally {
        rt.ctx.config.WEBHOOK_ALLOW_PRIVATE_URLS = true;
      }
      expect(csp).toEqual([]);
      await context.close();
    },
  );
});
