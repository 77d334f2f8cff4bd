import { z } from 'zod';
import { zIsoDate } from '../validation/dates.js';
import type { AppContext } from '../context.js';
import { badRequest, notFound } from '../errors.js';
import { StoryWorkflow, type StoryWorkflowDoc } from '../models/story-workflow.js';
import { Story } from '../models/story.js';
import { TaskPointer, openPointerId } from '../models/task-pointer.js';
import type { Actor } from '../policies/actor.js';
import { assertRole } from '../policies/task-policy.js';
import { prepareTranslationTask } from '../workflow/prepare-task.js';
import { enqueueReady, removeReady } from '../workflow/ready-queue.js';
import { commitTask, findTask } from '../workflow/task-store.js';
import { assertLanguages } from './create-story.js';

export const RequestTranslationsInput = z.object({
  /** Languages to (re)request; default: the story's targets. */
  langs: z.array(z.string().min(2).max(20)).min(1).optional(),
  /** Also narrow the story's fan-out to these languages from now on. */
  only: z.boolean().default(false),
  priority: z.number().int().min(0).max(9).optional(),
  dueAt: zIsoDate.nullable().optional(),
  /** Make a new task even when the current translation matches the source. */
  force: z.boolean().default(false),
});
export type RequestTranslationsInput = z.input<typeof RequestTranslationsInput>;

/**
 * An editor requests (or re-requests) translations of a story: per language, an open task
 * gets the new priority and due date; otherwise a task is prepared at once from the
 * language's pivot. Returns what happened per language.
 */
export async function requestTranslations(
  ctx: AppContext,
  actor: Actor,
  storyId: string,
  raw: RequestTranslationsInput,
): Promise<Record<string, string>> {
  assertRole(actor, 'editor');
  const input = RequestTranslationsInput.parse(raw);
  const story = await Story.findById(storyId).lean();
  if (!story) throw notFound('story_not_found', `No story '${storyId}'`);
  const settings = await StoryWorkflow.findById(storyId).lean<StoryWorkflowDoc>();
  const targets = Object.keys(ctx.config.pivots);
  const langs = input.langs ?? (settings?.targets?.length ? settings.targets : targets);
  assertLanguages(ctx, langs);
  for (const l of langs) {
    if (!targets.includes(l))
      throw badRequest('not_a_target', `'${l}' is the source language, not a translation target`);
  }
  const next = {
    _id: storyId,
    targets: input.only ? langs : (settings?.targets ?? []),
    priority: input.priority ?? settings?.priority ?? 5,
    dueAt: input.dueAt === undefined ? (settings?.dueAt ?? null) : input.dueAt,
    updatedAt: new Date(),
  };
  await StoryWorkflow.replaceOne({ _id: storyId }, next, { upsert: true });

  const out: Record<string, string> = {};
  for (const to of langs) {
    const ptr = await TaskPointer.findById(openPointerId(storyId, to)).lean();
    const open = ptr ? await findTask(ptr.task) : null;
    if (open && !input.force) {
      if (input.priority !== undefined || input.dueAt !== undefined) {
        await removeReady(ctx, open);
        const updated = await commitTask(open, { type: 'reprioritised', by: actor.id }, (t) => {
          t.priority = next.priority;
          t.dueAt = next.dueAt;
        });
        if (updated.state === 'open') await enqueueReady(ctx, updated);
      }
      out[to] = 'updated';
      continue;
    }
    const result = await prepareTranslationTask(ctx, {
      storyId,
      from: ctx.config.pivots[to],
      to,
      force: input.force,
      requestId: input.force ? Date.now().toString(36) : undefined,
    });
    out[to] = result.status;
  }
  return out;
}
