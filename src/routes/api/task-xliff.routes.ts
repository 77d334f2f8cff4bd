import express, { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { importTaskXliff } from '../../commands/import-task-xliff.js';
import { badRequest, forbidden } from '../../errors.js';
import { taskToXliff12, taskToXliff20 } from '../../exchange/xliff.js';
import { requireRole, requireUser } from '../../policies/require-role.js';
import { canSeeTask } from '../../policies/task-policy.js';
import { requireAnyTask } from '../../workflow/task-store.js';
import { apiRoute } from './openapi/api-route.js';
import { presentTask } from './task-json.js';

const TaskParams = z.object({ id: z.string().min(1) });
const ExportQuery = z.object({ version: z.enum(['2.0', '1.2']).default('2.0') });
const ImportQuery = z.object({ overwrite: z.enum(['0', '1', 'true', 'false']).optional() });
export const XLIFF_TYPES = [
  'application/xliff+xml',
  'application/x-xliff+xml',
  'application/xml',
  'text/xml',
];

/** The task's pair is the caller's (checked before the body is read or the task shown). */
const taskVisible: RequestHandler = (req, _res, next) => {
  requireAnyTask(String(req.params.id))
    .then((task) => {
      if (!canSeeTask(req.user!, task))
        throw forbidden('forbidden_pair', `You are not assigned to ${task.pair}`);
      next();
    })
    .catch(next);
};

/** A task as XLIFF 2.0 / 1.2 for CAT tools, and back (docs/api.md, docs/workflow.md). */
export function taskXliffRouter(ctx: AppContext): Router {
  const router = Router();
  apiRoute(
    router,
    'get',
    '/tasks/:id/xliff',
    {
      tag: 'Tasks',
      summary: 'Export a task as XLIFF 2.0 or 1.2',
      description:
        'Units `s<i>` per segment, inline codes as `<pc>`/`<ph>` (2.0) or `<g>`/`<x>` (1.2), states mapped, notes, memory and MT suggestions as `<mtc:match>` (2.0).',
      access: 'any desk user who works on the pair',
      guards: [requireUser, taskVisible],
      params: TaskParams,
      query: ExportQuery,
      responses: { 200: 'application/xliff+xml', 404: 'task_not_found' },
    },
    async ({ params, query }, _req, res) => {
      const task = await requireAnyTask(params.id);
      const xml = query.version === '1.2' ? taskToXliff12(task) : taskToXliff20(task);
      const name = `${task._id}.${query.version === '1.2' ? 'xlf' : 'xliff'}`;
      res
        .type('application/xliff+xml')
        .set('Content-Disposition', `attachment; filename="${name.replace(/[^\w.-]/g, '_')}"`)
        .send(xml);
    },
  );

  apiRoute(
    router,
    'put',
    '/tasks/:id/xliff',
    {
      tag: 'Tasks',
      summary: 'Import a translated XLIFF 2.0 or 1.2 file into the task',
      description: `Body: the file (Content-Type ${XLIFF_TYPES.join(', ')}), at most 20 MB. All or nothing: a unit with another source answers 409 \`xliff_source_changed\`, broken codes or unknown units 422 \`xliff_invalid_segments\` (each listed), segments changed or confirmed in the newsroom since the export 409 \`xliff_conflict\` (unless \`overwrite=1\`).`,
      access: 'the task’s translator',
      guards: [requireRole('translator'), taskVisible, express.text({ type: XLIFF_TYPES, limit: '20mb' })],
      params: TaskParams,
      query: ImportQuery,
      responses: {
        200: '{task, updated, confirmed, unchanged}',
        400: 'xliff_missing, xliff_invalid, xliff_wrong_task, xliff_wrong_language',
        409: 'xliff_source_changed, xliff_conflict, stale_revision, task_taken, task_closed',
        422: 'xliff_invalid_segments',
      },
    },
    async ({ params, query }, req, res) => {
      if (typeof req.body !== 'string' || !req.body) {
        throw badRequest(
          'xliff_missing',
          `Send the XLIFF file as the body with Content-Type ${XLIFF_TYPES[0]}`,
        );
      }
      const overwrite = query.overwrite === '1' || query.overwrite === 'true';
      const out = await importTaskXliff(ctx, req.user!, params.id, req.body, { overwrite });
      res.json({ ...out, task: presentTask(out.task) });
    },
  );
  return router;
}
