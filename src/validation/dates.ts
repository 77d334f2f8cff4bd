import { z } from 'zod';

/** The years a newsroom date may fall in: archives go back decades, schedules not centuries ahead. */
export const MIN_YEAR = 1900;
export const MAX_YEAR = 2200;

const ISO_8601 =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * Parses a strict ISO 8601 date (`2025-02-28`) or date-time (`2025-02-28T10:00`,
 * `…:00Z`, `…+03:00`): every field in range and the day existing in its month (no
 * `2025-02-30` rolling over into March), the year between MIN_YEAR and MAX_YEAR. A date
 * alone is midnight UTC; a time without an offset is the server's local time (as `Date`
 * reads it). Returns undefined for anything else.
 */
export function parseIsoDate(text: string): Date | undefined {
  const m = ISO_8601.exec(text.trim());
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [hour, minute, second] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  if (year < MIN_YEAR || year > MAX_YEAR || month < 1 || month > 12 || day < 1) return undefined;
  if (day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const offset = m[8];
  if (offset && offset.toUpperCase() !== 'Z') {
    const [oh, om] = [Number(offset.slice(1, 3)), Number(offset.slice(-2))];
    if (oh > 14 || om > 59) return undefined;
  }
  const normalised = m[4] ? text.trim().replace(' ', 'T') : `${m[1]}-${m[2]}-${m[3]}T00:00:00Z`;
  const date = new Date(normalised.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

const inRange = (d: Date) => d.getUTCFullYear() >= MIN_YEAR && d.getUTCFullYear() <= MAX_YEAR;

/**
 * A date at an input boundary: a strict ISO 8601 string (see parseIsoDate) or, from our own
 * code, a valid Date in range. Numbers, booleans and lenient strings are a clear 400.
 */
export const zIsoDate = z
  .unknown()
  .transform((v, ctx): Date => {
    const date =
      typeof v === 'string'
        ? parseIsoDate(v)
        : v instanceof Date && !Number.isNaN(v.getTime()) && inRange(v)
          ? v
          : undefined;
    if (!date) {
      ctx.addIssue({
        code: 'custom',
        message: `must be an ISO 8601 date such as 2025-06-27 or 2025-06-27T10:00:00Z, between ${MIN_YEAR} and ${MAX_YEAR}`,
      });
      return z.NEVER;
    }
    return date;
  })
  // What the OpenAPI document shows a client (the schema above accepts only that, or a Date).
  .meta({ type: 'string', format: 'date-time' });
