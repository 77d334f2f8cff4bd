/** An attribute value as the browser reads it (Handlebars escapes `=` and `&`). */
export const unescapeAttr = (s: string) =>
  s
    .replace(/&#x3D;/g, '=')
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

/** The href of the "older releases" link, if the page has one. */
export const olderHref = (html: string) => {
  const m = html.match(/href="([^"]+)" rel="next"/);
  return m ? unescapeAttr(m[1]) : undefined;
};
