import { startOfDay } from '../search/day-bounds.js';
import { monthOf } from './zoned-time.js';

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** The month after `YYYY-MM`. */
function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/**
 * The first and last millisecond of a calendar month (`YYYY-MM`) in the newsroom's zone, as
 * sorted-set scores; undefined for anything that is not a month.
 */
export function monthBounds(month: string, timeZone: string): { min: number; max: number } | undefined {
  if (!MONTH.test(month)) return undefined;
  const start = startOfDay(`${month}-01`, timeZone);
  const end = startOfDay(`${nextMonth(month)}-01`, timeZone);
  return start && end ? { min: start.getTime(), max: end.getTime() - 1 } : undefined;
}

/** Every month from the one holding `newest` back to the one holding `oldest`, newest first. */
export function monthsBetween(oldest: number, newest: number, timeZone: string): string[] {
  const first = monthOf(new Date(oldest), timeZone);
  const months: string[] = [];
  for (let m = first; m <= monthOf(new Date(newest), timeZone); m = nextMonth(m)) months.push(m);
  return months.reverse();
}
