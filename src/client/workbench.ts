/**
 * The translator workbench: progressive enhancement of the segment editor
 * (`templates/desk/task.hbs`). The page works without it; this module adds what
 * professionals expect: a target editor showing inline codes as labelled tokens
 * (`workbench/target-editor.ts`), QA as they type with the server's own rules
 * (`src/shared/qa.ts`), segment states and progress, suggestions inserted by click or Alt+1…3,
 * autosave with a local draft of every keystroke, lease heartbeat and countdown, and keyboard
 * navigation. The segment's textarea stays the form field and the one place its text lives.
 */
import { codeDifference, missingCodes } from '../shared/inline-codes.js';
import { runQa, type QaIssue } from '../shared/qa.js';
import { isConfirmed, type SegmentStatus } from '../shared/segment-state.js';
import { callApi, type ApiTask } from './workbench/api.js';
import { Autosaver, type SaveState } from './workbench/autosave.js';
import { readDrafts, type Draft } from './workbench/drafts.js';
import { TargetEditor } from './workbench/target-editor.js';
import { enableSourceTokens, renderParts, type TokenStrings } from './workbench/tokens.js';
import {
  currentStatus,
  insertAtCaret,
  readRows,
  readTally,
  showProgress,
  showStatus,
  type SegmentRow,
} from './workbench/segments.js';

interface Strings extends TokenStrings {
  status: Record<string, string>;
  progress: string;
  save: Record<SaveState, string>;
  restored: Record<string, string>;
  restoredPrevious: string;
  lease: { left: string; warning: string; expired: string };
  conflict: { theirs: string; keepMine: string; takeTheirs: string };
  lost: string;
  copy: string;
  qaAccepted: string;
  codeMismatch: { missing: string; extra: string };
}

