import type { FeedItem, FeedT } from './feed-model.js';
import { releaseGuid, sectionName } from './feed-model.js';

/**
 * IPTC ninjs 2.1 (News in JSON) for agencies and partner CMSs: one release as a ninjs news
 * object, from the same feed item every feed format uses. ninjs 2.x forbids properties of
 * its own outside the schema, so the translation relations are `associations` (each a
 * ninjs object of the other language version, named `translation-<lang>` or `original`),
 * the outdated flag is an `ednote`, and the story and release ids are `altids`.
 */
export const NINJS_STANDARD = {
  name: 'ninjs',
  version: '2.1',
  schema: 'http://www.iptc.org/std/ninjs/ninjs-schema_2.1.json',
} as const;

export interface NinjsContext {
  publicUrl: string;
  siteName: string;
  t: FeedT;
}

const words = (text: string) => text.split(/\s+/).filter(Boolean).length;
const plain = (html: string) =>
  html
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/** A published release as a ninjs 2.1 object. */
export function toNinjs(item: FeedItem, c: NinjsContext): Record<string, unknown> {
  const text = plain(item.contentHtml);
  const mainUrl = item.image?.url;
  const mainBytes = item.image?.length;
  const associations = [
    ...(item.original ? [version('original', item.story, item.original)] : []),
    ...item.translations
      .filter((tr) => tr.lang !== item.original?.lang)
      .map((tr) => version(`translation-${tr.lang}`, item.story, tr)),
    ...(item.image
      ? [
          {
            name: 'image',
            uri: item.image.url,
            type: 'picture',
            ...(item.image.description
              ? {
                  descriptions: [
                    { role: 'caption', contenttype: 'text/plain', value: item.image.description },
                  ],
                }
              : {}),
            ...(item.image.credit ? { by: item.image.credit } : {}),
            renditions: item.image.renditions?.length
              ? item.image.renditions.map((r) => ({
                  name: `w${r.width}`,
                  href: r.url,
                  contenttype: r.type,
                  width: r.width,
                  height: r.height,
                  ...(r.url === mainUrl && mainBytes ? { sizeinbytes: mainBytes } : {}),
                }))
              : [
                  {
                    name: 'original',
                    href: item.image.url,
                    ...(item.image.type ? { contenttype: item.image.type } : {}),
                  },
                ],
          },
        ]
      : []),
  ];
  return {
    uri: item.guid,
    standard: NINJS_STANDARD,
    type: 'text',
    representationtype: 'full',
    profile: 'newsroom-release',
    version: String(item.revision),
    firstcreated: item.publishedAt.toISOString(),
    versioncreated: item.updatedAt.toISOString(),
    pubstatus: 'usable',
    language: item.lang,
    copyrightholder: c.siteName,
    by: item.creator,
    slugline: item.slug,
    headlines: [{ role: 'main', contenttype: 'text/plain', value: item.title }],
    descriptions: [{ role: 'summary', contenttype: 'text/plain', value: item.summary }],
    bodies: [
      {
        role: 'main',
        contenttype: 'text/html',
        charcount: text.length,
        wordcount: words(text),
        value: item.contentHtml,
      },
    ],
    subjects: [
      { name: sectionName(c.t, item.section), rel: 'section', literal: item.section },
      ...item.tags.map((tag) => ({ name: tag, rel: 'tag', literal: tag })),
    ],
    ...(item.outdated ? { ednote: item.summary.split(/(?<=\.)\s/)[0] } : {}),
    renditions: [{ name: 'web', href: item.url, contenttype: 'text/html', title: item.title }],
    associations,
    altids: [
      { role: 'release', value: item.releaseId },
      { role: 'story', value: item.story },
    ],
  };
}

/** Another language version of the same story, as an association (its uri is that release's guid). */
function version(name: string, storyId: string, v: { lang: string; url: string; title: string }) {
  return {
    name,
    uri: releaseGuid(`${storyId}.${v.lang}`),
    type: 'text',
    language: v.lang,
    headlines: [{ role: 'main', value: v.title }],
    renditions: [{ name: 'web', href: v.url, contenttype: 'text/html' }],
  };
}

/** The withdrawn state of a release partners may hold a copy of: ninjs `pubstatus: canceled`. */
export function canceledNinjs(releaseId: string, lang: string, at: Date): Record<string, unknown> {
  return {
    uri: releaseGuid(releaseId),
    standard: NINJS_STANDARD,
    type: 'text',
    pubstatus: 'canceled',
    language: lang,
    versioncreated: at.toISOString(),
    altids: [{ role: 'release', value: releaseId }],
  };
}
