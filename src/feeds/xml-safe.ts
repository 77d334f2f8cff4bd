/**
 * Characters XML 1.0 forbids even as character references (C0 controls except tab/LF/CR,
 * lone surrogates, U+FFFE/U+FFFF), plus the C1 controls XML discourages and some parsers
 * reject. With the `u` flag a lone surrogate is one code point outside every allowed range.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const XML_ILLEGAL = /[^\u0009\u000A\u000D\u0020-\u007E\u00A0-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Removes what no XML 1.0 document (or strict JSON consumer) may carry; RTL and emoji survive. */
export function xmlSafe(text: string | undefined | null): string {
  return (text ?? '').replace(XML_ILLEGAL, '');
}

/** A CDATA section that any text, including `]]>`, cannot break out of. */
export function cdata(text: string): string {
  return `<![CDATA[${xmlSafe(text).replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}

/** Escapes text for an XML attribute or element (for XML built outside Handlebars). */
export function escapeXml(text: string): string {
  return xmlSafe(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}
