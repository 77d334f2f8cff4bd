/**
 * Block-level tags (with the whitespace around a run of them) in HTML meant for one line of
 * inline text, the lead: the server's sanitiser and the lead editor's paste both turn each run
 * into one space, so "<p>a</p><p>b</p>" reads "a b", not "ab".
 */
export const BLOCK_EDGES =
  /(?:\s*<\/?(?:p|div|h[1-6]|ul|ol|li|dl|dt|dd|blockquote|pre|table|thead|tbody|tr|td|th|caption|figure|figcaption|section|article|header|footer|aside|nav|hr|br)\b[^>]*>\s*)+/gi;
