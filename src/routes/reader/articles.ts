import { Router, type Request } from 'express';
import { surrogate } from '../../cache/surrogate-keys.js';
import { notFound } from '../../errors.js';
import { routeId } from '../../models/ids.js';
import { Release, type ReleaseDoc } from '../../models/release.js';
import { Route, type RouteDoc } from '../../models/route.js';
import { preferredVersion, presentArticlePage, presentGonePage } from '../../presenters/article-page.js';
import { readerUrls } from '../../presenters/urls.js';
import { Story, type StoryDoc } from '../../models/story.js';
import { relatedReleases } from '../../read-models/related.js';
import { storyVersions, toCard, type ReleaseCard } from '../../read-models/release-index.js';
import type { WebContext } from '../../web-context.js';
import type { Rendered } from '../../middleware/cached-response.js';
import type { Response } from 'express';
import { HTML, languageGuard, readerPage } from './reader-page.js';

/** A version taken off the site by an editor (archived is the older word for it). */
const isWithdrawn = (r: ReleaseDoc | null): r is ReleaseDoc =>
  !!r && (r.status === 'withdrawn' || r.status === 'archived');

const STORY_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * `/{lang}/news/{slug}`: one release, by `_id` lookups only (route → release; the story's
 * other versions from Redis). A former slug answers 301 to the current one; a slug of the
 * same story in another language answers 301 to this language's version, or to the
 * availability page `/{lang}/stories/{storyId}` when there is none yet.
 */
export function articlesRouter(ctx: WebContext): Router {
  const router = Router();
  const { languages } = ctx.config;

  router.get(
    '/:lang/news/:slug',
    readerPage(ctx, async (req, res, lang) => {
      const slug = String(req.params.slug);
      // Slugs are lower case; a link typed or pasted in capitals still finds the story.
      if (slug !== slug.toLowerCase()) {
        res.redirect(301, readerUrls.article(lang, slug.toLowerCase()));
        return undefined;
      }
      const route = await Route.findById(routeId(lang, slug)).lean<RouteDoc>();
      const release = route ? await Release.findById(route.release).lean<ReleaseDoc>() : null;
      if (release && release.lang === lang && release.status === 'published') {
        if (release.slug !== slug) {
          res.redirect(301, readerUrls.article(lang, release.slug));
          return undefined;
        }
        const [versions, contact] = await Promise.all([
          storyVersions(ctx, release.story),
          contactOf(release.story),
        ]);
        const related = await relatedReleases(ctx, versions[lang] ?? toCard(release));
        const page = presentArticlePage(ctx, { lang, release, versions, contact, related: related.shown });
        return {
          body: ctx.views.page('pages/article', page),
          type: HTML,
          lastModified: release.updatedAt ?? undefined,
          // The related stories' cards, and the releases they were chosen among: an edit of a
          // candidate's text changes nothing here, its move on the lists may.
          surrogates: [
            surrogate.story(release.story),
            ...related.shown.map((c) => surrogate.card(lang, c.story)),
            ...related.candidates.map((story) => surrogate.candidate(lang, story)),
          ],
        };
      }
      if (release && release.lang === lang && isWithdrawn(release)) return gone(res, lang, release);
      const storyId = route?.story ?? (await storyOfSlugElsewhere(lang, slug));
      if (!storyId) throw notFound('unknown_release', `No release '${slug}' in '${lang}'`);
      const versions = await storyVersions(ctx, storyId);
      if (versions[lang]) res.redirect(301, readerUrls.article(lang, versions[lang].slug));
      else if (Object.keys(versions).length) res.redirect(301, readerUrls.story(lang, storyId));
      else throw notFound('unknown_release', `No published release '${slug}' in '${lang}'`);
      return undefined;
    }),
  );

  /**
   * A withdrawn version: 301 to the version the editor chose, else 410 Gone with a page in
   * this language that links to the versions still published.
   */
  async function gone(
    res: Response,
    lang: string,
    release: ReleaseDoc,
    known?: Record<string, ReleaseCard>,
  ): Promise<Rendered | undefined> {
    const versions = known ?? (await storyVersions(ctx, release.story));
    const to = release.withdrawal?.redirectTo;
    if (to && versions[to]) {
      res.redirect(301, readerUrls.article(to, versions[to].slug));
      return undefined;
    }
    const page = presentGonePage(ctx, lang, release, versions);
    return { body: ctx.views.page('pages/gone', page), type: HTML, status: 410 };
  }

  /** The story's press contact (an `_id` lookup; the page is cached, so this runs on a render). */
  async function contactOf(storyId: string) {
    const story = await Story.findById(storyId, { contact: 1 }).lean<Pick<StoryDoc, 'contact'>>();
    return story?.contact;
  }

  /** A reader who edited the URL's language: the slug may be another language's (point lookups). */
  async function storyOfSlugElsewhere(lang: string, slug: string): Promise<string | undefined> {
    const others = languages.filter((l) => l !== lang);
    const routes = await Promise.all(others.map((l) => Route.findById(routeId(l, slug)).lean<RouteDoc>()));
    return routes.find((r) => r)?.story;
  }

  // The availability notice depends on the translation tasks too: they are part of the cache key.
  const translating = new WeakMap<Request, string[]>();
  router.get(
    '/:lang/stories/:storyId',
    languageGuard(ctx),
    async (req, _res, next) => {
      const storyId = String(req.params.storyId);
      if (!STORY_ID.test(storyId)) throw notFound('unknown_story', `No story '${storyId}'`);
      translating.set(req, (await ctx.redis.smembers(ctx.keys.translating(storyId))).sort());
      next();
    },
    readerPage(
      ctx,
      async (req, res, lang) => {
        const storyId = String(req.params.storyId);
        const versions = await storyVersions(ctx, storyId);
        if (versions[lang]) {
          res.redirect(301, readerUrls.article(lang, versions[lang].slug));
          return undefined;
        }
        const own = await Release.findById(`${storyId}.${lang}`).lean<ReleaseDoc>();
        if (isWithdrawn(own)) return gone(res, lang, own, versions);
        const shown = preferredVersion(languages, versions);
        const release = shown ? await Release.findById(versions[shown].id).lean<ReleaseDoc>() : null;
        if (!release || release.status !== 'published')
          throw notFound('unknown_story', `No story '${storyId}'`);
        const page = presentArticlePage(ctx, {
          lang,
          release,
          versions,
          translating: translating.get(req),
          contact: await contactOf(storyId),
        });
        return {
          body: ctx.views.page('pages/article', page),
          type: HTML,
          surrogates: [surrogate.story(storyId)],
        };
      },
      (req) => (translating.get(req) ?? []).join(','),
    ),
  );

  return router;
}
