import type { Request, Response } from 'express';
import { leadHtmlOf } from '../../lib/lead-html.js';
import { releaseId } from '../../models/ids.js';
import { Release, type ReleaseDoc } from '../../models/release.js';
import { Story, type StoryDoc } from '../../models/story.js';
import { TaskPointer, openPointerId } from '../../models/task-pointer.js';
import { toZonedLocal } from '../../lib/zoned-time.js';
import { isHeld } from '../../workflow/coordinated-release.js';
import { findTask } from '../../workflow/task-store.js';
import { StoryWorkflow, type StoryWorkflowDoc } from '../../models/story-workflow.js';
import type { WebContext } from '../../web-context.js';
import { deskT, renderDeskPage } from './desk-page.js';
import { notFound } from '../../errors.js';
import { currentDeskUser } from './desk-user.js';
import { autosavedDraft, revisionText } from './writing.routes.js';
import { presentPicture } from '../../media/picture.js';

/** What the page shows again after a refused form: the message and the fields as typed. */
export interface StoryPageProblem {
  status: number;
  error: string;
  /** Which form failed, so its fields keep the user's input. */
  form?: 'edit' | 'image' | 'schedule' | 'hold' | 'withdraw' | 'translations' | 'contact';
  /** A past publication time was refused: offer the confirmation. */
  askPastConfirmation?: boolean;
}

const countdown = (ms: number) => {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  return {
    days: Math.floor(minutes / 1440),
    hours: Math.floor((minutes % 1440) / 60),
    minutes: minutes % 60,
  };
};

/**
 * The per-story page: every language's state (release, task holder, due date), the edit form
 * of one version (`?lang=`, default the original), schedule, coordinated release, withdrawal
 * and translation requests. Every time is shown and read in the newsroom's zone.
 */
