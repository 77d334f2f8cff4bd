import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Page,
} from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { serveOnLoopback, startTestRuntime, type TestRuntime } from './test-runtime.js';

const require = createRequire(import.meta.url);
const VNU_JAR: string = String(require('vnu-jar'));
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Debian's Chromium, headless, with the flags this machine needs (no sandbox, no background networking). */
export const launchChromium = (): Promise<Browser> =>
  chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });

/** Nu HTML Checker errors of saved HTML files, as `<file>: <message>` lines. */
export async function vnuErrors(files: string[]): Promise<string[]> {
  const { stdout, stderr } = await promisify(execFile)(
    'java',
    ['-jar', VNU_JAR, '--format', 'json', '--exit-zero-always', '--stdout', ...files],
    { maxBuffer: 10 * 1024 * 1024 },
  );
  const { messages } = JSON.parse(stdout || stderr) as {
    messages: { type: string; url: string; message: string }[];
  };
  return messages
    .filter((m) => m.type === 'error' || m.type === 'non-document-error')
    .map((e) => `${e.url.split('/').pop()}: ${e.message}`);
}

/**
 * Serious and critical axe-core violations of the page now loaded, as readable lines.
 * axe is injected as a script, so the page's context must bypass CSP.
 */
export async function axeViolations(page: Page, name = page.url()): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const result = (await page.evaluate('axe.run(document, { resultTypes: ["violations"] })')) as {
    violations: { id: string; impact: string; nodes: { target: string[] }[] }[];
  };
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${name}: ${v.id} (${v.impact}) at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** All axe-core violation ids of the page now loaded (for proving the harness can fail). */
export async function axeViolationIds(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const result = (await page.evaluate('axe.run(document)')) as { violations: { id: string }[] };
  return result.violations.map((v) => v.id);
}

/** A browser test file's runtime, served on loopback, and Chromium. */
export interface BrowserSuite {
  rt: TestRuntime;
  base: string;
  browser: Browser;
}

/**
 * Starts the runtime (with `env` over the test defaults), runs `seed` on it, serves it on
 * loopback and launches Chromium before the file's tests; stops them after. The fields are set
 * once `beforeAll` has run: read them inside the tests.
 */
export function useBrowserSuite(
  opts: { env?: Record<string, string>; seed?: (rt: TestRuntime) => Promise<void> } = {},
): BrowserSuite {
  const suite = {} as BrowserSuite;
  let close: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    suite.rt = await startTestRuntime(opts.env);
    await opts.seed?.(suite.rt);
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

export interface DeskPage {
  context: BrowserContext;
  page: Page;
  /** Uncaught page errors and CSP violations: a test ends by expecting none. */
  errors: string[];
}

/**
 * A page in a new browser context (British English unless `context` says otherwise) that
 * collects its page errors and CSP violations; dialogs are accepted, prompts answered `dialog`.
 */
export async function watchedPage(
  browser: Browser,
  opts: { context?: BrowserContextOptions; dialog?: string } = {},
): Promise<DeskPage> {
  const context = await browser.newContext({ locale: 'en-GB', ...opts.context });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) errors.push(m.text());
  });
  page.on('dialog', (d) => void d.accept(opts.dialog));
  return { context, page, errors };
}

/**
 * A watched page (see `watchedPage`) signed in as a desk user through the sign-in form; `from`
 * is where it starts (a desk page that must send a signed-out visitor to the form).
 */
export async function signedInPage(
  suite: BrowserSuite,
  user: { email: string; password: string },
  opts: { context?: BrowserContextOptions; dialog?: string; from?: string } = {},
): Promise<DeskPage> {
  const desk = await watchedPage(suite.browser, opts);
  await signInThroughForm(desk.page, suite.base, user.email, user.password, opts.from);
  return desk;
}

/**
 * Signs in through the desk's real sign-in form (English labels) and waits for the dashboard.
 * `from` is the desk path to open first; it must lead to the sign-in form.
 */
export async function signInThroughForm(
  page: Page,
  base: string,
  email: string,
  password: string,
  from = '/desk/login',
) {
  await page.goto(`${base}${from}`);
  const at = new URL(page.url()).pathname;
  if (at !== '/desk/login') throw new Error(`${from} led to ${at}, not to the sign-in form`);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${base}/desk/`);
}
