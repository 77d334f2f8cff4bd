import { Router, type Request, type Response } from 'express';
import { createStory } from '../../commands/create-story.js';
import { editRelease } from '../../commands/edit-release.js';
import { requestTranslations } from '../../commands/request-translations.js';
import { AppError, badRequest } from '../../errors.js';
import { assertRole } from '../../policies/task-policy.js';
import type { WebContext } from '../../web-context.js';
import { deskT, flash, renderDeskPage } from './desk-page.js';
import { currentDeskUser } from './desk-user.js';
import {
  ContactForm,
  editReleaseForm,
  formProblem,
  NewStoryForm,
  newStoryContact,
  RequestTranslationsForm,
} from './story-forms.js';
import { setStoryContact } from '../../commands/set-story-contact.js';
import { deskMessage } from './desk-messages.js';
import { renderStoryPage, type StoryPageProblem } from './story-page.js';

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
        contact: newStoryContact(f),
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

  const storyPage = (
    req: Request,
    res: Response,
    status = 200,
    error?: string,
    form?: StoryPageProblem['form'],
  ) => renderStoryPage(ctx, req, res, error ? { status, error, form } : undefined);

  router.get('/stories/:id', (req, res) => storyPage(req, res));

  router.post('/stories/:id/translations', async (req, res) => {
    const parsed = RequestTranslationsForm.safeParse(req.body);
    if (!parsed.success) return storyPage(req, res, 400, formProblem(parsed.error), 'translations');
    const f = parsed.data;
    try {
      await requestTranslations(ctx, currentDeskUser(res)!, String(req.params.id), {
        ...f,
        langs: f.langs.length ? f.langs : undefined,
      });
    } catch (err) {
      const e = formError(err);
      return storyPage(req, res, e.status, deskMessage(deskT(ctx, req), e), 'translations');
    }
    flash(req, 'ok', deskT(ctx, req)('desk:stories.requested'));
    res.redirect(303, `/desk/stories/${req.params.id}`);
  });

  router.post('/stories/:id/contact', async (req, res) => {
    const t = deskT(ctx, req);
    const parsed = ContactForm.safeParse(req.body);
    if (!parsed.success) return storyPage(req, res, 400, formProblem(parsed.error), 'contact');
    try {
      await setStoryContact(ctx, currentDeskUser(res)!, String(req.params.id), parsed.data);
    } catch (err) {
      const e = formError(err);
      return storyPage(req, res, e.status, deskMessage(t, e), 'contact');
    }
    flash(req, 'ok', t('browse:contact.saved'));
    res.redirect(303, `/desk/stories/${req.params.id}`);
  });

  const editForm = editReleaseForm(ctx.config.NEWSROOM_TIMEZONE);
  router.post('/stories/:id/:lang', async (req, res) => {
    const t = deskT(ctx, req);
    const parsed = editForm.safeParse(req.body);
    if (!parsed.success) return storyPage(req, res, 400, formProblem(parsed.error), 'edit');
    const lang = String(req.params.lang);
    try {
      await editRelease(ctx, currentDeskUser(res)!, String(req.params.id), lang, parsed.data, {
        askChangeKind: true,
      });
    } catch (err) {
      const e = formError(err);
      return renderStoryPage(ctx, req, res, {
        status: e.status,
        error: deskMessage(t, e),
        form: 'edit',
        askPastConfirmation: e.code === 'schedule_in_past',
      });
    }
    flash(
      req,
      'ok',
      t(parsed.data.status === 'scheduled' ? 'publishing:publish.scheduledOk' : 'desk:stories.saved'),
    );
    res.redirect(303, `/desk/stories/${req.params.id}?lang=${lang}`);
  });

  return router;
}
