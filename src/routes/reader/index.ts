import { Router } from 'express';
import type { WebContext } from '../../web-context.js';
import { archiveRouter } from './archive.js';
import { articlesRouter } from './articles.js';
import { homeRouter } from './home.js';
import { languageRouter } from './language.js';
import { listingsRouter } from './listings.js';
import { manifestRouter } from './manifest.js';
import { searchRouter } from './search.js';
import { tagsRouter } from './tags.js';

/**
 * Reader pages (docs/reader.md): `/` → `/{lang}/`, the language homes, all news and section
 * listings, tag pages and the date archive, articles and the availability page, search, and
 * the language switch.
 */
export function readerRouter(ctx: WebContext): Router {
  const router = Router();
  router.use(manifestRouter(ctx));
  router.use(languageRouter(ctx));
  router.use(homeRouter(ctx));
  router.use(listingsRouter(ctx));
  router.use(tagsRouter(ctx));
  router.use(archiveRouter(ctx));
  router.use(articlesRouter(ctx));
  router.use(searchRouter(ctx));
  return router;
}
