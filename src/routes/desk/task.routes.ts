import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { claimTask } from '../../commands/claim-task.js';
import { giveBackTask } from '../../commands/give-back-task.js';
import { saveTaskSegments } from '../../commands/save-task-segments.js';
import { submitTask } from '../../commands/submit-task.js';
import { AppError, badRequest, forbidden } from '../../errors.js';
import type { TaskDoc } from '../../models/translation-task.js';
import { assertCanTranslate, assertPair, assertRole, canSeeTask } from '../../policies/task-policy.js';
import type { QaReport } from '../../shared/qa.js';
import { isConfirmed, statusOf } from '../../shared/segment-state.js';
import { taskForTranslator } from '../../workflow/task-lease.js';
import { requireAnyTask, requireOpenTask } from '../../workflow/task-store.js';
import type { WebContext } from '../../web-context.js';
import { deskT, flash, renderDeskPage } from './desk-page.js';
import { currentDeskUser, type DeskUser } from './desk-user.js';
import { requestedPage, taskPaging } from './task-paging.js';
import { presentTask, segmentFields } from './task-view.js';

const ClaimForm = z.object({ pair: z.string().regex(/^[a-z]{2,3}:[a-z]{2,3}$/) });
const SegmentForm = z.object({ baseRevision: z.coerce.number().int().min(1) });

/** Renders the segment editor; after a conflict or failed QA it keeps the user's text. */
export function renderTaskPage(
  ctx: WebContext,
  req: Request,
  res: Response,
  task: TaskDoc,
  opts: {
    status?: number;
    conflict?: string;
    unconfirmed?: string;
    unsaved?: Record<number, string>;
    unsavedReplies?: Record<number, string>;
    qa?: QaReport;
  } = {},
): void {
  // `?page=N` on a GET; a form post carries the page it was sent from.
  const page = requestedPage(req.method === 'GET' ? req.query.page : (req.body as { page?: unknown })?.page);
  const paging = taskPaging(task, page, `/desk/tasks/${encodeURIComponent(task._id)}`);
  const view = presentTask(task, currentDeskUser(res)!, deskT(ctx, req), { ...opts, paging });
  renderDeskPage(
    ctx,
    req,
    res,
    'task',
    {
      title: view.title,
      task: view,
      from: task.from,
      to: task.to,
      conflict: opts.conflict,
      unconfirmed: opts.unconfirmed,
      code: opts.conflict ? 'stale_revision' : opts.qa ? 'qa_failed' : undefined,
    },
    opts.status,
  );
}

/** Loads a task a desk user may look at: 404 when unknown, 403 without its language pair. */
export async function visibleTask(user: DeskUser, id: string): Promise<TaskDoc> {
  const task = await requireAnyTask(id);
  if (!canSeeTask(user, task)) {
    throw forbidden('forbidden_pair', `You do not work on the language pair ${task.pair}`);
  }
  return task;
}

/**
 * Saves the segments the translator changed, (un)confirmed, noted or replied on — only those:
 * untouched pre-filled segments keep their origin — against the revision the page showed.
 * Returns the task as saved.
 * The form has a "Confirmed" box per segment; an unticked box takes a confirmation back.
 */
async function saveChanges(ctx: WebContext, user: DeskUser, task: TaskDoc, req: Request): Promise<TaskDoc> {
  const parsed = SegmentForm.safeParse(req.body);
  if (!parsed.success) throw badRequest('invalid_form', 'The form lost its revision; reload the page');
  const edits = segmentFields(req.body);
  const confirms = segmentFields(req.body, 'confirm-');
  const notes = segmentFields(req.body, 'note-');
  const replies = segmentFields(req.body, 'reply-');
  const differs = (sent: string | undefined, before: string | undefined) =>
    sent !== undefined && sent.trim() !== (before ?? '');
  const changed = Object.entries(edits)
    .map(([i, target]) => ({
      i: Number(i),
      target,
      confirmed: confirms[Number(i)] === '1',
      note: notes[Number(i)],
      reply: replies[Number(i)],
    }))
    .filter((s) => s.i < task.segments.length)
    .filter((s) => {
      const before = task.segments[s.i];
      return (
        before.target !== s.target ||
        isConfirmed(statusOf(before)) !== s.confirmed ||
        differs(s.note, before.qaNote) ||
        differs(s.reply, before.reply)
      );
    });
  if (changed.length === 0) return task; // nothing to lose, nothing to write
  return saveTaskSegments(ctx, user, task._id, { baseRevision: parsed.data.baseRevision, segments: changed });
}

