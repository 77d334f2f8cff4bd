import { INTL_LOCALES } from '../i18n/i18n.js';

/** Languages whose readers expect numeric dates (24.06.2019), as on the press office's own site. */
const NUMERIC_DATES = new Set(['ru', 'be']);

/**
 * Dates and numbers through Intl, per page language, in the newsroom's time zone. Formatters
 * are built once per language (building one costs far more than using it).
 */
export class Formats {
  private readonly dates = new Map<string, Intl.DateTimeFormat>();
  private readonly months = new Map<string, Intl.DateTimeFormat>();
  private readonly numbers = new Map<string, Intl.NumberFormat>();

  constructor(private readonly timeZone: string) {}

  date(lang: string, value: Date | string | undefined | null): string {
    if (!value) return '';
    const date = value instanceof Date ? value : new Date(value);
    if (Number.isNaN(date.getTime())) return '';
    let f = this.dates.get(lang);
    if (!f) {
      f = new Intl.DateTimeFormat(
        INTL_LOCALES[lang] ?? lang,
        NUMERIC_DATES.has(lang)
          ? { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: this.timeZone }
          : { dateStyle: 'long', timeZone: this.timeZone },
      );
      this.dates.set(lang, f);
    }
    return f.format(date);
  }

  /** A month and year ("June 2025"), for the date archive. */
  month(lang: string, value: Date): string {
    let f = this.months.get(lang);
    if (!f) {
      f = new Intl.DateTimeFormat(INTL_LOCALES[lang] ?? lang, {
        month: 'long',
        year: 'numeric',
        timeZone: this.timeZone,
      });
      this.months.set(lang, f);
    }
    return f.format(value);
  }

  number(lang: string, value: number): string {
    let f = this.numbers.get(lang);
    if (!f) {
      f = new Intl.NumberFormat(INTL_LOCALES[lang] ?? lang);
      this.numbers.set(lang, f);
    }
    return f.format(value);
  }
}

const shared = new Map<string, Formats>();

/** The process-wide formatters for a time zone (presenters format dates inside notices). */
export function formatsFor(timeZone: string): Formats {
  let f = shared.get(timeZone);
  if (!f) shared.set(timeZone, (f = new Formats(timeZone)));
  return f;
}
