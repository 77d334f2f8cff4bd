import { Router } from 'express';
import { z } from 'zod';
import { badRequest } from '../../errors.js';
import type { WebContext } from '../../web-context.js';

/** Lets anyone on the desk (signed in or not) choose the interface language; kept in the session. */
export function languageRoutes(ctx: WebContext): Router {
  const router = Router();
  const LanguageForm = z.object({ lang: z.enum(ctx.config.languages as [string, ...string[]]) });
  router.post('/language', (req, res) => {
    const parsed = LanguageForm.safeParse(req.body);
    if (!parsed.success) {
      throw badRequest(
        'unknown_language',
        `Choose one of the configured languages: ${ctx.config.languages.join(', ')}`,
      );
    }
    req.session.deskLang = parsed.data.lang;
    const back = req.get('referer');
    const path = back ? new URL(back, 'http://x').pathname : '/desk/';
    res.redirect(303, path.startsWith('/desk') ? path : '/desk/');
  });
  return router;
}
