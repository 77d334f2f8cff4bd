import { z } from 'zod';
import type { AppContext } from '../context.js';
import { badRequest, notFound } from '../errors.js';
import { releaseId } from '../models/ids.js';
import { Release, type ReleaseDoc } from '../models/release.js';
import { Story, type StoryDoc } from '../models/story.js';
import { TaskPointer, openPointerId } from '../models/task-pointer.js';
import type { Actor } from '../policies/actor.js';
import { assertRole } from '../policies/task-policy.js';
import { cancelTask } from './cancel-task.js';
import { finishReleaseWrite, inputFromRelease, writeRelease } from './write-release.js';

export const WithdrawInput = z.object({
  /** One language version, or `all`: the whole story in every language. */
  lang: z.string().min(2).max(20),
  /**
   * Withdrawing the original of a story with translations must say what happens to them:
   * withdrawn with it, or kept (they stay published on their own).
   */
  translations: z.enum(['withdraw', 'keep']).optional(),
  /** Instead of 410 Gone, the withdrawn URL answers 301 to this language's version. */
  redirectTo: z.string().min(2).max(20).optional(),
  note: z.string().trim().max(1_000).optional(),
});
export type WithdrawInput = z.input<typeof WithdrawInput>;

/**
 * Withdraws one language version or a whole story. A withdrawn version leaves listings,
 * feeds, sitemaps and search (they hold published versions only; writeRelease's event drops
 * it and invalidates the caches), and its URL answers 410 Gone with a localized page — or 301
 * to another published version the editor chose. Open translation tasks of the withdrawn
 * languages are cancelled, so no approval puts them back. Publishing again restores a version.
 */
export async function withdrawRelease(
  ctx: AppContext,
  actor: Actor,
  storyId: string,
  raw: WithdrawInput,
): Promise<string[]> {
  assertRole(actor, 'editor');
  const input = WithdrawInput.parse(raw);
  const story = await Story.findById(storyId).lean<StoryDoc>();
  if (!story) throw notFound('story_not_found', `No story '${storyId}'`);
  const all = input.lang === 'all';
  if (!all && !ctx.config.languages.includes(input.lang)) {
    throw badRequest('unknown_language', `Language '${input.lang}' is not configured`);
  }
  const versions = (
    await Promise.all(
      ctx.config.languages.map((l) => Release.findById(releaseId(storyId, l)).lean<ReleaseDoc>()),
    )
  ).filter((r): r is ReleaseDoc => !!r);
  const live = (r: ReleaseDoc) => r.status !== 'withdrawn';
  const target = all ? undefined : versions.find((r) => r.lang === input.lang);
  if (!all && (!target || !live(target))) {
    if (target) await finishWithdrawal(ctx, actor, target);
    throw badRequest('nothing_to_withdraw', `The '${input.lang}' version does not exist or is withdrawn`);
  }

  let langs: string[];
  if (all) {
    langs = versions.filter(live).map((r) => r.lang);
  } else if (input.lang === story.sourceLang) {
    const translations = versions.filter((r) => r.lang !== story.sourceLang && live(r));
    if (translations.length && !input.translations) {
      throw badRequest(
        'translations_choice_required',
        'This is the original: choose whether its translations are withdrawn too or kept',
      );
    }
    langs = [input.lang, ...(input.translations === 'withdraw' ? translations.map((r) => r.lang) : [])];
  } else {
    langs = [input.lang];
  }
  if (!langs.length) {
    for (const r of versions) await finishWithdrawal(ctx, actor, r);
    throw badRequest('nothing_to_withdraw', 'Every version is withdrawn already');
  }

  if (input.redirectTo) {
    const to = versions.find((r) => r.lang === input.redirectTo);
    if (!to || to.status !== 'published' || langs.includes(to.lang)) {
      throw badRequest(
        'bad_redirect',
        `A withdrawn version can only lead to a published version that stays; '${input.redirectTo}' is not one`,
      );
    }
  }

  for (const r of versions.filter((v) => langs.includes(v.lang))) {
    // Sources first is not needed here: withdrawing never publishes anything.
    await writeRelease({
      ...inputFromRelease(r),
      status: 'withdrawn',
      publishedAt: r.publishedAt ?? undefined,
      withdrawal: { note: input.note, by: actor.id, redirectTo: input.redirectTo },
      by: { userId: actor.id, name: actor.name, role: 'editor' },
      note: `withdrawn${input.note ? `: ${input.note}` : ''}`,
    });
    await cancelOpenTask(ctx, actor, r);
  }
  return langs;
}

/** So no approval puts a withdrawn version back. */
async function cancelOpenTask(ctx: AppContext, actor: Actor, r: ReleaseDoc) {
  const ptr = await TaskPointer.findById(openPointerId(r.story, r.lang)).lean();
  if (ptr) await cancelTask(ctx, actor, ptr.task, 'version withdrawn').catch(() => undefined);
}

/**
 * A version found withdrawn already, perhaps by a request that died right after writing it:
 * finishes what follows (event, audit entry, task cancellation; each safe to repeat) before
 * the request is answered "nothing to withdraw".
 */
async function finishWithdrawal(ctx: AppContext, actor: Actor, r: ReleaseDoc) {
  if (r.status !== 'withdrawn') return;
  await finishReleaseWrite(r, { actor: r.withdrawal?.by ?? actor.id });
  await cancelOpenTask(ctx, actor, r);
}
