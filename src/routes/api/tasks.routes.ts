import { Router } from 'express';
import { z } from 'zod';
import { cancelTask } from '../../commands/cancel-task.js';
import { claimTask } from '../../commands/claim-task.js';
import { CorrectSegmentsInput, correctTaskSegments } from '../../commands/correct-task-segments.js';
import { reviewTask, ReviewInput } from '../../commands/review-task.js';
import { SaveSegmentsInput, saveTaskSegments } from '../../commands/save-task-segments.js';
import { giveBackTask } from '../../commands/give-back-task.js';
import { submitTask } from '../../commands/submit-task.js';
import type { AppContext } from '../../context.js';
import { AppError, badRequest, forbidden } from '../../errors.js';
import { ArchivedTask, OPEN_TASK_STATES, Task, type TaskDoc } from '../../models/translation-task.js';
import { requireRole, requireUser } from '../../policies/require-role.js';
import { assertPair, canSeeTask, canWorkOnPair, hasRole } from '../../policies/task-policy.js';
import { progressOf } from '../../shared/segment-state.js';
import { renewLease } from '../../workflow/task-lease.js';
import { requireAnyTask } from '../../workflow/task-store.js';
import { presentSegment, presentTask, presentTaskSummary } from './task-json.js';
import { apiRoute } from './openapi/api-route.js';

