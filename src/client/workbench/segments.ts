import {
  isConfirmed,
  SEGMENT_STATUSES,
  statusAfterSave,
  type SegmentStatus,
} from '../../shared/segment-state.js';

/** One segment row of the editor, with what the workbench reads from and writes to it. */
export interface SegmentRow {
  i: number;
  row: HTMLElement;
  source: string;
  /** The form field: holds the target in the placeholder form (`{1}…{/1}`) and its caret. */
  textarea: HTMLTextAreaElement;
  /** Where the translator types: the target editor once enhanced, the textarea before. */
  field: HTMLElement;
  confirm: HTMLInputElement | null;
  /** The markup behind the segment's inline codes (names them in QA messages). */
  tags: Record<string, string>;
  /** The translator's note accepting QA warnings (absent on read-only pages). */
  note: HTMLTextAreaElement | null;
  /** The translator's reply to the reviewer's comment (only on commented segments). */
  reply: HTMLTextAreaElement | null;
  /** The target, state, note and reply as the server last confirmed them. */
  saved: { target: string; status: SegmentStatus; note: string; reply: string };
}

/** Status labels in the page's language, read from the rendered badges' translations. */
export type Labels = Record<string, string>;

export function readRows(): SegmentRow[] {
  return [...document.querySelectorAll<HTMLElement>('tr[data-segment]')].flatMap((row) => {
    const textarea = row.querySelector<HTMLTextAreaElement>('textarea[name^="seg-"]');
    const note = row.querySelector<HTMLTextAreaElement>('textarea[name^="note-"]');
    const reply = row.querySelector<HTMLTextAreaElement>('textarea[name^="reply-"]');
    const sourceEl = row.querySelector<HTMLElement>('[data-source]');
    const source = sourceEl?.dataset.source;
    if (!textarea || source === undefined) return [];
    const status = (row.dataset.status ?? 'empty') as SegmentStatus;
    return [
      {
        i: Number(row.dataset.segment),
        row,
        source,
        textarea,
        field: textarea,
        confirm: row.querySelector<HTMLInputElement>('input[name^="confirm-"]'),
        note,
        reply,
        tags: parseTags(sourceEl?.dataset.codes),
        saved: {
          target: textarea.defaultValue,
          status,
          note: note?.defaultValue ?? '',
          reply: reply?.defaultValue ?? '',
        },
      },
    ];
  });
}

/** The state the row shows now: what the server has, moved by what the translator did since. */
export function currentStatus(r: SegmentRow): SegmentStatus {
  const confirmed = r.confirm ? r.confirm.checked : undefined;
  const wasConfirmed = isConfirmed(r.saved.status);
  return statusAfterSave(
    { target: r.saved.target, status: r.saved.status },
    r.textarea.value,
    confirmed === wasConfirmed && r.textarea.value === r.saved.target ? undefined : confirmed,
  );
}

/** Shows a state on the row: class for the colour, text in the badge, box ticked or not. */
export function showStatus(r: SegmentRow, status: SegmentStatus, labels: Labels): void {
  for (const s of SEGMENT_STATUSES) r.row.classList.toggle(`status-${s}`, s === status);
  r.row.dataset.status = status;
  const badge = r.row.querySelector<HTMLElement>('[data-status-label]');
  if (badge && labels[status]) badge.textContent = labels[status];
  if (r.confirm) r.confirm.checked = isConfirmed(status);
}

/**
 * The whole task's progress on a page that shows some of its segments: the total and the
 * confirmed segments of the other pages, as the server counted them.
 */
export interface Tally {
  total: number;
  otherPages: number;
}

/** The tally the page was rendered with: the bar counts the whole task, the rows this page. */
export function readTally(rows: SegmentRow[]): Tally {
  const bar = document.querySelector<HTMLProgressElement>('#task-progress');
  const here = rows.filter((r) => isConfirmed(r.saved.status)).length;
  return { total: bar ? bar.max : rows.length, otherPages: Math.max(0, (bar?.value ?? here) - here) };
}

/** Updates the progress bar and its "n of m confirmed" text (the whole task, not this page). */
export function showProgress(rows: SegmentRow[], template: string, tally: Tally): void {
  const confirmed = tally.otherPages + rows.filter((r) => isConfirmed(currentStatus(r))).length;
  const bar = document.querySelector<HTMLProgressElement>('#task-progress');
  if (bar) bar.value = confirmed;
  const label = document.querySelector<HTMLElement>('[data-progress-label]');
  if (label) {
    label.textContent = template
      .replace('{{confirmed}}', String(confirmed))
      .replace('{{total}}', String(tally.total));
  }
}

/**
 * Inserts text at the caret (replacing the selection, or everything) as if typed: listeners
 * see an input event, and the target editor shows the text and takes the focus.
 */
export function insertAtCaret(textarea: HTMLTextAreaElement, text: string, replaceAll = false): void {
  const [start, end] = replaceAll
    ? [0, textarea.value.length]
    : [textarea.selectionStart, textarea.selectionEnd];
  textarea.setRangeText(text, start, end, 'end');
  textarea.dispatchEvent(new Event('input', { bubbles: true }));
}

function parseTags(json: string | undefined): Record<string, string> {
  try {
    return JSON.parse(json ?? '{}') as Record<string, string>;
  } catch {
    return {};
  }
}
