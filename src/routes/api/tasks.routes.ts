import { Router } from 'express';
import { z } from 'zod';
import { cancelTask } from '../../commands/cancel-task.js';
import { claimTask } from '../../commands/claim-task.js';
import { reviewTask, ReviewInput } from '../../commands/review-task.js';
import { SaveSegmentsInput, saveTaskSegments } from '../../commands/save-task-segments.js';
import { submitTask } from '../../commands/submit-task.js';
import type { AppContext } from '../../context.js';
import { AppError, forbidden } from '../../errors.js';
import { ArchivedTask, OPEN_TASK_STATES, Task, type TaskDoc } from '../../models/translation-task.js';
import { requireRole, requireUser } from '../../policies/require-role.js';
import { canSeeTask, canWorkOnPair, hasRole } from '../../policies/task-policy.js';
import { requireAnyTask } from '../../workflow/task-store.js';
import { presentTask, presentTaskSummary } from './task-json.js';
import { parseInput } from './validate.js';

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

/** Translation tasks: list, claim, read, save, submit, review. */
export function tasksRouter(ctx: AppContext): Router {
  const router = Router();

  router.get('/tasks', requireUser, async (req, res) => {
    const q = parseInput(ListQuery, req.query);
    const user = req.user!;
    if (q.pair && !canWorkOnPair(user, q.pair) && !hasRole(user, 'editor')) {
      throw forbidden('forbidden_pair', `You are not assigned to the language pair ${q.pair}`);
    }
    const filter: Record<string, string> = {};
    if (q.pair) filter.pair = q.pair;
    if (q.state) filter.state = q.state;
    const finished = q.state && !(OPEN_TASK_STATES as readonly string[]).includes(q.state);
    const model = finished ? ArchivedTask : Task;
    const tasks = await model.find(filter).limit(q.limit).lean<TaskDoc[]>();
    const visible = tasks.filter((t) => canSeeTask(user, t));
    res.json({ tasks: visible.map(presentTaskSummary) });
  });

  router.post('/tasks/claim', requireRole('translator'), async (req, res) => {
    const { pair } = parseInput(z.object({ pair: Pair }), req.body);
    const task = await claimTask(ctx, req.user!, pair);
    if (!task) {
      res.status(204).end();
      return;
    }
    res.json({ task: presentTask(task) });
  });

  router.get('/tasks/:id', requireUser, async (req, res) => {
    const task = await requireAnyTask(String(req.params.id));
    if (!canSeeTask(req.user!, task))
      throw forbidden('forbidden_pair', `You are not assigned to ${task.pair}`);
    res.json({ task: presentTask(task) });
  });

  router.put('/tasks/:id/segments', requireRole('translator'), async (req, res) => {
    const input = parseInput(SaveSegmentsInput, req.body);
    const task = await saveTaskSegments(ctx, req.user!, String(req.params.id), input).catch(presentConflict);
    res.json({ task: presentTask(task) });
  });

  router.post('/tasks/:id/submit', requireRole('translator'), async (req, res) => {
    const task = await submitTask(ctx, req.user!, String(req.params.id)).catch(presentConflict);
    res.status(202).json({ task: presentTask(task) });
  });

  router.post('/tasks/:id/review', requireRole('reviewer'), async (req, res) => {
    const input = parseInput(ReviewInput, req.body);
    const task = await reviewTask(ctx, req.user!, String(req.params.id), input).catch(presentConflict);
    res.json({ task: presentTask(task) });
  });

  router.post('/tasks/:id/cancel', requireRole('editor'), async (req, res) => {
    const { note } = parseInput(z.object({ note: z.string().max(2_000).optional() }), req.body);
    const task = await cancelTask(ctx, req.user!, String(req.params.id), note).catch(presentConflict);
    res.json({ task: presentTask(task) });
  });

  return router;
}
