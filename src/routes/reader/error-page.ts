import type { Request, Response } from 'express';
import type { WebContext } from '../../web-context.js';
import { pageChrome } from '../../presenters/page-chrome.js';
import { codeForStatus, setErrorCode } from '../../middleware/error-code.js';

/** A localized error page: in the language of the URL when configured, else the source language. */
export function renderErrorPage(
  ctx: WebContext,
  req: Request,
  res: Response,
  status: number,
  message?: string,
): void {
  const first = req.path.split('/')[1] ?? '';
  const lang = ctx.config.languages.includes(first) ? first : ctx.config.sourceLanguage;
  const t = ctx.i18n.getFixedT(lang);
  const title =
    status === 404
      ? t('error.notFoundTitle')
      : status < 500
        ? t('error.badRequestTitle')
        : t('error.serverTitle');
  const html = ctx.views.page('pages/error', {
    ...pageChrome(ctx, lang, { title, path: req.path, noindex: true }),
    status,
    title,
    message: status === 404 ? t('error.notFoundBody') : (message ?? t('error.serverBody')),
  });
  setErrorCode(res, codeForStatus(status));
  res.status(status).type('html').set('Cache-Control', 'no-store').send(html);
}
