import type { AppContext } from '../context.js';
import type { TaskSegment } from '../models/translation-task.js';
import { machineSuggestions } from './machine-translation.js';

/** Where in a segment's suggestions the MT one goes: after the best memory matches, within the three shown. */
const MT_POSITION = 2;

/**
 * Adds machine translation to a new task's segments that still need work: an MT suggestion
 * beside each, and (with `MT_PRETRANSLATE`) an empty target filled with it as
 * `pretranslated`, origin `mt` — never confirmed, so the translator must look at every one.
 * A translation whose inline codes did not survive is only a suggestion. Without MT for the
 * pair, or with the engine down, the segments are left as they were.
 */
export async function addMachineTranslation(
  ctx: AppContext,
  pair: string,
  segments: TaskSegment[],
): Promise<void> {
  const open = segments.filter((s) => s.needsWork && s.origin !== 'previous');
  const found = await machineSuggestions(
    ctx,
    pair,
    open.map((s) => s.source),
  );
  open.forEach((seg, n) => {
    const mt = found[n];
    if (!mt) return;
    const at = Math.min(MT_POSITION, seg.suggestions.length);
    seg.suggestions.splice(at, 0, mt);
    if (ctx.config.MT_PRETRANSLATE && mt.codesIntact && seg.origin === 'none' && !seg.target.trim()) {
      seg.target = mt.target;
      seg.origin = 'mt';
      seg.status = 'pretranslated';
    }
  });
}
