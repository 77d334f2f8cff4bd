import type { AppContext } from '../context.js';
import { releaseId } from '../models/ids.js';
import { Release, type ReleaseDoc } from '../models/release.js';
import { Story, type StoryDoc } from '../models/story.js';
import { TaskPointer, openPointerId } from '../models/task-pointer.js';
import { StoryWorkflow, type StoryWorkflowDoc } from '../models/story-workflow.js';
import { isTranslatable } from './coordinated-release.js';
import { prepareTranslationTask, type PrepareOutcome } from './prepare-task.js';

/**
 * Target languages translated from `lang` (per the pivot configuration), narrowed per story:
 * an editor's choice, else every one — but an imported story (an archive) only into the
 * languages it already has a version or a task in, so correcting it updates its
 * translations without opening work in languages nobody asked for.
 */
export async function targetsOf(ctx: AppContext, storyId: string, lang: string): Promise<string[]> {
  const all = Object.entries(ctx.config.pivots)
    .filter(([, from]) => from === lang)
    .map(([to]) => to);
  const settings = await StoryWorkflow.findById(storyId).lean<StoryWorkflowDoc>();
  if (settings?.targets?.length) return all.filter((t) => settings.targets.includes(t));
  const story = await Story.findById(storyId).lean<StoryDoc>();
  if (!story?.imported) return all;
  const present = await Promise.all(
    all.map(
      async (to) =>
        !!(await Release.exists({ _id: releaseId(storyId, to) })) ||
        !!(await TaskPointer.exists({ _id: openPointerId(storyId, to) })),
    ),
  );
  return all.filter((_, i) => present[i]);
}

/**
 * One task per target language of a published release (the fan-out job's work). Each
 * target's preparation is idempotent, so a retry after a crash finishes what is missing.
 */
export async function fanOutTranslations(
  ctx: AppContext,
  storyId: string,
  lang: string,
): Promise<Record<string, PrepareOutcome['status']>> {
  const source = await Release.findById(releaseId(storyId, lang)).lean<ReleaseDoc>();
  if (!(await isTranslatable(source))) return {};
  const out: Record<string, PrepareOutcome['status']> = {};
  for (const to of await targetsOf(ctx, storyId, lang)) {
    out[to] = (await prepareTranslationTask(ctx, { storyId, from: lang, to })).status;
  }
  return out;
}
