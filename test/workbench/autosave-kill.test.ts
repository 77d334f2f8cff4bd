import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/services/child-process.js';
import { launchChromium } from '../support/browser.js';
import { spawnNewsroom, type SpawnedProcess } from '../support/spawn-newsroom.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import { claimNext, saveState, SHOTS, storedTask, targetText } from '../support/workbench-page.js';
import { deskUser, openTranslationTask } from '../desk/desk-helpers.js';
import { eventually } from '../workflow/support.js';

/**
 * "Nothing typed is ever lost", with the real web process killed: Chromium autosaves through a
 * separate `src/bin/web.ts`, which gets SIGKILL while a save is on its way to it. After a
 * restart the page restores the text from the browser's local draft and saves it; a save the
 * server acknowledged before the kill is still there.
 */
let rt: TestRuntime;
let browser: Browser;
const procs: SpawnedProcess[] = [];

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  rt = await startTestRuntime();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  for (const p of procs)
    if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  await Promise.all(procs.map((p) => p.exited));
  await rt?.close();
});

/** A web process on this test's database and Redis prefix, ready to answer. */
async function startWeb(port: number): Promise<SpawnedProcess> {
  const proc = spawnNewsroom('src/bin/web.ts', {
    ...rt.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
  });
  procs.push(proc);
  await eventually(
    async () => (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined))?.ok,
    90_000,
    200,
  );
  return proc;
}

/**
 * Bytes that arrived on a connection to `port` and that nobody read yet (`rx_queue` of the
 * established sockets in /proc/net/tcp): proof that a request reached the process.
 */
function unreadBytesOn(port: number): number {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  return readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((f) => f.length > 4 && f[1].endsWith(`:${hexPort}`) && f[3] === '01')
    .reduce((sum, f) => sum + parseInt(f[4].split(':')[1], 16), 0);
}

describe('the web process killed while an autosave is in flight', () => {
  it('restores the typed text from the local draft after a restart and saves it; an acknowledged save survives', async () => {
    const task = await openTranslationTask(rt.ctx, 'en');
    const user = await deskUser({ roles: ['translator'], pairs: ['ru:en'] });
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    let web = await startWeb(port);
    // The shared workbench setup, pointed at the separate web process.
    const { context, page, errors } = await claimNext({ rt, base, browser }, user, 'ru:en', task._id);

    // Acknowledged by the server before anything goes wrong.
    await page.getByLabel('Translation of segment 0').fill('Committee meeting');
    await expect.poll(() => saveState(page), { timeout: 20_000 }).toBe('saved');
    expect((await storedTask(task._id)).segments[0].target).toBe('Committee meeting');

    // The next autosave reaches a web process that is stopped, and that is then killed.
    let sent!: () => void;
    const autosaveSent = new Promise<void>((resolve) => (sent = resolve));
    await page.route(
      '**/api/v1/tasks/*/segments',
      async (route) => {
        process.kill(web.child.pid!, 'SIGSTOP');
        await route.continue();
        sent();
      },
      { times: 1 },
    );
    const typed = 'The meeting will take place on 27 June 2019.';
    await page.getByLabel('Translation of segment 1').fill(typed);
    await autosaveSent;
    await eventually(async () => unreadBytesOn(port) > 0, 30_000, 50);
    expect(await saveState(page)).toBe('saving'); // in flight: no answer yet
    web.child.kill('SIGKILL');
    expect((await web.exited).signal).toBe('SIGKILL');
    await expect.poll(() => saveState(page), { timeout: 20_000 }).toBe('offline');
    await page.screenshot({ path: join(SHOTS, 'kill-1-offline.png'), fullPage: true });
    expect((await storedTask(task._id)).segments[1].target).toBe(''); // the server never had it
    const draft = await page.evaluate((id) => localStorage.getItem(`newsroom:draft:${id}`), task._id);
    expect(JSON.parse(draft!)[1]).toMatchObject({ target: typed });

    // The translator closes the tab; the newsroom comes back; the task is opened again.
    await page.close();
    web = await startWeb(port);
    const again = await context.newPage();
    await again.goto(`${base}/desk/tasks/${task._id}`);
    expect(await targetText(again, 1)).toBe(typed);
    expect(await again.locator('.workbench-notices').textContent()).toContain('Restored 1 segment');
    await expect.poll(() => saveState(again), { timeout: 20_000 }).toBe('saved');
    await again.screenshot({ path: join(SHOTS, 'kill-2-restored-and-saved.png'), fullPage: true });
    const after = await storedTask(task._id);
    expect(after.segments.map((s) => s.target)).toEqual(['Committee meeting', typed]);
    expect(await targetText(again, 0)).toBe('Committee meeting');
    // The server holds the text now: the draft is gone.
    expect(await again.evaluate((id) => localStorage.getItem(`newsroom:draft:${id}`), task._id)).toBeNull();
    expect(errors).toEqual([]);
    await context.close();
  }, 300_000);
});
