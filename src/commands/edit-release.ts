import { z } from 'zod';
import type { AppContext } from '../context.js';
import { AppError, badRequest, notFound } from '../errors.js';
import { releaseId } from '../models/ids.js';
import { CHANGE_KINDS, Release, type ReleaseDoc } from '../models/release.js';
import { Story, type StoryDoc } from '../models/story.js';
import type { Actor } from '../policies/actor.js';
import { assertRole } from '../policies/task-policy.js';
import { isHeld } from '../workflow/coordinated-release.js';
import { assertLanguages, leadOfInput } from './create-story.js';
import { leadInputOf, zLead, zLeadHtml } from '../lib/lead-html.js';
import { zSlug } from '../lib/slug.js';
import { zIsoDate } from '../validation/dates.js';
import { assertScheduleTime, requestScheduledPublish } from './schedule-release.js';
import { writeRelease } from './write-release.js';
import { assertTaskSize } from '../workflow/segment-limit.js';

export const EditReleaseInput = z.object({
  /** The release revision the edit is based on (0 to create a missing language version). */
  baseRevision: z.number().int().min(0),
  title: z.string().trim().min(1).max(500).optional(),
  lead: zLead,
  leadHtml: zLeadHtml,
  body: z.string().min(1).max(1_000_000).optional(),
  slug: zSlug.optional(),
  /** Withdrawal has its own command (it asks what happens to translations). */
  status: z.enum(['draft', 'scheduled', 'published']).optional(),
  /** With `status: 'scheduled'`: when it goes live (required). */
  publishAt: zIsoDate.optional(),
  /** A publication time in the past is taken only when confirmed. */
  confirmPast: z.boolean().optional(),
  note: z.string().max(2_000).optional(),
  /** A change to a published text: a correction, a visible update, or a silent one (required then). */
  change: z.enum(CHANGE_KINDS).optional(),
  /** What readers see with a correction or update ("Corrected on …: note"). */
  changeNote: z.string().trim().max(1_000).optional(),
});
export type EditReleaseInput = z.input<typeof EditReleaseInput>;

/**
 * Edits one language version of a story (or creates it when missing). A stale
 * `baseRevision` answers 409. Touches only that language: other versions change state only
 * through their own events (e.g. a translation becoming outdated).
 */
export async function editRelease(
  ctx: AppContext,
  actor: Actor,
  storyId: string,
  lang: string,
  raw: EditReleaseInput,
  /** The desk: a person changing a published text must say whether it is a correction or an update. */
  opts: { askChangeKind?: boolean } = {},
): Promise<ReleaseDoc> {
  assertRole(actor, 'editor');
  const input = EditReleaseInput.parse(raw);
  assertLanguages(ctx, [lang]);
  const story = await Story.findById(storyId).lean<StoryDoc>();
  if (!story) throw notFound('story_not_found', `No story '${storyId}'`);
  const existing = await Release.findById(releaseId(storyId, lang)).lean<ReleaseDoc>();
  const status = input.status ?? (existing?.status === 'withdrawn' ? undefined : existing?.status);
  if (status === 'scheduled') {
    if (!input.publishAt) {
      throw badRequest('schedule_time_required', 'Choose when the scheduled version goes live');
    }
    assertScheduleTime(input.publishAt, input.confirmPast);
  }
  // A held story (coordinated release, embargo): publishing means waiting to go out together.
  const waits = status === 'published' && existing?.status !== 'published' && isHeld(story);
  const title = input.title ?? existing?.title;
  const body = input.body ?? existing?.body;
  if (!title || !body) {
    throw badRequest(
      'missing_fields',
      `The '${lang}' version does not exist yet; send title and body to create it`,
    );
  }
  // Unsent: the lead stays as it is (its markup too).
  const lead =
    input.lead !== undefined || input.leadHtml !== undefined
      ? leadOfInput(input)
      : leadInputOf(existing ?? {});
  // A text translations are made from must fit one translation task.
  const isSource = lang === story.sourceLang || Object.values(ctx.config.pivots).includes(lang);
  if (isSource && (input.body !== undefined || input.title !== undefined))
    assertTaskSize({ title, ...lead, body });
  if (input.change === 'correction' && !input.changeNote) {
    throw new AppError(422, 'correction_note_required', 'A correction needs a note readers will see');
  }
  const { release } = await writeRelease(
    {
      storyId,
      lang,
      title,
      ...lead,
      body,
      slug: input.slug,
      status: waits ? 'scheduled' : status,
      publishedAt: status === 'scheduled' ? input.publishAt : undefined,
      // Unsaid: the desk asks; the API records a visible update.
      change: input.change
        ? { kind: input.change, note: input.changeNote }
        : opts.askChangeKind
          ? 'ask'
          : undefined,
      section: existing?.section ?? story.section,
      tags: existing?.tags ?? story.tags ?? [],
      expectedRevision: input.baseRevision,
      by: { userId: actor.id, name: actor.name, role: 'editor' },
      note: input.note,
    },
    ctx,
  );
  await requestScheduledPublish(release);
  return release;
}
