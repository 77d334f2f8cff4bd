import sanitize from 'sanitize-html';
import { z } from 'zod';
import { BLOCK_EDGES } from '../shared/block-edges.js';

/**
 * The lead is one paragraph of text with inline formatting only: bold, italic and links.
 * A release keeps it twice: `lead`, its plain text (what meta descriptions, structured data,
 * feeds, ninjs and search read), and `leadHtml`, the sanitised inline HTML, stored only when
 * it has markup. A release without `leadHtml` has a plain-text lead — every lead written
 * before leads could be formatted is one — so an old "a < b & c" is escaped (`leadHtmlOf`),
 * never reread as markup, and its content hash stays what it was.
 */
const INLINE_ONLY: sanitize.IOptions = {
  allowedTags: ['strong', 'em', 'a'],
  allowedAttributes: { a: ['href'] },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  // One spelling of each, as the editor writes them.
  transformTags: { b: 'strong', i: 'em' },
};

/** Stands for a block edge while sanitising (control characters never reach this from outside). */
const EDGE = '\u0003';
// eslint-disable-next-line no-control-regex
const EDGES_AROUND = /\s*\u0003[\s\u0003]*/g;

/** The inline subset of `html`: strong, em and links with a safe address; everything else goes. */
export function sanitizeLeadHtml(html: string): string {
  return (
    sanitize(html.replace(BLOCK_EDGES, EDGE), INLINE_ONLY)
      // Edges with only removed elements (a script, an image) between them are one space.
      .replace(EDGES_AROUND, ' ')
      // A link whose address was unsafe (and so removed) is left as its text.
      .replace(/<a>([\s\S]*?)<\/a>/g, '$1')
      .trim()
  );
}

/** Escapes plain text for HTML text content. */
export const escapeText = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The plain text of sanitised inline HTML (which holds no entities but these). */
export const inlineHtmlText = (html: string): string =>
  html
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

/**
 * The two optional lead fields of a story's input (create and edit), one definition for both
 * commands and their OpenAPI description. `leadHtml` wins when both are given (`storedLead`).
 */
export const zLead = z
  .string()
  .max(2_000)
  .optional()
  .describe('The lead as plain text (markup is shown as typed)');
export const zLeadHtml = z
  .string()
  .max(20_000)
  .optional()
  .describe('The lead as inline HTML: <strong>, <em>, <a href>; anything else is removed. Instead of `lead`');

/** A lead as it is stored: plain text, and the inline HTML when it has markup. */
export interface StoredLead {
  lead: string;
  leadHtml?: string;
}

/**
 * The stored form of a lead given as inline HTML (`leadHtml`, which wins) or as plain text
 * (`lead`, escaped, the API's and the import's older field).
 */
export function storedLead(input: { lead?: string; leadHtml?: string }): StoredLead {
  if (input.leadHtml === undefined) return { lead: (input.lead ?? '').trim() };
  const html = sanitizeLeadHtml(input.leadHtml);
  const lead = inlineHtmlText(html).trim();
  return /</.test(html) ? { lead, leadHtml: html } : { lead };
}

/** The lead as safe inline HTML, for pages and editors: the stored markup or the escaped plain text. */
export const leadHtmlOf = (r: { lead?: string | null; leadHtml?: string | null }): string =>
  r.leadHtml || escapeText(r.lead ?? '');

/** A stored lead as writer input, exactly as it is (a plain lead is not passed through the sanitiser). */
export const leadInputOf = (r: {
  lead?: string | null;
  leadHtml?: string | null;
}): { lead?: string; leadHtml?: string } => (r.leadHtml ? { leadHtml: r.leadHtml } : { lead: r.lead ?? '' });
