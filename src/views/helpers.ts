import Handlebars, { type HelperOptions } from 'handlebars';
import { clientScriptUrl } from './client-assets.js';
import type { i18n } from 'i18next';
import { formatsFor, type Formats } from './format.js';
import { memoizedT } from '../i18n/memo-t.js';
import type { Views } from './views.js';

const rootLang = (options: HelperOptions) => options.data?.root?.lang as string;

/**
 * Helpers every template may use. The page's language is `@root.lang`, so a template never
 * passes it: `{{t "nav.home"}}`, `{{t "count.releases" count=n}}`, `{{date publishedAt}}`,
 * `{{number n}}`. Output is escaped by Handlebars (translations are plain text).
 */
export function registerCoreHelpers(views: Views, i18n: i18n, timeZone: string): Formats {
  const formats = formatsFor(timeZone);
  const label = memoizedT(i18n);
  views.hbs.registerHelper('t', function (key: string, options: HelperOptions) {
    const hash = options.hash as Record<string, unknown>;
    if (Object.keys(hash).length > 0) return i18n.t(key, { lng: rootLang(options), ...hash });
    return label(rootLang(options), key);
  });
  // `data-strings="{{tJson "media:editor"}}"`: a group of texts for client code, as JSON.
  views.hbs.registerHelper('tJson', function (key: string, options: HelperOptions) {
    return JSON.stringify(i18n.t(key, { lng: rootLang(options), returnObjects: true }));
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
  views.hbs.registerHelper('lastPart', (s: string) =>
    String(s ?? '')
      .split(':')
      .pop(),
  );
  views.hbs.registerHelper('concat', (...args: unknown[]) => args.slice(0, -1).join(''));
  // The desk: times with their zone, statuses and language names in the desk's language.
  views.hbs.registerHelper('dateTime', function (iso: string | Date, options: HelperOptions) {
    return iso ? formatDateTime(rootLang(options), iso, timeZone) : '';
  });
  views.hbs.registerHelper('statusName', function (status: string, options: HelperOptions) {
    return label(rootLang(options), `editor:status.${status}`, status);
  });
  views.hbs.registerHelper('languageName', function (lang: string, options: HelperOptions) {
    return label(rootLang(options), `editor:language.${lang}`, lang);
  });
  return formats;
}

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

/** Date and time in the newsroom's zone, with the zone named ("1 Dec 2026, 14:30 MSK"). */
export function formatDateTime(lang: string, value: string | Date, timeZone: string): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return '';
  const key = `${lang}|${timeZone}`;
  let f = dateTimeFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : lang, {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone,
    });
    dateTimeFormats.set(key, f);
  }
  return `${f.format(date)} (${timeZone})`;
}
