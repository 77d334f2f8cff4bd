import sanitize from 'sanitize-html';

/** Every tag and attribute kept: these passes only read or rewrite `<img>`; the sanitiser runs after. */
const KEEP_ALL: sanitize.IOptions = {
  allowedTags: false,
  allowedAttributes: false,
  allowVulnerableTags: true,
  allowedSchemesAppliedToAttributes: [],
};

/** The `src` of each `<img>` in a body, in order, as the HTML parser reads them (entities decoded). */
export function pictureSources(html: string): string[] {
  if (!/<img\b/i.test(html)) return [];
  const found: string[] = [];
  sanitize(html, {
    ...KEEP_ALL,
    transformTags: {
      img: (tagName, attribs) => {
        if (attribs.src) found.push(attribs.src.trim());
        return { tagName, attribs };
      },
    },
  });
  return found;
}

/** What an imported body picture became: one of our renditions, or nothing (it was refused). */
export type StoredPicture = { src: string; width: number; height: number } | null;

/**
 * The body with each `<img>` whose src `stored` names pointed at the stored picture (the
 * rendition address and size the desk's editor writes, so pages enhance it alike), and each
 * refused one (null) removed; its figure's caption stays. Other images are left as they are.
 */
export function replacePictures(html: string, stored: Map<string, StoredPicture>): string {
  if (stored.size === 0) return html;
  return sanitize(html, {
    ...KEEP_ALL,
    exclusiveFilter: (frame) => frame.tag === 'img' && stored.get(frame.attribs.src?.trim()) === null,
    transformTags: {
      img: (tagName, attribs) => {
        const picture = stored.get(attribs.src?.trim());
        if (!picture) return { tagName, attribs };
        return {
          tagName,
          attribs: {
            ...attribs,
            src: picture.src,
            width: String(picture.width),
            height: String(picture.height),
          },
        };
      },
    },
  });
}
