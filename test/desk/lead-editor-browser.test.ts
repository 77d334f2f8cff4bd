import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRssFeed } from 'feedsmith';
import type { Page } from 'playwright-core';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { Release } from '../../src/models/release.js';
import { assertWellFormedXml } from '../feeds/support.js';
import { axeViolations, signedInPage, useBrowserSuite, vnuErrors } from '../support/browser.js';
import { deskUser } from './desk-helpers.js';

const suite = useBrowserSuite({ env: { NEWSROOM_LANGUAGES: 'ru,en' } });

/** Pastes text (and HTML) into the focused element, as a browser's clipboard would. */
const paste = (page: Page, selector: string, data: Record<string, string>) =>
  page.locator(selector).evaluate((el, data) => {
    const dt = new DataTransfer();
    for (const [type, value] of Object.entries(data)) dt.setData(type, value);
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, data);

const PLAIN = 'The council met today and adopted the budget, see the report.';
const HTML =
  'The council met today and <strong>adopted the budget</strong>, see <a href="https://example.org/report">the report</a>.';

describe('the lead editor in Chromium', () => {
  it('makes part of the lead bold and a link; the page shows the markup, meta, JSON-LD and RSS the text', async () => {
    const { rt, base, browser } = suite;
    const editor = await deskUser({ roles: ['editor'] });
    const { context, page, errors } = await signedInPage(suite, editor, {
      dialog: 'https://example.org/report',
    });

    await page.goto(`${base}/desk/stories/new`);
    // A title pasted from Word or a web page: one clean line (no glued words, no invisible junk).
    await page.locator('#title').focus();
    await paste(page, '#title', { 'text/plain': 'Council\r\nadopts\u200b the\tbudget\u00ad\n' });
    expect(await page.locator('#title').inputValue()).toBe('Council adopts the budget ');
    await page.locator('#title').fill('Council adopts the budget');

    // The lead: its own toolbar (bold, italic, link) over a one-paragraph editor.
    const leadBar = page.getByRole('toolbar', { name: 'Lead formatting' });
    const lead = page.locator('.rich-lead-content');
    expect(await page.locator('textarea#lead').isHidden()).toBe(true);
    expect(await leadBar.getByRole('button').allTextContents()).toEqual(['B Bold', 'I Italic', 'Link']);
    await lead.click();
    await page.keyboard.type('The council met today and ');
    await leadBar.getByRole('button', { name: 'Bold' }).click();
    await page.keyboard.type('adopted the budget');
    await leadBar.getByRole('button', { name: 'Bold' }).click();
    await page.keyboard.press('Enter'); // one paragraph: Enter adds nothing
    await page.keyboard.type(', see the report.');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.down('Shift');
    for (let i = 0; i < 'the report'.length; i++) await page.keyboard.press('ArrowLeft');
    await page.keyboard.up('Shift');
    await leadBar.getByRole('button', { name: 'Link' }).click();
    await page.keyboard.press('End');
    expect(await lead.locator('p').count()).toBe(1);
    expect(await page.locator('textarea#lead').inputValue()).toBe(HTML);
    // Pasted paragraphs become one line of the lead, markup beyond the subset dropped.
    await paste(page, '.rich-lead-content', {
      'text/html': '<p>x</p><h2>y</h2>',
      'text/plain': 'x\ny',
    });
    expect(await lead.locator('p').count()).toBe(1);
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    expect(await page.locator('textarea#lead').inputValue()).toBe(HTML);

    await page.locator('.rich-text-content').click();
    await page.keyboard.type('The budget for next year was adopted.');
    await page.getByLabel('Publish now').check();
    await page.getByRole('button', { name: 'Create' }).click();
    await page.waitForURL(/\/desk\/stories\/[0-9a-f]+$/);
    const storyId = /\/desk\/stories\/([0-9a-f]+)$/.exec(page.url())![1];
    const ru = (await Release.findById(`${storyId}.ru`).lean())!;
    expect([ru.status, ru.lead, ru.leadHtml]).toEqual(['published', PLAIN, HTML]);
    // The story page's lead editor holds the same markup again.
    expect(await page.locator('.rich-lead-content strong').textContent()).toBe('adopted the budget');
    expect(errors).toEqual([]);

    // The article page: the markup in the lead; meta and JSON-LD the plain text.
    const article = await browser.newContext({ bypassCSP: true });
    const reader = await article.newPage();
    await reader.goto(`${base}/ru/news/${ru.slug}`);
    expect(await reader.locator('p.lead').innerHTML()).toBe(HTML);
    expect(await reader.locator('meta[name="description"]').getAttribute('content')).toBe(PLAIN);
    const ld = JSON.parse(
      (await reader.locator('script[type="application/ld+json"]').first().textContent())!,
    );
    const nodes = (ld['@graph'] ?? [ld]) as { '@type': string; description?: string }[];
    expect(nodes.find((n) => n['@type'] === 'NewsArticle')!.description).toBe(PLAIN);
    expect(await axeViolations(reader)).toEqual([]);
    const dir = mkdtempSync(join(tmpdir(), 'newsroom-lead-'));
    const file = join(dir, 'article.html');
    writeFileSync(file, (await request(rt.app).get(`/ru/news/${ru.slug}`).expect(200)).text);
    expect(await vnuErrors([file])).toEqual([]);
    await article.close();

    // The RSS item: well-formed, its description the plain text.
    const rss = (await request(rt.app).get('/ru/rss.xml').expect(200)).text;
    assertWellFormedXml(rss);
    const item = parseRssFeed(rss).items!.find((i) => i.title === 'Council adopts the budget')!;
    expect(item.description).toBe(PLAIN);
    await context.close();
  });
});
