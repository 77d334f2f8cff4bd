import { Router } from 'express';
import { join } from 'node:path';
import { cachedResponse } from '../../middleware/cached-response.js';
import { TEMPLATES_DIR } from '../../paths.js';
import { readerUrls } from '../../presenters/urls.js';
import type { WebContext } from '../../web-context.js';

/**
 * `/{lang}/manifest.webmanifest`: the web app manifest in the page's language (name, start
 * page, icons), so "add to home screen" opens the reader's own language; `/favicon.ico` for
 * browsers that ask for it whatever the page says.
 */
export function manifestRouter(ctx: WebContext): Router {
  const router = Router();
  const langs = new Set(ctx.config.languages);
  router.get(
    '/:lang/manifest.webmanifest',
    cachedResponse(ctx, async (req) => {
      const lang = String(req.params.lang);
      if (!langs.has(lang)) return undefined;
      const name = ctx.i18n.t('site.name', { lng: lang });
      return {
        body: JSON.stringify({
          name,
          short_name: name.length > 12 ? name.split(/\s+/)[0] : name,
          lang,
          dir: 'auto',
          start_url: readerUrls.home(lang),
          scope: '/',
          display: 'browser',
          background_color: '#ffffff',
          theme_color: '#0b4f8a',
          icons: [
            { src: '/assets/favicon.svg', type: 'image/svg+xml', sizes: 'any' },
            { src: '/feeds/logo.png', type: 'image/png', sizes: '144x144' },
          ],
        }),
        type: 'application/manifest+json; charset=utf-8',
        cacheControl: 'public, max-age=86400',
      };
    }),
  );
  router.get('/favicon.ico', (_req, res) => {
    res.type('image/png').sendFile(join(TEMPLATES_DIR, 'feeds', 'logo.png'), { maxAge: '7d' });
  });
  return router;
}