export async function renderStoryPage(
  ctx: WebContext,
  req: Request,
  res: Response,
  problem?: StoryPageProblem,
): Promise<void> {
  const t = deskT(ctx, req);
  const tz = ctx.config.NEWSROOM_TIMEZONE;
  const storyId = String(req.params.id);
  const story = await Story.findById(storyId).lean<StoryDoc>();
  if (!story) throw notFound('story_not_found', t('publishing:story.notFound'));
  const settings = await StoryWorkflow.findById(storyId).lean<StoryWorkflowDoc>();
  const now = Date.now();
  const rows = await Promise.all(
    ctx.config.languages.map(async (lang) => {
      const r = await Release.findById(releaseId(storyId, lang)).lean<ReleaseDoc>();
      const ptr = await TaskPointer.findById(openPointerId(storyId, lang)).lean();
      const task = ptr ? await findTask(ptr.task) : null;
      return {
        lang,
        isSource: lang === story.sourceLang,
        release: r,
        waiting: !!r && r.status === 'scheduled' && !r.scheduledAt,
        ready: !!r && r.status !== 'withdrawn' && r.status !== 'archived' && !r.outdated,
        task: task
          ? {
              id: task._id,
              state: task.state,
              holder: task.assignee ?? null,
              dueAt: task.dueAt ?? null,
              overdue: !!task.dueAt && new Date(task.dueAt).getTime() < now,
            }
          : null,
      };
    }),
  );
  const wanted = typeof req.query.lang === 'string' ? req.query.lang : String(req.params.lang ?? '');
  const editLang = ctx.config.languages.includes(wanted) ? wanted : story.sourceLang;
  const current = rows.find((r) => r.lang === editLang)!.release;
  const user = currentDeskUser(res)!;
  // "Restore" loads an old revision's text; "draft" the person's autosaved text.
  const restored =
    typeof req.query.from === 'string'
      ? await revisionText(storyId, editLang, Number(req.query.from))
      : undefined;
  const autosaved = await autosavedDraft(storyId, editLang, user.id);
  const newerDraft =
    autosaved && (!current || autosaved.savedAt.getTime() > new Date(current.updatedAt ?? 0).getTime())
      ? autosaved
      : undefined;
  const loaded = req.query.draft === '1' && newerDraft ? newerDraft : restored;
  const posted =
    problem?.form === 'edit'
      ? (req.body as Record<string, string>)
      : loaded
        ? { title: loaded.title, lead: loaded.lead, body: loaded.body }
        : undefined;
  const status = posted?.status ?? (current?.status === 'withdrawn' ? 'draft' : (current?.status ?? 'draft'));
  const held = isHeld(story);
  const embargo = story.embargoUntil ? new Date(story.embargoUntil) : null;
  const liveVersions = rows.filter((r) => r.release && r.release.status !== 'withdrawn');
  const published = rows.filter((r) => r.release?.status === 'published');
  const source = rows.find((r) => r.isSource)!.release;

  renderDeskPage(
    ctx,
    req,
    res,
    'story',
    {
      title: source?.title ?? current?.title ?? storyId,
      error: problem?.error,
      timeZone: tz,
      story: { id: storyId, sourceLang: story.sourceLang, section: story.section },
      languages: rows,
      edit: {
        lang: editLang,
        isSource: editLang === story.sourceLang,
        exists: !!current,
        revision: current?.revision ?? 0,
        title: posted?.title ?? current?.title ?? '',
        lead: posted?.lead ?? leadHtmlOf(current ?? {}),
        body: posted?.body ?? current?.body ?? '',
        status,
        isDraft: status === 'draft' || status === 'archived',
        isScheduled: status === 'scheduled',
        isPublished: status === 'published',
        publishAt:
          posted?.publishAt ??
          toZonedLocal(current?.status === 'scheduled' ? current.scheduledAt : undefined, tz),
        askPastConfirmation: problem?.askPastConfirmation,
        // A change to a published text: the editor says whether it is a correction or an update.
        wasPublished: current?.status === 'published',
        change: posted?.change,
        changeNote: posted?.changeNote ?? '',
        note: posted?.note ?? '',
        withdrawn: current?.status === 'withdrawn' ? current.withdrawal : undefined,
        otherLanguages: rows.filter((r) => r.lang !== editLang).map((r) => r.lang),
        // Told before saving a source edit: who is translating it now (they keep their task).
        inTranslation:
          editLang === story.sourceLang
            ? rows.flatMap((r) =>
                r.task?.state === 'in_progress' ? [{ lang: r.lang, by: r.task.holder ?? '' }] : [],
              )
            : [],
        restoredFrom: restored && !problem ? restored.revision : undefined,
        autosaved: newerDraft && req.query.draft !== '1' ? { savedAt: newerDraft.savedAt } : undefined,
        autosaveUrl: `/desk/stories/${storyId}/${editLang}/draft`,
        image: current?.image
          ? {
              ...presentPicture(current.image, { alt: current.image.alt, sizes: '20rem' }),
              caption: current.image.caption,
              credit: current.image.credit,
            }
          : undefined,
        mediaMaxMb: ctx.config.MEDIA_MAX_MB,
      },
      schedule:
        current?.status === 'scheduled' && current.scheduledAt
          ? { at: current.scheduledAt, local: toZonedLocal(current.scheduledAt, tz) }
          : undefined,
      hold: {
        active: held,
        langs: story.holdUntilLangs ?? [],
        embargoUntil: embargo,
        embargoLocal: toZonedLocal(embargo, tz),
        countdown: embargo && embargo.getTime() > now ? countdown(embargo.getTime() - now) : undefined,
        ready: rows.filter((r) => r.ready).map((r) => r.lang),
        waitingFor: (story.holdUntilLangs ?? []).filter((l) => !rows.find((r) => r.lang === l)?.ready),
        choices: ctx.config.languages.map((l) => ({
          lang: l,
          checked: (story.holdUntilLangs ?? []).includes(l),
        })),
      },
      withdraw: {
        choices: liveVersions.map((r) => r.lang),
        sourceHasTranslations: liveVersions.some((r) => r.isSource) && liveVersions.some((r) => !r.isSource),
        redirectChoices: published.map((r) => r.lang),
      },
      // The press contact's fields: as typed after a refusal, else as stored.
      contact:
        problem?.form === 'contact'
          ? req.body
          : {
              contactName: story.contact?.name ?? '',
              contactRole: story.contact?.role ?? '',
              contactPhone: story.contact?.phone ?? '',
              contactEmail: story.contact?.email ?? '',
            },
      translations: {
        targets: ctx.config.languages.filter((l) => l !== story.sourceLang),
        priority: settings?.priority ?? 5,
      },
    },
    problem?.status ?? 200,
  );
}
