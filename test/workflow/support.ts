import { createUser } from '../../src/commands/create-user.js';
import type { Role } from '../../src/models/user.js';
import type { Actor } from '../../src/policies/actor.js';
import { issueApiToken } from '../../src/workflow/api-tokens.js';

/** Polls `fn` until it returns a truthy value (or `timeoutMs` passes, then throws its last error). */
export async function eventually<T>(
  fn: () => Promise<T>,
  timeoutMs = 20_000,
  stepMs = 100,
): Promise<NonNullable<T>> {
  const until = Date.now() + timeoutMs;
  let lastErr: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
      lastErr = new Error('condition still false');
    } catch (err) {
      lastErr = err;
    }
    if (Date.now() > until) throw lastErr;
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

let n = 0;
/** A desk user with a bearer token; `actor` is what commands take. */
export async function buildUser(
  roles: Role[],
  pairs: string[] = [],
  languages = ['ru', 'en', 'hy', 'be', 'kk', 'ky', 'tg'],
) {
  const email = `u${++n}-${Math.random().toString(36).slice(2, 8)}@example.org`;
  const user = await createUser(
    { email, name: `User ${n}`, password: 'a-long-password', roles, pairs },
    languages,
  );
  const token = await issueApiToken(user._id);
  const actor: Actor = { id: user._id, name: user.name, roles: user.roles as Role[], pairs: user.pairs };
  return { user, token, actor, auth: { Authorization: `Bearer ${token}` } };
}
