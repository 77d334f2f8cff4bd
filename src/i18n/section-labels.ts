import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOCALES_DIR } from '../paths.js';

const labelled = new Map<string, Set<string>>();

/** Section keys that `locales/<lang>/common.json` gives a label under `sections` (read once). */
function sectionsLabelledIn(lang: string): Set<string> {
  let keys = labelled.get(lang);
  if (!keys) {
    const file = join(LOCALES_DIR, lang, 'common.json');
    const sections = existsSync(file)
      ? (JSON.parse(readFileSync(file, 'utf8')) as { sections?: Record<string, string> }).sections
      : undefined;
    keys = new Set(Object.keys(sections ?? {}));
    labelled.set(lang, keys);
  }
  return keys;
}

/** The languages in which a section has no label (readers would see its bare key). */
export const languagesWithoutLabel = (section: string, languages: string[]) =>
  languages.filter((l) => !sectionsLabelledIn(l).has(section));

/** Sections labelled in every one of `languages`, sorted. */
export const sectionsLabelledInAll = (languages: string[]) =>
  [...sectionsLabelledIn(languages[0] ?? '')]
    .filter((s) => languagesWithoutLabel(s, languages).length === 0)
    .sort();

/**
 * A readable name for a section key that has no label in a language (a section created
 * through the API or the desk before anyone labelled it): `press-releases` → "Press releases".
 */
export const readableSectionKey = (section: string) => {
  const words = section.replace(/-+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
};
