import { Router } from 'express';
import type { TFunction } from 'i18next';
import { Task, type TaskDoc } from '../../models/translation-task.js';
import { canWorkOnPair, hasRole } from '../../policies/task-policy.js';
import type { WebContext } from '../../web-context.js';
import { deskT, renderDeskPage } from './desk-page.js';
import { currentDeskUser, type DeskUser } from './desk-user.js';
import { presentListedTask } from './task-list.js';

const LIST_LIMIT = 50;
const REVIEW_STATES = ['submitted', 'in_review'];

const taskTitle = (task: Pick<TaskDoc, '_id' | 'segments'>) =>
  task.segments?.find((s) => s.field === 'title')?.source ?? task._id;

/**
 * What the user holds and what waits for them. Open tasks live in a collection kept small on
 * purpose (finished ones are archived), so these filtered reads stay cheap on the embedded
 * store; the per-pair open counts come from the Redis ready queues.
 */
async function dashboardData(ctx: WebContext, user: DeskUser, t: TFunction) {
  const translator = hasRole(user, 'translator');
  const reviewer = hasRole(user, 'reviewer');
  const pairs = user.roles.includes('admin') && user.pairs.length === 0 ? [] : user.pairs;
  const [mine, reviews, counts] = await Promise.all([
    translator
      ? // Everything the translator has in hand: in progress, sent back, submitted, in review, approved.
        Task.find({ translator: user.id }).limit(LIST_LIMIT).lean<TaskDoc[]>()
      : [],
    reviewer
      ? Task.find({ state: { $in: REVIEW_STATES } }, { segments: 1, pair: 1, state: 1, translator: 1 })
          .limit(500)
          .lean<TaskDoc[]>()
      : [],
    Promise.all(pairs.map((p) => ctx.redis.zcard(ctx.keys.workflow.ready(p)))),
  ]);
  return {
    translator: translator ? { pairs: pairs.map((pair, n) => ({ pair, open: counts[n] })) } : undefined,
    myTasks: mine.map((task) => presentListedTask(task, t, ctx.config.NEWSROOM_TIMEZONE)),
    reviewer: reviewer ? {} : undefined,
    reviews: reviews
      .filter((t) => canWorkOnPair(user, t.pair) && t.translator !== user.id)
      .slice(0, LIST_LIMIT)
      .map((t) => ({ id: t._id, title: taskTitle(t), pair: t.pair, state: t.state })),
    editor: hasRole(user, 'editor'),
  };
}

/** The desk home: what the signed-in person can do next, by role and language pair. */
export function dashboardRoutes(ctx: WebContext): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const user = currentDeskUser(res)!;
    renderDeskPage(ctx, req, res, 'dashboard', {
      title: deskT(ctx, req)('desk:dashboard.title'),
      ...(await dashboardData(ctx, user, deskT(ctx, req))),
    });
  });
  return router;
}
