import type { AppContext } from '../context.js';
import { createI18n } from '../i18n/i18n.js';
import { registerCoreHelpers } from '../views/helpers.js';
import { Views } from '../views/views.js';
import type { FeedContext } from './render-feed.js';

const built = new WeakMap<AppContext, Promise<FeedContext>>();

/**
 * A context that can render feeds from a job handler, which gets only the AppContext (a
 * worker process has no templates or translations loaded). Built once per context.
 */
export function feedContextFor(ctx: AppContext | FeedContext): Promise<FeedContext> {
  if ('views' in ctx && 'i18n' in ctx) return Promise.resolve(ctx);
  let pending = built.get(ctx);
  if (!pending) {
    pending = (async () => {
      const i18n = await createI18n(ctx.config.languages, ctx.config.sourceLanguage);
      const views = new Views();
      registerCoreHelpers(views, i18n, ctx.config.NEWSROOM_TIMEZONE);
      return { ...ctx, views, i18n };
    })();
    built.set(ctx, pending);
  }
  return pending;
}
