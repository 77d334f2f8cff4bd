import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary as commonWords } from '@zxcvbn-ts/language-common';
import { dictionary as englishWords, translations } from '@zxcvbn-ts/language-en';
import { badRequest } from '../errors.js';

/** zxcvbn's score 0–4; 3 means "safely unguessable: moderate protection from offline attacks". */
export const MIN_PASSWORD_SCORE = 3;

let zxcvbn: ZxcvbnFactory | undefined;
// Built on first use: the dictionaries take a moment to load and most processes never need them.
const estimator = () =>
  (zxcvbn ??= new ZxcvbnFactory({
    translations,
    graphs: adjacencyGraphs,
    dictionary: { ...commonWords, ...englishWords },
  }));

/**
 * Refuses a new password that is common, a keyboard pattern, or built from the user's own
 * e-mail or name (zxcvbn-ts: leaked-password and word lists, l33t and pattern matching), with
 * a 400 `weak_password` that says how to pick a better one.
 */
export function assertStrongPassword(password: string, userInputs: string[] = []): void {
  const inputs = userInputs.flatMap((s) => [s, ...s.split(/[@.\s_-]+/)]).filter((s) => s.length > 2);
  const result = estimator().check(password, inputs);
  if (result.score >= MIN_PASSWORD_SCORE) return;
  const hint = [result.feedback.warning, ...result.feedback.suggestions].filter(Boolean).join(' ');
  throw badRequest(
    'weak_password',
    `password: too easy to guess${hint ? ` (${hint})` : ''}; use a longer phrase of unrelated words`,
  );
}
