import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';

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

/** Signs in through the desk's real sign-in form (English labels) and waits for the dashboard. */
export async function signInThroughForm(page: Page, base: string, email: string, password: string) {
  await page.goto(`${base}/desk/login`);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${base}/desk/`);
}
