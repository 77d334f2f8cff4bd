import type { i18n } from 'i18next';

/**
 * `i18n.t` for a key without interpolation, remembered per language. Every resource is
 * loaded at start and never changes (`createI18n`), and one lookup through i18next's
 * fallback chain costs about 17 µs here: a page with a hundred labels paid that on every
 * render. Bounded, because a key may be built from data (a section, a status).
 */
export function memoizedT(
  instance: i18n,
  max = 20_000,
): (lng: string, key: string, defaultValue?: string) => string {
  const known = new Map<string, string>();
  return (lng, key, defaultValue) => {
    const id = `${lng}\u0000${key}\u0000${defaultValue ?? ''}`;
    let text = known.get(id);
    if (text === undefined) {
      text = defaultValue === undefined ? instance.t(key, { lng }) : instance.t(key, { lng, defaultValue });
      if (known.size >= max) known.clear();
      known.set(id, text);
    }
    return text;
  };
}
