import type { AppContext } from '../context.js';
import { Release, type ReleaseDoc } from '../models/release.js';
import { ReleaseRevision } from '../models/release-revision.js';
import { ArchivedTask, Task, type TaskDoc } from '../models/translation-task.js';
import type { OutboxEventDoc } from '../models/outbox-event.js';
import type { OutboxPayload } from '../outbox/events.js';
import { readerUrls } from '../presenters/urls.js';
import { queueWebhookEvent } from './fan-out.js';

/**
 * The webhook reactions, listed in `src/outbox/handlers.ts`. Each turns an outbox event into
 * the message receivers get (docs/api.md, "Webhooks") and queues one delivery per subscribed
 * endpoint; the outbox event's id makes the message ids, so a repeat sends nothing twice.
 */

/**
 * A release revision that made the release public (`story.published`: first publication or
 * republication) or changed a public release's text (`story.updated`). Judged from the
 * revision log at the event's revision, not from the release as it is now.
 */
export async function webhooksForReleaseChange(
  ctx: AppContext,
  p: OutboxPayload<'release.changed'>,
  event: OutboxEventDoc,
): Promise<void> {
  const at = await ReleaseRevision.findById(`${p.releaseId}:${p.revision}`).lean();
  if (at?.status !== 'published') return;
  const before =
    p.revision > 1 ? await ReleaseRevision.findById(`${p.releaseId}:${p.revision - 1}`).lean() : null;
  const wasPublic = before?.status === 'published';
  if (wasPublic && !p.contentChanged) return;
  const type = wasPublic ? 'story.updated' : 'story.published';
  await queueWebhookEvent(ctx, event._id, type, async () => {
    const release = await Release.findById(p.releaseId).lean<ReleaseDoc>();
    if (!release) return null;
    return {
      storyId: p.storyId,
      releaseId: p.releaseId,
      lang: p.lang,
      revision: p.revision,
      title: at.title,
      section: release.section,
      url: `${ctx.config.publicUrl}${readerUrls.article(release.lang, release.slug)}`,
      publishedAt: release.publishedAt?.toISOString() ?? null,
      translatedFrom: release.translatedFrom ?? null,
      ...(wasPublic ? { change: at.change ?? null } : {}),
    };
  });
}

const anyTask = async (id: string) =>
  (await Task.findById(id).lean<TaskDoc>()) ?? (await ArchivedTask.findById(id).lean<TaskDoc>());

const taskData = (t: TaskDoc) => ({
  taskId: t._id,
  storyId: t.story,
  pair: t.pair,
  from: t.from,
  to: t.to,
  translator: t.translator ?? null,
  reviewer: t.reviewer ?? null,
});

/** `translation.approved`: read from the task (already archived if publishing was quicker). */
export async function webhooksForApproval(
  ctx: AppContext,
  p: OutboxPayload<'task.approved'>,
  event: OutboxEventDoc,
): Promise<void> {
  await queueWebhookEvent(ctx, event._id, 'translation.approved', async () => {
    const task = await anyTask(p.taskId);
    if (!task) return null;
    const approval = [...task.history].reverse().find((h) => h.to === 'approved');
    return { ...taskData(task), approvedAt: approval ? new Date(approval.at).toISOString() : null };
  });
}

/** `task.overdue`: still open, unapproved and due at the reported time, or nothing is sent. */
export async function webhooksForOverdue(
  ctx: AppContext,
  p: OutboxPayload<'task.overdue'>,
  event: OutboxEventDoc,
): Promise<void> {
  await queueWebhookEvent(ctx, event._id, 'task.overdue', async () => {
    const task = await Task.findById(p.taskId).lean<TaskDoc>();
    if (!task || !task.dueAt || new Date(task.dueAt).getTime() !== p.dueAt) return null;
    if (!OVERDUE_STATES.includes(task.state)) return null;
    return {
      ...taskData(task),
      state: task.state,
      assignee: task.assignee ?? null,
      dueAt: new Date(p.dueAt).toISOString(),
    };
  });
}

/** States in which a due date can still be missed (approved work only waits for publishing). */
export const OVERDUE_STATES: string[] = ['open', 'in_progress', 'submitted', 'in_review'];
