import type { Config } from '../config.js';
import { badRequest } from '../errors.js';
import type { Actor } from './actor.js';
import { assertPair, assertRole } from './task-policy.js';

/**
 * Who may use a pair's language resources (translation memory, termbase): translators of
 * the pair read them (suggestions, concordance, terms); reviewers and admins of the pair
 * also curate them (edit, delete, import, export).
 */

/** A configured pair: `from:to` where `from` is the language `to` is translated from. */
export function assertConfiguredPair(config: Config, pair: string): { from: string; to: string } {
  const [from, to] = pair.split(':');
  if (!/^[a-z]{2,3}:[a-z]{2,3}$/.test(pair) || config.pivots[to] !== from) {
    const pairs = Object.entries(config.pivots).map(([t, f]) => `${f}:${t}`);
    throw badRequest(
      'unknown_pair',
      `'${pair}' is not a configured language pair; configured: ${pairs.join(', ')}`,
    );
  }
  return { from, to };
}

/** Reading a pair's resources, or curating them too. */
export type ResourceUse = 'read' | 'curate';

const ROLES_FOR: Record<ResourceUse, ['translator', 'reviewer'] | ['reviewer']> = {
  read: ['translator', 'reviewer'],
  curate: ['reviewer'],
};

/**
 * The one guard of every route on a pair's resources (API and desk): role, then the actor's
 * pair (403), then that the pair is configured (400). Returns the pair.
 */
export function authorisePairResource(actor: Actor, config: Config, pair: string, use: ResourceUse): string {
  assertRole(actor, ...ROLES_FOR[use]);
  assertPair(actor, pair);
  assertConfiguredPair(config, pair);
  return pair;
}
