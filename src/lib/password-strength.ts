import type { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { badRequest } from '../errors.js';

/** zxcvbn's score 0–4; 3 means "safely unguessable: moderate protection from offline attacks". */
export const MIN_PASSWORD_SCORE = 3;

let zxcvbn: Promise<ZxcvbnFactory> | undefined;
// Imported and built on first use: the word lists are ~11 MB of heap (~30 MB resident) that
// a web process serving readers, and every worker, would otherwise hold for nothing.
const estimator = () =>
  (zxcvbn ??= Promise.all([
    import('@zxcvbn-ts/core'),
    import('@zxcvbn-ts/language-common'),
    import('@zxcvbn-ts/language-en'),
  ]).then(
    ([core, common, en]) =>
      new core.ZxcvbnFactory({
        translations: en.translations,
        graphs: common.adjacencyGraphs,
        dictionary: { ...common.dictionary, ...en.dictionary },
      }),
  ));

/**
 * Refuses a new password that is common, a keyboard pattern, or built from the user's own
 * e-mail or name (zxcvbn-ts: leaked-password and word lists, l33t and pattern matching), with
 * a 400 `weak_password` that says how to pick a better one.
 */
export async function assertStrongPassword(password: string, userInputs: string[] = []): Promise<void> {
  const inputs = userInputs.flatMap((s) => [s, ...s.split(/[@.\s_-]+/)]).filter((s) => s.length > 2);
  const result = (await estimator()).check(password, inputs);
  if (result.score >= MIN_PASSWORD_SCORE) return;
  const hint = [result.feedback.warning, ...result.feedback.suggestions].filter(Boolean).join(' ');
  throw badRequest(
    'weak_password',
    `password: too easy to guess${hint ? ` (${hint})` : ''}; use a longer phrase of unrelated words`,
  );
}
