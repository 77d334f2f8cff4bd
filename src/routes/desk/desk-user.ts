import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { actorOf } from '../../middleware/authenticate.js';
import { User, type UserDoc } from '../../models/user.js';
import type { Actor } from '../../policies/actor.js';

/** The signed-in desk user as pages and policies see it (an Actor; never the password hash). */
export interface DeskUser extends Actor {
  email: string;
}

/** The user `loadDeskUser` found for this request, or undefined when nobody is signed in. */
export const currentDeskUser = (res: Response): DeskUser | undefined => res.locals.deskUser as DeskUser;

/**
 * Reads the session's user by `_id` (a point lookup) on every desk request, so a disabled or
 * deleted account loses access at once rather than when its session expires.
 */
export function loadDeskUser(): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const userId = req.session?.userId;
    if (!userId) return next();
    const user = await User.findById(userId).lean();
    // Disabled, or signed in before a disable or password reset (the epoch moved on): signed out.
    if (!user || user.disabled || (user.sessionEpoch ?? 0) !== (req.session.userEpoch ?? 0)) {
      delete req.session.userId;
      return next();
    }
    const deskUser: DeskUser = { ...actorOf(user as UserDoc), email: user.email };
    res.locals.deskUser = deskUser;
    req.user = deskUser; // the shared policies (requireRole) read it
    next();
  };
}

/** Sends anyone not signed in to the sign-in page, remembering where they wanted to go. */
export function requireSignIn(): RequestHandler {
  return (req, res, next) => {
    if (currentDeskUser(res)) return next();
    if (req.method === 'GET' || req.method === 'HEAD') {
      res.redirect(303, `/desk/login?next=${encodeURIComponent(req.originalUrl)}`);
      return;
    }
    res.redirect(303, '/desk/login');
  };
}

export { hasRole } from '../../policies/task-policy.js';
