import { z } from 'zod';
import type { AppContext } from '../context.js';
import { badRequest, conflict, isDuplicateKey } from '../errors.js';
import { newStoryId } from '../models/ids.js';
import { StoryWorkflow } from '../models/story-workflow.js';
import { Story } from '../models/story.js';
import { emitEvent } from '../outbox/outbox.js';
import type { ReleaseDoc } from '../models/release.js';
import type { Actor } from '../policies/actor.js';
import { assertRole } from '../policies/task-policy.js';
import { zLead, zLeadHtml } from '../lib/lead-html.js';
import { zSlug } from '../lib/slug.js';
import { compactContact, zContact } from '../validation/contact.js';
import { zIsoDate } from '../validation/dates.js';
import { planRelease, writeRelease } from './write-release.js';
import { assertTaskSize } from '../workflow/segment-limit.js';

export const CreateStoryInput = z.object({
  externalId: z.string().trim().min(1).max(200).optional(),
  lang: z.string().min(2).max(20).optional(),
  title: z.string().trim().min(1).max(500),
  lead: zLead,
  leadHtml: zLeadHtml,
  body: z.string().min(1).max(1_000_000),
  slug: zSlug.optional(),
  section: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,63}$/)
    .default('news'),
  tags: z.array(z.string().trim().min(1).max(100)).max(50).default([]),
  /** The press contact printed under every version. */
  contact: zContact.optional(),
  publish: z.boolean().default(false),
  /** Narrow the target languages of this story (default: every configured one). */
  targets: z.array(z.string().min(2).max(20)).optional(),
  priority: z.number().int().min(0).max(9).optional(),
  dueAt: zIsoDate.optional(),
  /** Coordinated release: hold every version until these languages are approved / this time. */
  hold: z
    .object({
      langs: z.array(z.string().min(2).max(20)).max(20).default([]),
      embargoUntil: zIsoDate.optional(),
    })
    .optional(),
});
export type CreateStoryInput = z.input<typeof CreateStoryInput>;

/**
 * Creates a story with its source-language release (published when `publish` is set). The
 * release's outbox event then fans out translation tasks; nothing here touches Redis, so a
 * publish succeeds while Redis is down and the tasks follow when it is back.
 */
export async function createStory(
  ctx: AppContext,
  actor: Actor,
  raw: CreateStoryInput,
): Promise<{ storyId: string; release: ReleaseDoc }> {
  assertRole(actor, 'editor');
  const input = CreateStoryInput.parse(raw);
  const lang = input.lang ?? ctx.config.sourceLanguage;
  assertLanguages(ctx, [lang, ...(input.targets ?? []), ...(input.hold?.langs ?? [])]);
  const held = !!input.hold && (input.hold.langs.length > 0 || !!input.hold.embargoUntil);
  const storyId = newStoryId();
  const source = {
    storyId,
    lang,
    title: input.title,
    ...leadOfInput(input),
    body: input.body,
    slug: input.slug,
    // A held story's source waits (scheduled, no time) while it is translated.
    status: input.publish ? (held ? 'scheduled' : 'published') : 'draft',
    section: input.section,
    tags: input.tags,
    by: { userId: actor.id, name: actor.name, role: 'editor' },
  } as const;
  planRelease(source, null); // a body that sanitises to nothing is refused before any write
  assertTaskSize(source); // and so is one too long to translate as one task
  try {
    await Story.create({
      _id: storyId,
      externalId: input.externalId ?? `api-${storyId}`,
      section: input.section,
      tags: input.tags,
      contact: compactContact(input.contact),
      sourceLang: lang,
      holdUntilLangs: input.hold?.langs ?? [],
      embargoUntil: input.hold?.embargoUntil,
    });
  } catch (err) {
    if (isDuplicateKey(err))
      throw conflict('story_exists', `A story with externalId '${input.externalId}' exists`);
    throw err;
  }
  let release: ReleaseDoc;
  try {
    if (input.targets || input.priority !== undefined || input.dueAt) {
      await StoryWorkflow.create({
        _id: storyId,
        targets: input.targets ?? [],
        priority: input.priority ?? 5,
        dueAt: input.dueAt,
      });
    }
    ({ release } = await writeRelease(source, ctx));
  } catch (err) {
    // A story without its source release is invisible and unfixable: take it back.
    await Promise.all([Story.deleteOne({ _id: storyId }), StoryWorkflow.deleteOne({ _id: storyId })]).catch(
      () => undefined,
    );
    throw err;
  }
  if (held && input.hold?.embargoUntil) {
    const at = input.hold.embargoUntil.getTime();
    await emitEvent(`story.embargo:${storyId}:${at}`, 'story.embargo', { storyId, at });
  }
  return { storyId, release };
}

/** The lead a request gives, as plain text or as inline HTML; both at once is a 400. */
export function leadOfInput(input: { lead?: string; leadHtml?: string }): {
  lead?: string;
  leadHtml?: string;
} {
  if (input.lead !== undefined && input.leadHtml !== undefined) {
    throw badRequest(
      'lead_conflict',
      'Send the lead once: as `lead` (plain text) or as `leadHtml` (inline HTML), not both',
    );
  }
  return input.leadHtml !== undefined ? { leadHtml: input.leadHtml } : { lead: input.lead };
}

/** 400 naming the configured languages when one is unknown. */
export function assertLanguages(ctx: AppContext, langs: string[]): void {
  for (const l of langs) {
    if (!ctx.config.languages.includes(l)) {
      throw badRequest(
        'unknown_language',
        `Language '${l}' is not configured; configured: ${ctx.config.languages.join(', ')}`,
      );
    }
  }
}
