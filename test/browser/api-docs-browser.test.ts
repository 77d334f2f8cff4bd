import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { serveOnLoopback, startTestRuntime, type TestRuntime } from '../support/test-runtime.js';

let rt: TestRuntime;
let server: Awaited<ReturnType<typeof serveOnLoopback>>;
let browser: Browser;
beforeAll(async () => {
  rt = await startTestRuntime();
  server = await serveOnLoopback(rt);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await rt?.close();
});

describe('the API reference at /api/docs', () => {
  it('renders every operation from our own origin, with no CSP violation and no outside request', async () => {
    const page = await browser.newPage();
    const outside: string[] = [];
    const violations: string[] = [];
    const errors: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(server.base) && !r.url().startsWith('data:') && !r.url().startsWith('blob:'))
        outside.push(r.url());
    });
    page.on('response', (r) => {
      if (r.status() >= 400) errors.push(`${r.status()} ${r.url()}`);
    });
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
      else if (m.type() === 'error') errors.push(m.text());
    });
    const res = await page.goto(`${server.base}/api/docs`);
    expect(res!.status()).toBe(200);
    expect(page.url()).toBe(`${server.base}/api/docs/`);
    const csp = res!.headers()['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-eval');
    await page.getByText('Claim the next open task of a pair').first().waitFor({ timeout: 60_000 });
    await page.getByText('Create a story').first().waitFor();
    await page.getByText('List tasks').first().waitFor();
    await page.screenshot({ path: '/tmp/ops-api-docs.png' });
    expect(violations).toEqual([]);
    expect(outside).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('keeps the strict policy everywhere else', async () => {
    const res = await fetch(`${server.base}/api/v1/openapi.json`);
    expect(res.headers.get('content-security-policy')).toContain("style-src 'self';");
    const home = await fetch(`${server.base}/ru/`);
    expect(home.headers.get('content-security-policy')).not.toContain('unsafe-inline');
  });
});