function start(): void {
  const form = document.querySelector<HTMLFormElement>('#segment-form');
  if (!form?.dataset.strings) return;
  const strings = JSON.parse(form.dataset.strings) as Strings;
  const taskId = form.dataset.task!;
  const editable = form.hasAttribute('data-editable');
  const langs = { from: form.dataset.from, to: form.dataset.to };
  const rows = readRows();
  const byIndex = new Map(rows.map((r) => [r.i, r]));
  // A long task shows one page of segments; progress still counts the whole task.
  const tally = readTally(rows);
  document.documentElement.classList.add('workbench');
  // The workbench saves by itself; the generic "unsaved changes" prompt would only be noise.
  form.removeAttribute('data-unsaved-warning');

  const indicator = document.createElement('p');
  indicator.className = 'save-state';
  indicator.setAttribute('role', 'status');
  form.prepend(indicator);
  const notices = document.createElement('div');
  notices.className = 'workbench-notices';
  form.before(notices);
  const notice = (text: string, kind: 'ok' | 'error' = 'ok') => {
    const p = document.createElement('p');
    p.className = `flash flash-${kind}`;
    p.setAttribute('role', kind === 'error' ? 'alert' : 'status');
    p.textContent = text;
    notices.append(p);
    return p;
  };

  const refresh = (r: SegmentRow) => {
    showStatus(r, currentStatus(r), strings.status);
    showProgress(rows, strings.progress, tally);
  };
  const checkQa = (r: SegmentRow) => {
    const live = liveRegion(r);
    const report = r.textarea.value.trim()
      ? runQa([{ i: r.i, source: r.source, target: r.textarea.value, tags: r.tags }], [], langs)
      : { errors: [], warnings: [] };
    const accepted = Boolean(r.note?.value.trim());
    live.replaceChildren(
      ...report.errors.map((x) => issueElement(x, r, strings)),
      ...report.warnings.map((x) => issueElement(x, r, strings, accepted ? strings.qaAccepted : undefined)),
    );
    // Warnings can be accepted with a note for the reviewer; errors must be fixed.
    const noteBox = r.note?.closest<HTMLElement>('.qa-note');
    if (noteBox) noteBox.hidden = report.warnings.length === 0 && !r.note?.value.trim();
  };

  const saver = new Autosaver(taskId, Number(form.dataset.revision), byIndex, {
    state: (state, detail) => {
      indicator.dataset.state = state;
      indicator.textContent = strings.save[state] + (detail ? ` — ${detail}` : '');
    },
    saved: (task) => adopt(task),
    conflict: (row, theirs, revision) => showConflict(row, theirs, revision),
    lost: (_code, message, details) => showLost(message, details),
  });
  const baseRevision = form.querySelector<HTMLInputElement>('input[name="baseRevision"]');
  const adopt = (task: ApiTask) => {
    if (baseRevision) baseRevision.value = String(task.revision);
    lease.expiresAt = task.leaseExpiresAt ? Date.parse(task.leaseExpiresAt) : undefined;
    lease.render();
    for (const r of rows) if (!saver.hasUnsaved) showStatus(r, currentStatus(r), strings.status);
    tally.otherPages = task.segments.filter(
      (s) => !byIndex.has(s.i) && isConfirmed(s.status as SegmentStatus),
    ).length;
    showProgress(rows, strings.progress, tally);
  };

  // Restore what this browser typed and the server does not have yet.
  if (editable) restoreDrafts();
  for (const r of rows) {
    r.field = new TargetEditor(r.textarea, r.tags, strings).element;
    if (r.textarea.value.trim() || r.note?.value.trim()) checkQa(r);
    if (!editable) continue;
    enableSourceTokens(r);
    r.textarea.addEventListener('input', () => {
      refresh(r);
      checkQa(r);
      saver.touch(r);
    });
    r.field.addEventListener('blur', () => void saver.flush());
    r.note?.addEventListener('input', () => {
      checkQa(r);
      saver.touch(r);
    });
    r.note?.addEventListener('blur', () => void saver.flush());
    r.reply?.addEventListener('input', () => saver.touch(r));
    r.reply?.addEventListener('blur', () => void saver.flush());
    r.field.addEventListener('focus', () => activate(r));
    r.confirm?.addEventListener('change', () => {
      refresh(r);
      saver.touch(r);
      void saver.flush();
    });
    for (const button of r.row.querySelectorAll<HTMLButtonElement>('[data-insert-suggestion]')) {
      button.hidden = false;
      button.addEventListener('click', () => insertSuggestion(r, Number(button.dataset.insertSuggestion)));
    }
  }
  indicator.dataset.state = saver.hasUnsaved ? 'unsaved' : 'saved';
  indicator.textContent = strings.save[saver.hasUnsaved ? 'unsaved' : 'saved'];
  if (saver.hasUnsaved) void saver.flush();

  // Save before the page goes: a form post, a link, closing the tab.
  // The form carries the revision the page holds: wait for a save or heartbeat still running
  // (its answer updates that revision), and send no heartbeat once the post is on its way.
  let leaving = false;
  form.addEventListener('submit', (event) => {
    if ((!saver.hasUnsaved && !saver.busy) || form.dataset.flushed) {
      leaving = true;
      return;
    }
    event.preventDefault();
    const submitter = (event as SubmitEvent).submitter as HTMLButtonElement | null;
    void saver.settle().then(() => {
      form.dataset.flushed = '1';
      form.requestSubmit(submitter ?? undefined);
    });
  });
  window.addEventListener('pagehide', () => void saver.flush({ keepalive: true }));
  window.addEventListener('beforeunload', (event) => {
    if (!saver.hasUnsaved) return;
    void saver.flush({ keepalive: true });
    event.preventDefault(); // the draft is kept locally either way; the prompt gives the save time
  });

  const lease = leaseClock(
    strings,
    () => activeRecently(),
    () => heartbeat(),
  );
  let lastActivity = 0;
  const activeRecently = () => Date.now() - lastActivity < 120_000;
  form.addEventListener('input', () => (lastActivity = Date.now()));
  form.addEventListener('keydown', () => (lastActivity = Date.now()));
  const heartbeat = async () => {
    if (!editable || leaving) return;
    if (saver.hasUnsaved) return saver.flush(); // a save renews the lease too
    await saver.exclusive(() =>
      callApi('POST', `/tasks/${encodeURIComponent(taskId)}/heartbeat`, { baseRevision: saver.revision }),
    );
  };

  let active: SegmentRow | undefined;
  function activate(r: SegmentRow) {
    active?.row.classList.remove('active');
    active = r;
    r.row.classList.add('active');
  }

  function insertSuggestion(r: SegmentRow, n: number) {
    const text = r.row.querySelector<HTMLElement>(`[data-suggestion="${n}"] .suggestion-target`)?.textContent;
    if (text !== null && text !== undefined) insertAtCaret(r.textarea, text, true);
  }

  function focusRow(r: SegmentRow) {
    r.field.focus();
    r.row.scrollIntoView({ block: 'nearest' });
  }

  /** Opens another page of a long task at a segment, once what was typed here is saved. */
  async function openElsewhere(href: string) {
    leaving = true;
    await saver.settle(); // should the save fail, the local draft and the unload prompt remain
    window.location.assign(href);
  }

  /**
   * Moves the focus to the next (step 1) or previous (-1) segment that matches: the rest of
   * this page first; past its edge, `beyond` (another page's segment, `?page=N&at=K`) when
   * there is one, else round to this page's other end.
   */
  function move(
    from: SegmentRow | undefined,
    step: 1 | -1,
    predicate: (r: SegmentRow) => boolean = () => true,
    beyond?: string,
  ) {
    const at = from ? rows.indexOf(from) : -1;
    const ahead = step > 0 ? rows.slice(at + 1) : (at < 0 ? [...rows] : rows.slice(0, at)).reverse();
    const behind = step > 0 ? rows.slice(0, at + 1) : at < 0 ? [] : rows.slice(at).reverse();
    const next = ahead.find(predicate);
    if (next) return focusRow(next);
    if (beyond) return void openElsewhere(beyond);
    const round = behind.find(predicate);
    if (round) focusRow(round);
  }

  // Arrived from another page at a segment (`?page=N&at=K`): its editor takes the focus.
  const arrived = new URLSearchParams(window.location.search).get('at');
  const arrivedAt = arrived ? byIndex.get(Number(arrived)) : undefined;
  if (editable && arrivedAt) focusRow(arrivedAt);

  if (editable) {
    document.addEventListener('keydown', (event) => {
      const r = rows.find((x) => x.field === document.activeElement) ?? active;
      if (event.key === 'F1' || (event.ctrlKey && event.key === '/')) {
        event.preventDefault();
        toggleHelp();
        return;
      }
      if (!r) return;
      if (event.ctrlKey && event.key === 'Enter') {
        event.preventDefault();
        if (r.confirm && r.textarea.value.trim()) {
          r.confirm.checked = true;
          r.confirm.dispatchEvent(new Event('change'));
        }
        move(r, 1, (x) => !isConfirmed(currentStatus(x)), form.dataset.nextUnconfirmed);
      } else if ((event.altKey || event.ctrlKey) && !event.shiftKey && event.key === 'ArrowDown') {
        event.preventDefault();
        move(r, 1, undefined, form.dataset.nextSegment);
      } else if ((event.altKey || event.ctrlKey) && !event.shiftKey && event.key === 'ArrowUp') {
        event.preventDefault();
        move(r, -1, undefined, form.dataset.previousSegment);
      } else if (event.ctrlKey && event.shiftKey && event.key === 'Insert') {
        event.preventDefault();
        insertAtCaret(r.textarea, r.source, true);
      } else if (event.altKey && !event.ctrlKey && /^Digit[1-3]$/.test(event.code)) {
        event.preventDefault();
        insertSuggestion(r, Number(event.code.slice(5)));
      } else if (event.ctrlKey && event.shiftKey && /^Digit[0-9]$/.test(event.code)) {
        event.preventDefault();
        const next = missingCodes(r.source, r.textarea.value)[0];
        if (next) insertAtCaret(r.textarea, next);
      }
    });
  }

  function toggleHelp() {
    const help = document.querySelector<HTMLDialogElement>('#workbench-help');
    if (!help) return;
    if (help.open) help.close();
    else help.showModal();
  }

  function restoreDrafts() {
    let restored = 0;
    const apply = (r: SegmentRow, d: Draft) => {
      // Compared with what the server sent (the browser may have refilled the field on reload).
      const sameNote = d.note === undefined || d.note.trim() === r.saved.note;
      const sameReply = d.reply === undefined || d.reply.trim() === r.saved.reply;
      const sameState = d.target === r.saved.target && d.confirmed === isConfirmed(r.saved.status);
      if (sameState && sameNote && sameReply) return;
      r.textarea.value = d.target;
      if (r.note && d.note !== undefined) r.note.value = d.note;
      if (r.reply && d.reply !== undefined) r.reply.value = d.reply;
      if (r.confirm) r.confirm.checked = d.confirmed && d.target.trim() !== '';
      refresh(r);
      saver.touch(r);
      restored++;
    };
    for (const [i, d] of Object.entries(readDrafts(taskId))) {
      const r = byIndex.get(Number(i));
      if (r && r.source === d.source) apply(r, d);
    }
    if (restored) {
      const forms = strings.restored;
      const form = forms[new Intl.PluralRules(document.documentElement.lang).select(restored)] ?? forms.other;
      notice((form ?? '').replace('{{count}}', String(restored)));
    }
    // Drafts typed in the task this one replaced (the source was edited): same source, same text.
    const previous = form!.dataset.previousTask;
    if (!previous) return;
    let carried = 0;
    for (const d of Object.values(readDrafts(previous))) {
      const r = rows.find((x) => x.source === d.source);
      if (!r || r.saved.target === d.target) continue;
      if (r.saved.target !== d.base && r.saved.target !== '') continue; // the server has newer text
      const before = restored;
      apply(r, d);
      if (restored > before) carried++;
    }
    if (carried) notice(strings.restoredPrevious.replace('{{count}}', String(carried)));
  }

  function showConflict(row: SegmentRow, theirs: string, revision: number) {
    row.row.querySelector('.conflict')?.remove();
    const box = document.createElement('div');
    box.className = 'conflict';
    box.setAttribute('role', 'alert');
    const label = document.createElement('p');
    label.textContent = strings.conflict.theirs;
    const text = document.createElement('p');
    text.className = 'theirs';
    text.lang = row.textarea.lang;
    text.append(...renderParts(theirs, row.tags, strings)); // codes as the tokens the editor shows
    const mine = button(strings.conflict.keepMine, () => {
      box.remove();
      saver.keepMine(row, theirs, revision);
    });
    const take = button(strings.conflict.takeTheirs, () => {
      box.remove();
      insertAtCaret(row.textarea, theirs, true); // shown in the editor as if typed
      saver.keepMine(row, theirs, revision);
      refresh(row);
    });
    box.append(label, text, mine, take);
    row.field.insertAdjacentElement('afterend', box);
  }

  function showLost(message: string, details?: Record<string, unknown>) {
    const successor = typeof details?.successor === 'string' ? details.successor : undefined;
    if (successor) {
      // The source was edited: the new task is ours; the drafts follow it by their source text.
      window.location.assign(`/desk/tasks/${encodeURIComponent(successor)}`);
      return;
    }
    const box = notice(`${strings.lost} ${message}`, 'error');
    const copy = document.createElement('textarea');
    copy.readOnly = true;
    copy.rows = 6;
    copy.setAttribute('aria-label', strings.copy);
    copy.value = rows
      .filter((r) => r.textarea.value !== r.saved.target || saver.hasUnsaved)
      .map((r) => `${r.i + 1}. ${r.textarea.value}`)
      .join('\n');
    box.after(copy);
  }
}

