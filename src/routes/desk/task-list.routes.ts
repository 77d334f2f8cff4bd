import { Router } from 'express';
import { claimTaskById } from '../../commands/claim-task.js';
import { Task, type TaskDoc } from '../../models/translation-task.js';
import { assertRole, canWorkOnPair, hasRole } from '../../policies/task-policy.js';
import type { WebContext } from '../../web-context.js';
import { deskT, flash, renderDeskPage } from './desk-page.js';
import { currentDeskUser } from './desk-user.js';
import { byQueueOrder, presentListedTask } from './task-list.js';

const LIST_LIMIT = 200;

/**
 * Finding work: the open tasks of the translator's pairs (and their own, sent back ones
 * marked), taken from the list or with "next"; editors see every open task and who holds it.
 * Open tasks live in a collection kept small on purpose, so the pair filter is a cheap scan.
 */
export function taskListRoutes(ctx: WebContext): Router {
  const router = Router();

  router.get('/tasks', async (req, res) => {
    const user = currentDeskUser(res)!;
    const editor = hasRole(user, 'editor');
    if (!editor) assertRole(user, 'translator');
    const t = deskT(ctx, req);
    const filter: Record<string, unknown> = editor
      ? { state: { $in: ['open', 'in_progress', 'submitted', 'in_review', 'approved'] } }
      : { pair: { $in: user.pairs }, state: { $in: ['open', 'in_progress'] } };
    const tasks = (await Task.find(filter).limit(LIST_LIMIT).lean<TaskDoc[]>())
      .filter((task) => editor || canWorkOnPair(user, task.pair))
      .filter((task) => editor || task.state === 'open' || task.assignee === user.id)
      .sort(byQueueOrder);
    const tz = ctx.config.NEWSROOM_TIMEZONE;
    const rows = tasks.map((task) => presentListedTask(task, t, tz));
    renderDeskPage(ctx, req, res, 'tasks', {
      title: t('workbench:list.title'),
      editor,
      translator: hasRole(user, 'translator'),
      timeZone: tz,
      pairs: user.pairs,
      open: rows.filter((r) => r.open),
      held: rows.filter((r) => !r.open),
    });
  });

  router.post('/tasks/:id/take', async (req, res) => {
    const user = currentDeskUser(res)!;
    const task = await claimTaskById(ctx, user, String(req.params.id));
    flash(req, 'ok', deskT(ctx, req)('desk:dashboard.claimed', { pair: task.pair }));
    res.redirect(303, `/desk/tasks/${encodeURIComponent(task._id)}`);
  });

  return router;
}
