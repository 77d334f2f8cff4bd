import { z } from 'zod';
import type { TaskDoc } from '../../models/translation-task.js';
import { isConfirmed, statusOf } from '../../shared/segment-state.js';

/**
 * Segments per page of the workbench and the review page. A task holds up to 2,000 segments
 * (`MAX_TASK_SEGMENTS`); all of them in one page took ~13 s to become usable. 100 segments
 * are a screenful of work for a long while and render in well under a second.
 */
export const SEGMENTS_PER_PAGE = 100;

/** `?page=N` (or the form's `page` field): a page number; anything else is page 1. */
const PageParam = z.coerce.number().int().min(1).catch(1);

/** The page a request asks for, clamped to the task's pages (a stale link shows the last page). */
export function requestedPage(value: unknown): number {
  return PageParam.parse(value ?? 1);
}

/**
 * Which segments a page shows and the links around it: the page index, the neighbours' first
 * and last segments (Alt+↓/↑ at a page's edge) and the next unconfirmed segment beyond this
 * page (Ctrl+Enter), each as `<path>?page=N&at=K`.
 */
export function taskPaging(task: Pick<TaskDoc, 'segments'>, wanted: number, path: string) {
  const total = task.segments.length;
  const pages = Math.max(1, Math.ceil(total / SEGMENTS_PER_PAGE));
  const page = Math.min(Math.max(1, wanted), pages);
  const start = (page - 1) * SEGMENTS_PER_PAGE;
  const end = Math.min(total, start + SEGMENTS_PER_PAGE);
  // `at`, not a `#seg-K` fragment: the browser would move the focus to the fragment's (hidden)
  // textarea after the workbench gave it to the segment's editor.
  const at = (i: number) => `${path}?page=${Math.floor(i / SEGMENTS_PER_PAGE) + 1}&at=${i}`;
  const open = (from: number, to: number) =>
    task.segments.slice(from, to).find((s) => !isConfirmed(statusOf(s)))?.i;
  // Beyond this page first, then from the task's start: the order Ctrl+Enter walks.
  const nextOpen = open(end, total) ?? open(0, start);
  return {
    page,
    pages,
    start,
    end,
    paged: pages > 1,
    links: Array.from({ length: pages }, (_, k) => ({
      n: k + 1,
      current: k + 1 === page,
      href: `${path}?page=${k + 1}`,
      // "101–200": which segments a page holds, as people count them.
      range: `${k * SEGMENTS_PER_PAGE + 1}–${Math.min(total, (k + 1) * SEGMENTS_PER_PAGE)}`,
    })),
    next: page < pages ? `${path}?page=${page + 1}` : undefined,
    nextPage: page < pages ? page + 1 : undefined,
    previousSegment: page > 1 ? at(start - 1) : undefined,
    nextSegment: page < pages ? at(end) : undefined,
    nextUnconfirmed: nextOpen === undefined ? undefined : at(nextOpen),
  };
}

export type TaskPaging = ReturnType<typeof taskPaging>;
