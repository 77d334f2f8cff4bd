import { monthOf } from '../lib/zoned-time.js';
import { tagSlugsOf } from '../lib/slug.js';

/**
 * Surrogate keys: the names a cached page or feed is tagged with, so that a change drops
 * exactly the pages that show it (Fastly's and Ghost's scheme). A page lists what it shows;
 * a change lists what it touched; the cache drops the intersection.
 */
export const surrogate = {
  /** Every page of one story: its article in each language, its availability pages. */
  story: (storyId: string) => `story:${storyId}`,
  /**
   * Pages that show a story's card in one language among their related stories (its title,
   * lead, link): dropped by every public change of that release.
   */
  card: (lang: string, storyId: string) => `card:${lang}:${storyId}`,
  /**
   * Pages whose related stories were chosen among a story's release in one language, shown
   * or not: dropped only when that release moves on its lists (published at another time, in
   * another section, with other tags) or appears or leaves, which may change the choice.
   */
  candidate: (lang: string, storyId: string) => `candidate:${lang}:${storyId}`,
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
  /** One tag's pages in one language (every cursor page). */
  tag: (lang: string, tagSlug: string) => `tag:${lang}:${tagSlug}`,
  /** One month's archive pages in one language (`month` is `YYYY-MM` in the newsroom's zone). */
  month: (lang: string, month: string) => `month:${lang}:${month}`,
  /** Search result pages of a language. */
  search: (lang: string) => `search:${lang}`,
  /** The sitemap index and every sitemap file (they carry alternates across languages). */
  sitemap: () => 'sitemap',
  /** A page that did not say what it shows: dropped by every public change, to be safe. */
  unknown: () => 'any',
};

/** What of a public release decides the lists it is on (a card, or the release document). */
export interface ListedAs {
  section: string;
  tags?: string[] | null;
  publishedAt?: string | Date | null;
}

/** What a release looked like in public before and after a change (undefined: not public). */
export interface PublicChange {
  storyId: string;
  lang: string;
  before?: ListedAs;
  after?: ListedAs;
  /** The section was not yet listed in the language before this change. */
  newSection?: boolean;
  /** The language had nothing published before, or has nothing any more. */
  languageToggled?: boolean;
  /** The newsroom's zone, which decides the month a release is archived under. */
  timeZone: string;
  /** Whether its card looks different where it is listed as related (default: yes). */
  cardChanged?: boolean;
  /** Whether it moves on its lists (default: `movesOnLists(before, after)`). */
  movedOnLists?: boolean;
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
  for (const card of [c.before, c.after]) {
    if (!card) continue;
    keys.add(surrogate.section(c.lang, card.section));
    for (const t of tagSlugsOf(card.tags ?? [])) keys.add(surrogate.tag(c.lang, t));
    if (card.publishedAt) keys.add(surrogate.month(c.lang, monthOf(card.publishedAt, c.timeZone)));
  }
  if (c.cardChanged ?? true) keys.add(surrogate.card(c.lang, c.storyId));
  if (c.movedOnLists ?? movesOnLists(c.before, c.after)) keys.add(surrogate.candidate(c.lang, c.storyId));
  if (c.newSection) keys.add(surrogate.sections(c.lang));
  if (c.languageToggled) keys.add(surrogate.languages());
  return [...keys];
}

/**
 * Whether a change puts a release on other lists or elsewhere on them (or on or off them):
 * what decides which stories an article chooses among as related. An edit of its text alone
 * keeps it where it is.
 */
export function movesOnLists(before: ListedAs | undefined, after: ListedAs | undefined): boolean {
  if (!before || !after) return true;
  const time = (c: ListedAs) => (c.publishedAt ? new Date(c.publishedAt).getTime() : undefined);
  const tags = (c: ListedAs) =>
    tagSlugsOf(c.tags ?? [])
      .sort()
      .join('\n');
  return time(before) !== time(after) || before.section !== after.section || tags(before) !== tags(after);
}
