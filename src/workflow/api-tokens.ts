import { createHash, randomBytes } from 'node:crypto';
import { notFound } from '../errors.js';
import { ApiToken } from '../models/api-token.js';
import { User, type UserDoc } from '../models/user.js';

/** Bearer tokens for automation: only their SHA-256 is stored, so a database leak reveals none. */

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Issues a new token for a user and returns it; it cannot be shown again. */
export async function issueApiToken(userId: string): Promise<string> {
  const user = await User.findById(userId.toLowerCase()).lean();
  if (!user) throw notFound('user_not_found', `No user ${userId}`);
  const token = `nrt_${randomBytes(24).toString('base64url')}`;
  await ApiToken.create({ _id: hashToken(token), user: user._id, prefix: token.slice(0, 10) });
  return token;
}

/** The enabled user a live token belongs to, or null. */
export async function findTokenOwner(token: string): Promise<UserDoc | null> {
  if (token.length > 200) return null;
  const doc = await ApiToken.findById(hashToken(token)).lean();
  if (!doc || doc.revokedAt) return null;
  const user = await User.findById(doc.user).lean<UserDoc>();
  return user && !user.disabled ? user : null;
}

/**
 * Revokes a token given itself or its printed prefix (`nrt_xxxxxx`); returns how many were
 * revoked. Revoking by prefix is a scan of the (small) token collection.
 */
export async function revokeApiToken(tokenOrPrefix: string): Promise<number> {
  const exact = await ApiToken.findById(hashToken(tokenOrPrefix)).lean();
  const targets = exact ? [exact] : await ApiToken.find({ prefix: tokenOrPrefix.slice(0, 10) }).lean();
  for (const t of targets) await ApiToken.updateOne({ _id: t._id }, { $set: { revokedAt: new Date() } });
  return targets.length;
}
