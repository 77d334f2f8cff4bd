import { Router, type Request, type Response } from 'express';
import { AppError } from '../../errors.js';
import { presentPicture } from '../../media/picture.js';
import { setLeadImage } from '../../media/set-lead-image.js';
import { uploadMedia } from '../../media/upload-media.js';
import { UploadedFile } from '../../middleware/multipart.js';
import { assertRole } from '../../policies/task-policy.js';
import type { WebContext } from '../../web-context.js';
import { deskMessage } from './desk-messages.js';
import { deskT, flash } from './desk-page.js';
import { currentDeskUser } from './desk-user.js';
import { renderStoryPage } from './story-page.js';

const fileOf = (req: Request, name = 'file') => {
  const f = (req.body as Record<string, unknown> | undefined)?.[name];
  return f instanceof UploadedFile ? f : undefined;
};

/**
 * Pictures in the desk (editors): `POST /desk/media` stores an upload and answers JSON (the
 * rich-text editor's paste, drop and button uploads), `POST /desk/stories/:id/:lang/image`
 * sets or removes a language version's lead picture (a plain form). CSRF is checked by the
 * desk router before either runs (form field or `x-csrf-token`).
 */
export function mediaDeskRoutes(ctx: WebContext): Router {
  const router = Router();
  const editorOnly = (_req: Request, res: Response, next: () => void) => {
    assertRole(currentDeskUser(res)!, 'editor');
    next();
  };

  router.post('/media', editorOnly, async (req, res) => {
    try {
      const file = fileOf(req);
      if (!file) throw new AppError(400, 'media_empty', 'Send the picture as the multipart field "file"');
      const { media, created } = await uploadMedia(ctx, currentDeskUser(res)!, file);
      res.status(created ? 201 : 200).json({
        media: presentPicture({
          media: media._id,
          width: media.width,
          height: media.height,
          hasAlpha: media.hasAlpha,
        }),
        created,
      });
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      res.status(err.status).json({ error: { code: err.code, message: deskMessage(deskT(ctx, req), err) } });
    }
  });

  router.post('/stories/:id/:lang/image', editorOnly, async (req, res) => {
    const t = deskT(ctx, req);
    const body = req.body as Record<string, unknown>;
    const lang = String(req.params.lang);
    try {
      await setLeadImage(
        ctx,
        currentDeskUser(res)!,
        String(req.params.id),
        lang,
        {
          baseRevision: body.baseRevision as never,
          alt: typeof body.alt === 'string' ? body.alt : '',
          caption: typeof body.caption === 'string' ? body.caption : '',
          credit: typeof body.credit === 'string' ? body.credit : '',
          remove: body.action === 'remove',
        },
        fileOf(req),
      );
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) {
        if (err && typeof err === 'object' && 'issues' in err)
          return renderStoryPage(ctx, req, res, {
            status: 400,
            error: t('media:errors.invalidForm'),
            form: 'image',
          });
        throw err;
      }
      return renderStoryPage(ctx, req, res, {
        status: err.status,
        error: deskMessage(t, err),
        form: 'image',
      });
    }
    flash(req, 'ok', t(body.action === 'remove' ? 'media:lead.removed' : 'media:lead.saved'));
    res.redirect(303, `/desk/stories/${req.params.id}?lang=${lang}#image-heading`);
  });
  return router;
}
