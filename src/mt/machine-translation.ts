import { createHash } from 'node:crypto';
import type { AppContext } from '../context.js';
import type { Suggestion } from '../models/translation-task.js';
import { normalizeSegment } from '../workflow/similarity.js';
import { codesToTags, offeredText, tagsToCodes } from './mt-codes.js';
import { MtError, type MtProvider } from './mt-provider.js';
import { mtEnabled, mtProvider } from './mt-providers.js';

/**
 * Machine-translation suggestions for segments of a pair: labelled `mt`, scored below every
 * memory match, cached per segment in Redis, and never a reason for a request or a job to
 * fail. When the engine is down, slow or rate-limited the caller gets no suggestion (and the
 * engine is left alone for `DOWN_MS`, so a task of 80 segments does not wait 80 timeouts).
 * Pivot-aware by construction: a task's pair names the language it is translated from
 * (`en:tg` for a Tajik task made from the English version), and that text is what MT gets.
 */

/** Below the lowest fuzzy band (75 %): an MT text is a draft, never a match. */
export const MT_SCORE = 0.7;
const CACHE_SECONDS = 30 * 24 * 3600;
const DOWN_MS = 30_000;
const BATCH = 40;
const LANGUAGES_MS = 10 * 60_000;

export interface MachineTranslation extends Suggestion {
  kind: 'mt';
  /** False when the engine lost or broke inline codes: offered without codes, never pre-filled. */
  codesIntact: boolean;
}

const hashOf = (s: string) => createHash('sha256').update(s).digest('base64url').slice(0, 32);

/** One suggestion per source (null where MT has none), in order. */
export async function machineSuggestions(
  ctx: AppContext,
  pair: string,
  sources: string[],
): Promise<(MachineTranslation | null)[]> {
  const provider = mtProvider(ctx.config);
  const out: (MachineTranslation | null)[] = sources.map(() => null);
  if (!provider || !mtEnabled(ctx.config, pair) || sources.length === 0) return out;
  const [from, to] = pair.split(':');
  const texts = sources.map((s) => normalizeSegment(s));
  const keys = texts.map((t) => ctx.keys.mt.translation(provider.name, pair, hashOf(t)));
  const cached = await ctx.redis.mget(...keys);
  const missing: number[] = [];
  cached.forEach((hit, n) => {
    if (hit !== null) out[n] = suggestionOf(provider, from, sources[n], hit);
    else if (texts[n]) missing.push(n);
  });
  if (missing.length === 0 || (await ctx.redis.exists(ctx.keys.mt.down(provider.name)))) return out;
  try {
    if (!(await supports(provider, from, to))) return out;
    for (let at = 0; at < missing.length; at += BATCH) {
      const batch = missing.slice(at, at + BATCH);
      const translated = await provider.translate(
        batch.map((n) => codesToTags(texts[n])),
        from,
        to,
      );
      const pipe = ctx.redis.multi();
      batch.forEach((n, k) => {
        const text = tagsToCodes(translated[k]);
        if (!text) return;
        out[n] = suggestionOf(provider, from, sources[n], text);
        pipe.set(keys[n], text, 'EX', CACHE_SECONDS);
      });
      await pipe.exec();
    }
  } catch (err) {
    if (!(err instanceof MtError)) throw err;
    ctx.log.warn(
      { provider: provider.name, pair, code: err.code, err: err.message },
      'machine translation unavailable',
    );
    await ctx.redis.set(ctx.keys.mt.down(provider.name), err.code, 'PX', DOWN_MS);
  }
  return out;
}

function suggestionOf(
  provider: MtProvider,
  from: string,
  source: string,
  translated: string,
): MachineTranslation {
  const { text, codesIntact } = offeredText(source, translated);
  return { source, target: text, score: MT_SCORE, kind: 'mt', provider: provider.name, from, codesIntact };
}

const languageCache = new WeakMap<MtProvider, { at: number; pairs: Map<string, Set<string>> }>();

/** Whether the engine translates from → to (its `/languages`, remembered for ten minutes). */
async function supports(provider: MtProvider, from: string, to: string): Promise<boolean> {
  let known = languageCache.get(provider);
  if (!known || Date.now() - known.at > LANGUAGES_MS) {
    known = { at: Date.now(), pairs: await provider.languages() };
    languageCache.set(provider, known);
  }
  return known.pairs.get(from)?.has(to) ?? false;
}
