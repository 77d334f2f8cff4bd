import { boundedMemo } from './bounded-memo.js';
import { slugify } from 'transliteration';
import { z } from 'zod';

/**
 * Letters of the member states' alphabets that the generic table renders badly
 * (Kazakh, Kyrgyz, Tajik, Belarusian Cyrillic; Armenian digraphs), mapped the way
 * their national romanisations do.
 */
const LETTERS: [string, string][] = [
  ['ու', 'u'],
  ['Ու', 'U'],
  ['և', 'ev'],
  ['Ғ', 'Gh'],
  ['ғ', 'gh'],
  ['Қ', 'Q'],
  ['қ', 'q'],
  ['Ң', 'Ng'],
  ['ң', 'ng'],
  ['Ә', 'A'],
  ['ә', 'a'],
  ['Ө', 'O'],
  ['ө', 'o'],
  ['Ұ', 'U'],
  ['ұ', 'u'],
  ['Ү', 'U'],
  ['ү', 'u'],
  ['Һ', 'H'],
  ['һ', 'h'],
  ['Ҳ', 'H'],
  ['ҳ', 'h'],
  ['Ҷ', 'J'],
  ['ҷ', 'j'],
  ['Ӣ', 'I'],
  ['ӣ', 'i'],
  ['Ӯ', 'U'],
  ['ӯ', 'u'],
  ['І', 'I'],
  ['і', 'i'],
  ['Ў', 'U'],
  ['ў', 'u'],
  ['Ь', ''],
  ['ь', ''],
  ['Ъ', ''],
  ['ъ', ''],
  ...armenian(
    'աa բb գg դd եe զz էe ըy թt ժzh իi լl խkh ծts կk հh ձdz ղgh ճch մm յy նn շsh օo չch պp ջj ռr սs վv տt րr ցts փp քk ֆf',
  ),
];

/** Armenian letters from a compact "letter+latin" list, lower and upper case. */
function armenian(list: string): [string, string][] {
  return list.split(' ').flatMap((pair) => {
    const [letter, latin] = [pair[0], pair.slice(1)];
    return [
      [letter, latin],
      [letter.toUpperCase(), latin[0].toUpperCase() + latin.slice(1)],
    ] as [string, string][];
  });
}

export const MAX_SLUG = 80;

/** What a URL slug is: lower-case ASCII letters and digits in hyphen-separated words. */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** An explicit slug at an input boundary: a 400 naming the rule, before anything is written. */
export const zSlug = z
  .string()
  .max(200, 'must be at most 200 characters')
  .regex(SLUG_PATTERN, "must be lower-case letters, digits and single hyphens, such as 'summit-in-minsk'");

/** A URL slug from a title in any configured language: ASCII, lower case, hyphens. */
export function slugFromTitle(title: string): string {
  return asciiSlug(title) || 'release';
}

/** Text transliterated to lower-case ASCII words joined by hyphens, at most MAX_SLUG long ('' if none). */
function asciiSlug(title: string): string {
  let text = title;
  for (const [from, to] of LETTERS) text = text.replaceAll(from, to);
  const slug = slugify(text, { lowercase: true, separator: '-', trim: true })
    .replace(/[^a-z0-9-]+/g, '')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
  return truncateAtWord(slug, MAX_SLUG);
}

function truncateAtWord(slug: string, max: number): string {
  if (slug.length <= max) return slug;
  const cut = slug.slice(0, max);
  const lastHyphen = cut.lastIndexOf('-');
  return (lastHyphen > 20 ? cut.slice(0, lastHyphen) : cut).replace(/-$/, '');
}

/**
 * The URL key of a tag (`/{lang}/tags/{key}/`): the tag transliterated like a slug, or ''
 * when nothing of it is left (a tag of punctuation only gets no page).
 */
export function tagSlug(tag: string): string {
  return tagSlugOf(tag);
}

/** The distinct URL keys of a release's tags (a tag with no letter or digit has none). */
export function tagSlugsOf(tags: string[]): string[] {
  return [...new Set(tags.map(tagSlug).filter(Boolean))];
}

/** Tags repeat across an archive: their keys are worked out once. */
const tagSlugOf = boundedMemo(10_000, asciiSlug);
