import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { recordAudit } from '../audit/audit-log.js';
import { AppError, badRequest, conflict, notFound } from '../errors.js';
import { hashPassword } from '../lib/passwords.js';
import { ApiToken } from '../models/api-token.js';
import { PasswordReset } from '../models/password-reset.js';
import { ROLES, User, type UserDoc } from '../models/user.js';
import type { Actor } from '../policies/actor.js';
import { issueApiToken } from '../workflow/api-tokens.js';
import { createUser } from './create-user.js';

/**
 * Administration of desk users: list, add, edit roles and pairs, disable / re-enable, one-time
 * password links, API tokens. Every change is recorded in the audit log. Only admins.
 */

const assertAdmin = (actor: Actor) => {
  if (!actor.roles.includes('admin')) throw new AppError(403, 'forbidden_role', 'This needs the role admin');
};

const PAIR = /^[a-z]{2,3}:[a-z]{2,3}$/;

export const UserEdit = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  roles: z.array(z.enum(ROLES)).min(1, 'a user needs at least one role').optional(),
  pairs: z.array(z.string().regex(PAIR, "must look like 'ru:en'")).max(100).optional(),
});
export type UserEdit = z.input<typeof UserEdit>;

export interface UserFilter {
  role?: string;
  pair?: string;
  status?: 'active' | 'disabled';
  q?: string;
}

/** Users, filtered; the user collection is small (a newsroom's staff), so a scan is fine. */
export async function listUsers(filter: UserFilter = {}): Promise<UserDoc[]> {
  const users = await User.find({}, { passwordHash: 0 }).sort({ _id: 1 }).lean<UserDoc[]>();
  const q = filter.q?.trim().toLowerCase();
  return users.filter(
    (u) =>
      (!filter.role || (u.roles ?? []).includes(filter.role as never)) &&
      (!filter.pair || (u.pairs ?? []).includes(filter.pair)) &&
      (!filter.status || (filter.status === 'disabled') === !!u.disabled) &&
      (!q || u._id.includes(q) || u.name.toLowerCase().includes(q)),
  );
}

export async function requireUser(id: string): Promise<UserDoc> {
  const user = await User.findById(id.trim().toLowerCase()).lean<UserDoc>();
  if (!user) throw notFound('user_not_found', `No user ${id}`);
  return user;
}

function assertPairs(pairs: string[], languages: string[]) {
  for (const pair of pairs) {
    const [from, to] = pair.split(':');
    if (!languages.includes(from) || !languages.includes(to) || from === to) {
      throw badRequest('invalid_pair', `Language pair '${pair}' needs two different configured languages`);
    }
  }
}

/** Adds a user with an unusable random password and returns a one-time link to set theirs. */
export async function addUser(
  ctx: AppContext,
  actor: Actor,
  input: { email: string; name: string; roles: string[]; pairs: string[] },
): Promise<{ user: UserDoc; link: string }> {
  assertAdmin(actor);
  const user = await createUser(
    { ...input, roles: input.roles as never, password: randomBytes(24).toString('base64url') },
    ctx.config.languages,
  );
  await recordAudit(ctx, {
    action: 'user.create',
    actor: actor.id,
    target: user._id,
    detail: `roles ${user.roles.join(',')}; pairs ${user.pairs.join(',') || '-'}`,
  });
  const link = await createPasswordLink(ctx, actor, user._id);
  return { user, link };
}

/** Changes name, roles and pairs. An admin cannot take away their own admin role. */
export async function editUser(ctx: AppContext, actor: Actor, id: string, raw: UserEdit): Promise<UserDoc> {
  assertAdmin(actor);
  const parsed = UserEdit.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw badRequest('invalid_user', `${i.path.join('.') || 'user'}: ${i.message}`);
  }
  const input = parsed.data;
  const user = await requireUser(id);
  if (input.pairs) assertPairs(input.pairs, ctx.config.languages);
  if (user._id === actor.id && input.roles && !input.roles.includes('admin')) {
    throw conflict('self_lockout', 'You cannot remove your own admin role; ask another admin');
  }
  const set: Record<string, unknown> = {};
  if (input.name) set.name = input.name;
  if (input.roles) set.roles = [...new Set(input.roles)];
  if (input.pairs) set.pairs = [...new Set(input.pairs)];
  await User.updateOne({ _id: user._id }, { $set: set });
  const rolesChanged = input.roles && input.roles.join(',') !== (user.roles ?? []).join(',');
  const pairsChanged = input.pairs && input.pairs.join(',') !== (user.pairs ?? []).join(',');
  if (rolesChanged || pairsChanged) {
    await recordAudit(ctx, {
      action: 'user.roles',
      actor: actor.id,
      target: user._id,
      detail: `roles ${(input.roles ?? user.roles).join(',')}; pairs ${(input.pairs ?? user.pairs).join(',') || '-'}`,
    });
  }
  return requireUser(user._id);
}

/**
 * Disables (or re-enables) an account. Disabling bumps the session epoch, so every session
 * ends on its next request, and tokens stop (their owner is checked on each use).
 */
