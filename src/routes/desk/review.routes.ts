import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { correctTaskSegments } from '../../commands/correct-task-segments.js';
import {
  dropReviewDraft,
  loadReviewDraft,
  saveReviewDraft,
  type ReviewDraftText,
} from '../../commands/review-draft.js';
import { reviewTask } from '../../commands/review-task.js';
import { AppError, badRequest } from '../../errors.js';
import type { TaskDoc } from '../../models/translation-task.js';
import { assertCanReview, assertPair, assertRole } from '../../policies/task-policy.js';
import type { QaReport } from '../../shared/qa.js';
import { requireAnyTask } from '../../workflow/task-store.js';
import type { WebContext } from '../../web-context.js';
import { deskT, flash, renderDeskPage } from './desk-page.js';
import { currentDeskUser } from './desk-user.js';
import { requestedPage, SEGMENTS_PER_PAGE, taskPaging } from './task-paging.js';
import { visibleTask } from './task.routes.js';
import { presentTask, segmentFields } from './task-view.js';

/**
 * `correct` saves the reviewer's corrections alone; approve and reject save them first too.
 * Without a decision, `goto` (a page of a long task) or `gotoSegment` saves this page's
 * corrections and comments, then opens that page.
 */
const ReviewForm = z.object({
  decision: z.enum(['approve', 'reject', 'correct']).optional(),
  goto: z.coerce.number().int().min(1).optional(),
  gotoSegment: z.coerce.number().int().min(0).optional(),
  /** The revision the page showed: a correction is a compare-and-set against it. */
  baseRevision: z.coerce.number().int().min(1).optional(),
  note: z.string().trim().max(2_000).optional(),
});

/** What the reviewer typed, shown again whenever the page comes back with a problem. */
interface Typed {
  fixes: Record<number, string>;
  comments: Record<number, string>;
  note?: string;
}

const reviewPath = (task: TaskDoc) => `/desk/reviews/${encodeURIComponent(task._id)}`;
const pageOf = (i: number) => Math.floor(i / SEGMENTS_PER_PAGE) + 1;

/**
 * The review page, one page of a long task at a time (`?page=N`, or the page a form was sent
 * from): the segments of that page; the progress, QA and machine-text counts and the reviewer's
 * unsent comments over the whole task (comments typed on other pages come from the draft).
 */
async function renderReviewPage(
  ctx: WebContext,
  req: Request,
  res: Response,
  task: TaskDoc,
  opts: { status?: number; error?: string; typed?: Typed; qa?: QaReport } = {},
) {
  const { typed } = opts;
  const user = currentDeskUser(res)!;
  const page = requestedPage(req.method === 'GET' ? req.query.page : (req.body as { page?: unknown })?.page);
  const paging = taskPaging(task, page, reviewPath(task));
  const view = presentTask(task, user, deskT(ctx, req), { qa: opts.qa, paging });
  const draft: ReviewDraftText = view.reviewable
    ? await loadReviewDraft(user, task)
    : { comments: {}, note: '' };
  const comments = { ...draft.comments, ...typed?.comments };
  const segments = view.segments.map((s) => {
    const fix = typed?.fixes[s.i];
    return {
      ...s,
      fixText: fix ?? s.target,
      // A typed correction that differs from the saved text keeps its box open.
      fixOpen: fix !== undefined && fix !== s.target,
      commentText: comments[s.i] ?? '',
    };
  });
  // Every segment with an unsent comment, on whichever page: what a send-back would send.
  const commented = Object.entries(comments)
    .filter(([, text]) => text.trim())
    .map(([i]) => Number(i))
    .sort((a, b) => a - b)
    .map((i) => ({ i, position: i + 1, here: pageOf(i) === paging.page }));
  renderDeskPage(
    ctx,
    req,
    res,
    'review',
    {
      title: view.title,
      task: { ...view, segments },
      commented,
      noteText: typed?.note ?? draft.note,
      from: task.from,
      to: task.to,
      error: opts.error,
    },
    opts.status,
  );
}

/** The reviewer's typed corrections: the `fix-<i>` fields whose text differs from the saved target. */
function correctionsOf(task: TaskDoc, fixes: Record<number, string>) {
  return Object.entries(fixes)
    .map(([i, target]) => ({ i: Number(i), target }))
    .filter((c) => c.i < task.segments.length && c.target !== task.segments[c.i].target);
}

