import { forbidden } from '../errors.js';
import type { Role } from '../models/user.js';
import type { TaskDoc } from '../models/translation-task.js';
import type { Actor } from './actor.js';

/** Who may do what to which task or story, in one place; routes and commands both ask here. */

export const hasRole = (actor: Actor, ...roles: Role[]) =>
  actor.roles.includes('admin') || roles.some((r) => actor.roles.includes(r));

/** A user works on a pair when it is listed on their account; admins work on every pair. */
export const canWorkOnPair = (actor: Actor, pair: string) =>
  actor.roles.includes('admin') || actor.pairs.includes(pair);

export function assertRole(actor: Actor, ...roles: Role[]): void {
  if (!hasRole(actor, ...roles)) {
    throw forbidden('forbidden_role', `This needs the role ${roles.join(' or ')}`);
  }
}

export function assertPair(actor: Actor, pair: string): void {
  if (!canWorkOnPair(actor, pair)) {
    throw forbidden('forbidden_pair', `You are not assigned to the language pair ${pair}`);
  }
}

export const canSeeTask = (actor: Actor, task: Pick<TaskDoc, 'pair'>) =>
  hasRole(actor, 'editor') || canWorkOnPair(actor, task.pair);

export function assertCanTranslate(actor: Actor, task: TaskDoc): void {
  assertRole(actor, 'translator');
  assertPair(actor, task.pair);
  if (task.assignee !== actor.id) {
    throw forbidden('not_assignee', `Task ${task._id} is not claimed by you; claim a task first`);
  }
}

/** A reviewer of the pair who did not translate the task. */
export function assertCanReview(actor: Actor, task: TaskDoc): void {
  assertRole(actor, 'reviewer');
  assertPair(actor, task.pair);
  if (task.translator === actor.id) {
    throw forbidden(
      'own_translation',
      'You translated this task; another reviewer of the pair must review it',
    );
  }
}
