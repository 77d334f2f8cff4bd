import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import i18next, { type i18n, type Resource, type TFunction } from 'i18next';
import { LOCALES_DIR } from '../paths.js';

/** Every configured language's name in that language, for the switcher. */
export const LANGUAGE_NAMES: Record<string, string> = {
  ru: 'Русский',
  en: 'English',
  hy: 'Հայերեն',
  be: 'Беларуская',
  kk: 'Қазақша',
  ky: 'Кыргызча',
  tg: 'Тоҷикӣ',
  ar: 'العربية',
  fr: 'Français',
  de: 'Deutsch',
  uz: 'Oʻzbekcha',
  az: 'Azərbaycanca',
};

/** Open Graph locale (language_TERRITORY) per language; others fall back to the bare tag. */
export const OG_LOCALES: Record<string, string> = {
  ru: 'ru_RU',
  en: 'en_GB',
  hy: 'hy_AM',
  be: 'be_BY',
  kk: 'kk_KZ',
  ky: 'ky_KG',
  tg: 'tg_TJ',
  ar: 'ar_AR',
  fr: 'fr_FR',
  de: 'de_DE',
  uz: 'uz_UZ',
  az: 'az_AZ',
};

/** The Intl locale for a page language where the bare tag formats unidiomatically (en → 24 June 2019). */
export const INTL_LOCALES: Record<string, string> = { en: 'en-GB' };

/** Languages written right to left. */
export const RTL = new Set(['ar', 'he', 'fa', 'ur', 'ps', 'yi']);

/**
 * A dedicated i18next instance with every `locales/<lang>/<namespace>.json` loaded at start,
 * so no request waits on a file. Call `t` with an explicit `lng` outside a request.
 */
export async function createI18n(languages: string[], fallback: string): Promise<i18n> {
  const resources: Resource = {};
  const namespaces = new Set<string>();
  for (const lang of languages) {
    resources[lang] = {};
    for (const file of readdirSync(join(LOCALES_DIR, lang)).filter((f) => f.endsWith('.json'))) {
      const ns = basename(file, '.json');
      namespaces.add(ns);
      resources[lang][ns] = JSON.parse(readFileSync(join(LOCALES_DIR, lang, file), 'utf8'));
    }
  }
  const instance = i18next.createInstance();
  await instance.init({
    resources,
    supportedLngs: languages,
    fallbackLng: fallback,
    ns: [...namespaces],
    defaultNS: 'common',
    interpolation: { escapeValue: false }, // Handlebars escapes
    returnNull: false,
    initAsync: false,
  });
  return instance;
}

export type { TFunction };
