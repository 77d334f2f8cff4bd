import mongoose from 'mongoose';
import type { QaReport } from '../shared/qa.js';
import type { SegmentOrigin, SegmentStatus } from '../shared/segment-state.js';
import type { DiffPart, MatchBand, Penalty } from '../workflow/tm/tm-score.js';
import type { SegmentField, SegmentRole } from '../workflow/segmenter.js';

export const OPEN_TASK_STATES = ['open', 'in_progress', 'submitted', 'in_review', 'approved'] as const;
export const FINAL_TASK_STATES = ['published', 'cancelled', 'superseded'] as const;
export type OpenTaskState = (typeof OPEN_TASK_STATES)[number];
export type TaskState = OpenTaskState | (typeof FINAL_TASK_STATES)[number];

/**
 * A suggestion for a segment: a translation-memory match or a machine translation. Fields
 * past `score` are optional so that suggestions stored before they existed still read.
 */
export interface Suggestion {
  source: string;
  target: string;
  /** 1.01 for a context match, 1 for an exact match, else the fuzzy score (≥ 0.75); MT ≤ 0.7. */
  score: number;
  /** `tm` (also when absent) or `mt`: machine translation, never pre-filled. */
  kind?: 'tm' | 'mt';
  /** Score band: '101', '100', '95-99', '85-94', '75-84'; absent for MT. */
  band?: MatchBand;
  /** Points taken off a fuzzy match for differing numbers, inline codes, case or spacing. */
  penalties?: Penalty[];
  /** Word diff from the memory's source to the current source (fuzzy matches). */
  diff?: DiffPart[];
  /** The memory entry's id (links the TM screen) and the story it was translated in. */
  entryId?: string;
  story?: string;
  /** For MT: the provider's name, and the language the text was translated from (pivot). */
  provider?: string;
  from?: string;
  /** When the pair was approved, and in which task: shown beside the suggestion. */
  at?: Date | string;
  task?: string;
}

export interface TaskSegment {
  i: number;
  field: SegmentField;
  /** Body segments: heading, list item, caption, image alt… (absent on older tasks). */
  role?: SegmentRole;
  source: string;
  tags: Record<string, string>;
  target: string;
  /** Where the current target came from (a TM/MT text keeps its origin until it is changed). */
  origin: SegmentOrigin;
  /** Shown by colour and text; absent on tasks written before states existed (see `statusOf`). */
  status?: SegmentStatus;
  /** False for segments unchanged since the last approved translation (no work needed). */
  needsWork: boolean;
  /** For a segment whose source changed since the last approved translation. */
  changed?: { oldSource: string; oldTarget: string };
  suggestions: Suggestion[];
  /** The reviewer's note when the task was sent back. */
  comment?: string;
  /** The translator's note accepting the segment's QA warnings; the reviewer sees it. */
  qaNote?: string;
  /** The reviewer corrected the target directly: who, when, and the translator's text before it. */
  correction?: SegmentCorrection;
  /** The reviewer's comments and the translator's replies on this segment, oldest first. */
  thread?: SegmentMessage[];
  /** The translator's reply to the reviewer's comment, being written; sent with the next submission. */
  reply?: string;
}

export interface SegmentCorrection {
  by: string;
  at: Date;
  /** The translator's text, kept when the reviewer replaced it (the first one, if corrected twice). */
  previous: string;
}

/** One message about a segment: a reviewer's comment when sending back, or the translator's reply. */
export interface SegmentMessage {
  kind: 'comment' | 'reply';
  by: string;
  at: Date;
  text: string;
}

export interface TaskHistoryEntry {
  at: Date;
  by: string;
  from: TaskState | null;
  to: TaskState;
  note?: string;
  /** Segments the reviewer corrected in this change. */
  corrected?: number[];
  /** Segments the translator replied on (sent with a submission). */
  replied?: number[];
}

/** One translation of one story into one language, from its pivot language. */
export interface TaskDoc {
  _id: string;
  story: string;
  /** `<from>:<to>`, e.g. `ru:en`. */
  pair: string;
  from: string;
  to: string;
  sourceRelease: string;
  sourceRevision: number;
  sourceContentHash: string;
  state: TaskState;
  /** 0–9, higher first. */
  priority: number;
  dueAt?: Date | null;
  /** Bumped by every change; a write based on an older one answers 409. */
  revision: number;
  assignee?: string | null;
  translator?: string | null;
  reviewer?: string | null;
  leaseGeneration: number;
  leaseExpiresAt?: Date | null;
  skeleton: string;
  segments: TaskSegment[];
  qa?: (QaReport & { at: Date; revision: number }) | null;
  /** The task this one replaced (an earlier source revision), if any. */
  previousTask?: string | null;
  history: TaskHistoryEntry[];
  createdAt: Date;
  updatedAt: Date;
}

const taskSchema = new mongoose.Schema(
  {
    _id: { type: String, required: true },
    story: { type: String, required: true },
    pair: { type: String, required: true },
    from: { type: String, required: true },
    to: { type: String, required: true },
    sourceRelease: { type: String, required: true },
    sourceRevision: { type: Number, required: true },
    sourceContentHash: { type: String, required: true },
    state: { type: String, required: true },
    priority: { type: Number, default: 5 },
    dueAt: { type: Date },
    revision: { type: Number, required: true },
    assignee: String,
    translator: String,
    reviewer: String,
    leaseGeneration: { type: Number, default: 0 },
    leaseExpiresAt: Date,
    skeleton: { type: String, default: '' },
    segments: { type: [mongoose.Schema.Types.Mixed], default: [] },
    qa: mongoose.Schema.Types.Mixed,
    previousTask: String,
    history: { type: [mongoose.Schema.Types.Mixed], default: [] },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, minimize: false },
);

/**
 * Open tasks (not yet published or cancelled). Kept small on purpose: the embedded store
 * scans a collection for any filter but `_id`, so finished tasks move to `ArchivedTask`.
 */
export const Task = mongoose.model('TranslationTask', taskSchema, 'tasks');

/** Finished tasks (published, cancelled, superseded): history, and the previous translation of a story. */
export const ArchivedTask = mongoose.model('ArchivedTask', taskSchema.clone(), 'tasks_archive');