export async function setUserDisabled(
  ctx: AppContext,
  actor: Actor,
  id: string,
  disabled: boolean,
): Promise<UserDoc> {
  assertAdmin(actor);
  const user = await requireUser(id);
  if (disabled && user._id === actor.id) {
    throw conflict('self_lockout', 'You cannot disable your own account; ask another admin');
  }
  await User.updateOne(
    { _id: user._id },
    disabled
      ? { $set: { disabled: true, sessionEpoch: (user.sessionEpoch ?? 0) + 1 } }
      : { $set: { disabled: false } },
  );
  await recordAudit(ctx, {
    action: disabled ? 'user.disable' : 'user.enable',
    actor: actor.id,
    target: user._id,
  });
  return requireUser(user._id);
}

const RESET_TTL_MS = 24 * 3_600_000;
const hashSecret = (s: string) => createHash('sha256').update(s).digest('hex');

/** A one-time link (valid 24 h) to set a new password; shown to the admin, never e-mailed. */
export async function createPasswordLink(ctx: AppContext, actor: Actor, id: string): Promise<string> {
  assertAdmin(actor);
  const user = await requireUser(id);
  const secret = randomBytes(32).toString('base64url');
  const now = new Date();
  await PasswordReset.create({
    _id: hashSecret(secret),
    user: user._id,
    by: actor.id,
    createdAt: now,
    expiresAt: new Date(now.getTime() + RESET_TTL_MS),
  });
  await recordAudit(ctx, {
    action: 'user.password-reset',
    actor: actor.id,
    target: user._id,
    detail: 'link issued',
  });
  return `${ctx.config.publicUrl}/desk/password/${secret}`;
}

/** The user a live link belongs to, or null (unknown, used or expired). */
export async function passwordLinkOwner(secret: string): Promise<UserDoc | null> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(secret)) return null;
  const reset = await PasswordReset.findById(hashSecret(secret)).lean();
  if (!reset || reset.expiresAt.getTime() < Date.now()) return null;
  const user = await User.findById(reset.user).lean<UserDoc>();
  return user && !user.disabled ? user : null;
}

export const NewPassword = z.string().min(10, 'must be at least 10 characters').max(200);

/**
 * Sets the password through a one-time link: deleting the link is the claim (a second use
 * finds nothing), and the session epoch moves on, so every older session ends.
 */
export async function usePasswordLink(ctx: AppContext, secret: string, password: string): Promise<UserDoc> {
  const parsed = NewPassword.safeParse(password);
  if (!parsed.success) throw badRequest('weak_password', `password: ${parsed.error.issues[0].message}`);
  const user = await passwordLinkOwner(secret);
  if (!user) throw new AppError(410, 'link_expired', 'This link was used already or has expired');
  const claimed = await PasswordReset.deleteOne({ _id: hashSecret(secret) });
  if (claimed.deletedCount !== 1) throw new AppError(410, 'link_expired', 'This link was used already');
  await User.updateOne(
    { _id: user._id },
    { $set: { passwordHash: await hashPassword(parsed.data), sessionEpoch: (user.sessionEpoch ?? 0) + 1 } },
  );
  await recordAudit(ctx, {
    action: 'user.password-reset',
    actor: user._id,
    target: user._id,
    detail: 'password set',
  });
  return user;
}

export interface TokenRow {
  prefix: string;
  createdAt: Date;
  revokedAt?: Date | null;
}

/** A user's API tokens (prefix and dates only; the token itself is never stored). */
export async function listTokens(id: string): Promise<TokenRow[]> {
  const tokens = await ApiToken.find({ user: id.toLowerCase() }).lean();
  return tokens
    .map((t) => ({ prefix: t.prefix, createdAt: t.createdAt!, revokedAt: t.revokedAt ?? null }))
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
}

/** Issues a token for a user; returned once. */
export async function issueToken(ctx: AppContext, actor: Actor, id: string): Promise<string> {
  assertAdmin(actor);
  const user = await requireUser(id);
  const token = await issueApiToken(user._id);
  await recordAudit(ctx, {
    action: 'token.issue',
    actor: actor.id,
    target: user._id,
    detail: token.slice(0, 10),
  });
  return token;
}

/** Revokes one of the user's tokens by its prefix. */
export async function revokeToken(
  ctx: AppContext,
  actor: Actor,
  id: string,
  prefix: string,
): Promise<number> {
  assertAdmin(actor);
  const user = await requireUser(id);
  const tokens = await ApiToken.find({ user: user._id, prefix }).lean();
  const live = tokens.filter((t) => !t.revokedAt);
  if (!live.length) throw notFound('token_not_found', `No live token ${prefix} of ${user._id}`);
  for (const t of live) await ApiToken.updateOne({ _id: t._id }, { $set: { revokedAt: new Date() } });
  await recordAudit(ctx, { action: 'token.revoke', actor: actor.id, target: user._id, detail: prefix });
  return live.length;
}