/**
 * The reviewer's page: read the translation with QA warnings, correct a segment directly, then
 * approve or send back with comments. Nothing typed is lost: a stale revision (409), a
 * correction that fails QA (422) or a send-back without a comment (400) shows the page again
 * with every correction, comment and note as typed.
 */
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
    await renderReviewPage(ctx, req, res, task);
  });

  router.post('/reviews/:id', async (req, res) => {
    const { user, task } = await reviewable(req, res);
    const parsed = ReviewForm.safeParse(req.body);
    const form = parsed.success ? parsed.data : undefined;
    if (!form || (!form.decision && form.goto === undefined && form.gotoSegment === undefined)) {
      throw badRequest('invalid_decision', 'Choose approve, correct or send back');
    }
    const t = deskT(ctx, req);
    const { decision, baseRevision, note } = form;
    const typed: Typed = {
      fixes: segmentFields(req.body, 'fix-'),
      comments: segmentFields(req.body, 'comment-'),
      note,
    };
    // This page's comments join those typed on the other pages: kept before anything can fail,
    // and a send-back sends the whole task's.
    let draft: ReviewDraftText = { comments: typed.comments, note: note ?? '' };
    if (task.state === 'in_review') {
      assertCanReview(user, task);
      draft = await saveReviewDraft(user, task, typed);
    }
    const comments = Object.entries(draft.comments)
      .map(([i, comment]) => ({ i: Number(i), comment: comment.trim() }))
      .filter((c) => c.comment.length > 0 && c.i < task.segments.length);
    if (decision === 'reject' && comments.length === 0 && !note) {
      await renderReviewPage(ctx, req, res, task, {
        status: 400,
        error: t('desk:review.needComment'),
        typed,
      });
      return;
    }
    const corrections = correctionsOf(task, typed.fixes);
    if (corrections.some((c) => !c.target.trim())) {
      await renderReviewPage(ctx, req, res, task, {
        status: 400,
        error: t('desk:review.emptyCorrection'),
        typed,
      });
      return;
    }
    try {
      if (corrections.length > 0) {
        if (!baseRevision) throw badRequest('invalid_form', 'The form lost its revision; reload the page');
        await correctTaskSegments(user, task._id, { baseRevision, segments: corrections });
      } else if (decision === 'correct') {
        await renderReviewPage(ctx, req, res, task, {
          status: 400,
          error: t('desk:review.noCorrection'),
          typed,
        });
        return;
      }
      if (decision === 'approve' || decision === 'reject') {
        await reviewTask(ctx, user, task._id, { decision, comments, note: note || undefined });
        await dropReviewDraft(user, task._id);
      }
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      if (err.code === 'stale_revision') {
        const current =
          (err.details as { task?: TaskDoc } | undefined)?.task ?? (await requireAnyTask(task._id));
        const error = t('desk:review.conflict', { revision: current.revision });
        await renderReviewPage(ctx, req, res, current, { status: 409, error, typed });
        return;
      }
      if (err.code === 'qa_failed') {
        // The correction's errors beside the review's own warnings on the other segments.
        const { errors } = err.details as QaReport;
        const failing = new Set(errors.map((e) => e.i));
        const warnings = (task.qa?.warnings ?? []).filter((w) => !failing.has(w.i));
        const error = t('desk:review.correctionQa', { count: errors.length });
        await renderReviewPage(ctx, req, res, task, { status: 422, error, typed, qa: { errors, warnings } });
        return;
      }
      throw err;
    }
    if (!decision) {
      // Paging: this page is saved; open the page asked for (at a segment, for a comment's link).
      const { goto, gotoSegment } = form;
      const page = gotoSegment !== undefined ? pageOf(gotoSegment) : requestedPage(goto);
      const at = gotoSegment !== undefined ? `#segment-${gotoSegment}` : '';
      res.redirect(303, `${reviewPath(task)}${page > 1 ? `?page=${page}` : ''}${at}`);
      return;
    }
    if (decision === 'correct') {
      flash(req, 'ok', t('desk:review.corrected', { count: corrections.length }));
      const page = requestedPage((req.body as { page?: unknown }).page);
      res.redirect(303, `${reviewPath(task)}${page > 1 ? `?page=${page}` : ''}`);
      return;
    }
    flash(req, 'ok', t(decision === 'approve' ? 'desk:review.approved' : 'desk:review.rejected'));
    res.redirect(303, '/desk/');
  });

  return router;
}
