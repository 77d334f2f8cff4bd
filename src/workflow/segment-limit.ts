import { AppError } from '../errors.js';
import { sanitizeReleaseHtml } from '../lib/sanitize-html.js';
import { segmentRelease } from './segmenter.js';

/**
 * The most segments one translation task holds. A press release has tens; a long report a
 * few hundred. Beyond this a task is unworkable (claiming it, saving it and its page grow
 * with it), so a source that long is refused where a person writes it — split it into
 * several stories — as memoQ and Trados ask for a document to be split into parts. A
 * source stored before this limit (or imported) gets no task: the fan-out reports
 * `too_long` for it (`prepare-task.ts`).
 */
export const MAX_TASK_SEGMENTS = 2_000;

/** Sentence ends, blocks and attribute texts: never fewer than the segments the text makes. */
const SPLITS =
  /[.!?…;。]|<(?:p|h[1-6]|li|td|th|dd|dt|figcaption|caption|blockquote|div|br|img)\b|\b(?:alt|title)=/gi;

/** How many segments a source makes (exactly, when a cheap upper bound says it may be too many). */
export function segmentCount(input: { title: string; lead?: string; body: string }): number {
  const bound = 2 + (input.body.match(SPLITS)?.length ?? 0);
  if (bound <= MAX_TASK_SEGMENTS) return Math.min(bound, MAX_TASK_SEGMENTS);
  return segmentRelease({ ...input, body: sanitizeReleaseHtml(input.body) }).segments.length;
}

/** Refuses a source text too long for one translation task (422 `too_many_segments`). */
export function assertTaskSize(input: { title: string; lead?: string; body: string }): void {
  const n = segmentCount(input);
  if (n <= MAX_TASK_SEGMENTS) return;
  throw new AppError(
    422,
    'too_many_segments',
    `This text makes ${n} translation segments; one translation task takes at most ${MAX_TASK_SEGMENTS}. Split it into several stories`,
    { segments: n, max: MAX_TASK_SEGMENTS },
  );
}