function button(text: string, onClick: () => void): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'secondary';
  b.textContent = text;
  b.addEventListener('click', onClick);
  return b;
}

function liveRegion(r: SegmentRow): HTMLElement {
  let live = r.row.querySelector<HTMLElement>('.qa-live');
  if (!live) {
    live = document.createElement('div');
    live.className = 'qa-live';
    live.setAttribute('aria-live', 'polite');
    r.row.querySelectorAll('.qa-error, .qa-warning').forEach((p) => p.remove()); // the server's, now stale
    const noteBox = r.row.querySelector('.qa-note');
    if (noteBox) noteBox.before(live);
    else r.textarea.parentElement!.append(live);
  }
  return live;
}

function issueElement(issue: QaIssue, r: SegmentRow, strings: Strings, accepted?: string): HTMLElement {
  const p = document.createElement('p');
  p.className = `qa-${issue.severity}${accepted ? ' qa-accepted' : ''}`;
  p.dataset.check = issue.check;
  if (issue.check === 'placeholder_mismatch') p.append(...codeMismatch(r, strings));
  else p.textContent = accepted ? `${issue.message} — ${accepted}` : issue.message;
  return p;
}

/** Which inline codes are missing or extra, named in the desk language and shown as the tokens they are. */
function codeMismatch(r: SegmentRow, strings: Strings): Node[] {
  const { missing, extra } = codeDifference(r.source, r.textarea.value);
  const sentence = (template: string, codes: string[]) => {
    const [before = '', after = ''] = template.split('{{codes}}');
    return [before, ...renderParts(codes.join(' '), r.tags, strings), after];
  };
  return [
    ...(missing.length ? sentence(strings.codeMismatch.missing, missing) : []),
    ...(missing.length && extra.length ? [' '] : []),
    ...(extra.length ? sentence(strings.codeMismatch.extra, extra) : []),
  ].map((x) => (typeof x === 'string' ? document.createTextNode(x) : x));
}

