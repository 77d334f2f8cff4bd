import { createServer, type Server } from 'node:http';
import type { Browser, BrowserContext, Locator, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../src/middleware/session.js';
import { closeJobQueues, jobQueues } from '../../src/workflow/queues.js';
import { deskUser } from '../desk/desk-helpers.js';
import { launchChromium, signInThroughForm } from '../support/browser.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import { eventually, workersFor } from '../workflow/support.js';

/**
 * The queue board (Bull Board) in Chromium: an admin's clicks change queues and jobs, its
 * client sending the XSRF-TOKEN cookie back as X-XSRF-TOKEN; the same calls without the
 * token — the header stripped, or sent by a page of another origin — are refused.
 */
let rt: TestRuntime;
let app: Server;
let base: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let forger: Server;
let forgerBase: string;

/** What the server answered to the board's API, as it left the server (the browser may hide it). */
const answered: {
  method: string;
  path: string;
  status: number;
  code?: string;
  session: boolean;
  /** Whether the whole answer was handed to the socket before the connection closed. */
  finished: boolean;
}[] = [];

const QUEUE = 'publish';
const queue = () => jobQueues(rt.ctx).queue(QUEUE);
const board = (query = '') => `${base}/desk/queues/queue/${QUEUE}${query}`;
const listen = async (server: Server) => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
};

beforeAll(async () => {
  rt = await startTestRuntime({ NEWSROOM_LANGUAGES: 'ru,en' });
  app = createServer(rt.app);
  // As src/server.ts does: with Node's 5 s default, the server closed an idle keep-alive socket
  // just as Chromium reused it for the forged POST, which then never arrived (CI, loaded machine).
  app.keepAliveTimeout = 65_000;
  app.on('request', (req, res) => {
    if (!req.url?.startsWith('/desk/queues/api/')) return;
    // 'close', not 'finish': Chromium drops the connection as soon as it reads a CORP-blocked
    // answer's headers, and a response whose end was not yet flushed then never finishes.
    res.once('close', () =>
      answered.push({
        method: req.method!,
        path: req.url!,
        status: res.statusCode,
        code: res.getHeader('x-error-code') as string | undefined,
        session: (req.headers.cookie ?? '').includes(`${SESSION_COOKIE}=`),
        finished: res.writableFinished,
      }),
    );
  });
  base = await listen(app);
  // A page of another origin (another port: the same site, so the Lax session cookie goes along).
  forger = createServer((_req, res) => {
    res.setHeader('Content-Type', 'text/html');
    res.end('<!doctype html><title>forger</title>');
  });
  forgerBase = await listen(forger);
  browser = await launchChromium();

  // Two jobs that failed for good (no such task), for the job buttons.
  for (const taskId of ['gone-1', 'gone-2']) {
    await queue().add('translation.publish', { taskId }, { jobId: `publish-${taskId}`, attempts: 1 });
  }
  const workers = workersFor(rt.ctx, [QUEUE]);
  await eventually(async () => (await queue().getFailedCount()) === 2, 60_000);
  await Promise.all(workers.map((w) => w.close()));

  const admin = await deskUser({ roles: ['admin'] });
  context = await browser.newContext({ locale: 'en-GB' });
  page = await context.newPage();
  await signInThroughForm(page, base, admin.email, admin.password);
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await new Promise((r) => forger?.close(r));
  await new Promise((r) => app?.close(r));
  if (rt) await closeJobQueues(rt.web);
  await rt?.close();
});

// The board's API: PUT …/queues/<queue>/pause, …/resume, and …/<job id>/retry, …/clean.
const PAUSE = /\/api\/queues\/publish\/pause$/;
const RESUME = /\/api\/queues\/publish\/resume$/;
const JOB_RETRY = /\/api\/queues\/publish\/([^/]+)\/retry$/;
const JOB_CLEAN = /\/api\/queues\/publish\/([^/]+)\/clean$/;
const jobIdOf = (r: Response, path: RegExp) => decodeURIComponent(path.exec(new URL(r.url()).pathname)![1]!);

/** Clicks a board control and the board's "Confirm"; returns its API call's answer. */
async function confirmed(control: Locator, call: RegExp): Promise<Response> {
  const response = page.waitForResponse((r) => call.test(new URL(r.url()).pathname));
  await control.click();
  await page.getByRole('button', { name: 'Confirm' }).click();
  return response;
}

/** An entry of the queue's ⋮ menu (pause, resume, …). */
async function queueMenu(name: string): Promise<Locator> {
  await page.locator('main button[aria-haspopup="menu"]').first().click();
  return page.getByRole('menuitem', { name });
}

