import { isConfirmed, type SegmentStatus } from '../../shared/segment-state.js';
import { callApi, type ApiResult, type ApiTask } from './api.js';
import { keepDraft, settleDraft } from './drafts.js';
import type { SegmentRow } from './segments.js';

export type SaveState = 'saved' | 'saving' | 'unsaved' | 'offline' | 'conflict' | 'lost';

export interface AutosaveHooks {
  /** The save state changed (for the indicator). */
  state(state: SaveState, detail?: string): void;
  /** The server answered with the task: new revision, lease, segment states. */
  saved(task: ApiTask): void;
  /** The server's text of a segment differs from what this page started from. */
  conflict(row: SegmentRow, theirs: string, revision: number): void;
  /** The task went on without us (someone else holds it, it closed): keep the text for copying. */
  lost(code: string, message: string, details?: Record<string, unknown>): void;
}

const DEBOUNCE_MS = 1_200;
const RETRY_MS = 10_000;

/**
 * Saves typed text to the server a moment after typing stops, on blur and before the page is
 * left, against the task revision the page holds; one request at a time. A stale revision
 * where nobody touched our segments (a lease renewal, a lease that ran out and was re-claimed)
 * is rebased and retried; a real conflict keeps the typed text and shows both versions.
 */
export class Autosaver {
  private readonly dirty = new Set<number>();
  private timer: number | undefined;
  private inFlight: Promise<void> | undefined;
  /** A heartbeat or give-back running between saves. */
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  lastServerWrite = Date.now();

  constructor(
    private readonly taskId: string,
    public revision: number,
    private readonly rows: Map<number, SegmentRow>,
    private readonly hooks: AutosaveHooks,
  ) {
    window.addEventListener('online', () => void this.flush());
  }

  get hasUnsaved(): boolean {
    return this.dirty.size > 0;
  }

  /** A segment changed: kept locally at once, saved after a pause. */
  touch(row: SegmentRow): void {
    keepDraft(this.taskId, row.i, {
      source: row.source,
      target: row.textarea.value,
      confirmed: row.confirm?.checked ?? false,
      ...(row.note ? { note: row.note.value } : {}),
      ...(row.reply ? { reply: row.reply.value } : {}),
      base: row.saved.target,
    });
    if (this.stopped) return;
    this.dirty.add(row.i);
    this.hooks.state('unsaved');
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => void this.flush(), DEBOUNCE_MS);
  }

  /** Saves what is dirty now; a call while a save runs queues one more. */
  async flush(opts: { keepalive?: boolean } = {}): Promise<void> {
    window.clearTimeout(this.timer);
    if (this.stopped || this.dirty.size === 0) return;
    if (this.inFlight) {
      this.again = true;
      return this.inFlight;
    }
    this.inFlight = this.send(opts).finally(() => {
      this.inFlight = undefined;
    });
    await this.inFlight;
    if (this.again) {
      this.again = false;
      await this.flush();
    }
  }

  /** Runs a request that needs the current revision (heartbeat, give back) between saves. */
  async exclusive(run: () => Promise<ApiResult>): Promise<ApiResult> {
    while (this.inFlight || this.running) await (this.inFlight ?? this.running);
    if (this.stopped) return { ok: false, status: 0, code: 'stopped', message: 'the page is being left' };
    const request = run();
    this.running = request.then(() => undefined);
    try {
      const result = await request;
      if (result.ok) this.accept(result.task, []);
      return result;
    } finally {
      this.running = undefined;
    }
  }

  /** A save, heartbeat or give-back is running: its answer will change the task's revision. */
  get busy(): boolean {
    return Boolean(this.inFlight || this.running);
  }

  /** Saves what is dirty and waits for any request still running (a save, a heartbeat). */
  async settle(): Promise<void> {
    await this.flush();
    while (this.inFlight || this.running) await (this.inFlight ?? this.running);
  }

  private async send(opts: { keepalive?: boolean }): Promise<void> {
    const sent = [...this.dirty].flatMap((i) => {
      const row = this.rows.get(i);
      return row
        ? [
            {
              i,
              target: row.textarea.value,
              confirmed: row.confirm?.checked ?? false,
              note: row.note?.value,
              reply: row.reply?.value,
            },
          ]
        : [];
    });
    if (sent.length === 0) return;
    this.hooks.state('saving');
    const result = await callApi(
      'PUT',
      `/tasks/${encodeURIComponent(this.taskId)}/segments`,
      { baseRevision: this.revision, segments: sent },
      opts,
    );
    if (result.ok) {
      this.accept(result.task, sent);
      return;
    }
    if (result.code === 'offline') {
      this.hooks.state('offline');
      this.timer = window.setTimeout(() => void this.flush(), RETRY_MS);
      return;
    }
    const current = (result.details?.task as ApiTask | undefined) ?? undefined;
    if (result.code === 'stale_revision' && current) {
      if (this.rebase(current)) {
        this.again = true; // nobody touched our segments: retry on the current revision
        return;
      }
      this.hooks.state('conflict');
      return;
    }
    if (result.status === 409 || result.status === 403 || result.status === 404) {
      this.stopped = true;
      this.hooks.state('lost', result.message);
      this.hooks.lost(result.code, result.message, result.details);
      return;
    }
    this.hooks.state('offline', result.message); // 5xx, 429: the text stays local, retry later
    this.timer = window.setTimeout(() => void this.flush(), RETRY_MS);
  }

  /** Takes the server's answer: revision, saved texts, drafts the server now holds. */
  private accept(
    task: ApiTask,
    sent: { i: number; target: string; confirmed: boolean; note?: string; reply?: string }[],
  ): void {
    this.revision = task.revision;
    this.lastServerWrite = Date.now();
    for (const s of sent) {
      const row = this.rows.get(s.i);
      const server = task.segments[s.i];
      if (!row || !server) continue;
      const note = server.qaNote ?? '';
      const reply = server.reply ?? '';
      row.saved = { target: server.target, status: server.status as SegmentStatus, note, reply };
      settleDraft(this.taskId, s.i, {
        target: server.target,
        confirmed: isConfirmed(server.status as SegmentStatus),
        note,
        reply,
      });
      const same =
        row.textarea.value === server.target &&
        (row.confirm?.checked ?? false) === s.confirmed &&
        (row.note?.value.trim() ?? '') === note &&
        (row.reply?.value.trim() ?? '') === reply;
      if (same) this.dirty.delete(s.i);
    }
    this.hooks.saved(task);
    this.hooks.state(this.dirty.size ? 'unsaved' : 'saved');
  }

  /**
   * Adopts a newer revision when the server's text of every dirty segment is still the one
   * this page started from; otherwise reports each conflicting segment and returns false.
   */
  private rebase(current: ApiTask): boolean {
    let clean = true;
    for (const i of this.dirty) {
      const row = this.rows.get(i);
      const theirs = current.segments[i]?.target;
      if (!row || theirs === undefined || theirs === row.saved.target) continue;
      if (theirs === row.textarea.value) {
        row.saved = { ...row.saved, target: theirs }; // the server already has our text (an earlier save)
        continue;
      }
      clean = false;
      this.hooks.conflict(row, theirs, current.revision);
    }
    if (clean) this.revision = current.revision;
    return clean;
  }

  /** The translator chose their own text over the server's: save it on the current revision. */
  keepMine(row: SegmentRow, theirs: string, revision: number): void {
    row.saved = { ...row.saved, target: theirs };
    this.revision = revision;
    this.dirty.add(row.i);
    void this.flush();
  }
}
