import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createI18n } from '../../src/i18n/i18n.js';
import { LOCALES_DIR } from '../../src/paths.js';
import { Formats } from '../../src/views/format.js';

const LANGS = ['ru', 'en', 'hy', 'be', 'kk', 'ky', 'tg'];
const PLURAL = /_(zero|one|two|few|many|other)$/;

type Tree = { [key: string]: string | Tree };
function flatten(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) =>
    typeof v === 'string' ? [`${prefix}${k}`] : flatten(v, `${prefix}${k}.`),
  );
}
const load = (lang: string, file: string) =>
  JSON.parse(readFileSync(join(LOCALES_DIR, lang, file), 'utf8')) as Tree;
const namespaces = [...new Set(LANGS.flatMap((l) => readdirSync(join(LOCALES_DIR, l))))].filter((f) =>
  f.endsWith('.json'),
);

/** Namespaces readers see: these must exist in every language. (`desk` is for staff; see docs/reader.md.) */
const READER_NAMESPACES = ['common.json', 'feeds.json', 'reader.json', 'browse.json'].filter((ns) =>
  namespaces.includes(ns),
);
const has = (lang: string, ns: string) => readdirSync(join(LOCALES_DIR, lang)).includes(ns);

describe('locales', () => {
  it('every reader-facing namespace exists for every language', () => {
    expect(READER_NAMESPACES).toContain('common.json');
    for (const lang of LANGS)
      for (const ns of READER_NAMESPACES) expect(has(lang, ns), `${lang}/${ns}`).toBe(true);
  });

  it.each(LANGS)('%s has exactly the keys of the other locales (plural forms per language)', (lang) => {
    for (const ns of namespaces.filter((n) => has(lang, n))) {
      const base = (l: string) => new Set(flatten(load(l, ns)).map((k) => k.replace(PLURAL, '')));
      const mine = base(lang);
      for (const other of LANGS.filter((l) => has(l, ns))) {
        const missing = [...base(other)].filter((k) => !mine.has(k));
        expect(missing, `${lang}/${ns}.json lacks keys that ${other} has`).toEqual([]);
      }
      const categories = new Intl.PluralRules(lang).resolvedOptions().pluralCategories;
      const keys = flatten(load(lang, ns));
      for (const pluralKey of new Set(keys.filter((k) => PLURAL.test(k)).map((k) => k.replace(PLURAL, '')))) {
        for (const c of categories)
          expect(keys, `${lang}/${ns}: ${pluralKey}_${c}`).toContain(`${pluralKey}_${c}`);
      }
    }
  });

  it('uses the right plural forms in Russian and Belarusian', async () => {
    const i18n = await createI18n(LANGS, 'ru');
    const ru = [1, 2, 5, 21, 22, 25, 11].map((count) => i18n.t('count.releases', { lng: 'ru', count }));
    expect(ru).toEqual([
      '1 материал',
      '2 материала',
      '5 материалов',
      '21 материал',
      '22 материала',
      '25 материалов',
      '11 материалов',
    ]);
    expect(i18n.t('count.releases', { lng: 'be', count: 3 })).toBe('3 матэрыялы');
    expect(i18n.t('count.releases', { lng: 'be', count: 7 })).toBe('7 матэрыялаў');
    expect(i18n.t('count.releases', { lng: 'en', count: 1 })).toBe('1 release');
    expect(i18n.t('count.releases', { lng: 'en', count: 2 })).toBe('2 releases');
  });

  it('formats dates per language in the newsroom time zone', () => {
    const f = new Formats('Asia/Bishkek');
    const lateEvening = new Date('2019-06-23T21:30:00Z'); // already 24 June in Bishkek (UTC+6)
    expect(f.date('ru', lateEvening)).toBe('24.06.2019');
    expect(f.date('en', lateEvening)).toBe('24 June 2019');
    expect(new Formats('UTC').date('ru', lateEvening)).toBe('23.06.2019');
    expect(f.number('ru', 12345)).toMatch(/^12\s345$/);
  });
});