/** The translator's pages: claim the next task of a pair, the segment editor, save and submit. */
export function taskRoutes(ctx: WebContext): Router {
  const router = Router();

  router.post('/tasks/claim', async (req, res) => {
    const user = currentDeskUser(res)!;
    const parsed = ClaimForm.safeParse(req.body);
    if (!parsed.success) throw badRequest('invalid_pair', "Choose a language pair such as 'ru:en'");
    const { pair } = parsed.data;
    assertRole(user, 'translator');
    assertPair(user, pair);
    const task = await claimTask(ctx, user, pair);
    const t = deskT(ctx, req);
    if (!task) {
      flash(req, 'error', t('desk:dashboard.nothingOpen', { pair }));
      res.redirect(303, '/desk/');
      return;
    }
    flash(req, 'ok', t('desk:dashboard.claimed', { pair }));
    res.redirect(303, `/desk/tasks/${encodeURIComponent(task._id)}`);
  });

  router.get('/tasks/:id', async (req, res) => {
    const task = await visibleTask(currentDeskUser(res)!, req.params.id);
    renderTaskPage(ctx, req, res, task);
  });

  /** Save (`action` absent) or save and submit (`action=submit`); conflicts keep the user's text. */
  const saveOrSubmit = (submit: boolean) => async (req: Request, res: Response) => {
    const user = currentDeskUser(res)!;
    const t = deskT(ctx, req);
    const task = await visibleTask(user, String(req.params.id));
    // An expired lease nobody else took is re-claimed for the same translator: the post saves.
    await taskForTranslator(ctx, user, task._id);
    let saved: TaskDoc;
    try {
      saved = await saveChanges(ctx, user, task, req);
      if (submit) saved = await submitTask(ctx, user, task._id);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      if (err.code === 'stale_revision') {
        const current =
          (err.details as { task?: TaskDoc } | undefined)?.task ?? (await requireAnyTask(task._id));
        renderTaskPage(ctx, req, res, current, {
          status: 409,
          conflict: t('desk:task.conflict', { revision: current.revision }),
          unsaved: segmentFields(req.body),
          unsavedReplies: segmentFields(req.body, 'reply-'),
        });
        return;
      }
      if (err.code === 'unconfirmed_segments') {
        const open = (err.details as { segments: number[] }).segments;
        renderTaskPage(ctx, req, res, await requireAnyTask(task._id), {
          status: 422,
          unconfirmed: t('workbench:unconfirmed', {
            count: open.length,
            list: open.map((i) => i + 1).join(', '),
          }),
        });
        return;
      }
      if (err.code === 'qa_failed') {
        renderTaskPage(ctx, req, res, await requireAnyTask(task._id), {
          status: 422,
          qa: err.details as QaReport,
        });
        return;
      }
      throw err;
    }
    if (submit) {
      flash(req, 'ok', t('desk:task.submitted'));
      res.redirect(303, '/desk/');
      return;
    }
    flash(req, 'ok', t('desk:task.saved', { revision: saved.revision }));
    // A page button of the index (`goto`) saves, then opens that page; "Save" stays on this one.
    const { goto, page: here } = req.body as { goto?: unknown; page?: unknown };
    const page = requestedPage(goto ?? here);
    res.redirect(303, `/desk/tasks/${encodeURIComponent(task._id)}${page > 1 ? `?page=${page}` : ''}`);
  };
  router.post('/tasks/:id/give-back', async (req, res) => {
    const user = currentDeskUser(res)!;
    const task = await visibleTask(user, String(req.params.id));
    assertCanTranslate(user, await requireOpenTask(task._id));
    await saveChanges(ctx, user, task, req); // what the form carried is saved first
    await giveBackTask(ctx, user, task._id);
    flash(req, 'ok', deskT(ctx, req)('workbench:givenBack'));
    res.redirect(303, '/desk/');
  });
  router.post('/tasks/:id/segments', saveOrSubmit(false));
  router.post('/tasks/:id/submit', saveOrSubmit(true));

  return router;
}
