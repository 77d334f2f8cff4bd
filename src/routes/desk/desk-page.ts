import type { Request, Response } from 'express';
import { LANGUAGE_NAMES, RTL } from '../../i18n/i18n.js';
import { csrfToken } from '../../middleware/csrf.js';
import { codeForStatus, setErrorCode } from '../../middleware/error-code.js';
import type { WebContext } from '../../web-context.js';
import { currentDeskUser, hasRole } from './desk-user.js';

/**
 * The desk's interface language: the user's choice, else the browser's preference among the
 * configured languages, else the source language.
 */
export function deskLanguage(ctx: WebContext, req: Request): string {
  const chosen = req.session?.deskLang;
  if (chosen && ctx.config.languages.includes(chosen)) return chosen;
  return req.acceptsLanguages(...ctx.config.languages) || ctx.config.sourceLanguage;
}

/** A translation function fixed to the desk language of this request. */
export const deskT = (ctx: WebContext, req: Request) => ctx.i18n.getFixedT(deskLanguage(ctx, req));

/**
 * Renders a desk page in the desk layout with what every desk page needs: language, the
 * signed-in user, role-dependent navigation, a CSRF token for its forms and a one-time
 * notice. Desk pages are personal: never cached anywhere.
 */
export function renderDeskPage(
  ctx: WebContext,
  req: Request,
  res: Response,
  page: string,
  data: Record<string, unknown> & { title: string },
  status = 200,
): void {
  const lang = deskLanguage(ctx, req);
  const user = currentDeskUser(res);
  const flash = req.session?.flash;
  if (flash) delete req.session.flash;
  const html = ctx.views.page(
    `desk/${page}`,
    {
      ...data,
      lang,
      dir: RTL.has(lang) ? 'rtl' : 'ltr',
      pageTitle: `${data.title} — ${ctx.i18n.t('desk:desk.name', { lng: lang })}`,
      user,
      nav: user
        ? {
            stories: hasRole(user, 'editor'),
            resources: hasRole(user, 'reviewer'),
            queues: user.roles.includes('admin'),
            admin: user.roles.includes('admin'),
          }
        : undefined,
      csrf: csrfToken(ctx, req, res),
      flash,
      deskLanguages: ctx.config.languages.map((l) => ({
        lang: l,
        name: LANGUAGE_NAMES[l] ?? l,
        current: l === lang,
      })),
    },
    'layouts/desk',
  );
  if (status >= 400) setErrorCode(res, typeof data.code === 'string' ? data.code : codeForStatus(status));
  res.status(status).type('html').set('Cache-Control', 'no-store').send(html);
}

/** Stores a one-time notice for the next desk page, shown after a POST-redirect-GET. */
export function flash(req: Request, kind: 'ok' | 'error', text: string): void {
  req.session.flash = { kind, text };
}
