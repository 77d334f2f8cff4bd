/**
 * Local drafts: every keystroke is kept in the browser per task and segment until the server
 * confirms the text, so a reload, a crash, a lost network or an expired lease loses nothing.
 * One localStorage entry per task: `newsroom:draft:<taskId>` → { [segment]: Draft }.
 */
export interface Draft {
  /** The segment's source when the text was typed: drafts follow a segment into a new task by it. */
  source: string;
  target: string;
  confirmed: boolean;
  /** The note accepting QA warnings, when one was typed. */
  note?: string;
  /** The reply to the reviewer's comment, when one was typed. */
  reply?: string;
  /** The server's text the draft started from. */
  base: string;
  at: string;
}

const keyOf = (taskId: string) => `newsroom:draft:${taskId}`;

function storage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined; // storage disabled: autosave still works, drafts cannot
  }
}

export function readDrafts(taskId: string): Record<number, Draft> {
  const raw = storage()?.getItem(keyOf(taskId));
  if (!raw) return {};
  try {
    return JSON.parse(raw) as Record<number, Draft>;
  } catch {
    return {};
  }
}

function writeDrafts(taskId: string, drafts: Record<number, Draft>): void {
  const store = storage();
  if (!store) return;
  if (Object.keys(drafts).length === 0) store.removeItem(keyOf(taskId));
  else store.setItem(keyOf(taskId), JSON.stringify(drafts));
}

export function keepDraft(taskId: string, i: number, draft: Omit<Draft, 'at'>): void {
  const drafts = readDrafts(taskId);
  drafts[i] = { ...draft, at: new Date().toISOString() };
  writeDrafts(taskId, drafts);
}

/** Drops a segment's draft once the server holds exactly that text. */
export function settleDraft(
  taskId: string,
  i: number,
  saved: { target: string; confirmed: boolean; note: string; reply: string },
): void {
  const drafts = readDrafts(taskId);
  const d = drafts[i];
  if (!d || d.target !== saved.target || d.confirmed !== saved.confirmed) return;
  if ((d.note ?? '').trim() !== saved.note) return;
  if (d.reply !== undefined && d.reply.trim() !== saved.reply) return;
  delete drafts[i];
  writeDrafts(taskId, drafts);
}

export function dropDrafts(taskId: string): void {
  writeDrafts(taskId, {});
}
