import type { AppContext } from '../context.js';
import { leadHtmlOf } from '../lib/lead-html.js';
import { notFound } from '../errors.js';
import { releaseId } from '../models/ids.js';
import { Release, type ReleaseDoc } from '../models/release.js';
import { StoryWorkflow, type StoryWorkflowDoc } from '../models/story-workflow.js';
import { Story, type StoryDoc } from '../models/story.js';
import { TaskPointer, openPointerId } from '../models/task-pointer.js';
import { findTask } from './task-store.js';

/** A story with every configured language's state: its release (if any) and its open task (if any). */
export async function storyState(ctx: AppContext, storyId: string) {
  const story = await Story.findById(storyId).lean<StoryDoc>();
  if (!story) throw notFound('story_not_found', `No story '${storyId}'`);
  const settings = await StoryWorkflow.findById(storyId).lean<StoryWorkflowDoc>();
  const languages: Record<string, unknown> = {};
  for (const lang of ctx.config.languages) {
    const r = await Release.findById(releaseId(storyId, lang)).lean<ReleaseDoc>();
    const ptr = await TaskPointer.findById(openPointerId(storyId, lang)).lean();
    const task = ptr ? await findTask(ptr.task) : null;
    languages[lang] = {
      release: r
        ? {
            id: r._id,
            status: r.status,
            revision: r.revision,
            outdated: !!r.outdated,
            title: r.title,
            // Plain text, and the same as inline HTML (escaped when it has no markup).
            lead: r.lead ?? '',
            leadHtml: leadHtmlOf(r),
            slug: r.slug,
            translatedFrom: r.translatedFrom ?? null,
            sourceRevision: r.sourceRevision ?? null,
            publishedAt: r.publishedAt ?? null,
            scheduledAt: r.scheduledAt ?? null,
            updatedAt: r.updatedAt,
          }
        : null,
      task: task
        ? {
            id: task._id,
            state: task.state,
            pair: task.pair,
            sourceRevision: task.sourceRevision,
            assignee: task.assignee ?? null,
          }
        : null,
    };
  }
  return {
    id: story._id,
    externalId: story.externalId,
    sourceLang: story.sourceLang,
    section: story.section,
    tags: story.tags ?? [],
    hold: { langs: story.holdUntilLangs ?? [], embargoUntil: story.embargoUntil ?? null },
    translation: settings
      ? { targets: settings.targets, priority: settings.priority, dueAt: settings.dueAt ?? null }
      : { targets: [], priority: 5, dueAt: null },
    languages,
  };
}

/** Releases of a language (and status), newest change first; a capped listing for automation. */
export async function listStories(ctx: AppContext, q: { lang?: string; status?: string; limit: number }) {
  const filter: Record<string, string> = { lang: q.lang ?? ctx.config.sourceLanguage };
  if (q.status) filter.status = q.status;
  const releases = await Release.find(filter, { body: 0, people: 0 })
    .sort({ updatedAt: -1 })
    .limit(q.limit)
    .lean<ReleaseDoc[]>();
  return releases.map((r) => ({
    storyId: r.story,
    lang: r.lang,
    status: r.status,
    revision: r.revision,
    outdated: !!r.outdated,
    title: r.title,
    slug: r.slug,
    publishedAt: r.publishedAt ?? null,
    updatedAt: r.updatedAt,
  }));
}
