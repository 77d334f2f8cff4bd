import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll } from 'vitest';
import { writeRelease } from '../../src/commands/write-release.js';
import { newStoryId } from '../../src/models/ids.js';
import { Task, type TaskDoc } from '../../src/models/translation-task.js';
import { ROOT } from '../../src/paths.js';
import { prepareTranslationTask } from '../../src/workflow/prepare-task.js';
import { deskUser } from '../desk/desk-helpers.js';
import {
  axeViolations,
  signInThroughForm,
  signedInPage,
  useBrowserSuite,
  type BrowserSuite,
  type DeskPage,
} from './browser.js';

export { signedInPage, type DeskPage };

/**
 * The workbench browser tests' common ground: a runtime served on loopback with Chromium, a
 * signed-in desk page that collects page errors and CSP violations (`./browser.ts`), claiming
 * a task, a reviewer on its review page, the target's text, and axe in a twin context (axe is
 * injected as a script, which only a context that bypasses CSP allows; the page under test
 * keeps its CSP so violations are seen).
 */

/** Screenshots of each workbench screen, for people to look at. */
export const SHOTS = join(ROOT, 'test-results', 'workbench');

export type WorkbenchSuite = BrowserSuite;

/** Starts the runtime, the server and Chromium before the file's tests and stops them after. */
export function useWorkbenchSuite(env: Record<string, string> = {}): WorkbenchSuite {
  beforeAll(() => {
    mkdirSync(SHOTS, { recursive: true });
  });
  return useBrowserSuite({ env });
}

/** A published Russian story and its open ru→en translation task; returns the task's id. */
export async function taskToTranslate(suite: WorkbenchSuite, title: string, body: string): Promise<string> {
  const storyId = newStoryId();
  await writeRelease({ storyId, lang: 'ru', title, body, status: 'published', section: 'news', tags: [] });
  const outcome = await prepareTranslationTask(suite.rt.ctx, { storyId, from: 'ru', to: 'en' });
  if (!('task' in outcome)) throw new Error(`no task: ${outcome.status}`);
  return outcome.task._id;
}

/**
 * A published Russian story of a title and `paragraphs` numbered paragraphs, long enough to be
 * paged (100 segments a page), and its open ru→en translation task; returns the task's id.
 */
export const longTaskToTranslate = (suite: WorkbenchSuite, paragraphs: number): Promise<string> =>
  taskToTranslate(
    suite,
    'Длинная история',
    Array.from({ length: paragraphs }, (_, k) => `<p>Абзац номер ${k + 1}.</p>`).join(''),
  );

/** The task as the store holds it now. */
export const storedTask = async (id: string): Promise<TaskDoc> => (await Task.findById(id).lean<TaskDoc>())!;

/** Signs in through the login form and waits for the dashboard. */
export const signIn = (suite: WorkbenchSuite, page: Page, user: { email: string; password: string }) =>
  signInThroughForm(page, suite.base, user.email, user.password);

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

/** A new ru:en reviewer signed in, on the review page of the task (at `page` of its pages, if given). */
export async function reviewFor(
  suite: WorkbenchSuite,
  taskId: string,
  page?: number,
): Promise<DeskPage & { user: { email: string; password: string } }> {
  const reviewer = await signedInAs(suite, 'reviewer');
  await reviewer.page.goto(`${suite.base}/desk/reviews/${taskId}${page ? `?page=${page}` : ''}`);
  return reviewer;
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
