import type { ReleaseCard } from '../read-models/release-index.js';

/**
 * Surrogate keys: the names a cached page or feed is tagged with, so that a change drops
 * exactly the pages that show it (Fastly's and Ghost's scheme). A page lists what it shows;
 * a change lists what it touched; the cache drops the intersection.
 */
export const surrogate = {
  /** Every page of one story: its article in each language, its availability pages. */
  story: (storyId: string) => `story:${storyId}`,
  /** A language's own lists: home, `/news/` (every cursor page), the language's feeds. */
  listing: (lang: string) => `list:${lang}`,
  /** One section's pages and feeds in one language. */
  section: (lang: string, section: string) => `section:${lang}:${section}`,
  /** What lists a language's sections (section links, the feeds page): changes when one appears. */
  sections: (lang: string) => `sections:${lang}`,
  /**
   * Pages whose hreflang alternates name the languages that have published anything (homes,
   * `/news/`, feeds and search pages): changes when a language gets its first release or
   * loses its last.
   */
  languages: () => 'languages',
  /** Search result pages of a language. */
  search: (lang: string) => `search:${lang}`,
  /** The sitemap index and every sitemap file (they carry alternates across languages). */
  sitemap: () => 'sitemap',
  /** A page that did not say what it shows: dropped by every public change, to be safe. */
  unknown: () => 'any',
};

/** What a release looked like in public before and after a change (undefined: not public). */
export interface PublicChange {
  storyId: string;
  lang: string;
  before?: Pick<ReleaseCard, 'section'>;
  after?: Pick<ReleaseCard, 'section'>;
  /** The section was not yet listed in the language before this change. */
  newSection?: boolean;
  /** The language had nothing published before, or has nothing any more. */
  languageToggled?: boolean;
}

/**
 * The surrogate keys a release change touches. A change that is public neither before nor
 * after (a draft edit) touches nothing public.
 */
export function surrogatesOfChange(c: PublicChange): string[] {
  if (!c.before && !c.after) return [];
  const keys = new Set([
    surrogate.story(c.storyId),
    surrogate.listing(c.lang),
    surrogate.search(c.lang),
    surrogate.sitemap(),
    surrogate.unknown(),
  ]);
  for (const card of [c.before, c.after]) if (card) keys.add(surrogate.section(c.lang, card.section));
  if (c.newSection) keys.add(surrogate.sections(c.lang));
  if (c.languageToggled) keys.add(surrogate.languages());
  return [...keys];
}
