import type { AppContext } from '../context.js';
import { leadHtmlOf } from '../lib/lead-html.js';
import { notFound } from '../errors.js';
import { releaseId } from '../models/ids.js';
import { Release, type ReleaseDoc } from '../models/release.js';
import { StoryWorkflow, type StoryWorkflowDoc } from '../models/story-workflow.js';
import { Story, type StoryDoc } from '../models/story.js';
import { TaskPointer, openPointerId } from '../models/task-pointer.js';
import { Task, type TaskDoc } from '../models/translation-task.js';

/** A story with every configured language's state: its release (if any) and its open task (if any). */
export async function storyState(ctx: AppContext, storyId: string) {
  const [story, settings] = await Promise.all([
    Story.findById(storyId).lean<StoryDoc>(),
    StoryWorkflow.findById(storyId).lean<StoryWorkflowDoc>(),
  ]);
  if (!story) throw notFound('story_not_found', `No story '${storyId}'`);
  // The languages side by side, and each release without its body and history: this answers
  // every edit through the API (before and after it), so it is on the churn path. Only a
  // language that is translated into (a pivot target) can have an open task.
  const states = await Promise.all(
    ctx.config.languages.map(async (lang) => {
      const [r, ptr] = await Promise.all([
        Release.findById(releaseId(storyId, lang), STATE_FIELDS).lean<ReleaseDoc>(),
        lang in ctx.config.pivots ? TaskPointer.findById(openPointerId(storyId, lang)).lean() : null,
      ]);
      // Its state only: a task document carries every segment of the text.
      const task = ptr ? await Task.findById(ptr.task, TASK_FIELDS).lean<TaskDoc>() : null;
      return [lang, languageState(r, task)] as const;
    }),
  );
  const languages: Record<string, unknown> = Object.fromEntries(states);
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

/** The release fields a story's state shows (`languageState`). */
const STATE_FIELDS = {
  status: 1,
  revision: 1,
  outdated: 1,
  title: 1,
  lead: 1,
  leadHtml: 1,
  slug: 1,
  translatedFrom: 1,
  sourceRevision: 1,
  publishedAt: 1,
  scheduledAt: 1,
  updatedAt: 1,
} as const;

/** The task fields a story's state shows. */
const TASK_FIELDS = { state: 1, pair: 1, sourceRevision: 1, assignee: 1 } as const;

function languageState(r: ReleaseDoc | null, task: TaskDoc | null) {
  return {
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
