import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { writeRelease } from '../../src/commands/write-release.js';
import { newStoryId } from '../../src/models/ids.js';
import { Task, type TaskDoc } from '../../src/models/translation-task.js';
import { ROOT } from '../../src/paths.js';
import { prepareTranslationTask } from '../../src/workflow/prepare-task.js';
import { deskUser } from '../desk/desk-helpers.js';
import { axeViolations, launchChromium } from './browser.js';
import { serveOnLoopback, startTestRuntime, type TestRuntime } from './test-runtime.js';

/**
 * The workbench browser tests' common ground: a runtime served on loopback with Chromium, a
 * signed-in desk page that collects page errors and CSP violations, claiming a task, the
 * target's text, and axe in a twin context (axe is injected as a script, which only a context
 * that bypasses CSP allows; the page under test keeps its CSP so violations are seen).
 */

/** Screenshots of each workbench screen, for people to look at. */
export const SHOTS = join(ROOT, 'test-results', 'workbench');

export interface WorkbenchSuite {
  rt: TestRuntime;
  base: string;
  browser: Browser;
}

/** Starts the runtime, the server and Chromium before the file's tests and stops them after. */
export function useWorkbenchSuite(env: Record<string, string> = {}): WorkbenchSuite {
  const suite = {} as WorkbenchSuite;
  let close: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    suite.rt = await startTestRuntime(env);
    const served = await serveOnLoopback(suite.rt);
    suite.base = served.base;
    close = served.close;
    suite.browser = await launchChromium();
  });
  afterAll(async () => {
    await suite.browser?.close();
    await close?.();
    await suite.rt?.close();
  });
  return suite;
}

/** A published Russian story and its open ru→en translation task; returns the task's id. */
export async function taskToTranslate(suite: WorkbenchSuite, title: string, body: string): Promise<string> {
  const storyId = newStoryId();
  await writeRelease({ storyId, lang: 'ru', title, body, status: 'published', section: 'news', tags: [] });
  const outcome = await prepareTranslationTask(suite.rt.ctx, { storyId, from: 'ru', to: 'en' });
  if (!('task' in outcome)) throw new Error(`no task: ${outcome.status}`);
  return outcome.task._id;
}

/** The task as the store holds it now. */
export const storedTask = async (id: string): Promise<TaskDoc> => (await Task.findById(id).lean<TaskDoc>())!;

export interface DeskPage {
  context: BrowserContext;
  page: Page;
  /** Uncaught page errors and CSP violations: a test ends by expecting none. */
  errors: string[];
}

/** A new browser context signed in as a desk user; confirmation dialogs are accepted. */
export async function signedInPage(
  suite: WorkbenchSuite,
  user: { email: string; password: string },
): Promise<DeskPage> {
  const context = await suite.browser.newContext({ locale: 'en-GB' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) errors.push(m.text());
  });
  page.on('dialog', (d) => void d.accept());
  await signIn(suite, page, user);
  return { context, page, errors };
}

/** Signs in through the login form and waits for the dashboard. */
export async function signIn(
  suite: WorkbenchSuite,
  page: Page,
  user: { email: string; password: string },
): Promise<void> {
  await page.goto(`${suite.base}/desk/login`);
  await page.getByLabel('E-mail').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${suite.base}/desk/`);
}

/** A translator signed in who took the task with "Claim next" and sees its workbench. */
export async function claimNext(
  suite: WorkbenchSuite,
  user: { email: string; password: string },
  pair: string,
  taskId: string,
): Promise<DeskPage> {
  const desk = await signedInPage(suite, user);
  await desk.page.getByRole('button', { name: `Claim next ${pair}` }).click();
  await desk.page.waitForURL(`${suite.base}/desk/tasks/${taskId}`);
  return desk;
}

/** A new ru:en desk user of `role`, signed in: the page and the user (to sign in again). */
export async function signedInAs(
  suite: WorkbenchSuite,
  role: 'translator' | 'reviewer',
): Promise<DeskPage & { user: { email: string; password: string } }> {
  const user = await deskUser({ roles: [role], pairs: ['ru:en'] });
  return { ...(await signedInPage(suite, user)), user };
}

/** A new ru:en translator who took the task with "Claim next": its workbench and the translator. */
export async function workbenchFor(
  suite: WorkbenchSuite,
  taskId: string,
): Promise<DeskPage & { user: { email: string; password: string } }> {
  const user = await deskUser({ roles: ['translator'], pairs: ['ru:en'] });
  return { ...(await claimNext(suite, user, 'ru:en', taskId)), user };
}

/** A segment's target as the form holds it, in the placeholder form (`{1}…{/1}`). */
export const targetText = (page: Page, i: number): Promise<string> => page.locator(`#seg-${i}`).inputValue();

/** The save indicator's state: saved, saving, unsaved, offline, conflict, lost. */
export const saveState = (page: Page) => page.locator('.save-state').getAttribute('data-state');

/**
 * Serious and critical axe-core violations of a desk page seen by the same user, in a twin
 * context that bypasses CSP (so axe can be injected); `prepare` may bring the page to a state.
 */
export async function axeOfDeskPage(
  suite: WorkbenchSuite,
  desk: DeskPage,
  path: string,
  name: string,
  prepare?: (page: Page) => Promise<void>,
): Promise<string[]> {
  const twin = await suite.browser.newContext({
    bypassCSP: true,
    locale: 'en-GB',
    storageState: await desk.context.storageState(),
  });
  try {
    const page = await twin.newPage();
    await page.goto(`${suite.base}${path}`);
    await prepare?.(page);
    return await axeViolations(page, name);
  } finally {
    await twin.close();
  }
}
