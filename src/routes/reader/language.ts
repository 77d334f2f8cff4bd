import { Router } from 'express';
import { negotiateLanguage } from '../../i18n/negotiate.js';
import { notFound } from '../../errors.js';
import { readerUrls } from '../../presenters/urls.js';
import type { WebContext } from '../../web-context.js';

const ONE_YEAR_MS = 365 * 24 * 3600 * 1000;

/**
 * `/` sends each reader to their language (cookie, then Accept-Language, then the source
 * language); `/language/{lang}?next=…` is what the switcher links to: it remembers the choice
 * in the `lang` cookie and goes on to the page in that language. Works without JavaScript.
 */
export function languageRouter(ctx: WebContext): Router {
  const router = Router();
  const { languages, sourceLanguage } = ctx.config;
  const secure = ctx.config.publicUrl.startsWith('https:');

  router.get('/', (req, res) => {
    const lang = negotiateLanguage(
      languages,
      sourceLanguage,
      req.cookies?.lang,
      req.headers['accept-language'],
    );
    res.set('Vary', 'Accept-Language, Cookie').set('Cache-Control', 'private, no-cache');
    res.redirect(302, readerUrls.home(lang));
  });

  router.get('/language/:lang', (req, res) => {
    const { lang } = req.params;
    if (!languages.includes(lang)) {
      throw notFound(
        'unknown_language',
        `Language '${lang}' is not configured; configured: ${languages.join(', ')}`,
      );
    }
    const next = typeof req.query.next === 'string' ? req.query.next : '';
    res.cookie('lang', lang, { maxAge: ONE_YEAR_MS, path: '/', sameSite: 'lax', httpOnly: true, secure });
    res.set('Cache-Control', 'no-store');
    res.redirect(302, isPageOf(lang, next) ? next : readerUrls.home(lang));
  });

  return router;
}

/** Only a local path in the chosen language: never an open redirect to another site. */
function isPageOf(lang: string, path: string): boolean {
  return path.startsWith(`/${lang}/`) && !path.includes('//') && !path.includes('\\') && path.length <= 2000;
}
