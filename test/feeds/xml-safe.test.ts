import { describe, expect, it } from 'vitest';
import { absolutizeHtml } from '../../src/feeds/absolute-urls.js';
import { cdata, escapeXml, xmlSafe } from '../../src/feeds/xml-safe.js';
import { assertWellFormedXml } from './support.js';

describe('xml-safe', () => {
  it('removes C0/C1 controls, lone surrogates and U+FFFE/U+FFFF, keeps tab, newline, RTL and emoji', () => {
    const input =
      'a\u0000b\u0001c\u0008\u000B\u000C\u001F\u007F\u0086\tx\ny\rz\uDFFF\uD800\uFFFE\uFFFF שלום مرحبا 🎉𝕏';
    expect(xmlSafe(input)).toBe('abc\tx\ny\rz שלום مرحبا 🎉𝕏');
  });

  it('keeps a CDATA section closed whatever the text, `]]>` included', () => {
    const text = 'x ]]> <script>alert(1)</script> ]]]]> y';
    const doc = `<a>${cdata(text)}</a>`;
    expect(() => assertWellFormedXml(doc)).not.toThrow();
    // Reading the CDATA sections back gives the original text.
    const back = doc.slice(3, -4).replace(/<!\[CDATA\[|\]\]>(?=<!\[CDATA\[|$)/g, '');
    expect(back).toBe(text);
  });

  it('escapes markup and quotes for attributes', () => {
    const doc = `<a t="${escapeXml(`"'<&>\u0001`)}"/>`;
    expect(() => assertWellFormedXml(doc)).not.toThrow();
    expect(doc).toBe('<a t="&quot;&apos;&lt;&amp;&gt;"/>');
  });

  it('makes relative href and src absolute against the article URL and finds the first image', () => {
    const { html, image } = absolutizeHtml(
      '<p><a href="/ru/news/x">a</a> <a href="other">b</a> <a href="https://example.org/">c</a> <img src="../img/p.png" alt="" /> text href="/not-an-attribute"</p>',
      'https://news.example/ru/news/article',
    );
    expect(html).toContain('href="https://news.example/ru/news/x"');
    expect(html).toContain('href="https://news.example/ru/news/other"');
    expect(html).toContain('href="https://example.org/"');
    expect(html).toContain('src="https://news.example/ru/img/p.png"');
    expect(html).toContain('text href="/not-an-attribute"');
    expect(image).toBe('https://news.example/ru/img/p.png');
  });
});
