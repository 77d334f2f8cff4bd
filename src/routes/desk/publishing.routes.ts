import { Router, type Request, type Response } from 'express';
import { holdStory } from '../../commands/hold-story.js';
import { scheduleRelease } from '../../commands/schedule-release.js';
import { withdrawRelease } from '../../commands/withdraw-release.js';
import { AppError, badRequest } from '../../errors.js';
import { assertRole } from '../../policies/task-policy.js';
import type { WebContext } from '../../web-context.js';
import { deskT, flash } from './desk-page.js';
import { deskMessage } from './desk-messages.js';
import { currentDeskUser } from './desk-user.js';
import { formProblem, holdForm, scheduleForm, WithdrawForm } from './story-forms.js';
import { renderStoryPage, type StoryPageProblem } from './story-page.js';

/**
 * Editors' publishing actions on a story: reschedule or cancel a version, hold the story for
 * a coordinated release or embargo, withdraw a version or the whole story. Each calls the
 * same command as the JSON API; a refusal shows the story page again with the reason.
 */
export function publishingRoutes(ctx: WebContext): Router {
  const router = Router();
  const tz = ctx.config.NEWSROOM_TIMEZONE;
  router.use('/stories/:id', (_req, res, next) => {
    assertRole(currentDeskUser(res)!, 'editor');
    next();
  });

  /** Runs a command; on a 4xx shows the story page again with the reason in the desk's language. */
  const act = async (
    req: Request,
    res: Response,
    form: StoryPageProblem['form'],
    run: () => Promise<string>,
  ) => {
    const t = deskT(ctx, req);
    let done: string;
    try {
      done = await run();
    } catch (err) {
      const e =
        err instanceof AppError && err.status < 500
          ? err
          : err && typeof err === 'object' && 'issues' in err
            ? badRequest('invalid_form', formProblem(err as never))
            : undefined;
      if (!e) throw err;
      return renderStoryPage(ctx, req, res, {
        status: e.status,
        error: deskMessage(t, e),
        form,
        askPastConfirmation: e.code === 'schedule_in_past',
      });
    }
    flash(req, 'ok', t(done));
    const lang = typeof req.params.lang === 'string' ? `?lang=${req.params.lang}` : '';
    res.redirect(303, `/desk/stories/${req.params.id}${lang}`);
  };

  const schedule = scheduleForm(tz);
  router.post('/stories/:id/:lang/schedule', (req, res) =>
    act(req, res, 'schedule', async () => {
      const f = schedule.parse(req.body);
      if (f.action === 'reschedule' && !f.at) {
        throw badRequest('schedule_time_required', 'Choose the new time');
      }
      await scheduleRelease(ctx, currentDeskUser(res)!, String(req.params.id), String(req.params.lang), {
        baseRevision: f.baseRevision,
        at: f.action === 'cancel' ? null : f.at!,
        confirmPast: f.confirmPast,
      });
      return f.action === 'cancel' ? 'publishing:schedule.cancelled' : 'publishing:schedule.rescheduled';
    }),
  );

  const hold = holdForm(tz);
  router.post('/stories/:id/hold', (req, res) =>
    act(req, res, 'hold', async () => {
      const f = hold.parse(req.body);
      const lift = f.action === 'lift';
      await holdStory(ctx, currentDeskUser(res)!, String(req.params.id), {
        langs: lift ? [] : f.langs,
        embargoUntil: lift ? null : (f.embargoUntil ?? null),
      });
      return lift || (!f.langs.length && !f.embargoUntil)
        ? 'publishing:hold.lifted'
        : 'publishing:hold.saved';
    }),
  );

  router.post('/stories/:id/withdraw', (req, res) =>
    act(req, res, 'withdraw', async () => {
      const f = WithdrawForm.parse(req.body);
      await withdrawRelease(ctx, currentDeskUser(res)!, String(req.params.id), f);
      return 'publishing:withdraw.done';
    }),
  );

  return router;
}
