/**
 * Wall-clock times in the newsroom's time zone, for `<input type="datetime-local">`: the desk
 * shows and reads times in that zone whatever the browser's or server's zone is.
 */

/** One formatter per zone: building an Intl.DateTimeFormat costs far more than using one. */
const formatters = new Map<string, Intl.DateTimeFormat>();
function wallClockOf(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The zone's offset from UTC (ms) at an instant, from Intl's own reading of that instant. */
export function offsetAt(instant: number, timeZone: string): number {
  const parts = wallClockOf(timeZone).formatToParts(new Date(instant));
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return wall - Math.floor(instant / 1000) * 1000;
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** `2026-12-01T14:30` in `timeZone` → the instant; undefined when malformed. */
export function fromZonedLocal(value: string, timeZone: string): Date | undefined {
  const m = LOCAL.exec(value.trim());
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0));
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return undefined;
  const asUtc = Date.UTC(y, mo - 1, d, h, mi, s);
  // Two passes settle the offset across a daylight-saving change.
  let instant = asUtc - offsetAt(asUtc, timeZone);
  instant = asUtc - offsetAt(instant, timeZone);
  const date = new Date(instant);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** The instant as `YYYY-MM-DDTHH:mm` on the wall clock of `timeZone` (a datetime-local value). */
export function toZonedLocal(date: Date | string | null | undefined, timeZone: string): string {
  if (!date) return '';
  const t = new Date(date).getTime();
  if (Number.isNaN(t)) return '';
  return new Date(t + offsetAt(t, timeZone)).toISOString().slice(0, 16);
}

/** The calendar month (`YYYY-MM`) of an instant on the wall clock of `timeZone` (date archives). */
export function monthOf(date: Date | string, timeZone: string): string {
  return toZonedLocal(date, timeZone).slice(0, 7);
}
