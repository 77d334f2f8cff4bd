/**
 * Picks the reader's language for `/`: the `lang` cookie when it names a configured language,
 * then the best `Accept-Language` match (q-values honoured, `en-US` matching `en`), then the
 * source language. Pure, so it is unit-tested without a server.
 */
export function negotiateLanguage(
  languages: readonly string[],
  fallback: string,
  cookie: string | undefined,
  acceptLanguage: string | undefined,
): string {
  if (cookie && languages.includes(cookie)) return cookie;
  for (const tag of parseAcceptLanguage(acceptLanguage ?? '')) {
    if (tag === '*') return fallback;
    const exact = languages.find((l) => l.toLowerCase() === tag);
    if (exact) return exact;
    const primary = tag.split('-')[0];
    const byPrimary = languages.find((l) => l.toLowerCase().split('-')[0] === primary);
    if (byPrimary) return byPrimary;
  }
  return fallback;
}

/** `Accept-Language` tags, lower-cased, best first; q=0 dropped, ties kept in header order. */
export function parseAcceptLanguage(header: string): string[] {
  return header
    .split(',')
    .slice(0, 50)
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const weight = q ? Number(q.slice(2)) : 1;
      return { tag: tag.trim().toLowerCase(), weight: Number.isFinite(weight) ? weight : 0, index };
    })
    .filter((x) => x.tag && x.weight > 0 && /^([a-z]{1,8}(-[a-z0-9]{1,8})*|\*)$/.test(x.tag))
    .sort((a, b) => b.weight - a.weight || a.index - b.index)
    .map((x) => x.tag);
}
