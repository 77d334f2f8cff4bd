import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { reviewTask } from '../../commands/review-task.js';
import { badRequest } from '../../errors.js';
import type { TaskDoc } from '../../models/translation-task.js';
import { assertPair, assertRole } from '../../policies/task-policy.js';
import type { WebContext } from '../../web-context.js';
import { deskT, flash, renderDeskPage } from './desk-page.js';
import { currentDeskUser } from './desk-user.js';
import { visibleTask } from './task.routes.js';
import { presentTask, segmentFields } from './task-view.js';

const ReviewForm = z.object({
  decision: z.enum(['approve', 'reject']),
  note: z.string().trim().max(2_000).optional(),
});

function renderReviewPage(
  ctx: WebContext,
  req: Request,
  res: Response,
  task: TaskDoc,
  status = 200,
  error?: string,
) {
  const view = presentTask(task, currentDeskUser(res)!, deskT(ctx, req));
  renderDeskPage(
    ctx,
    req,
    res,
    'review',
    { title: view.title, task: view, from: task.from, to: task.to, error },
    status,
  );
}

/** The reviewer's page: read the translation with QA warnings, approve or send back with comments. */
export function reviewRoutes(ctx: WebContext): Router {
  const router = Router();

  const reviewable = async (req: Request, res: Response) => {
    const user = currentDeskUser(res)!;
    assertRole(user, 'reviewer');
    const task = await visibleTask(user, String(req.params.id));
    assertPair(user, task.pair);
    return { user, task };
  };

  router.get('/reviews/:id', async (req, res) => {
    const { task } = await reviewable(req, res);
    renderReviewPage(ctx, req, res, task);
  });

  router.post('/reviews/:id', async (req, res) => {
    const { user, task } = await reviewable(req, res);
    const parsed = ReviewForm.safeParse(req.body);
    if (!parsed.success) throw badRequest('invalid_decision', 'Choose approve or send back');
    const t = deskT(ctx, req);
    const comments = Object.entries(segmentFields(req.body, 'comment-'))
      .map(([i, comment]) => ({ i: Number(i), comment: comment.trim() }))
      .filter((c) => c.comment.length > 0 && c.i < task.segments.length);
    const { decision, note } = parsed.data;
    if (decision === 'reject' && comments.length === 0 && !note) {
      renderReviewPage(ctx, req, res, task, 400, t('desk:review.needComment'));
      return;
    }
    await reviewTask(ctx, user, task._id, { decision, comments, note: note || undefined });
    flash(req, 'ok', t(decision === 'approve' ? 'desk:review.approved' : 'desk:review.rejected'));
    res.redirect(303, '/desk/');
  });

  return router;
}
