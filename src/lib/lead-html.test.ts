import { describe, expect, it } from 'vitest';
import { assembleLead, segmentRelease } from '../workflow/segmenter.js';
import { escapeText, leadHtmlOf, leadInputOf, sanitizeLeadHtml, storedLead } from './lead-html.js';

describe('the lead: plain text or inline HTML', () => {
  it('keeps bold, italic and safe links, and nothing block-level or active', () => {
    const forged =
      '<h2>Head</h2><p>One <b>bold</b> and <i>it</i>,</p><p><a href="https://ex.org/?a=1&b=2" target="_blank" onclick="x()">link</a>' +
      '<script>alert(1)</script><img src=x onerror=alert(1)><style>p{}</style></p><ul><li>item</li></ul>' +
      '<a href="javascript:alert(1)">bad</a> <span style="color:red">span</span>';
    expect(sanitizeLeadHtml(forged)).toBe(
      'Head One <strong>bold</strong> and <em>it</em>, <a href="https://ex.org/?a=1&amp;b=2">link</a> item bad span',
    );
  });

  it('stores a lead without markup as plain text only, and reads an old plain lead as text', () => {
    expect(storedLead({ leadHtml: '<p>A &lt; B &amp; C</p>' })).toEqual({ lead: 'A < B & C' });
    expect(storedLead({ leadHtml: 'A <strong>b</strong>' })).toEqual({
      lead: 'A b',
      leadHtml: 'A <strong>b</strong>',
    });
    // The older plain field: markup-looking text is text.
    expect(storedLead({ lead: ' <b>not bold</b> & AT&amp;T ' })).toEqual({
      lead: '<b>not bold</b> & AT&amp;T',
    });
    expect(leadHtmlOf({ lead: '<b>not bold</b> & AT&amp;T' })).toBe(
      '&lt;b&gt;not bold&lt;/b&gt; &amp; AT&amp;amp;T',
    );
    expect(leadInputOf({ lead: 'a < b' })).toEqual({ lead: 'a < b' });
  });

  it('round-trips plain text through escaping and the sanitiser unchanged', () => {
    for (const text of [
      'a < b && c > d',
      '"quoted" \'single\'',
      'AT&amp;T &lt;tag&gt;',
      'nbsp\u00a0here',
      '👍🏽 🇦🇲',
      ']]>',
    ]) {
      expect(storedLead({ leadHtml: escapeText(text) })).toEqual({ lead: text });
    }
  });

  it('is one translation segment with inline codes, reassembled with the same markup', () => {
    const leadHtml =
      'Саммит <strong>ОДКБ</strong> пройдёт в <a href="https://odkb.example/">Минске</a>. Второе &lt; предложение.';
    const { segments } = segmentRelease({ title: 'T', lead: 'x', leadHtml, body: '<p>B</p>' });
    const lead = segments.filter((s) => s.field === 'lead');
    expect(lead).toHaveLength(1);
    expect(lead[0].source).toBe('Саммит {1}ОДКБ{/1} пройдёт в {2}Минске{/2}. Второе < предложение.');
    expect(lead[0].tags).toEqual({
      '1': '<strong>',
      '/1': '</strong>',
      '2': '<a href="https://odkb.example/">',
      '/2': '</a>',
    });
    const translated = [
      { ...lead[0], target: 'The {1}CSTO{/1} summit is in {2}Minsk{/2}. Second < sentence.' },
    ];
    expect(assembleLead(translated)).toBe(
      'The <strong>CSTO</strong> summit is in <a href="https://odkb.example/">Minsk</a>. Second &lt; sentence.',
    );
    // A plain lead (stored before leads had markup) is one segment without codes, as it was.
    const plain = segmentRelease({ title: 'T', lead: 'a < b', body: '<p>B</p>' }).segments[1];
    expect([plain.field, plain.source, plain.tags]).toEqual(['lead', 'a < b', {}]);
  });
});
