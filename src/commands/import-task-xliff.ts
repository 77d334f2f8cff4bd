import type { AppContext } from '../context.js';
import { AppError, badRequest, conflict } from '../errors.js';
import {
  parseXliff,
  sameSource,
  sourceHashOf,
  targetHashOf,
  unitId,
  XliffError,
  type XliffUnitIn,
} from '../exchange/xliff.js';
import type { TaskDoc } from '../models/translation-task.js';
import type { Actor } from '../policies/actor.js';
import { assertPair, assertRole } from '../policies/task-policy.js';
import { balanced, placeholdersOf } from '../shared/inline-codes.js';
import { isConfirmed, statusOf } from '../shared/segment-state.js';
import { requireAnyTask } from '../workflow/task-store.js';
import { saveTaskSegments, type SaveSegmentsInput } from './save-task-segments.js';

export interface SegmentProblem {
  unit: string;
  line: number;
  code: 'unknown_unit' | 'duplicate_unit' | 'source_changed' | 'codes_unknown' | 'codes_broken';
  message: string;
}

export interface XliffConflict {
  unit: string;
  line: number;
  /** What the task holds now (changed in the browser since the export, or confirmed). */
  current: string;
  file: string;
}

export interface XliffImportResult {
  task: TaskDoc;
  updated: number;
  confirmed: number;
  unchanged: number;
}

const primary = (tag: string | undefined) => tag?.toLowerCase().split(/[-_]/)[0];

/**
 * Brings a task translated in a CAT tool back: the file must be this task's (id, languages),
 * every unit one of its segments with the same source (hash and text) and sound inline codes
 * — else nothing is written and every problem is listed. A segment whose text in the task
 * changed since the export (or, for a file without our hashes, is confirmed) and differs in the
 * file is a conflict: nothing is written unless `overwrite` says to take the file's text. The
 * edits then go through the same save as the browser's (revision compare-and-set, states,
 * lease), so a task edited in a file ends as one typed in the workbench.
 */
export async function importTaskXliff(
  ctx: AppContext,
  actor: Actor,
  taskId: string,
  text: string,
  opts: { overwrite?: boolean } = {},
): Promise<XliffImportResult> {
  assertRole(actor, 'translator');
  const task = await requireAnyTask(taskId);
  assertPair(actor, task.pair); // authorise before the file is read
  let doc;
  try {
    doc = parseXliff(text);
  } catch (err) {
    if (err instanceof XliffError)
      throw badRequest('xliff_invalid', `Not a readable XLIFF file: ${err.message}`);
    throw err;
  }
  if (doc.taskId !== task._id) {
    throw badRequest(
      'xliff_wrong_task',
      `This file is for task ${doc.taskId ?? '(none named)'}, not ${task._id}; export the task again and translate that file`,
    );
  }
  if (
    (doc.trgLang && primary(doc.trgLang) !== task.to) ||
    (doc.srcLang && primary(doc.srcLang) !== task.from)
  ) {
    throw badRequest(
      'xliff_wrong_language',
      `This file translates ${doc.srcLang ?? '?'} → ${doc.trgLang ?? '?'}; the task is ${task.from} → ${task.to}`,
    );
  }

  const byId = new Map(task.segments.map((s) => [unitId(s.i), s]));
  const seen = new Set<string>();
  const problems: SegmentProblem[] = [];
  const conflicts: XliffConflict[] = [];
  const changes: SaveSegmentsInput['segments'] = [];
  let unchanged = 0;
  for (const u of doc.units) {
    const seg = byId.get(u.id);
    const problem = (code: SegmentProblem['code'], message: string) =>
      problems.push({ unit: u.id, line: u.line, code, message });
    if (!seg) {
      problem('unknown_unit', `Unit ${u.id} is not a segment of this task`);
      continue;
    }
    if (seen.has(u.id)) {
      problem('duplicate_unit', `Unit ${u.id} appears twice`);
      continue;
    }
    seen.add(u.id);
    if ((u.sourceHash && u.sourceHash !== sourceHashOf(seg.source)) || !sameSource(u.source, seg.source)) {
      problem('source_changed', `The source of unit ${u.id} is not the task's: «${seg.source}»`);
      continue;
    }
    if (u.target === null) continue;
    const codeProblem = checkCodes(seg.source, u);
    if (codeProblem) {
      problem(codeProblem.code, codeProblem.message);
      continue;
    }
    const status = statusOf(seg);
    const confirmed = u.confirmed && u.target.trim() !== '';
    if (u.target === seg.target) {
      // The same text: only a confirmation is taken over (never a confirmation taken back).
      if (confirmed && !isConfirmed(status)) changes.push({ i: seg.i, target: seg.target, confirmed: true });
      else unchanged++;
      continue;
    }
    const changedSinceExport = u.targetHash ? u.targetHash !== targetHashOf(seg.target) : isConfirmed(status);
    if (changedSinceExport && seg.target.trim() && !opts.overwrite) {
      conflicts.push({ unit: u.id, line: u.line, current: seg.target, file: u.target });
      continue;
    }
    changes.push({ i: seg.i, target: u.target, confirmed });
  }
  const sourceChanged = problems.filter((p) => p.code === 'source_changed');
  if (sourceChanged.length) {
    throw conflict(
      'xliff_source_changed',
      `${sourceChanged.length} segment(s) of the file have another source than the task (the story was edited?); nothing was imported`,
      { problems },
    );
  }
  if (problems.length) {
    throw new AppError(
      422,
      'xliff_invalid_segments',
      `${problems.length} unit(s) cannot be imported; nothing was imported`,
      {
        problems,
      },
    );
  }
  if (conflicts.length) {
    throw conflict(
      'xliff_conflict',
      `${conflicts.length} segment(s) were changed or confirmed in the newsroom since this file was exported; nothing was imported (import again with overwrite to take the file's text)`,
      { conflicts },
    );
  }
  if (changes.length === 0) return { task, updated: 0, confirmed: 0, unchanged };
  const saved = await saveTaskSegments(ctx, actor, task._id, {
    baseRevision: task.revision,
    segments: changes,
  });
  return {
    task: saved,
    updated: changes.filter((c) => c.target !== task.segments[c.i].target).length,
    confirmed: changes.filter((c) => c.confirmed).length,
    unchanged,
  };
}

/** The target's codes must be the source's, each at most once, and properly nested. */
function checkCodes(source: string, u: XliffUnitIn): Pick<SegmentProblem, 'code' | 'message'> | null {
  if (u.codeErrors.length)
    return { code: 'codes_unknown', message: `Unit ${u.id}: ${u.codeErrors.join('; ')}` };
  const allowed = new Set(placeholdersOf(source));
  const codes = placeholdersOf(u.target ?? '');
  const unknown = codes.filter((c) => !allowed.has(c));
  if (unknown.length) {
    return {
      code: 'codes_unknown',
      message: `Unit ${u.id}: the codes ${unknown.join(' ')} are not in the source`,
    };
  }
  if (new Set(codes).size !== codes.length || !balanced(codes)) {
    return { code: 'codes_broken', message: `Unit ${u.id}: inline codes repeated or not properly nested` };
  }
  return null;
}
