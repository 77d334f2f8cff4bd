import { diffWords } from 'diff';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { badRequest, notFound } from '../../errors.js';
import { sanitizeReleaseHtml } from '../../lib/sanitize-html.js';
import { leadHtmlOf, storedLead } from '../../lib/lead-html.js';
import { releaseId } from '../../models/ids.js';
import { ReleaseDraft } from '../../models/release-draft.js';
import { ReleaseRevision } from '../../models/release-revision.js';
import { Release, type ReleaseDoc } from '../../models/release.js';
import { Story, type StoryDoc } from '../../models/story.js';
import { assertRole } from '../../policies/task-policy.js';
import { presentArticlePage } from '../../presenters/article-page.js';
import { storyVersions } from '../../read-models/release-index.js';
import type { WebContext } from '../../web-context.js';
import { deskT, renderDeskPage } from './desk-page.js';
import { currentDeskUser } from './desk-user.js';

const DraftBody = z.object({
  baseRevision: z.coerce.number().int().min(0),
  title: z.string().max(500).default(''),
  /** The form's lead field: inline HTML. */
  lead: z.string().max(20_000).default(''),
  body: z.string().max(1_000_000).default(''),
});

/** Text of an HTML body for a readable word diff: block ends become line breaks. */
const textOf = (html: string) =>
  html
    .replace(/<\/(p|h[2-6]|li|blockquote|tr|figure|figcaption)>/gi, '\n')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'");

/** The newest revisions of a release by `_id` point lookups (the only indexed lookup on the embedded store). */
async function revisionsOf(release: ReleaseDoc, limit = 50) {
  const ids = [];
  for (let n = release.revision; n >= 1 && ids.length < limit; n--) ids.push(`${release._id}:${n}`);
  const found = await Promise.all(ids.map((id) => ReleaseRevision.findById(id).lean()));
  return found.filter((r) => !!r);
}

/**
 * Writing aids on the story page: the editor's autosave (a per-person draft beside the
 * release, with the revision it was based on), a preview of the article exactly as readers
 * will see it, and each version's revision history with a word diff and "restore" (which
 * loads an old text into the edit form, to be saved with the usual questions).
 */
export function writingRoutes(ctx: WebContext): Router {
  const router = Router();
  router.use('/stories/:id/:lang', (req, res, next) => {
    if (!['draft', 'preview', 'history'].includes(req.path.split('/')[1] ?? '')) return next();
    assertRole(currentDeskUser(res)!, 'editor');
    if (!ctx.config.languages.includes(String(req.params.lang)))
      throw notFound('unknown_language', `No language '${req.params.lang}'`);
    next();
  });

  router.post('/stories/:id/:lang/draft', async (req, res) => {
    const input = DraftBody.safeParse(req.body);
    if (!input.success) throw badRequest('invalid_draft', 'The draft is malformed');
    const storyId = String(req.params.id);
    if (!(await Story.exists({ _id: storyId }))) throw notFound('story_not_found', `No story '${storyId}'`);
    const user = currentDeskUser(res)!;
    const id = releaseId(storyId, String(req.params.lang));
    const savedAt = new Date();
    await ReleaseDraft.replaceOne(
      { _id: `${id}:${user.id}` },
      { _id: `${id}:${user.id}`, release: id, user: user.id, ...input.data, savedAt },
      { upsert: true },
    );
    res.json({ saved: true, savedAt });
  });

  router.post('/stories/:id/:lang/preview', async (req, res) => {
    const storyId = String(req.params.id);
    const lang = String(req.params.lang);
    const story = await Story.findById(storyId).lean<StoryDoc>();
    if (!story) throw notFound('story_not_found', `No story '${storyId}'`);
    const existing = await Release.findById(releaseId(storyId, lang)).lean<ReleaseDoc>();
    const now = new Date();
    const release = {
      ...(existing ?? {}),
      _id: releaseId(storyId, lang),
      story: storyId,
      lang,
      slug: existing?.slug ?? 'preview',
      title: String(req.body?.title ?? existing?.title ?? ''),
      // The form's lead field holds inline HTML, as on save.
      ...storedLead({ leadHtml: String(req.body?.lead ?? leadHtmlOf(existing ?? {})) }),
      body: sanitizeReleaseHtml(String(req.body?.body ?? existing?.body ?? '')),
      section: existing?.section ?? story.section,
      status: 'published',
      publishedAt: existing?.publishedAt ?? now,
      updatedAt: now,
    } as ReleaseDoc;
    const page = presentArticlePage(ctx, {
      lang,
      release,
      versions: await storyVersions(ctx, storyId),
      contact: story.contact,
    });
    const html = ctx.views.page('pages/article', {
      ...page,
      preview: deskT(ctx, req)('publishing:story.previewBanner'),
      noindex: true,
    });
    res.status(200).type('html').set('Cache-Control', 'no-store').set('X-Robots-Tag', 'noindex').send(html);
  });

  router.get('/stories/:id/:lang/history', async (req: Request, res: Response) => {
    const storyId = String(req.params.id);
    const lang = String(req.params.lang);
    const release = await Release.findById(releaseId(storyId, lang)).lean<ReleaseDoc>();
    if (!release) throw notFound('release_not_found', `Story ${storyId} has no '${lang}' version`);
    const revisions = await revisionsOf(release);
    const wanted = Number(req.query.diff ?? revisions[0]?.revision);
    const shown = revisions.find((r) => r.revision === wanted);
    const before = shown ? revisions.find((r) => r.revision === wanted - 1) : undefined;
    const diffOf = (a: string, b: string) =>
      diffWords(a, b).map((p) => ({ text: p.value, added: p.added, removed: p.removed }));
    renderDeskPage(ctx, req, res, 'history', {
      title: deskT(ctx, req)('publishing:history.title', { title: release.title }),
      storyId,
      lang,
      current: release.revision,
      revisions: revisions.map((r) => ({ ...r, shown: r.revision === wanted })),
      diff: shown
        ? {
            revision: shown.revision,
            previous: before?.revision,
            title: diffOf(before?.title ?? '', shown.title ?? ''),
            lead: diffOf(before?.lead ?? '', shown.lead ?? ''),
            body: diffOf(textOf(before?.body ?? ''), textOf(shown.body ?? '')),
          }
        : undefined,
    });
  });

  return router;
}

/** The text of an old revision for the edit form ("restore"), or undefined. */
export async function revisionText(storyId: string, lang: string, revision: number) {
  if (!Number.isInteger(revision) || revision < 1) return undefined;
  const r = await ReleaseRevision.findById(`${releaseId(storyId, lang)}:${revision}`).lean();
  return r ? { title: r.title ?? '', lead: leadHtmlOf(r), body: r.body ?? '', revision } : undefined;
}

/** The person's autosaved draft of a version, if any. */
export async function autosavedDraft(storyId: string, lang: string, userId: string) {
  return ReleaseDraft.findById(`${releaseId(storyId, lang)}:${userId}`).lean();
}
