import type { RequestHandler } from 'express';
import { AppError } from '../errors.js';
import { User, type UserDoc } from '../models/user.js';
import type { Actor } from '../policies/actor.js';
import { findTokenOwner } from '../workflow/api-tokens.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** Set by `authenticate` when the request carries a valid bearer token or desk session. */
      user?: Actor;
      /** How `user` was authenticated: only a bearer token exempts a request from CSRF checks. */
      authenticatedBy?: 'bearer' | 'session';
    }
  }
}

export const actorOf = (u: UserDoc): Actor => ({
  id: u._id,
  name: u.name,
  roles: u.roles ?? [],
  pairs: u.pairs ?? [],
});

/**
 * Sets `req.user` from `Authorization: Bearer <token>` (looked up by its SHA-256) or from
 * the desk session's `userId`. A malformed, unknown or revoked token is a 401 — never a
 * silent fall-back to the session — so automation notices a bad token at once.
 */
export const authenticate: RequestHandler = async (req, _res, next) => {
  const header = req.get('authorization');
  if (header) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m) throw new AppError(401, 'invalid_token', 'Authorization must be "Bearer <token>"');
    const user = await findTokenOwner(m[1]);
    if (!user) throw new AppError(401, 'invalid_token', 'The bearer token is unknown or revoked');
    req.user = actorOf(user);
    req.authenticatedBy = 'bearer';
    return next();
  }
  const userId = req.session?.userId;
  if (userId) {
    const user = await User.findById(userId).lean<UserDoc>();
    if (user && !user.disabled && (user.sessionEpoch ?? 0) === (req.session?.userEpoch ?? 0)) {
      req.user = actorOf(user);
      req.authenticatedBy = 'session';
    }
  }
  next();
};