/** A job card's icon button (the board labels them by tooltip only): retry or delete. */
const jobButton = (jobId: string, icon: 'refresh-cw' | 'trash') =>
  page
    .getByRole('link', { name: jobId, exact: true })
    .locator('xpath=ancestor::*[.//ul[contains(@class, "jobActions")]][1]')
    .locator(`ul[class*="jobActions"] button:has(svg.lucide-${icon})`);

describe('the queue board in Chromium', () => {
  it('pauses and resumes a queue with its own menu, sending the XSRF-TOKEN cookie as X-XSRF-TOKEN', async () => {
    await page.goto(board());
    const token = (await context.cookies(board())).find((c) => c.name === 'XSRF-TOKEN')?.value;
    expect(token).toBeTruthy();

    const paused = await confirmed(await queueMenu('Pause'), PAUSE);
    expect(paused.status()).toBe(200);
    expect(paused.request().headers()['x-xsrf-token']).toBe(decodeURIComponent(token!));
    expect(await queue().isPaused()).toBe(true);

    const resumed = await confirmed(await queueMenu('Resume'), RESUME);
    expect(resumed.status()).toBe(200);
    expect(await queue().isPaused()).toBe(false);
  });

  it('retries one failed job and deletes the other with the job buttons', async () => {
    await page.goto(board('?status=failed'));
    const retried = await confirmed(jobButton('publish-gone-1', 'refresh-cw'), JOB_RETRY);
    expect(retried.ok()).toBe(true);
    expect(jobIdOf(retried, JOB_RETRY)).toBe('publish-gone-1');
    expect(await (await queue().getJob('publish-gone-1'))!.getState()).toBe('waiting');

    const cleaned = await confirmed(jobButton('publish-gone-2', 'trash'), JOB_CLEAN);
    expect(cleaned.ok()).toBe(true);
    expect(jobIdOf(cleaned, JOB_CLEAN)).toBe('publish-gone-2');
    expect(await queue().getJob('publish-gone-2')).toBeUndefined();
  });

  it('refuses the board’s own click with the header stripped: 403 csrf_invalid, queue untouched', async () => {
    await page.goto(board());
    await page.route('**/desk/queues/api/**', (route) => {
      const headers = { ...route.request().headers() };
      delete headers['x-xsrf-token'];
      return route.continue({ headers });
    });
    try {
      const refused = await confirmed(await queueMenu('Pause'), PAUSE);
      expect(refused.status()).toBe(403);
      expect(refused.headers()['x-error-code']).toBe('csrf_invalid');
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('csrf_invalid');
      expect(await queue().isPaused()).toBe(false);
    } finally {
      await page.unroute('**/desk/queues/api/**');
    }
  });

  it('refuses a call forged by a page of another origin, though the session cookie went along', async () => {
    const before = await queue().getJobCounts();
    const forged = await context.newPage();
    await forged.goto(forgerBase);
    // The forger's own call, awaited: one fired from an inline script on load left the test
    // waiting on a request whose fate nobody saw. Its promise settles either way (the
    // refusal's CORP header makes it reject, as a network failure does), so the server's
    // record decides: a call that never reached the server proves nothing and is sent again.
    const forgedCall = () =>
      forged.evaluate(
        (url) =>
          fetch(url, {
            method: 'POST',
            mode: 'no-cors',
            credentials: 'include',
            headers: { 'Content-Type': 'text/plain' },
            body: JSON.stringify({ name: 'forged', data: {} }),
          }).then(
            () => 'answered',
            () => 'hidden by CORP or not delivered',
          ),
        `${base}/desk/queues/api/queues/${QUEUE}/add`,
      );
    const record = () => answered.find((a) => a.method === 'POST' && a.path.endsWith(`/queues/${QUEUE}/add`));
    // What the browser said of each attempt, for the failure message if none arrives.
    const seen: string[] = [];
    forged.on('requestfailed', (r) => seen.push(`failed: ${r.failure()?.errorText}`));
    forged.on('response', (r) => seen.push(`response: ${r.status()}`));
    for (let attempt = 0; attempt < 4 && !record(); attempt++) {
      seen.push(`attempt ${attempt + 1}: ${await forgedCall()}`);
      await eventually(async () => record(), 10_000).catch(() => undefined);
    }
    // The browser hides the answer from the forger (CORP same-origin); the server's record shows it.
    const refused = record();
    const told = `${seen.join('; ')}; the server's last answers: ${JSON.stringify(answered.slice(-4))}`;
    expect(refused, told).toMatchObject({ status: 403, code: 'csrf_invalid', session: true });
    expect(await queue().getJobCounts()).toEqual(before);
    await forged.close();
  });
});
