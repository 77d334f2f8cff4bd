import type { AppContext } from '../context.js';
import { releaseId } from '../models/ids.js';
import { Release, type ReleaseDoc } from '../models/release.js';
import { TaskPointer, approvedPointerId, openPointerId } from '../models/task-pointer.js';
import { Story, type StoryDoc } from '../models/story.js';
import { User } from '../models/user.js';
import { isHeld, releaseHeldStory } from '../workflow/coordinated-release.js';
import { assembleBody, assembleLead } from '../workflow/segmenter.js';
import { unmarkTranslating } from '../workflow/ready-queue.js';
import { archiveTask, requireAnyTask } from '../workflow/task-store.js';
import type { TaskDoc } from '../models/translation-task.js';
import { addToMemory, neighbours } from '../workflow/translation-memory.js';
import { originalIsPublished } from '../policies/publish-policy.js';
import { writeRelease } from './write-release.js';

/**
 * The source's lead picture for the translation: the same media and credit, and the alt text
 * and caption translated as the task's `image.alt` / `image.caption` segments. Until a task
 * carries those segments, the source's own texts stand in (better than no alt text at all).
 */
function translatedImage(source: ReleaseDoc, field: (name: string) => string) {
  if (!source.image) return null;
  return {
    ...source.image,
    alt: field('image.alt') || source.image.alt,
    caption: field('image.caption') || source.image.caption,
  };
}

/** ", segments 2, 5 corrected by the reviewer" for the release's history, or nothing. */
function correctionNote(task: TaskDoc): string {
  const corrected = task.segments.filter((s) => s.correction).map((s) => s.i + 1);
  return corrected.length ? `; segment(s) ${corrected.join(', ')} corrected by the reviewer` : '';
}

/**
 * The `publish` queue's work for an approved task: writes the target-language release
 * (published, translated from the source revision, outdated if the source moved on
 * meanwhile) through writeRelease — whose outbox event updates listings, pages and feeds —
 * then adds the segment pairs to the translation memory and archives the task. Every step
 * is idempotent, so a retried or repeated job ends in the same state.
 */
export async function publishTranslation(ctx: AppContext, taskId: string): Promise<string> {
  const task = await requireAnyTask(taskId);
  if (task.state === 'published') {
    // A rerun after a crash between the archive and the last steps: finish those.
    await settlePublished(ctx, task);
    return 'already_published';
  }
  if (task.state !== 'approved') return `skipped_${task.state}`;

  const source = await Release.findById(task.sourceRelease).lean<ReleaseDoc>();
  if (!source) throw new Error(`source release ${task.sourceRelease} of task ${taskId} is gone`);
  const field = (name: string) =>
    task.segments
      .filter((s) => s.field === name)
      .map((s) => s.target)
      .join(' ');
  const translator = task.translator ? await User.findById(task.translator).lean() : null;
  const reviewer = task.reviewer ? await User.findById(task.reviewer).lean() : null;
  const reviewerName = task.reviewer ? (reviewer?.name ?? task.reviewer) : '';
  const held = isHeld(await Story.findById(task.story).lean<StoryDoc>());
  // The publish policy: without a published original the translation waits and goes out
  // with it (release-with-original.ts), like a version of a held story.
  const waits = held || !(await originalIsPublished(task.story, task.to));
  await writeRelease(
    {
      storyId: task.story,
      lang: task.to,
      title: field('title'),
      leadHtml: assembleLead(task.segments),
      body: assembleBody(task.skeleton, task.segments),
      // In a held story the translation waits with the others (coordinated release).
      status: waits ? 'scheduled' : 'published',
      section: source.section,
      tags: source.tags ?? [],
      translatedFrom: task.from,
      sourceRevision: task.sourceRevision,
      outdated: source.contentHash !== task.sourceContentHash,
      image: translatedImage(source, field),
      by: {
        userId: task.translator ?? 'system',
        name: translator?.name ?? task.translator ?? 'System',
        role: 'translator',
      },
      alsoBy: task.reviewer ? [{ userId: task.reviewer, name: reviewerName, role: 'reviewer' }] : [],
      note: `translation task ${taskId}${reviewerName ? `, reviewed by ${reviewerName}` : ''}${correctionNote(task)}`,
      writer: `publish:${taskId}`,
    },
    ctx,
  );
  await addToMemory(
    ctx,
    task.pair,
    task.segments.map((s, at) => ({
      source: s.source,
      target: s.target,
      tags: s.tags,
      // Each target's author: the reviewer for a correction, the translator for the rest.
      by: s.correction?.by ?? task.translator ?? undefined,
      ...neighbours(task.segments, at),
    })),
    taskId,
    { origin: 'task', story: task.story, by: task.reviewer ?? task.translator ?? 'system' },
  );
  await TaskPointer.replaceOne(
    { _id: approvedPointerId(task.story, task.to) },
    { _id: approvedPointerId(task.story, task.to), task: taskId, at: new Date() },
    { upsert: true },
  );
  const archived = await archiveTask(task, {
    type: 'published',
    by: 'system',
    to: 'published',
    note: releaseId(task.story, task.to),
  });
  await settlePublished(ctx, archived);
  return 'published';
}

/**
 * What follows the archive of a published task: the story no longer has it open (pointer and
 * the reader's "translation in progress"), a held story goes out once all its versions are
 * ready, and the day's count. Safe to repeat, so a rerun of a publish that died after the
 * archive finishes these instead of skipping them.
 */
async function settlePublished(ctx: AppContext, task: TaskDoc): Promise<void> {
  const open = await TaskPointer.findById(openPointerId(task.story, task.to)).lean();
  if (!open || open.task === task._id) {
    await TaskPointer.deleteOne({ _id: openPointerId(task.story, task.to) });
    await unmarkTranslating(ctx, task.story, task.to);
  }
  if (isHeld(await Story.findById(task.story).lean<StoryDoc>())) await releaseHeldStory(ctx, task.story);
  const publishedAt = [...task.history].reverse().find((h) => h.to === 'published')?.at ?? new Date();
  await countPublishedOnce(ctx, task, new Date(publishedAt).toISOString().slice(0, 10));
}

// SET NX of the task's mark and INCR of the day's counter in one step: a repeat counts nothing.
const COUNT_ONCE = `if redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then return redis.call('INCR', KEYS[2]) end return 0`;
/** Longer than any statistic looks back (30 days). */
const COUNTED_MARK_SECONDS = 40 * 86_400;

const countPublishedOnce = (ctx: AppContext, task: TaskDoc, day: string) =>
  ctx.redis.eval(
    COUNT_ONCE,
    2,
    ctx.keys.publishedCounted(task._id),
    ctx.keys.publishedCount(task.pair, day),
    COUNTED_MARK_SECONDS,
  );
