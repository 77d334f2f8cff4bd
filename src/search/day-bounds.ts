import { offsetAt } from '../lib/zoned-time.js';

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * The first instant of a calendar day (`YYYY-MM-DD`) in the site's time zone, or undefined
 * for anything that is not a real date: what a reader means by "from 1 June".
 */
export function startOfDay(day: string, timeZone: string): Date | undefined {
  const m = ISO_DAY.exec(day);
  if (!m) return undefined;
  const utc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const check = new Date(utc);
  if (check.getUTCFullYear() !== Number(m[1]) || check.getUTCMonth() !== Number(m[2]) - 1) return undefined;
  return new Date(utc - offsetAt(utc - offsetAt(utc, timeZone), timeZone));
}

/** The last millisecond of a calendar day in the site's time zone ("until 30 June" includes it). */
export function endOfDay(day: string, timeZone: string): Date | undefined {
  const start = startOfDay(day, timeZone);
  if (!start) return undefined;
  const next = new Date(start.getTime() + 36 * 3600_000).toISOString().slice(0, 10);
  return new Date(startOfDay(next, timeZone)!.getTime() - 1);
}