/** The lease countdown, its warning, and the heartbeat while the translator is active. */
function leaseClock(strings: Strings, active: () => boolean, beat: () => Promise<void>) {
  const time = document.querySelector<HTMLTimeElement>('[data-lease-expires]');
  const out = document.createElement('span');
  out.className = 'lease-left';
  out.setAttribute('aria-live', 'polite');
  time?.after(' ', out);
  const state = {
    expiresAt: time?.dataset.leaseExpires ? Date.parse(time.dataset.leaseExpires) : undefined,
    leaseMs: 0,
    warned: false,
    render() {
      if (state.expiresAt === undefined) return (out.textContent = '');
      const left = state.expiresAt - Date.now();
      state.leaseMs = Math.max(state.leaseMs, left);
      const minutes = Math.max(0, Math.ceil(left / 60_000));
      if (left <= 0) {
        out.className = 'lease-left lease-warning';
        out.textContent = strings.lease.expired;
      } else if (left < Math.min(120_000, state.leaseMs / 3 + 1)) {
        out.className = 'lease-left lease-warning';
        out.textContent = strings.lease.warning.replace('{{minutes}}', String(minutes));
      } else {
        out.className = 'lease-left';
        out.textContent = strings.lease.left.replace('{{minutes}}', String(minutes));
      }
      if (time && state.expiresAt) {
        time.dateTime = new Date(state.expiresAt).toISOString();
        time.textContent = new Date(state.expiresAt).toLocaleTimeString();
      }
    },
  };
  state.render();
  window.setInterval(() => {
    state.render();
    const left = (state.expiresAt ?? 0) - Date.now();
    // Renew while the translator works: when a third of the lease is left (or it ran out).
    if (state.expiresAt !== undefined && active() && left < state.leaseMs / 3) void beat();
  }, 5_000);
  return state;
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