const Pair = z.string().regex(/^[a-z]{2,3}:[a-z]{2,3}$/, "must look like 'ru:en'");
const ListQuery = z.object({
  pair: Pair.optional(),
  state: z.enum([...OPEN_TASK_STATES, 'published', 'cancelled', 'superseded']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** 409 bodies carry the current task in API form. */
function presentConflict(err: unknown): never {
  if (err instanceof AppError && err.status === 409) {
    const details = err.details as { task?: TaskDoc } | undefined;
    if (details?.task) throw new AppError(409, err.code, err.message, { task: presentTask(details.task) });
  }
  throw err;
}

const TaskParams = z.object({ id: z.string().min(1) });
/** Segments per answer of `GET /tasks/{id}/segments`: by default, and at most. */
export const SEGMENT_RANGE_DEFAULT = 100;
export const SEGMENT_RANGE_MAX = 500;
const SegmentRange = z.object({
  from: z.coerce.number().int().min(0).default(0).describe('Index of the first segment (0-based)'),
  count: z.coerce
    .number()
    .int()
    .min(1)
    .max(SEGMENT_RANGE_MAX)
    .default(SEGMENT_RANGE_DEFAULT)
    .describe(`Segments to return, 1–${SEGMENT_RANGE_MAX} (default ${SEGMENT_RANGE_DEFAULT})`),
});
const ClaimInput = z.object({ pair: Pair });
const CancelInput = z.object({ note: z.string().max(2_000).optional() });
const HeartbeatInput = z.object({ baseRevision: z.number().int().min(1) });
const Tasks = 'Tasks';

/** Translation tasks: list, claim, read, save, submit, review, correct. */
export function tasksRouter(ctx: AppContext): Router {
  const router = Router();

  apiRoute(
    router,
    'get',
    '/tasks',
    {
      tag: Tasks,
      summary: 'List tasks',
      description:
        'Open tasks, or finished ones with `state=published|cancelled|superseded`; only the caller’s pairs (editors see all).',
      access: 'any desk user',
      guards: [requireUser],
      query: ListQuery,
      responses: { 200: 'Task summaries' },
    },
    async ({ query: q }, req, res) => {
      const user = req.user!;
      if (q.pair && !canWorkOnPair(user, q.pair) && !hasRole(user, 'editor')) {
        throw forbidden('forbidden_pair', `You are not assigned to the language pair ${q.pair}`);
      }
      // The pair filter goes into the query (before the limit), so pages are never short.
      const filter: Record<string, unknown> = {};
      if (q.pair) filter.pair = q.pair;
      else if (!hasRole(user, 'editor')) filter.pair = { $in: user.pairs };
      if (q.state) filter.state = q.state;
      const finished = q.state && !(OPEN_TASK_STATES as readonly string[]).includes(q.state);
      const model = finished ? ArchivedTask : Task;
      const tasks = await model.find(filter).limit(q.limit).lean<TaskDoc[]>();
      const visible = tasks.filter((t) => canSeeTask(user, t));
      res.json({ tasks: visible.map(presentTaskSummary) });
    },
  );

  apiRoute(
    router,
    'post',
    '/tasks/claim',
    {
      tag: Tasks,
      summary: 'Claim the next open task of a pair',
      description: 'Highest priority, then earliest due, then oldest; leased for TASK_LEASE_MINUTES. Atomic.',
      access: 'translator of the pair',
      guards: [requireRole('translator')],
      body: ClaimInput,
      responses: { 200: 'The claimed task', 204: 'Nothing is open' },
    },
    async ({ body }, req, res) => {
      const task = await claimTask(ctx, req.user!, body.pair);
      if (!task) {
        res.status(204).end();
        return;
      }
      res.json({ task: presentTask(task) });
    },
  );

  apiRoute(
    router,
    'get',
    '/tasks/:id',
    {
      tag: Tasks,
      summary: 'Get a task with segments, suggestions and QA',
      access: 'any desk user who works on the pair',
      guards: [requireUser],
      params: TaskParams,
      responses: { 200: 'The task', 404: 'task_not_found' },
    },
    async ({ params }, req, res) => {
      const task = await requireAnyTask(params.id);
      if (!canSeeTask(req.user!, task))
        throw forbidden('forbidden_pair', `You are not assigned to ${task.pair}`);
      res.json({ task: presentTask(task) });
    },
  );

  apiRoute(
    router,
    'get',
    '/tasks/:id/segments',
    {
      tag: Tasks,
      summary: 'Get a range of a task’s segments',
      description: `A long task a page at a time: \`from\` (default 0) and \`count\` (default ${SEGMENT_RANGE_DEFAULT}, at most ${SEGMENT_RANGE_MAX}); \`range.next\` is the next \`from\`, null after the last segment. A bad range, or \`from\` past the last segment, answers 400 \`invalid_range\`.`,
      access: 'any desk user who works on the pair',
      guards: [requireUser],
      params: TaskParams,
      query: SegmentRange,
      queryErrorCode: 'invalid_range',
      responses: { 200: 'The range of segments', 400: 'invalid_range', 404: 'task_not_found' },
    },
    async ({ params, query }, req, res) => {
      const task = await requireAnyTask(params.id);
      if (!canSeeTask(req.user!, task))
        throw forbidden('forbidden_pair', `You are not assigned to ${task.pair}`);
      const total = task.segments.length;
      if (query.from >= total) {
        throw badRequest('invalid_range', `from must be below ${total}, the task's number of segments`, {
          total,
        });
      }
      const end = Math.min(total, query.from + query.count);
      res.json({
        task: { id: task._id, pair: task.pair, state: task.state, revision: task.revision },
        range: { from: query.from, count: end - query.from, total, next: end < total ? end : null },
        progress: progressOf(task.segments),
        segments: task.segments.slice(query.from, end).map(presentSegment),
      });
    },
  );

  apiRoute(
    router,
    'put',
    '/tasks/:id/segments',
    {
      tag: Tasks,
      summary: 'Save segment edits',
      description:
        'A stale `baseRevision` answers 409 `stale_revision` with the current task; nothing is overwritten.',
      access: 'the task’s translator',
      guards: [requireRole('translator')],
      params: TaskParams,
      body: SaveSegmentsInput,
      responses: {
        200: 'The task at its new revision',
        400: 'unknown_segment',
        404: 'task_not_found',
        409: 'stale_revision, task_taken, task_superseded, task_closed',
      },
    },
    async ({ params, body }, req, res) => {
      const task = await saveTaskSegments(ctx, req.user!, params.id, body).catch(presentConflict);
      res.json({ task: presentTask(task) });
    },
  );

  apiRoute(
    router,
    'post',
    '/tasks/:id/heartbeat',
    {
      tag: Tasks,
      summary: 'Renew the lease of a task being translated',
      description:
        'The workbench calls it while the translator is active and nothing needs saving. An expired lease nobody else took is re-claimed for the same translator.',
      access: 'the task’s translator',
      guards: [requireRole('translator')],
      params: TaskParams,
      body: HeartbeatInput,
      responses: {
        200: 'The task with its new revision and lease',
        404: 'task_not_found',
        409: 'stale_revision, task_taken, task_superseded or task_closed',
      },
    },
    async ({ params, body }, req, res) => {
      assertPair(req.user!, (await requireAnyTask(params.id)).pair);
      const task = await renewLease(ctx, req.user!, params.id, body.baseRevision).catch(presentConflict);
      res.json({ task: presentTask(task) });
    },
  );

  apiRoute(
    router,
    'post',
    '/tasks/:id/give-back',
    {
      tag: Tasks,
      summary: 'Give a claimed task back to the queue',
      description: 'Every saved segment stays with the task for the next translator.',
      access: 'the task’s translator',
      guards: [requireRole('translator')],
      params: TaskParams,
      responses: { 200: 'The task, open again', 403: 'not_assignee', 404: 'task_not_found' },
    },
    async ({ params }, req, res) => {
      const task = await giveBackTask(ctx, req.user!, params.id).catch(presentConflict);
      res.json({ task: presentTask(task) });
    },
  );

  apiRoute(
    router,
    'post',
    '/tasks/:id/submit',
    {
      tag: Tasks,
      summary: 'Submit a task for review',
      access: 'the task’s translator',
      guards: [requireRole('translator')],
      params: TaskParams,
      responses: {
        202: 'Submitted (QA runs again in the review queue)',
        404: 'task_not_found',
        409: 'task_not_in_progress',
        422: 'unconfirmed_segments or qa_failed',
      },
    },
    async ({ params }, req, res) => {
      const task = await submitTask(ctx, req.user!, params.id).catch(presentConflict);
      res.status(202).json({ task: presentTask(task) });
    },
  );

  apiRoute(
    router,
    'post',
    '/tasks/:id/review',
    {
      tag: Tasks,
      summary: 'Approve or reject a task',
      access: 'reviewer of the pair, not its translator',
      guards: [requireRole('reviewer')],
      params: TaskParams,
      body: ReviewInput,
      responses: { 200: 'The task', 404: 'task_not_found', 409: 'task_not_in_review' },
    },
    async ({ params, body }, req, res) => {
      const task = await reviewTask(ctx, req.user!, params.id, body).catch(presentConflict);
      res.json({ task: presentTask(task) });
    },
  );

  apiRoute(
    router,
    'post',
    '/tasks/:id/corrections',
    {
      tag: Tasks,
      summary: 'Correct segments of a task in review',
      description:
        'The reviewer’s small correction instead of sending the task back: recorded as the reviewer’s (`correction` with the translator’s text as `previous`). A stale `baseRevision` answers 409 `stale_revision` with the current task; nothing is overwritten.',
      access: 'reviewer of the pair, not its translator',
      guards: [requireRole('reviewer')],
      params: TaskParams,
      body: CorrectSegmentsInput,
      responses: {
        200: 'The task at its new revision, still in review',
        400: 'unknown_segment',
        404: 'task_not_found',
        409: 'stale_revision, task_not_in_review',
        422: 'qa_failed (the correction brings in an error)',
      },
    },
    async ({ params, body }, req, res) => {
      const task = await correctTaskSegments(req.user!, params.id, body).catch(presentConflict);
      res.json({ task: presentTask(task) });
    },
  );

  apiRoute(
    router,
    'post',
    '/tasks/:id/cancel',
    {
      tag: Tasks,
      summary: 'Cancel an open task',
      access: 'editor',
      guards: [requireRole('editor')],
      params: TaskParams,
      body: CancelInput,
      responses: { 200: 'The cancelled task', 404: 'task_not_found', 409: 'task_closed' },
    },
    async ({ params, body }, req, res) => {
      const task = await cancelTask(ctx, req.user!, params.id, body.note).catch(presentConflict);
      res.json({ task: presentTask(task) });
    },
  );

  return router;
}
