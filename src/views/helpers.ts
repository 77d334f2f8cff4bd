import type { HelperOptions } from 'handlebars';
import type { i18n } from 'i18next';
import type { Views } from './views.js';

/** Helpers every template may use. The page's language is `@root.lang`. */
export function registerCoreHelpers(views: Views, i18n: i18n, timeZone: string): void {
  const dateFormats = new Map<string, Intl.DateTimeFormat>();
  const dateFormat = (lang: string) => {
    let f = dateFormats.get(lang);
    if (!f) {
      f = new Intl.DateTimeFormat(lang, { dateStyle: lang === 'en' ? 'long' : 'short', timeZone });
      dateFormats.set(lang, f);
    }
    return f;
  };
  views.hbs.registerHelper('t', function (key: string, options: HelperOptions) {
    const lang = options.data?.root?.lang as string;
    return i18n.t(key, { lng: lang, ...options.hash });
  });
  views.hbs.registerHelper('date', function (iso: string | Date, options: HelperOptions) {
    if (!iso) return '';
    return dateFormat(options.data?.root?.lang as string).format(new Date(iso));
  });
  views.hbs.registerHelper('isoDate', (iso: string | Date) => (iso ? new Date(iso).toISOString() : ''));
  views.hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
}
