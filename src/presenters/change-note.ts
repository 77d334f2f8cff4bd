type T = (key: string, options?: Record<string, unknown>) => string;

/** What an editor's note may end with; the sentence's own full stop replaces it. */
const TERMINAL = /[\s.!?…։]+$/u;

/** A sentence ending in exactly one full stop, whatever the date format put before it («2024 г.»). */
export const oneFullStop = (text: string) => text.replace(/\.(\s*\.)+$/u, '.');

/**
 * What readers are told of a correction or an update, on the article page and in the feeds
 * alike: "Corrected on 25 July 2024: the date was wrong." — one sentence with the date as the
 * pages format it, ending in exactly one full stop whether or not the editor typed one.
 */
export function changeNoteText(t: T, kind: 'correction' | 'update', date: string, note?: string): string {
  const text = note?.replace(TERMINAL, '').trim();
  const key = kind === 'correction' ? 'corrected' : 'updated';
  return oneFullStop(
    text ? t(`editorial:change.${key}Note`, { date, note: text }) : t(`editorial:change.${key}`, { date }),
  );
}
