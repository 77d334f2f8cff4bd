/**
 * The translator workbench: progressive enhancement of the segment editor
 * (`templates/desk/task.hbs`). The page works without it; this module adds QA as the
 * translator types, with the very rules the server applies at submit (`src/shared/qa.ts`).
 */
import { runQa, type QaIssue } from '../shared/qa.js';

interface SegmentRow {
  i: number;
  source: string;
  textarea: HTMLTextAreaElement;
  live: HTMLElement;
}

function rows(): SegmentRow[] {
  return [...document.querySelectorAll<HTMLElement>('[data-segment]')].flatMap((row) => {
    const textarea = row.querySelector<HTMLTextAreaElement>('textarea');
    const source = row.querySelector<HTMLElement>('[data-source]')?.dataset.source;
    if (!textarea || source === undefined) return [];
    let live = row.querySelector<HTMLElement>('.qa-live');
    if (!live) {
      live = document.createElement('div');
      live.className = 'qa-live';
      live.setAttribute('aria-live', 'polite');
      textarea.insertAdjacentElement('afterend', live);
    }
    return [{ i: Number(row.dataset.segment), source, textarea, live }];
  });
}

/** Shows the segment's QA messages under its text area (errors first). */
function showIssues(row: SegmentRow, issues: QaIssue[]): void {
  row.live.replaceChildren(
    ...issues.map((issue) => {
      const p = document.createElement('p');
      p.className = `qa-${issue.severity}`;
      p.dataset.check = issue.check;
      p.textContent = issue.message;
      return p;
    }),
  );
}

function checkRow(row: SegmentRow): void {
  if (!row.textarea.value.trim()) return showIssues(row, []); // not started: nothing to report yet
  const report = runQa([{ i: row.i, source: row.source, target: row.textarea.value }]);
  showIssues(row, [...report.errors, ...report.warnings]);
}

function start(): void {
  const form = document.querySelector<HTMLFormElement>('#segment-form');
  if (!form) return;
  document.documentElement.classList.add('workbench');
  for (const row of rows()) {
    row.textarea.addEventListener('input', () => checkRow(row));
  }
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
