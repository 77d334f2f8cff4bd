import Handlebars, { type HelperOptions } from 'handlebars';
import { clientScriptUrl } from './client-assets.js';
import type { i18n } from 'i18next';
import { formatsFor, type Formats } from './format.js';
import type { Views } from './views.js';

const rootLang = (options: HelperOptions) => options.data?.root?.lang as string;

/**
 * Helpers every template may use. The page's language is `@root.lang`, so a template never
 * passes it: `{{t "nav.home"}}`, `{{t "count.releases" count=n}}`, `{{date publishedAt}}`,
 * `{{number n}}`. Output is escaped by Handlebars (translations are plain text).
 */
export function registerCoreHelpers(views: Views, i18n: i18n, timeZone: string): Formats {
  const formats = formatsFor(timeZone);
  views.hbs.registerHelper('t', function (key: string, options: HelperOptions) {
    return i18n.t(key, { lng: rootLang(options), ...options.hash });
  });
  views.hbs.registerHelper('date', function (iso: string | Date, options: HelperOptions) {
    return formats.date(rootLang(options), iso);
  });
  views.hbs.registerHelper('number', function (n: number, options: HelperOptions) {
    return formats.number(rootLang(options), n);
  });
  views.hbs.registerHelper('isoDate', (iso: string | Date) => (iso ? new Date(iso).toISOString() : ''));
  views.hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  // `{{clientScript "workbench"}}`: the module script of a bundled `src/client/` entry point.
  views.hbs.registerHelper('clientScript', (name: string) => {
    const url = clientScriptUrl(name);
    if (!url) return '';
    return new Handlebars.SafeString(
      `<script type="module" src="${Handlebars.escapeExpression(url)}"></script>`,
    );
  });
  return formats;
}
