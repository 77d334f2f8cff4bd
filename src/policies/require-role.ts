import type { RequestHandler } from 'express';
import { AppError } from '../errors.js';
import type { Role } from '../models/user.js';
import { assertRole } from './task-policy.js';

/** Route guard: 401 without a user, 403 without one of the roles (admins pass everywhere). */
export function requireRole(...roles: Role[]): RequestHandler {
  return (req, _res, next) => {
    if (!req.user)
      throw new AppError(401, 'unauthenticated', 'Sign in, or send Authorization: Bearer <token>');
    assertRole(req.user, ...roles);
    next();
  };
}

/** Route guard: any signed-in user. */
export const requireUser: RequestHandler = (req, _res, next) => {
  if (!req.user) throw new AppError(401, 'unauthenticated', 'Sign in, or send Authorization: Bearer <token>');
  next();
};
