import { z } from 'zod';
import { leadInputOf } from '../lib/lead-html.js';
import { zIsoDate } from '../validation/dates.js';
import type { AppContext } from '../context.js';
import { AppError, badRequest, notFound } from '../errors.js';
import { releaseId } from '../models/ids.js';
import { Release, type ReleaseDoc } from '../models/release.js';
import { emitEvent } from '../outbox/outbox.js';
import type { Actor } from '../policies/actor.js';
import { originalIsPublished } from '../policies/publish-policy.js';
import { assertRole } from '../policies/task-policy.js';
import { inputFromRelease, writeRelease } from './write-release.js';

export const ScheduleInput = z.object({
  baseRevision: z.number().int().min(1),
  /** When the release goes live; null cancels the schedule (the release goes back to draft). */
  at: zIsoDate.nullable(),
  /** A time in the past is taken only when confirmed (it then publishes at once). */
  confirmPast: z.boolean().optional(),
});

/** How far in the past a chosen time may be without asking (the time it takes to submit a form). */
const PAST_GRACE_MS = 2 * 60_000;

/** A publication time in the past must be confirmed: it means "publish now", perhaps by mistake. */
export function assertScheduleTime(at: Date, confirmed = false, now = Date.now()): void {
  if (!confirmed && at.getTime() < now - PAST_GRACE_MS) {
    throw new AppError(
      422,
      'schedule_in_past',
      `${at.toISOString()} is in the past; confirm to publish at once, or choose a later time`,
    );
  }
}
export type ScheduleInput = z.input<typeof ScheduleInput>;

/**
 * Schedules one language version (source or translation) to go live at `at`, reschedules it,
 * or cancels the schedule. MongoDB holds the truth (`status: scheduled`, `scheduledAt`); a
 * delayed `release.publish-scheduled` job is requested through the outbox, and a job whose
 * time no longer matches the release does nothing, so rescheduling needs no job removal.
 */
export async function scheduleRelease(
  ctx: AppContext,
  actor: Actor,
  storyId: string,
  lang: string,
  raw: ScheduleInput,
): Promise<ReleaseDoc> {
  assertRole(actor, 'editor');
  const input = ScheduleInput.parse(raw);
  if (input.at) assertScheduleTime(input.at, input.confirmPast);
  const existing = await Release.findById(releaseId(storyId, lang)).lean<ReleaseDoc>();
  if (!existing) throw notFound('release_not_found', `Story ${storyId} has no '${lang}' version`);
  if (input.at === null && existing.status !== 'scheduled') {
    throw badRequest('not_scheduled', `The '${lang}' version is ${existing.status}, not scheduled`);
  }
  if (input.at && existing.status === 'published') {
    throw badRequest('already_published', `The '${lang}' version is already published`);
  }
  const { release } = await writeRelease(
    {
      storyId,
      lang,
      title: existing.title,
      ...leadInputOf(existing),
      body: existing.body,
      section: existing.section,
      tags: existing.tags ?? [],
      status: input.at ? 'scheduled' : 'draft',
      publishedAt: input.at ?? undefined,
      expectedRevision: input.baseRevision,
      by: { userId: actor.id, name: actor.name, role: 'editor' },
      note: input.at ? `scheduled for ${input.at.toISOString()}` : 'schedule cancelled',
    },
    ctx,
  );
  if (input.at) await requestScheduledPublish(release);
  return release;
}

/** Records the intent to publish a scheduled release at its time (durable; relayed to BullMQ). */
export async function requestScheduledPublish(release: ReleaseDoc): Promise<void> {
  if (release.status !== 'scheduled' || !release.scheduledAt) return;
  const at = new Date(release.scheduledAt).getTime();
  await emitEvent(`release.scheduled:${release._id}:${at}`, 'release.scheduled', {
    releaseId: release._id,
    at,
  });
}

/**
 * The scheduled job's work: publishes the release if it is still scheduled for exactly this
 * time (a reschedule or cancel makes older jobs no-ops). Returns what it did.
 */
export async function publishScheduledRelease(ctx: AppContext, id: string, at: number, now = Date.now()) {
  const r = await Release.findById(id).lean<ReleaseDoc>();
  if (!r || r.status !== 'scheduled' || !r.scheduledAt || new Date(r.scheduledAt).getTime() !== at) {
    return 'stale';
  }
  if (at > now + 1_000) return 'early';
  if (!(await originalIsPublished(r.story, r.lang))) {
    // The publish policy: a translation never goes live before its original; it now waits
    // for the original and goes out with it (see release-with-original.ts).
    await writeRelease(
      {
        ...inputFromRelease(r),
        status: 'scheduled',
        by: { userId: 'system', name: 'Scheduler', role: 'system' },
        note: 'waits for the original to be published',
      },
      ctx,
    );
    return 'waits_for_original';
  }
  await writeRelease(
    {
      ...inputFromRelease(r),
      status: 'published',
      publishedAt: new Date(at),
      by: { userId: 'system', name: 'Scheduler', role: 'system' },
      note: 'scheduled publication',
    },
    ctx,
  );
  ctx.log.info({ release: id }, 'published on schedule');
  return 'published';
}
