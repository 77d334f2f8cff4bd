import { Router, type Request, type Response } from 'express';
import { createStory } from '../../commands/create-story.js';
import { editRelease } from '../../commands/edit-release.js';
import { requestTranslations } from '../../commands/request-translations.js';
import { AppError, badRequest } from '../../errors.js';
import { releaseId } from '../../models/ids.js';
import { Release, RELEASE_STATUSES, type ReleaseDoc } from '../../models/release.js';
import { assertRole } from '../../policies/task-policy.js';
import { listStories, storyState } from '../../workflow/story-state.js';
import type { WebContext } from '../../web-context.js';
import { deskT, flash, renderDeskPage } from './desk-page.js';
import { currentDeskUser } from './desk-user.js';
import { EditReleaseForm, formProblem, NewStoryForm, RequestTranslationsForm } from './story-forms.js';

/** A 4xx from a command shown on the form it came from, with the user's input kept. */
const formError = (err: unknown) => {
  if (err instanceof AppError && err.status < 500) return err;
  if (err && typeof err === 'object' && 'issues' in err)
    return badRequest('invalid_form', formProblem(err as never));
  throw err;
};

/** Editors: the story list, the new-story form, and a story page to edit its source and request translations. */
export function storyRoutes(ctx: WebContext): Router {
  const router = Router();
  const targets = ctx.config.languages.filter((l) => l !== ctx.config.sourceLanguage);
  const editorOnly = (_req: Request, res: Response, next: () => void) => {
    assertRole(currentDeskUser(res)!, 'editor');
    next();
  };
  router.use('/stories', editorOnly);

  router.get('/stories', async (req, res) => {
    const status = RELEASE_STATUSES.find((s) => s === req.query.status);
    const stories = await listStories(ctx, { status, limit: 100 });
    renderDeskPage(ctx, req, res, 'stories', {
      title: deskT(ctx, req)('desk:stories.title'),
      stories,
      statuses: RELEASE_STATUSES.map((s) => ({ value: s, current: s === status })),
    });
  });

  const newForm = (req: Request, res: Response, status = 200, error?: string) =>
    renderDeskPage(
      ctx,
      req,
      res,
      'story-new',
      {
        title: deskT(ctx, req)('desk:stories.new'),
        error,
        form: req.method === 'POST' ? req.body : {},
        targets: targets.map((l) => ({
          lang: l,
          checked: req.method !== 'POST' || [req.body.targets ?? []].flat().includes(l),
        })),
      },
      status,
    );

  router.get('/stories/new', (req, res) => newForm(req, res));

  router.post('/stories', async (req, res) => {
    const parsed = NewStoryForm.safeParse(req.body);
    if (!parsed.success) return newForm(req, res, 400, formProblem(parsed.error));
    const f = parsed.data;
    try {
      const { storyId } = await createStory(ctx, currentDeskUser(res)!, {
        ...f,
        // All targets ticked means "the newsroom's default", so later languages join too.
        targets: f.targets.length === targets.length ? undefined : f.targets,
      });
      flash(req, 'ok', deskT(ctx, req)(f.publish ? 'desk:stories.published' : 'desk:stories.saved'));
      res.redirect(303, `/desk/stories/${storyId}`);
    } catch (err) {
      const e = formError(err);
      newForm(req, res, e.status, e.message);
    }
  });

  const storyPage = async (req: Request, res: Response, status = 200, error?: string) => {
    const storyId = String(req.params.id);
    const story = await storyState(ctx, storyId);
    const source = await Release.findById(releaseId(storyId, story.sourceLang)).lean<ReleaseDoc>();
    const posted = req.method === 'POST' && req.path.endsWith(`/${story.sourceLang}`) ? req.body : undefined;
    renderDeskPage(
      ctx,
      req,
      res,
      'story',
      {
        title: source?.title ?? storyId,
        error,
        story,
        source: posted ? { ...source, ...posted, revision: source?.revision } : source,
        statuses: RELEASE_STATUSES.map((s) => ({
          value: s,
          current: s === (posted?.status ?? source?.status),
        })),
        languages: Object.entries(story.languages).map(([lang, state]) => ({ lang, ...(state as object) })),
        // Told before saving a source edit: who is translating it now (they keep their task).
        inTranslation: Object.entries(story.languages).flatMap(([lang, state]) => {
          const task = (state as { task?: { state?: string; assignee?: string | null } }).task;
          return task?.state === 'in_progress' ? [{ lang, by: task.assignee ?? '' }] : [];
        }),
        targets,
      },
      status,
    );
  };

  router.get('/stories/:id', (req, res) => storyPage(req, res));

  router.post('/stories/:id/translations', async (req, res) => {
    const parsed = RequestTranslationsForm.safeParse(req.body);
    if (!parsed.success) return storyPage(req, res, 400, formProblem(parsed.error));
    const f = parsed.data;
    try {
      await requestTranslations(ctx, currentDeskUser(res)!, String(req.params.id), {
        ...f,
        langs: f.langs.length ? f.langs : undefined,
      });
    } catch (err) {
      const e = formError(err);
      return storyPage(req, res, e.status, e.message);
    }
    flash(req, 'ok', deskT(ctx, req)('desk:stories.requested'));
    res.redirect(303, `/desk/stories/${req.params.id}`);
  });

  router.post('/stories/:id/:lang', async (req, res) => {
    const parsed = EditReleaseForm.safeParse(req.body);
    if (!parsed.success) return storyPage(req, res, 400, formProblem(parsed.error));
    try {
      await editRelease(
        ctx,
        currentDeskUser(res)!,
        String(req.params.id),
        String(req.params.lang),
        parsed.data,
      );
    } catch (err) {
      const e = formError(err);
      const t = deskT(ctx, req);
      return storyPage(
        req,
        res,
        e.status,
        e.code === 'revision_conflict' ? t('desk:stories.conflict') : e.message,
      );
    }
    flash(req, 'ok', deskT(ctx, req)('desk:stories.saved'));
    res.redirect(303, `/desk/stories/${req.params.id}`);
  });

  return router;
}
