/**
 * Every reader URL in one place, so templates, redirects, head tags and tests agree on the
 * public URL scheme (partners and search engines rely on it; keep it stable).
 */
export const readerUrls = {
  root: () => '/',
  home: (lang: string) => `/${lang}/`,
  news: (lang: string) => `/${lang}/news/`,
  section: (lang: string, section: string) => `/${lang}/sections/${encodeURIComponent(section)}/`,
  article: (lang: string, slug: string) => `/${lang}/news/${encodeURIComponent(slug)}`,
  tag: (lang: string, tagSlug: string) => `/${lang}/tags/${encodeURIComponent(tagSlug)}/`,
  /** The index of months, and one month's releases (`month` is `YYYY-MM`). */
  archive: (lang: string) => `/${lang}/archive/`,
  month: (lang: string, month: string) => `/${lang}/news/${month.slice(0, 4)}/${month.slice(5, 7)}/`,
  /** A story in a language it may not have yet: redirects to it, or shows what exists with a notice. */
  story: (lang: string, storyId: string) => `/${lang}/stories/${encodeURIComponent(storyId)}`,
  search: (lang: string, q?: string) => `/${lang}/search${q ? `?q=${encodeURIComponent(q)}` : ''}`,
  /** Sets the `lang` cookie, then redirects to `next` (a page in that language). */
  chooseLanguage: (lang: string, next: string) => `/language/${lang}?next=${encodeURIComponent(next)}`,
  feeds: (lang: string) => `/${lang}/feeds`,
  feedBase: (lang: string, section?: string) =>
    section ? `/${lang}/sections/${encodeURIComponent(section)}/` : `/${lang}/`,
};

/** `path` with `?after=<cursor>` (or without, for the first page). */
export function withCursor(path: string, cursor: string | undefined, extra: Record<string, string> = {}) {
  const params = new URLSearchParams(extra);
  if (cursor) params.set('after', cursor);
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}
