import sanitize from 'sanitize-html';

export interface AbsolutizedHtml {
  html: string;
  /** The first image of the body (absolute URL), for `media:content` and JSON Feed `image`. */
  image?: string;
}

const resolve = (value: string, base: string): string => {
  try {
    return new URL(value, base).href;
  } catch {
    return value;
  }
};

/**
 * Rewrites every `href` and `src` of already sanitised release HTML against `base`, so a
 * partner republishing the body elsewhere keeps working links and images. Parsing (rather
 * than a regex) keeps text that merely looks like an attribute untouched.
 */
export function absolutizeHtml(html: string, base: string): AbsolutizedHtml {
  let image: string | undefined;
  const out = sanitize(html, {
    allowedTags: false,
    allowedAttributes: false,
    allowVulnerableTags: true,
    transformTags: {
      '*': (tagName, attribs) => {
        const next = { ...attribs };
        if (next.href) next.href = resolve(next.href, base);
        if (next.src) next.src = resolve(next.src, base);
        if (tagName === 'img' && next.src && !image && /^https?:/.test(next.src)) image = next.src;
        return { tagName, attribs: next };
      },
    },
  });
  return { html: out, image };
}

const IMAGE_TYPES: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  svg: 'image/svg+xml',
};

/** The media type of an image URL from its extension, when it has a known one. */
export function imageTypeOf(url: string): string | undefined {
  const ext = /\.([a-z0-9]+)$/i.exec(new URL(url).pathname)?.[1]?.toLowerCase();
  return ext ? IMAGE_TYPES[ext] : undefined;
}
