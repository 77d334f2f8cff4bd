/**
 * The state of a segment in a translation task, shown by colour and text in the workbench and
 * counted in its progress bar. Shared by server (save, submit, review) and browser.
 *
 * - `empty`: nothing in the target yet (fuzzy matches are suggestions beside it, never in it)
 * - `pretranslated`: filled by a 100 % translation-memory match (or MT), not yet confirmed
 * - `edited`: the translator changed it, not yet confirmed
 * - `confirmed`: the translator confirmed it (submitting needs every segment confirmed)
 * - `rejected`: the reviewer sent it back with a comment
 * - `approved`: unchanged since the last approved translation, or approved by the reviewer
 */
export const SEGMENT_STATUSES = [
  'empty',
  'pretranslated',
  'edited',
  'confirmed',
  'rejected',
  'approved',
] as const;
export type SegmentStatus = (typeof SEGMENT_STATUSES)[number];

/** Where a segment's current target came from. */
export type SegmentOrigin = 'previous' | 'tm_exact' | 'tm_fuzzy' | 'mt' | 'translator' | 'reviewer' | 'none';

export interface StatefulSegment {
  target: string;
  status?: SegmentStatus;
  origin?: SegmentOrigin;
  needsWork?: boolean;
  comment?: string | null;
}

/**
 * The segment's state; tasks written before states existed derive it from origin and target,
 * so every stored task reads the same way.
 */
export function statusOf(seg: StatefulSegment): SegmentStatus {
  if (seg.status) return seg.status;
  if (seg.origin === 'previous' && seg.needsWork === false) return 'approved';
  if (seg.comment) return 'rejected';
  if (!seg.target.trim()) return 'empty';
  if (seg.origin === 'tm_exact' || seg.origin === 'mt') return 'pretranslated';
  return 'edited';
}

/** Counts as done for submission. */
export const isConfirmed = (status: SegmentStatus) => status === 'confirmed' || status === 'approved';

/** "n of m confirmed". */
export function progressOf(segments: StatefulSegment[]): { confirmed: number; total: number } {
  return {
    confirmed: segments.filter((s) => isConfirmed(statusOf(s))).length,
    total: segments.length,
  };
}

/**
 * The state after the translator saves a segment: a changed text is `edited` (or `confirmed`
 * when confirmed in the same save); confirming keeps the text's origin, so the reviewer still
 * sees that a TM or MT text went through unchanged.
 */
export function statusAfterSave(
  before: StatefulSegment,
  target: string,
  confirmed: boolean | undefined,
): SegmentStatus {
  const changed = target !== before.target;
  if (!target.trim()) return 'empty';
  if (confirmed === true) return 'confirmed';
  const current = statusOf(before);
  if (!changed && confirmed === undefined) return current;
  if (!changed && confirmed === false && isConfirmed(current)) {
    return before.origin === 'tm_exact' || before.origin === 'mt' ? 'pretranslated' : 'edited';
  }
  return changed ? 'edited' : current;
}

/** True for a segment whose target is a TM or MT text the translator never changed. */
export const unchangedMachineText = (seg: StatefulSegment) =>
  seg.origin === 'tm_exact' || seg.origin === 'mt';
